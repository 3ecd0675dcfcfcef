"""A measure in plain words, generated from its encoding so it can never drift from it.

:func:`measure_summary` gives the structured summary of one clause (:class:`Summary`): 谁可申请
(an award's subject: who applies for it), 适用于 (the subject of any other kind: a time
limit's, an entitlement's; nobody applies for those), 条件, 给予, 档次, 上限, 期限,
未定事项, 相关措施, each a list of sentences made by
:class:`~policyrules.words.Words` from the provisions (never expression code).
:func:`summary_text` renders it for ``policyrules explain``; the clause reference renders the
same structure as a definition list (:mod:`policyrules.sphinxext_measure`).
"""

from __future__ import annotations

import re

import attrs

from . import syntax as s
from .model import CheckedPolicy, ClauseInfo, ProvisionInfo
from .summary_exclusive import related_exclusive
from .vocab import KINDS, heading_zh
from .words import Words, date_zh
from .words_tables import tables_read, tier_table_zh
from .words_years import schedule_words

__all__ = [
    "SECTIONS",
    "Summary",
    "measure_summary",
    "provision_said",
    "reader_note",
    "summary_text",
]

# The sections in reading order: (attribute, heading).
SECTIONS = (
    ("who", "谁可申请"),
    ("applies", "适用于"),
    ("conditions", "条件"),
    ("grants", "给予"),
    ("tiers", "档次"),
    ("caps", "上限"),
    ("deadlines", "期限"),
    ("open", "未定事项"),
    ("related", "相关措施"),
)

# The kinds a summary says what they give (a declaration gives nothing of its own).
_KIND = {k: KINDS[k] for k in ("award", "entitlement", "deadline", "target")}


@attrs.frozen
class Summary:
    """One measure in words: ``heading`` (京经信发〔2025〕50号 第3条 创新产品上市奖励) and a
    tuple of sentences per section of ``SECTIONS``; an empty tuple is a section the
    measure does not have."""

    clause: str
    heading: str
    who: tuple[str, ...] = ()
    applies: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    grants: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    caps: tuple[str, ...] = ()
    deadlines: tuple[str, ...] = ()
    open: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def sections(self) -> list[tuple[str, tuple[str, ...]]]:
        """The non-empty sections, in order: ``[(heading, sentences), ...]``."""
        out = [(title, getattr(self, name)) for name, title in SECTIONS]
        return [(title, items) for title, items in out if items]


def _heading(checked: CheckedPolicy, clause: ClauseInfo) -> str:
    doc = checked.document(clause.document)
    number = (doc.number if doc else None) or clause.document
    return heading_zh(number, clause.label, clause.title)


def _who(w: Words, p: ProvisionInfo) -> str | None:
    """Whom an award is for, or what another provision applies to: the subject's chain.  An
    award's applicant is the entity at the top (the firm), with what each claim is made for
    where that is below it: ``企业（按每笔技术改造贷款计）``, not ``企业的技术改造贷款`` (the
    thing paid for, read as the applicant); a time limit applies to ``企业的申报材料``."""
    if p.subject is None:
        return None
    chain = [w.entity(e.name) for e in reversed(w.checked.chain(p.subject))]
    if len(chain) == 1 or p.kind != "award":
        return "的".join(chain)
    each = chain[-1]
    word = next((m for end, m in _MEASURE_WORDS if each.endswith(end)), "个")
    return f"{chain[0]}（按每{word}{each}计）"


# The measure word of a claim's subject by how its title ends (每笔贷款, 每名人才); else 个.
_MEASURE_WORDS = (("贷款", "笔"), ("资金", "笔"), ("人才", "名"), ("人员", "名"), ("专家", "名"))


def _conjuncts(p: ProvisionInfo) -> list[s.Expr]:
    """The provision's conditions, each ``and`` split into its parts, in source order."""
    out: list[s.Expr] = []
    stack = [line.condition for line in reversed(p.eligible)]
    while stack:
        e = stack.pop()
        if isinstance(e, s.And):
            stack += [e.right, e.left]
        else:
            out.append(e)
    return out


def _limit(w: Words, p: ProvisionInfo) -> list[str]:
    """``limit N per E [per year of D]`` in words, as a cap is said: 单个企业每个年度（按入职
    日期所在年度计）奖励不超过 5 个高层次人才."""
    lim = p.limit
    if lim is None:
        return []
    n = str(lim.count) if isinstance(lim.count, int) else w.expr(s.Name((lim.count,)), p.subject)
    when = "累计"
    if lim.year_of is not None:
        when = f"每个年度（按{w.expr(lim.year_of, p.subject)}所在年度计）"
    who = w.entity(p.subject) if p.subject else ""
    return [f"单个{w.entity(lim.per)}{when}奖励不超过 {n} 个{who}"]


