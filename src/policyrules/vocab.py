"""The reader's words for what a decision is: one table each of status words, amount-kind
words, provision-kind words and evaluation reasons, in Chinese.

Every place that shows them reads them here: the Chinese letter of ``eval`` and its JSON
``text_zh`` (:mod:`policyrules.explain_zh`), the measure summaries
(:mod:`policyrules.summary`), the docs' measure pages and worked cases
(:mod:`policyrules.sphinxext_cases`, :mod:`policyrules.sphinxext_pages`), the terminal's
colours (:mod:`policyrules.colour`) and the calculator page, through ``labels.json``
(:func:`policyrules.serve_page.labels`).  ``tests/unit/test_vocab.py`` fails when another
place spells one of these words itself.

>>> status_words("met", "deadline"), status_words("met", "target"), status_words("unknown")
('按期完成', '已达到', '待定')
>>> amount_words("exact", "200 万元"), amount_words("up_to", "100 万元")
('200 万元（确定金额）', '最高 100 万元')
>>> amount_words("range", "100 万元", "20 万元")
'至少 20 万元，最高 100 万元'
"""

from __future__ import annotations

__all__ = [
    "AMOUNT_KINDS",
    "AMOUNT_PHRASES",
    "COVERAGE_LINES",
    "EARLIER_DEDUCTED",
    "EARLIER_KEPT",
    "EARLIER_READING_EN",
    "ENCOURAGED",
    "ENCOURAGED_EN",
    "ENCOURAGED_STATUSES",
    "EXCLUSIVE_RULES",
    "HOLD_REASONS",
    "HOLD_REASONS_EN",
    "KINDS",
    "NONE_EN",
    "ORDER_HOLD_ZH",
    "PARAMETER_DEFAULT",
    "PARAMETER_SET",
    "PARAMETER_USED",
    "PAYMENT_AHEAD",
    "PAYMENT_ENTITLEMENT",
    "PAYMENT_RAISED",
    "PAYMENT_STATUSES",
    "PAYMENT_UNDATED",
    "PENDING_UNDATED",
    "PENDING_UNJUDGED",
    "PENDING_UNJUDGED_ENCOURAGED",
    "PREVAILS_ZH",
    "REASONS",
    "SPENT",
    "SPENT_AMOUNT",
    "STATUSES",
    "STATUSES_ENCOURAGED",
    "STATUSES_OF_KIND",
    "amount_words",
    "chapter_zh",
    "heading_zh",
    "label_en",
    "label_zh",
    "quoted",
    "status_words",
]

STATUSES = {
    "eligible": "符合条件",
    "not_eligible": "不符合条件",
    "unknown": "待定",
}
"""A decision's status in words, for every kind of provision."""

STATUSES_OF_KIND = {
    "deadline": {"met": "按期完成", "not_met": "未按期完成", "pending": "尚未到期"},
    "target": {"met": "已达到", "not_met": "未达到", "pending": "尚未到期"},
}
"""The statuses of a deadline and a target, which have words of their own: ``pending`` (not
done) judged on an evaluation date before the due date (``--as-of``)."""

STATUSES_ENCOURAGED = {
    "deadline": {"met": "在鼓励期限内完成", "not_met": "未在鼓励期限内完成"},
    "target": {"met": "已达到鼓励目标", "not_met": "未达到鼓励目标"},
}
"""The statuses ``met`` and ``not_met`` of a deadline or a target the document encourages
(``encouraged``: 鼓励…1个月内快速挂网), where missing it breaks no requirement; ``pending`` is
said as any deadline's."""

ENCOURAGED_STATUSES = frozenset({"met", "not_met", "pending"})
"""The statuses whose decision says it is encouraged (:data:`ENCOURAGED`), in either language."""

ENCOURAGED = "文件以“鼓励”表述，不是强制要求"
"""What an encouraged deadline or target is (its decisions' line 性质, the clause
reference's field)."""

ENCOURAGED_EN = "encouraged: the document encourages this (鼓励); it is not a requirement"
"""The same line in the English text."""

PENDING_UNDATED = "尚未报告完成"
"""A deadline's or a target's ``pending`` without an evaluation date (no ``--as-of``): not
done by the facts, and whether it is overdue is not judged, so neither 尚未到期 nor 逾期."""

