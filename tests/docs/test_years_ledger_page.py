"""docs/patterns/years.md's two runs with a ledger file (`--ledger L.json --ledger-out
L.json`, without and then with `--as-of`), run as written in a fresh directory: the page
once began with the second command on a ledger file that did not exist yet, which is
refused (E301), not the E427 it showed.  A missing `--ledger` file stays refused, the
same path given to `--ledger-out` too: a mistyped name must never read as no grants."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The page's example: a 300 万元 award signed 2026-04-01 (50% of a 600 万元 contract, under
# the 300 万元 cap), paid 60% in 2026 and 40% in 2027.
FACTS = """\
firms:
  - id: F1
    projects:
      - { id: P1, service_signed_on: 2026-04-01, service_contract: "600万元" }
"""


def _run(line: str, where: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-c", line], cwd=where, env=env, capture_output=True, text=True, check=False
    )


def test_the_pages_ledger_commands_run_as_written(tmp_path: Path) -> None:
    """Make the ledger, E427 without --as-of (as the page shows), 180 万元 with it."""
    page = (ROOT / "docs" / "patterns" / "years.md").read_text("utf-8")
    block = page.split("Give the day of the payment run")[1].split("```text\n")[1]
    block = block.split("```")[0]
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "patterns").symlink_to(ROOT / "policies" / "patterns")
    (tmp_path / "facts.yaml").write_text(FACTS, "utf-8")
    commands = [line.removeprefix("$ ") for line in block.splitlines() if line.startswith("$ ")]
    assert len(commands) == 3  # make the ledger, refused without --as-of, then with it
    shown = {  # each command's first line of output on the page (up to its `…`), if any
        c: after.split("\n")[0].split("…")[0]
        for c, after in re.findall(r"^\$ (.*)\n((?:[^$].*\n)*)", block, re.M)
    }
    ran = [_run(c, tmp_path) for c in commands]
    assert [r.returncode for r in ran] == [0, 2, 0], [r.stderr for r in ran]
    assert shown[commands[1]].startswith("error[E427]: ")
    assert shown[commands[1]].rstrip() in ran[1].stderr
    # 60% × 300 万元 = 180 万元 for 2026 only (2027 is after the as-of year).
    ledger = json.loads((tmp_path / "L.json").read_text("utf-8"))["ledger"]
    assert [(g["year"], Decimal(g["amount"])) for g in ledger] == [(2026, Decimal("1800000"))]


def test_a_ledger_file_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    """E301 and nothing written, whether or not the path is also --ledger-out; when it is,
    the hint says how to start a ledger."""
    (tmp_path / "facts.yaml").write_text(FACTS, "utf-8")
    policy = ROOT / "policies" / "patterns"
    hint = 'a new ledger file starts empty: write {"ledger": []} to L.json first'
    for ledger, hinted in (("L.json", True), ("l.json", False)):  # its own --ledger-out; not
        ran = _run(
            f"policyrules eval {policy} facts.yaml --ledger {ledger} --ledger-out L.json "
            "--as-of 2026-06-30",
            tmp_path,
        )
        assert ran.returncode == 2
        assert f"error[E301]: cannot read {ledger}" in ran.stderr
        assert (hint in " ".join(ran.stderr.split())) == hinted
        assert not (tmp_path / "L.json").exists()
