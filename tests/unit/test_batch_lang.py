"""``batch``'s summary language: ``--lang``, else ``POLICYRULES_LANG``, else English.

``eval`` and ``diff`` read ``POLICYRULES_LANG`` when ``--lang`` is not given; ``batch``
ignored it (an agency with ``POLICYRULES_LANG=zh`` set got the English summary).  Its
default stays English (docs/cli.md: the summary as earlier versions printed it).

Amounts from ``tests.support_rates`` with ``support_rate=50%``: P1 50 % × 120 万 = 60 万,
P2 50 % × 40 万 = 20 万, 50 万 each for P1 and P2 sold: 60 + 20 + 50 + 50 = 180 万 (4).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support import run_cli
from tests.support_rates import write_registry, write_rules

EN = "exact amounts: 180 万元; grants: 4, 180 万元"
ZH = "确定金额合计：180 万元；发放记录：4 笔，180 万元"


def _batch(capsys: pytest.CaptureFixture[str], tmp_path: Path, *more: str) -> tuple[int, str, str]:
    rules, reg = tmp_path / "rules", tmp_path / "reg"
    if not rules.exists():
        write_rules(rules)
        write_registry(reg)
    out = tmp_path / f"o{len(list(tmp_path.iterdir()))}"
    return run_cli(capsys, "batch", rules, reg, "--out", out, "--set", "support_rate=50%", *more)


@pytest.mark.parametrize(
    ("env", "args", "line"),
    [
        (None, (), EN),
        ("zh", (), ZH),
        ("en", (), EN),
        ("zh", ("--lang", "en"), EN),
        ("en", ("--lang", "zh"), ZH),
    ],
)
def test_the_summary_reads_policyrules_lang_after_lang(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    env: str | None,
    args: tuple[str, ...],
    line: str,
) -> None:
    if env is None:
        monkeypatch.delenv("POLICYRULES_LANG", raising=False)
    else:
        monkeypatch.setenv("POLICYRULES_LANG", env)
    code, out, _ = _batch(capsys, tmp_path, *args)
    assert (code, line in out.splitlines()) == (0, True), out


def test_another_language_is_refused_before_the_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``POLICYRULES_LANG=fr``: E425 as ``eval`` says it, and nothing written."""
    monkeypatch.setenv("POLICYRULES_LANG", "fr")
    code, out, err = _batch(capsys, tmp_path)
    assert (code, out, "error[E425]" in err) == (2, "", True)
    assert not (tmp_path / "o2").exists()
