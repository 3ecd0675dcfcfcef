"""Exclusivity and supersession (issue 11 §6): syntax, checks, warnings, evaluation, text."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules import RuleCheckError
from policyrules.backends.sql import compile_batch
from policyrules.cases import case_files, load_case_file
from policyrules.cli import main
from policyrules.errors import RuleSyntaxError
from policyrules.printer import print_module
from policyrules.runtime.money import Money

PATTERNS = Path(__file__).resolve().parents[2] / "policies" / "patterns"

HEAD = """\
entity firm "企业"
  list firms
  fact kind: Kind
  fact cost: money
  fact other_cost: money
  fact ok: bool

enum Kind { a, b }

document d "测试"
  issued 2024-01-01
  valid from 2024-01-01
"""


def _policy(body: str, tmp_path: Path) -> policyrules.Policy:
    (tmp_path / "t.rule").write_text(HEAD + body, encoding="utf-8")
    return policyrules.load(tmp_path)


def _errors(body: str) -> list[str]:
    text = HEAD + body
    with pytest.raises(RuleCheckError) as info:
        policyrules.check([policyrules.parse(text, "t.rule")], texts={"t.rule": text})
    return [d.code for d in info.value.diagnostics]


def _errors_with(later: str) -> list[str]:
    """The codes of checking the two-award file beside a second file holding ``later``."""
    first, second = HEAD + _two(""), later
    modules = [policyrules.parse(first, "t.rule"), policyrules.parse(second, "u.rule")]
    with pytest.raises(RuleCheckError) as info:
        policyrules.check(modules, texts={"t.rule": first, "u.rule": second})
    return [d.code for d in info.value.diagnostics]


def _check(body: str) -> policyrules.model.CheckedPolicy:
    text = HEAD + body
    return policyrules.check([policyrules.parse(text, "t.rule")], texts={"t.rule": text})


TWO = """
clause 1 "一"
  quote "按成本的 10%、20% 给予支持，单个企业不超过 100 万元。"
{stmt}
  award x "甲"
    for each firm
    eligible when ok
    amount 10% × cost
    cap {xcap} per firm

  award y "乙"
    for each firm
    eligible when ok
    amount 20% × cost
    cap {ycap} per firm
