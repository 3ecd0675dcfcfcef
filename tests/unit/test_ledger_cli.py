"""The command line's ledger: the whole ledger written back, locks, stores, safe writes.

Policy: 京经信发〔2025〕50号 第3条 launch_reward: once per product, cap 200 万元 per product,
cap 1000 万元 per firm per year.  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import LedgerStore
from policyrules.cli import main
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as REWARD
from support import WAN
from support import run_cli as run


def _facts(folder: Path, name: str, *products: str, approved: str = "2026-06-01") -> Path:
    f = folder / name
    lines = ["firms:", "  - id: f1", "    products:"]
    for pid in products:
        lines.append(
            f"      - {{id: {pid}, approved_on: {approved}, launch_routes: "
            '[national_priority_review], launch_reward_decided: "200万元"}'
        )
    f.write_text("\n".join(lines) + "\n", "utf-8")
    return f


def _grant(product: str, amount: str, year: int = 2026) -> dict[str, Any]:
    return {"provision": REWARD, "firm": "f1", "product": product, "amount": amount, "year": year}


# 900 万元 granted earlier in 2026, each grant within the 200 万元 per-product cap (a ledger
# that already exceeds a cap is refused, E329): 200 × 4 + 100.
NINE = [_grant(f"E{i}", "200万元" if i < 5 else "100万元") for i in range(1, 6)]
NINE_FEN = {f"E{i}": (200 if i < 5 else 100) * WAN for i in range(1, 6)}


def _fen(ledger_file: Path) -> dict[str, int]:
    """Product -> fen, from a written JSON ledger."""
    from policyrules.runtime.money import Money

    rows = json.loads(ledger_file.read_text("utf-8"))["ledger"]
    return {g["product"]: Money.parse(g["amount"]).fen for g in rows}


def _paid(out: str, product: str) -> str:
    data = json.loads(out)
    d = next(
        d for d in data["decisions"] if d["provision"] == REWARD and d["subject"].endswith(product)
    )
    return str(d["amount"])


def test_the_issues_ledger_round_trip_loses_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``eval … --ledger L.json --ledger-out L.json``: 900 万 granted earlier in 2026
    (200 + 200 + 200 + 200 + 100); P6 asks 200 万 and gets 1000 − 900 = 100 万; the file then
    holds all six grants, 1,000 万.  Next, P7 asks 200 万 and gets 1000 − 1000 = 0.00 元
    (recorded as nothing).  Before the fix the file held only P6's 100 万, and P7 was paid
    200 万: 1,200 万 against the 1,000 万 cap."""
    ledger = tmp_path / "L.json"
    earlier = [_grant(f"P{i}", "200万元") for i in range(1, 5)] + [_grant("P5", "100万元")]
    ledger.write_text(json.dumps({"ledger": earlier}, ensure_ascii=False), "utf-8")
    run1, run2 = _facts(tmp_path, "r1.yaml", "P6"), _facts(tmp_path, "r2.yaml", "P7")

    code, out, _ = run(
        capsys, "eval", POLICY, run1, "--ledger", ledger, "--ledger-out", ledger, "--json"
    )
    assert (code, _paid(out, "P6")) == (0, "1000000.00")
    held = _fen(ledger)
    assert sorted(held) == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert sum(held.values()) == 1000 * WAN  # 900 万 + 100 万

    code, out, _ = run(
        capsys, "eval", POLICY, run2, "--ledger", ledger, "--ledger-out", ledger, "--json"
    )
    assert (code, _paid(out, "P7")) == (0, "0.00")
    assert sum(_fen(ledger).values()) == 1000 * WAN
    assert "P7" not in _fen(ledger)

    # Read back, the written ledger still knows P6 by firm and product: 一次性, not again.
    code, out, _ = run(capsys, "eval", POLICY, run1, "--ledger", ledger, "--json")
    d = next(d for d in json.loads(out)["decisions"] if d["provision"] == REWARD)
    assert (code, d["status"]) == (0, "not_eligible")


