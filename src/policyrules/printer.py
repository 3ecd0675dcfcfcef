"""Print a syntax tree as canonical ``.rule`` text (the formatter).

``print_module(parse(text))`` is a fixed point: printing it and parsing again gives an equal
tree, and printing that gives the same text.  Layout: two spaces per level, one blank line
between top-level items and before each provision, long conditions broken before ``and`` /
``or``, parentheses only where precedence needs them.

>>> from policyrules.parse import parse
>>> print(print_module(parse('parameter r:rate=30 % "x"')), end="")
parameter r: rate = 30% "x"
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import syntax as s

__all__ = [
    "print_band",
    "print_cap",
    "print_exclusivity",
    "print_expr",
    "print_module",
    "print_range",
    "print_schedule",
    "print_span",
    "print_type",
    "print_unless",
]

WIDTH = 100
_PLAIN_LABEL = re.compile(r"^(\d+|[一二三四五六七八九十]+)$")

# Binding strength, loosest first; see the expression rules of the grammar.
_IF, _OR, _AND, _NOT, _CMP, _ELSE, _SUM, _PROD, _NEG, _ATOM = range(10)


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(d: Decimal) -> str:
    return format(d, "f")


def _label(label: str) -> str:
    return label if _PLAIN_LABEL.match(label) else _q(label)


def print_exclusivity(st: s.Exclusive | s.Cumulative | s.Supersedes) -> str:
    """``exclusive a, b among project keep highest ties by listed``, ``cumulative a, b "…"``,
    ``supersedes doc 3``: one line each (issue 11 §6)."""
    if isinstance(st, s.Exclusive):
        ties = f" ties by {st.ties}" if st.ties else ""
        return f"exclusive {', '.join(st.awards)} among {st.among} keep {st.keep}{ties}"
    if isinstance(st, s.Cumulative):
        return f"cumulative {', '.join(st.awards)} {_q(st.reason)}"
    return f"supersedes {st.document}" + (f" {_label(st.label)}" if st.label is not None else "")


def print_type(t: s.TypeRef) -> str:
    """``money``, ``set of Route``, ``list of 工作日``."""
    if isinstance(t, s.SetType):
        return f"set of {print_type(t.element)}"
    if isinstance(t, s.ListType):
        return f"list of {print_type(t.element)}"
    if isinstance(t, s.TableType):
        return f"table {print_type(t.key)} to {print_type(t.value)}"
    if t.bound is not None:
        return f"{t.name} up to {_num(t.bound)}%"
    if t.currency is not None:
        return f"{t.name}({t.currency})"
    return t.name


def _prec(e: s.Expr) -> int:
    if isinstance(e, s.IfExpr | s.Progressive):
        return _IF
    if isinstance(e, s.Or):
        return _OR
    if isinstance(e, s.And):
        return _AND
    if isinstance(e, s.Not):
        return _NOT
    if isinstance(e, s.Compare | s.InSet | s.InForce | s.IsNone | s.Reaches):
        return _CMP
    if isinstance(e, s.Otherwise):
        return _ELSE
    if isinstance(e, s.BinOp):
        return _SUM if e.op in "+-" else _PROD
    if isinstance(e, s.Of):
        return _PROD
    if isinstance(e, s.Neg):
        return _NEG
    return _ATOM


def _wrap(e: s.Expr, at_least: int) -> str:
    text = print_expr(e)
    return f"({text})" if _prec(e) < at_least else text


def print_cap(cap: s.Cap) -> str:
    """A cap as the trace and the batch tables name it: ``200 万元 per product``, with
    ``per year of approved_on`` when it counts by year."""
    text = print_expr(cap.limit) + "".join(f" per {e}" for e in cap.per)
    if cap.year_of is not None:
        text += f" per year of {print_expr(cap.year_of)}"
    return text + "".join(f" {print_unless(x)}" for x in cap.exceptions) + print_span(cap)


def print_span(cap: s.Cap) -> str:
    """`` over 3 years`` (三年内累计), `` ever`` (累计), or nothing."""
    if cap.window is not None:
        return f" over {cap.window} years" + (" from first grant" if cap.from_first else "")
    return " ever" if cap.ever else ""


def print_schedule(x: s.Schedule) -> str:
    """``paid over 3 years from approved_on: 40%, 30%, 30% remainder last`` or
    ``paid yearly for 5 years from moved_in_on``."""
    if x.yearly:
        return f"paid yearly for {x.years} years from {print_expr(x.start)}"
    shares = ", ".join(print_expr(r) for r in x.shares)
    rest = f" remainder {x.remainder}" if x.remainder is not None else ""
    return f"paid over {x.years} years from {print_expr(x.start)}: {shares}{rest}"


def print_unless(x: s.CapException) -> str:
    """``unless major_project raise to 1000 万元``."""
    return f"unless {print_expr(x.condition)} raise to {print_expr(x.limit)}"


def print_expr(e: s.Expr) -> str:
    """One expression on one line, with the fewest parentheses that keep its meaning."""
    match e:
        case s.Name(parts=parts):
            return ".".join(parts)
        case s.MoneyLit(number=n, unit=u):
            return f"{_num(n)} {u}"
        case s.RateLit(number=n):
            return f"{_num(n)}%"
        case s.DurationLit(number=n, unit=u):
            return f"{_num(n)} {u}"
        case s.NumberLit(number=n):
            return _num(n)
        case s.DateLit(value=v):
            return v.isoformat()
        case s.BoolLit(value=v):
            return "true" if v else "false"
        case s.StringLit(value=v):
            return _q(v)
        case s.SetLit(items=items):
            return "{" + ", ".join(print_expr(i) for i in items) + "}"
        case s.Call(func=f, args=args):
            return f"{f}(" + ", ".join(print_expr(a) for a in args) + ")"
        case s.IfExpr(cond=c, then=t, else_=x):
            return f"if {print_expr(c)} then {print_expr(t)} else {print_expr(x)}"
        case s.Or(left=a, right=b):
            return f"{_wrap(a, _OR)} or {_wrap(b, _AND)}"
        case s.And(left=a, right=b):
            return f"{_wrap(a, _AND)} and {_wrap(b, _NOT)}"
        case s.Not(operand=a):
            return f"not {_wrap(a, _NOT)}"
        case s.Compare(op=op, left=a, right=b):
            return f"{_wrap(a, _ELSE)} {op} {_wrap(b, _ELSE)}"
        case s.InSet(element=a, container=b, negated=neg):
            word = "not in" if neg else "in"
            return f"{_wrap(a, _ELSE)} {word} {_wrap(b, _ELSE)}"
        case s.InForce(operand=a):
            return f"{_wrap(a, _ELSE)} in force"
        case s.IsNone(operand=a, negated=neg):
            return f"{_wrap(a, _ELSE)} is {'not ' if neg else ''}none"
        case s.Otherwise(value=a, default=b):
            return f"{_wrap(a, _SUM)} otherwise {_wrap(b, _ELSE)}"
        case s.BinOp(op=op, left=a, right=b):
            level = _SUM if op in "+-" else _PROD
            return f"{_wrap(a, level)} {op} {_wrap(b, level + 1)}"
        case s.Of(rate=r, base=b):
            return f"{_wrap(r, _PROD)} of {_wrap(b, _NEG)}"
        case s.Neg(operand=a):
            return f"-{_wrap(a, _NEG)}"
        case s.Progressive(base=b, bands=bands):
            return " ".join([f"progressive {_wrap(b, _SUM)}", *(print_band(x) for x in bands)])
        case s.TableAt(table=name, key=k):
            return f"{name}[{print_expr(k)}]"
        case s.Reaches(operand=a, table=name):
            return f"{_wrap(a, _SUM)} reaches {name}"
    raise TypeError(f"not an expression: {e!r}")  # pragma: no cover


def print_band(band: s.Band, below: s.Expr | None = None) -> str:
    """``band up to 1000 万元 pays 10%`` or ``band above pays 5%`` as written; given
    ``below`` (the previous band's limit, for a trace), the band by both its bounds:
    ``band above 1000 万元 up to 3000 万元 pays 8%``, ``band above 3000 万元 pays 5%``."""
    where = "above" if band.limit is None else f"up to {_wrap(band.limit, _SUM)}"
    if below is not None:
        upper = "" if band.limit is None else f" up to {_wrap(band.limit, _SUM)}"
        where = f"above {_wrap(below, _SUM)}{upper}"
    return f"band {where} pays {_wrap(band.rate, _SUM)}"


def print_range(r: s.AmountRange) -> str:
    """``10% to 30% of investment [decided FACT]`` or ``50 万元 to 100 万元``."""
    if r.base is not None:
        text = f"{_wrap(r.low, _SUM)} to {_wrap(r.high, _PROD)} of {_wrap(r.base, _NEG)}"
    else:
        text = f"{_wrap(r.low, _SUM)} to {_wrap(r.high, _SUM)}"
    return text + (f" decided {r.decided}" if r.decided else "")


def _chain(e: s.Expr) -> tuple[str, list[s.Expr]]:
    """Flatten the left spine of an ``and`` / ``or`` chain."""
    kind = s.And if isinstance(e, s.And) else s.Or
    word = "and" if kind is s.And else "or"
    terms: list[s.Expr] = []
    while isinstance(e, kind):
        terms.append(e.right)
        e = e.left
    terms.append(e)
    return word, terms[::-1]


def _condition(head: str, e: s.Expr, indent: str, inner: tuple[tuple[int, str], ...]) -> list[str]:
    """``head e`` on one line if it fits, else broken before each ``and`` / ``or``; with
    comments inside (``inner``), broken after each operand that has one, the comment after it."""
    if inner:
        ops = s.chain_operands(e)
        notes = {id(ops[i]): text for i, text in inner if 0 <= i < len(ops)}
        above: dict[int, list[str]] = {}
        for i, text in inner:  # -(i + 1): on a line of its own before operand i
            if i < 0 and -i - 1 < len(ops):
                above.setdefault(id(ops[-i - 1]), []).append(text)
        lines = _noted(e, notes, f"{indent}  ", above)
        return [f"{indent}{head} {lines[0]}", *lines[1:]]
    one = f"{indent}{head} {print_expr(e)}"
    if len(one) <= WIDTH or not isinstance(e, s.And | s.Or):
        return [one]
    word, terms = _chain(e)
    level = _AND if word == "and" else _OR
    first = _wrap(terms[0], level)
    lines = [f"{indent}{head} {first}"]
    lines += [f"{indent}  {word} {_wrap(t, level + 1)}" for t in terms[1:]]
    return lines


def _noted(
    e: s.Expr, notes: dict[int, str], cont: str, above: dict[int, list[str]] | None = None
) -> list[str]:
    """The chain ``e`` a term a line (continued at ``cont``), each term's comment in ``notes``
    (by ``id``) after it, those in ``above`` on lines of their own before it; a term with
    comments inside broken the same way, two spaces in."""
    above = above or {}
    word, terms = _chain(e)
    level = _AND if word == "and" else _OR
    lines: list[str] = []
    for i, t in enumerate(terms):
        inside = any(id(x) in notes or id(x) in above for x in s.chain_operands(t))
        part = _noted(t, notes, f"{cont}  ", above) if inside else [print_expr(t)]
        if _prec(t) < (level if i == 0 else level + 1):
            part = [f"({part[0]}", *part[1:]]
            part[-1] += ")"
        if id(t) in notes:
            part[-1] += f"  {notes[id(t)]}"
        if i == 0:
            lines += part
            continue
        # a comment before t, or before the first term of a chain t begins with
        first: s.Expr | None = t
        while first is not None:
            lines += [f"{cont}{c}" for c in above.get(id(first), ())]
            heads = s.chain_terms(first)
            first = heads[0] if heads else None
        lines += [f"{cont}{word} {part[0]}", *part[1:]]
    return lines


class _Printer:
    def __init__(self) -> None:
        self.out: list[str] = []

    def stmt(self, node: s.Stmt, lines: list[str]) -> None:
        indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
        self.out.extend(f"{indent}{c}" for c in node.comments)
        if node.trailing:
            lines = [*lines[:-1], f"{lines[-1]}  {node.trailing}"]
        self.out.extend(lines)

    def blank(self) -> None:
        if self.out and self.out[-1] != "":
            self.out.append("")

    def module(self, m: s.Module) -> str:
        self.out.extend(m.header)
        for item in m.items:
            self.blank()
            self.item(item)
        if m.comments:
            self.blank()
            self.out.extend(m.comments)
        return "\n".join(self.out) + "\n" if self.out else ""

    def item(self, item: s.Item) -> None:
        match item:
            case s.Document():
                self.stmt(item, [f"document {item.name} {_q(item.title)}"])
                for st in item.body:
                    self.stmt(st, [f"  {self.doc_stmt(st)}"])
            case s.Chapter():
                self.stmt(item, [f"chapter {_label(item.label)} {_q(item.title)}"])
            case s.Clause():
                title = f" {_q(item.title)}" if item.title is not None else ""
                self.stmt(item, [f"clause {_label(item.label)}{title}"])
                for cst in item.body:
                    self.clause_stmt(cst, "  ")
                for p in item.provisions:
                    self.blank()
                    self.provision(p)
            case s.Entity():
                title = f" {_q(item.title)}" if item.title is not None else ""
                self.stmt(item, [f"entity {item.name}{title}"])
                for est in item.body:
                    self.stmt(est, [f"  {self.entity_stmt(est)}"])
            case s.EnumDecl():
                title = f" {_q(item.title)}" if item.title is not None else ""
                members = [
                    f"  {m.name}{' ' + _q(m.title) if m.title is not None else ''},"
                    for m in item.members
                ]
                self.stmt(item, [f"enum {item.name}{title} {{", *members, "}"])
            case s.Parameter() | s.Assumption() | s.Define() | s.Table():
                self.clause_stmt(item, "")

    def doc_stmt(self, st: s.Stmt) -> str:
        match st:
            case s.DocNumber(text=t):
                return f"number {_q(t)}"
            case s.DocAgency(text=t):
                return f"agency {_q(t)}"
            case s.DocIssued(date=d):
                return f"issued {d.isoformat()}"
            case s.DocValid(start=a, end=b):
                return f"valid from {a.isoformat()}" + (f" to {b.isoformat()}" if b else "")
            case s.DocSource(path=p):
                return f"source {_q(p)}"
            case s.DocEvents(assumption=a):
                return f"events from {a}"
            case s.DocMeasures(count=n):
                return f"measures {n}"
            case s.Note(text=t):
                return f"note {_q(t)}"
            case s.Supersedes():
                return print_exclusivity(st)
            case s.Prevails():
                return "prevails over earlier"
        raise TypeError(st)  # pragma: no cover

    def entity_stmt(self, st: s.Stmt) -> str:
        match st:
            case s.EntityList(key=k, parent=p):
                return f"list {k}" + (f" of {p}" if p else "")
            case s.EntitySingle(key=k):
                return f"single {k}"
            case s.FactDecl(name=n, type=t, title=title, none=none):
                tail = f" {_q(title)}" if title is not None else ""
                return f"fact {n}: {print_type(t)}{' or none' if none else ''}{tail}"
        raise TypeError(st)  # pragma: no cover

    def clause_stmt(self, st: s.Stmt, indent: str) -> None:
        match st:
            case s.Quote(text=t):
                self.stmt(st, [f"{indent}quote {_q(t)}"])
            case s.Note(text=t):
                self.stmt(st, [f"{indent}note {_q(t)}"])
            case s.DocAgency(text=t):
                self.stmt(st, [f"{indent}agency {_q(t)}"])
            case s.Twin(document=d, label=label):
                self.stmt(st, [f"{indent}twin {d} {_label(label)}"])
            case s.Exclusive() | s.Cumulative():
                self.stmt(st, [f"{indent}{print_exclusivity(st)}"])
            case s.Parameter(name=n, type=t, default=d, title=title):
                line = f"{indent}parameter {n}: {print_type(t)}"
                line += f" = {print_expr(d)}" if d is not None else ""
                line += f" {_q(title)}" if title is not None else ""
                self.stmt(st, [line])
            case s.Assumption(name=n, type=t, default=d, rationale=why):
                line = f"{indent}assumption {n}: {print_type(t)} = {print_expr(d)} {_q(why)}"
                self.stmt(st, [line])
            case s.Define(name=n, title=title, expr=e):
                head = f"define {n}" + (f" {_q(title)}" if title is not None else "") + " ="
                self.stmt(st, _condition(head, e, indent, st.inner))
            case s.Table(name=n, title=title, key=k, value=v, rows=rows):
                head = f" {_q(title)}" if title is not None else ""
                if indent:
                    self.blank()  # a table in a clause stands apart from its quote and notes
                self.stmt(st, [f"{indent}table {n}{head}: {print_type(k)} to {print_type(v)}"])
                for row in rows:
                    word = "when" if row.member else "from"
                    line = f"{indent}  {word} {print_expr(row.key)} give {print_expr(row.value)}"
                    self.stmt(row, [line])

    def provision(self, p: s.Provision) -> None:
        title = f" {_q(p.title)}" if p.title is not None else ""
        self.stmt(p, [f"  {p.kind} {p.name}{title}"])
        ind = "    "
        for st in p.body:
            match st:
                case s.Quote() | s.Note():
                    self.clause_stmt(st, ind)
                case s.Subject(entity=e, each=each):
                    self.stmt(st, [f"{ind}for {'each ' if each else ''}{e}"])
                case s.Eligible(condition=c):
                    self.stmt(st, _condition("eligible when", c, ind, st.inner))
                case s.Amount(expr=s.Progressive(base=b, bands=bands)):
                    lines = [f"{ind}amount progressive {_wrap(b, _SUM)}"]
                    self.stmt(st, lines + [f"{ind}  {print_band(x)}" for x in bands])
                case s.Amount(expr=e):
                    self.stmt(st, [f"{ind}amount {print_expr(e)}"])
                case s.AmountRange():
                    self.stmt(st, [f"{ind}amount {print_range(st)}"])
                case s.AmountMinimum(expr=e):
                    self.stmt(st, [f"{ind}minimum {print_expr(e)}"])
                case s.Rounding(mode=m, number=n, unit=u):
                    self.stmt(st, [f"{ind}rounding {m} to {_num(n)} {u}"])
                case s.AmountDecided(fact=f):
                    self.stmt(st, [f"{ind}amount decided {f}"])
                case s.Cap(limit=lim, per=per, year_of=y, shared=sh, exceptions=xs):
                    line = f"{ind}cap {print_expr(lim)}"
                    line += "".join(f" per {e}" for e in per)
                    line += f" per year of {print_expr(y)}" if y is not None else ""
                    line += f" shared {sh}" if sh else ""
                    # each exception on its own line, indented under its cap
                    lines = [line, *(f"{ind}  {print_unless(x)}" for x in xs)]
                    lines[-1] += print_span(st)
                    self.stmt(st, lines)
                case s.Once(entity=e):
                    self.stmt(st, [f"{ind}once per {e}"])
                case s.OrderBy(keys=keys):
                    self.stmt(st, [f"{ind}order by " + ", ".join(print_expr(k) for k in keys)])
                case s.Due(period=d, start=start):
                    self.stmt(st, [f"{ind}due {print_expr(d)} after {print_expr(start)}"])
                case s.Done(date=d):
                    self.stmt(st, [f"{ind}done {print_expr(d)}"])
                case s.Require(condition=c):
                    self.stmt(st, _condition("require", c, ind, st.inner))
                case s.Consequence(text=t):
                    self.stmt(st, [f"{ind}consequence {_q(t)}"])
                case s.Encouraged():
                    self.stmt(st, [f"{ind}encouraged"])
                case s.Tiers(assumption=a):
                    self.stmt(st, [f"{ind}tiers by {a}"])
                case s.Quota(count=n, rank=r):
                    self.stmt(st, [f"{ind}quota {n} ranked by {r}"])
                case s.Limit(count=n, per=per, year_of=y):
                    line = f"{ind}limit {n} per {per}"
                    line += f" per year of {print_expr(y)}" if y is not None else ""
                    self.stmt(st, [line])
                case s.Schedule():
                    self.stmt(st, [f"{ind}{print_schedule(st)}"])


def print_module(module: s.Module) -> str:
    """Canonical text of one ``.rule`` file."""
    return _Printer().module(module)
