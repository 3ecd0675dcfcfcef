#!/usr/bin/env bash
# Make sure a Chromium that Playwright can drive is present, and print the path of its binary on
# stdout (for CHROMIUM); messages go to stderr.  The docs' browser tests
# (tests/docs/test_browser.py) open the built site in it, headless.
#
#   export CHROMIUM="$(scripts/install-chromium.sh)"
#
# Chromium already there (CHROMIUM's, else /usr/bin/chromium, else `chromium` or
# `chromium-browser` on PATH): nothing is installed.  Otherwise Debian's `chromium` package is
# installed (apt-get, as root or through `sudo -n`).  Never `playwright install`: that downloads
# a browser build of its own.  Running it again changes nothing.  Exit codes: 0 a Chromium is
# ready; 1 it could not be made ready (the message says why).
set -euo pipefail

say() { printf 'install-chromium: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

# Print the path of the first Chromium found that answers --version, or return 1.
find_chromium() {
    local candidates=() c
    if [[ -n "${CHROMIUM:-}" ]]; then candidates+=("$CHROMIUM"); fi
    candidates+=(/usr/bin/chromium)
    for c in chromium chromium-browser; do
        if command -v "$c" >/dev/null 2>&1; then candidates+=("$(command -v "$c")"); fi
    done
    for c in "${candidates[@]}"; do
        [[ -x "$c" ]] || continue
        if "$c" --version >/dev/null 2>&1; then
            printf '%s\n' "$c"
            return 0
        fi
    done
    return 1
}

if find_chromium; then exit 0; fi

if [[ -n "${CHROMIUM:-}" ]]; then
    say "CHROMIUM=$CHROMIUM does not run; installing Chromium from Debian's packages"
else
    say "no Chromium found (the docs' browser tests need one); installing it from Debian's packages"
fi

command -v apt-get >/dev/null 2>&1 \
    || fail "no Chromium and no apt-get: this script installs Chromium on Debian only; on this system install Chromium with its package manager and set CHROMIUM to its binary"

as_root=()
if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 \
        || fail "installing Chromium needs root: run this script as root (no sudo on this machine)"
    sudo -n true 2>/dev/null \
        || fail "installing Chromium needs root: sudo asks for a password here; run this script as root, or with sudo"
    as_root=(sudo -n)
fi

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
apt() { "${as_root[@]}" apt-get "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }; }
apt update -qq || fail "apt-get update failed (apt's output above)"

candidate="$(apt-cache policy chromium 2>/dev/null | awk '/Candidate:/ {print $2}')"
[[ -n "$candidate" && "$candidate" != "(none)" ]] \
    || fail "this Debian release offers no chromium package"

# The CJK fonts: the pages are Chinese, and a screenshot without them shows boxes.
say "apt-get install chromium fonts-noto-cjk"
apt install -y -qq --no-install-recommends chromium fonts-noto-cjk \
    || fail "apt-get install chromium failed (apt's output above)"

unset CHROMIUM
find_chromium || fail "chromium installed, but /usr/bin/chromium does not run"
