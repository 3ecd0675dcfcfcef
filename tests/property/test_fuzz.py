"""Fuzzing: generated and mutated input raises only the library's own errors, never a crash.

Three fuzzers:

* **grammar fuzzing** with ``hypothesis.extra.lark.from_lark`` over the shipped grammar: every
  generated text parses or raises :class:`RuleSyntaxError`; what parses checks or raises
  :class:`RuleCheckError`; what checks compiles, evaluates an empty facts file and prints;
* **mutation fuzzing** of the shipped ``.rule`` files: characters and tokens deleted,
  duplicated, swapped or replaced; only :class:`PolicyRulesError` subclasses escape;
* **the command line** on mutated files: exit code 0, 1 or 2 and never a traceback.

Each test counts the examples it runs in ``RUNS`` (printed with ``pytest -s``), so a CI log
shows how much fuzzing happened.
"""

from __future__ import annotations

import atexit
import contextlib
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

import policyrules
from policyrules import PolicyRulesError, RuleCheckError, RuleSyntaxError
from policyrules.api import Policy
from policyrules.cli import main
from policyrules.parse import grammar_text

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
RULE_FILES = sorted(POLICY.glob("*.rule"))
TEXTS = {p.name: p.read_text("utf-8") for p in RULE_FILES}

RUNS: Counter[str] = Counter()
"""Examples run per test (and, for the grammar fuzzer, how far each example got)."""


@atexit.register
def _report() -> None:  # pragma: no cover - output only
    if RUNS:
        print("\nfuzz examples run: " + ", ".join(f"{k}={v}" for k, v in sorted(RUNS.items())))


# ---- grammar fuzzing -----------------------------------------------------------------------

_GRAMMAR = lark.Lark(grammar_text(), parser="lalr")

# Keywords of the language: a generated NAME must not be one, or the text means something else.
_KEYWORDS = {
    t.pattern.value
    for t in _GRAMMAR.terminals
    if isinstance(t.pattern, lark.lexer.PatternStr) and t.pattern.value.isidentifier()
}
_NAMES = st.one_of(
    st.sampled_from(
        [
            "firm",
            "firms",
            "product",
            "products",
            "approved_on",
            "base",
            "ok",
            "Route",
            "money",
            "rate",
            "date",
            "bool",
            "text",
            "number",
            "min",
            "max",
            "known",
            "year",
            "floor",
            "ceil",
            "down",
            "half_up",
            "d",
            "__class__",
            "os",
            # the words the parser reads after a NAME slot (issue 11): `prevails over
            # earlier`, `over N years from first grant`, `remainder first|last`
            "earlier",
            "first",
            "grant",
            "last",
        ]
    ),
    st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True),
).filter(lambda n: n not in _KEYWORDS)

_EXPLICIT = {
    "WS": st.sampled_from([" ", "\n", "  ", "\n  ", "\t"]),
    "COMMENT": st.sampled_from(["# 注释\n", "#\n"]),
    "NAME": _NAMES,
    "STRING": st.text(alphabet='ab 中文\\"#%', max_size=8).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    ),
    "NUMBER": st.one_of(
        st.integers(0, 10**6).map(str),
        st.decimals(0, 10**6, places=3, allow_nan=False).map(lambda d: f"{d:f}"),
        st.sampled_from(["0", "1", "30", "99999999999999999999999999999999999999999999"]),
    ),
    "DATE": st.one_of(
        st.dates().map(lambda d: f"{d:%Y-%m-%d}" if d.year >= 1000 else "2025-01-01"),
        st.sampled_from(["2025-02-30", "2025-13-01", "0000-01-01", "9999-12-31"]),
    ),
    "CJK_NUMERAL": st.sampled_from(["一", "二", "十", "十一", "二十三"]),
}


def _texts() -> st.SearchStrategy[str]:
    return from_lark(_GRAMMAR, explicit=_EXPLICIT)


_SAMPLE = {
    "money": "1234.56",
    "rate": "30%",
    "number": 3,
    "date": "2025-03-01",
    "bool": True,
    "text": "t",
    "duration": 5,
}


def _sample_value(typ: Any, checked: Any) -> Any:
    if typ.kind == "enum":
        info = checked.enum(typ.name or "")
        return info.member_names[0] if info and info.member_names else None
    if typ.kind in ("set", "list"):
        return [] if typ.element is None else [_sample_value(typ.element, checked)]
    return _SAMPLE.get(typ.kind)


def _sample_facts(checked: Any) -> dict[str, Any]:
    """Two instances of every listed entity (one of a single one), each fact given a value
    of its type, so that evaluation computes rather than reports unknown facts."""

    def instances(ent: Any) -> Any:
        children = [c for c in checked.entities if c.parent == ent.name]
        made = []
        for i in range(1 if ent.single else 2):
            inst: dict[str, Any] = {} if ent.single else {"id": f"{ent.name}{i}"}
            for f in ent.facts:
                inst[f.name] = _sample_value(f.type, checked)
            for child in children:
                inst[child.key] = instances(child)
            made.append(inst)
        return made[0] if ent.single else made

    return {e.key: instances(e) for e in checked.entities if e.parent is None}