def _grant(w: Words, p: ProvisionInfo) -> str | None:
    scope = p.subject
    once = "".join(f"，每个{w.entity(o.entity)}只给一次" for o in p.once)
    once += "".join(f"，{x}" for x in _limit(w, p))
    if p.kind == "award":
        if p.amount is not None:
            return f"{_KIND['award']}：{w.expr(p.amount.expr, scope)}{once}"
        if p.decided is not None:
            what = w.fact_title(f"{_owner(w, p, p.decided.fact)}.{p.decided.fact}")
            return f"{_KIND['award']}：金额由主管部门决定（{what}）{once}"
        return f"{_KIND['award']}{once}"
    if p.kind == "entitlement":
        return f"{_KIND['entitlement']}：{p.consequence}" if p.consequence else _KIND["entitlement"]
    if p.kind == "target" and p.require is not None:
        return f"{_KIND['target']}：{w.expr(p.require.condition, scope)}"
    return None


def _owner(w: Words, p: ProvisionInfo, fact: str) -> str:
    r = w.checked.resolve((fact,), p.subject)
    return (r.entity if r is not None else None) or ""


def _deadline(w: Words, p: ProvisionInfo) -> str | None:
    if p.due is None:
        return None
    scope = p.subject
    start, period = w.expr(p.due.start, scope), w.expr(p.due.period, scope)
    text = f"自{start}起 {period}内（起算日当日不计入；期满日为休息日的，顺延至下一个工作日）"
    if p.done is not None:
        text += f"；以{w.expr(p.done.date, scope)}为完成日期"
    return text


def provision_said(w: Words, p: ProvisionInfo) -> dict[str, list[str]]:
    """A provision's caps (and once-only), deadlines and targets in words, by role, as the
    summary and the decisions say them: the clause reference's rows of each provision, where
    :func:`~policyrules.reference.provision_lines` gives the ``.rule`` text."""
    caps = [w.cap(cap, p.subject) for cap in p.caps]
    caps += [f"每个{w.entity(o.entity)}只给一次" for o in p.once]
    caps += _limit(w, p)
    deadline = _deadline(w, p)
    require = p.require.condition if p.require is not None else None
    return {
        "caps": caps,
        "deadlines": [deadline] if deadline is not None else [],
        "targets": [w.expr(require, p.subject)] if require is not None else [],
    }


def _validity(checked: CheckedPolicy, clause: ClauseInfo) -> str | None:
    doc = checked.document(clause.document)
    if doc is None or doc.valid_from is None:
        return None
    if doc.valid_to is None:
        return f"政策有效期：自{date_zh(doc.valid_from)}起（文本未规定截止日期）"
    return f"政策有效期：{date_zh(doc.valid_from)}至{date_zh(doc.valid_to)}"


def measure_summary(
    checked: CheckedPolicy, clause: ClauseInfo, words: Words | None = None
) -> Summary:
    """The summary of ``clause`` from its provisions, parameters, assumptions and twins.

    With several provisions in the clause, each sentence of a provision begins with its
    title (【…】).  An unset parameter, an assumption (with its default) and an amount the
    authority decides are listed under 未定事项."""
    w = words or Words.of(checked)
    own = [p for p in clause.provisions if p.kind in _KIND]
    many = len(own) > 1
    sections: dict[str, list[str]] = {name: [] for name, _ in SECTIONS}

    def add(section: str, p: ProvisionInfo, text: str) -> None:
        prefix = f"【{p.title}】" if many and p.title else ""
        sections[section].append(prefix + text)

    for p in own:
        scope = p.subject
        # (a target, a commitment measured over what is reported, names no subject)
        if p.kind != "target" and (who := _who(w, p)) is not None:
            add("who" if p.kind == "award" else "applies", p, who)
        for e in _conjuncts(p):
            add("conditions", p, w.expr(e, scope))
        if (grant := _grant(w, p)) is not None:
            add("grants", p, grant)
        if (paid := schedule_words(p.node)) is not None:
            add("grants", p, paid)
        for cap in p.caps:
            add("caps", p, w.cap(cap, scope))
        if (deadline := _deadline(w, p)) is not None:
            add("deadlines", p, deadline)
        if p.decided is not None:
            add("open", p, "具体金额由主管部门决定；未决定时只能给出上限")
    tables = [tb for n in tables_read(own) if (tb := tier_table_zh(w, n)) is not None]
    for table in tables:  # one table: its title is in 给予 (在《…》中所在档次对应的值)
        head = table.title if len(tables) > 1 else ""
        sections["tiers"] += [f"{head}{tier}：{value}" for tier, value in table.rows]
    if own and (validity := _validity(checked, clause)) is not None:
        sections["deadlines"].append(validity)
    names = list(dict.fromkeys([*clause.parameters, *(x for p in own for x in p.parameters)]))
    for name in names:
        param = checked.parameter(name)
        if param is not None and param.default is None:
            sections["open"].append(f"{w.parameter(name)}（未设定，可在计算时给出）")
    used = list(dict.fromkeys([*clause.assumptions, *(x for p in own for x in p.assumptions)]))
    for name in used:
        info = checked.assumption(name)
        if info is not None:
            value = w.assumption_value(name, w.assumptions.get(name, ""))
            sections["open"].append(f"{w.assumption(name)}：默认{value}（假设，可改）")
    for t in checked.twins_of(clause.id):
        other = checked.clause(t)
        if other is not None:
            sections["related"].append(f"相同规定：{_heading(checked, other)}")
    pools = {cap.shared for p in own for cap in p.caps if cap.shared}
    for p in checked.provisions():
        if p.clause != clause.id and any(c.shared in pools for c in p.caps):
            other = checked.clause(p.clause)
            where = _heading(checked, other) if other else p.clause
            sections["related"].append(f"共用上限额度：{where} {p.title or ''}".rstrip())
    sections["related"].extend(related_exclusive(checked, clause, own, _heading))
    return Summary(
        clause.id,
        _heading(checked, clause),
        **{name: tuple(dict.fromkeys(items)) for name, items in sections.items()},
    )


