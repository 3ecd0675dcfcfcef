"""The command line: exit codes, output formats, and no traceback for bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policyrules.cli import main, write_atomic

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_ok(capsys: pytest.CaptureFixture[str]) -> None:
    """`check` on the shipped policy exits 0 and counts what it found."""
    import policyrules

    checked = policyrules.load(POLICY).checked
    expected = f"ok: {len(checked.documents)} document(s), {len(checked.clauses)} clause(s)"
    code, out, _ = run(capsys, "check", str(POLICY))
    assert (code, out.startswith(expected)) == (0, True)


def test_check_finding_exits_1_with_located_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A misspelt fact is a finding: exit 1, file:line:col, caret, hint and clause path."""
    bad = tmp_path / "policy"
    shutil.copytree(POLICY, bad)
    rule = bad / "jjxf-2025-50.rule"
    rule.write_text(
        rule.read_text("utf-8").replace(
            "eligible when approved_on in force", "eligible when aproved_on in force"
        ),
        "utf-8",
    )
    line = 1 + rule.read_text("utf-8").split("\n").index("    eligible when aproved_on in force")
    code, _, err = run(capsys, "check", str(bad))
    assert code == 1
    assert f"jjxf-2025-50.rule:{line}:19: error[E203]: unknown fact 'aproved_on'" in err
    assert "^^^^^^^^^^" in err
    assert "= hint: did you mean 'approved_on'?" in err
    assert "= in: 京经信发〔2025〕50号 > 一 > 3" in err


def test_eval_text_cites_clause_text(capsys: pytest.CaptureFixture[str]) -> None:
    """`eval` prints decisions with the clause number, amount, binding cap and quote."""
    code, out, _ = run(capsys, "eval", str(POLICY), str(FIRM_A))
    assert code == 0
    assert "[ELIGIBLE] 京经信发〔2025〕50号 第3条" in out
    assert "BINDS" in out
    assert "「对承担工业和信息化部揭榜挂帅等国家项目" in out
    assert "Assumptions used:" in out


def test_eval_json_is_exact(capsys: pytest.CaptureFixture[str]) -> None:
    """`eval --json` gives the same decisions as JSON, money as exact 元 text."""
    code, out, _ = run(capsys, "eval", str(POLICY), str(FIRM_A), "--json")
    data = json.loads(out)
    amounts = {d["amount"] for d in data["decisions"] if d["amount"] is not None}
    assert code == 0
    assert all(
        isinstance(a, str) and a.count(".") == 1 and len(a.split(".")[1]) == 2 for a in amounts
    )
    # provenance: what computed the result (issue 13 §6; tests/unit/test_provenance.py)
    assert {"decisions", "grants", "assumptions", "provenance"} == set(data)


def test_eval_set_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    """`--set` gives the open rate: the clause 13 bound becomes an exact amount."""
    code, out, _ = run(
        capsys, "eval", str(POLICY), str(FIRM_A), "--json", "--set", "overseas_support_rate=50%"
    )
    data = json.loads(out)
    overseas = [
        d
        for d in data["decisions"]
        if d["provision"].endswith("overseas_registration") and d["status"] == "eligible"
    ]
    assert code == 0
    assert [d["amount_kind"] for d in overseas] == ["exact"]


def test_eval_bad_facts_exit_2_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A bad date in a facts file: exit 2, the path inside the file, no traceback."""
    facts = tmp_path / "bad.yaml"
    facts.write_text(
        "firms:\n  - id: f\n    products:\n      - id: a\n      - id: b\n"
        "      - id: c\n        approved_on: 2025-13-01\n",
        "utf-8",
    )
    code, _, err = run(capsys, "eval", str(POLICY), str(facts))
    assert code == 2
    assert 'firms[0].products[2].approved_on: not a date: "2025-13-01"' in err
    assert "Traceback" not in err


def test_eval_unknown_parameter_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt parameter name is bad input, with a did-you-mean hint."""
    code, _, err = run(
        capsys, "eval", str(POLICY), str(FIRM_A), "--set", "overseas_suport_rate=50%"
    )
    assert code == 2
    assert "did you mean 'overseas_support_rate'?" in err