def _run_pipeline(text: str) -> str:
    """Parse, check, compile, evaluate and print ``text``; how far it got."""
    try:
        module = policyrules.parse(text, "fuzz.rule")
    except RuleSyntaxError as exc:
        str(exc)  # rendering must not fail either
        return "syntax_error"
    try:
        checked = policyrules.check([module], texts={"fuzz.rule": text}, sources={})
    except RuleCheckError as exc:
        str(exc)
        return "check_error"
    compiled = policyrules.compile_policy(checked)  # must not raise
    policy = Policy(checked, compiled, Path("."))
    for facts in ({}, _sample_facts(checked)):
        with contextlib.suppress(PolicyRulesError):
            policy.evaluate(facts, as_of="2026-06-30")
    # A valid tree prints to text that parses back to the same tree.
    printed = policyrules.print_module(module)
    assert policyrules.print_module(policyrules.parse(printed, "fuzz.rule")) == printed
    return "compiled"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_texts())
def test_generated_programs_raise_only_our_errors(text: str) -> None:
    """Text from the grammar parses (or is a RuleSyntaxError), checks (or is a RuleCheckError)
    and, once checked, compiles, evaluates and prints without raising."""
    RUNS["grammar"] += 1
    RUNS["grammar." + _run_pipeline(text)] += 1


# ---- mutation fuzzing ----------------------------------------------------------------------

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\S+')
_JUNK = st.sampled_from(
    [
        "(",
        ")",
        "{",
        "}",
        '"',
        "：",
        "（",
        "１２",
        "\ufeff",
        "\x00",
        "\r\n",
        "\t",
        "cap",
        "per",
        "year",
        "of",
        "amount",
        "for each",
        "award x",
        "clause 99",
        "2025-02-30",
        "0.001 元",
        "-",
        "×",
        "%",
        "not",
        "if",
        "#",
        "\\",
        "__import__('os').system('x')",
        "9" * 60,
    ]
)


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, str]:
    """A shipped file with a few random character or token edits."""
    name = draw(st.sampled_from(sorted(TEXTS)))
    text = TEXTS[name]
    for _ in range(draw(st.integers(1, 4))):
        by_token = draw(st.booleans())
        if by_token:
            spans = [m.span() for m in _TOKEN.finditer(text)]
        else:
            spans = [(i, i + 1) for i in range(len(text))]
        if not spans:
            break
        i = draw(st.integers(0, len(spans) - 1))
        start, end = spans[i]
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "rename"]))
        if op == "delete":
            text = text[:start] + text[end:]
        elif op == "duplicate":
            text = text[:end] + " " * by_token + text[start:end] + text[end:]
        elif op == "swap":
            j = draw(st.integers(0, len(spans) - 1))
            (a, b), (c, d) = sorted([spans[i], spans[j]])
            if b <= c:
                text = text[:a] + text[c:d] + text[b:c] + text[a:b] + text[d:]
        elif op == "rename":
            # A typo in a word: one letter changed, so names stop resolving.
            word = text[start:end]
            k = draw(st.integers(0, max(len(word) - 1, 0)))
            text = (
                text[:start]
                + word[:k]
                + draw(st.sampled_from("aeoxz_"))
                + word[k + 1 :]
                + text[end:]
            )
        else:
            junk = draw(_JUNK)
            text = text[:start] + (f" {junk} " if by_token else junk) + text[start:]
    return name, text


def _load_mutated(tmp: Path, name: str, text: str) -> None:
    for other in RULE_FILES:
        (tmp / other.name).write_text(TEXTS[other.name], "utf-8")
    (tmp / name).write_text(text, "utf-8", newline="")
    (tmp / "sources").mkdir(exist_ok=True)
    for src in (POLICY / "sources").iterdir():
        (tmp / "sources" / src.name).write_bytes(src.read_bytes())


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutants")


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_mutated())
def test_mutated_policy_raises_only_our_errors(scratch: Path, mutant: tuple[str, str]) -> None:
    """A shipped file with random edits, loaded with the others: parse, check and compile
    raise nothing but PolicyRulesError subclasses."""
    RUNS["mutation"] += 1
    name, text = mutant
    try:
        module = policyrules.parse(text, name)
        modules = [module] + [policyrules.parse(TEXTS[n], n) for n in TEXTS if n != name]
        texts = {**{n: TEXTS[n] for n in TEXTS if n != name}, name: text}
        sources = {
            f"sources/{p.name}": p.read_text("utf-8") for p in (POLICY / "sources").iterdir()
        }
        checked = policyrules.check(modules, texts=texts, sources=sources)
        policyrules.compile_policy(checked)
        RUNS["mutation.compiled"] += 1
    except PolicyRulesError as exc:
        RUNS[f"mutation.{type(exc).__name__}"] += 1
        rendered = str(exc)  # rendering an error must not fail either
        assert rendered


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_mutated())
def test_cli_never_prints_a_traceback(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    mutant: tuple[str, str],
) -> None:
    """``policyrules check`` and ``fmt --check`` on a mutated policy exit 0, 1 or 2, and what
    they print is an error message, not a Python traceback."""
    RUNS["cli"] += 1
    tmp = tmp_path_factory.mktemp("cli")
    name, text = mutant
    _load_mutated(tmp, name, text)
    for argv in (["check", str(tmp)], ["fmt", "--check", str(tmp / name)]):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), (argv, code, err)
        assert "Traceback" not in err + out
        if code == 2:
            assert "error" in err


def test_fuzz_counts_are_reported() -> None:
    """The counter exists for the report; this test only documents it (run with -s)."""
    assert isinstance(RUNS, Counter)
    print(f"fuzz examples so far: {dict(RUNS)}", file=sys.stderr)