PENDING_UNJUDGED = "未给出评估日期，不判断是否已逾期"
"""The line that says once why a :data:`PENDING_UNDATED` decision is not judged: in words a
reader can act on (a service has no ``--as-of``); ``eval`` tells its operator the flag on
standard error."""

PENDING_UNJUDGED_ENCOURAGED = "未给出评估日期，不判断是否已超过鼓励期限"
"""The same line of a deadline the document only encourages (``encouraged``)."""

PAYMENT_STATUSES = {
    "paid": "已拨付",
    "due": "本次拨付",
    "future": "尚未到期",
    "held": "已到期，金额尚未确定，本次不拨付",
}
"""A payment of an award paid over time (分年拨付): granted before (the ledger), granted by
this evaluation, or in a later year (after ``--as-of``); ``held``: due, but its amount is
unknown or only a bound, so nothing is granted."""

PAYMENT_UNDATED = {
    "heading": "  分年拨付（未给出评估日期：逐年列出全部年度，均未到期；记入台账须给出评估日期）：",
    "heading_paid": (
        "  分年拨付（未给出评估日期：逐年列出全部年度，未拨付的各年度均未到期；"
        "记入台账须给出评估日期）："
    ),
    "status": "预计（未给出评估日期）",
}
"""A schedule evaluated without ``--as-of`` (a forecast, never recorded: E427): its heading
(``heading_paid`` where a year is paid already: 已拨付 is not 未到期) and the word for a
year not paid before."""

PAYMENT_ENTITLEMENT = "（应得总额扣除本项其他各期拨付后所余，由 {before} 减至此数）"
"""An instalment cut to what the entitlement leaves after the schedule's other payments (the
entitlement fell since they were paid: an award is an entitlement, never paid twice)."""

PAYMENT_RAISED = (
    "（以前各期拨付少于按现应得总额计算的份额，本期补足，由本期份额 {before} 增至此数）"
)
"""An instalment raised to settle what the earlier years were paid short of their shares of the
entitlement computed now (分期拨付: by year k the first k shares are due): the entitlement rose
since, or a year was paid less."""

PAYMENT_AHEAD = (
    "（以前各期拨付多于按现应得总额计算的份额，本期扣除多拨部分，由本期份额 {before} 减至此数）"
)
"""An instalment lowered by what the earlier years were paid ahead of their shares of the
entitlement computed now (by year k the first k shares are due, no more)."""

EARLIER_DEDUCTED = (
    "此前已获本项 {before}，已从本次金额中扣除"
    "（本工具按同一对象在本项下只有一项权益计算，只付差额）"
)
"""What an award granted the subject before (``{before}``: its money, ``600 万元``) did to
this claim: deducted, as the language reads every award (an entitlement, never paid twice),
which is the encoding's reading, not the document's words (whether the document lets a
subject claim again is for the clause's notes to say: the text here cannot know it)."""

EARLIER_KEPT = "此前已获本项 {before}（较低档次），未扣除：只给最高档，本次按所达档次全额计算"
"""An earlier grant of lower tiers not deducted (``tiers by`` read ``highest_only``: the tier
reached is paid in full)."""

EARLIER_READING_EN = (
    "; as this tool reads an award: one entitlement per subject, only the rest paid"
)
""":data:`EARLIER_DEDUCTED`'s reading in English, after the trace's step (``--lang en``)."""

SPENT = {"cap": "符合条件，额度已用完", "earlier": "符合条件，此前已获全额"}
"""The head of an eligible award whose exact amount is 0.00 元 because a cap's room is used up
(``cap``) or the award was granted in full before (``earlier``): 【符合条件】 and 0.00 元 read as
"qualified, 0 元" (hBF); the status stays ``eligible``."""

SPENT_AMOUNT = {
    "cap": "本次无可拨付金额：上限“{cap}”的额度已用完",
    "earlier": "本次无可拨付金额：此前已获本项全额",
}
"""Why such an award's amount is 0.00 元, in its amount line (``{cap}``: the cap in words)."""

