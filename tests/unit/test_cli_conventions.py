"""The command line's conventions (issue 13 §5): ``--version``, ``-`` for standard input,
``--format text|json|jsonl|csv``, colour on terminals only, shell completion, a closed pipe,
the labels ``explain`` takes, ``fmt --diff``'s last line, the statements a provision holds,
no "None" for a document without a number, and ``--help`` without markup.

Amounts are those of examples/firm-a.yaml, worked in its header: 第3条 A1 200 万, A2 150 万,
A3 50 万 (the 1000 万 firm-year cap binds: 600 + 200 + 150 = 950, 1000 − 950 = 50);
第7条 J1 30% × 8000 万 = 2400 万; 第13条 A1 up to 100 万 (its rate is an open parameter).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from policyrules.cli import _parser
from policyrules.cli_shell import BROKEN_PIPE
from policyrules.colour import paint, use_colour
from support import BEIJING, ROOT, WAN, run_cli

FIRM_A = ROOT / "examples" / "firm-a.yaml"
LAUNCH = "jjxf_2025_50/3/launch_reward"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        _parser().parse_args(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"policyrules {version('policyrules')}\n"


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_dash_reads_facts_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``eval POLICY -`` prints what ``eval POLICY FILE`` prints (only the name differs in
    error messages, and there is none here)."""
    code, from_file, _ = run_cli(capsys, "eval", BEIJING, FIRM_A)
    _stdin(monkeypatch, FIRM_A.read_bytes())
    code2, from_stdin, _ = run_cli(capsys, "eval", BEIJING, "-")
    assert (code, code2) == (0, 0)
    assert from_stdin == from_file
    _stdin(monkeypatch, FIRM_A.read_bytes())
    code, out, _ = run_cli(capsys, "explain", BEIJING, "3", "--facts", "-")
    assert (code, out.count("【符合条件】")) == (0, 3)  # A1, A2, A3 (the text is Chinese)


