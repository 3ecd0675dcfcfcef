"""The bound on the items of one list (issue 9 §10): a list longer than ``Limits.max_items``
in any data file (facts, ledger; JSON and YAML) is refused with E342 at the list, naming
its path, its length, the bound and how to raise it; raising the bound accepts the file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import FactsError
from policyrules.bounds import Limits, Refused
from policyrules.bounds_items import check_items
from policyrules.cli import main
from policyrules.facts import read_facts_file
from policyrules.ledger_io import read_ledger_file
from policyrules.reading import load_data

ROOT = Path(__file__).resolve().parents[2]
POLICY = policyrules.load(ROOT / "policies" / "beijing_2025")
SMALL = Limits(max_items=5)


def _write(tmp_path: Path, name: str, data: Any) -> Path:
    f = tmp_path / name
    if name.endswith(".json"):
        f.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    else:
        f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return f


def _firm(years: int) -> dict[str, Any]:
    return {"firms": [{"id": "f", "name": "企业", "new_approval_years": list(range(years))}]}


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_facts_list_over_the_bound_is_located(tmp_path: Path, suffix: str) -> None:
    """Six years, bound 5: E342 at ``firms[0].new_approval_years``, its length and the bound
    in the message, the flag and variable in the hint, a line and column in the file."""
    f = _write(tmp_path, f"f.{suffix}", _firm(6))
    with pytest.raises(FactsError) as info:
        read_facts_file(POLICY.checked, f, SMALL)
    err = info.value
    assert err.code == "E342"
    assert "firms[0].new_approval_years: a list of 6 items, more than the bound of 5" in str(err)
    assert err.hint is not None
    assert "--max-items" in err.hint
    assert "POLICYRULES_MAX_ITEMS" in err.hint
    assert err.span is not None
    lines = f.read_text("utf-8").splitlines()
    # The span starts the list: `[` in JSON (indent=1), the first `- 0` item in YAML.
    at = lines[err.span.line - 1][err.span.col - 1 :]
    assert at.startswith("[" if suffix == "json" else "- 0")


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_raising_the_bound_accepts_the_file(tmp_path: Path, suffix: str) -> None:
    f = _write(tmp_path, f"f.{suffix}", _firm(6))
    _, facts = read_facts_file(POLICY.checked, f, Limits(max_items=6))
    (firm,) = facts.instances["firm"]
    assert len(firm.values["new_approval_years"]) == 6  # a set of 0..5: six numbers


def test_the_bound_is_not_crossed_at_its_value(tmp_path: Path) -> None:
    """Five items with the bound at 5: accepted (more than the bound is refused)."""
    f = _write(tmp_path, "f.json", _firm(5))
    _, facts = read_facts_file(POLICY.checked, f, SMALL)
    assert len(facts.instances["firm"]) == 1


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_ledger_of_more_grants_than_the_bound(tmp_path: Path, suffix: str) -> None:
    """A ledger is a list of grants: its length is bounded too (six grants, bound 5)."""
    grant = {"clause": "jjxf-7", "firm": "f", "amount": "1万元", "year": 2026}
    f = _write(tmp_path, f"l.{suffix}", {"ledger": [grant] * 6})
    with pytest.raises(FactsError) as info:
        read_ledger_file(POLICY.checked, f, SMALL)
    assert info.value.code == "E342"
    assert "ledger: a list of 6 items, more than the bound of 5" in str(info.value)


def test_cli_flag_and_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--max-items`` and ``POLICYRULES_MAX_ITEMS`` set the bound for ``eval``."""
    f = _write(tmp_path, "f.yaml", _firm(6))
    policy = str(ROOT / "policies" / "beijing_2025")
    assert main(["eval", policy, str(f), "--max-items", "5"]) == 2
    assert "E342" in capsys.readouterr().err
    assert main(["eval", policy, str(f), "--max-items", "6", "--format", "json"]) == 0
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POLICYRULES_MAX_ITEMS", "5")
        assert main(["eval", policy, str(f)]) == 2
        assert "E342" in capsys.readouterr().err
        mp.setenv("POLICYRULES_MAX_ITEMS", "many")
        with pytest.raises(FactsError) as info:
            Limits.from_env()
        assert info.value.code == "E307"


_VALUES = st.recursive(
    st.integers(0, 9) | st.text(max_size=2),
    lambda inner: (
        st.lists(inner, max_size=8) | st.dictionaries(st.text("ab", min_size=1, max_size=2), inner)
    ),
    max_leaves=40,
)


def _longest(value: Any) -> int:
    if isinstance(value, list):
        return max([len(value), *map(_longest, value)])
    if isinstance(value, dict):
        return max([0, *map(_longest, value.values())])
    return 0


@settings(max_examples=200)
@given(_VALUES, st.integers(1, 8))
def test_check_items_refuses_exactly_the_lists_over_the_bound(data: Any, bound: int) -> None:
    """Any data: refused (E342) exactly when some list, at any depth, has more items than
    the bound; the path named holds such a list."""
    limits = Limits(max_items=bound)
    if _longest(data) <= bound:
        check_items(data, limits)
        return
    with pytest.raises(Refused) as info:
        check_items(data, limits)
    assert info.value.code == "E342"
    where = info.value.where
    assert isinstance(where, str)
    assert len(_at(data, where)) > bound


def _at(data: Any, path: str) -> Any:
    for index, key in re.findall(r"\[(\d+)\]|\.?([^.\[]+)", path):
        data = data[int(index)] if index else data[key]
    return data


@pytest.mark.parametrize("suffix", ["json", "yaml"])
@given(st.lists(st.integers(0, 9), max_size=9), st.integers(1, 8))
@settings(max_examples=25)
def test_any_data_file(
    tmp_path_factory: pytest.TempPathFactory, suffix: str, items: list[int], bound: int
) -> None:
    """``load_data`` (every data file's reader) refuses a list longer than the bound and
    reads the same file whole when it is not."""
    f = _write(tmp_path_factory.mktemp("d"), f"d.{suffix}", {"a": {"b": items}})
    if len(items) > bound:
        with pytest.raises(FactsError) as info:
            load_data(f, Limits(max_items=bound))
        assert info.value.code == "E342"
        assert f"a.b: a list of {len(items)} items" in str(info.value)
    else:
        assert load_data(f, Limits(max_items=bound)) == {"a": {"b": [str(i) for i in items]}}
