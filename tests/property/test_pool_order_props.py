"""Shared pools over permutations and split ledgers.

A small policy of five awards in two clauses: three linked through ``firm_year`` and
``firm_total`` (one pool-wide order for all three), two sharing ``product_pool``.

* permuting the award blocks of a clause, the clauses, and the items of the facts never
  changes any decision's status or amount, order dates missing at random included;
* with the claims evaluated in several runs, each run's grants added to the ledger of the
  next, no pool's total per key and period ever exceeds its cap, and nothing paid once is
  paid again;
* the same two permutation properties on the shipped Beijing policy's worked cases.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import shutil
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import Grant
from policyrules.api import Policy
from policyrules.reference import load_cases
from strategies import compile_text

HEAD = """entity firm
  list firms

entity product
  list products of firm
  fact approved_on: date
  fact decided_on: date
  fact awarded: money
  fact base: money

document d "测试"
"""

CLAUSES: dict[str, dict[str, str]] = {
    "1": {
        "a": """  award a
    for each product
    amount decided awarded
    cap 200 万元 per product
    cap 500 万元 per firm per year of approved_on shared firm_year
    once per product
    order by approved_on, id
""",
        "b": """  award b
    for each product
    amount 30% of base
    cap 500 万元 per firm per year of decided_on shared firm_year
    cap 800 万元 per firm shared firm_total
    order by decided_on, id
""",
    },
    "2": {
        "c": """  award c
    for each product
    amount decided awarded
    cap 150 万元 per product
    cap 800 万元 per firm shared firm_total
    once per firm
    order by approved_on, id
""",
        "e": """  award e
    for each product
    amount 30% of base
    cap 100 万元 per product shared product_pool
    order by decided_on, id
""",
        "f": """  award f
    for each product
    amount decided awarded
    cap 100 万元 per product shared product_pool
    order by approved_on, id
