"""Completion: keywords the grammar accepts at the cursor, the facts of the provision's
subject (and of the entities that own it), parameters, assumptions, defines, enum members
after ``=``, ``!=``, ``in`` or inside a set literal (those of the left side's enum; none
when the left side is unknown), entities after ``for each``, the subject and its owners
after ``per`` (a cap's, ``once``'s; a ``limit``'s: the owners only, as the checker's E207
asks), only the sets and lists after a bare ``in``, tables after ``reaches``; where an
expression may start, the tables and the built-in functions too (the functions of a payment
schedule only where the checker allows them: :func:`_payments`); nothing inside a string or
a comment.

Which keywords may come next is asked of the parser itself: the text before the cursor is
fed to lark's interactive LALR parser (:func:`policyrules.parse.lark_parser`), whose
``accepts()`` names the terminals it could shift.  When that text does not parse, every
keyword of the grammar is offered (and every name).  An expression may start where the
parser accepts both a name and ``(``: a name alone is a declaration's, a type's or a
table's after ``reaches``.
"""

from __future__ import annotations

import re
from functools import cache

import attrs
from lark.exceptions import LarkError

from ..check_instalments import PAYMENT_CALLS, schedule_of
from ..model import CheckedPolicy
from ..parse import lark_parser
from ..types import Type
from .analysis import Analysis, Scope, scope_at
from .functions import FUNCTIONS

__all__ = ["Item", "completions", "keywords_after"]


@attrs.frozen
class Item:
    """One suggestion: ``kind`` is keyword, entity, fact, member, parameter, assumption,
    define, table or builtin."""

    label: str
    kind: str
    detail: str | None = None
    documentation: str | None = None


_PARTIAL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
_QUALIFIED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\.$")
# `kind = `, `overseas_authority != `, `x in {a, `: the left side names the enum.
_ENUM_PLACE = re.compile(
    r"(?P<left>[A-Za-z_][A-Za-z0-9_.]*)\s*(?:(?<![<>!])=|!=|≠|\bnot\s+in\b|\bin\b)\s*(?:\{[^{}]*)?$"
)
# `for each `, `for `: any entity's name comes next.
_ENTITY_PLACE = re.compile(r"\bfor(?:\s+each)?\s+$")
# `once per `, `cap … per `: the subject or an owner (E207); `limit 5 per `: an owner.
_PER_PLACE = re.compile(r"(?P<limit>\blimit\s+\S+\s+)?\bper\s+$")
# `x in `, `x not in ` (not in a set literal): a set or list comes next, or `force`.
_IN_PLACE = re.compile(r"\bin\s+$")
# `x reaches `: a table's name comes next.
_TABLE_PLACE = re.compile(r"\breaches\s+$")
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*')
_CLOSED_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


@cache
def _keyword_terminals() -> dict[str, tuple[str, ...]]:
    """Terminal name -> the keywords it matches (``PROVISION_KIND`` matches five)."""
    out: dict[str, tuple[str, ...]] = {}
    for t in lark_parser().terminals:
        value = t.pattern.value
        if t.pattern.type == "str" and re.fullmatch(r"[a-z]+", value):
            out[t.name] = (value,)
        elif t.pattern.type == "re" and (m := re.fullmatch(r"\(\?:([a-z]+(?:\|[a-z]+)*)\)", value)):
            out[t.name] = tuple(sorted(m.group(1).split("|")))
    return out


def _blank_comments(text: str) -> str:
    # Comments are ignored by the grammar but passed to parse()'s callback; blanked here so
    # the interactive parser never sees one.
    return _STRING_OR_COMMENT.sub(
        lambda m: " " * len(m.group()) if m.group().startswith("#") else m.group(), text
    )


def _accepted(prefix: str) -> set[str] | None:
    """The terminals the grammar accepts after ``prefix``, or ``None`` when it does not
    parse."""
    try:
        ip = lark_parser().parse_interactive(_blank_comments(prefix))
        ip.exhaust_lexer()
        accepted: set[str] = ip.accepts()  # type: ignore[no-untyped-call]
    except LarkError:
        return None
    return accepted


