"""``eval REGISTRY --firm ID`` for a firm not in the registry (E635): the did-you-mean of an
id.  difflib's similarity, cut off at 0.6, missed short ids (``P1`` for ``p1`` scores 0.5)
and broke its ties by the greatest string (``71`` was offered ``7100``, not ``0071``), over
the first 10000 ids only.  Now the same id written differently comes first (zeros, case,
spaces, look-alikes), then the ids an edit or two away; three at most."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

import policyrules
from policyrules.errors import TableError
from support import BEIJING, run_cli

IDS = ("0071", "0701", "0711", "7100", "1071", "0017", "p1", "q1", "F00000003", "F00000013")
SAME = "an id is compared exactly as written (zeros, case, spaces)"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(BEIJING)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reg")
    (folder / "firms.csv").write_text("id\n" + "".join(f"{i}\n" for i in IDS), "utf-8")
    return folder


def _hint(policy: policyrules.Policy, registry: Path, firm: str) -> str | None:
    with pytest.raises(TableError) as info:
        policy.registry_facts(registry, firm)
    (d,) = info.value.diagnostics
    assert d.code == "E635"
    assert d.message.endswith(f"no firm {firm!r} in firms")
    return d.hint


@pytest.mark.parametrize(
    ("firm", "hint"),
    [
        # the same id written differently: leading zeros, case, space, look-alike, width
        ("71", f"did you mean '0071'? {SAME}"),  # difflib: '7100' (a tie at 0.67 with 0071)
        ("P1", f"did you mean 'p1'? {SAME}"),  # difflib: none (0.5 < 0.6)
        ("0701 ", f"did you mean '0701'? {SAME}"),
        (" 0701", f"did you mean '0701'? {SAME}"),
        ("O701", f"did you mean '0701'? {SAME}"),
        ("07l1", f"did you mean '0711'? {SAME}"),
        ("０７０１", f"did you mean '0701'? {SAME}"),
        ("٠٧٠١", f"did you mean '0701'? {SAME}"),  # Arabic-Indic digits
        ("F0000003", f"did you mean 'F00000003'? {SAME}"),  # one zero short
        ("p01", f"did you mean 'p1'? {SAME}"),
        # none written alike: the ids one edit away (two from six characters)
        ("0700", "did you mean '0701'?"),  # difflib: '7100'
        ("0710", "did you mean '0701' or '0711'?"),  # two swapped; one changed
        ("r1", "did you mean 'p1' or 'q1'?"),
        ("F00000023x", "did you mean 'F00000003' or 'F00000013'?"),
        # nothing close: what the registry holds
        ("x", "firms holds 10 firm(s); an id is compared as written"),
        ("P2x", "firms holds 10 firm(s); an id is compared as written"),
    ],
)
def test_the_id_meant_is_offered(
    policy: policyrules.Policy, registry: Path, firm: str, hint: str
) -> None:
    assert _hint(policy, registry, firm) == hint


def test_never_a_flood(policy: policyrules.Policy, tmp_path: Path) -> None:
    """1000 ids 000-999: 55 is 055 without its zero; 5555 is one edit from 555 alone; 55x
    is one edit from ten (550-559): three are named, in order."""
    (tmp_path / "firms.csv").write_text(
        "id\n" + "".join(f"{i:03d}\n" for i in range(1000)), "utf-8"
    )
    assert _hint(policy, tmp_path, "55") == f"did you mean '055'? {SAME}"
    hint = _hint(policy, tmp_path, "5555")
    assert hint == "did you mean '555'?"  # one dropped; 5550 etc. are not there
    hint = _hint(policy, tmp_path, "55x")
    assert hint == "did you mean '550', '551' or '552'?"


def test_every_id_is_searched_not_the_first_10000(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    (tmp_path / "firms.csv").write_text(
        "id\n" + "".join(f"F{i:06d}\n" for i in range(12_000)), "utf-8"
    )
    assert _hint(policy, tmp_path, "F11999") == f"did you mean 'F011999'? {SAME}"


def test_the_cli_says_it(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "eval", BEIJING, registry, "--firm", "71")
    assert code == 2
    assert "error[E635]" in err
    assert f"did you mean '0071'? {SAME}" in err


def test_the_sql_writes_a_registry_id_as_python_does() -> None:
    """The key is computed in SQL for the registry's ids (a Python function per row was
    11 s at 10^6 firms) and in Python for the id given: the two agree on ids the registry
    reader takes (ASCII; what it refuses, full-width or invisible, never reaches the SQL)."""
    from policyrules.id_hints import id_key, id_text
    from policyrules.registry_facts import _ID_KEY, _ID_TEXT

    rng = random.Random(20261205)
    alphabet = "0000OoIil1LP p9x-\t"
    ids = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    con = duckdb.connect()
    try:
        got = con.execute(
            f"SELECT t, {_ID_KEY} FROM (SELECT {_ID_TEXT} AS t FROM "
            "(SELECT unnest($ids) AS raw, generate_subscripts($ids, 1) AS i) ORDER BY i)",
            {"ids": ids},
        ).fetchall()
    finally:
        con.close()
    assert got == [(id_text(i), id_key(i)) for i in ids]