def summary_text(summary: Summary) -> str:
    """The summary as text: its heading, then each section as ``heading：`` and one
    indented line per sentence."""
    lines = [summary.heading]
    for title, items in summary.sections():
        lines.append(f"{title}：")
        lines.extend(f"  · {item}" for item in items)
    return "\n".join(lines) + "\n"


# A name in an author's note, and a bracket that holds only a name (and maybe more words).
_IDENT = re.compile(r"(?<![A-Za-z0-9_.])[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?![A-Za-z0-9_])")
_BRACKETED = re.compile(r"\s?[（(]\s*([a-z][a-z0-9_]*)\s*(?:[，,；;]\s*([^（）()]*))?[）)]")
_ONCE = re.compile(r"\bonce per ([a-z_]+)")
# Language words a note names in brackets, after saying the same in Chinese: 期限（deadline）.
_KEYWORDS = frozenset(
    {"award", "deadline", "target", "entitlement", "declaration", "decided", "once", "cap"}
)


def _note_titles(w: Words) -> dict[str, str]:
    """Every name an author's note may use, by its title: entities (and their keys in a facts
    file), facts (of any entity), parameters, assumptions (what they decide), enum members."""
    titles: dict[str, str] = {}
    for enum in w.checked.enums:
        titles.update({m: t for m, t in enum.members if t})
    for e in w.checked.entities:
        titles.update({f.name: w.fact_title(f"{e.name}.{f.name}") for f in e.facts if f.title})
        if e.title:
            titles.update({e.name: e.title, e.key: e.title})
    titles.update({p.name: w.parameter(p.name) for p in w.checked.parameters})
    titles.update({a.name: w.assumption(a.name) for a in w.checked.assumptions})
    return titles


def reader_note(w: Words, note: str) -> str:
    """An author's note as a reader sees it: a name in brackets after the words that say it
    (``须经认定（other_national_project）``) is dropped; a name in the running text is said by
    its title in 「」 (``由事实 factory_title 的填报口径决定``: 由事实「智能工厂获评的称号（第12
    条）」的填报口径决定), a kind of provision by its Chinese name, ``once per project`` as
    每个项目只给一次; acronyms (DRG, FDA) and other words stay as written."""
    titles = _note_titles(w)

    def bracketed(m: re.Match[str]) -> str:
        if m[1] not in titles and m[1] not in _KEYWORDS:
            return m[0]
        return f"（{m[2].strip()}）" if m[2] and m[2].strip() else ""

    def named(m: re.Match[str]) -> str:
        said = KINDS.get(m[0]) or titles.get(m[0])
        return f"\0「{said}」\0" if said else m[0]

    text = _BRACKETED.sub(bracketed, note)
    text = _ONCE.sub(lambda m: f"\0每个{w.entity(m[1])}只给一次\0", text)
    text = _IDENT.sub(named, text)
    # The spaces that set a name apart from Chinese text go with it.
    text = re.sub(r"(?<=[^\x00-\x7f]) \0|\0 (?=[^\x00-\x7f])", "\0", text)
    return text.replace("\0", "").replace("」 = 「", "」为「")
