#!/usr/bin/env bash
# Make sure a Java runtime that pyspark 4 can use (Java 17 or newer) is present, and print its
# home directory on stdout (for JAVA_HOME); messages go to stderr.
#
#   export JAVA_HOME="$(scripts/install-jdk.sh)"
#
# Java already there (JAVA_HOME's, else the `java` on PATH, else one under /usr/lib/jvm) at 17+:
# nothing is installed.  Otherwise OpenJDK comes from Debian's packages (apt-get, as root or
# through `sudo -n`): openjdk-17-jre-headless, or the first of openjdk-21-jre-headless and
# default-jre-headless that the release has (Debian 13 dropped 17).  Running it again changes
# nothing.  Exit codes: 0 a Java 17+ is ready; 1 it could not be made ready (the message says why).
set -euo pipefail

MIN=17
say() { printf 'install-jdk: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

# The major version of a java binary ("1.8.0_392" -> 8, "17.0.15" -> 17), or nothing.
major_of() {
    local line version
    line="$("$1" -version 2>&1 | grep -m1 -E 'version "[^"]+"' || true)"
    version="${line#*version \"}"
    version="${version%%\"*}"
    [[ -n "$version" && "$line" != "$version" ]] || return 0
    if [[ "$version" == 1.* ]]; then version="${version#1.}"; fi
    printf '%s' "${version%%[.+-]*}"
}

# Print the home of the first Java 17+ found, or return 1.
find_java() {
    local candidates=() java major
    if [[ -n "${JAVA_HOME:-}" ]]; then candidates+=("$JAVA_HOME/bin/java"); fi
    if command -v java >/dev/null 2>&1; then candidates+=("$(command -v java)"); fi
    for java in /usr/lib/jvm/*/bin/java; do [[ -e "$java" ]] && candidates+=("$java"); done
    for java in "${candidates[@]}"; do
        [[ -x "$java" ]] || continue
        major="$(major_of "$java")"
        if [[ "$major" =~ ^[0-9]+$ ]] && ((major >= MIN)); then
            java="$(readlink -f "$java")"
            printf '%s\n' "${java%/bin/java}"
            return 0
        fi
    done
    return 1
}

if find_java; then exit 0; fi

if [[ -n "${JAVA_HOME:-}" ]]; then
    say "JAVA_HOME=$JAVA_HOME is not a Java $MIN+; installing one from Debian's packages"
else
    say "no Java $MIN+ found (pyspark 4 needs it); installing one from Debian's packages"
fi

command -v apt-get >/dev/null 2>&1 \
    || fail "no Java $MIN+ and no apt-get: this script installs OpenJDK on Debian only; on this system install a Java $MIN+ runtime with its package manager and set JAVA_HOME"

as_root=()
if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 \
        || fail "installing OpenJDK needs root: run this script as root (no sudo on this machine)"
    sudo -n true 2>/dev/null \
        || fail "installing OpenJDK needs root: sudo asks for a password here; run this script as root, or with sudo"
    as_root=(sudo -n)
fi

export DEBIAN_FRONTEND=noninteractive
# Slim images delete the man directories; the JRE's post-install links a man page there.
"${as_root[@]}" mkdir -p /usr/share/man/man1
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
apt() { "${as_root[@]}" apt-get "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }; }
apt update -qq || fail "apt-get update failed (apt's output above)"

package=""
for p in openjdk-17-jre-headless openjdk-21-jre-headless default-jre-headless; do
    candidate="$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')"
    if [[ -n "$candidate" && "$candidate" != "(none)" ]]; then package="$p"; break; fi
done
[[ -n "$package" ]] \
    || fail "this Debian release offers none of openjdk-17-jre-headless, openjdk-21-jre-headless, default-jre-headless"

say "apt-get install $package"
apt install -y -qq --no-install-recommends "$package" \
    || fail "apt-get install $package failed (apt's output above)"

unset JAVA_HOME
find_java || fail "$package installed, but no Java $MIN+ found under /usr/lib/jvm or on PATH"