AMOUNT_KINDS = {"exact": "确定金额", "range": "区间", "up_to": "最高", "unknown": "待定"}
"""An amount's kind, named (the docs' results tables: 金额性质)."""

AMOUNT_PHRASES = {
    "exact": "{amount}（" + AMOUNT_KINDS["exact"] + "）",
    "up_to": AMOUNT_KINDS["up_to"] + " {amount}",
    "range": "至少 {amount_min}，" + AMOUNT_KINDS["up_to"] + " {amount}",
    "unknown": AMOUNT_KINDS["unknown"],
}
"""An amount said with its kind; ``{amount}`` and ``{amount_min}`` stand for the money as
written (``200 万元``).  The calculator page fills the same templates."""

KINDS = {
    "award": "资金支持",
    "entitlement": "待遇",
    "deadline": "办理时限",
    "target": "工作目标",
    "declaration": "原则性表述",
}
"""The kinds of provision, as the overview, the measure pages and the summaries name them."""

EXCLUSIVE_RULES = {
    "keep highest": "按照就高原则",
    "keep highest ties by listed": "按照就高原则，金额相同的按排列在前的一项",
    "keep listed": "按规定的先后顺序",
}
"""An exclusive group's rule in words (``exclusive … keep highest``: 同一项目不重复支持)."""

HOLD_REASONS = {
    "eligibility": "是否符合条件尚未确定",
    "instalment": "其分年拨付中某一年度的金额尚未确定",
    "amount": "其金额尚未确定",
    "exclusive": "不重复支持（就高），尚未确定是否由其获得支持",
    "order": "在排序中的位置未知（排序所依据的情况尚缺），可能排在本申请之前",
    "year": "计入哪一年度未知（确定年度的情况尚缺），可能计入本申请所在年度",
    "once": "一次性奖励可能由在先尚未确定的申请获得，尚未确定是否由其获得",
}
"""Why an earlier claim holds room in a shared cap (:class:`policyrules.runtime.holds.Hold`),
which makes a later claim under it "at most": the Chinese letter's words, by ``why``."""

HOLD_REASONS_EN = {
    "eligibility": "its eligibility is unknown",
    "instalment": "a payment of its schedule is unknown",
    "amount": "its amount is not settled",
    "exclusive": "it may still lose to another award of its exclusive group",
    "order": "its place in the order is not known (an `order by` fact is missing)",
    "year": "the year it counts in is not known (the date is missing): it may count in this one",
    "once": "an earlier claim not yet settled may take the one-time award it claims",
}
""":data:`HOLD_REASONS` in English (``--lang en``)."""

ORDER_HOLD_ZH = (
    "在排序中的位置未知（尚缺{facts}）：按可能的最前位置计算，预留不超过 {amount}，"
    "同一上限内排在其后的申请因此只能给出上限"
)
"""A claim whose `order by` fact is missing (``explain_order``): served as early as it could
be, holding its bound ({facts}: the facts' titles; {amount}: the bound)."""

PARAMETER_USED = "本次按 {value} 计算（{whose}）"
"""A parameter's value a decision used (``{value}``: in words, ``5%``), and whose it is:
the document leaves a parameter open (一定比例), so its value is never the document's."""

PARAMETER_SET = "使用者设定，非文件规定"
"""Whose a parameter's value is when the caller set it (``--set``, ``parameters:``)."""

PARAMETER_DEFAULT = "编码的默认值，非文件规定"
"""Whose a parameter's value is when it is the default its ``.rule`` declaration gives."""

NONE_EN = "none (stated not to exist)"
"""A fact stated none, in the English text (``--lang en``); Chinese: 无（已声明不存在）."""

PREVAILS_ZH = (
    "以此为准：此前发布的有关规定与本文件不一致的，以本文件为准"
    "（文件未指明被替代的规定，不自动停止执行任何条款）"
)
"""A measure's summary line for ``prevails over earlier`` (以此为准 naming no document)."""