"""


def _two(stmt: str, xcap: str = "100 万元", ycap: str = "100 万元") -> str:
    return TWO.format(stmt=stmt, xcap=xcap, ycap=ycap)


# ---- syntax ------------------------------------------------------------------------------


def test_statements_print_back_to_the_same_text() -> None:
    """The printer writes the three statements as the parser reads them (round trip)."""
    text = (
        'document d "t"\n  issued 2025-01-01\n  supersedes old 3\n  supersedes older "(二)"\n\n'
        'clause 1 "c"\n  quote "q"\n  exclusive x, y, z among project keep highest ties by listed\n'
        '  exclusive x, y among firm keep listed\n  cumulative x, y "“可叠加”"\n'
    )
    module = policyrules.parse(text, "t.rule")
    assert print_module(module) == text
    assert policyrules.parse(print_module(module), "t.rule") == module


@pytest.mark.parametrize(
    ("line", "code", "col"),
    [
        ("exclusive x, y among firm keep most", "E123", 34),
        ("exclusive x, y among firm keep highest ties by random", "E124", 50),
        ("exclusive x, y among firm keep listed ties by listed", "E124", 49),
        ("exclusive x, y, x among firm keep highest", "E125", 19),
        ('cumulative y, y "r"', "E125", 17),
    ],
)
def test_misspelt_rules_are_located(line: str, code: str, col: int) -> None:
    """A keep or tie rule that is not one of the two, or an award named twice, is a located
    syntax error."""
    text = f'clause 1 "c"\n  quote "q"\n  {line}\n'
    with pytest.raises(RuleSyntaxError) as info:
        policyrules.parse(text, "t.rule")
    d = info.value.diagnostics[0]
    assert (d.code, d.span.line, d.span.col) == (code, 3, col)


# ---- checks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stmt", "code"),
    [
        ("  exclusive x, z among firm keep highest", "E294"),
        ("  exclusive x, y among frim keep highest", "E295"),
        ('  cumulative x, y "  "', "E289"),
        ('  exclusive x, y among firm keep highest\n  cumulative y, x "r"', "E296"),
    ],
)
def test_statement_errors(stmt: str, code: str) -> None:
    """Unknown awards (E294), entities (E295), an empty reason (E289), both exclusive and
    cumulative (E296)."""
    assert code in _errors(_two(stmt))


def test_a_deadline_is_not_an_award() -> None:
    """Only awards pay: listing a deadline is E294."""
    body = _two("  exclusive x, t among firm keep highest") + (
        "\n  deadline t\n    for each firm\n    due 5 工作日 after 2024-01-01\n"
    )
    assert "E294" in _errors(body)


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("  supersedes nowhere", "E297"),
        ("  supersedes e", "E297"),
        ("  supersedes d 9", "E297"),
    ],
)
def test_supersedes_errors(header: str, code: str) -> None:
    """A document not in the policy, the document itself, a clause it lacks: E297."""
    assert code in _errors_with(f'document e "后"\n  issued 2025-01-01\n{header}\n')


def test_supersedes_needs_a_first_day_and_an_earlier_document() -> None:
    """E298 without valid from or issued; E299 for a document that starts later."""
    assert "E298" in _errors_with('document e "后"\n  supersedes d\n')
    assert "E299" in _errors_with('document e "前"\n  issued 2023-01-01\n  supersedes d\n')


def test_two_awards_on_one_base_warn() -> None:
    """Two awards paying each firm a share of the same cost: W290, a warning, not an error."""
    checked = _check(_two(""))
    assert [(w.code, w.severity) for w in checked.warnings] == [("W290", "warning")]
    assert "x and y both pay for each firm out of firm.cost" in checked.warnings[0].message


@pytest.mark.parametrize(
    "stmt",
    ["  exclusive x, y among firm keep highest", '  cumulative x, y "“可叠加享受”"'],
)
def test_a_statement_silences_the_warning(stmt: str) -> None:
    """An exclusive or cumulative statement between them: no W290."""
    assert _check(_two(stmt)).warnings == ()


def test_disjoint_kinds_or_bases_do_not_warn() -> None:
    """Conditions requiring different enum members, or different bases: no overlap."""
    body = _two("").replace(
        "eligible when ok\n    amount 10%", "eligible when kind = a\n    amount 10%"
    )
    body = body.replace(
        "eligible when ok\n    amount 20%", "eligible when kind = b\n    amount 20%"
    )
    assert _check(body).warnings == ()
    assert _check(_two("").replace("20% × cost", "20% × other_cost")).warnings == ()


def test_check_strict_fails_on_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`check` prints a warning and exits 0; `check --strict` exits 1."""
    (tmp_path / "t.rule").write_text(HEAD + _two(""), encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "warning[W290]" in err
    assert main(["check", "--strict", str(tmp_path)]) == 1


def test_beijing_has_no_exclusivity_warning() -> None:
    """The Beijing documents say nothing on overlap, and no two awards pay for one thing."""
    checked = policyrules.load(PATTERNS.parent / "beijing_2025").checked
    assert [w.code for w in checked.warnings] == []


# ---- evaluation --------------------------------------------------------------------------


@given(
    cost=st.integers(min_value=0, max_value=10**10),
    xcap=st.integers(min_value=0, max_value=10**9),
    ycap=st.integers(min_value=0, max_value=10**9),
)
def test_keep_highest_pays_the_highest_only(cost: int, xcap: int, ycap: int) -> None:
    """Whatever the cost and caps (fen): the award listed first is paid when its amount is at
    least the other's, the other then not eligible, and the reverse; the amount paid is
    max(min(10% × cost, xcap), min(20% × cost, ycap)) exactly."""
    pol = _POLICIES.setdefault((xcap, ycap), _caps_policy(xcap, ycap))
    facts = {"firms": [{"id": "f", "ok": True, "cost": f"{Decimal(cost) / 100} 元"}]}
    got = {d.provision.rsplit("/", 1)[-1]: d for d in pol.evaluate(facts).decisions}
    x = min(cost // 10, xcap)  # 10% rounded down to the fen, then the cap
    y = min(cost // 5, ycap)
    winner, loser = ("x", "y") if x >= y else ("y", "x")
    assert got[winner].status == "eligible"
    assert got[winner].amount == Money(max(x, y))
    assert got[winner].amount_kind == "exact"
    assert got[loser].status == "not_eligible"
    assert got[loser].exclusivity is not None
    assert got[loser].exclusivity.other_amount == Money(max(x, y))


_POLICIES: dict[tuple[int, int], policyrules.Policy] = {}


def _caps_policy(xcap: int, ycap: int) -> policyrules.Policy:
    import tempfile

    folder = Path(tempfile.mkdtemp())
    body = _two(
        "  exclusive x, y among firm keep highest ties by listed",
        f"{Decimal(xcap) / 100} 元",
        f"{Decimal(ycap) / 100} 元",
    )
    return _policy(body, folder)


def test_keep_listed_pays_the_first_eligible(tmp_path: Path) -> None:
    """`keep listed`: x listed first is paid although y's amount is higher; x unknown makes
    y at most."""
    body = _two("  exclusive x, y among firm keep listed").replace(
        "eligible when ok\n    amount 10%", "eligible when kind = a\n    amount 10%"
    )
    pol = _policy(body, tmp_path)
    both = {"firms": [{"id": "f", "ok": True, "kind": "a", "cost": "100 万元"}]}
    got = {d.provision.rsplit("/", 1)[-1]: d for d in pol.evaluate(both).decisions}
    assert (got["x"].status, got["x"].amount) == ("eligible", Money(10_000_000))  # 10% × 100 万
    assert got["y"].status == "not_eligible"  # 20% × 100 万 = 20 万, but x comes first
    open_ = {"firms": [{"id": "f", "ok": True, "cost": "100 万元"}]}
    result = pol.evaluate(open_)
    got = {d.provision.rsplit("/", 1)[-1]: d for d in result.decisions}
    assert got["x"].status == "unknown"
    assert (got["y"].amount, got["y"].amount_kind) == (Money(20_000_000), "up_to")
    assert result.grants == ()


def _exclusive_cases() -> list[object]:
    pol = policyrules.load(PATTERNS)
    out = []
    for path in case_files([PATTERNS / "cases"]):
        if path.name.startswith("exclusive-"):
            for case in load_case_file(path, pol.checked).cases:
                out.append(pytest.param(case, id=f"{path.name}::{case.name}"))
    return out


@pytest.mark.parametrize("case", _exclusive_cases())
def test_fast_and_general_paths_agree(case: object) -> None:
    """The worked cases decided without explanations (fast and fused paths where they serve)
    and with them (the general path) agree, and no member of a group is fused."""
    pol = policyrules.load(PATTERNS)
    bound = pol.checked.exclusivity.bound()
    assert not bound & set(pol.compiled.fused)
    assert not bound & set(pol.compiled.fast)
    facts = pol.read_facts(case.facts)  # type: ignore[attr-defined]
    ledger = facts.extra.get("ledger", [])

    def key(r: policyrules.Result) -> list[tuple[object, ...]]:
        return sorted(
            (d.provision, d.subject, d.status, d.amount, d.amount_kind, d.exclusivity)
            for d in r.decisions
        )

    fast = pol.evaluate(facts, ledger=ledger, explain=False)
    general = pol.evaluate(facts, ledger=ledger, explain=True)
    assert key(fast) == key(general)
    assert fast.grants == general.grants


def test_json_and_texts_say_who_won() -> None:
    """JSON's `exclusivity` keys; the Chinese text names the winner and its amount; the English
    one too."""
    pol = policyrules.load(PATTERNS)
    facts = {
        "as_of": "2024-12-31",
        "firms": [
            {
                "id": "f1",
                "projects": [
                    {
                        "id": "P1",
                        "retrofit_equipment": "1000万元",
                        "smart_recognised": True,
                        "smart_recognised_on": "2024-06-01",
                    }
                ],
            }
        ],
    }
    result = pol.evaluate(facts)
    data = json.loads(json.dumps(result.to_json()))
    lost = next(
        d for d in data["decisions"] if d["provision"] == "patterns_excl_2023/1/retrofit_grant"
    )
    assert lost["exclusivity"] == {
        "outcome": "not_paid",
        "rule": "keep highest ties by listed",
        "clause": "patterns_excl_2023/2",
        "other": "patterns_excl_2023/2/smart_retrofit",
        "other_amount": "1500000.00",  # 15% × 1000 万
        "other_kind": "exact",
        "ledger": False,
        "since": None,
    }
    zh = result.explain(lang="zh")
    assert "不重复支持（按照就高原则，金额相同的按排列在前的一项）" in zh
    assert "第2条“智能化改造奖励”支持（150 万元（确定金额）），本项不予支持" in zh
    en = result.explain(lang="en")
    assert "exclusive (keep highest ties by listed, clause patterns_excl_2023/2): paid" in en


def test_the_batch_compiles_both_documents() -> None:
    """The guide's two documents compile to SQL whole: the exclusive groups (among each
    award's own project) and the clause 2025 supersedes, as of the batch's as_of (or
    unknown, E424, without one: tests/unit/test_batch_superseded.py)."""
    import attrs

    whole = policyrules.load(PATTERNS).checked
    mine = tuple(c for c in whole.clauses if c.document.startswith("patterns_excl"))
    checked = attrs.evolve(whole, clauses=mine)
    for as_of in (None, dt.date(2024, 12, 31), dt.date(2025, 1, 1)):
        assert compile_batch(checked, as_of=as_of).steps


def test_editors_show_the_warning_as_a_warning() -> None:
    """The language server maps W290 to the protocol's Warning severity."""
    from lsprotocol import types as lsp

    from policyrules.lsp.diagnostics import to_lsp

    warning = _check(_two("")).warnings[0]
    shown = to_lsp(warning, HEAD + _two(""), "utf-16")
    assert (shown.code, shown.severity) == ("W290", lsp.DiagnosticSeverity.Warning)
