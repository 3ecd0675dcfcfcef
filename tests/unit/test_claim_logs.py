"""``ClaimLogs.log``: an account's log got, or made by ``ClaimLogs.new`` (so a claim of
unknown year already counted in its pool and scope is in it), the one get-or-make of
``Accounts.add``, ``Accounts.hold_open`` and ``Accounts.account_log``."""

from __future__ import annotations

from policyrules.runtime.claim_log import OPEN_FEN, ClaimLog, ClaimLogs
from policyrules.runtime.ledger import Accounts, Ledger
from policyrules.runtime.money import Money

SCOPE = (("firm", "F"),)


def test_the_same_key_gives_the_same_log() -> None:
    logs = ClaimLogs()
    first = logs.log(("p", SCOPE, 2026))
    first.append("F/P1", 100)
    assert logs.log(("p", SCOPE, 2026)) is first
    assert logs[("p", SCOPE, 2026)].totals == [0, 100]


def test_a_log_made_later_holds_the_claims_of_unknown_year() -> None:
    """F/P0's year is unknown, bound 30 fen (held, as pending, in every year); a year's log
    made after it holds it: pending 30 fen.  A log not counted per year does not."""
    logs = ClaimLogs()
    logs.hold_any_year("p", SCOPE, "F/P0", 30, ("p", "year"))
    assert logs.log(("p", SCOPE, 2027)).possible == 30
    assert logs.log(("p", SCOPE, None)).possible == 0


def test_the_accounts_append_to_one_log_per_key() -> None:
    """add, hold_open and account_log on one key: one log, three claims; the open one holds
    OPEN_FEN and takes nothing (totals 0, 50 fen, 50, 50 + 20 = 70)."""
    accounts = Accounts(Ledger(), {})
    key = ("p", SCOPE, 2026)
    accounts.add(key, "F/P1", Money(50), certain=True)
    accounts.hold_open(key, "F/P2", ("p", "amount"))
    used, log = accounts.account_log(key)
    log.append("F/P3", 20)
    assert used == 0
    assert accounts.account_log(key)[1] is log
    assert log.totals == [0, 50, 50, 70]
    assert (log.certain, log.possible) == (70, OPEN_FEN)


def test_a_view_counts_each_undecided_claim_once_as_it_stood() -> None:
    """An account over all years holds a schedule's payments each (F/R1 twice here): the
    view counts claims, not entries.  Held: F/R1, F/R2, F/R1 (3 entries, 2 claims); a decided
    claim holds nothing.  A view made then keeps its count after F/R3 holds room too; a
    view made after counts 3.  Where each first holds room: F/R1 0, F/R2 1, F/R3 3."""
    log = ClaimLogs().log(("p", SCOPE, None))
    log.append("F/R1", 10, False, ("t/1", "instalment"))
    log.append("F/R2", 10, False, ("t/1", "instalment"))
    log.append("F/D1", 10)
    log.append("F/R1", 5, False, ("t/1", "instalment"))
    before = log.view()
    log.append("F/R3", 10, False, ("t/1", "amount"))
    log.append("F/R1", 5, False, ("t/1", "instalment"))
    count, n, first = before.held_claims()
    assert (count, n, before.hold_count()) == (2, 3, 3)
    assert log.view().held_claims()[:2] == (3, 5)
    assert first == {("F/R1", "t/1"): 0, ("F/R2", "t/1"): 1, ("F/R3", "t/1"): 3}


def test_a_log_of_decided_claims_says_its_views_alike() -> None:
    """Where no claim is held or open, each claim's text is made once and kept by its
    number, the views said in order or not; once a claim is held, it is said as a bound,
    the others as before."""
    log = ClaimLog()
    claims = [
        ("f1/P1", 200 * 10_000 * 100, "f1/P1 200 万元"),  # 2×10⁸ fen = 200 万元
        ("f1/P2", 1_234_567, "f1/P2 12,345.67 元"),
        ("f1/P3", 10**10, "f1/P3 1 亿元"),  # 10¹⁰ fen = 10⁸ 元 = 1 亿元
        ("f1/P4", 5, "f1/P4 0.05 元"),
        ("f1/P5", 3 * 10_000 * 100, "f1/P5 3 万元"),
    ]
    for subject, fen, _ in claims:
        log.append(subject, fen)
    said = [text for *_, text in claims]
    assert log.texts(2, 5, "金额未知", "至多 ") == said[2:5]  # out of order
    for stop in range(1, 6):
        assert (
            log.texts(max(stop - 3, 0), stop, "金额未知", "至多 ") == said[max(stop - 3, 0) : stop]
        )
    assert log.shown == dict(enumerate(said))  # each made once, kept by its number
    log.append("f1/P6", 70 * 10_000 * 100, certain=False, held=("d/1/a", "why"))
    assert log.texts(3, 6, "金额未知", "至多 ") == [*said[3:], "f1/P6 至多 70 万元"]
    # 10¹⁰ + 2×10⁸ + 7×10⁷ + 3×10⁶ + 1,234,567 + 5 = 10,274,234,572 fen
    assert log.describe(6) == (
        "6 claims, up to 102,742,345.72 元 in all; the last 3: "
        "f1/P4 0.05 元, f1/P5 3 万元, f1/P6 up to 70 万元"
    )
