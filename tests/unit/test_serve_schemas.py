"""The service's OpenAPI document states every field of its answers, with its type.

A new user's trial: ``/openapi.json`` said ``Result.decisions`` was ``{"type": "object"}``, no
field named and no unit for ``amount``.  Here every field of real answers (every example,
the pattern policies' cases, with and without options; /v1/evaluate and /v1/explain; and
every GET's answer, each clause's among them) must be declared by the document, with its
type: the schemas are made strict (an object that does not say what else it holds holds
nothing else) and each answer validated against them.  And the other way: every field the
schemas declare is seen in some answer, so neither can drift.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema
import pytest
import yaml
from starlette.testclient import TestClient

import policyrules
from policyrules.decisions import CapEvent, CapNote, Decision, Payment, Step
from policyrules.decisions_exclusive import Exclusion
from policyrules.explain import decision_json
from policyrules.runtime.holds import Hold
from policyrules.runtime.money import Money
from policyrules.serve import create_app

ROOT = Path(__file__).resolve().parents[2]
JSON = {"content-type": "application/json"}
YAML = {"content-type": "application/yaml"}
_QUERIES = ("", "?all_earlier=1")
_BEIJING_QUERIES = (*_QUERIES, "?set=overseas_support_rate%3D50%25&as_of=2027-06-30")


def _strict(schema: Any) -> Any:
    """``schema`` with every object that does not say what else it may hold holding nothing
    else (``additionalProperties: false``)."""
    if isinstance(schema, list):
        return [_strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _strict(v) for k, v in schema.items()}
    if out.get("type") == "object" and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def _validator(document: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    schemas = _strict(copy.deepcopy(document["components"]["schemas"]))
    root = {"$ref": f"#/components/schemas/{name}", "components": {"schemas": schemas}}
    return jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())


def _gets(c: TestClient, document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str, Any]]:
    """(the OpenAPI document, the schema it names for the answer, the answer) of each GET
    but the document's own; ``/v1/clauses/{clause}`` of every clause."""
    clauses = [cl["id"] for cl in c.get("/v1/clauses").json()["clauses"]]
    for path, item in document["paths"].items():
        if "get" not in item or path.endswith("openapi.json"):
            continue
        content = item["get"]["responses"].get("200", {}).get("content", {})
        ref = content.get("application/json", {}).get("schema", {}).get("$ref")
        if ref is None:  # the calculator page's routes: HTML and files (test_serve.py)
            assert path == "/" or path.startswith("/calculator/"), path
            continue
        name = ref.removeprefix("#/components/schemas/")
        urls = [path.replace("{clause}", quote(cl)) for cl in clauses] if "{" in path else [path]
        for url in urls:
            r = c.get(url)
            assert r.status_code == 200, r.text
            yield document, name, r.json()


def _answers(
    policy_dir: Path, bodies: list[tuple[bytes, dict[str, str]]], queries: tuple[str, ...]
) -> Iterator[tuple[dict[str, Any], str, Any]]:
    """(the OpenAPI document, the name of the answer's schema, the answer) for each body,
    evaluated with each query, and explained; then each GET's."""
    policy = policyrules.load(policy_dir)
    with TestClient(create_app(policy)) as c:
        document = c.get("/openapi.json").json()
        yield from _gets(c, document)
        clause = c.get("/v1/clauses").json()["clauses"][0]["id"]
        for body, headers in bodies:
            for query in queries:
                r = c.post("/v1/evaluate" + query, content=body, headers=headers)
                assert r.status_code == 200, r.text
                yield document, "Result", r.json()
            r = c.post(f"/v1/explain?clause={clause}", content=body, headers=headers)
            assert r.status_code == 200, r.text
            yield document, "Explained", r.json()


