"""The claims of the anchor benchmark: device measure 3 (京经信发〔2025〕50号 第3条).

``generate(n)`` builds, with numpy and pyarrow (vectorised, no Python object per row), the
input tables of the batch contract in their canonical engine types for ``n`` claims, 20
products (claims) per firm:

- ``firms``: ``id`` VARCHAR;
- ``products``: ``id`` VARCHAR (``P00`` .. ``P19``, unique within a firm: zero-padded, so
  their text order, which the hand-made baselines use, is the policy's natural order of
  ids, see :mod:`policyrules.runtime.order`), ``firm_id``
  VARCHAR, ``approved_on`` DATE, ``launch_routes`` VARCHAR[] (0, 1 or 2 distinct routes),
  ``other_national_project`` BOOLEAN, ``launch_reward_decided`` BIGINT fen (10万元 to
  300万元, any fen, so the 200万元 cap binds on about a third), ``launch_reward_decided_on``
  DATE (read only under the non-default ``annual_cap_year``);
- ``ledger``: earlier grants under 第3条: for 5 % of firms one to five grants of up to
  200万元 to products not in the table, counted in 2026 (so some firm-years start with
  their cap partly or wholly used); for another 3 % one grant to one of the firm's own
  products in the year of its approval (once per product: that product gets nothing more;
  a tenth of these are 0.00 元, which is no payment and uses nothing up).  The ledger is
  kept within both caps, as the one-by-one path insists (E329).

Approval dates run from 2025-10-01 to 2027-03-31 (so about 9 % fall before the policy's
first day, 2025-11-24, and about 13 eligible claims share a firm-year: the 1000万元
firm-year cap binds often), plus 2 % in 2029, after the policy expires.  The same ``n``
gives the same tables (a fixed seed for numpy's PCG64).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = [
    "CLAIMS_PER_FIRM",
    "FIRM_YEAR_CAP",
    "IN_FORCE_FROM",
    "IN_FORCE_TO",
    "PER_PRODUCT_CAP",
    "PROVISION",
    "ROUTES",
    "generate",
    "load",
]

PROVISION = "jjxf_2025_50/3/launch_reward"
PER_PRODUCT_CAP = 200_0000_00  # 200 万元 in fen
FIRM_YEAR_CAP = 1000_0000_00  # 1000 万元 in fen
# "approved_on in force": from the later of the policy's first day and device_events_from
# (both 2025-11-24) to the day it expires.
IN_FORCE_FROM = dt.date(2025, 11, 24)
IN_FORCE_TO = dt.date(2028, 12, 31)
ROUTES = (
    "miit_jiebang_guashuai",
    "national_special_review",
    "beijing_special_review",
    "national_priority_review",
    "beijing_priority_review",
)
CLAIMS_PER_FIRM = 20
TABLES = ("firms", "products", "ledger")

_EPOCH = np.datetime64("1970-01-01", "D")


def _days(d: str) -> int:
    return int((np.datetime64(d, "D") - _EPOCH).astype(np.int64))


def _date_array(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.int32()).cast(pa.date32())


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded ``numbers`` as a VARCHAR column, built by numpy."""
    digits = np.char.zfill(numbers.astype(f"U{width}"), width)
    return pa.array(np.char.add(prefix, digits), type=pa.string())


