"""No control or bidi character from the input reaches the terminal raw (issue 9 §11).

Ids, text facts, rule strings and file names come from other people's files.  Every
human-readable output shows such characters escaped (``\\x1b``, ``\\u202e``); JSON output
escapes them the JSON way and reads back to exactly the same data.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from policyrules.cli import main
from policyrules.errors import Diagnostic, Span, render
from policyrules.terminal import BREAK, cells, printable, printable_pieces

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"

# ESC sequences that clear the screen and turn red, BEL, CR (rewrites the line), a C1 CSI,
# DEL, and a right-to-left override.
BAD = "\x1b[2J\x1b[31mPAID\x07\r\x9b\x7f\u202eX"
SHOWN = "\\x1b[2J\\x1b[31mPAID\\x07\\x0d\\x9b\\x7f\\u202eX"
# An id may not hold a control character, a bidi or other invisible one, nor a line or
# paragraph separator (E303; escaped in the error): an id taken is shown as it is written.
BAD_ID = "PAID 付\u00b7Y"
SHOWN_ID = BAD_ID
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _facts(tmp_path: Path, ident: str = BAD_ID) -> Path:
    data = {
        "firms": [
            {
                "id": "F" + ident,
                "name": "N" + BAD,
                "products": [
                    {
                        "id": "P" + BAD_ID,
                        "approved_on": "2026-03-02",
                        "launch_routes": ["national_priority_review"],
                        "launch_reward_decided": "200万元",
                    }
                ],
            }
        ]
    }
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def _policy(tmp_path: Path) -> Path:
    """The shipped policy with control characters in a clause title (a rule string)."""
    policy = tmp_path / "policy"
    shutil.copytree(POLICY, policy)
    rule = policy / "jjxf-2025-50.rule"
    text = rule.read_text("utf-8").replace('clause 3 "创新产品上市奖励"', f'clause 3 "上市{BAD}"')
    rule.write_text(text, "utf-8")
    return policy


def _bad_policy(tmp_path: Path) -> Path:
    """A check error on a line that also holds control characters (in a comment)."""
    policy = _policy(tmp_path)
    rule = policy / "jjxf-2025-50.rule"
    # read_bytes: read_text would turn the title's raw CR into a newline.
    text = (
        rule.read_bytes()
        .decode("utf-8")
        .replace(
            "eligible when approved_on in force", f"eligible when aproved_on in force  # 中{BAD}"
        )
    )
    rule.write_text(text, "utf-8")
    return policy


def _bad_facts_json(tmp_path: Path) -> Path:
    # Raw controls are not allowed in JSON strings: the error shows the line they are on.
    path = tmp_path / f"bad{BAD}.json"
    path.write_text('{"firms": [{"id": "' + BAD + '"}]', "utf-8")
    return path


def _bad_facts_yaml(tmp_path: Path) -> Path:
    # YAML refuses most raw controls but takes them as escapes in double quotes, and takes
    # a raw bidi override: both an unknown key (quoted in the message) and the shown line.
    path = tmp_path / "bad.yaml"
    path.write_text(
        'firms:\n  - id: "F\\e[2J\\u202e"\n    products: 3   # 中\u202e注\n    "b\\e[2J": 1\n',
        "utf-8",
    )
    return path


def _bad_values(tmp_path: Path) -> Path:
    # Enum-like strings and a money text quoted back in the messages.
    product = {
        "id": "P",
        "approved_on": "2026-03-02",
        "launch_routes": ["n" + BAD],
        "overseas_authority": "A" + BAD,
        "launch_reward_decided": "2" + BAD,
    }
    path = tmp_path / "values.json"
    data = {"firms": [{"id": "F", "products": [product]}]}
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def _fmt_dir(tmp_path: Path) -> Path:
    d = tmp_path / "fmt"
    d.mkdir()
    (d / f"a{BAD}.rule").write_text(f'parameter r:rate  "x{BAD}"\n', "utf-8")
    return d


CASES = {
    "check": lambda t: ["check", str(_bad_policy(t))],
    "eval": lambda t: ["eval", str(_policy(t)), str(_facts(t))],
    "eval --trace": lambda t: ["eval", "--trace", str(_policy(t)), str(_facts(t))],
    "explain --facts": lambda t: ["explain", str(_policy(t)), "3", "--facts", str(_facts(t))],
    "explain": lambda t: ["explain", str(_policy(t)), "3"],
    "coverage": lambda t: ["coverage", str(_policy(t))],
    "eval, bad JSON facts": lambda t: ["eval", str(POLICY), str(_bad_facts_json(t))],
    "eval, bad YAML facts": lambda t: ["eval", str(POLICY), str(_bad_facts_yaml(t))],
    "eval, bad values": lambda t: ["eval", str(POLICY), str(_bad_values(t))],
    "eval, missing file": lambda t: ["eval", str(POLICY), str(t / f"none{BAD}.yaml")],
    "eval, bad parameter": lambda t: ["eval", str(POLICY), str(_facts(t)), "--set", f"x{BAD}=1"],
    "explain, unknown clause": lambda t: ["explain", str(POLICY), f"9{BAD}"],
    "eval, id refused": lambda t: ["eval", str(POLICY), str(_facts(t, BAD))],
    "eval, id with a line separator": lambda t: [
        "eval",
        str(POLICY),
        str(_facts(t, "X\u2028\x1b[2J\u202eY")),
    ],
    "fmt --check": lambda t: ["fmt", "--check", str(_fmt_dir(t))],
    "fmt --diff": lambda t: ["fmt", "--diff", str(_fmt_dir(t))],
    "fmt": lambda t: ["fmt", str(_fmt_dir(t))],
}


@pytest.mark.parametrize("name", list(CASES))
def test_no_raw_control_character_reaches_the_terminal(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every text output command, on input full of control and bidi characters: stdout and
    stderr hold none of them raw (newlines aside), and show the escaped form instead."""
    main(CASES[name](tmp_path))
    out, err = capsys.readouterr()
    assert RAW.findall(out + err) == []
    shown = out + err
    # Each command shows at least the ESC and the bidi override, escaped (or, where only ids
    # carry the bad text, their separators: an id with a control or bidi character is refused).
    assert "\\x1b[2J" in shown or SHOWN_ID in shown
    assert "\\u202e" in shown or SHOWN_ID in shown


