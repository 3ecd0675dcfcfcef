"""``batch --ledger-out FILE`` writes the whole ledger, as ``eval`` does (issue 9 §3, F7).

Policy: 京经信发〔2025〕50号 第3条 launch_reward (创新医疗器械获批上市一次性奖励): 200 万元
per product, once; 单个企业年度奖励不超过 1000 万元 (per firm per year of approval, the
default reading).  Firm f1, products P1–P5, each approved 2026-03-02 by national priority
review, 200 万元 decided 2026-06-15.  Earlier grants P1–P3 (3 × 200 = 600 万元 in 2026) are
held by a ledger file ``A.json`` (with ``bases:``), the registry's own ``ledger`` table or a
store; the run pays P4 and P5: 1000 − 600 = 400 万元 left, 2 × 200 = 400.  ``--ledger-out
B.json`` must hold P1–P5 (1000 万元); a later run with ``--ledger B.json`` pays nothing
(P1–P5 paid once).  Before, B held P4 and P5 only, and the later run paid P1–P3 again
(600 万元 more: 1600 万元 for one firm-year).  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules.cli import main
from policyrules.cli_batch_ledger import LedgerOut
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as REWARD
from support import WAN

APPROVAL = {"provision": REWARD, "assumption": "annual_cap_year", "value": "approval"}
ALL = {f"P{i}": 200 * WAN for i in range(1, 6)}


def _grant(product: str) -> dict[str, Any]:
    return {
        "provision": REWARD,
        "firm": "f1",
        "product": product,
        "amount": "200万元",
        "year": 2026,
    }


def _ledger_file(path: Path, products: list[str], bases: bool = True) -> Path:
    data: dict[str, Any] = {"ledger": [_grant(p) for p in products]}
    if bases:
        data["bases"] = [APPROVAL]
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def _registry(tmp: Path, name: str, products: list[str], table: Sequence[str] = ()) -> Path:
    """Parquet tables (both engines read them): f1, ``products`` and a ``ledger`` table
    holding ``table``'s grants (none: no table)."""
    reg = tmp / name
    reg.mkdir()
    con = duckdb.connect()
    try:
        con.execute(f"COPY (SELECT 'f1' AS id) TO '{reg / 'firms.parquet'}'")
        rows = ", ".join(f"('{p}')" for p in products)
        con.execute(
            f"COPY (SELECT p AS id, 'f1' AS firm_id, DATE '2026-03-02' AS approved_on, "
            "['national_priority_review'] AS launch_routes, '200万元' AS launch_reward_decided, "
            "DATE '2026-06-15' AS launch_reward_decided_on "
            f"FROM (VALUES {rows}) t(p)) TO '{reg / 'products.parquet'}'"
        )
        if table:
            rows = ", ".join(f"('{p}')" for p in table)
            con.execute(
                f"COPY (SELECT '{REWARD}' AS provision, 'f1' AS firm, p AS product, "
                f"'200万元' AS amount, 2026 AS year FROM (VALUES {rows}) t(p)) "
                f"TO '{reg / 'ledger.parquet'}'"
            )
    finally:
        con.close()
    return reg


def _batch(reg: Path, out: str, *more: str | Path) -> int:
    return main(["batch", str(POLICY), str(reg), "--out", str(reg.parent / out), "--quiet",
                 *map(str, more)])  # fmt: skip


def _paid(out: Path) -> dict[str, int]:
    """Fen per product the launch reward granted in a batch's outputs."""
    files = str(out / "grants.parquet") + (
        "/*.parquet" if (out / "grants.parquet").is_dir() else ""
    )
    with duckdb.connect() as con:
        got = con.execute(
            f"SELECT product, amount_fen FROM read_parquet('{files}') WHERE provision = ?", [REWARD]
        ).fetchall()
    return {str(p): int(a) for p, a in got if a}


def _held(path: Path) -> tuple[dict[str, int], list[Any]]:
    """(fen per product of the launch reward's grants, bases) of a JSON ledger file."""
    data = json.loads(path.read_text("utf-8"))
    fen = {
        g["product"]: int(g["amount"].replace(".", ""))  # "2000000.00" 元 → fen
        for g in data["ledger"]
        if g["provision"] == REWARD
    }
    return fen, data.get("bases", [])


def _pays_nothing_more(tmp: Path, ledger: Path, name: str = "again") -> None:
    """A run of P1–P5 with ``--ledger`` the file written pays no launch reward."""
    reg = _registry(tmp, name, list(ALL))
    assert _batch(reg, f"out-{name}", "--ledger", ledger) == 0
    assert _paid(tmp / f"out-{name}") == {}


def test_ledger_out_another_file_keeps_the_ledgers_grants(tmp_path: Path) -> None:
    a = _ledger_file(tmp_path / "A.json", ["P1", "P2", "P3"])
    b = tmp_path / "B.json"
    reg = _registry(tmp_path, "reg", list(ALL))
    assert _batch(reg, "out", "--ledger", a, "--ledger-out", b) == 0
    assert _paid(tmp_path / "out") == {"P4": 200 * WAN, "P5": 200 * WAN}  # 1000 − 600 = 400
    held, bases = _held(b)
    assert held == ALL  # 600 earlier + 400 this run = 1000 万元
    assert APPROVAL in bases
    _pays_nothing_more(tmp_path, b)


