"""Checker diagnostics: names, types, units, structure and quotes."""

from __future__ import annotations

import pytest

import policyrules
from policyrules import RuleCheckError

HEAD = """entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact approved_on: date "获批日期"
  fact awarded: money
  fact base: money
  fact ok: bool
entity project
  list projects
  fact cost: money

document d "测试"
  number "京测〔2025〕1号"
  valid from 2025-01-01 to 2026-12-31

"""


def _check(body: str, sources: dict[str, str] | None = None) -> policyrules.model.CheckedPolicy:
    text = HEAD + body
    return policyrules.check(
        [policyrules.parse(text, "t.rule")], texts={"t.rule": text}, sources=sources or {}
    )


def _errors(body: str, sources: dict[str, str] | None = None) -> RuleCheckError:
    with pytest.raises(RuleCheckError) as info:
        _check(body, sources)
    return info.value


def _award(*lines: str) -> str:
    inner = "".join(f"    {line}\n" for line in lines)
    return f'clause 1 "t"\n  quote "q"\n\n  award a\n    for each product\n{inner}'


def test_valid_policy_is_accepted() -> None:
    """A small well-formed award checks and lists its provision with the facts it reads."""
    checked = _check(
        _award("eligible when ok", "amount decided awarded", "cap 200 万元 per product")
    )
    expected = [("d/1/a", "award", "product", ("awarded", "ok"))]
    actual = [(p.id, p.kind, p.subject, p.facts) for p in checked.provisions()]
    assert expected == actual


def test_unknown_fact_with_hint() -> None:
    """A misspelt fact is E203 with a did-you-mean hint and the clause path."""
    err = _errors(_award("eligible when aproved_on in force", "amount decided awarded"))
    expected = ("E203", "unknown fact 'aproved_on'", "did you mean 'approved_on'?")
    assert expected == (err.code, err.diagnostics[0].message, err.hint)
    assert err.span.clause_path == ("京测〔2025〕1号", "1")
    assert (err.span.line, err.span.col, err.span.end_col) == (22, 19, 29)


def test_unknown_type() -> None:
    """An unknown type name is E202, with a hint naming the closest type."""
    err = _errors('parameter p: monye "x"\n')
    expected = ("E202", "unknown type 'monye'", "did you mean 'money'?")
    assert expected == (err.code, err.diagnostics[0].message, err.hint)


def test_money_plus_rate() -> None:
    """Adding a rate to money is E204 and the hint points to `of`."""
    err = _errors(_award("amount base + 30%"))
    expected = (
        "E204",
        "cannot add money and rate",
        "a rate applies to money with `of`: `30% of base`",
    )
    assert expected == (err.code, err.diagnostics[0].message, err.hint)


def test_date_plus_money() -> None:
    """Adding money to a date is E204 and the hint points to deadlines."""
    err = _errors(_award("eligible when approved_on + base > base", "amount base"))
    expected = ("E204", "cannot add date and money")
    assert expected == (err.code, err.diagnostics[0].message)
    assert "due 30 工作日 after DATE" in (err.hint or "")


def test_cap_in_percent() -> None:
    """A cap written as a bare rate is E206."""
    err = _errors(_award("amount base", "cap 30%"))
    expected = ("E206", "a cap in % where money is due")
    assert expected == (err.code, err.diagnostics[0].message)


def test_cap_rate_of_base_is_fine() -> None:
    """`cap 50% of base` is money, so it checks."""
    checked = _check(_award("amount decided awarded", "cap 50% of base"))
    expected = 1
    assert expected == len(checked.provisions()[0].caps)


def test_per_entity_not_in_chain() -> None:
    """`per project` under `for each product` is E207, hinting the owners in the chain."""
    err = _errors(_award("amount base", "cap 1 万元 per project"))
    expected = (
        "E207",
        "'project' is not the subject or one of its owners",
        "use one of: product, firm",
    )
    assert expected == (err.code, err.diagnostics[0].message, err.hint)


def test_once_per_entity_not_in_chain() -> None:
    """`once per project` under `for each product` is E207 too."""
    err = _errors(_award("amount base", "once per project"))
    expected = ["E207"]
    assert expected == [d.code for d in err.diagnostics]


def test_missing_amount() -> None:
    """An award without `amount` is E208."""
    err = _errors(_award("eligible when ok"))
    expected = ("E208", "an award needs `amount <money>` or `amount decided <fact>`")
    assert expected == (err.code, err.diagnostics[0].message)