def test_eval_missing_file_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A facts file that does not exist is bad input."""
    code, _, err = run(capsys, "eval", str(POLICY), str(tmp_path / "none.yaml"))
    assert (code, "cannot read" in err) == (2, True)


def test_ledger_out_written(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`--ledger-out` writes the grants the result adds, readable as a ledger."""
    out_file = tmp_path / "grants.json"
    code, _, _ = run(capsys, "eval", str(POLICY), str(FIRM_A), "--ledger-out", str(out_file))
    ledger = json.loads(out_file.read_text("utf-8"))["ledger"]
    assert code == 0
    assert ledger
    assert all({"provision", "amount"} <= set(g) for g in ledger)


def test_fmt_check_and_diff(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`fmt --check` exits 1 for a file that would change; `--diff` shows the change;
    neither writes; plain `fmt` rewrites, after which `--check` exits 0."""
    f = tmp_path / "a.rule"
    original = 'parameter r:rate  "x"\n'
    f.write_text(original, "utf-8")
    code_check, _, err = run(capsys, "fmt", "--check", str(f))
    code_diff, out, _ = run(capsys, "fmt", "--diff", str(f))
    unchanged = f.read_text("utf-8")
    code_write, _, _ = run(capsys, "fmt", str(f))
    code_again, _, _ = run(capsys, "fmt", "--check", str(f))
    assert (code_check, code_diff, code_write, code_again) == (1, 1, 0, 0)
    assert "would reformat" in err
    assert '+parameter r: rate "x"' in out
    assert original == unchanged
    assert f.read_text("utf-8") == 'parameter r: rate "x"\n'


def test_fmt_shipped_policy_is_canonical(capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped .rule files are already in canonical form."""
    code, _, _ = run(capsys, "fmt", "--check", str(POLICY))
    assert code == 0


def test_fmt_syntax_error_leaves_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file that does not parse is reported (exit 2) and left as it was."""
    f = tmp_path / "a.rule"
    f.write_text('clause 1 "t" eligible when x\n', "utf-8")
    code, _, err = run(capsys, "fmt", str(f))
    assert (code, "error[E102]" in err) == (2, True)
    assert f.read_text("utf-8") == 'clause 1 "t" eligible when x\n'


def test_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """`schema` prints a JSON Schema that accepts the shipped examples' JSON form."""
    import jsonschema

    code, out, _ = run(capsys, "schema", str(POLICY))
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    good = {
        "firms": [
            {
                "id": "f",
                "products": [
                    {"id": "p", "approved_on": "2025-12-01", "launch_reward_decided": "200 万元"}
                ],
            }
        ]
    }
    bad = {"firms": [{"id": "f", "prodcts": []}]}
    validator = jsonschema.Draft202012Validator(schema)
    assert code == 0
    assert validator.is_valid(good)
    assert not validator.is_valid(bad)


def test_explain_clause(capsys: pytest.CaptureFixture[str]) -> None:
    """`explain` shows a clause's original text, its parameters and its encoding."""
    code, out, _ = run(capsys, "explain", str(POLICY), "13")
    assert code == 0
    assert "原文: 对新通过美国食品药品监督管理局(FDA)" in out
    assert "parameter overseas_support_rate (unset)" in out
    assert "amount overseas_support_rate of registration_cost" in out


def test_explain_with_facts_shows_trace(capsys: pytest.CaptureFixture[str]) -> None:
    """`explain --facts` shows the clause's decisions step by step."""
    code, out, _ = run(capsys, "explain", str(POLICY), "3", "--facts", str(FIRM_A))
    assert (code, "trace:" in out, "✓ condition" in out) == (0, True, True)


def test_explain_unknown_clause(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown clause label is bad input naming the known ones."""
    code, _, err = run(capsys, "explain", str(POLICY), "99")
    assert (code, "jjxf_2025_50/3" in err) == (2, True)


def test_usage_error_exits_2() -> None:
    """An unknown command is a usage error: exit 2."""
    with pytest.raises(SystemExit) as caught:
        main(["bogus"])
    assert caught.value.code == 2


def test_python_dash_m() -> None:
    """`python -m policyrules` runs the same command line."""
    done = subprocess.run(
        [sys.executable, "-m", "policyrules", "check", str(POLICY)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout.startswith("ok:")) == (0, True)


def test_write_atomic_keeps_old_file_on_error(tmp_path: Path) -> None:
    """A write that fails half-way leaves the old file intact and no temporary behind."""

    target = tmp_path / "f.txt"
    target.write_text("old", "utf-8")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text("utf-8") == "old"
    assert [target] == list(tmp_path.iterdir())
