"""The OpenAPI 3.1 document of ``policyrules serve``, with the policy's own facts schema.

The request body of ``/v1/evaluate`` and ``/v1/explain`` is a facts document, whose shape
depends on the policy: its JSON Schema (``policyrules schema``, draft 2020-12, the dialect
of OpenAPI 3.1) is embedded whole as ``components/schemas/Facts``.  Every answer but this
document's own is described with every field (:mod:`policyrules.serve_schemas`: a decision,
its caps, grants, money as 元 text; the clauses, the coverage, the facts schema).  The
calculator page's routes (:mod:`policyrules.serve_page`) are listed with their HTML, script,
style sheet and labels.
"""

from __future__ import annotations

from typing import Any

from .api import Policy
from .serve_page import ASSETS, LABELS
from .serve_schemas import ANSWERS, COMPONENTS

__all__ = ["openapi"]

_ERROR = {
    "type": "object",
    "required": ["errors", "text"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "pattern": "^E[0-9]{3}$"},
                    "message": {"type": "string"},
                    "hint": {"type": ["string", "null"]},
                    "path": {"type": ["string", "null"]},
                    "line": {"type": ["integer", "null"]},
                    "col": {"type": ["integer", "null"]},
                    "end_line": {"type": ["integer", "null"]},
                    "end_col": {"type": ["integer", "null"]},
                },
            },
        },
        "text": {"type": "string", "description": "the errors as the command line prints them"},
    },
}


def _query(name: str, description: str, *, repeat: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if repeat:
        schema = {"type": "array", "items": schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **({"style": "form", "explode": True} if repeat else {}),
    }


_OPTIONS = [
    _query("as_of", "the day the result speaks for (YYYY-MM-DD), as --as-of"),
    _query("set", "NAME=VALUE: give an open parameter a value, as --set", repeat=True),
    _query("assume", "NAME=VALUE: override a named assumption, as --assume", repeat=True),
    _query("all_earlier", "1: list every earlier entry on a cap, as --all-earlier"),
]


# How a clause is named (policyrules.labels.find_clauses, as `policyrules explain` takes it).
_CLAUSE = (
    "a clause as `policyrules explain` takes it: its id (jjxf_2025_50/3, jybf_2025_5/(十九)), "
    "its label in any printed form (3, 第3条, (十九), （十九）, 十九), after a document's number "
    "or name if wanted (京经信发〔2025〕50号 第3条, 京医保发〔2025〕5号（十九）). None: 404 E714, "
    "its hint naming the closest clauses (by label, id, or a title holding the words: 境外上市 "
    "suggests 第13条); a label two documents' names read differently: 400 E735"
)


def _errors(*statuses: int) -> dict[str, Any]:
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {str(s): {"description": "the diagnostics", **ref} for s in statuses}


def _json_answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _answer(path: str) -> dict[str, Any]:
    """The schema of ``path``'s answer: its component (``ANSWERS``)."""
    return {"$ref": f"#/components/schemas/{ANSWERS[path]}"}


def _get(summary: str, path: str | None) -> dict[str, Any]:
    """A GET of ``path``, which answers its component; ``None``: this document."""
    schema = _answer(path) if path else {"type": "object"}
    answers = {"200": _json_answer(summary, schema), **_errors(405, 500)}
    return {"get": {"summary": summary, "responses": answers}}


def _pages() -> dict[str, Any]:
    """The calculator page's routes: ``/`` redirects to the page, ``/calculator/`` is its
    HTML, ``/calculator/{asset}`` its files and the labels (JSON), each by its media type."""
    text = {"schema": {"type": "string"}}
    media = {t.split(";")[0]: text for t in ASSETS.values()}
    asset = {
        "name": "asset",
        "in": "path",
        "required": True,
        "description": f"one of the page's files, or {LABELS}: the titles the facts schema "
        "does not carry; another name is 404 E717",
        "schema": {"type": "string", "enum": [*ASSETS, LABELS]},
    }
    page = {"text/html": text}
    return {
        "/": {
            "get": {
                "summary": "Redirects to the calculator page, /calculator/",
                "responses": {
                    "307": {
                        "description": "to the calculator page",
                        "headers": {"Location": {"schema": {"const": "/calculator/"}}},
                    },
                    **_errors(405, 500),
                },
            }
        },
        "/calculator/": {
            "get": {
                "summary": "The policy calculator page (政策计算器), in Chinese",
                "responses": {
                    "200": {"description": "the page (HTML)", "content": page},
                    **_errors(405, 500),
                },
            }
        },
        "/calculator/{asset}": {
            "get": {
                "summary": "The calculator page's script, style sheet, HTML and labels",
                "parameters": [asset],
                "responses": {
                    "200": {
                        "description": "the file, by its media type; the labels as JSON",
                        "content": {**media, "application/json": {"schema": {"type": "object"}}},
                    },
                    **_errors(404, 405, 500),
                },
            }
        },
    }


def openapi(policy: Policy, about: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document of the service for ``policy``; ``about`` is its provenance
    (without options), whose version and digest go in ``info``."""
    body = {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Facts"}},
            "application/yaml": {"schema": {"$ref": "#/components/schemas/Facts"}},
        },
    }
    # 405 (E718) for another method, 500 (E719) for a fault of the service's own
    refusals = _errors(400, 403, 404, 405, 408, 409, 413, 415, 422, 500, 503, 504)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "policyrules",
            "version": about["version"],
            "description": "Decisions on the facts of a firm by an encoded policy "
            f"(policy digest {about['policy']['digest']}).",
        },
        "paths": {
            "/v1/evaluate": {
                "post": {
                    "summary": "Evaluate a facts document: what `policyrules eval --json` prints",
                    "parameters": [
                        *_OPTIONS,
                        _query("commit", "1: record the grants in the ledger store"),
                    ],
                    "requestBody": body,
                    "responses": {
                        "200": _json_answer("the result", _answer("/v1/evaluate")),
                        **refusals,
                    },
                }
            },
            "/v1/explain": {
                "post": {
                    "summary": "One clause's decisions for a facts document, explained",
                    "parameters": [
                        _query("clause", _CLAUSE),
                        *_OPTIONS,
                    ],
                    "requestBody": body,
                    "responses": {
                        "200": _json_answer("the decisions", _answer("/v1/explain")),
                        **refusals,
                    },
                }
            },
            "/v1/clauses": _get("Every clause", "/v1/clauses"),
            "/v1/clauses/{clause}": {
                "get": {
                    "summary": "One clause: quote, parameters, provisions, encoding",
                    "parameters": [
                        {
                            "name": "clause",
                            "in": "path",
                            "required": True,
                            "description": _CLAUSE,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _json_answer("the clause", _answer("/v1/clauses/{clause}")),
                        **_errors(400, 404, 405, 500),
                    },
                }
            },
            "/v1/schema": _get("The JSON Schema of facts documents", "/v1/schema"),
            "/v1/coverage": _get("What each measure encodes and leaves open", "/v1/coverage"),
            "/v1/health": _get("Whether the service answers", "/v1/health"),
            "/v1/version": _get("The tool, the policy digest and the calendar", "/v1/version"),
            "/openapi.json": _get("This document", None),
            "/v1/openapi.json": _get("This document (as /openapi.json)", None),
            **_pages(),
        },
        "components": {
            "schemas": {
                "Facts": policy.schema(),
                **COMPONENTS,
                "Error": _ERROR,
            }
        },
    }