""",
    },
}

WAN = 1_000_000
FIRM_YEAR = {"d/1/a", "d/1/b"}  # 500 万元 per firm per year
FIRM_TOTAL = {"d/1/b", "d/2/c"}  # 800 万元 per firm
PRODUCT_POOL = {"d/2/e", "d/2/f"}  # 100 万元 per product
PRODUCT_CAP = {"d/1/a": 200 * WAN, "d/2/c": 150 * WAN}


def _text(clauses: Sequence[str], blocks: dict[str, Sequence[str]]) -> str:
    parts = [HEAD]
    for label in clauses:
        parts.append(f'\nclause {label} "奖励"\n  quote "q"\n')
        parts += ["\n" + CLAUSES[label][name] for name in blocks[label]]
    return "".join(parts)


@functools.cache
def _policy(text: str) -> Policy:
    return compile_text(text)


ORIGINAL = _text(["1", "2"], {"1": ["a", "b"], "2": ["c", "e", "f"]})

_money = st.one_of(
    st.none(),
    st.sampled_from((0, 1, 100 * WAN, 150 * WAN, 200 * WAN, 500 * WAN)),
    st.integers(0, 700 * WAN),
)
# A date, or (now and then) none: an `order by` key missing, its claim served as early as
# it could be and held (issue 9); a cap's year missing too where it is that date.
_day = st.one_of(st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)), st.none())
_product = st.tuples(st.sampled_from(("f1", "f2", "f10")), _money, _money, _day, _day)
_products = st.lists(_product, min_size=1, max_size=9)

Product = tuple[str, int | None, int | None, dt.date | None, dt.date | None]


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen).scaleb(-2)


def _facts(products: Sequence[tuple[int, Product]]) -> dict[str, Any]:
    firms: dict[str, list[dict[str, Any]]] = {}
    for i, (firm, decided, base, approved, decided_on) in products:
        item: dict[str, Any] = {"id": f"P{i}"}
        for key, day in (("approved_on", approved), ("decided_on", decided_on)):
            if day is not None:
                item[key] = day.isoformat()
        for key, fen in (("awarded", decided), ("base", base)):
            if fen is not None:
                item[key] = _yuan(fen)
        firms.setdefault(firm, []).append(item)
    return {"firms": [{"id": f, "products": ps} for f, ps in firms.items()]}


def _outcome(policy: Policy, facts: dict[str, Any]) -> dict[tuple[str, str | None], Any]:
    result = policy.evaluate(facts)
    return {(d.provision, d.subject): (d.status, d.amount, d.amount_kind) for d in result.decisions}


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(_products, st.randoms(use_true_random=False))
def test_permuting_provisions_and_facts_never_changes_an_amount(
    products: list[Product], rnd: random.Random
) -> None:
    """Award blocks of a clause, the clauses, firms and products, each in a random order:
    every decision (status, amount, kind) is the same as with the file and facts as written."""
    numbered = list(enumerate(products))
    want = _outcome(_policy(ORIGINAL), _facts(numbered))
    clauses = ["1", "2"]
    rnd.shuffle(clauses)
    blocks = {label: list(CLAUSES[label]) for label in clauses}
    for names in blocks.values():
        rnd.shuffle(names)
    rnd.shuffle(numbered)
    facts = _facts(numbered)
    rnd.shuffle(facts["firms"])
    assert _outcome(_policy(_text(clauses, blocks)), facts) == want


def _check_pools(grants: Sequence[Grant]) -> None:
    year: dict[tuple[str, int | None], int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    product: dict[tuple[str, str], int] = defaultdict(int)
    own: dict[tuple[str, tuple[tuple[str, str], ...]], int] = defaultdict(int)
    once: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for g in grants:
        firm = g.path[0][1]
        assert g.amount.fen >= 0
        if g.provision in FIRM_YEAR:
            assert g.year is not None
            year[(firm, g.year)] += g.amount.fen
        if g.provision in FIRM_TOTAL:
            total[firm] += g.amount.fen
        if g.provision in PRODUCT_POOL:
            product[(firm, g.path[1][1])] += g.amount.fen
        own[(g.provision, g.path)] += g.amount.fen
        key = (g.provision, g.path[:1] if g.provision == "d/2/c" else g.path)
        if g.provision in ("d/1/a", "d/2/c"):  # once per product, once per firm
            assert key not in once, f"{key} paid twice"
            once.add(key)
    assert all(fen <= 500 * WAN for fen in year.values()), year
    assert all(fen <= 800 * WAN for fen in total.values()), total
    assert all(fen <= 100 * WAN for fen in product.values()), product
    for (prov, _), fen in own.items():
        assert fen <= PRODUCT_CAP.get(prov, fen)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(_products, st.lists(st.integers(0, 3), min_size=9, max_size=9))
def test_pools_hold_with_the_ledger_split_across_runs(
    products: list[Product], parts: list[int]
) -> None:
    """Products split over up to four runs; each run's grants join the ledger of the next.
    Over all the runs, no pool's total per key and year exceeds its cap, and a once-only
    award is never paid twice."""
    policy = _policy(ORIGINAL)
    numbered = list(enumerate(products))
    ledger: list[Grant] = []
    for part in range(4):
        chosen = [(i, p) for i, p in numbered if parts[i] == part]
        if not chosen:
            continue
        result = policy.evaluate(_facts(chosen), ledger=ledger)
        ledger.extend(result.grants)
        _check_pools(ledger)


# ---- the shipped policy ----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "policies" / "beijing_2025"
CASES = load_cases(SHIPPED / "cases")


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


def _shuffled(value: Any, rnd: random.Random) -> Any:
    """Every list of items (dicts with an id) in a random order, recursively."""
    if isinstance(value, dict):
        return {k: _shuffled(v, rnd) for k, v in value.items()}
    if isinstance(value, list) and all(isinstance(x, dict) for x in value):
        items = [_shuffled(x, rnd) for x in value]
        rnd.shuffle(items)
        return items
    return value


def _all_amounts(policy: Policy) -> list[dict[tuple[str, str | None], Any]]:
    return [_outcome(policy, case.facts) for case in CASES]


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(CASES), st.randoms(use_true_random=False))
def test_shipped_cases_do_not_depend_on_facts_order(
    shipped: Policy, case: Any, rnd: random.Random
) -> None:
    """A worked case of the shipped policy, its firms, products and projects shuffled:
    every decision is the same."""
    assert _outcome(shipped, _shuffled(case.facts, rnd)) == _outcome(shipped, case.facts)


def _clauses_permuted(text: str, rnd: random.Random) -> str:
    """The clauses of a document in a random order (chapter lines dropped: they only
    label clauses), and the provisions of each clause too."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(("chapter ", "clause ")))
    blocks: list[list[str]] = []
    for line in lines[start:]:
        if line.startswith("chapter "):
            continue
        if line.startswith("clause ") or not blocks:
            blocks.append([])
        blocks[-1].append(line)
    out = []
    for block in blocks:
        head, provisions = _split_provisions(block)
        rnd.shuffle(provisions)
        out.append("\n".join(head + [line for p in provisions for line in p]))
    rnd.shuffle(out)
    return "\n".join(lines[:start]) + "\n" + "\n\n".join(out) + "\n"


def _split_provisions(block: list[str]) -> tuple[list[str], list[list[str]]]:
    kinds = ("  award ", "  deadline ", "  target ", "  entitlement ", "  declaration ")
    head: list[str] = []
    provisions: list[list[str]] = []
    for line in block:
        if line.startswith(kinds):
            provisions.append([])
        (provisions[-1] if provisions else head).append(line)
    return head, [[*p, ""] for p in provisions]


@pytest.mark.parametrize("seed", [1, 2])
def test_shipped_policy_with_clauses_permuted(shipped: Policy, tmp_path: Path, seed: int) -> None:
    """The shipped policy with the clauses of each document, and the provisions of each
    clause, in a seeded random order: every worked case's decisions are the same."""
    copy = tmp_path / "policy"
    shutil.copytree(SHIPPED, copy)
    rnd = random.Random(seed)
    changed = 0
    for path in sorted(copy.glob("*.rule")):
        text = path.read_text("utf-8")
        if "\nclause " in text:
            path.write_text(_clauses_permuted(text, rnd), "utf-8")
            changed += 1
    assert changed >= 2
    permuted = policyrules.load(copy)
    assert [p.info.id for p in permuted.compiled.provisions] != [
        p.info.id for p in shipped.compiled.provisions
    ]
    assert _all_amounts(permuted) == _all_amounts(shipped)
