"""What a Chinese reader sees of a clause and of a decision: a measure labelled 一 headed
第一条 (as the texts cite 本措施第二条); a tier table's rows, and the row a decision was paid
by; a time limit's subject under 适用于, not 谁可申请; caps and once-only said in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support import run_cli
from tests.zh_site_policy import FIRM, write_policy

import policyrules
from policyrules.labels import shown_label
from policyrules.summary import measure_summary, provision_said, summary_text
from policyrules.vocab import heading_zh, label_en, label_zh

PATTERNS = Path(__file__).resolve().parents[2] / "policies" / "patterns"


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> policyrules.Policy:
    return policyrules.load(write_policy(tmp_path_factory.mktemp("zh") / "shiqu"))


@pytest.mark.parametrize(
    ("label", "zh", "en"),
    [
        ("3", "第3条", "第3条"),
        ("一", "第一条", "第一条"),
        ("二十一", "第二十一条", "第二十一条"),
        ("(十九)", "（十九）", "(十九)"),
        ("（八）", "（八）", "(八)"),
        ("附件", "附件", "附件"),
    ],
)
def test_label_forms_read_alike_in_both_languages(label: str, zh: str, en: str) -> None:
    assert (label_zh(label), label_en(label), shown_label(label)) == (zh, en, en)


def test_a_chinese_numeral_label_is_headed_as_an_article(
    policy: policyrules.Policy, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert heading_zh("示区科发〔2026〕3号", "一", "支持创新药上市") == (
        "示区科发〔2026〕3号 第一条 支持创新药上市"
    )
    folder = write_policy(tmp_path / "p")
    _rc, zh, _ = run_cli(capsys, "explain", folder, "一")
    _rc, en, _ = run_cli(capsys, "explain", folder, "第一条", "--lang", "en")
    assert zh.splitlines()[0] == "示区科发〔2026〕3号 第一条 支持创新药上市"
    assert en.splitlines()[0] == "示区科发〔2026〕3号 第一条 支持创新药上市"
    text = policy.evaluate(FIRM).explain()
    assert "【符合条件】示区科发〔2026〕3号 第一条 1类创新药上市一次性奖励 —— 对象：0701/D1" in text


def test_a_tier_clause_lists_its_rows(policy: policyrules.Policy) -> None:
    clause = policy.checked.clause("sqkf_2026_3/二")
    assert clause is not None
    summary = measure_summary(policy.checked, clause, policy.words)
    assert summary.grants == (
        "资金支持：上一年度营业收入在《营业收入首次突破规模奖励档次》中所在档次对应的金额",
    )
    assert summary.tiers == (
        "达到 1 亿元：50 万元",
        "达到 5 亿元：100 万元",
        "达到 10 亿元：200 万元",
    )
    assert "档次：\n  · 达到 1 亿元：50 万元\n" in summary_text(summary)


def test_a_decision_paid_by_tier_names_its_row_and_the_table(policy: policyrules.Policy) -> None:
    text = policy.evaluate(FIRM).explain()
    block = text[text.index("第二条 规模跃升奖励") :].split("\n\n", 1)[0].splitlines()
    assert block[1:4] == [
        "  金额：100 万元（确定金额）",
        "  所在档次：达到 5 亿元（100 万元）",
        "  档次表：《营业收入首次突破规模奖励档次》达到 1 亿元：50 万元；达到 5 亿元：100 万元；"
        "达到 10 亿元：200 万元",
    ]


def test_below_the_first_tier_no_row_is_named(policy: policyrules.Policy) -> None:
    firm = {"firms": [{**FIRM["firms"][0], "annual_revenue": "5000万元"}]}
    assert "所在档次" not in policy.evaluate(firm).explain()


def test_the_patterns_tier_tables_say_members_and_rates() -> None:
    patterns = policyrules.load(PATTERNS)
    c = patterns.checked
    by_member = measure_summary(c, c.clause("patterns_tiers/2"), patterns.words)  # type: ignore[arg-type]
    rates = measure_summary(c, c.clause("patterns_tiers/3"), patterns.words)  # type: ignore[arg-type]
    assert by_member.tiers == (
        "创新型中小企业：10 万元",
        "市级专精特新中小企业：20 万元",
        "国家级专精特新“小巨人”企业：50 万元",
    )
    assert rates.tiers == ("达到 1000 万元：10%", "达到 5000 万元：15%")
    assert rates.grants[0].endswith("在《研发投入奖励比例》中所在档次对应的比例")


def test_a_time_limit_applies_to_its_subject_nobody_applies_for_it(
    policy: policyrules.Policy,
) -> None:
    clause = policy.checked.clause("sqkf_2026_3/三")
    assert clause is not None
    summary = measure_summary(policy.checked, clause, policy.words)
    assert (summary.who, summary.applies) == ((), ("企业的申报材料",))
    assert summary_text(summary).splitlines()[1:3] == ["适用于：", "  · 企业的申报材料"]
    award = measure_summary(policy.checked, policy.checked.clause("sqkf_2026_3/一"))  # type: ignore[arg-type]
    # the firm applies for each of its drugs (hBF: was 企业的药品品种, the thing paid for)
    assert (award.who, award.applies) == (("企业（按每个药品品种计）",), ())


def test_an_entitlement_applies_to_its_subject() -> None:
    beijing = policyrules.load(Path(__file__).resolve().parents[2] / "policies" / "beijing_2025")
    clause = beijing.checked.clause("jjxf_2025_50/2")
    assert clause is not None
    summary = measure_summary(beijing.checked, clause, beijing.words)
    assert summary.who == ()
    assert summary.applies == ("【临床急需创新医疗器械即收即检】企业的医疗器械产品",)


def test_caps_and_once_only_in_words(policy: policyrules.Policy) -> None:
    clause = policy.checked.clause("sqkf_2026_3/一")
    review = policy.checked.clause("sqkf_2026_3/三")
    assert clause is not None
    assert review is not None
    assert provision_said(policy.words, clause.provisions[0]) == {
        "caps": [
            "单个企业每个年度（按取得药品注册证书日期所在年度计）不超过 1000 万元",
            "每个药品品种只给一次",
        ],
        "deadlines": [],
        "targets": [],
    }
    assert provision_said(policy.words, review.provisions[0])["deadlines"] == [
        "自区科委收到申报材料日期起 15 个工作日内（起算日当日不计入；期满日为休息日的，"
        "顺延至下一个工作日）；以完成审核日期为完成日期"
    ]


def test_the_trace_is_headed_as_the_encodings_words(policy: policyrules.Policy) -> None:
    text = policy.evaluate(FIRM).explain(verbose=True)
    assert "  计算过程（编码原文，英文；sqkf_2026_3/一/class1_reward，award）：" in text
    assert "    ✓ condition: innovative_class1" in text
