"""The batch refuses every construct it cannot compile yet in one error, each by name (issue
11: "whatever the batch engine cannot compile yet is listed in its refusal message"), every
provision's (issue 10, hCG: the batch named only its first refusal), and `policyrules check
--batch` lists them before any registry exists."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.cli import main

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = ROOT / "policies" / "patterns"


def test_the_patterns_policy_lists_every_refused_award() -> None:
    policy = policyrules.load(PATTERNS)
    with pytest.raises(BatchCompileError) as err:
        compile_batch(policy.checked)
    found = {(d.code, d.message.split(":")[0]) for d in err.value.diagnostics}
    # the four awards paid over time of years.rule in a shape not compiled (E617: yearly,
    # windows, caps per year of payment), research_support's instalments compiled ...
    assert not any(pid == "patterns_years/1/research_support" for _, pid in found)
    for n, award in enumerate(
        [
            "park_rent_subsidy",
            "loan_interest_subsidy",
            "insurance_compensation",
            "digital_service_subsidy",
        ],
        start=2,
    ):
        assert ("E617", f"patterns_years/{n}/{award}") in found
    # ... and nothing else: the exclusive groups (among each award's own project) and the
    # award of the clause 2025 supersedes (as of the batch's as_of) are compiled
    assert ("E618", "patterns_excl_2023/2/smart_retrofit") not in found
    assert {code for code, _ in found} == {"E617"}


# Four refusals in three provisions, two kinds: an award paid yearly with a cap per year of
# its payments (E617 twice, refused before any step is built) written last, and two awards
# `once per firm` for each project (E605, refused while their steps are built). Before hCG
# the batch named only the first E617; before hCJ, only one E617 (at the schedule).
THREE_REFUSED = """\
document t "测试文件"
  valid from 2026-01-01 to 2028-12-31

entity firm "企业"
  list firms
  fact joined_on: date "入驻日期"
  fact rent: money "年度租金"

entity project "项目"
  list projects of firm
  fact cost: money "项目投入"
  fact applied_on: date "申报日期"

clause 1 "项目支持"
  quote "按项目投入的30%给予一次性支持。"
  award project_support "项目支持"
    for each project
    eligible when applied_on in force
    amount 30% of cost
    once per firm

clause 2 "设备补助"
  quote "按项目投入的10%给予一次性补助。"
  award equipment_grant "设备补助"
    for each project
    eligible when applied_on in force
    amount 10% of cost
    once per firm

clause 3 "租金补贴"
  quote "按年度租金的50%给予补贴，补贴三年，每年不超过200万元。"
  award rent_subsidy "租金补贴"
    for each firm
    eligible when joined_on in force
    amount 50% of rent
    cap 200 万元 per firm per year of payment_year()
    paid yearly for 3 years from joined_on
"""


def _write(tmp_path: Path, text: str) -> Path:
    policy = tmp_path / "policy"
    policy.mkdir()
    (policy / "t.rule").write_text(text, "utf-8")
    return policy


def test_every_refusal_of_every_provision_at_once_sorted_by_line(tmp_path: Path) -> None:
    """The batch names every refused construct, each with its code, provision, line and
    hint, sorted by file and line (the E617s found first come last, at their lines: the
    yearly cap and the yearly schedule, two shapes of one award)."""
    policy = policyrules.load(_write(tmp_path, THREE_REFUSED))
    with pytest.raises(BatchCompileError) as err:
        compile_batch(policy.checked)
    found = [
        (d.code, d.message.split(":")[0], d.span.line if d.span else None)
        for d in err.value.diagnostics
    ]
    assert found == [
        ("E605", "t/1/project_support", 20),  # `once per firm`
        ("E605", "t/2/equipment_grant", 28),
        ("E617", "t/3/rent_subsidy", 36),  # `cap … per year of payment_year()`
        ("E617", "t/3/rent_subsidy", 37),  # `paid yearly for 3 years …`
    ]
    for d in err.value.diagnostics:
        assert d.hint is not None
        assert "`policyrules eval POLICY REGISTRY --firm ID`" in d.hint


def test_refusals_of_building_steps_in_two_provisions(tmp_path: Path) -> None:
    """Two refusals met while the provisions' steps are built (E605 twice): both named."""
    two = THREE_REFUSED[: THREE_REFUSED.index('clause 3 "租金补贴"')]
    policy = policyrules.load(_write(tmp_path, two))
    with pytest.raises(BatchCompileError) as err:
        compile_batch(policy.checked)
    assert [d.message.split(":")[0] for d in err.value.diagnostics] == [
        "t/1/project_support",
        "t/2/equipment_grant",
    ]


