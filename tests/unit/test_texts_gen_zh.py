"""The Chinese facts' line of a paid claim, said by a function generated for the plan's
facts (``texts_gen.facts_said_zh``): each fact under its owner found up the subject's path,
a date, yes/no and money said as written from its title, a set by its words kept, any other
value (a fact missing among them) by the general way given."""

from __future__ import annotations

import datetime as dt
from typing import Any

from policyrules import Money
from policyrules.backends.python import texts_gen
from policyrules.instances import Instance
from policyrules.runtime.values import Unknown

# (entity, key, name, whether a rate, whether money of it is said as written, whether the
# amount's): the firm's id and sector, a product's date, amount, routes, other project and
# a second money fact not said as written
SHOWN = (
    ("firm", "firm.id", "id", False, False, False),
    ("firm", "firm.sector", "sector", False, False, False),
    ("product", "product.approved_on", "approved_on", False, False, False),
    ("product", "product.reward", "reward", False, True, True),
    ("product", "product.routes", "routes", False, False, False),
    ("product", "product.other", "other", False, False, False),
    ("product", "product.cost", "cost", False, False, False),
)
TITLES = ("企业：", "行业：", "日期：", "奖励：", "途径：", "其他：", "成本：")
ROUTES = frozenset({"national_priority_review"})
FULL = {
    "approved_on": dt.date(2026, 9, 12),
    "reward": Money(226_003_897),  # 2,260,038.97 元
    "routes": ROUTES,
    "other": True,
    "cost": Money(50_000_000),  # 50 万元, not said as written: by the general way
}


def product(values: dict[str, Any], firm: bool = True) -> Instance:
    owner = Instance("firm", "f1", {"sector": "医疗器械"}, None, "firms[0]") if firm else None
    return Instance("product", "P1", values, owner, "firms[0].products[0]")


class General:
    """The general way of a value, recorded: ``<key=value>``, odd where told."""

    def __init__(self, odd: frozenset[str] = frozenset()) -> None:
        self.asked: list[tuple[str, Any]] = []
        self.odd = odd

    def __call__(
        self, key: str, value: Any, rate: bool, kept: dict[Any, str], odd: list[str]
    ) -> str:
        self.asked.append((key, value))
        said = f"<{key}>"
        if key in self.odd:
            odd.append(said)
        return said


def dated(title: str, value: dt.date, kept: dict[Any, str]) -> str:
    kept[value] = said = f"{title}{value.year}年{value.month}月{value.day}日"
    return said


def said(inst: Instance, other: General, kept: tuple[dict[Any, str], ...] | None = None) -> Any:
    fn = texts_gen.facts_said_zh(SHOWN, lambda key: Unknown(frozenset({key})), dated)
    return fn(TITLES, kept or tuple({} for _ in SHOWN), other)(inst)


def test_every_kind_of_value_said_in_order() -> None:
    """A date and yes/no from the title, the amount as written (2,260,038.97 元: 226,003,897
    fen), a text, an id and money not said as written by the general way; the amount's
    value found, nothing to escape."""
    other = General()
    line, found, clean = said(product(FULL), other)
    assert line == (
        "<firm.id>；<firm.sector>；日期：2026年9月12日；奖励：2,260,038.97 元；<product.routes>；"
        "其他：是；<product.cost>"
    )
    assert found == Money(226_003_897)
    assert clean
    assert other.asked == [
        ("firm.id", "f1"),
        ("firm.sector", "医疗器械"),
        ("product.routes", ROUTES),
        ("product.cost", Money(50_000_000)),
    ]


def test_words_kept_are_said_again_without_the_general_way() -> None:
    """A date and a set whose words are kept are said from them."""
    kept = tuple({} for _ in SHOWN)
    kept[2][dt.date(2026, 9, 12)] = "日期：已记"
    kept[4][ROUTES] = "途径：已记"
    other = General()
    line, _, _ = said(product(FULL), other, kept)
    assert "；日期：已记；" in line
    assert "；途径：已记；" in line
    assert [key for key, _ in other.asked] == ["firm.id", "firm.sector", "product.cost"]


