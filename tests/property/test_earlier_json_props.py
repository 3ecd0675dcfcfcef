"""A cap's JSON keys that say its earlier claims (``explain._earlier_json``), written from
the log's fen, are those read through the :class:`Earlier` view's own methods (its pairs as
Money, :meth:`~Earlier.last_claims`, :meth:`~Earlier.holds`, :meth:`~Earlier.claims_held`):
for any log of certain claims, undecided ones holding room (bounded or not) and a
schedule's payments joined into one claim, at any place in it, with and without every
entry."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from policyrules.explain import _earlier_json
from policyrules.explain_holds import holds_json
from policyrules.runtime.claim_log import ClaimLog, Earlier
from policyrules.runtime.money import yuan_digits

_ENTRY = st.tuples(
    st.sampled_from(["certain", "held", "open", "joined"]),
    st.sampled_from(["f1/P1", "f1/P2", "f2/R3"]),
    st.integers(0, 10**10),
    st.sampled_from(["d/1/a", "d/2/b"]),
)


def _log(entries: list[tuple[str, str, int, str]]) -> ClaimLog:
    log = ClaimLog()
    for i, (how, subject, fen, pid) in enumerate(entries):
        if how == "open":
            log.append_open(subject, (pid, "eligibility"))
        elif how == "held":
            log.append(subject, fen, False, (pid, "amount"))
        else:
            log.append(subject, fen)
            if how == "joined" and i:
                log.join()
    return log


def _read(e: Earlier, all_earlier: bool) -> dict[str, Any]:
    pairs = e if all_earlier else e.last_claims()
    return {
        "earlier": [[s, yuan_digits(m.fen)] for s, m in pairs],
        "earlier_count": len(e),
        "earlier_claims": e.claim_count(),
        "earlier_total": yuan_digits(e.total.fen),
        "held": holds_json(e.holds()),
        "held_count": e.claims_held(),
    }


@given(st.lists(_ENTRY, max_size=12), st.data(), st.booleans())
def test_earlier_json_is_the_views_reading(
    entries: list[tuple[str, str, int, str]], data: st.DataObject, all_earlier: bool
) -> None:
    log = _log(entries)
    stop = data.draw(st.integers(0, len(entries)))
    view = Earlier(log, stop)
    assert _earlier_json(view, all_earlier) == _read(view, all_earlier)


def test_a_schedule_joined_is_one_claim_with_its_sum() -> None:
    # R5's three payments (150 + 75 + 75 万元) joined, then R6's 30 万元 claim: the last
    # claims are R5 with 300 万元 and R6, 4 entries, 2 claims, 330 万元 in all.
    wan = 10_000 * 100
    entries = [("certain", "f1/R5", 150 * wan, "d/1/a"), ("joined", "f1/R5", 75 * wan, "d/1/a")]
    entries += [("joined", "f1/R5", 75 * wan, "d/1/a"), ("certain", "f1/R6", 30 * wan, "d/1/a")]
    said = _earlier_json(_log(entries).view(), False)
    assert said["earlier"] == [["f1/R5", "3000000.00"], ["f1/R6", "300000.00"]]
    assert (said["earlier_count"], said["earlier_claims"]) == (4, 2)
    assert said["earlier_total"] == "3300000.00"
    assert (said["held"], said["held_count"]) == ([], 0)
