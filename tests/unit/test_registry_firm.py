"""One firm of a registry evaluated one by one: ``eval REGISTRY --firm ID`` and
``Policy.registry_facts`` read the firm's rows as the batch reads them, and give the
batch's decisions for that firm."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import duckdb
import pytest
from tests.support import BEIJING, LAUNCH_REWARD, ROOT, run_cli

import policyrules
from policyrules.errors import PolicyRulesError, TableError
from policyrules.runtime.money import Money

FIRMS = ("F00000000", "F00000003", "F00000005", "F00000008")


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from gen_registry import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    out = tmp_path_factory.mktemp("gen") / "reg"
    generate(10, out, products=2)
    return out


@pytest.fixture(scope="module")
def batch_rows(registry: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    policy = policyrules.load(BEIJING)
    result = policy.evaluate_batch(registry)
    try:
        return result.decisions().fetchall()
    finally:
        result.close()


def _key(provision: str, subject: str, status: str, fen: object, kind: object) -> tuple:
    return (provision, subject, status, None if fen in (None, "") else int(str(fen)), kind or None)


@pytest.mark.parametrize("firm", FIRMS)
def test_eval_of_a_firm_is_the_batch_for_it(
    registry: Path, batch_rows: list[tuple], firm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "eval", BEIJING, registry, "--firm", firm, "--format", "csv")
    assert code == 0, err
    rows = [
        _key(r["provision"], r["subject"], r["status"], r["amount_fen"], r["amount_kind"])
        for r in csv.DictReader(io.StringIO(out))
        if r["subject"].split("/")[0] == firm
    ]
    # provision, kind, document_number, clause, title, subject, firm, status, amount_fen,...
    want = [_key(r[0], r[5], r[7], r[8], r[11]) for r in batch_rows if r[6] == firm]
    assert want
    assert sorted(rows) == sorted(want)


def test_the_firm_text_explains_it(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "eval", BEIJING, registry, "--firm", FIRMS[2])
    assert code == 0
    assert f"对象：{FIRMS[2]}/P" in out
    code, out, _ = run_cli(
        capsys, "explain", BEIJING, "3", "--facts", registry, "--firm", FIRMS[2], "--lang", "en"
    )
    assert code == 0
    assert LAUNCH_REWARD in out


def test_a_firm_not_in_the_registry(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "eval", BEIJING, registry, "--firm", "F0000003")
    assert code == 2
    assert "E635" in err
    assert "no firm 'F0000003' in firms" in err
    assert "did you mean" in err
    assert "Traceback" not in err
    code, _, err = run_cli(capsys, "eval", BEIJING, registry)  # no --firm
    assert code == 2
    assert "E635" in err
    assert "--firm ID" in err


def test_firm_with_a_facts_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(
        capsys, "eval", BEIJING, ROOT / "examples" / "firm-a.yaml", "--firm", "x"
    )
    assert code == 2
    assert "E635" in err
    assert "is a facts file" in err


def _small(folder: Path, ledger: bool = True) -> Path:
    folder.mkdir()
    (folder / "firms.csv").write_text("id,name\nf1,甲\nf2,乙\n", "utf-8")
    routes = '"[""national_priority_review""]"'
    (folder / "products.csv").write_text(
        "id,firm_id,approved_on,launch_routes,launch_reward_decided,overseas_authority__none\n"
        f"P1,f1,2026-03-02,{routes},300万元,true\n"
        f"P2,f2,2026-03-02,{routes},150万元,\n",
        "utf-8",
    )
    if ledger:
        (folder / "ledger.csv").write_text(
            "provision,firm,product,amount_fen,year\n"  # 100 万元 and 4 × 200 万元 in fen
            + f"{LAUNCH_REWARD},f1,P5,100000000,2026\n"
            + "".join(f"{LAUNCH_REWARD},f1,P{i},200000000,2026\n" for i in range(6, 10)),
            "utf-8",
        )
    return folder


def test_registry_facts_shapes(tmp_path: Path) -> None:
    policy = policyrules.load(BEIJING)
    facts = policy.registry_facts(_small(tmp_path / "reg"), "f1")
    (firm,) = facts.instances["firm"]
    assert (firm.id, dict(firm.values)) == ("f1", {"name": "甲"})
    (p1,) = facts.instances["product"]
    assert p1.parent is firm
    assert p1.values["launch_reward_decided"] == Money(300_000_000)  # 300 万元 in fen
    assert "overseas_authority" in p1.values  # declared none (the __none flag)
    grants = facts.extra["ledger"]
    assert grants[0] == {
        "provision": LAUNCH_REWARD,
        "firm": "f1",
        "product": "P5",
        "amount": "1000000.00",
        "year": 2026,
    }
    assert [g["amount"] for g in grants] == ["1000000.00", *["2000000.00"] * 4]
    # the firm-year cap 1000 万元 holds 900 万元 already: P1's 200 万元 is cut to 100 万元
    result = policy.evaluate(facts)  # counts the facts' own ledger: the registry's grants
    (d,) = [x for x in result.decisions if x.provision == LAUNCH_REWARD]
    assert d.amount == Money(100_000_000)
    both = policy.registry_facts(tmp_path / "reg", ["f1", "f2"])
    assert [i.id for i in both.instances["product"]] == ["P1", "P2"]


def test_registry_facts_refusals(tmp_path: Path) -> None:
    policy = policyrules.load(BEIJING)
    reg = _small(tmp_path / "reg", ledger=False)
    with pytest.raises(TableError) as info:
        policy.registry_facts(reg, "f01")
    (d,) = info.value.diagnostics
    assert d.code == "E635"
    assert d.hint is not None
    assert d.hint == "did you mean 'f1'? an id is compared exactly as written (zeros, case, spaces)"
    with pytest.raises(PolicyRulesError):
        policy.registry_facts(reg, [])
    (reg / "firms.csv").write_text("id\nf1\nf1\n", "utf-8")  # the batch's own refusal
    with pytest.raises(TableError) as info:
        policy.registry_facts(reg, "f1")
    assert info.value.diagnostics[0].code == "E625"


def test_a_duckdb_registry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reg = _small(tmp_path / "reg", ledger=False)
    db = tmp_path / "reg.duckdb"
    con = duckdb.connect(str(db))
    for name in ("firms", "products"):
        con.execute(
            f"CREATE TABLE {name} AS FROM read_csv('{reg / (name + '.csv')}', all_varchar=true)"
        )
    con.close()
    code, out, err = run_cli(capsys, "eval", BEIJING, db, "--firm", "f2", "--format", "csv")
    assert code == 0, err
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["provision"] == LAUNCH_REWARD]
    assert [(r["subject"], r["amount_fen"]) for r in rows] == [("f2/P2", "150000000")]
