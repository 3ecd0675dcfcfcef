"""The calculator page's money boxes (static/calculator/money.js), loaded as the page loads it
into the suite's headless Chromium (the ``browser`` fixture of tests/conftest.py): a plain number
with no unit chosen is refused, never sent as 万元; a unit written in the box is the one
sent; and the amount read back beside the box is the one the service's reader reads from
the text sent (and none is read back where the reader refuses the text)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.convert import ValueRefused, convert_value

ROOT = Path(__file__).resolve().parents[2]
MONEY_JS = ROOT / "src" / "policyrules" / "static" / "calculator" / "money.js"

# [text typed, unit chosen ("" none)] → what the box does.
NO_UNIT = "请选择单位：元、万元或亿元；或在金额后写明单位，如 200万元"
CASES = [
    # 8,000,000 meant as 元: with no unit chosen it is refused, not read as 800 亿元.
    (("8,000,000", ""), {"refuse": NO_UNIT}),
    (("8,000,000", "万元"), {"send": "8,000,000万元", "words": "800 亿元"}),
    (("8,000,000", "元"), {"send": "8,000,000元", "words": "800 万元"}),
    (("240", "万元"), {"send": "240万元", "words": "240 万元"}),
    (("0", ""), {"refuse": NO_UNIT}),
    (("12.5", ""), {"refuse": NO_UNIT}),
    # A unit written in the box takes precedence over the select (it was sent 200万元万元).
    (("200万元", "元"), {"send": "200万元", "words": "200 万元"}),
    (("200 万", ""), {"send": "200 万", "words": "200 万元"}),
    (("1.5亿", "万元"), {"send": "1.5亿", "words": "1.5 亿元"}),
    (("12,345.67 元", ""), {"send": "12,345.67 元", "words": "1.234567 万元"}),
    ((" 20000 万元 ", ""), {"send": "20000 万元", "words": "2 亿元"}),
    (("99,999", "元"), {"send": "99,999元", "words": "9.9999 万元"}),
    (("0.5", "元"), {"send": "0.5元", "words": "0.5 元"}),
    (("12.345", "万元"), {"send": "12.345万元", "words": "12.345 万元"}),
    (("123456789012", "亿元"), {"send": "123456789012亿元", "words": "123,456,789,012 亿元"}),
    # Not an amount: sent, the service refuses it and says why; nothing read back.
    (("一百", "万元"), {"send": "一百万元", "words": None}),
    (("一百", ""), {"send": "一百", "words": None}),
    (("12.345", "元"), {"send": "12.345元", "words": None}),  # not whole fen
    (("0800", "元"), {"send": "0800元", "words": None}),  # a leading zero
    (("1,0000", "元"), {"send": "1,0000元", "words": None}),  # commas not in threes
    (("1" + "0" * 29, "亿元"), {"send": "1" + "0" * 29 + "亿元", "words": None}),  # 10^37 元
]


@pytest.fixture(scope="module")
def money_page(browser: Any) -> Iterator[Any]:
    """A page holding money.js as the calculator's page holds it (a classic script: the
    global PolicyMoney)."""
    page = browser.new_page()
    page.add_script_tag(path=str(MONEY_JS))
    yield page
    page.close()


def _run(page: Any, boxes: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Each box as money.js reads it: refuse, or send and the words read back (or null)."""
    script = (
        "(boxes) => boxes.map(([text, unit]) => {"
        "  const e = PolicyMoney.entry(text, unit);"
        "  if (e.refuse) return { refuse: e.refuse };"
        "  return { send: e.send, words: e.fen === null ? null : PolicyMoney.words(e.fen),"
        "           fen: e.fen === null ? null : e.fen.toString() };"
        "})"
    )
    out: list[dict[str, Any]] = page.evaluate(script, boxes)
    return out


@pytest.fixture(scope="module")
def read_money() -> Any:
    """The service's reader of a money fact: the fen it reads, or None where it refuses."""
    checked = policyrules.load(ROOT / "policies" / "beijing_2025").checked
    product = checked.entity("product")
    assert product is not None
    fact = product.fact("launch_reward_decided")
    assert fact is not None

    def read(text: str) -> int | None:
        try:
            return int(convert_value(text, fact.type, checked).fen)  # type: ignore[union-attr]
        except ValueRefused:
            return None

    return read


def test_each_box_as_a_clerk_types_it(money_page: Any, read_money: Any) -> None:
    got = _run(money_page, [box for box, _ in CASES])
    for (box, want), answer in zip(CASES, got, strict=True):
        answer.pop("fen", None)
        assert answer == want, box
        if "send" in answer:
            assert (read_money(answer["send"]) is None) == (answer["words"] is None), box


def test_the_amount_read_back_is_the_one_the_service_reads(
    money_page: Any, read_money: Any
) -> None:
    """3000 texts of digits, commas, points, spaces and units, with each unit chosen or
    none: what is read back (in fen) is what the reader reads from the text sent; none is
    read back exactly where the reader refuses it; a refused box is a plain number."""
    rng = random.Random(20261205)
    alphabet = ["0", "1", "2", "5", "9", ",", ".", " ", "元", "万", "亿", "万元", "亿元", "e", "-"]
    boxes = []
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 40)))
        if rng.random() < 0.4:
            digits = f"{int(digits):,}"
        text = digits + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
        boxes.append((text, rng.choice(["", "元", "万元", "亿元"])))
    for (text, unit), answer in zip(boxes, _run(money_page, boxes), strict=True):
        if "refuse" in answer:
            assert unit == ""
            assert read_money(text.strip()) is not None  # a number, read as 元 if sent bare
            continue
        fen = read_money(answer["send"])
        assert fen == (None if answer["fen"] is None else int(answer["fen"])), (text, unit)
