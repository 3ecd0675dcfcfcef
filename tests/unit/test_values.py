"""Values as declared: rates with %, bounded rates, one definition of a date, command-line
values (issue 9 §1 dates, §2 rates, §9 booleans)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

import policyrules
from policyrules import FactsError, RuleCheckError
from policyrules.api import Policy
from policyrules.cli import main
from policyrules.printer import print_module

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"

TEXT = """entity firm "企业"
  list firms
  fact share: rate "占比"
  fact growth: rate up to 300% "增长率"
  fact started_on: date "开始日期"
parameter support_rate: rate "支持比例"
parameter boost: rate up to 200% = 150% "上浮比例"
parameter pilot: bool "试点"
assumption strict: bool = true "从严"
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    checked = policyrules.check(
        [policyrules.parse(TEXT, "t.rule")], texts={"t.rule": TEXT}, sources={}
    )
    return Policy(checked, policyrules.compile_policy(checked), Path("."))


def _firm_error(policy: Policy, **facts: object) -> FactsError:
    with pytest.raises(FactsError) as info:
        policy.read_facts({"firms": [{"id": "f", **facts}]})
    return info.value


def _firm(policy: Policy, **facts: object) -> dict[str, object]:
    return dict(policy.read_facts({"firms": [{"id": "f", **facts}]}).instances["firm"][0].values)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("30", "write 30%"),
        (30, "write 30%"),
        (Decimal("0.3"), "write 0.3% (or 30% if 0.3 is a fraction of 1)"),
        ("0.3", "write 0.3% (or 30% if 0.3 is a fraction of 1)"),
        ("12.5", "write 12.5%"),
    ],
)
def test_rate_without_percent_is_refused(policy: Policy, value: object, hint: str) -> None:
    """A rate fact written without % is E311 with the % form as the hint (not 3000 %)."""
    err = _firm_error(policy, share=value)
    assert (err.code, err.hint) == ("E311", hint)


def test_rate_facts_from_files(policy: Policy, tmp_path: Path) -> None:
    """`share: "30"` in YAML and a bare 0.3 in JSON are refused; `share: 30%` is 0.30."""
    yml = tmp_path / "f.yaml"
    yml.write_text('firms:\n  - id: f\n    share: "30"\n', "utf-8")
    with pytest.raises(FactsError) as info:
        policy.load_facts(yml)
    assert (info.value.code, info.value.hint) == ("E311", "write 30%")
    jsn = tmp_path / "f.json"
    jsn.write_text('{"firms": [{"id": "f", "share": 0.3}]}', "utf-8")
    with pytest.raises(FactsError) as info:
        policy.load_facts(jsn)
    assert info.value.code == "E311"
    yml.write_text("firms:\n  - id: f\n    share: 30%\n", "utf-8")
    assert policy.load_facts(yml).instances["firm"][0].values["share"] == Decimal("0.30")


@pytest.mark.parametrize(
    ("fact", "value", "code"),
    [
        ("share", "100.01%", "E312"),
        ("share", "-5%", "E311"),
        ("growth", "300.5%", "E312"),
        ("growth", "-0.1%", "E311"),
    ],
)
def test_rate_bounds(policy: Policy, fact: str, value: str, code: str) -> None:
    """Above 100 % (or the declared `up to`) is E312; below 0 % is E311."""
    assert _firm_error(policy, **{fact: value}).code == code


@pytest.mark.parametrize(
    ("fact", "value", "rate"),
    [
        ("share", "100%", Decimal("1.00")),
        ("share", "0%", Decimal("0")),
        ("share", "12.5%", Decimal("0.125")),
        ("growth", "250%", Decimal("2.50")),
        ("growth", "300.00%", Decimal("3.0000")),
    ],
)
def test_rates_within_bounds(policy: Policy, fact: str, value: str, rate: Decimal) -> None:
    """Rates up to the bound read exactly: 250 % is 2.5."""
    assert _firm(policy, **{fact: value})[fact] == rate


def test_set_rate_without_percent_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """`--set overseas_support_rate=30` (which read as 3000 %) is E311, hint with the % form."""
    code = main(["eval", str(POLICY), str(FIRM_A), "--set", "overseas_support_rate=30"])
    err = capsys.readouterr().err
    assert (code, "error[E311]" in err) == (2, True)
    assert "--set overseas_support_rate=30%" in err