def test_ledger_out_includes_the_facts_files_own_ledger(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Grants given inside the facts file are part of the whole ledger written out: P1's
    200 万 there, plus P2's 200 万 this run."""
    facts = _facts(tmp_path, "f.yaml", "P2")
    with facts.open("a", encoding="utf-8") as f:
        f.write(f"ledger:\n  - {json.dumps(_grant('P1', '200万元'), ensure_ascii=False)}\n")
    out = tmp_path / "out.yaml"
    assert run(capsys, "eval", POLICY, facts, "--ledger-out", out)[0] == 0
    assert policyrules.load(POLICY).load_ledger(out).total().fen == 400 * WAN


def test_ledger_out_will_not_drop_grants_it_did_not_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Writing over a ledger file that was not read as --ledger would lose its grants:
    refused (E333), the file unchanged; with --ledger it is added to."""
    out = tmp_path / "L.json"
    out.write_text(json.dumps({"ledger": NINE}, ensure_ascii=False), "utf-8")
    before = out.read_text("utf-8")
    facts = _facts(tmp_path, "f.yaml", "P2")
    code, _, err = run(capsys, "eval", POLICY, facts, "--ledger-out", out)
    assert (code, "error[E333]" in err, "would be lost" in err) == (2, True, True)
    assert out.read_text("utf-8") == before
    assert run(capsys, "eval", POLICY, facts, "--ledger", out, "--ledger-out", out)[0] == 0
    assert _fen(out) == {**NINE_FEN, "P2": 100 * WAN}  # 1000 − 900 = 100 万


def test_a_ledger_changed_during_the_run_is_not_overwritten(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If another program rewrites L.json between our read and our write (it does not take
    our lock), the run refuses to write (E333) and the other program's text stays."""
    ledger = tmp_path / "L.json"
    ledger.write_text('{"ledger": []}\n', "utf-8")
    other = json.dumps({"ledger": NINE}, ensure_ascii=False)
    original = policyrules.Policy.evaluate

    def meddle(self: policyrules.Policy, *a: Any, **k: Any) -> Any:
        ledger.write_text(other, "utf-8")
        return original(self, *a, **k)

    monkeypatch.setattr(policyrules.Policy, "evaluate", meddle)
    facts = _facts(tmp_path, "f.yaml", "P2")
    code, _, err = run(capsys, "eval", POLICY, facts, "--ledger", ledger, "--ledger-out", ledger)
    assert (code, "error[E333]" in err, "changed while this run used it" in err) == (2, True, True)
    assert ledger.read_text("utf-8") == other


def _eval_in_child(policy: policyrules.Policy, argv: list[str], gate: Any, out: Any) -> None:
    import policyrules.cli_eval

    policyrules.cli_eval.load = lambda path: policy  # type: ignore[assignment]  # loaded once, forked
    gate.wait(timeout=20)
    out.send(main(argv))


def test_concurrent_runs_on_one_json_ledger_lose_no_grant(tmp_path: Path) -> None:
    """Three processes run ``eval --ledger L.json --ledger-out L.json`` at once, each for
    another product (100 万 each, 300 万 in all, far under the cap).  The lock beside the file
    makes them take turns: the file ends with all three grants (the last writer used to
    win, losing two)."""
    ctx = multiprocessing.get_context("fork")
    policy = policyrules.load(POLICY)
    ledger = tmp_path / "L.json"
    ledger.write_text('{"ledger": []}\n', "utf-8")
    gate = ctx.Barrier(3)
    pipes = [ctx.Pipe(duplex=False) for _ in range(3)]
    procs = []
    for n in range(3):
        facts = tmp_path / f"f{n}.yaml"
        facts.write_text(
            "firms:\n  - id: f1\n    products:\n"
            f"      - {{id: C{n}, approved_on: 2026-06-01, launch_routes: "
            '[national_priority_review], launch_reward_decided: "100万元"}\n',
            "utf-8",
        )
        argv = [
            "eval",
            str(POLICY),
            str(facts),
            "--ledger",
            str(ledger),
            "--ledger-out",
            str(ledger),
        ]
        procs.append(ctx.Process(target=_eval_in_child, args=(policy, argv, gate, pipes[n][1])))
    for p in procs:
        p.start()
    codes = [pipes[n][0].recv() for n in range(3)]
    for p in procs:
        p.join(timeout=20)
    assert codes == [0, 0, 0]
    assert _fen(ledger) == {"C0": 100 * WAN, "C1": 100 * WAN, "C2": 100 * WAN}


# ---- the store from the command line ----------------------------------------------------------


def test_eval_records_into_a_store_and_dry_run_does_not(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--ledger grants.db`` (made by ``ledger init``) is read and appended in one
    transaction; a second run of the same product is not paid again; ``--dry-run`` records
    nothing."""
    db = tmp_path / "grants.db"
    facts = _facts(tmp_path, "f.yaml", "P1")
    code, out, err = run(capsys, "eval", POLICY, facts, "--ledger", db, "--dry-run", "--json")
    assert (code, not db.exists(), "error[E336]" in err) == (2, True, True)  # no store made
    assert run(capsys, "ledger", "init", db)[0] == 0
    code, out, err = run(capsys, "eval", POLICY, facts, "--ledger", db, "--json")
    assert (code, _paid(out, "P1")) == (0, "2000000.00")
    assert f"已在 {db} 记录 1 笔发放，200 万元" in err  # the run's language: zh
    code, out, _ = run(capsys, "eval", POLICY, facts, "--ledger", db, "--json")
    d = next(d for d in json.loads(out)["decisions"] if d["provision"] == REWARD)
    assert d["status"] == "not_eligible"
    more = _facts(tmp_path, "g.yaml", "P2")
    code, out, _ = run(capsys, "eval", POLICY, more, "--ledger", db, "--dry-run", "--json")
    assert (code, _paid(out, "P2")) == (0, "2000000.00")
    with LedgerStore.open(db, create=True) as store:
        assert [g.subject for g in store.grants()] == ["f1/P1"]


def test_a_store_is_known_by_its_header(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A store under any name is recognised by the SQLite header, not read as YAML."""
    db = tmp_path / "grants.ledger"
    LedgerStore.open(db, create=True).close()
    facts = _facts(tmp_path, "f.yaml", "P1")
    assert run(capsys, "eval", POLICY, facts, "--ledger", db)[0] == 0
    with LedgerStore.open(db, create=True) as store:
        assert len(store.grants()) == 1


def test_ledger_import_export_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """import checks the file against the policy and adds it in one transaction; importing
    it again adds nothing (the same grants are one grant each), and the same identity with
    another amount is refused (E326); export writes it back; show lists it."""
    src = tmp_path / "in.yaml"
    src.write_text(
        "ledger:\n"
        + "".join(
            f"  - {{provision: {REWARD}, firm: f1, product: '{p}', amount: 200万元, year: 2025}}\n"
            for p in ("0701", "P2")
        ),
        "utf-8",
    )
    db = tmp_path / "grants.db"
    code, _, err = run(capsys, "ledger", "import", db, src, "--policy", POLICY)
    assert (code, "error[E336]" in err, db.exists()) == (2, True, False)  # import needs init
    assert run(capsys, "ledger", "init", db)[0] == 0
    code, out, _ = run(capsys, "ledger", "import", db, src, "--policy", POLICY)
    assert (code, out.strip()) == (0, f"imported 2 grant(s), 4,000,000.00 元, into {db}")
    code, out, _ = run(capsys, "ledger", "import", db, src, "--policy", POLICY)
    assert (code, out.strip()) == (
        0,
        f"imported 0 grant(s), 0.00 元, into {db} (2 already there)",
    )
    changed = tmp_path / "changed.yaml"
    entry = f"{{provision: {REWARD}, firm: f1, product: P2, amount: 100万元, year: 2025}}"
    changed.write_text(f"ledger:\n  - {entry}\n", "utf-8")
    code, _, err = run(capsys, "ledger", "import", db, changed, "--policy", POLICY)
    assert (code, "error[E326]" in err) == (2, True)
    code, out, _ = run(capsys, "ledger", "show", db)
    assert code == 0
    assert "firm f1 / product 0701  2025  2,000,000.00 元" in out
    assert out.strip().endswith("2 grant(s), 4,000,000.00 元")
    exported = tmp_path / "out.json"
    assert run(capsys, "ledger", "export", db, "--out", exported)[0] == 0
    assert _fen(exported) == {"0701": 200 * WAN, "P2": 200 * WAN}
    # Exporting again over the same file is fine (nothing in it is lost) ...
    assert run(capsys, "ledger", "export", db, "--out", exported)[0] == 0
    # ... but a file holding a grant the store lacks is not replaced.
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"ledger": [_grant("X", "1")]}), "utf-8")
    code, _, err = run(capsys, "ledger", "export", db, "--out", foreign)
    assert (code, "error[E333]" in err) == (2, True)
    code, out, _ = run(capsys, "ledger", "export", db, "--format", "yaml")
    assert "product: '0701'" in out


