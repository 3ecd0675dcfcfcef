"""The lines of the English text a decision shares with others, and the short ones: its
heading, provision line and quote (each made once and kept, bounded), the parameters' and
assumptions' lines, the facts' line, a reason's line, a refused claim's line in the whole
text (:class:`Refused`) and a grant's parts.

Said from a decision (:func:`policyrules.explain.decision_text`) or from a claim's row
(``backends/python/texts.py``), alike.
"""

from __future__ import annotations

from typing import Any

from .decisions import Step
from .runtime.ledger import Grant, GrantRow
from .runtime.money import cn_text
from .runtime.values import NONE_TEXT, format_value
from .vocab import NONE_EN, label_en

__all__ = [
    "Refused",
    "because_en",
    "fact_leads_en",
    "facts_en",
    "grant_said",
    "head_en",
    "pairs_en",
    "provision_en",
    "quote_en",
    "refused_en",
    "step_line",
]

_STATUS = {
    "eligible": "ELIGIBLE",
    "not_eligible": "NOT ELIGIBLE",
    "unknown": "UNKNOWN",
    "met": "MET",
    "not_met": "NOT MET",
    "pending": "DUE",
}


def _label(label: str) -> str:
    """A measure as the texts cite it (:func:`~policyrules.vocab.label_en`): 第3条 for 3.,
    第一条 for 一、, but (六) as it stands."""
    return label_en(label)


# The lines a provision's decisions share (its heading by status, its provision line, its
# quote; the parameters and assumptions of an evaluation), each made once: a look-up is
# cheaper than an f-string, and a line kept is one whose hash and safety
# (printable_lines) are known.  Bounded.
_SHARED: dict[tuple[Any, ...], str] = {}
_SHARED_MAX = 4096


def _shared(key: tuple[Any, ...]) -> str:
    line = _SHARED.get(key)
    if line is None:
        what = key[0]
        if what == "head":
            _, status, number, document, clause, title = key
            where = f"{number or document} {_label(clause.rsplit('/', 1)[-1])}"
            line = f"[{_STATUS.get(status, status.upper())}] {where}"
            line += f" · {title}" if title else ""
        elif what == "provision":
            line = f"  provision: {key[1]} ({key[2]})"
        elif what in ("parameters", "assumptions"):
            pairs: Any = key[1]  # the decision's parameters or assumptions, (name, text)
            line = f"  {what}: " + "; ".join([f"{k} = {v}" for k, v in pairs])
        else:
            line = f"  text: 「{key[1]}」"
        if len(_SHARED) < _SHARED_MAX:
            _SHARED[key] = line
    return line


def head_en(status: str, number: str | None, document: str, clause: str, title: str | None) -> str:
    """A decision's first line without its subject: ``[ELIGIBLE] 京经信发〔2025〕50号 第3条
    · title`` (``clause``: the clause's id, ``…/3``)."""
    return _shared(("head", status, number, document, clause, title))


def provision_en(provision: str, kind: str) -> str:
    """A decision's provision line: ``  provision: id (award)``."""
    return _shared(("provision", provision, kind))


def quote_en(text: str) -> str:
    """A decision's line citing the text: ``  text: 「…」``."""
    return _shared(("text", text))


# The last parameters' and assumptions' pairs shown, by identity, with their line: the
# decisions of one evaluation share one tuple of each (no hash of the pairs for them).
_LAST: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {}


def pairs_en(what: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """The line of a decision's ``parameters`` or ``assumptions`` (``what``), ``(name,
    value text)`` pairs: ``  assumptions: a = x; b = y``."""
    last = _LAST.get(what)
    if last is not None and last[0] is pairs:
        return last[1]
    line = _shared((what, pairs))
    _LAST[what] = (pairs, line)
    return line


def facts_en(facts: tuple[tuple[str, str], ...]) -> str:
    """A decision's facts line (``(name, value text)`` pairs, as it lists them):
    ``  facts: product.approved_on = 2026-03-01; …``, a fact stated none in English."""
    said = "; ".join([f"{k} = {v}" for k, v in facts])
    if NONE_TEXT in said:  # else no value holds it: nothing to replace
        said = "; ".join([f"{k} = {v.replace(NONE_TEXT, NONE_EN)}" for k, v in facts])
    return "  facts: " + said


def fact_leads_en(names: tuple[str, ...]) -> tuple[str, ...]:
    """What :func:`facts_en` writes before each value when it lists the facts ``names``
    (each value's text follows its lead, no fact stated none):
    ``("  facts: product.approved_on = ", "; product.routes = ")``."""
    return tuple(("  facts: " if n == 0 else "; ") + f"{k} = " for n, k in enumerate(names))


def because_en(reason: str) -> str:
    """A line giving a reason a decision holds or not: ``  because: …``."""
    return f"  because: {_en(reason)}"


def _en(text: str) -> str:
    """A reason or fact value for the English text: a fact stated none in English words
    (the evaluator writes it as :data:`~policyrules.runtime.values.NONE_TEXT`)."""
    return text.replace(NONE_TEXT, NONE_EN)


class Refused(str):
    """The line the whole text (:func:`explain_text`) gives a decision not eligible, made
    without the decision (:func:`refused_en`); in ``said``, told apart from a full text."""

    __slots__ = ()


def refused_en(
    number: str | None,
    document: str,
    clause: str,
    provision: str,
    subject: str | None,
    reasons: tuple[str, ...] | list[str],
) -> str:
    """The line of a decision not eligible in the whole text, not escaped: ``  京经信发〔2025〕
    50号 第3条 launch_reward · f1/P1: reasons`` (``clause``: the clause's id)."""
    return (
        f"  {number or document} {_label(clause.rsplit('/', 1)[-1])} "
        f"{provision.rsplit('/', 1)[-1]}"
        f"{' · ' + subject if subject else ''}: {'; '.join(map(_en, reasons))}"
    )


def grant_said(g: Grant | GrantRow) -> tuple[str, str, str, int | None]:
    """A grant's provision, subject (its path's ids joined: ``f1/P1``), amount as a text
    shows it and year, from the grant or from its row as the evaluator keeps it
    (``(provision, path, fen, year)``): alike."""
    if isinstance(g, Grant):
        provision, path, amount, year = g.provision, g.path, format_value(g.amount), g.year
    else:
        provision, path, fen, year = g
        amount = cn_text(fen)  # (format_value of its Money)
    if len(path) == 2:  # (a firm's product, or whatever two levels: most grants)
        return provision, f"{path[0][1]}/{path[1][1]}", amount, year
    return provision, "/".join([i for _, i in path]), amount, year


def step_line(st: Step) -> str:
    """A trace step as ``✓ condition: firm.sme``, its kind said once where its text starts
    with it (``· amount: 172,500.00 元``, not ``amount: amount: …``)."""
    mark = {True: "✓", False: "✗", None: "·"}[st.ok]
    text = st.text.removeprefix(f"{st.kind}: ")
    return f"{mark} {st.kind}: {text}"