def test_dash_reads_a_ledger_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--ledger -``: one more 200 万 launch reward of firm-a in 2026 on standard input.  The
    firm-year cap of 1000 万 then holds 600 + 200 = 800 万 before this run: A1 200 万 fills it
    (→ 1000 万), A2 and A3 are cut to 0."""
    grant = f'{{provision: {LAUNCH}, firm: firm-a, product: A0-4, amount: "200万元", year: 2026}}'
    _stdin(monkeypatch, f"ledger:\n  - {grant}\n".encode())
    code, out, _ = run_cli(capsys, "eval", BEIJING, FIRM_A, "--ledger", "-", "--format", "csv")
    rows = [r for r in _csv(out) if r["provision"] == LAUNCH]
    assert code == 0
    assert [(r["subject"], r["amount_fen"]) for r in rows] == [
        ("firm-a/A1", str(200 * WAN)),
        ("firm-a/A2", "0"),
        ("firm-a/A3", "0"),
    ]


def test_dash_errors_name_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, b"firms: [\n")
    code, _, err = run_cli(capsys, "eval", BEIJING, "-")
    assert code == 2
    assert (err.startswith("-:"), "error[E302]" in err) == (True, True)


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_eval_formats(capsys: pytest.CaptureFixture[str]) -> None:
    _, whole, _ = run_cli(capsys, "eval", BEIJING, FIRM_A, "--format", "json")
    _, alias, _ = run_cli(capsys, "eval", BEIJING, FIRM_A, "--json")
    assert alias == whole  # --json stays the alias of --format json
    decisions = json.loads(whole)["decisions"]
    # JSON Lines: each decision as in JSON, without the Chinese text JSON carries beside.
    for d in decisions:
        assert d.pop("text_zh").startswith("【")
    _, lines, _ = run_cli(capsys, "eval", BEIJING, FIRM_A, "--format", "jsonl")
    assert [json.loads(line) for line in lines.splitlines()] == decisions
    _, table, _ = run_cli(capsys, "eval", BEIJING, FIRM_A, "--format", "csv")
    rows = _csv(table)
    assert len(rows) == len(decisions)
    a3 = next(r for r in rows if r["provision"] == LAUNCH and r["subject"] == "firm-a/A3")
    # 50 万元 = 500,000.00 元 = 50,000,000 fen
    assert (a3["amount_fen"], a3["amount_yuan"], a3["amount_kind"]) == (
        str(50 * WAN),
        "500000.00",
        "exact",
    )
    overseas = next(
        r
        for r in rows
        if r["provision"].endswith("/13/overseas_registration") and r["subject"] == "firm-a/A1"
    )
    assert (overseas["amount_fen"], overseas["amount_kind"]) == (str(100 * WAN), "up_to")
    assert json.loads(overseas["missing_parameters"]) == ["overseas_support_rate"]
    exact = sum(int(r["amount_fen"]) for r in rows if r["amount_kind"] == "exact")
    assert exact == (200 + 150 + 50 + 2400) * WAN


def test_coverage_and_explain_formats(capsys: pytest.CaptureFixture[str]) -> None:
    _, whole, _ = run_cli(capsys, "coverage", BEIJING, "--format", "json")
    measures = json.loads(whole)["clauses"]
    assert len(measures) == 47  # 15 of 京经信发〔2025〕50号 + 32 of 京医保发〔2025〕5号
    _, lines, _ = run_cli(capsys, "coverage", BEIJING, "--format", "jsonl")
    # as eval's: the JSON's objects without their Chinese text (text_zh is JSON's alone)
    bare = [{k: v for k, v in m.items() if k != "text_zh"} for m in measures]
    assert [json.loads(line) for line in lines.splitlines()] == bare
    _, table, _ = run_cli(capsys, "coverage", BEIJING, "--format", "csv")
    assert [r["label"] for r in _csv(table)] == [m["label"] for m in measures]

    _, out, _ = run_cli(capsys, "explain", BEIJING, "13", "--format", "json")
    (clause,) = json.loads(out)["clauses"]
    assert (clause["id"], clause["parameters"]) == (
        "jjxf_2025_50/13",
        [{"name": "overseas_support_rate", "set": False}],
    )
    code, _, err = run_cli(capsys, "explain", BEIJING, "13", "--format", "csv")
    assert (code, "error[E734]" in err) == (2, True)
    _, out, _ = run_cli(capsys, "explain", BEIJING, "3", "--facts", FIRM_A, "--format", "csv")
    assert [(r["subject"], r["amount_fen"]) for r in _csv(out)] == [
        ("firm-a/A1", str(200 * WAN)),
        ("firm-a/A2", str(150 * WAN)),
        ("firm-a/A3", str(50 * WAN)),
    ]


def test_ledger_show_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "grants.db"
    assert run_cli(capsys, "ledger", "init", db)[0] == 0
    assert run_cli(capsys, "eval", BEIJING, FIRM_A, "--ledger", db)[0] == 0
    _, whole, _ = run_cli(capsys, "ledger", "show", db, "--format", "json")
    _, lines, _ = run_cli(capsys, "ledger", "show", db, "--format", "jsonl")
    assert [json.loads(line) for line in lines.splitlines()] == json.loads(whole)
    _, table, _ = run_cli(capsys, "ledger", "show", db, "--format", "csv")
    rows = _csv(table)
    # the facts' 3 earlier grants of 200 万 and this run's 200 + 150 + 50 + 2400 万
    assert len(rows) == 7
    assert sum(int(r["amount_fen"]) for r in rows) == (600 + 2800) * WAN
    assert all(int(r["amount_fen"]) == int(r["amount_yuan"].replace(".", "")) for r in rows)


def test_colour_rule() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    assert (use_colour(tty, {}), use_colour(pipe, {})) == (True, False)
    assert not use_colour(tty, {"NO_COLOR": "1"})
    assert not use_colour(tty, {"TERM": "dumb"})
    assert use_colour(pipe, {"FORCE_COLOR": "1"})
    assert not use_colour(pipe, {"FORCE_COLOR": "1", "NO_COLOR": "1"})  # NO_COLOR wins
    assert use_colour(tty, {"NO_COLOR": ""})  # set but empty: no effect (no-color.org)
    assert paint("[NOT ELIGIBLE] x") == "\x1b[1;31m[NOT ELIGIBLE]\x1b[0m x"


def test_colour_in_eval(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, plain, _ = run_cli(capsys, "eval", BEIJING, FIRM_A)
    assert "\x1b" not in plain  # captured output is no terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, coloured, _ = run_cli(capsys, "eval", BEIJING, FIRM_A)
    assert coloured.startswith("\x1b[1;32m【符合条件】\x1b[0m京经信发")
    _, english, _ = run_cli(capsys, "eval", BEIJING, FIRM_A, "--lang", "en")
    assert english.startswith("\x1b[1;32m[ELIGIBLE]\x1b[0m ")
    assert (
        coloured.replace("\x1b[1;32m", "")
        .replace("\x1b[1;31m", "")
        .replace("\x1b[1;33m", "")
        .replace("\x1b[0m", "")
        == plain
    )
    monkeypatch.setenv("NO_COLOR", "1")
    assert run_cli(capsys, "eval", BEIJING, FIRM_A)[1] == plain


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_script(capsys: pytest.CaptureFixture[str], shell: str) -> None:
    code, out, _ = run_cli(capsys, "completion", shell)
    assert code == 0
    for word in ("eval", "explain", "diff", "--format", "jsonl"):
        assert word in out
    program = shutil.which(shell)
    if program is not None and shell == "bash":  # the script at least parses
        checked = subprocess.run([program, "-n"], input=out, text=True, capture_output=True)
        assert (checked.returncode, checked.stderr) == (0, "")


def test_closed_pipe_ends_quietly() -> None:
    """A reader that is gone (as after ``| head -1``): no message, status 141 (128 +
    SIGPIPE).  The pipe's reading end is closed before the command starts, so its first
    write fails, whatever the timing."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "policyrules", "eval", str(BEIJING), str(FIRM_A)],
            stdout=write,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (BROKEN_PIPE, b"")


