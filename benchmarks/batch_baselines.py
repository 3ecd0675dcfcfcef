"""Three hand-made formulations of device measure 3, the baselines of ``bench_batch.py``.

The rule (京经信发〔2025〕50号 第3条, ``launch_reward`` in policies/beijing_2025/jjxf-2025-50.rule,
default assumptions ``annual_cap_year = approval``, ``cap_share_order = first_approved``): a
product is eligible when it has a launch route or ``other_national_project``, its
``approved_on`` is in force (2025-11-24 to 2028-12-31) and no earlier grant above 0.00 元
paid it under this provision (once per product).  It asks ``launch_reward_decided``, cut to
200万元 (per product; with once per product an eligible product has no earlier grant to
count); a firm gets at most 1000万元 in the year of ``approved_on``, the ledger's grants of
that firm-year included, shared out in the order (approved_on, product id); the policy
orders ids naturally (P9 before P10), the baselines by text, the same order on the
generated ids (zero-padded).

Each baseline reads complete facts (the generated tables have no NULL), as a hand-written
job over this data would; the batch path's three-valued logic is its own extra work.  The
SQL query gives what the batch path's outputs carry, to be compared like for like: each
claim's status, amount and which caps bind (:data:`HAND_SQL`), written as the decisions
(:func:`hand_decisions`, every column of the batch contract) and the grants
(:func:`hand_grants`); the loop and OpenFisca give the grants alone.

**Why a running SUM suffices (used by the SQL query and by OpenFisca).**  In one firm-year,
let r_1..r_k >= 0 be the requests in claim order (0 for a claim not eligible), each already
cut to the per-product cap; R = max(0, 1000万元 - L) the room the ledger's grants L leave;
C_j = r_1 + ... + r_j, C_0 = 0.  The sequential rule grants g_j = min(r_j, R - G_{j-1}),
G_j = G_{j-1} + g_j, G_0 = 0.  Claim: G_j = min(C_j, R).  By induction: G_0 = 0 = min(0, R)
as R >= 0.  Then G_j = G_{j-1} + min(r_j, R - G_{j-1}) = min(G_{j-1} + r_j, R).  If
C_{j-1} <= R, then G_{j-1} = C_{j-1} and G_j = min(C_j, R).  Otherwise G_{j-1} = R and
G_j = min(R + r_j, R) = R = min(C_j, R), since C_j >= C_{j-1} > R.  Hence

    g_j = G_j - G_{j-1} = min(C_j, R) - min(C_j - r_j, R),

one running SUM of the requests per firm-year (not of the grants) and two ``least``.  (And
R - G_{j-1} >= 0 throughout, so the rule's max(0, ...) never bites inside a firm-year.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from batch_claims import FIRM_YEAR_CAP, IN_FORCE_FROM, IN_FORCE_TO, PER_PRODUCT_CAP, PROVISION

__all__ = [
    "HAND_SQL",
    "Claim",
    "LedgerRow",
    "OpenFiscaModel",
    "hand_decisions",
    "hand_grants",
    "python_loop",
    "to_tuples",
]

# One row per claim: firm, product, year, eligible, amount (BIGINT fen granted, NULL when not
# eligible), per_product and firm_year (whether each cap binds: the amount asked is cut by it).
# With once per product an eligible product has no earlier grant above 0.00 元, so its
# request is the decided amount cut to 200万元, and the per-product cap binds exactly when
# the decided amount is above it.
HAND_SQL = f"""
WITH earlier AS (
    SELECT firm, product, amount, year FROM ledger WHERE provision = '{PROVISION}'
),
paid AS (SELECT DISTINCT firm, product FROM earlier WHERE amount > 0),
used AS (
    SELECT firm, year, sum(amount) AS used FROM earlier WHERE year IS NOT NULL GROUP BY ALL
),
claims AS (
    SELECT p.firm_id AS firm, p.id AS product, p.approved_on,
           CAST(year(p.approved_on) AS INTEGER) AS year,
           (len(p.launch_routes) > 0 OR p.other_national_project)
               AND p.approved_on BETWEEN DATE '{IN_FORCE_FROM}' AND DATE '{IN_FORCE_TO}'
               AND paid.product IS NULL AS eligible,
           p.launch_reward_decided AS decided
    FROM products AS p
    LEFT JOIN paid ON paid.firm = p.firm_id AND paid.product = p.id
),
requests AS (
    SELECT *,
           CASE WHEN eligible THEN least(decided, {PER_PRODUCT_CAP}) ELSE 0 END AS request
    FROM claims
),
running AS (
    SELECT c.firm, c.product, c.year, c.eligible, c.decided, c.request,
           greatest(0, {FIRM_YEAR_CAP} - coalesce(u.used, 0)) AS room,
           sum(c.request) OVER (
               PARTITION BY c.firm, c.year ORDER BY c.approved_on, c.product
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
           ) AS cum
    FROM requests AS c
    LEFT JOIN used AS u ON u.firm = c.firm AND u.year = c.year
),
granted AS (
    SELECT firm, product, year, eligible, decided, request,
           CAST(least(cum, room) - least(cum - request, room) AS BIGINT) AS amount
    FROM running
)
SELECT firm, product, year, eligible,
       CASE WHEN eligible THEN amount END AS amount,
       eligible AND decided > {PER_PRODUCT_CAP} AS per_product,
       eligible AND amount < request AS firm_year
