"""The figures a policy text states: amounts of money, rates and counts, as Chinese policy
texts write them.  The checker compares a clause's literals with its quote (W212).

Forms read, each with or without spaces between the number and its unit:

* digits, with a decimal point and thousands commas: ``200万元``, ``1.5 亿元``, ``1,000 元``,
  ``30%``; full-width digits and ``％`` as their ASCII forms;
* Chinese numerals: ``三千万元``, ``两百万元``, ``五亿元``, ``近三年`` (a count of 3);
  digits followed by Chinese multipliers: ``5千万元``;
* money in 元, 美元 and 欧元, with 万 or 亿 before the currency (``100万美元``); ``100 万``
  with no currency after it (the text leaves out 元, as the guide's §7 reads it) is money in
  元 and a count alike;
* rates: ``30%``, ``百分之三十``, ``2个百分点`` (percentage points: 2 %); ``全额`` is 100 %
  and ``减半``, ``一半`` 50 %;
* ranges whose first end leaves out the unit: ``10—30%``, ``50至100万元`` (the first end
  takes the second's unit);
* any other number is a count (``10家``, ``不少于 300 项``, ``50TB``).

Two readings more, for the checker's W218 and W266: :func:`periods`, the periods a text
states with their unit (``15个工作日``, ``20 周``, ``三个月``), and :func:`ceiling_word`, the
word that puts a figure under a ceiling (``不超过300万元``, ``最高 2000 万元``, ``50 万元以内``).
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

__all__ = [
    "Figure",
    "Period",
    "ceiling_word",
    "chinese_number",
    "figures",
    "listed_ceiling_word",
    "periods",
]

_WIDE = str.maketrans("０１２３４５６７８９％．，", "0123456789%.,")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN = "".join([*_CN_DIGITS, *_CN_SMALL, *_CN_BIG])
_MULT = {**_CN_SMALL, **_CN_BIG}

# A multiplier 百 is not the 百 of 2百分点 (percentage points).
_NUMBER = re.compile(
    rf"(?P<percent>百分之)?(?:(?P<digits>\d+(?:,\d{{3}})*(?:\.\d+)?)"
    rf"(?:\s*(?P<mult>(?:[十千万亿]|百(?!分点))+))?"
    rf"|(?P<cn>[{_CN}]+))"
)
_UNIT = re.compile(r"\s*(?:(?P<pct>%|个?百分点)|(?P<money>[万亿]?)(?P<cur>元|美元|欧元))")
_RANGE = re.compile(r"\s*(?:—+|–|-|~|～|至|到)\s*")
_WORDS = {"全额": Decimal(100), "减半": Decimal(50), "一半": Decimal(50)}


@attrs.frozen
class Figure:
    """A figure of the text: ``kind`` money (``value`` in units of ``currency``: 元, 美元,
    欧元), rate (``value`` in percent) or count; ``text`` as written, at ``start``."""

    kind: str
    value: Decimal
    text: str
    start: int
    currency: str = ""


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral: ``三千万`` is 30,000,000, ``十二`` 12."""
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (digit or 1) * _CN_SMALL[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        else:  # 亿: everything before it is so many 亿
            total = (total + section + digit) * 10**8
            section = digit = 0
    return total + section + digit


@attrs.frozen
class _Token:
    start: int
    end: int  # after the number and its unit
    value: Decimal  # the number with its multipliers (万 of 100万元 included)
    unit_mult: int  # the multiplier of the unit (10**4 for 万元), borrowed by a range
    kind: str
    currency: str


def figures(text: str) -> list[Figure]:
    """Every figure ``text`` states, in the order written (a ``100 万`` twice: money and
    count).  Zero is no figure."""
    plain = text.translate(_WIDE)
    tokens = [_token(plain, m) for m in _NUMBER.finditer(plain)]
    out: list[Figure] = []
    for i, tok in enumerate(tokens):
        if tok.value == 0:
            continue
        shown = text[tok.start : tok.end].strip()
        if tok.kind == "bare":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            gap = plain[tok.end : nxt.start] if nxt else ""
            if nxt is not None and nxt.kind in ("money", "rate") and _RANGE.fullmatch(gap):
                value = tok.value * nxt.unit_mult
                out.append(Figure(nxt.kind, value, shown, tok.start, nxt.currency))
            if _omits_yuan(plain, tok):
                out.append(Figure("money", tok.value, shown, tok.start, "元"))
            out.append(Figure("count", tok.value, shown, tok.start))
        else:
            out.append(Figure(tok.kind, tok.value, shown, tok.start, tok.currency))
    for word, rate in _WORDS.items():
        out.extend(Figure("rate", rate, word, m.start()) for m in re.finditer(word, plain))
    return sorted(out, key=lambda f: f.start)


def _token(text: str, m: re.Match[str]) -> _Token:
    written = m["mult"] or m["cn"] or ""
    trailing = _CN_BIG.get(written[-1:], 1)  # the 万 of 100万元: a range's first end takes it
    if m["digits"] is not None:
        value = Decimal(m["digits"].replace(",", ""))
        for ch in m["mult"] or "":
            value *= _MULT[ch]
    else:
        value = Decimal(chinese_number(m["cn"]))
    if m["percent"]:
        return _Token(m.start(), m.end(), value, 1, "rate", "")
    unit = _UNIT.match(text, m.end())
    if unit is None:
        return _Token(m.start(), m.end(), value, 1, "bare", "")
    if unit["pct"]:
        return _Token(m.start(), unit.end(), value, 1, "rate", "")
    mult = _CN_BIG.get(unit["money"], 1)
    return _Token(m.start(), unit.end(), value * mult, trailing * mult, "money", unit["cur"])


def _omits_yuan(text: str, tok: _Token) -> bool:
    """``100 万`` followed by no unit (punctuation, a space, the end): 元 left out."""
    written = text[tok.start : tok.end]
    after = text[tok.end : tok.end + 1]
    return written.endswith(("万", "亿")) and not ("\u4e00" <= after <= "\u9fff")


@attrs.frozen
class Period:
    """A period of the text: ``value`` so many ``unit`` (工作日, 日, 周, 月 or 年: 天 and 自然日
    are 日, 星期 is 周), ``text`` as written, at ``start``."""

    value: Decimal
    unit: str
    text: str
    start: int


_CN_SMALL_NUMBER = "".join([*_CN_DIGITS, *_CN_SMALL])
_PERIOD = re.compile(
    rf"(?P<n>\d+(?:\.\d+)?|[{_CN_SMALL_NUMBER}]+)\s*个?\s*"
    r"(?P<unit>工作日|自然日|日历日|星期|日|天|周|月|年)"
)
_UNITS = {"自然日": "日", "日历日": "日", "天": "日", "星期": "周"}
# What makes a number and unit no period: 2025年 (a year), 年度, 18周岁, 10周年, 4月7日 (a
# date), 第三年 (an ordinal).
_NOT_AFTER = {"年": ("度",), "周": ("岁", "年")}
_DAY_OF = re.compile(rf"\s*(?:\d+|[{_CN_SMALL_NUMBER}]+)\s*[日号]")


def periods(text: str) -> list[Period]:
    """Every period ``text`` states with its unit, in the order written; zero is none."""
    plain = text.translate(_WIDE)
    out: list[Period] = []
    for m in _PERIOD.finditer(plain):
        n, unit = m["n"], m["unit"]
        after = plain[m.end() :]
        if after.startswith(_NOT_AFTER.get(unit, ())) or plain[: m.start()].endswith("第"):
            continue
        if unit == "年" and ((len(n) == 4 and n.isdigit()) or re.match(r"\s*\S+?月", after)):
            continue  # 2025年, 二〇二五年四月
        day_of_month = unit == "日" and plain[: m.start()].endswith("月")
        if day_of_month or (unit == "月" and _DAY_OF.match(after)):
            continue  # 4月7日, 每月5日
        value = Decimal(n) if n[0].isdigit() else Decimal(chinese_number(n))
        if value:
            shown = text[m.start() : m.end()]
            out.append(Period(value, _UNITS.get(unit, unit), shown, m.start()))
    return out


# Words of a quote that put a figure after them under a ceiling, first found first (what
# the text says: one pattern, not the words this package prints, vocab's).
_CEILING_BEFORE = re.compile("不超过|不高于|最高|最多|至多|上限|封顶")
_CEILING_AFTER = ("以内", "以下", "为限", "封顶", "为上限")
_BREAK = re.compile(r"[，。；,;！？!?\n]")


def ceiling_word(text: str, f: Figure, stated: list[Figure]) -> str | None:
    """The word of ``text`` that puts ``f`` (one of ``stated``, its figures) under a ceiling:
    one written between the figure before it in the same sentence and ``f`` (不超过300万元,
    按照不超过总投资额的 50%), or just after ``f`` (50 万元以内); None if there is none."""
    plain = text.translate(_WIDE)
    start = max((m.end() for m in _BREAK.finditer(plain, 0, f.start)), default=0)
    for g in stated:
        end = g.start + len(g.text)
        if g.start < f.start and end <= f.start:
            start = max(start, end)
    found = _CEILING_BEFORE.search(plain, start, f.start)
    if found is not None:
        return found[0]
    after = plain[f.start + len(f.text) :].lstrip()
    return next((w for w in _CEILING_AFTER if after.startswith(w)), None)


_LISTED = re.compile(r"\s*(?:和|及|与|或|、|以及)\s*")


def listed_ceiling_word(text: str, f: Figure, stated: list[Figure]) -> str | None:
    """:func:`ceiling_word`, or that of the figure of its kind listed just before ``f``:
    「不超过总投资 50% 和 30%」 puts both rates under 不超过.

    >>> q = "分别给予不超过总投资 50% 和 30% 的资金支持"
    >>> [listed_ceiling_word(q, f, figures(q)) for f in figures(q)]
    ['不超过', '不超过']
    """
    word = ceiling_word(text, f, stated)
    before = [g for g in stated if g.kind == f.kind and g.start + len(g.text) <= f.start]
    if word is not None or not before:
        return word
    g = before[-1]
    if _LISTED.fullmatch(text.translate(_WIDE)[g.start + len(g.text) : f.start]) is None:
        return None
    return listed_ceiling_word(text, g, stated)
