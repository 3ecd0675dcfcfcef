"""What-if (issue 13 §7): ``policyrules diff`` and :func:`policyrules.diff.what_if` on the
example firms, and over a registry through the batch engine.

Worked by hand (京经信发〔2025〕50号, examples/*.yaml):

* firm-a, 第13条 A1: registration cost 120 万元, rate 一定支持 open → up to 100 万 (the
  per-product cap).  ``--set overseas_support_rate=50%``: 50% × 120 万 = 60 万 ≤ 100 万 →
  60 万 exact.  Exact total 200 + 150 + 50 + 2400 = 2800 万 → 2860 万 (+60 万); upper bounds
  2800 + 100 = 2900 万 → 2860 万 (−40 万).
* firm-a, ``--assume annual_cap_year=decision``: the 1000 万 firm-year cap of 第3条 is then
  placed by the reward's decision date, which firm-a does not give, so each launch reward is
  only bounded by its own decided amount: A1 up to 200 万, A2 up to 150 万, A3 up to 200 万
  (no longer cut to 50 万).  Exact 2800 → 2400 万 (−400 万: 200 + 150 + 50 leave); upper
  bounds 2900 → 2400 + 100 + 200 + 150 + 200 = 3050 万 (+150 万).
* firm-c, 第6条 rd_reward: rate 一定比例 open → up to 1000 万.  At 10%: 10% × 8000 万 = 800 万
  exact (exact 5400 → 6200 万, upper 5400 + 1000 = 6400 → 6200 万, −200 万); at 20%:
  1600 万, the 1000 万 cap binds → 1000 万 exact (exact +1000 万, upper bounds unchanged).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
import pytest

import policyrules
from policyrules.diff import Outcome, compare, what_if
from policyrules.diff_batch import what_if_batch
from policyrules.provenance import provenance
from policyrules.runtime.money import Money
from support import BEIJING, ROOT, WAN, run_cli

FIRM_A = ROOT / "examples" / "firm-a.yaml"
FIRM_C = ROOT / "examples" / "firm-c.yaml"
OVERSEAS = "jjxf_2025_50/13/overseas_registration"
LAUNCH = "jjxf_2025_50/3/launch_reward"


@pytest.fixture(autouse=True)
def _text_in_english_by_option(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text tests here ask for English (``--lang en``), its words unchanged since it was
    the only text; none depends on the caller's ``POLICYRULES_LANG``."""
    monkeypatch.delenv("POLICYRULES_LANG", raising=False)


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(BEIJING)


def _wan(n: int) -> Money:
    return Money(n * WAN)


def test_an_open_rate_set_turns_up_to_into_exact(policy: policyrules.Policy) -> None:
    facts = policy.load_facts(FIRM_A)
    result = what_if(policy, facts, parameters={"overseas_support_rate": "50%"})
    (change,) = result.changes
    assert (change.provision, change.subject) == (OVERSEAS, "firm-a/A1")
    assert change.before == Outcome("eligible", _wan(100), "up_to")
    assert change.after == Outcome("eligible", _wan(60), "exact")  # 50% × 120 万
    assert (result.before.exact, result.after.exact) == (_wan(2800), _wan(2860))
    assert (result.before.upper, result.after.upper) == (_wan(2900), _wan(2860))


def test_an_assumption_changes_three_decisions(policy: policyrules.Policy) -> None:
    facts = policy.load_facts(FIRM_A)
    result = what_if(policy, facts, assumptions={"annual_cap_year": "decision"})
    got = {(c.subject, c.after) for c in result.changes if c.provision == LAUNCH}
    assert got == {
        ("firm-a/A1", Outcome("eligible", _wan(200), "up_to")),
        ("firm-a/A2", Outcome("eligible", _wan(150), "up_to")),
        ("firm-a/A3", Outcome("eligible", _wan(200), "up_to")),
    }
    assert len(result.changes) == 3
    assert result.after.exact - result.before.exact == _wan(-400)
    assert result.after.upper - result.before.upper == _wan(150)


def test_a_bracketed_label_is_written_as_the_document_prints_it(
    policy: policyrules.Policy,
) -> None:
    """A change of 京医保发〔2025〕5号（十九） is named so, full-width and no space, as every
    Chinese text names it; not 5号 (十九)."""
    decisions = policy.evaluate(policy.load_facts(ROOT / "examples" / "drugmaker-d.yaml")).decisions
    labels = {c.label for c in compare((), decisions).changes}
    assert "京医保发〔2025〕5号（十九）" in labels
    assert not [label for label in labels if "(" in label]
    firm_a = policy.evaluate(policy.load_facts(FIRM_A)).decisions
    assert "京经信发〔2025〕50号 第3条" in {c.label for c in compare((), firm_a).changes}


