"""Survivors of a mutation sample of the input readers (`mutation.py --area input`), in the
ledger file's reader: each test fails on its mutant.

- a grant's year is 1..9999 (1 and 9999 read, 0 and 10000 refused, E325);
- an id the file writes as a number is read as it is written (``0701``, not ``701``);
- an empty ledger file is refused at its start (line 1, column 1);
- a ledger dumped as JSON is indented by two spaces, as it reads back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import policyrules
from policyrules import Grant, Money
from policyrules.errors import LedgerError
from policyrules.ledger_io import dump_ledger
from policyrules.runtime.ledger import Ledger
from support import BEIJING

LAUNCH = "jjxf_2025_50/3/launch_reward"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(BEIJING)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ledger.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(("year", "read"), [(1, True), (9999, True), (0, False), (10000, False)])
def test_a_grants_year_is_one_to_9999(
    policy: policyrules.Policy, tmp_path: Path, year: int, read: bool
) -> None:
    # counted by the year of the decision, which the text leaves open: no years but 1..9999
    # bound the grant (E352, tests/unit/test_ledger_year_span.py, bounds the approval's)
    text = (
        f"ledger:\n  - {{provision: {LAUNCH}, firm: f1, product: P1, amount: 1万元, "
        f"year: {year}}}\nbases:\n  - {{provision: {LAUNCH}, assumption: annual_cap_year, "
        "value: decision}\n"
    )
    path = _file(tmp_path, text)
    if read:
        (grant,) = policy.load_ledger(path)
        assert grant.year == year
    else:
        with pytest.raises(LedgerError) as info:
            policy.load_ledger(path)
        assert info.value.diagnostics[0].code == "E325"


def test_an_id_written_as_a_number_is_read_as_written(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    text = (
        f"ledger:\n  - {{provision: {LAUNCH}, firm: 0701, product: 0042, amount: 1万元, "
        "year: 2026}\n"
    )
    (grant,) = policy.load_ledger(_file(tmp_path, text))
    assert grant.path == (("firm", "0701"), ("product", "0042"))


def test_an_empty_ledger_file_is_refused_at_its_start(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    with pytest.raises(LedgerError) as info:
        policy.load_ledger(_file(tmp_path, ""))
    span = info.value.diagnostics[0].span
    assert span is not None
    assert (span.line, span.col, span.end_col) == (1, 1, 2)


def test_a_ledger_dumped_as_json_is_indented_by_two() -> None:
    grant = Grant(LAUNCH, (("firm", "f1"), ("product", "P1")), Money(1_000_000), 2026)
    text = dump_ledger(Ledger((grant,)))
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert '\n  "ledger": [\n    {' in text
