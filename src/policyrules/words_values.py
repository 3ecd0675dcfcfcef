"""Values, dates, durations and facts' titles in a reader's Chinese, for
:class:`~policyrules.words.Words` and the pages and letters that quote a value: ``true`` 是,
``2026-03-02`` 2026年3月2日, ``60 工作日`` 60 个工作日, an enum member by its title.  Nothing
here raises.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Protocol

from .runtime.values import format_value
from .types import Type

__all__ = [
    "Titles",
    "date_zh",
    "duration_zh",
    "money_as_written",
    "none_said",
    "none_words",
    "reader_title",
    "spaced",
    "value_zh",
]


class Titles(Protocol):
    """What :func:`value_zh` asks of a policy's words (:class:`~policyrules.words.Words`):
    an enum member's title."""

    def member(self, enum: str, member: str) -> str: ...


_UNITS = {"日": "日", "周": "周", "工作日": "个工作日", "月": "个月", "年": "年"}
# Full-width punctuation takes no space beside it (为 v_d；否则…).
_FULL_WIDTH = frozenset("，。；：、（）“”《》！？")


def spaced(*parts: str) -> str:
    """Parts joined, with a space where a number or Latin letter meets other text (不超过
    1000 万元, 所在年度减 1), as Chinese typesetting puts one."""
    out = ""
    for part in parts:
        if (
            out
            and part
            and (_edge(out[-1]) or _edge(part[0]))
            and out[-1] != " "
            and out[-1] not in _FULL_WIDTH
            and part[0] not in _FULL_WIDTH
        ):
            out += " "
        out += part
    return out


def _edge(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "%")


def date_zh(day: dt.date) -> str:
    """``2025-11-24`` as ``2025年11月24日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def duration_zh(number: Decimal | int | str, unit: str) -> str:
    """``60 工作日`` as ``60 个工作日``, ``3 月`` as ``3 个月``; an unknown unit as written."""
    n = format_value(Decimal(str(number))) if not isinstance(number, str) else number
    return f"{n} {_UNITS.get(unit, unit)}"


_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DURATION = re.compile(r"(≈?-?[\d.]+) (日|周|工作日|月|年)")  # ≈: a quotient, rounded


def money_as_written(type_: Type | None) -> bool:
    """Whether :func:`value_zh` gives a money value's text (``12,345.67 元``, ``200 万元``:
    :func:`~policyrules.runtime.money.cn_text`) as it is for a fact of ``type_``: for any
    type but an enum or a set of one, whose members it looks up by their titles."""
    element = type_.element if type_ is not None and type_.element is not None else type_
    return not (element is not None and element.kind == "enum" and bool(element.name))


def value_zh(text: str, type_: Type | None = None, words: Titles | None = None) -> str:
    """A value as :func:`~policyrules.runtime.values.format_value` wrote it, in Chinese:
    ``true`` 是, ``unknown`` 未提供, a date ``2026-03-02`` 2026年3月2日, ``60 工作日`` 60
    个工作日, an enum member (``type_`` an enum, or a set of one) by its title; anything else
    as written (money ``200 万元``, rates, numbers, text)."""
    if text == "unknown":
        return "未提供"
    if text == "unset":
        return "未设定"
    if text in ("true", "false"):
        return "是" if text == "true" else "否"
    if (m := _ISO.fullmatch(text)) is not None:
        return date_zh(dt.date(int(m[1]), int(m[2]), int(m[3])))
    if (m := _DURATION.fullmatch(text)) is not None:
        return duration_zh(m[1], m[2])
    element = type_.element if type_ is not None and type_.element is not None else type_
    if text[:1] in "{[" and text[-1:] in "}]":
        inner = text[1:-1]
        if not inner:
            return "无"
        return "、".join(value_zh(part, element, words) for part in inner.split(", "))
    if words is not None and element is not None and element.kind == "enum" and element.name:
        return words.member(element.name, text)
    return text


_NONE_NOTE = re.compile(r"[；;]?\s*none[：:]([^）)]*)")


def reader_title(title: str) -> str:
    """A fact's title as a reader sees it: an author's note on what a stated ``none`` means
    (``批准其境外上市的机构（none：未在境外获批上市）``) is for the facts file, not the letter."""
    text = _NONE_NOTE.sub("", title)
    return text.replace("（）", "").replace("()", "")


def none_words(title: str | None) -> str:
    """What stating a fact ``none`` means, in words: the author's note in its title
    (``无（未在境外获批上市）``), else ``无（已声明不存在）``."""
    m = _NONE_NOTE.search(title or "")
    note = m[1].strip() if m else ""
    return f"无（{note}）" if note else "无（已声明不存在）"


def none_said(title: str | None) -> str:
    """A fact stated ``none`` as a decision's text says its value: the plain negative the
    author's note in its title gives (``…称号（第12条；none：未获评任何智能工厂称号）``:
    未获评任何智能工厂称号), else ``无`` (nothing more is made up)."""
    m = _NONE_NOTE.search(title or "")
    note = m[1].strip() if m else ""
    return note or "无"
