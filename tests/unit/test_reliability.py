"""Reliability: nothing half-written, and no text from a policy or facts file runs as code."""

from __future__ import annotations

import ast
import builtins
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.cli import main
from strategies import compile_text

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "policyrules"
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = POLICY / "cases" / "clause-03.yaml"

MESSY = 'parameter r:rate  "x"\n'
TIDY = 'parameter r: rate "x"\n'


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _facts_file(tmp_path: Path) -> Path:
    """A small facts file for the Beijing policy that makes at least one grant."""
    f = tmp_path / "facts.yaml"
    f.write_text(
        "firms:\n  - id: f1\n    products:\n      - id: p1\n        approved_on: 2026-03-01\n"
        "        launch_routes: [national_priority_review]\n"
        '        launch_reward_decided: "100万元"\n',
        "utf-8",
    )
    return f


# ---- nothing half-written ------------------------------------------------------------------


@pytest.mark.parametrize("write_flag", [[], ["--write"]])
def test_fmt_parses_every_file_before_writing_any(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, write_flag: list[str]
) -> None:
    """Among several files, one that does not parse: exit 2, and no file is rewritten, not
    even those before it, and no temporary file is left."""
    good = [tmp_path / f"{n}.rule" for n in ("a", "b")]
    for f in good:
        f.write_text(MESSY, "utf-8")
    bad = tmp_path / "z.rule"
    bad.write_text('clause 1 "t" eligible when x\n', "utf-8")
    code, _, err = _run(capsys, "fmt", *write_flag, str(tmp_path))
    assert code == 2
    assert "error[E102]" in err
    assert [f.read_text("utf-8") for f in good] == [MESSY, MESSY]
    assert _listing(tmp_path) == ["a.rule", "b.rule", "z.rule"]