def test_a_fact_missing_is_said_unknown_and_an_owner_missing_says_none_of_its() -> None:
    """The product without a firm: the firm's facts are not said; ``other`` missing: said
    by the general way as unknown; yes/no false; words to escape make it not clean."""
    other = General(odd=frozenset({"product.cost"}))
    values = {k: v for k, v in FULL.items() if k != "other"} | {"cost": Money(1)}
    line, found, clean = said(product(values, firm=False), other)
    assert line.startswith("日期：2026年9月12日；奖励：")
    assert line.endswith("；<product.other>；<product.cost>")
    assert ("product.other", Unknown(frozenset({"product.other"}))) in other.asked
    assert found == Money(226_003_897)
    assert not clean


def test_an_amount_not_read_is_none() -> None:
    """No product's facts read (its owner's only): the amount's value is None."""
    alone = Instance("firm", "f1", {"sector": "x"}, None, "firms[0]")
    line, found, _ = said(alone, General())
    assert line == "<firm.id>；<firm.sector>"
    assert found is None


def test_yes_and_no() -> None:
    line, _, _ = said(product({**FULL, "other": False}), General())
    assert "；其他：否；" in line


# The product's own facts alone (most plans): one owner, found without the chain's dict.
ALONE = (SHOWN[2], SHOWN[3], SHOWN[5])
ALONE_TITLES = (TITLES[2], TITLES[3], TITLES[5])


def said_alone(inst: Instance, kept: tuple[dict[Any, str], ...]) -> Any:
    fn = texts_gen.facts_said_zh(ALONE, lambda key: Unknown(frozenset({key})), dated)
    return fn(ALONE_TITLES, kept, General())(inst)


def test_one_owners_facts_are_said_as_the_chain_finds_it() -> None:
    """Facts of one owner: said from the outermost instance of its entity up the subject's
    path (as ``Instance.chain``: a product within a product reads the outer one's), yes/no
    kept by the value once said; no such owner: nothing said, the amount not read."""
    kept: tuple[dict[Any, str], ...] = ({}, {}, {})
    line, found, clean = said_alone(product(FULL), kept)
    assert line == "日期：2026年9月12日；奖励：2,260,038.97 元；其他：是"
    assert (found, clean) == (Money(226_003_897), True)
    assert kept[2] == {True: "其他：是"}
    kept[2][True] = "其他：已记"
    assert said_alone(product(FULL), kept)[0].endswith("；其他：已记")
    outer = Instance("product", "P0", FULL | {"other": False}, None, "products[0]")
    inner = Instance("product", "P1", FULL, outer, "products[0].parts[0]")
    assert said_alone(inner, kept)[0].endswith("；其他：否")
    firm = Instance("firm", "f1", {}, None, "firms[0]")
    assert said_alone(firm, kept) == ("", None, True)


def test_declared_kinds_order_the_tests_not_the_words() -> None:
    """Given each fact's declared kind, its values are tested for it first: the line is
    the same as without, a value of another kind than declared and a fact missing among
    them."""
    kinds = (None, "text", "date", "money", "set", "bool", "money")
    plain = texts_gen.facts_said_zh(SHOWN, lambda key: Unknown(frozenset({key})), dated)
    typed = texts_gen.facts_said_zh(SHOWN, lambda key: Unknown(frozenset({key})), dated, kinds)
    assert typed is not plain
    odd = FULL | {"approved_on": True, "routes": Money(1), "other": dt.date(2026, 1, 2)}
    for values in (FULL, odd, {"reward": Money(5)}, {}):
        for firm in (True, False):
            out = []
            for fn in (plain, typed):
                other = General()
                kept = tuple({} for _ in SHOWN)
                out.append((fn(TITLES, kept, other)(product(values, firm)), other.asked))
            assert out[0] == out[1]
