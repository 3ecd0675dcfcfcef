"""Expressions, caps and values in plain Chinese words, generated from their structure.

A :class:`Words` is made from a checked policy (:meth:`Words.of`); it knows the titles the
policy gives its facts, entities, enums and their members, parameters and assumptions, and
says an expression the way a reader would: ``kind = common_platform`` is
``项目类型为“产业共性平台建设”``, ``cap 1000 万元 per firm per year of approved_on`` is
``单个企业每个年度（按境内获批上市（注册）日期所在年度计）不超过 1000 万元``.

:meth:`Words.expr` is a dispatch over the node types of the language (``_SAY``); a node type it
does not know (a construct added later) is shown as the formatter writes it, in 「」, so the
text stays true while its words are missing.  Nothing here raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import attrs

from . import syntax as s
from .model import CheckedPolicy, FactInfo, ProvisionInfo, Resolved
from .printer import print_expr
from .runtime.calendar import HOLIDAY_ASSUMPTION
from .runtime.values import NONE_TEXT, format_value
from .vocab import quoted
from .words_any import any_of, one_of
from .words_code import coded, min_max_bound
from .words_values import (
    date_zh,
    duration_zh,
    money_as_written,
    none_said,
    none_words,
    reader_title,
    spaced,
    value_zh,
)

__all__ = [
    "Words",
    "date_zh",
    "duration_zh",
    "money_as_written",
    "none_said",
    "none_words",
    "reader_title",
    "value_zh",
]

_COMPARE = {
    "=": "为",
    "!=": "不为",
    "<": "低于",
    "<=": "不超过",
    ">": "高于",
    ">=": "不低于",
}
# The parser writes `*` as `×` (parse_transform); a product stays ×, as formulas in policy
# texts write it (实际租金 × 50%), the other operators are words.
_ARITH = {"+": "加", "-": "减", "×": "×", "*": "×", "/": "除以"}
# The holiday_schedule assumption (runtime.calendar.Unpublished), which no policy declares.
_SCHEDULES = {
    "error": "不推算，期限待定",
    "statutory_projection": "按法定节假日规则推算",
    "weekends_only": "只按周末计",
}
_SCHEDULE_VALUE = re.compile(r"(\w+)(?: \((?:assumed|PROJECTED) for (.+)\))?")


@attrs.frozen
class Words:
    """The policy's own titles, and how to say its expressions with them.

    ``assumptions`` maps an assumption's name to its value as written (``approval``): an
    ``if`` on an assumption is then said as the branch that value takes."""

    checked: CheckedPolicy
    assumptions: Mapping[str, str] = attrs.field(factory=dict)
    # The provisions by id (made once by `of`, shared by the copies `attrs.evolve` makes).
    provisions: Mapping[str, ProvisionInfo] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def of(cls, checked: CheckedPolicy, assumptions: Mapping[str, str] | None = None) -> Words:
        """The words of ``checked``; an ``if`` on an assumption follows ``assumptions``
        (name → value as written) or else the assumption's default."""
        chosen = {a.name: print_expr(a.default) for a in checked.assumptions}
        chosen.update(assumptions or {})
        return cls(checked, chosen, {p.id: p for p in checked.provisions()})

    # ---- names -------------------------------------------------------------------------

    def fact(self, qualified: str) -> FactInfo | None:
        """The fact ``entity.name`` (as decisions name it), or None."""
        entity, _, name = qualified.rpartition(".")
        info = self.checked.entity(entity)
        return info.fact(name) if info is not None else None

    def fact_title(self, qualified: str) -> str:
        """A fact by its title (``product.approved_on``: 境内获批上市（注册）日期); a fact
        without a title, or not in the policy, by its name as written."""
        info = self.fact(qualified)
        return reader_title(info.title) if info is not None and info.title else qualified

    def entity(self, name: str) -> str:
        """An entity by its title (``firm``: 企业), else its name."""
        info = self.checked.entity(name)
        return info.title if info is not None and info.title else name

    def member(self, enum: str, member: str) -> str:
        """An enum member by its title, else as written."""
        info = self.checked.enum(enum)
        titles = dict(info.members) if info is not None else {}
        return titles.get(member) or member

    def parameter(self, name: str) -> str:
        """A parameter by its title, else its name."""
        info = self.checked.parameter(name)
        return info.title if info is not None and info.title else name

    def assumption(self, name: str) -> str:
        """What an assumption decides: its enum's title (年度上限按哪一日期计入年度), else
        its rationale up to the first 。or ；."""
        info = self.checked.assumption(name)
        if name == HOLIDAY_ASSUMPTION and info is None:
            return "未公布年份的放假安排"
        if info is None:
            return name
        if info.type.kind == "enum" and info.type.name:
            enum = self.checked.enum(info.type.name)
            if enum is not None and enum.title:
                return enum.title
        return re.split("[。；]", info.rationale, maxsplit=1)[0]

    def assumption_value(self, name: str, value: str) -> str:
        """An assumption's value in words: an enum member by its title, a date in Chinese."""
        info = self.checked.assumption(name)
        if name == HOLIDAY_ASSUMPTION and info is None:
            m = _SCHEDULE_VALUE.fullmatch(value)
            if m is not None and m[1] in _SCHEDULES:
                years = f"{m[2].replace(', ', '、')}年放假安排未公布：" if m[2] else ""
                return years + _SCHEDULES[m[1]]
        return value_zh(value, info.type if info is not None else None, self)

    def fact_value(self, qualified: str, value: str) -> str:
        """A fact's value (as formatted) in words; stated ``none``, by ``none_said``."""
        info = self.fact(qualified)
        if value == NONE_TEXT:
            return none_said(info.title if info is not None else None)
        return value_zh(value, info.type if info is not None else None, self)

    # ---- expressions -------------------------------------------------------------------

    def expr(self, e: s.Expr, scope: str | None = None) -> str:
        """``e`` in words, its names resolved in the subject ``scope`` (an entity name)."""
        say = _SAY.get(type(e))
        if say is None:
            return coded(e, lambda n: _name(self, n, scope))
        return say(self, e, scope)

    def one_of(self, values: Sequence[s.Expr], scope: str | None = None) -> str:
        """Values as alternatives, once each (``“甲”、“乙”或“丙”``: ``words_any.one_of``)."""
        return one_of(values, lambda x: self.expr(x, scope), spaced)

    def resolve(self, e: s.Expr, scope: str | None) -> Resolved | None:
        return self.checked.resolve(e.parts, scope) if isinstance(e, s.Name) else None

    def cap(self, cap: s.Cap, scope: str | None = None) -> str:
        """A cap in words: ``单个企业每个年度（按…所在年度计）不超过 1000 万元``."""
        who = "".join(f"单个{self.entity(e)}" for e in cap.per)
        when = ""
        if isinstance(cap.year_of, s.Call) and cap.year_of.func == "payment_year":
            when = "每个拨付年度"
        elif cap.year_of is not None:
            when = f"每个年度（按{self.expr(cap.year_of, scope)}所在年度计）"
        if cap.window is not None and cap.from_first:  # 自首次获得支持起三年内累计
            when = f"自首次获得支持的年度起 {cap.window} 个年度内累计"
        elif cap.window is not None:  # 三年内累计: the payment's year and the N−1 before it
            when = f"任意连续 {cap.window} 个年度内累计"
        elif cap.ever:
            when = "累计"
        shared = "（与其他措施共用此额度）" if cap.shared else ""
        return spaced(f"{who}{when}不超过", self.expr(cap.limit, scope)) + shared


