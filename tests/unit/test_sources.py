"""A document's `source` file: read only from inside the policy directory, never a traceback.

Issue 9 §11: a `source` path reaching outside the policy directory turned the quote check into
an oracle on the checking machine's files.  §10: a source that is not UTF-8 gave a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import policyrules
from policyrules import FactsError, RuleCheckError, RuleSyntaxError
from policyrules import sources as sources_module
from policyrules.sources import MAX_SOURCE_BYTES

SECRET = "SECRET-TOKEN-4711"
RULE = """\
document s "带来源"
  source "{path}"

clause 1 "t"
  quote "{quote}"
"""
# `source "` is 9 characters after two spaces: the path string starts at column 10.
SOURCE_LINE, PATH_COL = 2, 10


def _policy(root: Path, path: str, quote: str = "一次性奖励") -> Path:
    """A policy directory `root/policy` with one document whose source is `path`, a plain
    source `sources/notice.txt` inside it, and a secret file outside it."""
    policy = root / "policy"
    (policy / "sources").mkdir(parents=True, exist_ok=True)
    (policy / "sources" / "notice.txt").write_text(
        "对产品给予一次性奖励，不超过 200 万元。", "utf-8"
    )
    (root / "outside").mkdir(exist_ok=True)
    (root / "outside" / "secret.txt").write_text(f"token: {SECRET}\n", "utf-8")
    escaped = path.replace("\\", "\\\\").replace('"', '\\"')
    (policy / "s.rule").write_text(RULE.format(path=escaped, quote=quote), "utf-8")
    return policy


def _refusal(policy: Path, **kw: int) -> tuple[str, int, int, str]:
    with pytest.raises(RuleCheckError) as info:
        policyrules.load(policy, **kw)
    d = info.value.diagnostics[0]
    assert d.span is not None
    return d.code, d.span.line, d.span.col, d.hint or ""


def _make_links(root: Path) -> None:
    src = root / "policy" / "sources"
    (src / "link.txt").symlink_to(root / "outside" / "secret.txt")
    (src / "linkdir").symlink_to(root / "outside", target_is_directory=True)
    (src / "inner.txt").symlink_to(src / "notice.txt")


OUTSIDE = [
    "../outside/secret.txt",
    "sources/../../outside/secret.txt",
    "{root}/outside/secret.txt",
    "sources/link.txt",
    "sources/linkdir/secret.txt",
    # Through a symlink out, a missing file is refused the same way: no existence probe.
    "sources/linkdir/no-such-file.txt",
    "../../../../../../../../etc/passwd",
    "/proc/self/environ",
]


@pytest.mark.parametrize("path", OUTSIDE)
def test_source_outside_policy_directory_is_refused_unopened(
    tmp_path: Path, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every way out of the policy directory (`..`, absolute, a symlink to a file or through
    a directory) is E250 at the path string, with the hint, and the file is never opened."""
    policy = _policy(tmp_path, path.format(root=tmp_path))
    _make_links(tmp_path)
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(
        sources_module.os,
        "open",
        lambda p, *a, **k: opened.append(str(p)) or real_open(p, *a, **k),
    )
    code, line, col, hint = _refusal(policy)
    assert (code, line, col) == ("E250", SOURCE_LINE, PATH_COL)
    assert "sources live in the policy directory, e.g. sources/" in hint
    # (the policy's own .rule file is opened, without blocking, to be read)
    assert [p for p in opened if not p.endswith(".rule")] == []


def test_source_outside_gives_no_oracle(tmp_path: Path) -> None:
    """The issue's probe: a quote that is in the outside file and one that is not give the
    same error, so a `.rule` author learns nothing about the file."""
    found = _policy(tmp_path / "a", "../outside/secret.txt", quote=SECRET)
    absent = _policy(tmp_path / "b", "../outside/secret.txt", quote="NOT-THERE")
    renders = []
    for policy in (found, absent):
        with pytest.raises(RuleCheckError) as info:
            policyrules.load(policy)
        renders.append([(d.code, d.message) for d in info.value.diagnostics])
    assert (
        renders[0]
        == renders[1]
        == [("E250", "source '../outside/secret.txt' is outside the policy directory")]
    )


def test_symlink_inside_the_directory_is_followed(tmp_path: Path) -> None:
    """A symlink that stays inside the policy directory is read, and its quotes checked."""
    ok = _policy(tmp_path / "ok", "sources/inner.txt", quote="一次性奖励")
    (ok / "sources" / "inner.txt").symlink_to(ok / "sources" / "notice.txt")
    assert policyrules.load(ok).checked.clauses[0].quote == "一次性奖励"
    bad = _policy(tmp_path / "bad", "sources/inner.txt", quote="三百万元")
    (bad / "sources" / "inner.txt").symlink_to(bad / "sources" / "notice.txt")
    assert _refusal(bad)[0] == "E211"


