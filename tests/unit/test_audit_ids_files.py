"""A new user's audit (issue 9): ids that are no text, and `.rule` files named on the
command line that are not plain files of their directory."""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import pytest

import policyrules
from policyrules import FactsError, Money
from policyrules.api import Policy
from policyrules.cli import main
from policyrules.convert import ValueRefused
from policyrules.convert_ids import convert_id
from policyrules.instances import Facts, Instance
from policyrules.runtime.ledger import Grant
from strategies import compile_text
from support import PRODUCT_RULES

RULE = """document d "文"
  valid from 2000-01-01

entity firm "企业"
  list firms
  fact high_tech: bool "高新"

clause 1 "一"
  quote "奖励。"

  award a "奖"
    for each firm
    eligible when high_tech
    amount 10 万元
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    checked = policyrules.check(
        [policyrules.parse(RULE, "p.rule")], texts={"p.rule": RULE}, sources={}
    )
    return Policy(checked, policyrules.compile_policy(checked), Path("."))


def test_empty_id_is_a_located_facts_error(policy: Policy, tmp_path: Path) -> None:
    """`id: ""` is refused by the reader at its line (it used to reach `Grant` in `eval`
    and abort the whole evaluation with E327, no location, nothing printed)."""
    f = tmp_path / "f.yaml"
    f.write_text('firms:\n  - id: F1\n    high_tech: true\n  - id: ""\n    high_tech: true\n')
    with pytest.raises(FactsError) as info:
        policy.load_facts(f)
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert d.span is not None
    assert (d.span.line, d.span.col) == (4, 9)
    assert "firms[1].id" in d.message
    assert "non-empty" in d.message


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("P1", True),
        ("0701", True),  # text exactly as written
        # White space at either end: refused (a new user's trial: `P1 ` beside `P1` was a
        # second product, its one-time award paid again); within an id it is text.
        (" P1 ", False),
        ("P1 ", False),
        ("P1\u3000", False),
        ("\u00a0P1", False),
        ("P 1", True),
        ("企业一", True),
        (701, True),
        ("", False),
        (" ", False),
        ("\u3000", False),  # an ideographic space only
        ("\ufeff", False),
        ("\t", False),
        ("P1\n", False),  # a control character
        ("\x1b[31mP1", False),  # an escape sequence
        ("P\x00", False),
        ("P\x85", False),  # C1 control
    ],
)
def test_id_table(raw: object, ok: bool) -> None:
    """Which ids the reader takes; whatever it takes builds a `Grant` (E327 never fires from
    an id the reader accepted)."""
    if not ok:
        with pytest.raises(ValueRefused):
            convert_id(raw)
        return
    ident = convert_id(raw)
    assert Grant("d/1/a", (("firm", ident),), Money.of(1, "元"), 2026).subject == ident


def test_empty_id_refused_by_the_schema(policy: Policy) -> None:
    """The JSON Schema says the same as the reader: a string id has minLength 1 and text."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(policy.schema())
    good = {"firms": [{"id": "F1"}]}
    assert validator.is_valid(good)
    for bad in ["", "  ", "F\n1"]:
        assert not validator.is_valid({"firms": [{"id": bad}]}), repr(bad)


def _rule_dir(tmp_path: Path) -> Path:
    d = tmp_path / "fm"
    d.mkdir()
    (d / "doc1.rule").write_text(RULE)
    return d


def test_cli_symlink_to_environ_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`fmt --check fm/doc1.rule fm/env.rule` with env.rule -> /proc/self/environ printed
    the environment in an E101 error; now E111 before the file is read."""
    d = _rule_dir(tmp_path)
    os.environ["POLICYRULES_AUDIT_SECRET"] = "s3cr3t-value"
    (d / "env.rule").symlink_to("/proc/self/environ")
    for argv in (
        ["fmt", "--check", str(d / "doc1.rule"), str(d / "env.rule")],
        ["check", str(d / "env.rule")],
    ):
        assert main(argv) != 0
        out = capsys.readouterr()
        assert "E111" in out.err
        assert "s3cr3t-value" not in out.err + out.out
    del os.environ["POLICYRULES_AUDIT_SECRET"]


def test_fmt_through_symlink_out_of_directory_writes_nothing(tmp_path: Path) -> None:
    """`fmt fm/x.rule` where x.rule -> ../other/x.rule used to rewrite the file outside."""
    d = _rule_dir(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    outside = other / "x.rule"
    ugly = 'document   x "y"\n'
    outside.write_text(ugly)
    (d / "x.rule").symlink_to(outside)
    assert main(["fmt", str(d / "x.rule")]) != 0
    assert outside.read_text() == ugly


def test_symlink_inside_directory_still_read(tmp_path: Path) -> None:
    """A symlink to a file in the same directory is a plain policy file."""
    d = _rule_dir(tmp_path)
    (d / "alias.rule").symlink_to(d / "doc1.rule")
    assert main(["check", str(d / "alias.rule")]) == 0


def test_fifo_named_on_the_command_line_is_never_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO would block the read forever; it is refused as not a regular file (it used to
    be called "no such file or directory")."""
    d = _rule_dir(tmp_path)
    os.mkfifo(d / "pipe.rule")
    for cmd in ("fmt", "check"):
        assert main([cmd, str(d / "pipe.rule")]) != 0
        err = capsys.readouterr().err
        assert "E111" in err
        assert "not a regular file" in err
        assert "no such file" not in err


def test_facts_built_in_python_with_an_empty_id_are_refused_before_evaluation(
    policy: Policy,
) -> None:
    """Facts built by hand skip the reader: an empty id is still E303, naming the item,
    before anything is evaluated (not E327 from `Grant` halfway through)."""
    good = policy.read_facts({"firms": [{"id": "F1", "high_tech": True}]})
    (inst,) = good.instances["firm"]
    bad = attrs.evolve(good, instances={"firm": (inst, attrs.evolve(inst, id="", path="firms[1]"))})
    with pytest.raises(FactsError) as info:
        policy.evaluate(bad)
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert d.message.startswith("firms[1].id: an id is non-empty text")


def test_an_owner_the_facts_built_in_python_do_not_list_has_its_id_checked() -> None:
    """A product listed under a firm the facts do not list (built by hand): the firm's id,
    which the product's path and grant hold, is checked as a listed one is (E303, naming
    the firm's item)."""
    policy = compile_text(PRODUCT_RULES)
    firm = Instance("firm", "f\n1", {}, None, "firms[0]")
    product = Instance("product", "P1", {"reward": Money.of(10), "remark": "-"}, firm, "p")
    with pytest.raises(FactsError) as info:
        policy.evaluate(Facts({"firm": (), "product": (product,)}))
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert d.message.startswith("firms[0].id: an id is non-empty text")