# ---- one function per node type ------------------------------------------------------------


def _name(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.Name)
    r = w.resolve(e, scope)
    if r is None:
        return ".".join(e.parts)
    if r.kind == "fact":
        if r.name == "id":
            return f"{w.entity(r.entity or '')}编号"
        return w.fact_title(f"{r.entity}.{r.name}")
    if r.kind == "parameter":
        return w.parameter(r.name)
    if r.kind == "assumption":
        return w.assumption(r.name)
    if r.kind == "member" and r.member is not None:
        return quoted(w.member(r.name, r.member))
    if r.kind == "define":  # a reader sees the define's title, not its identifier
        info = w.checked.define(r.name)
        return info.title if info is not None and info.title else r.name
    return ".".join(e.parts)


def _literal(w: Words, e: s.Expr, scope: str | None) -> str:
    if isinstance(e, s.MoneyLit):
        return f"{format_value(e.number)} {e.unit}"
    if isinstance(e, s.RateLit):
        return f"{format_value(e.number)}%"
    if isinstance(e, s.DurationLit):
        return duration_zh(e.number, e.unit)
    if isinstance(e, s.NumberLit):
        return format_value(e.number)
    if isinstance(e, s.DateLit):
        return date_zh(e.value)
    if isinstance(e, s.BoolLit):
        return "是" if e.value else "否"
    assert isinstance(e, s.StringLit)
    return quoted(e.value)