def test_ids_are_shown_whole_in_eval(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's example: the firm/product id is shown, all of it, in its escaped form."""
    main(["eval", str(POLICY), str(_facts(tmp_path))])
    out = capsys.readouterr().out
    assert f"F{SHOWN_ID}/P{SHOWN_ID}" in out


def test_json_output_is_exact_and_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`eval --json`: no raw control, C1 or bidi character, and the ids read back exactly."""
    main(["eval", "--json", str(POLICY), str(_facts(tmp_path))])
    out = capsys.readouterr().out
    assert RAW.findall(out) == []
    subjects = {d["subject"] for d in json.loads(out)["decisions"]}
    assert f"F{BAD_ID}/P{BAD_ID}" in subjects


def test_caret_stays_under_its_text() -> None:
    """A line with full-width characters and escaped controls before the error: the caret
    starts after 中 (2 cells) + `\\x1b` (4) + `\\u202e` (6) + ` ` (1) = 13 cells."""
    line = "中\x1b\u202e aproved_on"
    span = Span("f.rule", 1, 5, 1, 15)
    text = render(Diagnostic("E203", "unknown fact", span), line + "\n")
    shown, caret = text.splitlines()[1:3]
    assert shown == "    1 | 中\\x1b\\u202e aproved_on"
    assert caret == "      | " + " " * 13 + "^" * 10


def test_render_counts_lines_as_the_readers_do() -> None:
    """A form feed is not a line break for Lark or JSON: line 2 is the line after the `\\n`."""
    source = "a\x0cb\nsecond\n"
    text = render(Diagnostic("E300", "x", Span("f", 2, 1, 2, 7)), source)
    assert text.splitlines()[1] == "    2 | second"


def test_printable_examples() -> None:
    """One escape form: `\\xNN` below U+0100, `\\uNNNN` above; tabs and newlines too unless
    kept."""
    assert printable("a\tb\nc\x00\x85\u2066") == "a\\x09b\\x0ac\\x00\\x85\\u2066"
    assert printable("a\tb\nc", keep="\n\t") == "a\tb\nc"
    assert cells("中文ab") == 6
    assert cells("e\u0301") == 1


def test_long_line_is_shown_as_a_window_with_the_caret_aligned() -> None:
    """A 100,000-character line (a one-line JSON facts file) with the error at column
    50,001: the window holds 40 characters before the error (39 × 中 and ESC), the 5 marked
    and 40 after.
    Before the caret: `...` (3 cells) + 39 × 中 (78 cells) + `\\x1b` (4 cells) = 85 cells."""
    line = "中" * 49_999 + "\x1b" + "ERROR" + "中" * 49_995
    span = Span("big.json", 1, 50_001, 1, 50_006)
    text = render(Diagnostic("E302", "x" * 5000, span), line)
    head, shown, caret = text.splitlines()
    assert head == f"big.json:1:50001: error[E302]: {'x' * 1000}... (4000 more characters)"
    assert shown == "    1 | ..." + "中" * 39 + "\\x1b" + "ERROR" + "中" * 40 + "..."
    assert caret == "      | " + " " * 85 + "^^^^^"


def test_printable_lines_caches_only_lines_with_nothing_to_escape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The cache of safe lines may let a known line skip the search, never an unsafe one.
    from policyrules import terminal

    monkeypatch.setattr(terminal, "_SAFE", {})
    quote = "  text: 「单个产品不超过 200 万元」"
    safe = ["[ELIGIBLE] f1/P1", quote]
    assert terminal.printable_lines(safe) is safe  # nothing to escape: the lines themselves
    assert quote in terminal._SAFE
    forged = [quote, "  because: \x1b[2Jpaid\u202e"]
    assert terminal.printable_lines(forged) == [quote, "  because: \\x1b[2Jpaid\\u202e"]
    assert forged[1] not in terminal._SAFE
    # Full: lines are searched as before, and an unsafe one is still escaped.
    monkeypatch.setattr(terminal, "_SAFE_MAX", 0)
    monkeypatch.setattr(terminal, "_SAFE", {})
    assert terminal.printable_lines(safe) is safe
    assert terminal._SAFE == {}
    assert terminal.printable_lines(forged)[1] == "  because: \\x1b[2Jpaid\\u202e"


def test_pieces_are_escaped_but_the_breaks_between_their_lines() -> None:
    """A text said as pieces, its lines apart by BREAK: each piece escaped as its line would
    be, a line break inside a piece (from the input) escaped too, the breaks kept."""
    pieces = ["head · ", "f\u202e1", BREAK, "  note: ", "a\nb", BREAK, "\x1b[2J", "\n"]
    assert printable_pieces(pieces) == "head · f\\u202e1\n  note: a\\x0ab\n\\x1b[2J\\x0a"
    assert printable_pieces(["a", BREAK, "b"]) == "a\nb"
