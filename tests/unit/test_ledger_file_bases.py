"""A ledger file records the readings its grants were counted by (issue 9 §3, ``bases:``).

Policy: 京经信发〔2025〕50号 第3条 launch_reward (创新医疗器械获批上市一次性奖励): once per
product, cap 200 万元 per product, cap 1000 万元 per firm per year of ``approved_on``, or with
``annual_cap_year=decision`` of ``launch_reward_decided_on`` (单个企业年度奖励不超过 1000 万元;
“年度”按获批日期或按资金决定日期计).

Firm f1: r1.yaml products P1-P5, r2.yaml P6-P10, all approved 2026-03-02, each decided
200 万元, decided 2027-01-15 (r1) / 2027-02-15 (r2).  Counted by approval all ten fall in
2026; counted by decision all ten fall in 2027: under either reading the firm is owed
1000 万元 in all, never 2000 万元 (十个产品在任一口径下都落在同一年度，合计只能付 1000 万元).
1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Grant, Ledger, LedgerError, LedgerStore, Money
from policyrules.ledger_io import dump_ledger, merge_ledgers, read_ledger_file
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as REWARD
from support import WAN
from support import run_cli as run

YEAR = "annual_cap_year"
APPROVAL = (REWARD, YEAR, "approval")
DECISION = (REWARD, YEAR, "decision")


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _facts(folder: Path, name: str, first: int, decided: str) -> Path:
    """Firm f1, products P<first>..P<first+4>, approved 2026-03-02, 200 万元 each, decided
    on ``decided``."""
    lines = ["firms:", "  - id: f1", "    products:"]
    for i in range(first, first + 5):
        lines += [
            f"      - id: P{i}",
            "        approved_on: 2026-03-02",
            "        launch_routes: [national_priority_review]",
            '        launch_reward_decided: "200万元"',
            f"        launch_reward_decided_on: {decided}",
        ]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _paid(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> dict[str, int]:
    """``eval --json``: the fen each launch reward paid, by subject."""
    code, out, err = run(capsys, "eval", POLICY, *argv, "--json")
    assert code == 0, err
    return {
        d["subject"]: Money.parse(d["amount"]).fen
        for d in json.loads(out)["decisions"]
        if d["provision"] == REWARD
    }


def _hand_written(path: Path, year: int, bases: list[dict[str, str]] | None) -> Path:
    """P1-P5 of f1, 200 万元 each, counted in ``year``: a ledger written by hand."""
    grants = [
        {"provision": REWARD, "firm": "f1", "product": f"P{i}", "amount": "200万元", "year": year}
        for i in range(1, 6)
    ]
    data: dict[str, Any] = {"ledger": grants}
    if bases is not None:
        data["bases"] = bases
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def test_the_second_run_by_another_reading_is_refused_and_the_file_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Run 1 pays P1-P5 200 万元 each, counted in 2026 (approval); run 2 with
    ``annual_cap_year=decision`` would count P6-P10 in 2027 and pay 1000 万元 more: refused
    (E335), exit ≠ 0, Lr.json as run 1 left it.  By approval, run 2 pays 0: 1000 − 5 × 200
    = 0 left in 2026 (同一年度已付满 1000 万元)."""
    r1 = _facts(tmp_path, "r1.yaml", 1, "2027-01-15")
    r2 = _facts(tmp_path, "r2.yaml", 6, "2027-02-15")
    lr = tmp_path / "Lr.json"
    first = _paid(capsys, r1, "--ledger-out", lr, "--as-of", "2027-12-31")
    assert first == {f"f1/P{i}": 200 * WAN for i in range(1, 6)}  # 5 × 200 万 = 1000 万
    written = json.loads(lr.read_text("utf-8"))
    assert {g["year"] for g in written["ledger"]} == {2026}  # approved 2026-03-02
    assert {"provision": REWARD, "assumption": YEAR, "value": "approval"} in written["bases"]
    before = lr.read_bytes()
    for lang in ("zh", "en"):
        code, _, err = run(
            capsys, "eval", POLICY, r2, "--ledger", lr, "--ledger-out", lr,
            "--as-of", "2027-12-31", "--assume", f"{YEAR}=decision", "--lang", lang,
        )  # fmt: skip
        assert code != 0
        assert "error[E335]" in err
        assert str(lr) in err
        assert f"{YEAR} = approval" in err
        assert f"{YEAR} = decision" in err
        assert lr.read_bytes() == before
    again = _paid(
        capsys, r2, "--ledger", lr, "--as-of", "2027-12-31", "--assume", f"{YEAR}=approval"
    )
    assert again == {f"f1/P{i}": 0 for i in range(6, 11)}  # 1000 − 1000 = 0 left in 2026