def _set(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.SetLit)
    if not e.items:
        return "空"
    return "、".join(w.expr(i, scope) for i in e.items)


def _call(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.Call)
    args = [w.expr(a, scope) for a in e.args]
    if e.func == "known" and args:
        return spaced(args[0], "已提供")
    if e.func == "year" and args:
        return spaced(args[0], "所在年度")
    if e.func in ("average", "sum", "count") and args:
        word = {"average": "平均值", "sum": "合计", "count": "个数"}[e.func]
        return spaced(args[0], f"的{word}")
    bound = min_max_bound(e, lambda x: _part(w, x, scope), lambda x: w.expr(x, scope))
    if bound is not None:
        return bound
    if e.func in ("min", "max"):
        return spaced("、".join(args), f"中{'较小' if e.func == 'min' else '较大'}者")
    if e.func in ("floor", "ceil") and args:
        return spaced(args[0], f"{'向下' if e.func == 'floor' else '向上'}取整")
    if e.func in ("payment_year", "year_index"):
        return "拨付年度" if e.func == "payment_year" else "拨付的第几年"
    if e.func == "this_year" and args:  # a list by year, its payment year's entry
        each = re.match("(?:各|每)年度?", args[0])
        return f"拨付年度{args[0][each.end() :]}" if each else spaced(args[0], "中拨付年度的数额")
    if e.func == "convert" and len(args) == 2:
        return spaced(args[0], "按", args[1], "折算的人民币金额")
    return coded(e, lambda n: _name(w, n, scope))


def _binop(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.BinOp)
    op = _ARITH.get(e.op)
    if op is None:
        return coded(e, lambda n: _name(w, n, scope))
    left, right = _part(w, e.left, scope), _part(w, e.right, scope)
    # a × b × c reads as one product; a (a × b) + c, a − (b − c) keep their brackets
    if isinstance(e.left, s.BinOp) and _RANK.get(e.left.op, 0) >= _RANK.get(e.op, 0):
        left = w.expr(e.left, scope)
    if isinstance(e.right, s.BinOp) and e.right.op == e.op in ("×", "+"):
        right = w.expr(e.right, scope)
    return f"{left} × {right}" if op == "×" else spaced(left, op, right)


_RANK = {"+": 1, "-": 1, "×": 2, "/": 2}


def _of(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.Of)
    return spaced(f"{_part(w, e.base, scope)}的", w.expr(e.rate, scope))


def _part(w: Words, e: s.Expr, scope: str | None) -> str:
    """A compound operand in （）, so ``a 加 b 乘以 c`` keeps its grouping."""
    text = w.expr(e, scope)
    bracket = isinstance(e, s.BinOp | s.And | s.Or) or text.startswith("若")
    return f"（{text}）" if bracket else text


def _is_empty_set(e: s.Expr) -> bool:
    return isinstance(e, s.SetLit) and not e.items


