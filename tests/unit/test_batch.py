"""``policyrules batch`` and ``Policy.evaluate_batch`` end to end on a hand-made registry.

The registry is examples/firm-a.yaml as tables: firm-a with three launch-reward products,
one platform project and three earlier grants in a ``ledger`` table.  Worked by hand
(京经信发〔2025〕50号):

* 第3条 launch rewards, firm-year 2026, cap 1000 万元, 3 × 200 万 = 600 万 already granted:
  A1 decided 200 万 → 200 万 (600 → 800 万); A2 150 万 → 150 万 (→ 950 万);
  A3 decided 200 万, but 1000 − 950 = 50 万 left → 50 万 (the firm-year cap binds);
* 第7条 common platform J1: 30% × 8000 万元 = 2400 万元 (under its 5000 万元 cap).

Exact total: 200 + 150 + 50 + 2400 = 2800 万元 = 2,800,000,000 fen... in 元 28,000,000.00.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import policyrules
from policyrules.batch import BatchResult
from policyrules.cli import main
from policyrules.errors import TableError
from policyrules.progress import Progress, wanted

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"
WAN = 1_000_000  # fen in 1 万元

REGISTRY = {
    "firms.csv": "id,name\nfirm-a,北京甲医疗器械有限公司\n",
    "products.csv": (
        "id,firm_id,approved_on,launch_routes,launch_reward_decided,clinically_urgent,"
        "overseas_authority,overseas_approved_on,overseas_sales,registration_cost\n"
        'A1,firm-a,2026-03-02,"[""national_priority_review""]",200万元,true,FDA,2026-07-15,'
        "true,120万元\n"
        'A2,firm-a,2026-05-20,"[""beijing_special_review""]",150万元,false,,,false,\n'
        'A3,firm-a,2026-09-08,"[""miit_jiebang_guashuai""]",200万元,false,,,false,\n'
    ),
    "projects.csv": (
        "id,firm_id,kind,applied_on,engineering_investment\n"
        "J1,firm-a,common_platform,2026-04-01,8000万元\n"
    ),
    "ledger.csv": (
        "provision,firm,product,amount,year\n"
        f"{LAUNCH},firm-a,A0-1,200万元,2026\n"
        f"{LAUNCH},firm-a,A0-2,200万元,2026\n"
        f"{LAUNCH},firm-a,A0-3,200万元,2026\n"
    ),
}


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _registry(folder: Path) -> Path:
    folder.mkdir()
    for name, text in REGISTRY.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return _registry(tmp_path / "registry")


@pytest.fixture(scope="module")
def result(
    policy: policyrules.Policy, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BatchResult]:
    """The hand-made registry's batch, run once for the tests that only read or write it."""
    done = policy.evaluate_batch(_registry(tmp_path_factory.mktemp("batch") / "registry"))
    yield done
    done.close()


def _amounts(out: Path, fmt: str = "parquet") -> dict[tuple[str, str], tuple[str, int | None]]:
    rows = duckdb.sql(
        f"SELECT provision, subject, status, amount_fen FROM '{out / f'decisions.{fmt}'}' "
        "WHERE amount_fen IS NOT NULL"
    ).fetchall()
    return {(r[0], r[1]): (r[2], None if r[3] is None else int(r[3])) for r in rows}


