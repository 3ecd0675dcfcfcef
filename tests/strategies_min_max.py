"""Random ``min()``/``max()`` expressions, a policy reading them and registries for it, for
the batch's equivalence property (``tests/property/test_batch_equivalence_props.py``).

:func:`min_max_policies` draws the text of a policy whose one award's amount and condition
are built of ``min`` and ``max`` of every arity and type the checker accepts: money (facts,
literals, ``rate of money``, sums), rates, numbers, dates, a list of money (``min(L)``,
undecided when empty) and a set literal (``min({a, b})``), nested.  :func:`min_max_firms`
draws firms for it with each fact missing at random and a few round values, so operands
often tie and often one is unknown while another is known.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

__all__ = ["min_max_firms", "min_max_policies"]

_POLICY = """entity firm
  list firms
  fact a: money
  fact b: money
  fact c: money
  fact r: rate
  fact q: rate
  fact n: number
  fact m: number
  fact d: date
  fact e: date
  fact ls: list of money

document mm "测试"
  issued 2026-01-01

clause 1 "一"
  quote "q"

  award x "X"
    quote "q"
    for each firm
{cond}    amount {amount}
{cap}"""

_MONEY_LEAVES = ["a", "b", "c", "30 万元", "r of a", "q of b", "3.45% of c", "min(ls)", "max(ls)"]
_MONEY_LITERALS = ["0 元", "10 万元", "30 万元", "1000.01 元"]


def _call(func: str, args: list[str]) -> str:
    return f"{func}({', '.join(args)})"


@st.composite
def _money(draw: st.DrawFn, depth: int = 2) -> str:
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(_MONEY_LEAVES))
    shape = draw(st.sampled_from(["call", "call", "set", "share", "sum"]))
    if shape == "share":  # 按…的 50%: a rate of the min/max
        inner = draw(_money(depth - 1))
        return f"50% of ({inner})" if " " in inner else f"50% of {inner}"
    if shape == "sum":
        return f"{draw(_money(depth - 1))} + {draw(_money(depth - 1))}"
    func = draw(st.sampled_from(["min", "max"]))
    args = draw(st.lists(_money(depth - 1), min_size=1, max_size=3))
    if shape == "set":
        return f"{func}({{{', '.join(args)}}})"
    if len(args) == 1:  # min(x) of one value is the value; ls alone is min(L)
        args.append(draw(st.sampled_from(_MONEY_LITERALS)))
    return _call(func, args)


def _ordered(kind: str) -> st.SearchStrategy[str]:
    leaves = {
        "rate": (["r", "q", "3.45%", "0%"], ["3%", "3.45%"]),
        "number": (["n", "m", "2", "year(d)"], ["2", "2026"]),
        "date": (["d", "e", "2026-06-01"], ["2026-03-01", "2026-06-01"]),
    }[kind]
    func = st.sampled_from(["min", "max"])
    args = st.lists(st.sampled_from(leaves[0]), min_size=2, max_size=3)
    return st.builds(
        lambda f, xs, op, lit: f"{_call(f, xs)} {op} {lit}",
        func,
        args,
        st.sampled_from(["<", "<=", "=", ">=", ">"]),
        st.sampled_from(leaves[1]),
    )


@st.composite
def _condition(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["rate", "number", "date", "money", "list", "none"]))
    if kind == "none":
        return ""  # the amount alone decides
    if kind == "money":
        return f"{draw(_money(1))} >= 10 万元"
    if kind == "list":
        return f"{draw(st.sampled_from(['min', 'max']))}(ls) > 10 万元"
    return draw(_ordered(kind))


@st.composite
def min_max_policies(draw: st.DrawFn) -> str:
    """The text of a policy with award ``x``: a condition and an amount of min/max."""
    amount = draw(_money())
    cap = draw(st.sampled_from(["", "    cap 50 万元 per firm\n"]))
    cond = draw(_condition())
    line = f"    eligible when {cond}\n" if cond else ""
    return _POLICY.format(cond=line, amount=amount, cap=cap)


_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "a": st.sampled_from(["0元", "10万元", "30万元", "413,700.00元", "1,000.01元"]),
    "b": st.sampled_from(["0元", "10万元", "30万元", "1000万元"]),
    "c": st.sampled_from(["10万元", "1000万元", "5亿元"]),
    "r": st.sampled_from(["0%", "3%", "3.45%", "50%"]),
    "q": st.sampled_from(["3%", "3.45%", "100%"]),
    "n": st.sampled_from([0, 2, 3, 2026]),
    "m": st.sampled_from([2, 5]),
    "d": st.sampled_from(["2026-03-01", "2026-06-01", "2026-12-31"]),
    "e": st.sampled_from(["2026-06-01", "2027-01-01"]),
    "ls": st.lists(st.sampled_from(["10万元", "30万元", "1,000.01元"]), max_size=3),
}


@st.composite
def min_max_firms(draw: st.DrawFn) -> dict[str, Any]:
    """Facts of one to three firms for :func:`min_max_policies`, each fact missing at random."""
    firms = []
    for i in range(draw(st.integers(1, 3))):
        firm: dict[str, Any] = {"id": f"F{i}"}
        for name, values in _VALUES.items():
            if draw(st.integers(0, 3)):
                firm[name] = draw(values)
        firms.append(firm)
    return {"firms": firms}