def _compare(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.Compare)
    left, right = e.left, e.right
    if _is_empty_set(right) and e.op in ("=", "!="):
        return f"{w.expr(left, scope)}{'为空' if e.op == '=' else '至少有一项'}"
    r = w.resolve(left, scope)
    if r is not None and r.type.kind == "date" and e.op in ("<", "<=", ">", ">="):
        word = {"<": "早于", "<=": "不晚于", ">": "晚于", ">=": "不早于"}[e.op]
        return spaced(w.expr(left, scope), word, w.expr(right, scope))
    op = _COMPARE.get(e.op)
    if op is None:
        return coded(e, lambda n: _name(w, n, scope))
    return spaced(_part(w, left, scope), op, _part(w, right, scope))


def _and(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.And)
    return f"{_clause(w, e.left, e, scope)}，且{_clause(w, e.right, e, scope)}"


def _or(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.Or)
    said = any_of(_alternatives(w, e, scope), lambda x: w.expr(x, scope), spaced)
    if said is not None:  # tests of one value: said once (words_any)
        return said
    return f"{_clause(w, e.left, e, scope)}，或{_clause(w, e.right, e, scope)}"


def _alternatives(w: Words, e: s.Expr, scope: str | None) -> list[s.Expr]:
    """The operands of an ``or`` chain, each ``if`` on an assumption taken as :func:`_if`
    says it (``(a or b) or if … then c else d``: a, b and c)."""
    out: list[s.Expr] = []
    stack = [e]
    while stack:
        x = stack.pop()
        while (taken := _branch(w, x, scope)) is not None:
            x = taken
        if isinstance(x, s.Or):
            stack += [x.right, x.left]
        else:
            out.append(x)
    return out


def _clause(w: Words, e: s.Expr, outer: s.Expr, scope: str | None) -> str:
    """An operand of 且/或: an ``or`` inside an ``and`` (or the reverse) is bracketed, so
    the grouping stays visible; ``a and b and c`` reads as one list."""
    text = w.expr(e, scope)
    mixed = isinstance(e, s.And | s.Or) and type(e) is not type(outer)
    return f"（{text}）" if mixed else text


def _not(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.Not)
    inner = e.operand
    if isinstance(inner, s.Call) and inner.func == "known" and inner.args:
        return f"{w.expr(inner.args[0], scope)}未提供"
    text = w.expr(inner, scope)
    if isinstance(inner, s.And | s.Or):
        return f"并非（{text}）"
    return f"并非{quoted(text)}"


def _neg(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.Neg)
    return f"负{_part(w, e.operand, scope)}"


def _inset(w: Words, e: s.Expr, scope: str | None) -> str:
    """``x in {a, b}``: ``x是“a”或“b”之一``; ``x not in {a, b}``: ``x不属于“a”、“b”`` (a
    native reader found 不是…之一 awkward), ``x not in {a}``: ``x不是“a”``, each member once;
    the empty set ``{}`` (the checker takes it) as the list it is, with nothing in it:
    ``x是所列值之一（未列任何值）``, ``x不属于所列值（未列任何值）`` (not 是空之一)."""
    assert isinstance(e, s.InSet)
    element, container = w.expr(e.element, scope), e.container
    if isinstance(container, s.SetLit) and not container.items:
        return f"{element}{'不属于所列值' if e.negated else '是所列值之一'}（未列任何值）"
    if isinstance(container, s.SetLit) and not e.negated:
        return f"{element}是{w.one_of(container.items, scope)}之一"
    if isinstance(container, s.SetLit):
        items = dict.fromkeys(w.expr(x, scope) for x in container.items)
        return f"{element}{'不是' if len(items) == 1 else '不属于'}{'、'.join(items)}"
    return f"{w.expr(container, scope)}{'不包含' if e.negated else '包含'}{element}"


def _in_force(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.InForce)
    return f"{w.expr(e.operand, scope)}在本政策有效期内"


def _if(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.IfExpr)
    # An `if` on an assumption (`if annual_cap_year = approval then ...`) is said as the
    # branch the assumption's value takes; the assumption itself is listed with the decision.
    taken = _branch(w, e, scope)
    if taken is not None:
        return w.expr(taken, scope)
    then, else_ = w.expr(e.then, scope), w.expr(e.else_, scope)
    return spaced("若", w.expr(e.cond, scope), "，为", then, "；否则为", else_)


