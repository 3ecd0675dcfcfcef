"""Reading facts and ledger files: YAML 1.1 traps, ids as written, merge keys, bounds.

The reading rule is stated in :mod:`policyrules.reading`; each test below is one example of
issue 9 §1 and §10 with its right value.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

import policyrules
from policyrules import FactsError
from policyrules.cli import main
from policyrules.reading import Limits, Numeral, load_data, read_scalar

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
REWARD = "jjxf_2025_50/3/launch_reward"


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, "utf-8")
    return f


def _product_ids(policy: policyrules.Policy, f: Path) -> list[str]:
    return [i.id for i in policy.load_facts(f).instances["product"]]


@pytest.mark.parametrize(
    "written",
    # YAML 1.1 reads these as 449 (octal), 750 (base 60), 1000.0, 7, 16, 1000 and true.
    ["0701", "12:30", "1e3", "007", "0x10", "1_000", "yes", "1.50", "-0", ".inf"],
)
def test_ids_are_text_exactly_as_written(
    beijing: policyrules.Policy, tmp_path: Path, written: str
) -> None:
    """A plain YAML id is the text written, whatever it looks like."""
    f = _write(tmp_path, "f.yaml", f"firms:\n  - id: f\n    products:\n      - id: {written}\n")
    assert _product_ids(beijing, f) == [written]


def test_json_number_ids_keep_their_spelling(beijing: policyrules.Policy, tmp_path: Path) -> None:
    """JSON ids: "0701" is "0701"; the number 701 is "701", 1.50 is "1.50" (not 1.5)."""
    f = _write(
        tmp_path,
        "f.json",
        '{"firms": [{"id": "f", "products": [{"id": "0701"}, {"id": 701}, {"id": 1.50}]}]}',
    )
    assert _product_ids(beijing, f) == ["0701", "701", "1.50"]


FACTS_0701 = {
    "firms": [
        {
            "id": "firm-a",
            "products": [
                {
                    "id": "0701",
                    "approved_on": "2026-03-01",
                    "launch_routes": ["national_priority_review"],
                    "launch_reward_decided": "100万元",
                }
            ],
        }
    ]
}
LEDGER_0701 = (
    "ledger:\n"
    f"  - {{provision: {REWARD}, firm: firm-a, product: 0701, amount: 100万元, year: 2026}}\n"
)


def test_one_time_reward_not_paid_twice_across_json_and_yaml(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """Facts in JSON ("0701"), the earlier grant in a YAML ledger (`product: 0701`, which YAML
    1.1 reads as 449): the same product, so the 一次性 launch reward is not paid again."""
    facts = _write(tmp_path, "f.json", json.dumps(FACTS_0701))
    ledger = _write(tmp_path, "ledger.yaml", LEDGER_0701)
    data = load_data(ledger)
    result = beijing.evaluate(beijing.load_facts(facts), ledger=data["ledger"])
    decision = next(d for d in result.decisions if d.provision == REWARD)
    assert (decision.subject, decision.status, decision.amount) == (
        "firm-a/0701",
        "not_eligible",
        None,
    )


def test_one_time_reward_not_paid_twice_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same through `policyrules eval --ledger`: no amount is granted for 0701."""
    facts = _write(tmp_path, "f.json", json.dumps(FACTS_0701))
    ledger = _write(tmp_path, "ledger.yaml", LEDGER_0701)
    code = main(["eval", str(POLICY), str(facts), "--ledger", str(ledger), "--json"])
    out = json.loads(capsys.readouterr().out)
    decision = next(d for d in out["decisions"] if d["provision"] == REWARD)
    assert (code, decision["status"]) == (0, "not_eligible")