def test_check_batch_renders_each_refusal_under_its_line(tmp_path: Path) -> None:
    """``Policy.check_batch`` (no registry) raises the refusals with the .rule texts, so
    each renders under its line and a caret, as ``check`` renders a diagnostic; and
    ``evaluate_batch`` raises the same."""
    path = _write(tmp_path, THREE_REFUSED)
    policy = policyrules.load(path)
    with pytest.raises(BatchCompileError) as err:
        policy.check_batch()
    text = err.value.render()
    assert f"{path / 't.rule'}:20:5: error[E605]: t/1/project_support" in text
    assert "   20 |     once per firm\n      |     ^^^^^^^^^^^^^" in text
    assert "   37 |     paid yearly for 3 years from joined_on" in text
    registry = tmp_path / "reg"
    registry.mkdir()
    (registry / "firms.csv").write_text("id,joined_on,rent\nF1,2026-03-01,100万元\n", "utf-8")
    (registry / "projects.csv").write_text(
        "id,firm_id,cost,applied_on\nP1,F1,10万元,2026-04-01\n", "utf-8"
    )
    with pytest.raises(BatchCompileError) as batch:
        policy.evaluate_batch(registry)
    assert batch.value.diagnostics == err.value.diagnostics
    assert batch.value.render() == text


def test_refused_before_the_registry_is_read(tmp_path: Path) -> None:
    """The refusals come before any table is read: a registry that does not exist is not
    reached (docs/cli.md: "refused before anything is read")."""
    policy = policyrules.load(_write(tmp_path, THREE_REFUSED))
    with pytest.raises(BatchCompileError) as err:
        policy.evaluate_batch(tmp_path / "no-such-registry")
    assert len(err.value.diagnostics) == 4


def test_the_hints_command_evaluates_a_refused_firm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command a refusal's hint names, `policyrules eval POLICY REGISTRY --firm ID`,
    evaluates that firm of the same registry one by one."""
    path = _write(tmp_path, THREE_REFUSED)
    registry = tmp_path / "reg"
    registry.mkdir()
    (registry / "firms.csv").write_text("id,joined_on,rent\nF1,2026-03-01,100万元\n", "utf-8")
    (registry / "projects.csv").write_text(
        "id,firm_id,cost,applied_on\nP1,F1,10万元,2026-04-01\n", "utf-8"
    )
    code = main(["eval", str(path), str(registry), "--firm", "F1", "--format", "csv"])
    out = capsys.readouterr().out
    assert code == 0
    # project_support of P1: 30% × 10 万元 = 3 万元 = 3,000,000 fen
    assert "t/1/project_support,award,,1,项目支持,F1/P1,eligible,3000000,30000.00,exact" in out


# -- policyrules check --batch


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_batch_lists_every_refusal_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Each refused construct printed as check prints a diagnostic (file:line:col, the
    line, a caret, the hint naming `eval --firm`), sorted by line, then a count; exit 1."""
    (tmp_path / "t.rule").write_text(THREE_REFUSED, "utf-8")
    code, out, err = _run(capsys, "check", str(tmp_path), "--batch")
    assert code == 1
    assert out.startswith("ok: 1 document(s), 3 clause(s)")  # the policy itself checks
    rule = tmp_path / "t.rule"
    heads = [line for line in err.split("\n") if ": error[E6" in line]
    assert [h.split(": error")[0] for h in heads] == [
        f"{rule}:20:5",
        f"{rule}:28:5",
        f"{rule}:36:5",
        f"{rule}:37:5",
    ]
    assert "   20 |     once per firm\n      |     ^^^^^^^^^^^^^" in err
    assert err.count("= hint: evaluate those firms one at a time: `policyrules eval POLICY") == 4
    assert err.endswith(
        "\nbatch: 4 constructs not compiled to SQL; `policyrules batch` refuses this policy\n"
    )


def test_check_batch_says_every_provision_compiles(capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped policy compiles whole: said on stdout, exit 0; without --batch nothing
    of the batch is said."""
    policy = str(ROOT / "policies" / "beijing_2025")
    code, out, err = _run(capsys, "check", policy, "--batch")
    assert (code, err) == (0, "")
    assert out.split("\n")[1].startswith("batch: every provision compiles to SQL (")
    code, out, _ = _run(capsys, "check", policy)
    assert (code, "batch:" in out) == (0, False)