def _branch(w: Words, e: s.Expr, scope: str | None) -> s.Expr | None:
    """The branch an ``if`` on an assumption (``if annual_cap_year = approval then …``)
    takes under the words' value of it; ``None`` for any other expression."""
    if not isinstance(e, s.IfExpr):
        return None
    cond = e.cond
    if isinstance(cond, s.Compare) and cond.op in ("=", "!="):
        r = w.resolve(cond.left, scope)
        m = w.resolve(cond.right, scope)
        if r is not None and r.kind == "assumption" and m is not None and m.kind == "member":
            value = w.assumptions.get(r.name)
            if value is not None:
                holds = (value == m.member) == (cond.op == "=")
                return e.then if holds else e.else_
    return None


def _is_none(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.IsNone)
    return spaced(w.expr(e.operand, scope), "已声明存在" if e.negated else "已声明不存在")


def _otherwise(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.Otherwise)
    value, default = w.expr(e.value, scope), w.expr(e.default, scope)
    return spaced(value, "（已声明不存在时按", default, "计）")


def _band(w: Words, band: s.Band, below: s.Expr | None, scope: str | None) -> str:
    """A band by both its bounds, as tax and subsidy texts say them (个人所得税税率表):
    不超过 1000 万元的部分, 超过 1000 万元至 3000 万元的部分, 超过 3000 万元的部分;
    ``below`` is the previous band's limit (None for the first band)."""
    if band.limit is None:
        part = "全部" if below is None else spaced("超过", _part(w, below, scope), "的部分")
    elif below is None:
        part = spaced("不超过", _part(w, band.limit, scope), "的部分")
    else:
        part = spaced("超过", _part(w, below, scope), "至", _part(w, band.limit, scope), "的部分")
    return spaced(part, "按", w.expr(band.rate, scope))


def _progressive(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.Progressive)
    belows = (None, *(b.limit for b in e.bands[:-1]))
    said = [_band(w, b, below, scope) for b, below in zip(e.bands, belows, strict=True)]
    last = e.bands[-1].limit
    if last is not None:  # no `band above`: the part above the last limit pays nothing
        said.append(spaced("超过", _part(w, last, scope), "的部分不予计算"))
    return f"{w.expr(e.base, scope)}分段计算（{'、'.join(said)}）"


def _table_title(w: Words, name: str) -> str:
    info = w.checked.table(name)
    title = info.title if info is not None else w.parameter(name)  # a table parameter
    return f"《{title}》" if title and title != name else f"表 {name} "


def _table_at(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.TableAt)
    info = w.checked.table(e.table)
    said = {"money": "金额", "rate": "比例"}.get(info.value.kind if info else "", "值")
    return f"{w.expr(e.key, scope)}在{_table_title(w, e.table)}中所在档次对应的{said}"


def _reaches(w: Words, e: s.Expr, scope: str | None) -> str:
    assert isinstance(e, s.Reaches)
    return f"{w.expr(e.operand, scope)}达到{_table_title(w, e.table)}的最低一档"


_Say = Callable[[Words, s.Expr, "str | None"], str]

# Every node type of the language and how it is said (tests/unit/test_words.py checks that
# each member of ``syntax.Expr`` has an entry here).
_SAY: dict[type, _Say] = {
    s.Name: _name,
    s.MoneyLit: _literal,
    s.RateLit: _literal,
    s.DurationLit: _literal,
    s.NumberLit: _literal,
    s.DateLit: _literal,
    s.BoolLit: _literal,
    s.StringLit: _literal,
    s.SetLit: _set,
    s.Call: _call,
    s.BinOp: _binop,
    s.Of: _of,
    s.Compare: _compare,
    s.And: _and,
    s.Or: _or,
    s.Not: _not,
    s.Neg: _neg,
    s.InSet: _inset,
    s.InForce: _in_force,
    s.IfExpr: _if,
    s.IsNone: _is_none,
    s.Otherwise: _otherwise,
    s.Progressive: _progressive,
    s.TableAt: _table_at,
    s.Reaches: _reaches,
}
