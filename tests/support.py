"""Helpers shared by the unit and property tests: the command-line runner, the check's
diagnostics of one text, the heads of the test policies, and the oracle of the soundness
properties of holds (what is reported with facts missing, against every completion).

Import them by module name (``from support import run_cli``), as ``strategies``: ``tests/``
is on ``sys.path`` because it holds ``conftest.py``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pytest

import policyrules
from policyrules import Money, Policy
from policyrules.cli import main
from policyrules.errors import Diagnostic, FactsError, RuleCheckError

__all__ = [
    "BEIJING",
    "LAUNCH_REWARD",
    "PRODUCT_RULES",
    "RATED_RULES",
    "ROOT",
    "SHARE_RULES",
    "TIMED_RULES",
    "WAN",
    "Reported",
    "assert_batch_agrees",
    "assert_sound",
    "diagnostics",
    "fill_ins",
    "launch_grant_file",
    "launch_products",
    "products_head",
    "reported",
    "run_cli",
    "settled",
    "typed_firm",
]

ROOT = Path(__file__).resolve().parents[1]
"""The repository."""
BEIJING = ROOT / "policies" / "beijing_2025"
"""The Beijing 2025 policy's directory."""
LAUNCH_REWARD = "jjxf_2025_50/3/launch_reward"
"""京经信发〔2025〕50号 第3条: once per product, 200 万元 per product, 1000 万元 per firm-year."""
_T = TypeVar("_T")
WAN = 1_000_000
"""Fen in 1 万元."""
LAUNCH_APPROVAL = (LAUNCH_REWARD, "annual_cap_year", "approval")
"""The launch reward's grants counted in the year of approval (the default), as a basis."""
LAUNCH_DECISION = (LAUNCH_REWARD, "annual_cap_year", "decision")
"""The launch reward's grants counted in the year of the funding decision, as a basis."""


def launch_products(first: int, decided: str = "2027-02-15") -> list[dict[str, Any]]:
    """Products P<first>..P<first+4> claiming the launch reward (:data:`LAUNCH_REWARD`):
    approved 2026-03-02 by national priority review, 200 万元 decided on ``decided``."""
    return [
        {
            "id": f"P{i}",
            "approved_on": "2026-03-02",
            "launch_routes": ["national_priority_review"],
            "launch_reward_decided": "200万元",
            "launch_reward_decided_on": decided,
        }
        for i in range(first, first + 5)
    ]


def launch_firm(product: Any, firm: Any = "firm-a") -> dict[str, Any]:
    """Facts of one firm ``firm`` with one product ``product`` (ids as given: a test of the
    id rule gives bad ones) claiming the launch reward (:data:`LAUNCH_REWARD`): approved
    2026-03-02 by national priority review, 200 万元 decided."""
    return {
        "firms": [
            {
                "id": firm,
                "products": [
                    {
                        "id": product,
                        "approved_on": "2026-03-02",
                        "launch_routes": ["national_priority_review"],
                        "launch_reward_decided": "200万元",
                    }
                ],
            }
        ]
    }


def batch_refusal(policy: Policy, registry: Path, error: type[FactsError]) -> Diagnostic:
    """The one diagnostic of ``error`` (a ``TableError``, a ``LedgerError``) that the batch
    of ``registry`` raises."""
    with pytest.raises(error) as info:
        policy.evaluate_batch(registry)
    (d,) = info.value.diagnostics
    return d


def launch_grant_file(folder: Path, year: int) -> Path:
    """``folder/L<year>.json``: a JSON ledger file of one grant, the launch reward
    (:data:`LAUNCH_REWARD`) of 200 万元 to firm f1's product P1, counted in ``year``."""
    f = folder / f"L{year}.json"
    grant = {"provision": LAUNCH_REWARD, "firm": "f1", "product": "P1", "amount": "200万元"}
    f.write_text(json.dumps({"ledger": [{**grant, "year": year}]}, ensure_ascii=False), "utf-8")
    return f


