"""YAML nested deeper than the bound is refused *at the place* (issue 9 §10: "each must give
a located error").

Found from outside (verify9): a YAML facts or ledger file nested between about 250 and 997
levels (block or flow) gave ``error[E308]: the data nests more than 100 levels deep`` with no
file, line or column: the constructor ran out of Python recursion first, and the YAML branch
of that path never looked for the place.  From 998 levels on libyaml's own bound answered,
placed at its 1,000th level, not where the bound of 100 is passed.  JSON was located in
every case.  The place is where level ``max_depth + 1`` begins, the document's root being
level 1, as for JSON.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules import FactsError
from policyrules.cli import main
from policyrules.reading import Limits, load_data

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"


def _block_lists(levels: int) -> str:
    """``firms`` → a firm → ``name``: a list nested ``levels`` deep, one ``-`` a line.

    Line 1 is the root mapping (level 1), line 2 the firms list (2, its ``-`` at column 3)
    and the firm (3); line 4 + j holds the ``-`` of the list at level 4 + j, at column
    5 + 2j."""
    return "firms:\n  - id: f1\n    name:\n" + "".join(
        " " * (4 + 2 * j) + "-\n" for j in range(levels)
    )


def _flow_lists(levels: int) -> str:
    """Line 3 ``    name: [[[…``: the first ``[`` (level 4) at column 11."""
    return "firms:\n  - id: f1\n    name: " + "[" * levels + "]" * levels + "\n"


def _mappings(levels: int) -> str:
    """Line i + 1 holds the mapping at level i + 1, at column i + 1."""
    return "".join(" " * i + "a:\n" for i in range(levels)) + " " * levels + "b\n"


def _refused(path: Path, limits: Limits | None = None) -> FactsError:
    with pytest.raises(FactsError) as info:
        load_data(path, limits)
    assert info.value.code == "E308"
    return info.value


# Level 101 (the first past the default bound of 100):
#   block lists: 4 + j = 101 → j = 97: line 4 + 97 = 101, column 5 + 2 × 97 = 199;
#   flow lists: the (101 − 4 + 1) = 98th `[`: column 11 + 97 = 108 on line 3;
#   mappings: line 101, column 101.
@pytest.mark.parametrize("levels", [300, 500, 996, 2000, 5000])
@pytest.mark.parametrize(
    ("make", "where"),
    [(_block_lists, (101, 199)), (_flow_lists, (3, 108)), (_mappings, (101, 101))],
    ids=["block lists", "flow lists", "mappings"],
)
def test_deep_yaml_is_refused_where_the_bound_is_passed(
    tmp_path: Path, make: object, where: tuple[int, int], levels: int
) -> None:
    assert callable(make)
    f = tmp_path / "deep.yaml"
    f.write_text(make(levels), "utf-8")
    err = _refused(f)
    assert "nests more than 100 levels deep" in str(err)
    assert err.span is not None
    assert err.span.file == str(f)
    assert (err.span.line, err.span.col) == where


def test_a_deep_yaml_ledger_is_located_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same through ``eval --ledger``: the user's file, line 101, column 199."""
    facts = tmp_path / "f.yaml"
    facts.write_text("firms: [{id: f1}]\n", "utf-8")
    ledger = tmp_path / "L.yaml"
    ledger.write_text(_block_lists(500), "utf-8")
    assert main(["eval", str(POLICY), str(facts), "--ledger", str(ledger)]) == 2
    err = capsys.readouterr().err
    assert f"{ledger}:101:199: error[E308]" in err
    assert "Traceback" not in err


@settings(max_examples=30, deadline=None)
@given(levels=st.integers(1, 1500), bound=st.integers(4, 900))
def test_any_depth_any_bound_block_lists(
    tmp_path_factory: pytest.TempPathFactory, levels: int, bound: int
) -> None:
    """The kind: block lists ``levels`` deep (the data 3 + ``levels`` deep) under any bound
    below libyaml's.  Deeper than the bound: E308 located on the line where level
    ``bound + 1`` begins (line ``bound + 1``, column 5 + 2 × (``bound`` − 3)).  Within it:
    read, or (a few hundred levels, beyond Python's recursion) E308 naming that limit,
    located too."""
    f = tmp_path_factory.mktemp("d") / "deep.yaml"
    f.write_text(_block_lists(levels), "utf-8")
    limits = Limits(max_depth=bound)
    if 3 + levels <= bound:
        refused: FactsError | None = None
        try:
            load_data(f, limits)
        except FactsError as exc:
            refused = exc
        if refused is not None:
            assert refused.code == "E308"
            assert "recursion limit" in str(refused)
            assert refused.span is not None
        return
    err = _refused(f, limits)
    assert "levels deep" in str(err)
    assert err.span is not None
    assert (err.span.line, err.span.col) == (bound + 1, 5 + 2 * (bound - 3))