@pytest.mark.parametrize("made", [True, False])
def test_ledger_out_inside_out_is_refused_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], made: bool
) -> None:
    """``--out out --ledger-out out/ledger.json``: the ledger's own lock file made the
    outputs' directory "hold other files" (E631 naming ``.ledger.json.lock``, which the user
    never made); written, the ledger would be replaced with the outputs by the next run."""
    reg = _registry(tmp_path, "reg", list(ALL))
    if made:
        (tmp_path / "out").mkdir()
    assert _batch(reg, "out", "--ledger-out", tmp_path / "out" / "ledger.json") == 2
    err = capsys.readouterr().err
    assert "error[E334]: cannot write" in err
    assert "inside --out" in err
    assert ".lock" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["reg"] + (["out"] if made else [])


def test_an_existing_copy_of_the_ledger_is_not_refused(tmp_path: Path) -> None:
    """``--ledger-out`` onto a file holding the ``--ledger``'s grants loses none of them:
    it is written (before: E333, 'grants this run did not read')."""
    a = _ledger_file(tmp_path / "A.json", ["P1", "P2", "P3"])
    b = _ledger_file(tmp_path / "B.json", ["P1", "P2", "P3"])
    reg = _registry(tmp_path, "reg", list(ALL))
    assert _batch(reg, "out", "--ledger", a, "--ledger-out", b) == 0
    assert _held(b)[0] == ALL


def test_ledger_out_holds_the_registrys_own_ledger(tmp_path: Path) -> None:
    """The registry's ``ledger`` table (P1, P2) is read as earlier grants: written out too
    (taken as counted by the defaults, as the run took them), with A's P3 and the run's."""
    a = _ledger_file(tmp_path / "A.json", ["P3"])
    b = tmp_path / "B.json"
    reg = _registry(tmp_path, "reg", list(ALL), table=["P1", "P2"])
    assert _batch(reg, "out", "--ledger", a, "--ledger-out", b) == 0
    assert _paid(tmp_path / "out") == {"P4": 200 * WAN, "P5": 200 * WAN}
    assert _held(b)[0] == ALL
    _pays_nothing_more(tmp_path, b)
    # the table alone, no --ledger: P1–P3 from it, P4, P5 from the run
    c = tmp_path / "C.json"
    reg = _registry(tmp_path, "reg2", list(ALL), table=["P1", "P2", "P3"])
    assert _batch(reg, "out2", "--ledger-out", c) == 0
    assert _held(c)[0] == ALL
    _pays_nothing_more(tmp_path, c, "again2")


def test_ledger_out_holds_a_stores_grants(tmp_path: Path) -> None:
    """``--ledger STORE --ledger-out FILE``: the store's grants (as the run read them, with
    their readings) and the run's, as ``eval`` writes them; the store is only read."""
    store = tmp_path / "S.db"
    assert main(["ledger", "init", str(store)]) == 0
    a = _ledger_file(tmp_path / "A.json", ["P1", "P2", "P3"])
    assert main(["ledger", "import", str(store), str(a), "--policy", str(POLICY)]) == 0
    b = tmp_path / "B.json"
    reg = _registry(tmp_path, "reg", list(ALL))
    assert _batch(reg, "out", "--ledger", store, "--ledger-out", b) == 0
    held, bases = _held(b)
    assert held == ALL
    assert APPROVAL in bases
    _pays_nothing_more(tmp_path, b)
    exported = tmp_path / "S.json"
    assert main(["ledger", "export", str(store), "--out", str(exported)]) == 0
    assert _held(exported)[0] == {p: ALL[p] for p in ("P1", "P2", "P3")}  # not recorded


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(["table", "file", "run"]), min_size=5, max_size=5))
def test_no_earlier_grant_is_lost_wherever_it_was_held(
    tmp_path_factory: pytest.TempPathFactory, beijing: policyrules.Policy, where: list[str]
) -> None:
    """P1–P5, each held earlier by the registry's table, by the ledger given (``A.json``)
    or by nothing (paid by this run, 200 万元 each: 5 × 200 = 1000 万元 is the firm-year
    cap exactly, so each is paid in full): the ledger written holds all five."""
    tmp = tmp_path_factory.mktemp("where")
    held = {w: [f"P{i}" for i, x in enumerate(where, 1) if x == w] for w in ("table", "file")}
    a = _ledger_file(tmp / "A.json", held["file"])
    reg = _registry(tmp, "reg", list(ALL), table=held["table"])
    result = beijing.evaluate_batch(reg, ledger=beijing.load_ledger(a), ledger_file=str(a))
    try:
        run = json.loads(result.grants_ledger())["ledger"]
        paid = {g["product"] for g in run if g["provision"] == REWARD}
        assert paid == {f"P{i}" for i, x in enumerate(where, 1) if x == "run"}
        text = LedgerOut(tmp / "B.json", None).text(beijing, result.grants_ledger(), result.earlier)
    finally:
        result.close()
    (tmp / "B.json").write_text(text, "utf-8")
    assert _held(tmp / "B.json")[0] == ALL


@pytest.mark.timeout(600)  # a JVM's start and the shipped policy's plan on 2 shared cores
def test_spark_ledger_out_holds_the_table_the_file_and_the_run(tmp_path: Path) -> None:
    """On Spark as on DuckDB: the registry's table (P1, P2), ``A.json`` (P3) and the run's
    P4, P5 (1000 − 600 = 400 万元, 200 each) are all written."""
    a = _ledger_file(tmp_path / "A.json", ["P3"])
    b = tmp_path / "B.json"
    reg = _registry(tmp_path, "reg", list(ALL), table=["P1", "P2"])
    spark = ["--engine", "spark", "--master", "local[2]", "--spark-conf", "spark.ui.enabled=false"]
    assert _batch(reg, "out", *spark, "--ledger", a, "--ledger-out", b) == 0
    assert _paid(tmp_path / "out") == {"P4": 200 * WAN, "P5": 200 * WAN}
    held, bases = _held(b)
    assert held == ALL
    assert APPROVAL in bases