def general_way(policy: Policy) -> Policy:
    """The same policy without generated code: every claim goes the general way (the
    closures), the reference the fast path's results are compared with."""
    return attrs.evolve(policy, compiled=attrs.evolve(policy.compiled, fast={}))


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """``policyrules ARGV...``: the exit code, stdout and stderr."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def diagnostics(text: str) -> list[Diagnostic]:
    """What ``check`` reports on ``text`` (read as ``t.rule``): none if it checks clean."""
    try:
        policyrules.check([policyrules.parse(text, "t.rule")], texts={"t.rule": text})
    except RuleCheckError as err:
        return list(err.diagnostics)
    return []


def products_head(*facts: str, firm_facts: Sequence[str] = ()) -> str:
    """The head of a test policy, up to its provisions: entity ``firm`` (``list firms``, facts
    ``firm_facts``), entity ``product`` (``list products of firm``, facts ``facts``, each as
    ``"NAME: TYPE"``), document ``d`` "测试" and its clause ``1`` "奖励"."""
    firm = "".join(f"  fact {f}\n" for f in firm_facts)
    product = "".join(f"  fact {f}\n" for f in facts)
    return (
        f"entity firm\n  list firms\n{firm}\n"
        f"entity product\n  list products of firm\n{product}\n"
        'document d "测试"\n\nclause 1 "奖励"\n  quote "q"\n'
    )


# One fact of each scalar type, named by the type: money_, rate_, rate300_ (up to 300%)...
_TYPED_FACTS = (
    "money_: money",
    "rate_: rate",
    "rate300_: rate up to 300%",
    "number_: number",
    "date_: date",
    "duration_: 工作日",
    "bool_: bool",
    "text_: text",
    "enum_: Authority",
)


def typed_firm(*more_facts: str) -> str:
    """A policy of one entity, ``firm`` "企业" (``list firms``), with a fact of each scalar
    type (``money_``, ``rate_``, ``rate300_``, ``number_``, ``date_``, ``duration_``,
    ``bool_``, ``text_``, ``enum_``) then ``more_facts`` (``"NAME: TYPE"``), each titled "x";
    and ``enum Authority { FDA, CE, PMDA }``."""
    facts = "".join(f'  fact {f} "x"\n' for f in (*_TYPED_FACTS, *more_facts))
    return f'entity firm "企业"\n  list firms\n{facts}enum Authority {{ FDA, CE, PMDA }}\n'


Reported = tuple[str, Money | None, str | None]
"""A decision as the soundness properties compare it: (status, amount, amount_kind)."""


def reported(
    policy: Policy, facts: Mapping[str, Any], *, explain: bool = True
) -> dict[tuple[str, str], Reported]:
    """(provision, subject) -> (status, amount, amount_kind) of each decision of ``policy`` on
    ``facts`` (``explain=False``: the lean and fused paths)."""
    result = policy.evaluate(facts, explain=explain)
    return {
        (d.provision, d.subject or ""): (d.status, d.amount, d.amount_kind)
        for d in result.decisions
    }


def fill_ins(
    items: Sequence[tuple[Any, ...]], values: Sequence[Iterable[Any]]
) -> list[list[tuple[Any, ...]]]:
    """Every way of filling in the missing fields of ``items``: each ``None`` in field ``i``
    of an item takes each of ``values[i]`` in turn (the items themselves when none is
    missing)."""
    holes = [(n, i) for n, item in enumerate(items) for i, v in enumerate(item) if v is None]
    out = []
    for filled in itertools.product(*(tuple(values[i]) for _, i in holes)):
        full = [list(item) for item in items]
        for (n, i), v in zip(holes, filled, strict=True):
            full[n][i] = v
        out.append([tuple(item) for item in full])
    return out


def settled(got: Reported) -> Money | None:
    """What a decision with every fact known takes: it must be eligible and exact."""
    assert (got[0], got[2]) == ("eligible", "exact"), got
    return got[1]


def assert_sound(
    policy: Policy,
    facts: Mapping[str, Any],
    completions: Iterable[Mapping[str, Any]],
    *,
    taken: Callable[[Reported], Money | None] = settled,
    skip_unknown: bool = False,
) -> None:
    """What ``policy`` reports on ``facts`` (some facts missing) holds in every one of
    ``completions`` (``facts`` with the missing ones filled in, evaluated with everything
    known): an eligible decision reported exact takes exactly its amount, any other takes
    at most it (``taken``: what a completion's decision takes; by default it must be
    eligible and exact).  Explanations change no decision.  ``skip_unknown``: an eligible
    decision of kind ``unknown`` is not checked, and every kind but ``exact`` is a bound;
    otherwise each eligible decision is ``exact`` or ``up_to``."""
    partial = reported(policy, facts)
    assert partial == reported(policy, facts, explain=False)
    for full in completions:
        complete = reported(policy, full)
        for key, (status, amount, kind) in partial.items():
            if status != "eligible" or (skip_unknown and kind == "unknown"):
                continue
            got = taken(complete[key])
            if kind == "exact":
                assert got == amount, (key, partial[key], complete[key])
            else:
                assert skip_unknown or kind == "up_to", (key, partial[key])
                assert amount is not None, (key, partial[key])
                assert got is not None, (key, complete[key])
                assert got <= amount, (key, partial[key], complete[key])


def assert_batch_agrees(policy: Policy, facts: Mapping[str, Any]) -> None:
    """The SQL batch (DuckDB) gives the one-by-one decisions: status, amount (fen), kind."""
    from policyrules.backends.sql import compile_batch
    from policyrules.backends.sql import duckdb as engine

    want = {
        key: (status, amount.fen if amount is not None else None, kind)
        for key, (status, amount, kind) in reported(policy, facts).items()
    }
    con = engine.connect()
    engine.load_facts(con, policy.checked, policy.read_facts(facts), policy.read_ledger([]))
    engine.run_plan(con, compile_batch(policy.checked))
    rows = con.execute(
        "SELECT provision, subject, status, amount, amount_kind FROM decisions"
    ).fetchall()
    assert {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows} == want


# Small policies whose claims the evaluator says from its rows (tests/unit/test_row_texts*.py):
# an award with a parameter and a cap (SHARE_RULES), one whose claims are refused by two
# conditions (RATED_RULES), and an award beside a deadline counting working days
# (TIMED_RULES).  Each fact has a title, for the Chinese text.
SHARE_RULES = """entity firm "企业"
  list firms
  fact base: money "申报基数"
  fact remark: text "备注"

