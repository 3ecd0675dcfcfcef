"""The parameters' and the assumptions' lines of a decision's Chinese text: a parameter's
value said as the run's (the caller's where the caller set it, else the encoding's default),
never the document's, which leaves it open; an assumption by what it decides and the value
taken.  Below
:mod:`policyrules.explain_zh`; the rows' texts (:mod:`~policyrules.backends.python.texts_zh`)
say them alike."""

from __future__ import annotations

from .explain_zh_memo import memo
from .vocab import PARAMETER_DEFAULT, PARAMETER_SET, PARAMETER_USED
from .words import Words, value_zh

__all__ = ["assumed_zh", "labelled_zh", "pairs_lines_zh"]


def labelled_zh(label: str, value: str) -> str:
    """``label：value``; a label that has its own ：(a title or rationale that explains
    itself: ``“一定比例”：…由实施细则确定``) takes the value in （）, so no line reads
    ``a：b：c``."""
    return f"{label}（{value}）" if "：" in label else f"{label}：{value}"


def assumed_zh(w: Words, name: str, value: str) -> str:
    """``年度上限按哪一日期计入年度：获批日期所在年度`` (:func:`labelled_zh`)."""
    return labelled_zh(w.assumption(name), w.assumption_value(name, value))


def pairs_lines_zh(
    w: Words,
    params: tuple[tuple[str, str], ...],
    assumed: tuple[tuple[str, str], ...],
    given: tuple[str, ...] = (),
) -> list[str]:
    """The parameters' line and the assumptions' line of a decision's Chinese text (none
    for none), each made once per words object and pairs; ``given``: the names of
    ``params`` the caller set (``Decision.parameters_set``), the others the encoding's
    defaults."""
    lines = []
    if params:
        said = memo(w, ("parameters", params, given), lambda: _parameters(w, params, given))
        lines.append(said)
    if assumed:
        lines.append(memo(w, ("assumptions", assumed), lambda: _assumptions(w, assumed)))
    return lines


def _parameters(w: Words, params: tuple[tuple[str, str], ...], given: tuple[str, ...]) -> str:
    said = "；".join(_parameter(w, k, v, k in given) for k, v in params)
    return f"  参数：{said}"


def _parameter(w: Words, name: str, value: str, given: bool) -> str:
    """``“一定比例”：…文本未给出；本次按 5% 计算（使用者设定，非文件规定）``: a value used, said
    as the caller's where ``given`` (set to the default's value too), else as the encoding's
    default, never as the document's; an unset one ``…（未设定）``; a parameter the words do
    not know (no policy) by its value alone."""
    title = w.parameter(name)
    if value == "unset" or w.checked.parameter(name) is None:
        return labelled_zh(title, value_zh(value))
    whose = PARAMETER_SET if given else PARAMETER_DEFAULT
    used = PARAMETER_USED.format(value=value_zh(value), whose=whose)
    return f"{title}{'；' if '：' in title else '：'}{used}"


def _assumptions(w: Words, assumed: tuple[tuple[str, str], ...]) -> str:
    said = "；".join(assumed_zh(w, k, v) for k, v in assumed)
    return f"  采用的假设：{said}"