@pytest.mark.parametrize("write_flag", [[], ["--write"]])
def test_fmt_rename_failure_keeps_old_file(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write_flag: list[str],
) -> None:
    """If the final rename fails, the old file is intact and the temporary file is gone."""
    f = tmp_path / "a.rule"
    f.write_text(MESSY, "utf-8")

    def refuse(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    code, _, err = _run(capsys, "fmt", *write_flag, str(f))
    assert code == 2
    assert "No space left on device" in err
    assert f.read_text("utf-8") == MESSY
    assert _listing(tmp_path) == ["a.rule"]


def test_fmt_write_failure_keeps_old_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while the new text is being written (before the rename) changes nothing."""
    f = tmp_path / "a.rule"
    f.write_text(MESSY, "utf-8")

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    code, _, _ = _run(capsys, "fmt", str(f))
    assert code == 2
    assert f.read_text("utf-8") == MESSY
    assert _listing(tmp_path) == ["a.rule"]


def test_fmt_keeps_the_file_mode(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Rewriting through a temporary file keeps the file's permissions (mkstemp makes 0600)."""
    f = tmp_path / "a.rule"
    f.write_text(MESSY, "utf-8")
    f.chmod(0o644)
    assert _run(capsys, "fmt", "--write", str(f))[0] == 0
    assert f.read_text("utf-8") == TIDY
    assert stat.S_IMODE(f.stat().st_mode) == 0o644


def test_ledger_out_is_atomic(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`eval --ledger-out` replaces the old ledger whole, or (when the rename fails, or the
    facts are bad) leaves it as it was, with no temporary file behind."""
    facts = _facts_file(tmp_path)
    out = tmp_path / "ledger.json"
    out.write_text('{"ledger": []}\n', "utf-8")
    out.chmod(0o640)

    bad = tmp_path / "bad.yaml"
    bad.write_text("firms:\n  - id: f1\n    products:\n      - id: p1\n        x: 1\n", "utf-8")
    code, _, err = _run(capsys, "eval", str(POLICY), str(bad), "--ledger-out", str(out))
    assert (code, "error[E303]" in err) == (2, True)
    assert out.read_text("utf-8") == '{"ledger": []}\n'

    with monkeypatch.context() as m:

        def refuse(src: Any, dst: Any) -> None:
            raise OSError(13, "Permission denied")

        m.setattr(os, "replace", refuse)
        code, _, err = _run(capsys, "eval", str(POLICY), str(facts), "--ledger-out", str(out))
    assert code == 2
    assert f"cannot write {out}: Permission denied" in err  # the user's path, not the temp file
    assert ".tmp" not in err
    assert out.read_text("utf-8") == '{"ledger": []}\n'
    # Only the sidecar lock file (kept: removing it would race with another run) is new.
    assert _listing(tmp_path) == [".ledger.json.lock", "bad.yaml", "facts.yaml", "ledger.json"]

    code, _, _ = _run(capsys, "eval", str(POLICY), str(facts), "--ledger-out", str(out))
    assert code == 0
    assert json.loads(out.read_text("utf-8"))["ledger"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert _listing(tmp_path) == [".ledger.json.lock", "bad.yaml", "facts.yaml", "ledger.json"]


def test_new_ledger_file_gets_the_usual_mode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A ledger file that did not exist is created with the umask's mode, not 0600."""
    facts = _facts_file(tmp_path)
    out = tmp_path / "new.json"
    umask = os.umask(0o022)
    try:
        assert _run(capsys, "eval", str(POLICY), str(facts), "--ledger-out", str(out))[0] == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


# ---- no code injection ---------------------------------------------------------------------

_DYNAMIC = {"eval", "exec", "compile", "__import__", "execfile", "breakpoint"}

# The one place that runs source: the Python back end's generated code, written from its
# own words only and refused by check_source before exec if it held anything else
# (test_generated_source_holds_no_text_from_the_files).
_GENERATED = {
    ("backends/python/source_guard.py", "compile"),
    ("backends/python/source_guard.py", "exec"),
}


def test_source_never_calls_eval_exec_or_compile() -> None:
    """No module calls eval, exec, the builtin compile or __import__, nor imports pickle or
    marshal: no text from a .rule or facts file can become Python code.  (compile.py's
    own functions, such as ``compile_policy``, build closures; they never call ``compile``.
    source_guard.py compiles the source codegen.py, fused.py and the text generators write
    from their own words, checked before it runs: run_source.)"""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else None
                if (
                    isinstance(f, ast.Attribute)
                    and isinstance(f.value, ast.Name)
                    and (f.value.id == "builtins" or f.attr in ("import_module", "exec_module"))
                ):
                    name = f.attr
                where = path.relative_to(SRC).as_posix()
                if (where, name) in _GENERATED:
                    continue
                if name in _DYNAMIC or name == "import_module" or name == "exec_module":
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}()")
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                mods.append(getattr(node, "module", None) or "")
                if any(m.split(".")[0] in ("pickle", "marshal", "shelve", "dill") for m in mods):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: imports {mods}")
    assert found == []


HOSTILE = r"""entity firm
  list firms

entity os "__import__('os').system('touch pwned')"
  list oses of firm
  fact __class__: money "\"; import os; os.system('x') #"
  fact __import__: text "'''\\ \\\" \\n"
  fact system: bool "eval(\"1+1\")"
  fact __dict__: date

enum __builtins__ { __globals__ "{{7*7}}", os_system "${IFS}" }

document __main__ "exec('print(1)')"

clause 1 "__import__('os').system('x')"
  quote "给予 \"引号\" 与 \\ 反斜杠"

  award __init__ "eval('1')"
    quote "\"引号\""
    for each os
    eligible when system and __import__ != "__import__('os').system('x')"
    amount decided __class__
    cap 1 万元 per os

  entitlement exec "exec"
    for each os
    eligible when __dict__ < 2030-01-01
    consequence "os.system('rm -rf /')"
"""


def test_hostile_names_and_strings_are_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names like ``__class__``, ``os``, ``__import__`` and strings holding Python are kept
    as data through parse, check, compile, evaluate and print; eval, exec and os.system are
    never called."""
    calls: list[str] = []

    def trap(name: str) -> Any:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            raise AssertionError(f"{name} called")

        return refuse

    policy = compile_text(HOSTILE)
    monkeypatch.setattr(builtins, "eval", trap("eval"))
    monkeypatch.setattr(builtins, "exec", trap("exec"))
    monkeypatch.setattr(os, "system", trap("os.system"))
    facts = {
        "firms": [
            {
                "id": "__import__('os').system('x')",
                "oses": [
                    {
                        "id": "__class__",
                        "__class__": "5000 元",
                        "__import__": "'; __import__('os').system('x') #\\\"",
                        "system": True,
                        "__dict__": "2025-06-01",
                    }
                ],
            }
        ]
    }
    result = policy.evaluate(facts)
    by_kind = {d.provision.rsplit("/", 1)[-1]: d for d in result.decisions}
    assert by_kind["__init__"].amount == policyrules.Money.parse("5000 元")
    assert by_kind["__init__"].subject == "__import__('os').system('x')/__class__"
    assert by_kind["exec"].status == "eligible"
    text = result.explain(verbose=True)
    assert "__import__('os').system('x')" in text
    module = policyrules.parse(HOSTILE, "t.rule")
    printed = policyrules.print_module(module)
    assert policyrules.parse(printed, "t.rule") == module
    assert module.items[1].title == "__import__('os').system('touch pwned')"
    titles = {f.name: f.title for f in module.items[1].body if hasattr(f, "title")}
    assert titles["__import__"] == r"""'''\ \" \n"""
    assert titles["__class__"] == "\"; import os; os.system('x') #"
    assert not calls
    assert not Path("pwned").exists()


def test_hostile_facts_keys_are_refused_not_run() -> None:
    """Facts keys that look like Python attributes are unknown facts (E303), not lookups."""
    policy = compile_text(HOSTILE)
    for key in ("__dict__x", "__globals__", "__init__", "mro"):
        with pytest.raises(policyrules.FactsError) as caught:
            policy.evaluate({"firms": [{"id": "f", "oses": [{"id": "o", key: 1}]}]})
        assert caught.value.code == "E303"


# ---- tracebacks the fuzzers and probes found -----------------------------------------------

PERIOD = """entity product
  list products
  fact approved_on: date

document d "测试"

clause 1 "时限"
  quote "q"

  deadline x
    for each product
    due 99999999999 {unit} after approved_on
"""


@pytest.mark.parametrize("unit", ["日", "周", "月", "年", "工作日"])
def test_a_period_past_year_9999_makes_that_decision_unknown(unit: str) -> None:
    """A period that ends after 9999-12-31 makes its decision unknown with the reason (E401);
    it is not an OverflowError, and the other subjects' decisions stand."""
    policy = compile_text(PERIOD.format(unit=unit))
    result = policy.evaluate(
        {
            "products": [
                {"id": "p", "approved_on": "2025-03-01"},
                {"id": "q"},  # no date: unknown for want of the fact, as before
            ]
        }
    )
    by_subject = {d.subject: d for d in result.decisions}
    assert by_subject["p"].status == "unknown"
    assert by_subject["p"].missing_facts == ()
    assert len(by_subject["p"].reasons) == 1
    assert "E401" in by_subject["p"].reasons[0]
    assert "ends after 9999-12-31" in by_subject["p"].reasons[0]
    assert by_subject["q"].missing_facts == ("product.approved_on",)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("registration_cost: .inf", "E310"),
        ("registration_cost: .nan", "E310"),
        ("registration_cost: -.inf", "E310"),
    ],
)
def test_yaml_infinities_are_refused(tmp_path: Path, text: str, code: str) -> None:
    """YAML's .inf and .nan are not amounts: a located E310 (a plain number whose YAML
    readings differ), not decimal.InvalidOperation."""
    f = tmp_path / "f.yaml"
    f.write_text(f"firms:\n  - id: f1\n    products:\n      - id: p1\n        {text}\n", "utf-8")
    policy = policyrules.load(POLICY)
    with pytest.raises(policyrules.FactsError) as caught:
        policy.load_facts(f)
    assert caught.value.code == code
    assert caught.value.span is not None


def test_self_referencing_yaml_is_refused(tmp_path: Path) -> None:
    """``&a [*a]`` (a list that holds itself) is an error, not a RecursionError."""
    f = tmp_path / "f.yaml"
    f.write_text("&a [*a]\n", "utf-8")
    with pytest.raises(policyrules.FactsError):
        policyrules.load(POLICY).load_facts(f)


def test_generated_source_holds_no_text_from_the_files() -> None:
    """The generated code of a policy with hostile names and strings holds none of them:
    constants stand in a namespace under made-up names; the guard refuses any other word,
    any string and any number but 0 and 1."""
    from policyrules.backends.python.codegen import check_source

    policy = compile_text(HOSTILE)
    sources = [f.source for f in policy.compiled.fast.values()]
    # __init__ (an award) and exec (an entitlement) both have generated code.
    assert len(sources) == 2
    for source in sources:
        check_source(source)
        for hostile in ("__import__", "__class__", "system", "__dict__", "os", "exec"):
            assert hostile not in source.replace("_owner", "")
    for bad in ('def _f0(i, used, A, P):\n    return "x"\n', "import os\n", "_k1 + 2\n"):
        with pytest.raises(AssertionError, match="generated source holds"):
            check_source(bad)