@pytest.mark.parametrize(
    "written",
    # YAML 1.1 reads 010 as 8, 0x10 as 16, 0o17 as text, 1_000 as 1000, 12:30 as 750.
    ["010", "0x10", "0o17", "1_000", "12:30", "1e3", "1.0e+3", ".inf", "-.inf", ".nan", "+5"],
)
def test_ambiguous_plain_money_is_refused(
    beijing: policyrules.Policy, tmp_path: Path, written: str
) -> None:
    """A plain money value whose YAML readings differ is E310 at its place, hint to quote."""
    f = _write(
        tmp_path,
        "f.yaml",
        f"firms:\n  - id: f\n    products:\n      - id: p\n        registration_cost: {written}\n",
    )
    with pytest.raises(FactsError) as info:
        beijing.load_facts(f)
    err = info.value
    assert (err.code, err.span.line if err.span else 0) == ("E310", 5)
    assert err.hint is not None
    assert f'quote it ("{written}")' in err.hint


@pytest.mark.parametrize(("written", "fen"), [("10", 1000), ("0", 0), ("100.0", 10000)])
def test_plain_whole_yuan_is_read(
    beijing: policyrules.Policy, tmp_path: Path, written: str, fen: int
) -> None:
    """Plain decimals that every reading agrees on are amounts in 元 (10 元 = 1000 fen)."""
    f = _write(
        tmp_path,
        "f.yaml",
        f"firms:\n  - id: f\n    products:\n      - id: p\n        registration_cost: {written}\n",
    )
    cost = beijing.load_facts(f).instances["product"][0].values["registration_cost"]
    assert cost == policyrules.Money(fen)


def test_ambiguous_ledger_year_and_amount_are_refused(tmp_path: Path) -> None:
    """The ledger is read by the same rule: `year: 0x7EA` stays text (not 2026)."""
    data = load_data(
        _write(tmp_path, "l.yaml", "ledger:\n  - {year: 0x7EA, amount: 010, product: 0701}\n")
    )
    grant = data["ledger"][0]
    assert (grant["year"], grant["amount"], grant["product"]) == ("0x7EA", "010", "0701")
    assert all(isinstance(grant[k], Numeral) for k in ("year", "amount", "product"))


def test_yes_no_on_off_are_text(tmp_path: Path) -> None:
    """YAML 1.2 core: yes/no/on/off are text; true/false are booleans; ~ is nothing."""
    data = load_data(_write(tmp_path, "d.yaml", "[yes, no, on, off, true, False, ~, null]\n"))
    assert data == ["yes", "no", "on", "off", True, False, None, None]


def test_explicit_numeric_tags_are_refused(tmp_path: Path) -> None:
    """`!!int 0701` would be 449: the tag is refused, with its line."""
    with pytest.raises(FactsError) as info:
        load_data(_write(tmp_path, "d.yaml", "a: 1\nb: !!int 0701\n"))
    assert (info.value.code, info.value.span.line if info.value.span else 0) == ("E302", 2)


MERGE = """\
firms:
  - id: f
    products:
      - &base {id: P1, approved_on: 2026-03-01, registration_cost: "150万元"}
      - {<<: *base, id: P2}
      - <<: *base
        id: P3
        registration_cost: "90万元"
"""


def test_merge_keys_read_as_safe_load(beijing: policyrules.Policy, tmp_path: Path) -> None:
    """`{<<: *base, id: P2}` takes base's facts; a key written next to the merge wins."""
    products = beijing.load_facts(_write(tmp_path, "f.yaml", MERGE)).instances["product"]
    got = [(p.id, str(p.values["approved_on"]), p.values["registration_cost"]) for p in products]
    assert got == [
        ("P1", "2026-03-01", policyrules.Money.of(150, "万元")),
        ("P2", "2026-03-01", policyrules.Money.of(150, "万元")),
        ("P3", "2026-03-01", policyrules.Money.of(90, "万元")),
    ]


def test_duplicate_key_next_to_a_merge_is_still_refused(tmp_path: Path) -> None:
    """Two explicit `id:` keys are a duplicate even when a merge is present."""
    with pytest.raises(FactsError) as info:
        load_data(_write(tmp_path, "d.yaml", "a: &a {x: 1}\nb: {<<: *a, id: P1, id: P2}\n"))
    assert (info.value.code, "the key 'id' appears twice" in str(info.value)) == ("E302", True)


