"""Finding a clause by a label in Arabic or Chinese numerals, or by a provision's id, and
never silently when two documents have the article (issue 10, hCG: on a policy labelled
``1``-``6``, ``第一条`` and ``一`` found nothing, nor ``sjxf_2026_8/1/little_giant_reward``;
on the shipped policy ``三`` and ``第三条`` named 京医保发（三） without a word of 京经信发
第3条)."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules import PolicyRulesError
from policyrules.cli import main
from policyrules.labels import find_clauses

ROOT = Path(__file__).resolve().parents[2]
BEIJING = ROOT / "policies" / "beijing_2025"

ONE_DOCUMENT = """\
document sj "示例文件"
  number "示经信发〔2026〕8号"

entity firm "企业"
  list firms
  fact revenue: money "营业收入"

clause 1 "小巨人企业奖励"
  quote "给予一次性奖励50万元。"
  award little_giant_reward "小巨人企业一次性奖励"
    for each firm
    eligible when revenue > 0 元
    amount 50 万元

clause 2 "研发投入补助"
  quote "给予补助。"
"""


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(BEIJING)


def _ids(policy: policyrules.Policy, wanted: str) -> list[str]:
    return [cl.id for cl in find_clauses(policy.checked, wanted)]


@pytest.mark.parametrize(
    "label",
    [
        "1",
        "第1条",
        "一",
        "第一条",
        "（一）",
        "示经信发〔2026〕8号 第一条",
        "sj/1/little_giant_reward",
    ],
)
def test_either_numerals_or_a_provision_id_name_the_clause(tmp_path: Path, label: str) -> None:
    """A clause labelled ``1`` of the only document: any numerals of 1, or its provision's
    id as the decisions' JSON prints it."""
    (tmp_path / "sj.rule").write_text(ONE_DOCUMENT, "utf-8")
    assert _ids(policyrules.load(tmp_path), label) == ["sj/1"]


@pytest.mark.parametrize(
    ("label", "clause"),
    [
        ("3", "jjxf_2025_50/3"),  # 京经信发's own numbering
        ("第3条", "jjxf_2025_50/3"),
        ("(三)", "jybf_2025_5/(三)"),  # 京医保发's own numbering
        ("（三）", "jybf_2025_5/(三)"),
        ("十九", "jybf_2025_5/(十九)"),  # one document has a 19th
        ("19", "jybf_2025_5/(十九)"),
        ("京医保发〔2025〕5号 第3条", "jybf_2025_5/(三)"),  # the document named
        ("京经信发〔2025〕50号 三", "jjxf_2025_50/3"),
        ("jjxf_2025_50/3/launch_reward", "jjxf_2025_50/3"),
    ],
)
def test_one_documents_own_numbering_or_document_names_it(
    beijing: policyrules.Policy, label: str, clause: str
) -> None:
    assert _ids(beijing, label) == [clause]


@pytest.mark.parametrize("label", ["三", "第三条", "(3)"])
def test_an_article_of_two_documents_in_neither_numbering_is_ambiguous(
    beijing: policyrules.Policy, label: str
) -> None:
    """E735 naming both, with the spellings that are not ambiguous; never one chosen."""
    with pytest.raises(PolicyRulesError) as err:
        find_clauses(beijing.checked, label)
    (d,) = err.value.diagnostics
    assert d.code == "E735"
    assert d.message == (
        f"clause {label!r} is an article of 2 documents: "
        "京经信发〔2025〕50号 第3条 创新产品上市奖励 (jjxf_2025_50/3) or "
        "京医保发〔2025〕5号 (三) 生物样本库与关键设备攻关 (jybf_2025_5/(三))"
    )
    assert d.hint is not None
    assert "`京经信发〔2025〕50号 第3条`, `京医保发〔2025〕5号 (三)`" in d.hint


def test_explain_says_the_ambiguity(capsys: pytest.CaptureFixture[str]) -> None:
    """The command line exits 2 with the E735 and both clauses."""
    assert main(["explain", str(BEIJING), "第三条"]) == 2
    err = capsys.readouterr().err
    assert "error[E735]: clause '第三条' is an article of 2 documents" in err


def test_the_service_answers_an_ambiguous_article_400_not_404() -> None:
    """hCG: the service turned every E400 of the lookup into 404 E714 ("no clause"), so
    `/v1/clauses/第三条`, an article of both documents, read as if neither had it.  Now it is
    400 E735 naming both."""
    from starlette.testclient import TestClient

    from policyrules.serve import create_app

    with TestClient(create_app(policyrules.load(BEIJING))) as client:
        answer = client.get("/v1/clauses/第三条")
    assert answer.status_code == 400
    (error,) = answer.json()["errors"]
    assert error["code"] == "E735"
    assert "第3条" in error["message"]