@pytest.mark.parametrize("year", ["[2026]", "{at: 2026}"])
def test_export_refuses_a_file_whose_year_is_not_a_number(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, year: str
) -> None:
    """A grant in the --out file whose year is a list or a mapping is not one the store holds:
    E333 and the file kept (not a traceback); the same grant with year 2026 is replaced."""
    db = tmp_path / "grants.db"
    with LedgerStore.open(db, create=True) as store:
        from policyrules import Grant, Money

        store.append([Grant(REWARD, (("firm", "f1"), ("product", "P1")), Money(200 * WAN), 2026)])
    target = tmp_path / "out.yaml"
    grant = f"{{provision: {REWARD}, firm: f1, product: P1, amount: 200万元, year: {year}}}"
    target.write_text(f"ledger:\n  - {grant}\n", "utf-8")
    code, _, err = run(capsys, "ledger", "export", db, "--out", target)
    assert (code, "error[E333]" in err) == (2, True)
    assert f"year: {year}" in target.read_text("utf-8")
    target.write_text(f"ledger:\n  - {grant.replace(year, '2026')}\n", "utf-8")
    assert run(capsys, "ledger", "export", db, "--out", target)[0] == 0
    assert "200万元" not in target.read_text("utf-8")  # rewritten: 200 万元 = 2000000.00 元


