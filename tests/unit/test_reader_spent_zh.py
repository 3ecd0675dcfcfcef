"""hBF: an eligible award paid nothing because a cap's room is used up, or because it was
granted in full before, is said so in its head and its amount line; it read 【符合条件】 …
金额：0.00 元（确定金额）, which a reader takes as "qualified, 0 元".  The status stays
``eligible`` (the API is unchanged), and so does the English text (its cap line says BINDS …
to 0.00 元)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.support import run_cli

ROOT = Path(__file__).resolve().parents[2]
REWARD = "第3条 创新医疗器械获批上市一次性奖励 —— 对象：big/"
FIRM_CAP = "单个企业每个年度（按境内获批上市（注册）日期所在年度计）不超过 1000 万元"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("POLICYRULES_LANG", raising=False)


def _six(tmp_path: Path) -> Path:
    """Six products of one firm approved 2026-03-02, 200 万元 decided each (the trial's
    big.json cut to six): 第3条's 1000 万元 firm-year cap holds five, 5 × 200 万 = 1000 万;
    the sixth, P5, is left 1000 万 − 1000 万 = 0.00 元."""
    product = {
        "approved_on": "2026-03-02",
        "launch_routes": ["national_priority_review"],
        "launch_reward_decided": "200万元",
    }
    products = [{"id": f"P{i}", **product} for i in range(6)]
    path = tmp_path / "six.json"
    path.write_text(json.dumps({"firms": [{"id": "big", "products": products}]}), "utf-8")
    return path


def _block(text: str, head: str) -> str:
    (block,) = [b for b in text.split("\n\n") if head in b.split("\n", 1)[0]]
    return block


def test_a_firm_cap_used_up_is_said_spent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = _six(tmp_path)
    code, out, _ = run_cli(capsys, "eval", "policies/beijing_2025", facts)
    assert code == 0
    block = _block(out, REWARD + "P5")
    assert block.startswith("【符合条件，额度已用完】京经信发〔2025〕50号 第3条")
    assert block.split("\n")[1] == (
        f"  金额：0.00 元（本次无可拨付金额：上限“{FIRM_CAP}”的额度已用完）"
    )
    # the five paid before it keep their head (the fast path's text)
    assert _block(out, REWARD + "P4").startswith("【符合条件】")
    assert "0.00 元（确定金额）" not in out
    # said alike from its row (the fast path, texts_zh) and from its decision
    import policyrules
    from policyrules.explain_zh import explain_text_zh, status_zh

    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    read = policy.read_facts(json.loads(facts.read_text("utf-8")))
    made = policy.evaluate(read)
    assert policy.evaluate(read).explain() == explain_text_zh(made, policy.words)
    # the status as `diff` says a decision's outcome (符合条件，额度已用完，0.00 元（确定金额）)
    (p5,) = [d for d in made.decisions if d.subject == "big/P5" and d.kind == "award"
             and d.provision.endswith("launch_reward")]  # fmt: skip
    assert status_zh(p5) == "符合条件，额度已用完"
    code, out, _ = run_cli(capsys, "eval", "policies/beijing_2025", facts, "--json")
    (d,) = [
        d
        for d in json.loads(out)["decisions"]
        if d["subject"] == "big/P5" and d["provision"].endswith("launch_reward")
    ]
    assert (d["status"], d["amount"], d["amount_kind"]) == ("eligible", "0.00", "exact")
    assert d["text_zh"].startswith("【符合条件，额度已用完】")
    code, out, _ = run_cli(capsys, "eval", "--lang", "en", "policies/beijing_2025", facts)
    assert "[ELIGIBLE] 京经信发〔2025〕50号 第3条 · 创新医疗器械获批上市一次性奖励 · big/P5" in out


def test_an_award_granted_in_full_before_is_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """firm-b committed twice: the second run's T1 (decided 500 万元, 500 万元 granted before:
    500 − 500 = 0) and K1 (4000 万 − 3000 万 before = 1000 万, then 50% × 6000 万 = 3000 万 with
    3000 万 used: 0)."""
    facts: dict[str, Any] = yaml.safe_load((ROOT / "examples" / "firm-b.yaml").read_text("utf-8"))
    facts["ledger"] = [
        {"provision": "jjxf_2025_50/7/park", "firm": "firm-b", "project": "K1",
         "amount": "3000万元", "year": 2026},
        {"provision": "jjxf_2025_50/7/pilot_platform", "firm": "firm-b", "project": "T1",
         "amount": "500万元", "year": 2026},
    ]  # fmt: skip
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(facts, allow_unicode=True), "utf-8")
    code, out, _ = run_cli(capsys, "eval", "policies/beijing_2025", path)
    assert code == 0
    pilot = _block(out, "—— 对象：firm-b/T1")
    assert pilot.startswith("【符合条件，此前已获全额】")
    assert pilot.split("\n")[1] == "  金额：0.00 元（本次无可拨付金额：此前已获本项全额）"
    park = _block(out, "—— 对象：firm-b/K1")
    assert park.startswith("【符合条件，额度已用完】")
    assert "上限“不超过总投资额的 50%”的额度已用完" in park


def test_the_clause_reference_titles_a_case_paid_nothing() -> None:
    """A worked case expecting an eligible award of 0元 was titled 符合条件，0.00 元（确定金额）:
    with a cap binding it is said spent, without one (the amount's own arithmetic, a tier
    already paid) as paying nothing this time."""
    import attrs

    import policyrules
    from policyrules.reference import WorkedCase
    from policyrules.sphinxext_cases import case_title

    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    clause = policy.checked.clause("jjxf_2025_50/3")
    assert clause is not None
    exp = {"provision": "jjxf_2025_50/3/launch_reward", "subject": "big/P5",
           "status": "eligible", "amount": "0元", "amount_kind": "exact"}  # fmt: skip
    case = WorkedCase(file="t.yaml", name="spent", facts={}, expect=[exp])
    assert case_title(policy.checked, clause, case) == (
        "P5 符合条件，本次无可拨付金额，0.00 元（确定金额）"
    )
    bound = attrs.evolve(case, expect=[{**exp, "cut": "200万元"}])
    assert case_title(policy.checked, clause, bound) == (
        "P5 符合条件，额度已用完，0.00 元（确定金额），上限核减 200 万元"
    )


def test_many_claims_paid_nothing_are_said_spent_by_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve products as above, under 第3条 alone (the benchmark's policy, whose paid
    claims the generated function says): five paid 200 万元 (5 × 200 万 = 1000 万, the
    firm-year cap), then P05 … P11 left 0.00 元 each.  Their texts are the generated
    function's, which puts in the spent cap's head and amount line itself
    (``PaidZh.spent_lead``: the text is not said paid first, then cut apart), the same as
    the decisions' texts, every one 【符合条件，额度已用完】."""
    import sys

    import policyrules
    from policyrules.backends.python import texts_zh
    from policyrules.explain_zh import explain_text_zh

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from one_by_one_data import measure3_only
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    put: list[bool] = []
    spent_lead = texts_zh.PaidZh.spent_lead

    def counted(self: texts_zh.PaidZh, caps: Any) -> tuple[str, str] | None:
        said = spent_lead(self, caps)
        put.append(said is not None)
        return said

    monkeypatch.setattr(texts_zh.PaidZh, "spent_lead", counted)
    product = {
        "approved_on": "2026-03-02",
        "launch_routes": ["national_priority_review"],
        "other_national_project": False,
        "launch_reward_decided": "200万元",
    }
    products = [{"id": f"P{i:02}", **product} for i in range(12)]
    policy = policyrules.load(measure3_only(ROOT / "policies" / "beijing_2025", str(tmp_path)))
    read = policy.read_facts({"firms": [{"id": "big", "products": products}]})
    fast = policy.evaluate(read).explain()
    assert put == [True] * 7  # P05 … P11, each said by the generated function
    assert fast == explain_text_zh(policy.evaluate(read), policy.words)
    spent = [b for b in fast.split("\n\n") if b.startswith("【符合条件，额度已用完】")]
    assert [b.split("\n", 1)[0].rsplit("/", 1)[1] for b in spent] == [
        f"P{i:02}" for i in range(5, 12)
    ]
    assert all(f"上限“{FIRM_CAP}”的额度已用完" in b.split("\n")[1] for b in spent)