def _words(accepted: set[str]) -> tuple[str, ...]:
    terminals = _keyword_terminals()
    return tuple(sorted({w for name in accepted for w in terminals.get(name, ())}))


def keywords_after(prefix: str) -> tuple[tuple[str, ...], bool] | None:
    """The keywords the grammar accepts after ``prefix`` (a file's text up to the cursor)
    and whether a name may come there, or ``None`` when ``prefix`` does not parse."""
    accepted = _accepted(prefix)
    if accepted is None:
        return None
    return _words(accepted), "NAME" in accepted


def _enum_of(typ: Type) -> str | None:
    if typ.kind == "enum":
        return typ.name
    if typ.element is not None:
        return _enum_of(typ.element)
    return None


def _members(policy: CheckedPolicy, enum: str | None) -> list[Item]:
    return [
        Item(name, "member", f"{e.name}" + (f" ({e.title})" if e.title else ""), title)
        for e in policy.enums
        if enum is None or e.name == enum
        for name, title in e.members
    ]


def _names(policy: CheckedPolicy, scope: Scope, containers: bool = False) -> list[Item]:
    """The facts in scope, parameters, assumptions and defines; with ``containers``, only
    those of a set or list (what ``in`` needs; a define's type is not known here)."""

    def fits(typ: Type) -> bool:
        return not containers or typ.kind in ("set", "list")

    items = [
        Item(f.name, "fact", f"{ent.name}: {f.type.describe()}", f.title)
        for ent in policy.chain(scope.entity)
        for f in ent.facts
        if fits(f.type)
    ]
    items += [
        Item(p.name, "parameter", f"parameter: {p.type.describe()}", p.title)
        for p in policy.parameters
        if fits(p.type)
    ]
    items += [
        Item(a.name, "assumption", f"assumption: {a.type.describe()}", a.rationale)
        for a in policy.assumptions
        if fits(a.type)
    ]
    if not containers:
        items += [Item(d.name, "define", "define", d.title) for d in policy.defines]
    return items


def _tables(policy: CheckedPolicy) -> list[Item]:
    """The declared tables (a parameter of table type is offered as a parameter)."""
    return [
        Item(t.name, "table", f"table: {t.key.describe()} to {t.value.describe()}", t.title)
        for t in policy.tables
    ]


def _functions(payments: frozenset[str]) -> list[Item]:
    """The built-in functions, of the payment ones only ``payments``."""
    return [
        Item(f.name, "builtin", f.signature, f.meaning)
        for f in FUNCTIONS.values()
        if f.name not in PAYMENT_CALLS or f.name in payments
    ]