def test_python_api_rate_parameter_is_refused(policy: Policy) -> None:
    """The Python API is held to the same rule: parameters={"support_rate": Decimal("0.3")}."""
    with pytest.raises(FactsError) as info:
        policy.evaluate({"firms": []}, parameters={"support_rate": Decimal("0.3")})
    assert info.value.code == "E311"
    result = policy.evaluate({"firms": []}, parameters={"support_rate": "30%"})
    assert result is not None


def test_bool_parameter_and_assumption_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--set pilot=true --assume strict=false` are booleans (was E305 "not text")."""
    rule = tmp_path / "p.rule"
    rule.write_text(TEXT, "utf-8")
    facts = tmp_path / "f.yaml"
    facts.write_text("firms: []\n", "utf-8")
    argv = ["eval", str(rule), str(facts), "--set", "pilot=true", "--assume", "strict=false"]
    assert main(argv) == 0
    # A value that is not a boolean is still refused, by the declared type.
    assert main(["eval", str(rule), str(facts), "--set", "pilot=yes"]) == 2
    assert 'parameters.pilot: true or false is expected, not text "yes"' in capsys.readouterr().err


_SPELT = "write it as 2026-05-01 (dates are YYYY-MM-DD)"
_GENERAL = "write the day as YYYY-MM-DD, e.g. 2026-05-01"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("20260501", _SPELT),
        ("2026-W18-5", _GENERAL),
        ("2026W20", _GENERAL),
        ("2026-05-01T00:00", "a date and a time: write the day alone, 2026-05-01"),
        ("2026-5-1", _SPELT),
    ],
)
def test_dates_are_yyyy_mm_dd_everywhere(
    policy: Policy, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, hint: str
) -> None:
    """ISO forms Python accepts but the schema does not are refused in facts, as_of and
    --as-of alike (E313, the hint YYYY-MM-DD, with the day where the text spells one)."""
    err = _firm_error(policy, started_on=text)
    assert (err.code, err.hint) == ("E313", hint)
    with pytest.raises(FactsError) as info:
        policy.evaluate({"firms": []}, as_of=text)
    assert info.value.code == "E313"
    facts = tmp_path / "f.yaml"
    facts.write_text(f"as_of: {text}\nfirms: []\n", "utf-8")
    with pytest.raises(FactsError) as info:
        policy.load_facts(facts)
    assert info.value.code == "E313"
    assert main(["eval", str(POLICY), str(FIRM_A), "--as-of", text]) == 2
    assert "error[E313]" in capsys.readouterr().err


def test_good_dates(policy: Policy) -> None:
    """2024-02-29 is a day; a date object passes; 2025-02-29 is not a day (E313)."""
    assert _firm(policy, started_on="2024-02-29")["started_on"] == dt.date(2024, 2, 29)
    assert _firm(policy, started_on=dt.date(2026, 1, 2))["started_on"] == dt.date(2026, 1, 2)
    assert _firm_error(policy, started_on="2025-02-29").code == "E313"


RATE_CASES = """\
parameter a: rate up to 300% = 250% "x"
parameter b: rate = 150% "x"
parameter c: money up to 5% "x"
parameter d: rate up to 12.5% "x"
parameter e: rate = -5% "x"
"""


def test_rate_bound_checks() -> None:
    """E228: a default above its bound or negative; E227: `up to` on money, or a bound that
    is not whole percent."""
    with pytest.raises(RuleCheckError) as info:
        policyrules.check(
            [policyrules.parse(RATE_CASES, "r.rule")], texts={"r.rule": RATE_CASES}, sources={}
        )
    got = sorted((d.code, d.span.line if d.span else 0) for d in info.value.diagnostics)
    assert got == [("E227", 3), ("E227", 4), ("E228", 2), ("E228", 5)]


def test_rate_bound_round_trips_and_reaches_the_schema(policy: Policy) -> None:
    """`rate up to 300%` prints as written, and the schema's pattern stops at 300 %."""
    module = policyrules.parse(TEXT, "t.rule")
    assert "fact growth: rate up to 300%" in print_module(module)
    assert print_module(policyrules.parse(print_module(module), "t.rule")) == print_module(module)
    props = policy.schema()["properties"]["firms"]["items"]["properties"]
    assert "(at most 300%)" in props["growth"]["anyOf"][0]["description"]
    assert "(at most 100%)" in props["share"]["anyOf"][0]["description"]


def test_shipped_policy_schema_is_json(tmp_path: Path) -> None:
    """The schema of the shipped policy is JSON (bounds as integers, not floats)."""
    schema = policyrules.load(POLICY).schema()
    assert json.loads(json.dumps(schema)) == schema