document d "测试"

clause 1 "补助"
  quote "按一定比例给予补助，每家企业不超过 100 万元。"
  parameter share: rate "一定比例"

  award grant "补助"
    for each firm
    eligible when base > 0 元
    eligible when remark != "withdrawn"
    amount base * share
    cap 100 万元 per firm
"""

# Products paid a fact's amount under a cap per firm (their texts said from the rows).
PRODUCT_RULES = """entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact reward: money "奖励金额"
  fact remark: text "备注"

document d "测试"

clause 1 "奖励"
  quote "每个产品按核定金额奖励，每家企业不超过 100 万元。"

  award grant "奖励"
    for each product
    eligible when remark != "withdrawn"
    amount reward
    cap 100 万元 per firm
"""


def product_registry(
    folder: Path, product: str, ledger: tuple[str, str] | None = None, remark: str = ""
) -> Path:
    """A registry of PRODUCT_RULES in Parquet under ``folder`` (made): firm F1, its product
    ``product`` (reward 5万元, ``remark``), and, with ``ledger`` (firm, product), a ledger
    table of one grant of 500 元 to them: the ids' refusals on Spark read these."""
    import duckdb

    folder.mkdir()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT 'F1' AS id) TO '{folder / 'firms.parquet'}'")
    con.execute(
        "COPY (SELECT ? AS id, 'F1' AS firm_id, '5万元' AS reward, ? AS remark) "
        f"TO '{folder / 'products.parquet'}'",
        [product, remark],
    )
    if ledger is not None:
        con.execute(
            "COPY (SELECT 'd/1/grant' AS provision, ? AS firm, ? AS product, "
            f"50000 AS amount_fen) TO '{folder / 'ledger.parquet'}'",
            list(ledger),
        )
    con.close()
    return folder


def spark_batch(
    capsys: pytest.CaptureFixture[str], folder: Path, registry: Path
) -> tuple[int, str]:
    """``policyrules batch`` of PRODUCT_RULES (written under ``folder``) on ``registry``
    with the Spark engine (local[2]): its exit code and what it wrote to stderr."""
    rules = folder / "rules"
    if not rules.exists():
        rules.mkdir()
        (rules / "t.rule").write_text(PRODUCT_RULES, encoding="utf-8")
    out = folder / f"out-{registry.name}"
    spark_args = ["--engine", "spark", "--master", "local[2]"]
    code = main(["batch", str(rules), str(registry), "--out", str(out), *spark_args])
    return code, capsys.readouterr().err


RATED_RULES = """entity firm "企业"
  list firms
  fact score: number "评分"
  fact kind: text "类别"
  fact since: date "成立日期"

document d "测试"

clause 1 "补助"
  quote "评分达到 60 分的企业给予补助 10 万元。"

  award grant "补助"
    for each firm
    eligible when score >= 60
    eligible when kind != "withdrawn"
    amount 10 万元
"""

TIMED_RULES = """entity firm "企业"
  list firms
  fact score: number "评分"
  fact submitted_on: date "申请日期"
  fact approved_on: date "办结日期"

document d "测试"

clause 1 "补助与时限"
  quote "评分达到 60 分的企业给予补助 10 万元；申请在 30 个工作日内办结。"

  award grant "补助"
    for each firm
    eligible when score >= 60
    amount 10 万元

  deadline answer "办结时限"
    for each firm
    due 30 工作日 after submitted_on
    done approved_on
"""


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    """Replace ``owner.name`` (a module's function) for the test by one that counts its
    calls and calls it: the list grows by one a call."""
    calls: list[int] = []
    real = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def served_cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    flags: Sequence[str],
    talk: Callable[[int], _T],
) -> _T:
    """``talk(port)``'s result, run while `policyrules serve BEIJING --no-log FLAGS...` (the
    command as a user runs it) serves on a free port of 127.0.0.1 (needs the serve extra)."""
    import socket
    import threading
    import time

    import uvicorn

    real = uvicorn.Server.run
    said: list[_T] = []
    failed: list[BaseException] = []

    def run(server: uvicorn.Server, sockets: list[socket.socket]) -> None:
        thread = threading.Thread(target=real, args=(server,), kwargs={"sockets": sockets})
        thread.start()
        try:
            while not server.started:
                time.sleep(0.01)
            said.append(talk(sockets[0].getsockname()[1]))
        except Exception as exc:  # (raised here, not taken by the command for its own)
            failed.append(exc)
        finally:
            server.should_exit = True
            thread.join(30)

    monkeypatch.setattr(uvicorn.Server, "run", run)
    args = ["serve", BEIJING, "--port", "0", "--no-log", "--log-level", "critical", *flags]
    code, _, _ = run_cli(capsys, *args)
    if failed:
        raise failed[0]
    assert code == 0
    (result,) = said
    return result