REASONS = {
    "E401": "期限的天数不是整数，或期限的末日超出 9999 年 12 月 31 日",
    "E410": "期限的天数为负数",
    "E412": "所需数值超过 40 位，无法精确计算",
    "E413": "所需数值无法精确计算",
    "E414": "对空列表求平均、最小或最大值，没有结果",
    "E415": "计算中除数为零",
    "E416": "主管部门决定的比例或金额超出文本规定的区间，属于事实数据有误",
    "E417": "分段计算的各段上限没有逐段提高",
    "E418": "择优排名在名额边界处并列（或数值低于最低一档），需主管部门确定先后",
    "E419": "台账中此前的发放未注明档次，无法按“只给最高档”计算",
    "E420": "同一上限的两项例外同时适用且上限不同，需主管部门裁定，不自行取舍",
    "E421": "台账中本项的拨付落在分年拨付计划的年度之外（起算日期可能已变更），需核对事实或台账",
    "E422": "分年拨付计划超出 9999 年",
    "E423": "不重复支持、按照就高原则时两项金额相同，文本未规定如何取舍，需主管部门确定",
    "E424": "本条已被后发文件替代，但未给出评估日期，无法判断是否仍适用",
    "E426": "逐年列出的金额含有分年拨付计划最后一年之后的年度，该年度不在计划内，不能略去不提："
    "需核对事实，或按自起算日起计算的期限改写拨付计划",
    "E501": "所需年份的放假安排尚未公布，无法确定哪些日子是工作日，期限无法计算",
    "E502": "推算放假安排的年份超出 2000—2099 年的范围",
}
"""Why a decision could not be made, by the code the evaluator gives (grammar/README.md's
catalogue): each code an evaluation can end a decision with has its words here."""


COVERAGE_LINES = {
    "unset": "未设定参数：{title}",
    "determination": "需主管部门认定：{title}",
    "decided": "金额由主管部门决定：{title}",
    "decided_range": "由主管部门在文件规定的范围内决定：{title}",
    "assumption": "采用假设：{title}",
    "twin": "与{clause}为同一事项",
    "count": "{document}：共 {measures} 项措施，已编码 {encoded} 项",
    "count_unstated": "{document}：已编码 {encoded} 项措施，措施总数未注明",
    "total": "合计：共 {measures} 项措施，已编码 {encoded} 项",
    "total_unstated": "合计：已编码 {encoded} 项，各文件均未注明措施总数",
    "total_part": (
        "合计：已编码 {encoded} 项；注明总数的文件共 {measures} 项措施，"
        "已编码 {stated_encoded} 项；另 {documents} 份文件未注明总数，已编码 {unstated_encoded} 项"
    ),
}
"""The lines of ``policyrules coverage`` in Chinese (:func:`policyrules.coverage.coverage_text_zh`),
by what a measure leaves open: ``{title}`` the policy's own title of the parameter, fact or
assumption (a reader's line: its name in the rule files is left to the English text and the
JSON); ``decided_range`` a rate or amount the
agency picks within a range the text sets (``amount LOW to HIGH decided FACT``);
``{clause}`` a twin measure (:func:`heading_zh`); then the counts per document against
``measures N`` (``count_unstated`` where a document states none) and in all: ``total``
when every document states its count; else a document stating none adds to the measures
encoded but to no total (its encoded ones are not its count): ``total_part`` the documents
that state it and those that do not apart, ``total_unstated`` when none does."""


def status_words(
    status: str, kind: str | None = None, *, dated: bool = True, encouraged: bool = False
) -> str:
    """A status in words; a deadline's and a target's ``met``, ``not_met`` and ``pending``
    their own (a status without a kind is read as a deadline's), those of one the document
    only encourages (``encouraged``) :data:`STATUSES_ENCOURAGED`, ``pending`` without an
    evaluation date (``dated`` false: no ``--as-of``) :data:`PENDING_UNDATED`; an unknown
    status as written.

    >>> status_words("pending", "deadline"), status_words("pending", "deadline", dated=False)
    ('尚未到期', '尚未报告完成')
    >>> status_words("not_met", "deadline", encouraged=True)
    '未在鼓励期限内完成'
    """
    if encouraged and (word := STATUSES_ENCOURAGED.get(kind or "deadline", {}).get(status)):
        return word
    own = STATUSES_OF_KIND.get(kind or "deadline", {})
    if status == "pending" and not dated and status in own:
        return PENDING_UNDATED
    return own.get(status) or STATUSES.get(status) or status