def _laughs(levels: int, key: str) -> str:
    lines = ['l0: &l0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\n{key}: *l{levels}\n"


@pytest.mark.parametrize("levels", [7, 8])
def test_billion_laughs_facts_fail_at_once(
    beijing: policyrules.Policy, tmp_path: Path, levels: int
) -> None:
    """9^7 (4.8 million) and 9^8 values from a few hundred bytes: E309, a one-line message."""
    f = _write(tmp_path, "f.yaml", _laughs(levels, "firms"))
    assert f.stat().st_size < 500
    with pytest.raises(FactsError) as info:
        beijing.load_facts(f)
    err = info.value
    assert err.code == "E309"
    assert (
        str(err)
        .splitlines()[0]
        .endswith("error[E309]: aliases expand the data to more than 1,000,000 values")
    )
    assert len(str(err)) < 1000


def test_billion_laughs_ledger_fails_at_once(tmp_path: Path) -> None:
    """A ledger whose aliases nest eight levels is refused the same way."""
    with pytest.raises(FactsError) as info:
        load_data(_write(tmp_path, "ledger.yaml", _laughs(8, "ledger")))
    assert info.value.code == "E309"


def test_moderate_aliases_are_fine(tmp_path: Path) -> None:
    """Aliases that expand to 9^3 = 729 values are read as safe_load reads them."""
    data = load_data(_write(tmp_path, "d.yaml", _laughs(3, "x")))
    assert sum(len(b) for a in data["x"] for b in a) == 729


def _nested_json(depth: int) -> str:
    return '{"firms": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("name", ["f.json", "ledger.json"])
def test_json_nested_500_levels_is_a_located_error(tmp_path: Path, name: str) -> None:
    """Valid JSON 500 levels deep (facts or ledger): E308 at line 1, no RecursionError."""
    with pytest.raises(FactsError) as info:
        load_data(_write(tmp_path, name, _nested_json(500)))
    err = info.value
    assert (err.code, err.span is not None and err.span.line) == ("E308", 1)
    assert "nests more than 100 levels deep" in str(err)


def test_json_nested_100_000_levels_is_refused(tmp_path: Path) -> None:
    """Deeper than Python's json can go: still E308, located where depth 101 begins."""
    with pytest.raises(FactsError) as info:
        load_data(_write(tmp_path, "f.json", _nested_json(100_000)))
    err = info.value
    # `{` is level 1, so level 101 is the 100th `[`; the first `[` is at column 11: 11 + 99.
    assert (err.code, err.span.col if err.span else 0) == ("E308", 110)


@pytest.mark.parametrize(
    "text",
    [
        "".join(" " * i + "a:\n" for i in range(5000)) + " " * 5000 + "b\n",
        "- " * 5000 + "x\n",
        "[" * 5000 + "]" * 5000 + "\n",
    ],
    ids=["mappings", "block lists", "flow lists"],
)
def test_yaml_nested_5000_levels_is_refused(tmp_path: Path, text: str) -> None:
    """YAML 5,000 levels deep: E308, never a RecursionError."""
    with pytest.raises(FactsError) as info:
        load_data(_write(tmp_path, "f.yaml", text))
    assert info.value.code == "E308"


def test_depth_limit_is_overridable(tmp_path: Path) -> None:
    """150 levels: refused by default, read with Limits(max_depth=200)."""
    f = _write(tmp_path, "f.json", _nested_json(149))
    with pytest.raises(FactsError):
        load_data(f)
    data = load_data(f, Limits(max_depth=200))
    level, value = 0, data["firms"]
    while value:
        level, value = level + 1, value[0]
    assert level == 148  # 149 brackets: 148 nested inside the outermost list


def _big_json(tmp_path: Path, megabytes: int) -> Path:
    one = '{"id": "f", "products": [{"id": "P1", "registration_cost": "100"}]}, '
    f = tmp_path / "big.json"
    with f.open("w", encoding="utf-8") as out:
        out.write('{"firms": [')
        block = one * 1000
        for _ in range(megabytes * 2**20 // len(block) + 1):
            out.write(block)
        out.write('{"id": "g"}]}')
    return f


@pytest.mark.parametrize("megabytes", [5, 50])
def test_large_file_is_refused_by_the_size_bound(tmp_path: Path, megabytes: int) -> None:
    """A 5 MB and a 50 MB facts file against a 1 MiB bound: E307 naming the bound, read no
    further than the bound (the default is 64 MiB)."""
    f = _big_json(tmp_path, megabytes)
    assert f.stat().st_size > megabytes * 10**6
    with pytest.raises(FactsError) as info:
        load_data(f, Limits(max_bytes=2**20))
    assert info.value.code == "E307"
    assert "larger than the limit of 1 MiB" in str(info.value)


def test_size_and_depth_bounds_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--max-input-mb and --max-depth (and POLICYRULES_MAX_DEPTH) set the bounds: exit 2."""
    big = _big_json(tmp_path, 2)
    assert main(["eval", str(POLICY), str(big), "--max-input-mb", "1"]) == 2
    assert "error[E307]" in capsys.readouterr().err
    deep = _write(tmp_path, "d.json", '{"firms": [{"id": "f", "name": [[[[1]]]]}]}')
    assert main(["eval", str(POLICY), str(deep), "--max-depth", "4"]) == 2
    # levels: { [ { [ then the fifth, `[` at column 33 (the second of `[[[[`).
    assert "d.json:1:33: error[E308]" in capsys.readouterr().err
    monkeypatch.setenv("POLICYRULES_MAX_DEPTH", "4")
    assert main(["eval", str(POLICY), str(deep)]) == 2
    assert "error[E308]" in capsys.readouterr().err


def test_json_nan_is_refused(tmp_path: Path) -> None:
    """Python's json accepts NaN and Infinity; JSON does not, nor do we."""
    with pytest.raises(FactsError) as info:
        load_data(_write(tmp_path, "f.json", '{"a": NaN}'))
    assert info.value.code == "E302"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("true", True),
        ("False", False),
        ("30", "30"),
        ("30%", "30%"),
        ("2026-05-01", "2026-05-01"),
        ('"true"', "true"),
        ("yes", "yes"),
        ("200 万元", "200 万元"),
    ],
)
def test_command_line_values_are_yaml_scalars(typed: str, value: object) -> None:
    """--set/--assume/--as-of values are read as plain YAML 1.2 scalars."""
    got = read_scalar(typed)
    assert (got, type(got) is bool) == (value, isinstance(value, bool))