FROM granted
"""

# The caps as the decisions name them (the rule's text, as policyrules prints a cap).
PER_PRODUCT_TEXT = "200 万元 per product"
FIRM_YEAR_TEXT = (
    "1000 万元 per firm per year of if annual_cap_year = approval then approved_on"
    " else launch_reward_decided_on"
)
# The assumptions an eligible decision reads (the year and the order of the firm-year cap,
# and the first day events count from); a product not eligible reads the last two only.
_ASSUMED = ("annual_cap_year", "cap_share_order", "device_events_from")


def _names(names: Sequence[str]) -> str:
    return "CAST([" + ", ".join(f"'{n}'" for n in names) + "] AS VARCHAR[])"


def hand_decisions(table: str) -> str:
    """The decisions of measure 3 from the per-claim rows of :data:`HAND_SQL` in
    ``table``, every column of the batch contract (complete facts: nothing is missing,
    every amount is exact)."""
    caps = (
        f"CASE WHEN per_product AND firm_year THEN {_names([PER_PRODUCT_TEXT, FIRM_YEAR_TEXT])}"
        f" WHEN per_product THEN {_names([PER_PRODUCT_TEXT])}"
        f" WHEN firm_year THEN {_names([FIRM_YEAR_TEXT])} ELSE {_names([])} END"
    )
    return f"""
SELECT '{PROVISION}' AS provision, 'award' AS kind, firm || '/' || product AS subject, firm,
       CASE WHEN eligible THEN 'eligible' ELSE 'not_eligible' END AS status,
       amount, CAST(NULL AS BIGINT) AS amount_min,
       CASE WHEN eligible THEN 'exact' END AS amount_kind,
       {caps} AS binding_caps,
       {_names([])} AS missing_facts, {_names([])} AS missing_parameters,
       CASE WHEN eligible THEN {_names(_ASSUMED)} ELSE {_names(_ASSUMED[1:])} END
           AS assumptions