def test_store_with_ledger_out_exports_the_whole_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With a store, --ledger-out writes every stored grant (this run's included)."""
    db = tmp_path / "grants.db"
    with LedgerStore.open(db, create=True) as store:
        from policyrules import Grant, Money

        store.append(
            [
                Grant(REWARD, (("firm", "f1"), ("product", p)), Money(fen), 2026)
                for p, fen in NINE_FEN.items()
            ]
        )
    out = tmp_path / "all.json"
    facts = _facts(tmp_path, "f.yaml", "P2")
    assert run(capsys, "eval", POLICY, facts, "--ledger", db, "--ledger-out", out)[0] == 0
    assert _fen(out) == {**NINE_FEN, "P2": 100 * WAN}
    code, _, err = run(capsys, "eval", POLICY, facts, "--ledger", db, "--ledger-out", db)
    assert (code, "error[E338]" in err) == (2, True)  # a store's name: never JSON into it
    code, _, err = run(
        capsys, "eval", POLICY, facts, "--ledger", db, "--dry-run", "--ledger-out", out
    )
    assert (code, "error[E333]" in err) == (2, True)


# ---- where files are written --------------------------------------------------------------------


def test_ledger_out_through_a_symlink_writes_its_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The link stays a link; its target gets the ledger."""
    target = tmp_path / "real.json"
    target.write_text('{"ledger": []}\n', "utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    facts = _facts(tmp_path, "f.yaml", "P1")
    assert run(capsys, "eval", POLICY, facts, "--ledger", link, "--ledger-out", link)[0] == 0
    assert link.is_symlink()
    assert _fen(target) == {"P1": 200 * WAN}


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_ledger_out_refuses_what_is_not_a_regular_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    """A FIFO, a directory or a device is refused (E334) naming the user's path; nothing
    hangs on the FIFO and nothing replaces it."""
    if kind == "fifo":
        target = tmp_path / "pipe.json"
        os.mkfifo(target)
    elif kind == "directory":
        target = tmp_path / "dir.json"
        target.mkdir()
    else:
        target = tmp_path / "null.json"
        target.symlink_to("/dev/null")
    facts = _facts(tmp_path, "f.yaml", "P1")
    code, _, err = run(capsys, "eval", POLICY, facts, "--ledger-out", target)
    assert (code, "error[E334]" in err) == (2, True)
    assert f"cannot write {target}" in err
    assert ".tmp" not in err
    if kind == "fifo":
        import stat

        assert stat.S_ISFIFO(target.stat().st_mode)


def test_ledger_out_refuses_a_file_with_other_hard_links(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A rename would split the links: each name would keep what one run wrote, and two runs
    through the two names (each with its own lock) would each miss the other's grant (the
    new-user check paid 1,100 万元 against a 1,000 万元 cap).  Refused (E334); the file and
    its other name unchanged.
    中文：台账文件有其他硬链接时拒绝写入，以免两个名称各存一半发放记录。"""
    target = tmp_path / "l.json"
    target.write_text('{"ledger": []}\n', "utf-8")
    other = tmp_path / "l2.json"
    os.link(target, other)
    facts = _facts(tmp_path, "f.yaml", "P1")
    code, _, err = run(capsys, "eval", POLICY, facts, "--ledger", target, "--ledger-out", target)
    assert (code, "error[E334]" in err) == (2, True)
    assert "2 hard links" in err
    assert target.read_text("utf-8") == '{"ledger": []}\n'
    assert os.path.samefile(target, other)


def test_fmt_through_a_symlink_keeps_the_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``fmt`` writes through write_atomic too: the .rule symlink stays a link."""
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.rule").write_text('parameter r:rate  "x"\n', "utf-8")
    link = tmp_path / "a.rule"
    link.symlink_to(real / "a.rule")
    assert run(capsys, "fmt", link)[0] == 0
    assert link.is_symlink()
    assert (real / "a.rule").read_text("utf-8") == 'parameter r: rate "x"\n'