@pytest.mark.parametrize(
    "label",
    ["3", "第3条", "jjxf_2025_50/3", "京经信发〔2025〕50号 第3条", " 第3条 "],
)
def test_explain_takes_printed_labels(capsys: pytest.CaptureFixture[str], label: str) -> None:
    code, out, _ = run_cli(capsys, "explain", BEIJING, label)
    assert (code, out.splitlines()[0]) == (0, "京经信发〔2025〕50号 第3条 创新产品上市奖励")


@pytest.mark.parametrize(
    "label",
    ["(十九)", "（十九）", "十九", "京医保发〔2025〕5号 （十九）", "京医保发〔2025〕5号（十九）"],
)
def test_explain_takes_bracketed_labels(capsys: pytest.CaptureFixture[str], label: str) -> None:
    code, out, _ = run_cli(capsys, "explain", BEIJING, label)
    assert (code, out.splitlines()[0]) == (
        0,
        "京医保发〔2025〕5号（十九）创新药医保准入、挂网与支付",
    )


def test_explain_suggests_by_title(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "explain", BEIJING, "境外上市")
    assert code == 2
    assert "did you mean 京经信发〔2025〕50号 第13条 境外上市注册支持 (jjxf_2025_50/13)?" in err
    assert err.count("jjxf_2025_50/") == 1  # one suggestion, not the 47
    code, _, err = run_cli(capsys, "explain", BEIJING, "京医保发〔2025〕5号 第33条")
    assert (code, "error[E400]" in err) == (2, True)  # it has 32 (its 第3条 is its （三）)


def test_explain_refuses_a_label_of_two_documents(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``d12`` with documents ``d`` and ``d1``: d's 第12条 or d1's 第2条, neither chosen."""
    (tmp_path / "d.rule").write_text('document d "甲"\n\nclause 12 "十二"\n  quote "q"\n', "utf-8")
    (tmp_path / "d1.rule").write_text('document d1 "乙"\n\nclause 2 "二"\n  quote "q"\n', "utf-8")
    code, out, err = run_cli(capsys, "explain", tmp_path, "d12")
    assert (code, out) == (2, "")
    assert "error[E735]: clause 'd12' reads 2 ways: d 第12条 (d/12) or d1 第2条 (d1/2)" in err
    assert "(`d 12`, `d1 2`) or the clause's id (`d/12`, `d1/2`)" in err
    for label, first in [
        ("d 12", "d 第12条 十二"),
        ("d/12", "d 第12条 十二"),
        ("d1 2", "d1 第2条 二"),
    ]:
        code, out, _ = run_cli(capsys, "explain", tmp_path, label)
        assert (code, out.splitlines()[0]) == (0, first)
    (tmp_path / "d1.rule").write_text('document d1 "乙"\n\nclause 3 "三"\n  quote "q"\n', "utf-8")
    code, out, _ = run_cli(capsys, "explain", tmp_path, "d12")  # d1 has no 第2条: one reading
    assert (code, out.splitlines()[0]) == (0, "d 第12条 十二")


def test_fmt_diff_ends_with_a_newline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rule = tmp_path / "t.rule"
    rule.write_text('document d "测试"\nclause 1 "奖励"\n  quote   "q"', "utf-8")  # no last \n
    code, out, _ = run_cli(capsys, "fmt", "--diff", rule)
    assert code == 1
    # the old last line is marked as diff(1) marks it, not glued to the next line
    assert '-  quote   "q"\n\\ No newline at end of file\n+  quote "q"\n' in out
    assert out.endswith("\n")
    assert all(line[:1] in "-+ @\\" for line in out.splitlines())


def test_syntax_error_in_a_provision_lists_its_statements(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rule = tmp_path / "t.rule"
    rule.write_text(
        'document d "t"\nclause 1 "t"\n  award a "x"\n    for each product\n    eligble when x\n',
        "utf-8",
    )
    code, _, err = run_cli(capsys, "check", rule)
    assert code == 1
    assert "t.rule:5:5: error[E101]: found a name: a word that starts no statement in a " in err
    assert "a provision holds quote, note, for each, eligible when, amount" in err


def test_no_none_for_a_document_without_number(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rule = tmp_path / "t.rule"
    rule.write_text('document d "测试"\n\nclause 1 "奖励"\n  quote "q"\n', "utf-8")
    code, out, _ = run_cli(capsys, "explain", rule, "1")
    assert (code, out.splitlines()[0]) == (0, "d 第1条 奖励")
    assert "None" not in out


def _parsers(p: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [p]
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found.extend(_parsers(sub))
    return found


def test_help_has_no_markup() -> None:
    helps = {p.prog: p.format_help() for p in _parsers(_parser())}
    assert {"policyrules diff", "policyrules ledger show", "policyrules completion"} <= set(helps)
    for prog, text in helps.items():
        for mark in ("`", "**", ":class:", ":func:", ":mod:", ":meth:"):
            assert mark not in text, (prog, mark)