def generate(n: int, seed: int = 20251124) -> dict[str, pa.Table]:
    """The ``firms``, ``products`` and ``ledger`` tables for ``n`` claims (a multiple of 20)."""
    if n % CLAIMS_PER_FIRM:
        raise ValueError(f"n must be a multiple of {CLAIMS_PER_FIRM}")
    rng = np.random.default_rng(seed + n)
    n_firms = n // CLAIMS_PER_FIRM
    firm_ids = _ids("F", np.arange(n_firms), 7)
    firm_of = np.repeat(np.arange(n_firms), CLAIMS_PER_FIRM)
    within = np.tile(np.arange(CLAIMS_PER_FIRM), n_firms)

    start, span = _days("2025-10-01"), _days("2027-03-31") - _days("2025-10-01") + 1
    approved = start + rng.integers(0, span, n)
    late = rng.random(n) < 0.02
    approved[late] = _days("2029-01-01") + rng.integers(0, 181, int(late.sum()))
    decided_on = approved + rng.integers(30, 200, n)

    # 0, 1 or 2 distinct routes per product, as a list column (offsets + flat values).
    counts = rng.choice(3, size=n, p=[0.35, 0.45, 0.20])
    first = rng.integers(0, len(ROUTES), n)
    second = (first + 1 + rng.integers(0, len(ROUTES) - 1, n)) % len(ROUTES)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    flat = np.empty(int(offsets[-1]), dtype=np.int64)
    flat[offsets[:-1][counts >= 1]] = first[counts >= 1]
    flat[offsets[:-1][counts == 2] + 1] = second[counts == 2]
    route_names = pa.array(ROUTES, type=pa.string()).take(pa.array(flat))
    routes = pa.ListArray.from_arrays(pa.array(offsets), route_names)

    products = pa.table(
        {
            "id": _ids("P", within, 2),
            "firm_id": firm_ids.take(pa.array(firm_of)),
            "approved_on": _date_array(approved),
            "launch_routes": routes,
            "other_national_project": pa.array(rng.random(n) < 0.25),
            "launch_reward_decided": pa.array(
                rng.integers(10_0000_00, 300_0000_00 + 1, n), type=pa.int64()
            ),
            "launch_reward_decided_on": _date_array(decided_on),
        }
    )
    firms = pa.table({"id": firm_ids})
    return {"firms": firms, "products": products, "ledger": _ledger(rng, firm_ids, approved)}


def _ledger(rng: np.random.Generator, firm_ids: pa.Array, approved: np.ndarray) -> pa.Table:
    n_firms = len(firm_ids)
    # Grants to other products (L01 .. L05) in 2026: at most 5 × 200万元 = the firm-year cap.
    other = np.flatnonzero(rng.random(n_firms) < 0.05)
    per = rng.integers(1, 6, len(other))
    o_firm = np.repeat(other, per)
    o_prod = np.concatenate([np.arange(1, k + 1) for k in per]) if len(per) else np.zeros(0)
    o_amount = rng.integers(0, PER_PRODUCT_CAP + 1, len(o_firm))
    o_year = np.full(len(o_firm), 2026)
    # One grant to one of the firm's own products, in its approval year (firms not above).
    own = np.setdiff1d(np.flatnonzero(rng.random(n_firms) < 0.03), other)
    which = rng.integers(0, CLAIMS_PER_FIRM, len(own))
    row = own * CLAIMS_PER_FIRM + which
    w_amount = rng.integers(1, PER_PRODUCT_CAP + 1, len(own))
    w_amount[rng.random(len(own)) < 0.1] = 0
    w_year = approved[row].astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    products = pa.concat_arrays([_ids("L", o_prod, 2), _ids("P", which, 2)])
    firm = firm_ids.take(pa.array(np.concatenate([o_firm, own]).astype(np.int64)))
    return pa.table(
        {
            "provision": pa.array([PROVISION] * len(firm), type=pa.string()),
            "firm": firm,
            "product": products,
            "amount": pa.array(np.concatenate([o_amount, w_amount]), type=pa.int64()),
            "year": pa.array(np.concatenate([o_year, w_year]), type=pa.int32()),
        }
    )


def load(directory: Path, n: int, *, regenerate: bool = False) -> dict[str, pa.Table]:
    """The tables for ``n`` claims from ``directory/n=<n>/<table>.parquet``, generated and
    written there first if absent (or if ``regenerate``)."""
    where = directory / f"n={n}"
    files = {t: where / f"{t}.parquet" for t in TABLES}
    if regenerate or not all(f.exists() for f in files.values()):
        where.mkdir(parents=True, exist_ok=True)
        for name, table in generate(n).items():
            pq.write_table(table, files[name])
    return {name: pq.read_table(f) for name, f in files.items()}
