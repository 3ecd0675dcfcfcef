"""What a what-if says in Chinese (``policyrules diff``, ``--lang zh``, the default): each
changed decision headed as the Chinese texts head it, its status and amount before → after
in their words, and the totals with money as they write it (``2800 万元``).

Below :mod:`policyrules.diff` and :mod:`policyrules.diff_batch`, whose ``text_zh`` put these
lines together; the words are :mod:`policyrules.vocab`'s.

>>> from policyrules.runtime.money import Money
>>> eligible = STATUSES["eligible"]
>>> outcome_zh(eligible, Money(10**9), "up_to"), outcome_zh(eligible, Money(8 * 10**8), "exact")
('符合条件，最高 1000 万元', '符合条件，800 万元（确定金额）')
>>> for line in totals_zh(Money(0), Money(6 * 10**7), Money(10**8), Money(6 * 10**7)):
...     print(line)
确定金额合计：0 万元 → 60 万元（增加 60 万元）
最高金额合计：100 万元 → 60 万元（减少 40 万元）
"""

from __future__ import annotations

from collections.abc import Sequence

from .explain_exclusive import provision_zh
from .explain_zh import titled_zh
from .explain_zh_pairs import assumed_zh
from .ledger_other import OtherReading
from .runtime.money import Money, cn_texts
from .vocab import AMOUNT_KINDS, KINDS, STATUSES, amount_words, quoted
from .words import Words

__all__ = [
    "ABSENT_ZH",
    "NO_CHANGE_ZH",
    "change_zh",
    "count_zh",
    "measure_zh",
    "notes_zh",
    "outcome_zh",
    "provision_delta_zh",
    "reading_note_zh",
    "signed_zh",
    "totals_zh",
    "unbounded_zh",
    "written_zh",
]

NO_CHANGE_ZH = "没有决定发生变化"
ABSENT_ZH = "无此项决定"  # a decision made by one run only
_EXACT = f"{AMOUNT_KINDS['exact']}合计"  # the sum of the exact amounts
_UPPER = f"{AMOUNT_KINDS['up_to']}金额合计"  # the sum of the upper bounds


def outcome_zh(status: str, amount: Money | None, kind: str | None) -> str:
    """A run's outcome: the status in words (``status``), then the amount as the letter
    says it (:func:`~policyrules.vocab.amount_words`); an amount not known, 金额待定."""
    if amount is None:
        return status if kind is None else f"{status}，金额{AMOUNT_KINDS['unknown']}"
    return f"{status}，{amount_words(kind, amount.format_cn())}"


def change_zh(measure: str, subject: str | None, was: str | None, now: str | None) -> str:
    """A changed decision: its measure (``京经信发〔2025〕50号 第6条 …``) and subject as the
    letter heads a decision, then before → after (:func:`outcome_zh`; ``None``: absent)."""
    head = f"{measure} —— 对象：{subject}" if subject else measure
    return f"{head}\n  {was or ABSENT_ZH} → {now or ABSENT_ZH}"


def signed_zh(m: Money, shown: str | None = None) -> str:
    """A difference: ``增加 60 万元``, ``减少 40 万元``, ``不变``; ``shown``: its size as
    written beside other amounts (:func:`~policyrules.runtime.money.cn_texts`)."""
    if not m.fen:
        return "不变"
    size = Money(abs(m.fen)).format_cn() if shown is None else shown
    return f"增加 {size}" if m.fen > 0 else f"减少 {size}"


def totals_zh(exact_was: Money, exact_now: Money, upper_was: Money, upper_now: Money) -> list[str]:
    """The two totals' lines, before → after (the difference), each line's three amounts
    in one unit."""
    lines = []
    for what, was, now in ((_EXACT, exact_was, exact_now), (_UPPER, upper_was, upper_now)):
        before, after, size = cn_texts(was.fen, now.fen, abs(now.fen - was.fen))
        lines.append(f"{what}：{before} → {after}（{signed_zh(now - was, size)}）")
    return lines


def count_zh(changed: int, decisions: int) -> str:
    return f"共 {decisions} 项决定，其中 {changed} 项有变化"


def unbounded_zh(was: int, now: int) -> str:
    """Eligible awards with no amount, which no bound can be summed for."""
    return f"{STATUSES['eligible']}、无法计算上限的{KINDS['award']}：{was} 项 → {now} 项"


def written_zh(out: object) -> str:
    return f"有变化的决定已写入 {out}"


def measure_zh(w: Words, provision: str) -> str:
    """A provision as the letter heads its decisions (``京经信发〔2025〕50号 第6条 …`` and
    its title): the registry's rows name only its id."""
    p = w.provisions.get(provision)
    if p is None:
        doc, _, rest = provision.partition("/")
        clause = rest.split("/", 1)[0]
        return titled_zh(w, None, provision, (None, doc, clause))
    info = w.checked.document(p.document)
    return titled_zh(w, p, provision, (info.number if info else None, p.document, p.clause))


def provision_delta_zh(
    measure: str, changed: int, decisions: int, exact: Money, upper: Money
) -> str:
    """One provision over a registry: how many of its decisions change, and by how much
    its exact amounts and its upper bounds."""
    e, u = cn_texts(abs(exact.fen), abs(upper.fen))
    return (
        f"{measure}：{decisions} 项决定中 {changed} 项有变化；"
        f"{AMOUNT_KINDS['exact']}{signed_zh(exact, e)}，"
        f"{AMOUNT_KINDS['up_to']}金额{signed_zh(upper, u)}"
    )


def reading_note_zh(w: Words, r: OtherReading) -> str:
    """:meth:`~policyrules.ledger_other.OtherReading.text` in Chinese: the earlier grants
    are read in the accounts they were counted in, not counted again."""
    if r.source == "facts":
        file = r.facts_file
        ledger = "事实中的台账" if file is None else f"事实文件 {file} 中的台账"
    else:
        ledger = f"台账 {r.where} "  # (a space before the Chinese after a file's name)
    counted = quoted(assumed_zh(w, r.assumption, r.counted))
    used = quoted(assumed_zh(w, r.assumption, r.used))
    how = "台账已记载" if r.said else "台账未记载，按默认值"
    return (
        f"说明：{ledger}记载的{provision_zh(w, r.provision)}此前拨付，是按{counted}计入的"
        f"（{how}）；本次按{used}计算时，这些拨付仍留在原来计入的账户中，不重新计入，"
        f"因此按{used}显示的金额，可能与把全部此前拨付都按其重新计入后应付的金额不同"
        "（实际拨付的运行会被拒绝：E335）"
    )


def notes_zh(w: Words, found: Sequence[OtherReading]) -> tuple[str, ...]:
    return tuple(reading_note_zh(w, r) for r in found)
