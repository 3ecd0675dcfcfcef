"""Every worked case carries a Chinese title a reader can follow (issue 12 §4).

The clause pages show a case under its ``title_zh``; ``name`` stays the developers' (English)
id.  Every case file of every policy with a ``cases/`` directory is checked, so a case added
later must bring its own title: short, in Chinese, and unique within its file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyrules.cases import case_files, load_case_file

POLICIES = Path(__file__).resolve().parents[2] / "policies"
FILES = sorted(f for d in sorted(POLICIES.glob("*/cases")) if d.is_dir() for f in case_files([d]))
_CJK = re.compile(r"[\u4e00-\u9fff]")
# An English word of five letters or more: a name left untranslated (GMP, DRG, TB, WHO pass).
_ENGLISH = re.compile(r"[A-Za-z_]{5,}")


def test_both_policies_have_case_files() -> None:
    owners = {f.parent.parent.name for f in FILES}
    assert {"beijing_2025", "patterns"} <= owners


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_case_has_a_chinese_title(path: Path) -> None:
    cases = load_case_file(path).cases
    untitled = [c.name for c in cases if not (c.title_zh or "").strip()]
    assert not untitled, f"{path.name}: cases without `title_zh`: {untitled}"
    for c in cases:
        title = c.title_zh or ""
        assert _CJK.search(title), f"{path.name}: {c.name!r}: title {title!r} has no Chinese"
        assert not _ENGLISH.search(title), f"{path.name}: {c.name!r}: English in {title!r}"
        assert title == title.strip(), f"{path.name}: {c.name!r}: spaces around {title!r}"
        assert "\n" not in title, f"{path.name}: {c.name!r}: a title is one line"
        assert len(title) <= 60, f"{path.name}: {c.name!r}: title too long ({len(title)})"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_titles_are_unique_within_a_file(path: Path) -> None:
    titles = [c.title_zh for c in load_case_file(path).cases]
    twice = sorted({t for t in titles if titles.count(t) > 1 and t is not None})
    assert not twice, f"{path.name}: titles used by more than one case: {twice}"