def test_clause_without_quote() -> None:
    """A clause with no quote is E208."""
    err = _errors('clause 1 "t"\n  note "n"\n')
    expected = ("E208", "clause 1 has no quote")
    assert expected == (err.code, err.diagnostics[0].message)


def test_duplicate_clause_label() -> None:
    """The same clause label twice in one document is E220."""
    err = _errors('clause 1 "t"\n  quote "q"\nclause 1 "u"\n  quote "r"\n')
    expected = ("E220", "clause 1 is defined twice", "the first is at t.rule:17:1")
    assert expected == (err.code, err.diagnostics[0].message, err.hint)


def test_duplicate_parameter_names() -> None:
    """Two parameters with one name are E201."""
    err = _errors('parameter p: rate "x"\nparameter p: money "y"\n')
    expected = ("E201", "name 'p' is declared twice")
    assert expected == (err.code, err.diagnostics[0].message)


def test_duplicate_fact_names() -> None:
    """Two facts with one name in an entity are E201."""
    err = _errors("entity thing\n  list things\n  fact x: date\n  fact x: money\n")
    expected = ("E201", "fact of thing 'x' is declared twice")
    assert expected == (err.code, err.diagnostics[0].message)


def test_statement_not_allowed_in_kind() -> None:
    """A cap inside a target is E210, listing what a target takes."""
    body = 'clause 1 "t"\n  quote "q"\n\n  target a\n    for each product\n    require ok\n'
    err = _errors(body + "    cap 1 万元\n")
    expected = (
        "E210",
        "`cap` has no meaning in a target",
        "a target takes: encouraged, for each, note, quote, require",
    )
    assert expected == (err.code, err.diagnostics[0].message, err.hint)


def test_quote_not_in_source() -> None:
    """A clause quote absent from the document's source is E211."""
    text = (
        'document s "带来源"\n  source "src.txt"\n\n'
        'clause 1 "t"\n  quote "给予一次性奖励，不超过 300 万元"\n'
    )
    with pytest.raises(RuleCheckError) as info:
        policyrules.check(
            [policyrules.parse(text, "s.rule")],
            texts={"s.rule": text},
            sources={"src.txt": "对产品给予一次性奖励，不超过 200 万元。"},
        )
    expected = ("E211", "the quote is not in the source of s")
    assert expected == (info.value.code, info.value.diagnostics[0].message)


def test_quote_in_source_ignores_white_space() -> None:
    """A quote matches its source whatever the white space."""
    text = (
        'document s "带来源"\n  source "src.txt"\n\nclause 1 "t"\n  quote "奖励 不超过 200万元"\n'
    )
    checked = policyrules.check(
        [policyrules.parse(text, "s.rule")],
        texts={"s.rule": text},
        sources={"src.txt": "奖励不超过\n200 万元。"},
    )
    expected = "奖励 不超过 200万元"
    assert expected == checked.clauses[0].quote


def test_unknown_function() -> None:
    """A call to an unknown function is E216 with a hint."""
    err = _errors(_award("amount maxx(base, awarded)"))
    expected = ("E216", "unknown function 'maxx'", "did you mean 'max'?")
    assert expected == (err.code, err.diagnostics[0].message, err.hint)


def test_bad_default() -> None:
    """A parameter default of the wrong type is E217."""
    err = _errors('parameter p: rate = 200 万元 "x"\n')
    expected = ("E217", "the default of 'p' is money, not rate")
    assert expected == (err.code, err.diagnostics[0].message)


def test_unknown_entity_in_subject() -> None:
    """`for each` an unknown entity is E203 with a hint."""
    body = 'clause 1 "t"\n  quote "q"\n\n  award a\n    for each prodcut\n    amount 1 元\n'
    err = _errors(body)
    expected = ("E203", "unknown entity 'prodcut'", "did you mean 'product'?")
    assert expected == (err.code, err.diagnostics[0].message, err.hint)


def test_several_errors_collected() -> None:
    """Every problem is reported at once, in one RuleCheckError."""
    err = _errors(
        'parameter p: monye "x"\n'
        + _award("eligible when aproved_on in force", "amount base + 30%", "cap 30%")
    )
    expected = ["E202", "E203", "E204", "E206"]
    assert expected == sorted(d.code for d in err.diagnostics)
    rendered = str(err)
    assert rendered.count("error[E2") == 4