def test_source_fifo_and_directory_are_refused_unopened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A FIFO (which would hang a read) and a directory are E251, never opened."""
    fifo = _policy(tmp_path / "f", "sources/pipe.txt")
    os.mkfifo(fifo / "sources" / "pipe.txt")
    folder = _policy(tmp_path / "d", "sources")
    real_open = os.open

    def only_rule_files(p: str, *a: int, **k: int) -> int:
        # The policy's own .rule file is opened to be read; no source may be.
        if not str(p).endswith(".rule"):
            pytest.fail(f"opened {p}")
        return real_open(p, *a, **k)

    monkeypatch.setattr(sources_module.os, "open", only_rule_files)
    for policy in (fifo, folder):
        code, line, col, hint = _refusal(policy)
        assert (code, line, col, hint) == (
            "E251",
            SOURCE_LINE,
            PATH_COL,
            "a source is a plain text file",
        )


def test_source_larger_than_the_bound_is_refused(tmp_path: Path) -> None:
    """The bound is 16 MiB by default and can be set per load: a 60-byte source (20 CJK
    characters × 3 bytes) passes a 60-byte bound and is E252 under a 59-byte one."""
    assert MAX_SOURCE_BYTES == 16 * 1024 * 1024
    policy = _policy(tmp_path, "sources/notice.txt", quote="一次性奖励")
    # 对产品给予一次性奖励 10 + 不超过 3 + 二百万元 4 + 整啊 2 + 。1 = 20 characters, 60 bytes.
    (policy / "sources" / "notice.txt").write_text(
        "对产品给予一次性奖励不超过二百万元整啊。", "utf-8"
    )
    assert policyrules.load(policy, max_source_bytes=60).checked.clauses[0].quote
    code, line, col, hint = _refusal(policy, max_source_bytes=59)
    assert (code, line, col) == ("E252", SOURCE_LINE, PATH_COL)
    assert "max_source_bytes" in hint


def test_gbk_source_is_a_located_error(tmp_path: Path) -> None:
    """§10's example: a GBK source.  `ab ` is 3 bytes of ASCII, then 对 is b'\\xb6\\xd4' in
    GBK, and 0xb6 cannot start a UTF-8 character: the error is at byte 3."""
    policy = _policy(tmp_path, "sources/notice.txt")
    (policy / "sources" / "notice.txt").write_bytes("ab 对产品给予一次性奖励".encode("gbk"))
    with pytest.raises(RuleCheckError) as info:
        policyrules.load(policy)
    d = info.value.diagnostics[0]
    assert d.code == "E253"
    assert "'sources/notice.txt' is not UTF-8 text (byte 3" in d.message
    assert d.hint is not None
    assert "save the file as UTF-8" in d.hint
    assert str(d.span) == f"{policy / 's.rule'}:{SOURCE_LINE}:{PATH_COL}"
    assert "Traceback" not in str(info.value)


def test_binary_source_is_a_located_error(tmp_path: Path) -> None:
    """A binary file (0xff never occurs in UTF-8) is E253 at byte 0."""
    policy = _policy(tmp_path, "sources/notice.txt")
    (policy / "sources" / "notice.txt").write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(RuleCheckError) as info:
        policyrules.load(policy)
    assert info.value.code == "E253"
    assert "(byte 0" in info.value.diagnostics[0].message


def test_missing_source_and_symlink_loop(tmp_path: Path) -> None:
    """A missing source is E215 (so quotes never go unchecked silently); a symlink loop is
    E254, both at the path string."""
    missing = _policy(tmp_path / "m", "sources/none.txt")
    assert _refusal(missing)[:3] == ("E215", SOURCE_LINE, PATH_COL)
    loop = _policy(tmp_path / "l", "sources/loop.txt")
    (loop / "sources" / "loop.txt").symlink_to(loop / "sources" / "loop2.txt")
    (loop / "sources" / "loop2.txt").symlink_to(loop / "sources" / "loop.txt")
    assert _refusal(loop)[:3] == ("E254", SOURCE_LINE, PATH_COL)


def test_shipped_policy_sources_are_read_and_checked() -> None:
    """The shipped policy's sources lie in its directory and still check every quote."""
    root = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
    checked = policyrules.load(root).checked
    assert sorted(checked.sources) == [
        "sources/jingjingxinfa-2025-50.txt",
        "sources/jingyibaofa-2025-5.txt",
    ]


def test_rule_entry_that_is_not_a_plain_file_inside_is_refused(tmp_path: Path) -> None:
    """In a policy directory, a `*.rule` symlink to a file outside (whose lines an error
    would print) or a FIFO named `*.rule` (whose read would hang) is E111."""
    outside = _policy(tmp_path / "o", "sources/notice.txt")
    (outside / "x.rule").symlink_to(tmp_path / "o" / "outside" / "secret.txt")
    fifo = _policy(tmp_path / "f", "sources/notice.txt")
    os.mkfifo(fifo / "y.rule")
    for policy in (outside, fifo):
        with pytest.raises(RuleSyntaxError) as info:
            policyrules.load(policy)
        assert info.value.code == "E111"
        assert SECRET not in str(info.value)


def test_case_entry_that_is_not_a_plain_file_inside_is_refused(tmp_path: Path) -> None:
    """The worked cases the docs and tests read: a `*.yaml` symlink to a file outside, or a
    FIFO, is E255 before it is read (its lines would otherwise be shown by a YAML error)."""
    from policyrules.reference import load_cases

    (tmp_path / "outside.txt").write_text(f"{SECRET}: [\n", "utf-8")
    linked, fifo = tmp_path / "a", tmp_path / "b"
    linked.mkdir()
    fifo.mkdir()
    (linked / "c.yaml").symlink_to(tmp_path / "outside.txt")
    os.mkfifo(fifo / "c.yaml")
    for cases in (linked, fifo):
        with pytest.raises(FactsError) as info:
            load_cases(cases)
        assert info.value.code == "E255"
        assert SECRET not in str(info.value)
