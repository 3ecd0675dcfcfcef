"""就高不重复 in the ledger (issue 9, the last audit): a ledger holding grants under two
awards of one exclusive group (``exclusive … among project``) for the same project records a
payment the text forbids (同一项目…不重复支持).  It is refused wherever a ledger is read
(a file, ``ledger import``, a store evaluated on, the Python API): E344, naming both grants,
where each is, and the clause.

Policy: policies/patterns (patterns_excl_2023 第二条: smart_retrofit and retrofit_grant are
exclusive among project, keep highest).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import LedgerError
from support import ROOT
from support import run_cli as run

POLICY = ROOT / "policies" / "patterns"
GRANT = "patterns_excl_2023/1/retrofit_grant"
SMART = "patterns_excl_2023/2/smart_retrofit"
WORKSHOP = "patterns_excl_2023/3/workshop_reward"  # cumulative with both: never refused

BOTH = f"""ledger:
  - {{provision: {GRANT}, firm: f1, project: P1, amount: 100万元}}
  - {{provision: {SMART}, firm: f1, project: P1, amount: 150万元}}
"""
FACTS = """as_of: 2024-12-31
firms:
  - id: f1
    projects:
      - {id: P1, retrofit_equipment: "1000万元", smart_recognised: true,
         smart_recognised_on: 2024-06-01}
"""


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM grants").fetchone()[0])


def test_a_ledger_file_paying_both_is_refused_at_the_second_grant(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "L.yaml").write_text(BOTH, "utf-8")
    (tmp_path / "f.yaml").write_text(FACTS, "utf-8")
    code, out, err = run(
        capsys, "eval", POLICY, tmp_path / "f.yaml", "--ledger", tmp_path / "L.yaml"
    )
    assert code == 2
    assert out == ""
    assert "L.yaml:3:5: error[E344]" in err  # the second grant, line 3
    assert f"{SMART} to firm f1, project P1" in err
    assert f"{GRANT} to firm f1, project P1" in err
    assert "L.yaml:2)" in err  # where the first one is
    assert "patterns_excl_2023/2" in err
    assert "不重复支持" in err


def test_import_refuses_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, led = tmp_path / "S.db", tmp_path / "L.yaml"
    led.write_text(BOTH, "utf-8")
    assert run(capsys, "ledger", "init", db)[0] == 0
    code, _, err = run(capsys, "ledger", "import", "--policy", POLICY, db, led)
    assert code == 2
    assert "error[E344]" in err
    assert _count(db) == 0


def test_the_store_and_the_file_together_are_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """One grant in the store, the other in the file to import: refused, the store keeps
    its one grant."""
    db = tmp_path / "S.db"
    first, second = BOTH.splitlines()[1:]
    (tmp_path / "a.yaml").write_text(f"ledger:\n{first}\n", "utf-8")
    (tmp_path / "b.yaml").write_text(f"ledger:\n{second}\n", "utf-8")
    assert run(capsys, "ledger", "init", db)[0] == 0
    assert run(capsys, "ledger", "import", "--policy", POLICY, db, tmp_path / "a.yaml")[0] == 0
    code, _, err = run(capsys, "ledger", "import", "--policy", POLICY, db, tmp_path / "b.yaml")
    assert code == 2
    assert "error[E344]" in err
    assert f"{db}" in err
    assert "b.yaml" in err
    assert _count(db) == 1


def test_the_python_api_refuses_it(policy: policyrules.Policy) -> None:
    ledger = [
        {"provision": GRANT, "firm": "f1", "project": "P1", "amount": "100万元"},
        {"provision": SMART, "firm": "f1", "project": "P1", "amount": "150万元"},
    ]
    facts = {"firms": [{"id": "f1", "projects": [{"id": "P1"}]}]}
    with pytest.raises(LedgerError) as err:
        policy.evaluate(facts, ledger=ledger)
    assert [d.code for d in err.value.diagnostics] == ["E344"]


def _grant(provision: str, project: str, fen: int) -> dict[str, Any]:
    return {
        "provision": provision,
        "firm": "f1",
        "project": project,
        "amount": f"{fen / 100:.2f} 元",
    }


@settings(max_examples=60, deadline=None)
@given(
    grants=st.lists(
        st.tuples(
            st.sampled_from([GRANT, SMART, WORKSHOP]),
            st.sampled_from(["P1", "P2"]),
            st.sampled_from([0, 1, 50_000_000]),  # 0.00 元, 0.01 元, 50 万元
        ),
        max_size=5,
        unique_by=lambda g: (g[0], g[1]),
    )
)
def test_refused_exactly_when_one_project_is_paid_under_both(
    policy: policyrules.Policy, grants: list[tuple[str, str, int]]
) -> None:
    """The kind: whatever the grants, the ledger is refused (E344) if and only if some
    project has a payment above 0.00 元 under both awards of the group; the cumulative
    workshop award and 0.00 元 grants never count."""
    paid = {(p, proj) for p, proj, fen in grants if fen and p != WORKSHOP}
    clash = any((GRANT, proj) in paid and (SMART, proj) in paid for proj in ("P1", "P2"))
    ledger = [_grant(*g) for g in grants]
    facts = {"firms": [{"id": "f1", "projects": [{"id": "P1"}, {"id": "P2"}]}]}
    if clash:
        with pytest.raises(LedgerError) as err:
            policy.evaluate(facts, ledger=ledger, as_of="2024-12-31")
        assert {d.code for d in err.value.diagnostics} == {"E344"}
    else:
        policy.evaluate(facts, ledger=ledger, as_of="2024-12-31")