def _corpus() -> list[tuple[dict[str, Any], str, Any]]:
    examples = [(p.read_bytes(), YAML) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    cases = []
    for path in sorted((ROOT / "policies" / "patterns" / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text("utf-8"))["cases"]:
            cases.append((json.dumps(case["facts"], default=str).encode(), JSON))
    return [
        *_answers(ROOT / "policies" / "beijing_2025", examples, _BEIJING_QUERIES),
        *_answers(ROOT / "policies" / "patterns", cases, _QUERIES),
    ]


@pytest.fixture(scope="module")
def corpus() -> list[tuple[dict[str, Any], str, Any]]:
    return _corpus()


def _every_field() -> dict[str, Any]:
    """A decision with every optional field: a range paid over time, a noted cap, an
    exclusive group, holds, encouraged (the answers above lack some of them together)."""
    hold = Hold("f1/P0", "doc/3/award", "eligibility", Money.of("50", "万元"))
    cap = CapEvent(
        cap="cap 200 万元 per product",
        scope="product",
        limit=Money.of("200", "万元"),
        used_before=Money.zero(),
        requested=Money.of("300", "万元"),
        granted=Money.of("200", "万元"),
        binding=True,
        detail=CapNote("raised", conditions=("major",), high=1000_0000_00),
        before=Money.of("300", "万元"),
        after=Money.of("200", "万元"),
    )
    payment = Payment(
        year=2026, index=1, status="due", amount=Money.of("100", "万元"), held_by=(hold,)
    )
    exclusion = Exclusion("paid", "keep highest", "doc/4", "doc/5/award", Money.of("1", "万元"))
    d = Decision(
        provision="doc/3/award",
        kind="award",
        document="某文件",
        document_number="京X发〔2025〕1号",
        clause="doc/3",
        title="奖励",
        subject="f1/P1",
        status="eligible",
        amount=Money.of("200", "万元"),
        amount_kind="range",
        amount_min=Money.of("100", "万元"),
        caps=(cap,),
        due=dt.date(2026, 3, 2),
        quote="给予不超过200万元奖励",
        trace=(Step("condition", "approved", True),),
        schedule=(payment,),
        encouraged=True,
        held_by=(hold,),
        exclusivity=exclusion,
    )
    return {**decision_json(d), "text": "…", "text_zh": "…"}


def test_every_field_of_real_answers_is_declared_with_its_type(
    corpus: list[tuple[dict[str, Any], str, Any]],
) -> None:
    """Each answer validates against its strict schema; several statuses are among them."""
    statuses = set()
    for document, name, answer in corpus:
        errors = list(_validator(document, name).iter_errors(answer))
        assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
        statuses |= {d["status"] for d in answer.get("decisions", ())}
    assert {"eligible", "not_eligible", "unknown", "met", "not_met", "pending"} <= statuses
    document = corpus[0][0]
    _validator(document, "Decision").validate(_every_field())


def _declared(schemas: dict[str, Any], schema: dict[str, Any], at: str) -> Iterator[str]:
    """The path of every field ``schema`` declares (``Result.decisions[].caps[].held[].why``)."""
    ref = schema.get("$ref")
    if ref:
        schema = schemas[ref.rsplit("/", 1)[1]]
    for alternative in schema.get("anyOf", []):
        yield from _declared(schemas, alternative, at)
    if "items" in schema:
        yield from _declared(schemas, schema["items"], f"{at}[]")
    for key, sub in schema.get("properties", {}).items():
        yield f"{at}.{key}"
        yield from _declared(schemas, sub, f"{at}.{key}")


def _seen(data: Any, at: str) -> Iterator[str]:
    """The path of every field of ``data``, as :func:`_declared` writes them."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield f"{at}.{key}"
            yield from _seen(value, f"{at}.{key}")
    elif isinstance(data, list):
        for value in data:
            yield from _seen(value, f"{at}[]")


def test_every_declared_field_is_seen_in_an_answer(
    corpus: list[tuple[dict[str, Any], str, Any]],
) -> None:
    """No field declared that no answer has (a schema ahead of the code, or left behind);
    the decisions of either answer read as one (the one schema, Decision), and their
    provenance as /v1/version's (Provenance: its options only beside decisions)."""
    schemas = corpus[0][0]["components"]["schemas"]
    seen = set(_seen(_every_field(), "Decision"))
    declared: set[str] = set()
    for _, name, answer in corpus:
        declared |= set(_declared(schemas, {"$ref": f"#/components/schemas/{name}"}, name))
        seen |= set(_seen(answer, name))
    one = {
        f"{name}.{key}": component
        for name in ("Result", "Explained")
        for key, component in (("decisions[]", "Decision"), ("provenance", "Provenance"))
    }

    def component(path: str) -> str:
        for head, name in one.items():
            if path == head or path.startswith(head + "."):
                return name + path.removeprefix(head)
        return path

    assert not sorted({component(p) for p in declared} - {component(p) for p in seen})


def test_money_says_its_unit(corpus: list[tuple[dict[str, Any], str, Any]]) -> None:
    """Each amount is the Money schema: 元 as exact text, stated in its description."""
    schemas = corpus[0][0]["components"]["schemas"]
    assert schemas["Money"]["pattern"] == "^-?[0-9]+\\.[0-9]{2}$"
    assert "元" in schemas["Money"]["description"]
    decision = schemas["Decision"]["properties"]
    for key in ("amount", "granted_before"):
        assert {"$ref": "#/components/schemas/Money"} in decision[key]["anyOf"]
        assert "元" in decision[key]["description"]
    assert schemas["Grant"]["properties"]["amount"]["$ref"] == "#/components/schemas/Money"
    assert schemas["Result"]["properties"]["decisions"]["items"] == {
        "$ref": "#/components/schemas/Decision"
    }
