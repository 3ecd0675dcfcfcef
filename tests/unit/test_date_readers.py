"""One definition of a date in every reader (issue 9 §1): a day written ``YYYY-MM-DD`` that
is not a day of the calendar (``2026-02-30``) is refused with the same code as a date not
written ``YYYY-MM-DD`` (``20260501``): E313 in facts (YAML and JSON), ``as_of`` in a facts
file, ``--as-of`` and the Python API's ``as_of``; E629 in registry tables (CSV, Parquet),
whose faults all carry the table's own codes, for the same two faults.  (A ledger holds no
dates: a grant is keyed by ids and a ``year``.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

import policyrules
from policyrules import PolicyRulesError
from policyrules.cli import main
from policyrules.tables import read_registry

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"

NOT_A_DAY = ["2026-02-30", "2025-02-29", "2026-13-01", "2026-04-31", "2026-00-10"]
NOT_YYYY_MM_DD = ["20260501", "2026-W18-5"]


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _product(day: str) -> dict[str, object]:
    return {"firms": [{"id": "f1", "products": [{"id": "A1", "approved_on": day}]}]}


def _facts_yaml(policy: policyrules.Policy, tmp: Path, day: str) -> None:
    f = tmp / "f.yaml"
    f.write_text(f"firms:\n  - id: f1\n    products:\n      - id: A1\n        approved_on: {day}\n")
    policy.load_facts(f)


def _facts_json(policy: policyrules.Policy, tmp: Path, day: str) -> None:
    f = tmp / "f.json"
    f.write_text(json.dumps(_product(day)), "utf-8")
    policy.load_facts(f)


def _as_of_in_file(policy: policyrules.Policy, tmp: Path, day: str) -> None:
    f = tmp / "f.yaml"
    f.write_text(f"as_of: {day}\nfirms: []\n", "utf-8")
    policy.load_facts(f)


def _api_as_of(policy: policyrules.Policy, tmp: Path, day: str) -> None:
    policy.evaluate({"firms": []}, as_of=day)


def _api_facts(policy: policyrules.Policy, tmp: Path, day: str) -> None:
    policy.evaluate(_product(day))


def _table(policy: policyrules.Policy, tmp: Path, day: str) -> None:
    (tmp / "firms.csv").write_text("id\nf1\n", "utf-8")
    (tmp / "products.csv").write_text(f"id,firm_id,approved_on\nA1,f1,{day}\n", "utf-8")
    read_registry(policy.checked, tmp, duckdb.connect())


def _parquet(policy: policyrules.Policy, tmp: Path, day: str) -> None:
    (tmp / "firms.csv").write_text("id\nf1\n", "utf-8")
    duckdb.sql(
        f"COPY (SELECT 'A1' AS id, 'f1' AS firm_id, '{day}' AS approved_on) "
        f"TO '{tmp / 'products.parquet'}' (FORMAT parquet)"
    )
    read_registry(policy.checked, tmp, duckdb.connect())


READERS: dict[str, tuple[Callable[[policyrules.Policy, Path, str], None], str]] = {
    "facts yaml": (_facts_yaml, "E313"),
    "facts json": (_facts_json, "E313"),
    "as_of in facts": (_as_of_in_file, "E313"),
    "api as_of": (_api_as_of, "E313"),
    "api facts": (_api_facts, "E313"),
    "csv table": (_table, "E629"),
    "parquet table": (_parquet, "E629"),
}


@pytest.mark.parametrize("day", NOT_A_DAY + NOT_YYYY_MM_DD)
@pytest.mark.parametrize("reader", sorted(READERS))
def test_not_a_real_day_has_the_code_of_not_a_date(
    policy: policyrules.Policy, tmp_path: Path, reader: str, day: str
) -> None:
    read, code = READERS[reader]
    with pytest.raises(PolicyRulesError) as info:
        read(policy, tmp_path, day)
    codes = {d.code for d in info.value.diagnostics}
    assert codes == {code}, str(info.value)
    assert "YYYY-MM-DD" in str(info.value)


@pytest.mark.parametrize("day", NOT_A_DAY + NOT_YYYY_MM_DD)
def test_cli_as_of(day: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(POLICY), str(FIRM_A), "--as-of", day]) == 2
    err = capsys.readouterr().err
    assert "error[E313]" in err
    assert "YYYY-MM-DD" in err


def test_real_days_pass(policy: policyrules.Policy, tmp_path: Path) -> None:
    """2024-02-29 is a day (2024 is a leap year), and so is 2026-12-31."""
    for day in ("2024-02-29", "2026-12-31"):
        _facts_json(policy, tmp_path, day)
        _api_as_of(policy, tmp_path, day)