def test_lark_cache_in_a_place_that_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parser cache is skipped when its folder cannot be made (here XDG_CACHE_HOME is a
    file), and a corrupt cache file is ignored: parsing works either way."""
    parse_module = importlib.import_module("policyrules.parse")

    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert parse_module._cache_file() is False
    parse_module._parser.cache_clear()
    try:
        assert parse_module.parse('parameter r: rate up to 300% "x"').items[0].name == "r"
        folder = tmp_path / "xdg"
        monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
        cache = parse_module._cache_file()
        assert isinstance(cache, str)
        Path(cache).write_bytes(b"garbage, not a pickle")
        parse_module._parser.cache_clear()
        assert parse_module.parse('parameter q: bool "x"').items[0].name == "q"
    finally:
        parse_module._parser.cache_clear()


@pytest.mark.parametrize("raw", ["abc", "0", "-3"])
def test_bad_bound_in_the_environment_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    """POLICYRULES_MAX_INPUT_MB must be a whole number above 0: E307, not a ValueError."""
    monkeypatch.setenv("POLICYRULES_MAX_INPUT_MB", raw)
    with pytest.raises(FactsError) as info:
        load_data(_write(tmp_path, "d.yaml", "a: 1\n"))
    assert info.value.code == "E307"


def test_bound_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """POLICYRULES_MAX_INPUT_MB=1 refuses a 2 MiB file; unset, the same file is read."""
    f = _write(tmp_path, "d.json", '{"a": "' + "x" * (2 * 2**20) + '"}')
    monkeypatch.setenv("POLICYRULES_MAX_INPUT_MB", "1")
    with pytest.raises(FactsError) as info:
        load_data(f)
    assert info.value.code == "E307"
    monkeypatch.delenv("POLICYRULES_MAX_INPUT_MB")
    assert len(load_data(f)["a"]) == 2 * 2**20