def test_a_hand_written_file_without_bases_is_taken_as_the_default(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Five grants counted in 2027 written by hand without `bases:`: they are taken as
    counted by the default (approval), so a run by decision is refused with the entry to add
    (没有写明口径的台账按默认口径计).  With `bases:` saying decision, the run is accepted and
    pays 0: 2027 already holds 5 × 200 = 1000 万元."""
    r2 = _facts(tmp_path, "r2.yaml", 6, "2027-02-15")
    bare = _hand_written(tmp_path / "bare.json", 2027, None)
    code, _, err = run(
        capsys, "eval", POLICY, r2, "--ledger", bare, "--as-of", "2027-12-31",
        "--assume", f"{YEAR}=decision",
    )  # fmt: skip
    assert code != 0
    assert "error[E335]" in err
    assert str(bare) in err
    assert "does not say which reading" in err
    assert f"{{provision: {REWARD}, assumption: {YEAR}, value: decision}}" in err  # the hint
    said = [{"provision": REWARD, "assumption": YEAR, "value": "decision"}]
    told = _hand_written(tmp_path / "told.json", 2027, said)
    paid = _paid(
        capsys, r2, "--ledger", told, "--as-of", "2027-12-31", "--assume", f"{YEAR}=decision"
    )
    assert paid == {f"f1/P{i}": 0 for i in range(6, 11)}  # 1000 − 5 × 200 = 0 left in 2027
    # by the default nothing needs saying: the bare file and an approval run agree
    paid = _paid(capsys, r2, "--ledger", bare, "--as-of", "2027-12-31")
    assert set(paid) == {f"f1/P{i}" for i in range(6, 11)}


def test_export_init_import_keeps_the_guard(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A store that paid P1-P5 by approval, exported, imported into a new store: the new
    store refuses a run by decision (E335) and records nothing (its 5 grants stay, 1000 万)."""
    r1 = _facts(tmp_path, "r1.yaml", 1, "2027-01-15")
    r2 = _facts(tmp_path, "r2.yaml", 6, "2027-02-15")
    old, new, out = tmp_path / "old.db", tmp_path / "new.db", tmp_path / "grants.yaml"
    assert run(capsys, "ledger", "init", old)[0] == 0
    assert _paid(capsys, r1, "--ledger", old, "--as-of", "2027-12-31") == {
        f"f1/P{i}": 200 * WAN for i in range(1, 6)
    }
    assert run(capsys, "ledger", "export", old, "--out", out)[0] == 0
    assert "assumption: annual_cap_year" in out.read_text("utf-8")
    assert run(capsys, "ledger", "init", new)[0] == 0
    assert run(capsys, "ledger", "import", new, out, "--policy", POLICY)[0] == 0
    code, _, err = run(
        capsys, "eval", POLICY, r2, "--ledger", new, "--as-of", "2027-12-31",
        "--assume", f"{YEAR}=decision",
    )  # fmt: skip
    assert code != 0
    assert "error[E335]" in err
    with LedgerStore.open(new, create=True) as store:
        assert store.grants().total() == Money(1000 * WAN)  # 5 × 200 万, nothing added
        assert APPROVAL in store.bases()


def test_import_checks_and_records_a_files_bases(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file saying decision into a store that recorded approval: E335, nothing imported.
    A file without `bases:` into an empty store: its grants are recorded as counted by the
    default, so a later run by decision is refused."""
    r1 = _facts(tmp_path, "r1.yaml", 1, "2027-01-15")
    r2 = _facts(tmp_path, "r2.yaml", 6, "2027-02-15")
    store = tmp_path / "s.db"
    assert run(capsys, "ledger", "init", store)[0] == 0
    assert run(capsys, "eval", POLICY, r1, "--ledger", store, "--as-of", "2027-12-31")[0] == 0
    said = [{"provision": REWARD, "assumption": YEAR, "value": "decision"}]
    other = tmp_path / "other.json"
    other.write_text(
        json.dumps(
            {
                "ledger": [
                    {"provision": REWARD, "firm": "g", "product": "Q1", "amount": "100万元",
                     "year": 2027}
                ],
                "bases": said,
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )  # fmt: skip
    code, _, err = run(capsys, "ledger", "import", store, other, "--policy", POLICY)
    assert code != 0
    assert "error[E335]" in err
    assert str(other) in err
    with LedgerStore.open(store, create=True) as s:
        assert len(s.grants()) == 5
    bare = _hand_written(tmp_path / "bare.json", 2026, None)
    fresh = tmp_path / "fresh.db"
    assert run(capsys, "ledger", "init", fresh)[0] == 0
    assert run(capsys, "ledger", "import", fresh, bare, "--policy", POLICY)[0] == 0
    with LedgerStore.open(fresh, create=True) as s:
        assert APPROVAL in s.bases()
    code, _, err = run(
        capsys, "eval", POLICY, r2, "--ledger", fresh, "--as-of", "2027-12-31",
        "--assume", f"{YEAR}=decision",
    )  # fmt: skip
    assert code != 0
    assert "error[E335]" in err


@pytest.mark.parametrize(
    ("entry", "where", "words"),
    [
        ({"provision": "jjxf_2025_50/3/launch_rewrd", "assumption": YEAR, "value": "approval"},
         "provision", "no award"),
        ({"provision": REWARD, "assumption": "annual_cap_yr", "value": "approval"},
         "assumption", "no assumption"),
        ({"provision": REWARD, "assumption": YEAR, "value": "approved"}, "value", "not a value"),
        ({"provision": REWARD, "assumption": YEAR}, "", "a basis is"),
    ],
)  # fmt: skip
def test_a_bad_basis_is_refused_at_its_line(
    beijing: policyrules.Policy, tmp_path: Path, entry: dict[str, str], where: str, words: str
) -> None:
    """Each fault of a `bases:` entry is E320, at the line of the entry (line 5 below)."""
    path = tmp_path / "l.yaml"
    fields = "".join(f"    {k}: {v}\n" for k, v in entry.items())
    path.write_text(
        f"ledger: []\n# a comment\nbases:\n  -\n{fields}".replace("  -\n    ", "  - ", 1), "utf-8"
    )
    with pytest.raises(LedgerError) as err:
        read_ledger_file(beijing.checked, path)
    (d,) = err.value.diagnostics
    assert d.code == "E320"
    assert words in d.message
    assert d.span is not None
    assert d.span.file == str(path)
    line = 4 + (list(entry).index(where) if where else 0)
    assert d.span.line == line


def test_two_values_of_one_reading_in_a_file_is_refused(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    path = tmp_path / "l.json"
    both = [
        {"provision": REWARD, "assumption": YEAR, "value": "approval"},
        {"provision": REWARD, "assumption": YEAR, "value": "decision"},
    ]
    path.write_text(json.dumps({"ledger": [], "bases": both}), "utf-8")
    with pytest.raises(LedgerError) as err:
        read_ledger_file(beijing.checked, path)
    assert [d.code for d in err.value.diagnostics] == ["E335"]


def test_a_file_reads_back_with_its_bases(beijing: policyrules.Policy, tmp_path: Path) -> None:
    grant = Grant(REWARD, (("firm", "f1"), ("product", "P1")), Money.of(200, "万元"), 2027)
    ledger = Ledger((grant,), bases=[DECISION])
    for fmt in ("json", "yaml"):
        path = tmp_path / f"l.{fmt}"
        path.write_text(dump_ledger(ledger, fmt), "utf-8")
        assert read_ledger_file(beijing.checked, path)[0] == ledger
    assert "bases" not in dump_ledger(Ledger((grant,)))  # none: the key is left out


def test_a_ledger_checks_its_bases_however_built() -> None:
    """Sorted, one copy of each; anything but three non-empty texts is E327; two values of
    one assumption under one provision E335, in Ledger, with_grants and merge_ledgers."""
    other = ("d/1/a", "x", "1")
    assert Ledger(bases=[APPROVAL, other, APPROVAL]).bases == (other, APPROVAL)  # d < j
    for bad in [("d/1/a", "x")], [("d/1/a", "", "v")], [("d/1/a", "x", 1)], "abc":
        with pytest.raises(LedgerError) as err:
            Ledger(bases=bad)
        assert err.value.diagnostics[0].code == "E327"
    with pytest.raises(LedgerError) as err:
        Ledger(bases=[APPROVAL, DECISION])
    assert err.value.diagnostics[0].code == "E335"
    grant = Grant(REWARD, (("firm", "f1"), ("product", "P1")), Money.of(200, "万元"), 2026)
    assert Ledger(bases=[APPROVAL]).with_grants([grant]).bases == (APPROVAL,)
    merged = merge_ledgers(("a", Ledger(bases=[APPROVAL])), ("b", Ledger((grant,))))
    assert merged.bases == (APPROVAL,)
    assert merged.grants == (grant,)
    with pytest.raises(LedgerError) as err:
        merge_ledgers(("a.json", Ledger(bases=[APPROVAL])), ("b.json", Ledger(bases=[DECISION])))
    (d,) = err.value.diagnostics
    assert d.code == "E335"
    assert "a.json" in d.message
    assert "b.json" in d.message


def test_the_api_checks_a_ledger_value(beijing: policyrules.Policy) -> None:
    """Policy.evaluate(ledger=Ledger(...)): five grants counted in 2026 by approval (no bases:
    the default).  By decision: E335 naming the ledger; with bases saying decision (grants
    counted in 2027), P6 decided in 2027 is paid 0: 1000 − 5 × 200 = 0 left."""
    grants = tuple(
        Grant(REWARD, (("firm", "f1"), ("product", f"P{i}")), Money.of(200, "万元"), 2026)
        for i in range(1, 6)
    )
    facts = {
        "firms": [
            {
                "id": "f1",
                "products": [
                    {
                        "id": "P6",
                        "approved_on": "2026-03-02",
                        "launch_routes": ["national_priority_review"],
                        "launch_reward_decided": "200万元",
                        "launch_reward_decided_on": "2027-02-15",
                    }
                ],
            }
        ]
    }
    decision = {YEAR: "decision"}
    with pytest.raises(LedgerError) as err:
        beijing.evaluate(facts, ledger=Ledger(grants), assumptions=decision, as_of="2027-12-31")
    assert err.value.diagnostics[0].code == "E335"
    assert "the ledger given" in err.value.diagnostics[0].message
    with pytest.raises(LedgerError) as err:
        beijing.evaluate(facts, ledger=Ledger(grants), assumptions=decision, ledger_file="L.json")
    assert err.value.diagnostics[0].message.startswith("L.json: ")
    in_2027 = tuple(Grant(g.provision, g.path, g.amount, 2027) for g in grants)
    result = beijing.evaluate(
        facts, ledger=Ledger(in_2027, bases=[DECISION]), assumptions=decision, as_of="2027-12-31"
    )
    (reward,) = [d for d in result.decisions if d.provision == REWARD]
    assert reward.amount == Money.zero()  # 1000 − 1000 = 0 left in 2027
    # a ledger without grants of the provision says nothing about it: nothing to check
    result = beijing.evaluate(facts, ledger=Ledger(), assumptions=decision, as_of="2027-12-31")
    assert [g.amount for g in result.grants] == [Money.of(200, "万元")]