def test_nothing_changes_when_the_value_is_the_default(policy: policyrules.Policy) -> None:
    facts = policy.load_facts(FIRM_A)
    result = what_if(policy, facts, assumptions={"annual_cap_year": "approval"})
    assert result.changes == ()
    assert result.before == result.after
    assert result.text().startswith("no decision changes\n")


def test_cli_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "diff", BEIJING, FIRM_C, "--set", "rd_reward_rate=10%", "--lang", "en"
    )
    assert code == 0
    assert out == (
        "京经信发〔2025〕50号 第6条 rd_reward · firm-c: eligible, up to 1000 万元 → "
        "eligible, 800 万元 (exact)\n"
        "\n"
        "1 of 36 decision(s) change\n"
        "exact amounts: 5400 万元 → 6200 万元 (+800 万元)\n"
        "upper bounds: 6400 万元 → 6200 万元 (-200 万元)\n"
    )


def test_cli_json_when_the_cap_binds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "diff", BEIJING, FIRM_C, "--set", "rd_reward_rate=20%", "--format", "json"
    )
    data = json.loads(out)
    assert (code, data["changed"]) == (0, 1)
    # 20% × 8000 万 = 1600 万 > 1000 万: the cap binds, the bound becomes the amount
    assert data["changes"][0]["after"] == {
        "status": "eligible",
        "amount": "10000000.00",
        "amount_fen": 1000 * WAN,
        "amount_kind": "exact",
    }
    assert data["totals"]["exact"]["delta_fen"] == 1000 * WAN
    assert data["totals"]["upper"]["delta"] == "0.00"
    # the options of the second run, as eval --json records its own
    assert data["provenance"]["options"]["parameters"] == {"rd_reward_rate": "20%"}


