"""The JSON Schemas of what ``policyrules serve`` says of the policy itself, without facts:
its clauses (``GET /v1/clauses``, one clause at ``/v1/clauses/{clause}``), its coverage
(``/v1/coverage``), the JSON Schema of its facts documents (``/v1/schema``) and its health.

Written from the code that makes the JSON (the clause listings of :mod:`policyrules.serve`,
:func:`~policyrules.coverage.coverage_json`, :meth:`policyrules.api.Policy.schema`);
tests/unit/test_serve_schemas.py holds real answers to them, as it does the answers to
facts (:mod:`policyrules.serve_schemas`).
"""

from __future__ import annotations

from typing import Any

from .serve_schema_forms import KIND, object_of, text, text_or_null, texts

__all__ = ["CLAUSE", "CLAUSES", "COVERAGE", "FACTS_SCHEMA", "HEALTH"]

# What a clause's listing and its own answer both say of it.
_HEAD = {
    "id": text("the clause's id (jjxf_2025_50/3)"),
    "label": text("its label (3, (十九))"),
    "document": text("its document's id"),
    "title": text_or_null("its title"),
}

CLAUSES: dict[str, Any] = object_of(
    ["clauses"],
    {
        "clauses": {
            "type": "array",
            "items": object_of(
                ["id", "label", "document", "title", "provisions"],
                {
                    **_HEAD,
                    "provisions": {
                        "type": "array",
                        "items": object_of(
                            ["id", "kind", "title"],
                            {
                                "id": text("the provision's id"),
                                "kind": KIND,
                                "title": text_or_null("its title"),
                            },
                        ),
                    },
                },
            ),
            "description": "every clause, in policy order",
        }
    },
    description="what `GET /v1/clauses` answers",
)

_CLAUSE_KEYS = [
    "id", "label", "document", "document_number", "title", "chapter", "quote", "notes",
    "parameters", "provisions", "encoding",
]  # fmt: skip

CLAUSE: dict[str, Any] = object_of(
    ["clauses"],
    {
        "clauses": {
            "type": "array",
            "items": object_of(
                _CLAUSE_KEYS,
                {
                    **_HEAD,
                    "document_number": text_or_null("the document's number"),
                    "chapter": {
                        "anyOf": [
                            {
                                "type": "array",
                                "prefixItems": [{"type": "string"}, {"type": "string"}],
                                "minItems": 2,
                                "maxItems": 2,
                            },
                            {"type": "null"},
                        ],
                        "description": "[label, title] of its chapter, if any",
                    },
                    "quote": text_or_null("the measure's text as the policy quotes it"),
                    "notes": texts("the clause's notes"),
                    "parameters": {
                        "type": "array",
                        "items": object_of(
                            ["name", "title", "set"],
                            {
                                "name": {"type": "string"},
                                "title": text_or_null("what the text leaves open"),
                                "set": {"type": "boolean", "description": "has a default"},
                            },
                        ),
                        "description": "the parameters the clause declares",
                    },
                    "provisions": {
                        "type": "array",
                        "items": object_of(
                            ["id", "kind", "title", "facts", "parameters", "assumptions"],
                            {
                                "id": text("the provision's id"),
                                "kind": KIND,
                                "title": text_or_null("its title"),
                                "facts": texts("the facts it reads"),
                                "parameters": texts("the parameters it reads"),
                                "assumptions": {
                                    "type": "array",
                                    "items": object_of(
                                        ["name", "rationale"],
                                        {
                                            "name": {"type": "string"},
                                            "rationale": text_or_null("why it is assumed"),
                                        },
                                    ),
                                    "description": "the assumptions it uses",
                                },
                            },
                        ),
                    },
                    "encoding": text_or_null("the clause as the formatter prints it"),
                },
            ),
            "description": "the clauses the path names: one, or several a label names",
        }
    },
    description="what `GET /v1/clauses/{clause}` answers",
)

_MEASURE_KEYS = [
    "document", "label", "chapter", "title", "kinds", "provisions", "unset_parameters",
    "determinations", "decided", "assumptions", "twins", "agencies", "notes", "text_zh",
]  # fmt: skip

COVERAGE: dict[str, Any] = object_of(
    ["clauses", "documents", "text_zh"],
    {
        "clauses": {
            "type": "array",
            "items": object_of(
                _MEASURE_KEYS,
                {
                    "document": text("the measure's document"),
                    "label": text("its label"),
                    "chapter": text_or_null("its chapter's label"),
                    "title": text_or_null("its title"),
                    "kinds": {"type": "array", "items": KIND, "description": "its provisions'"},
                    "provisions": texts("its provisions' names"),
                    "unset_parameters": texts("the open parameters it reads, with no default"),
                    "determinations": texts("the agency's determinations it reads (entity.fact)"),
                    "decided": texts("the facts holding an amount an agency decides"),
                    "assumptions": texts("the assumptions it uses"),
                    "twins": texts("the clauses that state the same rule"),
                    "agencies": texts("the agencies it names"),
                    "notes": {"type": "integer", "description": "how many notes it has"},
                    "text_zh": text("the measure's lines in Chinese"),
                },
            ),
            "description": "one per encoded measure, in document order",
        },
        "documents": {
            "type": "array",
            "items": object_of(
                ["document", "encoded", "measures"],
                {
                    "document": text("the document's number (or id)"),
                    "encoded": {"type": "integer", "description": "its measures encoded"},
                    "measures": {
                        "type": ["integer", "null"],
                        "description": "the measures it has (null: it does not say)",
                    },
                },
            ),
        },
        "text_zh": text("the whole coverage in Chinese, as `policyrules coverage` prints it"),
    },
    description="what `policyrules coverage --json` prints",
)

FACTS_SCHEMA: dict[str, Any] = object_of(
    ["$schema", "title", "type", "properties", "additionalProperties"],
    {
        "$schema": {"const": "https://json-schema.org/draft/2020-12/schema"},
        "title": {"type": "string"},
        "type": {"const": "object"},
        "properties": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": True,
                "description": "the JSON Schema of one list or single entity",
            },
            "description": "the facts document's keys: the policy's entities",
        },
        "additionalProperties": {"const": False},
    },
    description="the JSON Schema (draft 2020-12) of the policy's facts documents, as "
    "`policyrules schema` prints it: the same as components/schemas/Facts",
)

HEALTH: dict[str, Any] = object_of(["status"], {"status": {"const": "ok"}})
