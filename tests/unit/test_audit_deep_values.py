"""Issue 9 §10, checked from outside: a fact's *value* nested deep in a JSON facts file.

The JSON fast path (``columns.read_columns``) spelled a nested value's integers with a
recursive walk before the depth bound was applied, so valid JSON with a text fact nested
500 levels deep printed a Python RecursionError instead of E308.  Every depth, every kind
of fact and every bound must give a located error instead (or read, when within the bound).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules import FactsError
from policyrules.api import Policy
from policyrules.cli import main
from policyrules.reading import Limits
from strategies import compile_text

_POLICY = """\
entity firm "企业"
  list firms
  fact name: text "名称"
  fact report_years: set of number "年份"

entity product "产品"
  list products of firm
  fact cost: money "成本"
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    return compile_text(_POLICY)


def _facts(tmp_path: Path, key: str, inner: str, depth: int) -> Path:
    f = tmp_path / "deep.json"
    value = "[" * depth + inner + "]" * depth
    f.write_text(f'{{"firms": [{{"id": "f", "{key}": {value}}}]}}', "utf-8")
    return f


@pytest.mark.parametrize("depth", [500, 5000])
@pytest.mark.parametrize("inner", ["", "1", '"x"', '{"a": 1}'])
@pytest.mark.parametrize("key", ["name", "report_years"])
def test_a_fact_nested_deep_is_e308_never_a_traceback(
    policy: Policy, tmp_path: Path, key: str, inner: str, depth: int
) -> None:
    """The example: a text fact (or a set) 500 or 5,000 levels deep, holding nothing, a
    JSON integer, a string or a mapping: E308 at line 1 under the default bound of 100."""
    with pytest.raises(FactsError) as info:
        policy.load_facts(_facts(tmp_path, key, inner, depth))
    assert info.value.code == "E308"
    assert info.value.span is not None
    assert info.value.span.line == 1


def test_raised_bound_reads_the_value_by_its_type(policy: Policy, tmp_path: Path) -> None:
    """With the bound raised above the nesting (500 levels, bound 1,000) the value is read
    by its fact's type: a list is not text (E303), still no traceback."""
    with pytest.raises(FactsError) as info:
        policy.load_facts(_facts(tmp_path, "name", "1", 500), Limits(max_depth=1000))
    assert info.value.code == "E303"
    assert "text is expected" in str(info.value)


def test_command_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """From the command line: exit 2 and the located error, no traceback."""
    rule = tmp_path / "p"
    rule.mkdir()
    (rule / "p.rule").write_text(_POLICY, "utf-8")
    facts = _facts(tmp_path, "name", "1", 500)
    assert main(["eval", str(rule), str(facts)]) == 2
    err = capsys.readouterr().err
    assert "deep.json:1:" in err
    assert "error[E308]" in err
    assert "Traceback" not in err


@settings(max_examples=40, deadline=None)
@given(
    depth=st.integers(min_value=1, max_value=1500),
    bound=st.integers(min_value=2, max_value=2000),
    inner=st.sampled_from(["", "1", "-7", '"x"', "true", "null", '{"k": [1]}']),
    key=st.sampled_from(["name", "report_years"]),
)
def test_any_depth_any_bound_is_read_or_a_facts_error(
    policy: Policy,
    tmp_path_factory: pytest.TempPathFactory,
    depth: int,
    bound: int,
    inner: str,
    key: str,
) -> None:
    """The kind: whatever the nesting of a fact's value and whatever the bound, the reader
    returns facts or raises FactsError (E308 when the data nests deeper than the bound:
    the facts mapping is level 1, the firms list 2, the firm 3, the value's lists 4 on)."""
    path = _facts(tmp_path_factory.mktemp("d"), key, inner, depth)
    code = None
    try:
        policy.load_facts(path, Limits(max_depth=bound))
    except FactsError as exc:
        code = exc.code
    inner_levels = 2 if inner.startswith("{") else 0  # {"k": [1]}: a mapping, a list in it
    assert (code == "E308") == (3 + depth + inner_levels > bound)


@pytest.mark.parametrize("as_of", ["", "  ", "null", "~"])
def test_an_empty_as_of_is_refused_not_read_as_no_date(
    as_of: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--as-of ""` is a mistake, not "no date": E313 with the YYYY-MM-DD hint (issue 9 §1,
    one definition of a date), never an evaluation without a day."""
    rule = tmp_path / "rule"
    rule.mkdir()
    (rule / "p.rule").write_text(_POLICY, "utf-8")
    facts = tmp_path / "f.json"
    facts.write_text('{"firms": []}', "utf-8")
    assert main(["eval", str(rule), str(facts), "--as-of", as_of]) == 2
    err = capsys.readouterr().err
    assert "error[E313]" in err
    assert "YYYY-MM-DD" in err
    assert "Traceback" not in err