FROM {table}
"""


def hand_grants(table: str, entities: Sequence[str]) -> str:
    """The grants (above 0.00 元) from the per-claim rows in ``table``, with the batch
    contract's columns: provision, one id column per entity of the policy (``entities``,
    NULL but firm and product), amount (BIGINT fen), year."""
    ids = ", ".join(
        e if e in ("firm", "product") else f"CAST(NULL AS VARCHAR) AS {e}" for e in entities
    )
    return (
        f"SELECT '{PROVISION}' AS provision, {ids}, amount AS amount_fen, year FROM {table}"
        " WHERE eligible AND amount > 0"
    )


# (firm, product, approved_on, launch_routes, other_national_project, launch_reward_decided)
Claim = tuple[str, str, dt.date, list[str], bool, int]
# (provision, firm, product, amount, year)
LedgerRow = tuple[str, str, str, int, int | None]


def to_tuples(table: pa.Table, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """The rows of ``table`` as Python tuples of ``columns`` (the loop's input; not timed)."""
    return list(zip(*(table.column(c).to_pylist() for c in columns), strict=True))


def python_loop(claims: list[Claim], ledger: list[LedgerRow]) -> list[tuple[str, str, int]]:
    """(firm, product, amount in fen) for each claim paid more than 0.00 元."""
    paid = set()
    spent: dict[tuple[str, int], int] = {}  # (firm, year) -> granted so far, ledger included
    for provision, firm, product, amount, year in ledger:
        if provision == PROVISION:
            if amount > 0:
                paid.add((firm, product))
            if year is not None:
                spent[firm, year] = spent.get((firm, year), 0) + amount
    # The eligible claims of each firm-year, then each firm-year in (approved_on, id) order.
    years: dict[tuple[str, int], list[Claim]] = {}
    for claim in claims:
        firm, product, approved, routes, other, _ = claim
        if (
            (routes or other)
            and IN_FORCE_FROM <= approved <= IN_FORCE_TO
            and (firm, product) not in paid
        ):
            key = (firm, approved.year)
            group = years.get(key)
            if group is None:
                years[key] = [claim]
            else:
                group.append(claim)
    out = []
    for key, group in years.items():
        group.sort(key=_order)
        so_far = spent.get(key, 0)
        for firm, product, _, _, _, decided in group:
            grant = min(decided, PER_PRODUCT_CAP, max(0, FIRM_YEAR_CAP - so_far))
            so_far += grant
            if grant:
                out.append((firm, product, grant))
    return out


_order = itemgetter(2, 1)


class OpenFiscaModel:
    """OpenFisca-core's best formulation we found: entities ``product`` (person) and
    ``firm`` (group), one vectorised numpy formula for ``launch_reward``.

    OpenFisca's ``int`` is int32 and ``float`` float32: every stored value here is an int32
    that fits (requests at most 300万元 = 3×10^8 fen, a firm-year's earlier grants at most
    1000万元 = 10^9 fen, grants at most 2×10^8 fen; :meth:`inputs` asserts it), and the
    running sums, which exceed 2^31 fen (20 claims × 200万元), are computed in int64 inside
    the formula: exact throughout, no float.  OpenFisca holds no list and no sortable text,
    so the inputs carry ``has_launch_route`` (the list is non-empty) and ``product_order``
    (the rank of the product id), and the ledger joins (``paid_before``,
    ``firm_year_used``) are done before the simulation; the year is a fact of each claim,
    not OpenFisca's period (one period, 2026, holds every claim).  Only ``calculate`` is
    timed: these preparations and the simulation's construction are OpenFisca's for free.
    """

    PERIOD = "2026"

    def __init__(self) -> None:
        from openfisca_core.entities import build_entity
        from openfisca_core.periods import DateUnit
        from openfisca_core.taxbenefitsystems import TaxBenefitSystem
        from openfisca_core.variables import Variable

        product = build_entity(
            key="product", plural="products", label="医疗器械产品", is_person=True
        )
        firm = build_entity(
            key="firm",
            plural="firms",
            label="企业",
            roles=[{"key": "product", "plural": "products"}],
        )
        system = TaxBenefitSystem([product, firm])

        def declare(name: str, kind: type, **more: Any) -> None:
            attrs = {
                "value_type": kind,
                "entity": product,
                "definition_period": DateUnit.YEAR,
                "label": name,
                **more,
            }
            system.add_variable(type(name, (Variable,), attrs))

        declare("approved_on", dt.date)
        declare("has_launch_route", bool)
        declare("other_national_project", bool)
        declare("launch_reward_decided", int)
        declare("product_order", int)
        declare("paid_before", bool)
        declare("firm_year_used", int)
        declare("launch_reward", int, formula=_launch_reward)
        self.system = system

    def inputs(self, products: pa.Table, ledger: pa.Table) -> dict[str, np.ndarray]:
        """The input arrays for ``products`` (and ``firm_index``), joined with ``ledger``."""
        firm = products.column("firm_id").to_numpy(zero_copy_only=False).astype(str)
        pid = products.column("id").to_numpy(zero_copy_only=False).astype(str)
        approved = products.column("approved_on").to_numpy().astype("datetime64[D]")
        year = approved.astype("datetime64[Y]").astype(np.int64) + 1970
        routes = pc.list_value_length(products.column("launch_routes"))
        firms, firm_index = np.unique(firm, return_inverse=True)
        order = np.unique(pid, return_inverse=True)[1]
        mine = ledger.filter(pc.equal(ledger.column("provision"), PROVISION))
        l_firm = mine.column("firm").to_numpy(zero_copy_only=False).astype(str)
        l_prod = mine.column("product").to_numpy(zero_copy_only=False).astype(str)
        l_amount = mine.column("amount").to_numpy()
        l_year = mine.column("year").to_numpy(zero_copy_only=False)
        paid = set(zip(l_firm[l_amount > 0], l_prod[l_amount > 0], strict=True))
        used: dict[tuple[str, int], int] = {}
        for f, y, a in zip(l_firm, l_year, l_amount, strict=True):
            used[f, int(y)] = used.get((f, int(y)), 0) + int(a)
        paid_before = np.fromiter(
            ((f, p) in paid for f, p in zip(firm, pid, strict=True)), bool, len(firm)
        )
        firm_year_used = np.fromiter(
            (used.get((f, int(y)), 0) for f, y in zip(firm, year, strict=True)),
            np.int64,
            len(firm),
        )
        decided = products.column("launch_reward_decided").to_numpy()
        for big in (decided, firm_year_used):
            assert big.max(initial=0) < 2**31, "beyond OpenFisca's int32"
        return {
            "firm_index": firm_index,
            "firm_count": np.array(len(firms)),
            "approved_on": approved,
            "has_launch_route": routes.to_numpy(zero_copy_only=False) > 0,
            "other_national_project": products.column("other_national_project").to_numpy(
                zero_copy_only=False
            ),
            "launch_reward_decided": decided.astype(np.int32),
            "product_order": order.astype(np.int32),
            "paid_before": paid_before,
            "firm_year_used": firm_year_used.astype(np.int32),
        }

    def simulation(self, data: dict[str, np.ndarray]) -> Any:
        """A new simulation holding ``data`` (each calculation needs a fresh one: it caches)."""
        from openfisca_core.simulations import SimulationBuilder

        n = len(data["approved_on"])
        builder = SimulationBuilder()
        builder.create_entities(self.system)
        builder.declare_person_entity("product", np.arange(n))
        firms = builder.declare_entity("firm", np.arange(int(data["firm_count"])))
        builder.join_with_persons(firms, data["firm_index"], np.zeros(n, dtype=np.int64))
        sim = builder.build(self.system)
        for name, values in data.items():
            if name not in ("firm_index", "firm_count"):
                sim.set_input(name, self.PERIOD, values)
        return sim

    @classmethod
    def calculate(cls, sim: Any) -> np.ndarray:
        """``launch_reward`` per product, in fen, in the products table's order."""
        return np.asarray(sim.calculate("launch_reward", cls.PERIOD))


def _launch_reward(products: Any, period: Any) -> np.ndarray:
    approved = products("approved_on", period)
    eligible = (
        (products("has_launch_route", period) | products("other_national_project", period))
        & (approved >= np.datetime64(IN_FORCE_FROM))
        & (approved <= np.datetime64(IN_FORCE_TO))
        & ~products("paid_before", period)
    )
    decided = products("launch_reward_decided", period).astype(np.int64)
    request = np.where(eligible, np.minimum(decided, PER_PRODUCT_CAP), 0)
    year = approved.astype("datetime64[Y]").astype(np.int64)
    firm = products.simulation.populations["firm"].members_entity_id.astype(np.int64)
    order = np.lexsort((products("product_order", period), approved, year, firm))
    r = request[order]
    cum = np.cumsum(r)
    key = firm[order] * 100_000 + year[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    sizes = np.diff(np.r_[starts, len(key)])
    cum -= np.repeat(cum[starts] - r[starts], sizes)  # running sum within each firm-year
    used = products("firm_year_used", period).astype(np.int64)[order]
    room = np.maximum(0, FIRM_YEAR_CAP - used)
    granted = np.minimum(cum, room) - np.minimum(cum - r, room)
    out = np.empty(len(r), dtype=np.int32)
    out[order] = granted
    return out