# The words that open a statement (a provision's, or a declaration's in a clause), and those
# inside a cap that open its parts: `per year of D`, `unless C raise to X`.
_OPENERS = frozenset(
    {
        "eligible", "amount", "minimum", "rounding", "cap", "once", "order", "due", "done",
        "require", "consequence", "encouraged", "tiers", "quota", "limit", "paid", "quote",
        "note", "for", "define", "parameter", "assumption", "table", "exclusive", "cumulative",
    }
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _statement(prefix: str) -> tuple[str, list[str]]:
    """The statement the end of ``prefix`` (a file's text up to the cursor) lies in: its
    opening word and the words after it (strings and comments left out)."""
    words = _WORD.findall(_STRING_OR_COMMENT.sub(" ", prefix))
    for i in range(len(words) - 1, -1, -1):
        # `paid yearly for N years`: that `for` is the schedule's, not a subject's
        if words[i] in _OPENERS and not (words[i] == "for" and words[i - 1 : i] == ["yearly"]):
            return words[i], words[i + 1 :]
    return "", words


def _payments(prefix: str, scope: Scope) -> frozenset[str]:
    """The payment built-ins (``payment_year()``, ``year_index()``, ``this_year()``) that may
    stand at the end of ``prefix``, as the checker allows them (E291, E290): in the amount
    and a cap's limit of an award paid yearly (``paid yearly for N years from D``), and
    ``payment_year()`` in the ``per year of`` of a cap of an award with either schedule; in
    a define, which the checker reads where it is used; nowhere else."""
    opener, rest = _statement(prefix)
    if opener == "define":
        return PAYMENT_CALLS
    schedule = schedule_of(scope.provision) if scope.provision is not None else None
    if schedule is None:
        return frozenset()
    if opener == "cap":
        unless = max((i for i, w in enumerate(rest) if w == "unless"), default=-1)
        year_of = max(
            (i for i in range(len(rest)) if rest[i : i + 3] == ["per", "year", "of"]),
            default=-1,
        )
        if unless > year_of:
            return frozenset()  # a cap's exception: the cap's own year, never the payment's
        if year_of >= 0:
            return frozenset({"payment_year"})
    if opener in ("amount", "cap") and rest[:1] != ["decided"] and schedule.yearly:
        return PAYMENT_CALLS
    return frozenset()


def _in_string_or_comment(before: str) -> bool:
    """Whether a line's text up to the cursor ends inside a string or a comment."""
    tokens = list(_STRING_OR_COMMENT.finditer(before))
    if not tokens or tokens[-1].end() != len(before):
        return False
    token = tokens[-1].group()
    return token.startswith("#") or _CLOSED_STRING.fullmatch(token) is None


def completions(
    analysis: Analysis,
    file: str,
    text: str,
    line: int,
    col: int,
    analysed: tuple[int, int] | None = None,
) -> list[Item]:
    """What may be written at a position (lines and columns from 1) of ``text``, the
    editor's current text of ``file``: nothing inside a string or a comment.  Names come
    from ``analysis`` (the last analysis of the policy whose files all parsed), in the
    scope of ``analysed``, where the position lies in the analysed text of ``file``
    (by default the same line and column)."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return []
    before = lines[line - 1][: col - 1]
    if _in_string_or_comment(before):
        return []
    partial = _PARTIAL.search(before)
    start = partial.start() if partial else len(before)
    head = before[:start]
    policy = analysis.policy
    module = analysis.modules.get(file)
    scope = scope_at(module, *(analysed or (line, col))) if module is not None else Scope()
    if policy is not None:
        if q := _QUALIFIED.search(head):
            entity = policy.entity(q.group(1))
            if entity is not None:
                return [
                    Item(f.name, "fact", f"{entity.name}: {f.type.describe()}", f.title)
                    for f in entity.facts
                ]
            if policy.enum(q.group(1)) is not None:
                return _members(policy, q.group(1))
            return []
        if m := _ENUM_PLACE.search(head):
            resolved = policy.resolve(tuple(m.group("left").split(".")), scope.entity)
            enum = _enum_of(resolved.type) if resolved is not None else None
            if enum is not None:
                return _members(policy, enum)
    offset = sum(len(li) + 1 for li in lines[: line - 1]) + start
    accepted = _accepted(text[:offset])
    if accepted is None:
        words = tuple(sorted({w for ws in _keyword_terminals().values() for w in ws}))
        name_ok = expression = True
    else:
        words, name_ok = _words(accepted), "NAME" in accepted
        expression = name_ok and "LPAR" in accepted
    items = [Item(w, "keyword") for w in words]
    if name_ok and policy is not None:
        if _ENTITY_PLACE.search(head):
            items += [Item(e.name, "entity", e.key, e.title) for e in policy.entities]
        elif per := _PER_PLACE.search(head):
            chain = policy.chain(scope.entity)[1 if per.group("limit") else 0 :]
            items += [Item(e.name, "entity", e.key, e.title) for e in chain]
        elif _TABLE_PLACE.search(head):
            items += _tables(policy)
            items += [
                Item(p.name, "parameter", f"parameter: {p.type.describe()}", p.title)
                for p in policy.parameters
                if p.type.kind == "table"
            ]
        elif _IN_PLACE.search(head):
            items += _names(policy, scope, containers=True)
        else:
            items += _names(policy, scope)
            if expression:
                items += _tables(policy) + _functions(_payments(text[:offset], scope))
    return items