def test_cli_csv_and_jsonl(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("diff", BEIJING, FIRM_A, "--set", "overseas_support_rate=50%")
    _, out, _ = run_cli(capsys, *args, "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["amount_fen_before"], row["amount_yuan_after"], row["amount_kind_after"]) == (
        str(100 * WAN),
        "600000.00",
        "exact",
    )
    _, out, _ = run_cli(capsys, *args, "--format", "jsonl")
    (line,) = out.splitlines()
    assert json.loads(line)["after"]["amount_fen"] == 60 * WAN


def test_cli_refusals(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "diff", BEIJING, FIRM_A)
    assert (code, "error[E730]" in err) == (2, True)
    code, _, err = run_cli(
        capsys, "diff", BEIJING, FIRM_A, "--set", "overseas_support_rate=50%", "--out", "x.csv"
    )
    assert (code, "error[E733]" in err) == (2, True)
    code, _, err = run_cli(capsys, "diff", BEIJING, FIRM_A, "--set", "no_such=1")
    assert (code, "no_such" in err) == (2, True)


# firm-a's A1 alone, as a registry: 第3条 200 万 exact (600 万 earlier grants are not in it,
# so the firm-year cap does not bind), 第13条 up to 100 万.
REGISTRY = {
    "firms.csv": "id,name\nfirm-a,北京甲医疗器械有限公司\n",
    "products.csv": (
        "id,firm_id,approved_on,launch_routes,launch_reward_decided,clinically_urgent,"
        "overseas_authority,overseas_approved_on,overseas_sales,registration_cost\n"
        'A1,firm-a,2026-03-02,"[""national_priority_review""]",200万元,true,FDA,2026-07-15,'
        "true,120万元\n"
    ),
}


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    folder = tmp_path / "registry"
    folder.mkdir()
    for name, text in REGISTRY.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_batch_what_if(policy: policyrules.Policy, registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "changed.parquet"
    result = what_if_batch(policy, registry, parameters={"overseas_support_rate": "50%"}, out=out)
    (row,) = result.provisions
    assert (row.provision, row.changed) == (OVERSEAS, 1)
    # exact 200 → 200 + 60 = 260 万; upper bounds 200 + 100 = 300 → 260 万
    assert (result.total.before.exact, result.total.after.exact) == (_wan(200), _wan(260))
    assert (result.total.before.upper, result.total.after.upper) == (_wan(300), _wan(260))
    rows = duckdb.sql(
        f"SELECT provision, subject, amount_fen_before, amount_kind_before, amount_fen_after, "
        f"amount_kind_after FROM '{out}'"
    ).fetchall()
    assert rows == [(OVERSEAS, "firm-a/A1", 100 * WAN, "up_to", 60 * WAN, "exact")]
    described = dict(r[:2] for r in duckdb.sql(f"DESCRIBE SELECT * FROM '{out}'").fetchall())
    assert described["amount_fen_after"] == "BIGINT"  # fen, never DOUBLE


def test_batch_agrees_with_one_by_one(policy: policyrules.Policy, registry: Path) -> None:
    """The registry's totals are those of the same firm as a facts file."""
    batch = what_if_batch(policy, registry, assumptions={"annual_cap_year": "decision"})
    facts = {
        "firms": [
            {
                "id": "firm-a",
                "products": [
                    {
                        "id": "A1",
                        "approved_on": "2026-03-02",
                        "launch_routes": ["national_priority_review"],
                        "launch_reward_decided": "200万元",
                        "clinically_urgent": True,
                        "overseas_authority": "FDA",
                        "overseas_approved_on": "2026-07-15",
                        "overseas_sales": True,
                        "registration_cost": "120万元",
                    }
                ],
            }
        ]
    }
    single = what_if(policy, facts, assumptions={"annual_cap_year": "decision"})
    assert batch.total.changed == len(single.changes) == 1  # A1's launch reward → up_to
    assert (batch.total.before, batch.total.after) == (single.before, single.after)


def test_cli_batch(capsys: pytest.CaptureFixture[str], registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "changed.csv"
    args = ("diff", BEIJING, registry, "--set", "overseas_support_rate=50%")
    code, text, _ = run_cli(capsys, *args, "--out", out, "--lang", "en")
    assert code == 0
    lines = text.splitlines()
    assert lines[:2] == [f"{OVERSEAS}: 1 of 1 change; exact +60 万元, upper bounds -40 万元", ""]
    assert re.fullmatch(r"1 of \d+ decision\(s\) change", lines[2])
    assert lines[3:] == [
        "exact amounts: 200 万元 → 260 万元 (+60 万元)",
        "upper bounds: 300 万元 → 260 万元 (-40 万元)",
        f"changed rows written to {out}",
    ]
    (row,) = csv.DictReader(io.StringIO(out.read_text("utf-8")))
    assert (row["amount_fen_before"], row["amount_fen_after"]) == (str(100 * WAN), str(60 * WAN))
    code, text, _ = run_cli(capsys, *args, "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(text))
    assert (row["provision"], row["exact_delta_fen"], row["upper_delta_yuan"]) == (
        OVERSEAS,
        str(60 * WAN),
        "-400000.00",
    )
    code, _, err = run_cli(capsys, *args, "--out", tmp_path / "changed.txt")
    assert (code, "error[E731]" in err) == (2, True)


def test_batch_summary_as_json(
    capsys: pytest.CaptureFixture[str], registry: Path, tmp_path: Path
) -> None:
    """``batch --summary-format json`` (``--format`` names the files' format): the registry's
    exact total is A1's launch reward, 200 万元 (第13条 is only up to 100 万, not counted)."""
    out = tmp_path / "out"
    code, text, _ = run_cli(
        capsys, "batch", BEIJING, registry, "--out", out, "--summary-format", "json"
    )
    summary = json.loads(text)
    assert code == 0
    assert (summary["out"], summary["grants"]) == (str(out), 1)
    assert (summary["exact_fen"], summary["exact_yuan"]) == (200 * WAN, "2000000.00")
    assert summary["inputs"]["products"] == 1
    # the batch is reproducible as eval is: the same policy digest and the options used
    made = summary["provenance"]
    assert made["policy"] == provenance(policyrules.load(BEIJING))["policy"]
    assert made["options"] == {"as_of": None, "parameters": {}, "assumptions": {}}
    code, text, _ = run_cli(
        capsys,
        "batch",
        BEIJING,
        registry,
        "--out",
        tmp_path / "o2",
        "--summary-format",
        "json",
        "--set",
        "overseas_support_rate=50%",
    )
    assert json.loads(text)["provenance"]["options"]["parameters"] == {
        "overseas_support_rate": "50%"
    }


def test_cli_batch_from_a_duckdb_file(
    capsys: pytest.CaptureFixture[str], registry: Path, tmp_path: Path
) -> None:
    """A DuckDB database is known by its header, whatever its name: the same registry as
    tables in ``reg.db`` gives the same per-provision row (exact +60 万, upper −40 万)."""
    db = tmp_path / "reg.db"
    with duckdb.connect(str(db)) as con:
        for name in REGISTRY:
            table = name.removesuffix(".csv")
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{registry / name}')")
    args = ("diff", BEIJING, db, "--set", "overseas_support_rate=50%", "--format", "jsonl")
    code, out, _ = run_cli(capsys, *args)
    (line,) = out.splitlines()
    row = json.loads(line)
    assert (code, row["provision"], row["changed"]) == (0, OVERSEAS, 1)
    assert (row["exact"]["delta_fen"], row["upper"]["delta_fen"]) == (60 * WAN, -40 * WAN)


def test_cli_batch_in_chinese(
    capsys: pytest.CaptureFixture[str], registry: Path, tmp_path: Path
) -> None:
    """The registry's report in Chinese (the default, or ``POLICYRULES_LANG=zh`` over
    ``--lang``'s absence): 第13条 headed as the letter heads its decisions; exact 200 → 260
    万元, upper bounds 300 → 260 万元; JSON's ``text_zh`` on each provision and the whole."""
    out = tmp_path / "changed.csv"
    args = ("diff", BEIJING, registry, "--set", "overseas_support_rate=50%")
    code, text, _ = run_cli(capsys, *args, "--out", out)
    assert code == 0
    lines = text.splitlines()
    row = (
        "京经信发〔2025〕50号 第13条 境外上市注册申请成本支持：1 项决定中 1 项有变化；"
        "确定金额增加 60 万元，最高金额减少 40 万元"
    )
    assert lines[:2] == [row, ""]
    assert re.fullmatch(r"共 \d+ 项决定，其中 1 项有变化", lines[2])
    assert lines[3:] == [
        "确定金额合计：200 万元 → 260 万元（增加 60 万元）",
        "最高金额合计：300 万元 → 260 万元（减少 40 万元）",
        f"有变化的决定已写入 {out}",
    ]
    _, english, _ = run_cli(capsys, *args, "--lang", "en")
    assert english.startswith(f"{OVERSEAS}: 1 of 1 change; exact +60 万元")
    _, data, _ = run_cli(capsys, *args, "--format", "json")
    summary = json.loads(data)
    assert summary["provisions"][0]["text_zh"] == row
    assert summary["text_zh"] == text.replace(f"\n有变化的决定已写入 {out}", "")
    _, line, _ = run_cli(capsys, *args, "--format", "jsonl")
    assert "text_zh" not in json.loads(line)


def test_a_registry_and_a_facts_file_name_and_write_amounts_alike(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The registry's changed rows (``--out``) name the amount in fen as the facts file's
    rows (``--format csv``) and eval (``amount_fen``) do; and the totals of the same firm are
    written by one rule either way (cn_texts: a line's amounts in one unit, 元 unless every
    one is a whole number of 万元)."""
    folder = tmp_path / "registry"
    folder.mkdir()
    for name, text in REGISTRY.items():  # A1's registration cost 120.5 万元, not 120 万元
        (folder / name).write_text(text.replace(",120万元", ",120.5万元"), encoding="utf-8")
    product = {
        "id": "A1",
        "approved_on": "2026-03-02",
        "launch_routes": ["national_priority_review"],
        "launch_reward_decided": "200万元",
        "clinically_urgent": True,
        "overseas_authority": "FDA",
        "overseas_approved_on": "2026-07-15",
        "overseas_sales": True,
        "registration_cost": "120.5万元",
    }
    facts = tmp_path / "firm.json"
    facts.write_text(json.dumps({"firms": [{"id": "firm-a", "products": [product]}]}), "utf-8")
    out = tmp_path / "changed.csv"
    args = ("--set", "overseas_support_rate=50%", "--lang", "en")
    code, over_registry, _ = run_cli(capsys, "diff", BEIJING, folder, *args, "--out", out)
    assert code == 0
    code, rows, _ = run_cli(capsys, "diff", BEIJING, facts, *args, "--format", "csv")
    assert code == 0
    (changed,) = csv.DictReader(io.StringIO(out.read_text("utf-8")))
    (row,) = csv.DictReader(io.StringIO(rows))
    shared = {"provision", "subject", *(f"amount_fen_{w}" for w in ("before", "after"))}
    assert shared <= set(changed) & set(row)
    assert {k: changed[k] for k in shared} == {k: row[k] for k in shared}
    # 50% × 120.5 万元 = 60.25 万元 = 602,500.00 元 exact, under the 100 万元 cap.  Exact:
    # 200 万元 → 260.25 万元; upper bounds: 200 + 100 = 300 万元 → 260.25 万元 (-39.75 万元);
    # 260.25 万元 is no whole number of 万元, so each line is in 元.
    totals = [
        "exact amounts: 2,000,000.00 元 → 2,602,500.00 元 (+602,500.00 元)",
        "upper bounds: 3,000,000.00 元 → 2,602,500.00 元 (-397,500.00 元)",
    ]
    assert over_registry.splitlines()[3:5] == totals
    code, one_firm, _ = run_cli(capsys, "diff", BEIJING, facts, *args)
    assert one_firm.splitlines()[-2:] == totals
