"""The forms the service's JSON Schemas are written in: a reference to a component, text,
text or null, a list of texts, an object with its required keys.

:mod:`policyrules.serve_schemas` (the answers to facts) and
:mod:`policyrules.serve_schemas_policy` (what the service says of the policy) write theirs
in them; every reference points under ``components/schemas`` of the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from .vocab import KINDS

__all__ = [
    "KIND",
    "REF",
    "array_of",
    "as_given",
    "money_or_null",
    "named_texts",
    "object_of",
    "or_null",
    "ref",
    "text",
    "text_or_null",
    "texts",
]

REF = "#/components/schemas/"


def ref(name: str) -> dict[str, Any]:
    return {"$ref": REF + name}


def or_null(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}], "description": description}


def money_or_null(description: str) -> dict[str, Any]:
    return or_null(ref("Money"), description)


def text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def text_or_null(description: str) -> dict[str, Any]:
    return {"type": ["string", "null"], "description": description}


def texts(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def named_texts(description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": description,
    }


def as_given(description: str) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": True, "description": description}


def array_of(name: str, description: str) -> dict[str, Any]:
    return {"type": "array", "items": ref(name), "description": description}


def object_of(required: list[str], properties: dict[str, Any], **more: Any) -> dict[str, Any]:
    assert set(required) <= set(properties)
    return {"type": "object", "required": required, "properties": properties, **more}


KIND: dict[str, Any] = {"enum": list(KINDS), "description": "the kind of provision"}