def amount_words(kind: str | None, amount: str, amount_min: str | None = None) -> str:
    """An amount (money as written: ``200 万元``) with its kind: ``200 万元（确定金额）``,
    ``最高 100 万元``, ``至少 20 万元，最高 100 万元``; a range without its low end as an
    upper bound; no kind, the money alone."""
    if kind == "range" and amount_min is None:
        kind = "up_to"
    template = AMOUNT_PHRASES.get(kind or "", "{amount}")
    return template.format(amount=amount, amount_min=amount_min)


_NUMERALS = frozenset("一二三四五六七八九十百零〇")


def _article(label: str) -> bool:
    """Whether a label numbers an article (条): ``3``, or a Chinese numeral, ``一``, which the
    texts print as 一、 and cite as 第一条 (本措施第二条、第三条)."""
    return label.isdigit() or (bool(label) and set(label) <= _NUMERALS)


def label_zh(label: str) -> str:
    """A measure's label as the texts cite it: ``第3条``, ``第一条`` for an article's number
    (in digits or in Chinese numerals); a label in brackets with the text's own full-width
    brackets, ``（六）`` (a ``.rule`` file writes ``(六)``, which stays the measure's id);
    any other as written.

    >>> label_zh("3"), label_zh("一"), label_zh("二十一"), label_zh("(六)"), label_zh("（八）")
    ('第3条', '第一条', '第二十一条', '（六）', '（八）')
    """
    if _article(label):
        return f"第{label}条"
    if label.startswith("(") and label.endswith(")"):
        return f"（{label[1:-1]}）"
    return label


def label_en(label: str) -> str:
    """:func:`label_zh` for the English texts: the same 第…条, a bracketed label with
    half-width brackets, as the ``.rule`` file writes it.

    >>> label_en("3"), label_en("一"), label_en("(六)"), label_en("（八）"), label_en("附件")
    ('第3条', '第一条', '(六)', '(八)', '附件')
    """
    said = label_zh(label)
    return f"({said[1:-1]})" if said.startswith("（") and said.endswith("）") else said


def quoted(text: str) -> str:
    """``text`` in “”, a quotation inside it in ‘’ (GB/T 15834, as docs/glossary.md writes
    it): ``“早期创新创业项目（…‘创赢未来’路演）”``, not “…“创赢未来”…”.

    >>> quoted("路演（“创赢未来”）")
    '“路演（‘创赢未来’）”'
    """
    if "“" in text or "”" in text:
        text = text.replace("“", "‘").replace("”", "’")
    return f"“{text}”"


def chapter_zh(number: str, title: str) -> str:
    """A chapter (a part of a document: ``chapter 一 "…"`` in a ``.rule`` file) as the text
    heads it, its number and a 顿号 before its title, not 第一章.

    >>> chapter_zh("一", "支持创新器械临床研发和注册上市")
    '一、支持创新器械临床研发和注册上市'
    """
    return f"{number}、{title}"


def heading_zh(number: str, label: str, title: str | None = None) -> str:
    """A measure as the texts name and head it, the one place that spells it: the
    document's number (else its name; ``""`` for the label alone, under the document's own
    heading), the label (:func:`label_zh`) and the title if any; a space between them,
    none beside a full-width bracket, as the text prints it.

    >>> heading_zh("京经信发〔2025〕50号", "3", "创新产品上市奖励")
    '京经信发〔2025〕50号 第3条 创新产品上市奖励'
    >>> heading_zh("京医保发〔2025〕5号", "(八)", "药械检验能力"), heading_zh("B号", "(八)")
    ('京医保发〔2025〕5号（八）药械检验能力', 'B号（八）')
    >>> heading_zh("", "3", "创新产品上市奖励"), heading_zh("", "(六)", "审评审批试点时限")
    ('第3条 创新产品上市奖励', '（六）审评审批试点时限')
    >>> heading_zh("", "", "奖励")  # no measure known: the title alone
    '奖励'
    """
    said = label_zh(label)
    head = f"{number}{'' if not number or said.startswith('（') else ' '}{said}"
    if not title:
        return head
    return f"{head}{'' if not head or head.endswith('）') else ' '}{title}"
