"""Ledger files (YAML/JSON interchange) are checked as strictly as facts, with file:line:col.

Policy: 京经信发〔2025〕50号 第3条 launch_reward: once per product, cap 200 万元 per product,
cap 1000 万元 per firm per year.  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import policyrules
from policyrules import FactsError, Grant, Ledger, LedgerError, Money
from policyrules.ledger_io import dump_ledger, grant_keys

ROOT = Path(__file__).resolve().parents[2]
REWARD = "jjxf_2025_50/3/launch_reward"


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


G = "  - provision: jjxf_2025_50/3/launch_reward\n"

# (name, file text, code, "line:col", words in the message)
BAD = [
    (
        "the issue's grant without firm",
        "ledger:\n" + G + "    product: A1\n    amount: 200万元\n    year: 2026\n",
        "E322",
        "2:5",
        "no `firm`",
    ),
    (
        "a grant naming only the firm of a once-per-product award",
        "ledger:\n" + G + "    firm: f1\n    amount: 200万元\n    year: 2026\n",
        "E322",
        "2:5",
        "no `product`: jjxf_2025_50/3/launch_reward is keyed by once per product",
    ),
    (
        "unknown provision",
        "ledger:\n  - provision: jjxf_2025_50/3/launch_rewad\n    firm: f1\n    amount: 1\n",
        "E321",
        "2:16",
        "did you mean",
    ),
    (
        "a deadline is not an award",
        "ledger:\n  - {provision: nmpa_2025_5/6/review_deadline, firm: f1, amount: 1}\n",
        "E321",
        "2:17",
        "unknown provision",
    ),
    (
        "negative amount",
        "ledger:\n" + G + "    firm: f1\n    product: P1\n    amount: -1\n    year: 2026\n",
        "E324",
        "5:13",
        "cannot be negative",
    ),
    (
        "no amount",
        "ledger:\n" + G + "    firm: f1\n    product: P1\n    year: 2026\n",
        "E324",
        "2:5",
        "no `amount`",
    ),
    (
        "no year under a yearly cap",
        "ledger:\n" + G + "    firm: f1\n    product: P1\n    amount: 1\n",
        "E325",
        "2:5",
        "no `year`",
    ),
    (
        "year out of range",
        "ledger:\n" + G + "    firm: f1\n    product: P1\n    amount: 1\n    year: 0\n",
        "E325",
        "6:11",
        "from 1 to 9999",
    ),
    (
        "unknown key",
        "ledger:\n" + G + "    firm: f1\n    prodcut: P1\n    amount: 1\n    year: 2026\n",
        "E323",
        "4:5",
        "did you mean 'product'?",
    ),
    (
        "listed twice",
        "ledger:\n" + (G + "    firm: f1\n    product: P1\n    amount: 1\n    year: 2026\n") * 2,
        "E326",
        "7:5",
        "listed twice (also at ledger[0])",
    ),
    ("an empty file", "", "E320", "1:1", "empty ledger file"),
    ("a file of comments", "# nothing yet\n", "E320", "1:1", "empty ledger file"),
    ("ledger: null", "ledger:\n", "E320", "1:8", "write `ledger: []`"),
    ("not a list", "ledger: {provision: x}\n", "E320", "1:9", "a list of grants"),
    ("another top key", "ledger: []\nfirms: []\n", "E320", "2:1", "holds only `ledger:`"),
]


@pytest.mark.parametrize(("name", "text", "code", "where", "words"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_ledger_file_is_refused_at_its_place(
    beijing: policyrules.Policy,
    tmp_path: Path,
    name: str,
    text: str,
    code: str,
    where: str,
    words: str,
) -> None:
    """Each kind of bad grant is an error with its code, naming the file, line and column,
    with a hint."""
    f = tmp_path / "l.yaml"
    f.write_text(text, "utf-8")
    with pytest.raises(LedgerError) as info:
        beijing.load_ledger(f)
    err = info.value
    assert err.code == code
    shown = str(err)
    assert words in shown
    assert shown.startswith(f"{f}:{where}: error[{code}]")
    assert err.diagnostics[0].hint


def test_the_same_faults_in_a_facts_files_ledger(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """A facts file's own ``ledger:`` gets the same checks, located in the facts file;
    ``ledger: null`` there is refused too (write ``ledger: []``)."""
    f = tmp_path / "facts.yaml"
    f.write_text("firms: []\nledger:\n" + G + "    product: A1\n    amount: 1\n    year: 2026\n")
    with pytest.raises(LedgerError) as info:
        beijing.load_facts(f)
    assert str(info.value).startswith(f"{f}:3:5: error[E322]")
    f.write_text("firms: []\nledger:\n", "utf-8")
    with pytest.raises(LedgerError) as info:
        beijing.load_facts(f)
    assert str(info.value).startswith(f"{f}:2:8: error[E320]")
    f.write_text("firms: []\nledger: []\n", "utf-8")
    assert beijing.load_facts(f).extra["ledger"] == []


def test_the_issues_firmless_grant_no_longer_pays_the_award_again(
    beijing: policyrules.Policy,
) -> None:
    """``{provision: …/launch_reward, product: A1, amount: 200万元, year: 2026}`` matched
    nothing, so A1's one-time award was paid again with exit 0.  Now it is refused; with
    the firm named, A1 is not eligible again."""
    facts = {
        "firms": [
            {
                "id": "f1",
                "products": [
                    {
                        "id": "A1",
                        "approved_on": "2026-03-01",
                        "launch_routes": ["national_priority_review"],
                        "launch_reward_decided": "200万元",
                    }
                ],
            }
        ]
    }
    grant = {"provision": REWARD, "product": "A1", "amount": "200万元", "year": 2026}
    with pytest.raises(LedgerError) as info:
        beijing.evaluate(facts, ledger=[grant])
    assert info.value.code == "E322"
    result = beijing.evaluate(facts, ledger=[{**grant, "firm": "f1"}])
    d = next(d for d in result.decisions if d.provision == REWARD)
    assert (d.status, result.grants) == ("not_eligible", ())


def test_an_id_in_a_yaml_ledger_is_the_text_as_written(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """``product: 0701`` in a YAML ledger is product "0701" (YAML 1.1 would read octal 449),
    so the one-time award of product "0701" from JSON facts is not paid again."""
    ledger = tmp_path / "l.yaml"
    ledger.write_text(
        "ledger:\n" + G + "    firm: f1\n    product: 0701\n    amount: 200万元\n    year: 2026\n"
    )
    read = beijing.load_ledger(ledger)
    assert read.grants[0].path == (("firm", "f1"), ("product", "0701"))
    facts = tmp_path / "facts.json"
    facts.write_text(
        json.dumps(
            {
                "firms": [
                    {
                        "id": "f1",
                        "products": [
                            {
                                "id": "0701",
                                "approved_on": "2026-03-01",
                                "launch_routes": ["national_priority_review"],
                                "launch_reward_decided": "200万元",
                            }
                        ],
                    }
                ]
            }
        )
    )
    result = beijing.evaluate(beijing.load_facts(facts), ledger=read)
    d = next(d for d in result.decisions if d.provision == REWARD)
    assert (d.status, result.grants) == ("not_eligible", ())


def test_unreadable_files_keep_their_own_errors(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """A missing file (E301) and bad JSON (E302) are facts errors naming the file."""
    with pytest.raises(FactsError) as info:
        beijing.load_ledger(tmp_path / "none.json")
    assert info.value.code == "E301"
    bad = tmp_path / "bad.json"
    bad.write_text('{"ledger": [', "utf-8")
    with pytest.raises(FactsError) as info:
        beijing.load_ledger(bad)
    assert (info.value.code, str(info.value).startswith(str(bad))) == ("E302", True)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_written_ledger_reads_back_the_same(
    beijing: policyrules.Policy, tmp_path: Path, fmt: str
) -> None:
    """JSON and YAML exports read back to equal grants, ids that look like numbers included."""
    ledger = Ledger(
        (
            Grant(REWARD, (("firm", "0701"), ("product", "1e3")), Money(1), 2026),
            Grant(REWARD, (("firm", "f1"), ("product", "true")), Money.of(200, "万元"), 2025),
            Grant(REWARD, (("firm", "f1"), ("product", "P0")), Money.zero(), 2025),
        )
    )
    f = tmp_path / f"l.{fmt}"
    f.write_text(dump_ledger(ledger, fmt), "utf-8")
    assert beijing.load_ledger(f) == ledger


def test_keys_of_shared_pools_are_required() -> None:
    """A grant must name every key the caps of its pool are keyed by, as its pool partner's
    cap names them (caps of one pool agree on their keys, E230): b's grant needs product."""
    text = """entity firm
  list firms
entity product
  list products of firm
  fact d: money

document d "t"

clause 1 "c"
  quote "q"
  award a "a"
    for each product
    amount decided d
    cap 100 万元 per product shared pool
  award b "b"
    for each product
    amount decided d
    cap 100 万元 per product shared pool
"""
    from strategies import compile_text

    policy = compile_text(text)
    keys = grant_keys(policy.checked)
    assert keys["d/1/b"].need == 2
    assert "d/1/a" in keys["d/1/b"].why["product"]
    with pytest.raises(LedgerError) as info:
        policy.evaluate({"firms": []}, ledger=[{"provision": "d/1/b", "firm": "f", "amount": 1}])
    assert "no `product`" in str(info.value)
    ok = policy.evaluate(
        {"firms": []}, ledger=[{"provision": "d/1/b", "firm": "f", "product": "p", "amount": 1}]
    )
    assert ok.grants == ()
