"""Benchmark: instructions a claim of the one-by-one paths, counted by valgrind.

Run on demand (not a test): ``python benchmarks/bench_instructions.py [--claims 2000]
[MODE ...]``.  Times on a shared machine move 20-50 % from run to run; the instructions a
path executes do not (repeatable to about 0.5 %, whatever the load), so a change of a few
per cent can be seen.  For each mode, two processes run under ``valgrind --tool=cachegrind
--cache-sim=no``: one evaluates once (warm), the other once and then three more times; the
difference, divided by 3 and by the claims, is the instructions a claim.  Device measure 3
only (京经信发〔2025〕50号 第3条; ``whole``: every measure), the claims of
:mod:`one_by_one_data`.  Modes:

* ``hand``: the hand-written loop over tuples (the baseline);
* ``bare``: ``evaluate(facts, explain=False)``;
* ``whole``: the same with the whole shipped policy loaded (every measure; the facts are
  measure 3's, so the other awards' claims lack their facts: unknown, holding their bounds);
* ``awards``: the same, then each grant's amount in fen (``result.grants``): the awards
  read, as the hand loop returns them;
* ``made``: the same, then ``result.decisions``;
* ``eval``: ``evaluate(facts)`` (explanations on);
* ``decisions``: the same, then ``result.decisions``;
* ``text``: the same, then :func:`~policyrules.explain.decision_text` of every decision
  (the *explanations rendered* row of ``bench_one_by_one.py``);
* ``texts``: ``evaluate(facts)``, then ``result.decision_texts()``: the same texts, the
  frequent ones rendered from the evaluator's record without making their decisions;
* ``explain_en``: ``evaluate(facts)``, then ``result.explain(lang="en")`` (the whole text:
  every decision that applies in full, the others in a line);
* ``zh``: the same with :func:`~policyrules.explain_zh.decision_text_zh` and the policy's words;
* ``explain_zh``: ``evaluate(facts)``, then ``result.explain()`` (the whole Chinese text a
  reader gets by default; the frequent claims said from the evaluator's record);
* ``json``: ``evaluate(facts)``, then ``result.to_json()`` (what ``eval --json`` and the
  service answer with);
* ``whole_made``: ``made`` with the whole shipped policy (``evaluate(facts,
  explain=False)``, then ``result.decisions``: what a registry run reads to find who
  qualifies);
* ``whole_decisions``: ``evaluate(facts)`` (explanations on) with the whole shipped policy,
  then ``result.decisions`` (most subjects of the other measures lack every fact their
  conditions read: see ``backends/python/blank_rows.py``);
* ``whole_zh``: the same, then ``result.explain()`` instead (the whole Chinese text);
* ``firm``, ``firm_text``: one firm a call, without explanations, and rendered from its
  decisions; ``firm_texts``: one firm a call, ``result.decision_texts()`` (as a service
  answering firm by firm).

Every child runs with ``PYTHONHASHSEED=0`` (the order of sets and dicts of strings, and so
the work done, is the same from run to run) and ``XDG_CACHE_HOME`` set to a private temporary
directory, which one uncounted run fills with the parser's cache before any is counted (so no
count includes building the parser, whatever another user's cache holds).

``--cache-sim`` turns cachegrind's cache simulation on and prints, next to the instructions,
the first-level data cache (D1) and last-level (LL, data and instructions) misses a claim,
counted the same way (the difference of the two runs): like instructions they do not move
with the load, and they follow time more closely, since a miss costs tens of instructions'
time.  The simulated caches are valgrind's defaults for the machine it runs on.

Needs valgrind (Debian's ``valgrind`` package); about a minute and a half a mode (longer
with ``--cache-sim``).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
MODES = ("hand", "bare", "whole", "awards", "made", "eval", "decisions", "text", "texts")
MODES += ("explain_en", "zh", "explain_zh", "json", "whole_made", "whole_decisions", "whole_zh")
MODES += ("firm", "firm_text", "firm_texts", "firm_zh")
_RUNS = 3


def _run(mode: str, claims: int, times: int) -> None:
    """The child: load, read, warm once, then run ``mode`` ``times`` times."""
    import one_by_one_data as data

    import policyrules
    from policyrules.explain import decision_text
    from policyrules.explain_zh import decision_text_zh

    if mode in ("whole", "whole_made", "whole_decisions", "whole_zh"):
        policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            policy = policyrules.load(data.measure3_only(ROOT / "policies" / "beijing_2025", tmp))
    rows = data.claims(claims)
    facts = policy.read_facts(data.as_facts(rows))
    firms = [policy.read_facts(data.as_facts(r)) for r in data.by_firm(rows)]
    # What was set up lives on: no full collection walks it while a mode runs (once in a
    # few runs, hundreds of millions of instructions, landing in one mode's count and not
    # another's); young collections go on as in any program.  (Not gc.freeze(): the
    # evaluator asks how many objects are frozen, a walk of them all.)
    gc.collect()
    gc.set_threshold(gc.get_threshold()[0], gc.get_threshold()[1], 1 << 30)

    def once() -> None:
        if mode == "hand":
            data.hand_loop(rows)
        elif mode in ("firm", "firm_text"):
            for f in firms:
                result = policy.evaluate(f, explain=mode == "firm_text")
                if mode == "firm_text":
                    for d in result.decisions:
                        decision_text(d)
        elif mode == "firm_texts":
            for f in firms:
                policy.evaluate(f).decision_texts()
        elif mode == "firm_zh":
            for f in firms:
                policy.evaluate(f).explain()
        elif mode == "json":
            policy.evaluate(facts).to_json()
        elif mode == "awards":
            [g.amount.fen for g in policy.evaluate(facts, explain=False).grants]
        elif mode == "texts":
            policy.evaluate(facts).decision_texts()
        elif mode == "explain_en":
            policy.evaluate(facts).explain(lang="en")
        elif mode in ("explain_zh", "whole_zh"):
            policy.evaluate(facts).explain()
        else:
            bare = ("bare", "whole", "made", "whole_made")
            result = policy.evaluate(facts, explain=mode not in bare)
            if mode in ("made", "decisions", "text", "zh", "whole_made", "whole_decisions"):
                for d in result.decisions:
                    if mode == "text":
                        decision_text(d)
                    elif mode == "zh":
                        decision_text_zh(d, policy.words)

    for _ in range(times + 1):
        once()


def _child_env(cache: str) -> dict[str, str]:
    """The environment of every child: a fixed hash seed and the private parser cache."""
    return {**os.environ, "PYTHONHASHSEED": "0", "XDG_CACHE_HOME": cache}


def _warm(cache: str) -> None:
    """One uncounted run (not under valgrind) that fills the private cache with the parser."""
    cmd = [sys.executable, __file__, "--child", "hand", "10", "0"]
    subprocess.run(cmd, env=_child_env(cache), capture_output=True, text=True, check=True)


_COUNTS = {"I": r"I\s+refs:", "D1": r"D1\s+misses:", "LL": r"LL\s+misses:"}


def _counts(mode: str, claims: int, times: int, cache: str, sim: bool) -> dict[str, int]:
    """Instructions (``I``) and, with ``sim``, D1 and LL misses of one child under valgrind."""
    cmd = ["valgrind", "--tool=cachegrind", f"--cache-sim={'yes' if sim else 'no'}"]
    cmd += ["--cachegrind-out-file=/dev/null"]
    cmd += [sys.executable, __file__, "--child", mode, str(claims), str(times)]
    env = _child_env(cache)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stderr
    counts = {}
    for name, label in _COUNTS.items():
        if name != "I" and not sim:
            continue
        found = re.search(label + r"\s+([\d,]+)", out)
        assert found is not None, out[-2000:]
        counts[name] = int(found[1].replace(",", ""))
    return counts


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument(
        "--cache-sim", action="store_true", help="also count D1 and LL misses a claim"
    )
    parser.add_argument("modes", nargs="*", default=["hand", "bare", "text", "firm"])
    args = parser.parse_args()
    bad = [m for m in args.modes if m not in MODES]
    if bad:
        parser.error(f"unknown mode(s) {', '.join(bad)}; choose from {', '.join(MODES)}")
    what = "instructions and D1, LL misses" if args.cache_sim else "instructions"
    print(f"{what} a claim, {args.claims} claims of measure 3, valgrind cachegrind")
    hand: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as cache:
        _warm(cache)
        for mode in ["hand", *[m for m in args.modes if m != "hand"]]:
            runs = _counts(mode, args.claims, _RUNS, cache, args.cache_sim)
            once = _counts(mode, args.claims, 0, cache, args.cache_sim)
            per = {k: (runs[k] - once[k]) / _RUNS / args.claims for k in runs}
            hand = hand or per
            line = f"  {mode:<10} {per['I'] / 1000:9.1f} k {per['I'] / hand['I']:7.1f}×"
            for k in ("D1", "LL"):
                if k in per:  # (no ratio to the hand loop's none: its data fit in LL)
                    ratio = f"{per[k] / hand[k]:7.1f}×" if hand[k] >= 0.5 else "        "
                    line += f"   {k} {per[k]:9.1f} {ratio}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