def test_cli_batch_end_to_end(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["batch", str(POLICY), str(registry), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["decisions.parquet", "grants.parquet"]
    amounts = _amounts(out)
    assert amounts[(LAUNCH, "firm-a/A1")] == ("eligible", 200 * WAN)
    assert amounts[(LAUNCH, "firm-a/A2")] == ("eligible", 150 * WAN)
    assert amounts[(LAUNCH, "firm-a/A3")] == ("eligible", 50 * WAN)  # 1000 − 950 万
    assert amounts[("jjxf_2025_50/7/common_platform", "firm-a/J1")] == ("eligible", 2400 * WAN)
    grants = duckdb.sql(
        "SELECT provision, firm, product, project, amount_fen, year "
        f"FROM '{out / 'grants.parquet'}' ORDER BY provision, product, project"
    ).fetchall()
    assert [(g[0], g[2] or g[3], int(g[4])) for g in grants] == [
        (LAUNCH, "A1", 200 * WAN),
        (LAUNCH, "A2", 150 * WAN),
        (LAUNCH, "A3", 50 * WAN),
        ("jjxf_2025_50/7/common_platform", "J1", 2400 * WAN),
    ]
    # money is BIGINT fen in the files, never DOUBLE
    for table, column in (("decisions", "amount_fen"), ("grants", "amount_fen")):
        described = duckdb.sql(f"DESCRIBE SELECT * FROM '{out / f'{table}.parquet'}'")
        assert dict(r[:2] for r in described.fetchall())[column] == "BIGINT"
    said = capsys.readouterr().out
    assert "read: 1 firms, 3 products, 1 projects" in said
    assert "exact amounts: 2800 万元; grants: 4, 2800 万元" in said  # 200 + 150 + 50 + 2400


def test_grants_go_into_a_store(registry: Path, tmp_path: Path) -> None:
    grants, store = tmp_path / "grants.json", tmp_path / "grants.db"
    args = ["batch", str(POLICY), str(registry), "--out", str(tmp_path / "o"), "--quiet"]
    assert main([*args, "--ledger-out", str(grants)]) == 0
    assert main(["ledger", "init", str(store)]) == 0
    assert main(["ledger", "import", str(store), str(grants), "--policy", str(POLICY)]) == 0
    with policyrules.LedgerStore.open(store, create=False) as opened:
        recorded = {(g.subject, g.amount.fen, g.year) for g in opened.grants()}
    # the whole ledger (issue 9 §3): the registry's ledger table's A0-1..A0-3 (3 × 200 =
    # 600 万元 in 2026) and this run's grants (A3: 1000 − 600 − 200 − 150 = 50 万元 left)
    assert recorded == {
        ("firm-a/A0-1", 200 * WAN, 2026),
        ("firm-a/A0-2", 200 * WAN, 2026),
        ("firm-a/A0-3", 200 * WAN, 2026),
        ("firm-a/A1", 200 * WAN, 2026),
        ("firm-a/A2", 150 * WAN, 2026),
        ("firm-a/A3", 50 * WAN, 2026),
        ("firm-a/J1", 2400 * WAN, None),
    }


def test_batch_equals_one_by_one(policy: policyrules.Policy, result: BatchResult) -> None:
    rows = result.con.execute(
        "SELECT provision, subject, status, amount_fen, amount_kind, missing_facts, "
        "missing_parameters FROM decisions"
    ).fetchall()
    batch = {(r[0], r[1]): (r[2], r[3], r[4], list(r[5]), list(r[6])) for r in rows}
    one = policy.evaluate(policy.load_facts(ROOT / "examples" / "firm-a.yaml"))
    expected = {
        (d.provision, d.subject): (
            d.status,
            None if d.amount is None else d.amount.fen,
            d.amount_kind,
            list(d.missing_facts),
            list(d.missing_parameters),
        )
        for d in one.decisions
    }
    assert len(batch) == len(expected) == len(one.decisions)
    assert batch == expected


def test_parameters_and_the_given_ledger(policy: policyrules.Policy, registry: Path) -> None:
    (registry / "ledger.csv").unlink()
    # Without the table, the --ledger grants count: 2 × 200 万 earlier → A3 keeps 1000 − 400
    # − 200 − 150 = 250 万 room: all three paid in full.
    earlier = [
        {"provision": LAUNCH, "firm": "firm-a", "product": f"A0-{i}", "amount": "200万元",
         "year": 2026}
        for i in (1, 2)
    ]  # fmt: skip
    result = policy.evaluate_batch(registry, ledger=earlier, parameters={})
    try:
        got = dict(
            result.con.execute(
                f"SELECT subject, amount_fen FROM decisions WHERE provision = '{LAUNCH}'"
            ).fetchall()
        )
    finally:
        result.close()
    assert got == {"firm-a/A1": 200 * WAN, "firm-a/A2": 150 * WAN, "firm-a/A3": 200 * WAN}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_other_formats(result: BatchResult, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    result.write(out, fmt)
    assert _amounts(out, fmt)[(LAUNCH, "firm-a/A3")] == ("eligible", 50 * WAN)
    first = (out / f"decisions.{fmt}").read_text(encoding="utf-8").splitlines()[1]
    if fmt == "csv":  # lists as JSON arrays, as the reader takes them
        assert '"[""' in first or ",[]," in first
    else:
        assert isinstance(json.loads(first)["missing_facts"], list)


def test_out_is_replaced_whole_or_refused(result: BatchResult, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result.write(out)
    result.write(out, "csv")
    assert sorted(p.name for p in out.iterdir()) == ["decisions.csv", "grants.csv"]
    (out / "notes.txt").write_text("mine")
    with pytest.raises(TableError) as info:
        result.write(out)
    assert info.value.code == "E631"
    assert "it holds other files (notes.txt)" in str(info.value)
    assert (out / "notes.txt").read_text() == "mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no leftovers


def test_bad_registry_is_a_located_error(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (registry / "firms.csv").write_text("id,nmae\nfirm-a,x\n", encoding="utf-8")
    assert main(["batch", str(POLICY), str(registry), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "firms.csv: column nmae: unknown column of firms" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("size", ["lots", "100000"])
def test_a_memory_limit_duckdb_cannot_read_is_refused(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], size: str
) -> None:
    """``--memory-limit lots`` was DuckDB's ParserException, a traceback and exit 1."""
    args = ["batch", str(POLICY), str(registry), "--out", str(tmp_path / "o")]
    assert main([*args, f"--memory-limit={size}"]) == 2
    err = capsys.readouterr().err
    assert "error[E634]: --memory-limit" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_unknown_format_is_refused(result: BatchResult, tmp_path: Path) -> None:
    with pytest.raises(TableError) as info:
        result.write(tmp_path / "o", "xlsx")
    assert info.value.code == "E632"
    assert not (tmp_path / "o").exists()


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # Under pytest standard error is captured: never a terminal.
    assert wanted() is False
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wanted() is True
    assert wanted(quiet=True) is False
    monkeypatch.setenv("CI", "true")
    assert wanted() is False
    silent = Progress(enabled=False)
    with silent.step("x"):
        pass
    silent.close()
    assert silent.done == 1
    assert silent._thread is None
