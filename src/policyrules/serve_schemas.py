"""The JSON Schemas of what ``policyrules serve`` answers: a result (``eval --json``), its
decisions, caps, grants, payments and holds, and the provenance beside them; the clauses,
the coverage, the facts schema and the health it answers without facts.

Written from the code that makes the JSON (:func:`policyrules.explain.decision_json`, its
caps, :func:`~policyrules.explain_years.schedule_json`,
:func:`~policyrules.explain_holds.holds_json`, ``Exclusion.to_json``, ``Grant.to_json``,
:func:`~policyrules.provenance.provenance`, :func:`~policyrules.coverage.coverage_json`, the
clause listings of :mod:`policyrules.serve`); tests/unit/test_serve_schemas.py checks every
field of real answers against them, so the two cannot drift apart unnoticed.

Money is one form throughout: **元 as exact decimal text with two places** (``"30000000.00"``
is 3000 万元), never a JSON number (a float cannot hold every amount to the fen).  The JSON
has no unit-named keys (``amount_fen``): every amount in it is in 元, and
:data:`MONEY` says so in each money field's schema (``format: yuan``).

The object schemas list every key but do not forbid others (no ``additionalProperties:
false``): a later release may add a key without breaking a client generated from this one.
An object whose keys are names (facts, parameters, a grant's subject ids) says what its
values are in ``additionalProperties``.
"""

from __future__ import annotations

from typing import Any

from .decisions_exclusive import OUTCOMES
from .serve_schema_forms import (
    KIND,
    array_of,
    as_given,
    money_or_null,
    named_texts,
    object_of,
    or_null,
    ref,
    text,
    text_or_null,
    texts,
)
from .serve_schemas_policy import CLAUSE, CLAUSES, COVERAGE, FACTS_SCHEMA, HEALTH
from .vocab import AMOUNT_KINDS, HOLD_REASONS, PAYMENT_STATUSES, STATUSES, STATUSES_OF_KIND

__all__ = ["ANSWERS", "COMPONENTS", "EXPLAINED", "MONEY", "RESULT"]

_MONEY_TEXT = "^-?[0-9]+\\.[0-9]{2}$"

MONEY: dict[str, Any] = {
    "type": "string",
    "pattern": _MONEY_TEXT,
    "format": "yuan",
    "description": "money in 元 (yuan), exact decimal text with two places (分): "
    '"30000000.00" is 3000 万元; never a number, which could not hold every amount exactly',
    "examples": ["2000000.00"],
}
"""An amount of money: 元 as exact text (``Money.yuan``, ``yuan_digits``)."""

_DATE = {"type": ["string", "null"], "format": "date"}

_HOLD = object_of(
    ["subject", "provision", "why", "amount"],
    {
        "subject": text("the claim holding room: its subject's path (firm/product)"),
        "provision": text("the provision it claims under"),
        "why": {
            "enum": list(HOLD_REASONS),
            "description": "why it holds room: what about it is not settled",
        },
        "amount": money_or_null("the most it may take, 元; null: nothing bounds it"),
    },
    description="an earlier claim not settled that holds room a later one needs",
)

_CAP_KEYS = [
    "cap", "scope", "limit", "used_before", "earlier", "earlier_count", "earlier_claims",
    "earlier_total", "held", "held_count", "requested", "granted", "binding", "before", "after",
    "cut", "note",
]  # fmt: skip

_CAP = object_of(
    _CAP_KEYS,
    {
        "cap": text("the cap as the policy writes it (cap 200 万元 per product)"),
        "scope": text("the account it counts in, in words (firm f1, year 2026)"),
        "limit": money_or_null("the cap's limit, 元 (null: not known)"),
        "used_before": {**ref("Money"), "description": "the account's use before, 元"},
        "earlier": {
            "type": "array",
            "items": {
                "type": "array",
                "prefixItems": [{"type": "string"}, ref("Money")],
                "minItems": 2,
                "maxItems": 2,
            },
            "description": "[claim, 元] of the earlier claims on it: the last 3, or every "
            "entry with all_earlier=1",
        },
        "earlier_count": {"type": "integer", "description": "the earlier entries, in all"},
        "earlier_claims": {"type": "integer", "description": "the claims they are"},
        "earlier_total": {**ref("Money"), "description": "their sum, 元"},
        "held": array_of("Hold", "the last 3 undecided earlier claims holding room in it"),
        "held_count": {"type": "integer", "description": "how many hold room, each once"},
        "requested": money_or_null("the amount that reached the cap, 元"),
        "granted": money_or_null("the amount it let through, 元"),
        "binding": {"type": "boolean", "description": "whether it cut the amount"},
        "before": money_or_null("the claim before this cap, 元"),
        "after": money_or_null("the claim after it, 元"),
        "cut": {**ref("Money"), "description": "what it took off, 元 (0.00 unless binding)"},
        "note": text_or_null("what the cap's line says beyond its limit (raised to …)"),
    },
    description="one cap on a decision, in the order the provision writes them",
)

_PAYMENT = object_of(
    [
        "year",
        "index",
        "status",
        "dated",
        "amount",
        "share",
        "cap",
        "before",
        "held_by",
        "held_count",
    ],
    {
        "year": {"type": "integer"},
        "index": {"type": "integer", "description": "1 for the first payment"},
        "status": {"enum": list(PAYMENT_STATUSES)},
        "dated": {
            "type": "boolean",
            "description": "false when no as_of was given: a forecast, not granted",
        },
        "amount": money_or_null("the payment, 元 (null: not known)"),
        "share": text_or_null("its share of the award as the policy writes it"),
        "cap": text_or_null("the cap that cut it, as written"),
        "before": money_or_null("its amount before that cap, 元"),
        "held_by": array_of("Hold", "earlier claims holding room it needs"),
        "held_count": {"type": "integer"},
    },
    description="one year's payment of an award paid over time (分年拨付)",
)

_EXCLUSION = object_of(
    ["outcome", "rule", "clause", "other", "other_amount", "other_kind", "ledger", "since"],
    {
        "outcome": {"enum": list(OUTCOMES)},
        "rule": text("the exclusive group's rule (keep highest, keep listed …)"),
        "clause": text("the clause that says the awards are exclusive"),
        "other": text_or_null("the award that won or lost against this one"),
        "other_amount": money_or_null("its amount, 元"),
        "other_kind": text_or_null("its amount's kind"),
        "ledger": {"type": "boolean", "description": "whether the other was granted before"},
        "since": {**_DATE, "description": "the day the rule took effect, if dated"},
    },
    description="what an exclusive group (不重复支持) did to the decision",
)

_STATUSES = [*STATUSES, *dict.fromkeys(s for kind in STATUSES_OF_KIND.values() for s in kind)]

_DECISION_KEYS = [
    "provision", "kind", "document", "document_number", "clause", "title", "subject", "status",
    "amount", "amount_kind", "reasons", "missing_facts", "missing_parameters", "granted_before",
    "caps", "facts", "parameters", "assumptions", "due", "done", "margin", "consequence",
    "quote", "clause_text", "trace", "exclusivity",
]  # fmt: skip

_DECISION = object_of(
    _DECISION_KEYS,
    {
        "provision": text("the provision's id (jjxf_2025_50/3/launch_reward)"),
        "kind": KIND,
        "document": text("the document's id"),
        "document_number": text_or_null("the document's number (京经信发〔2025〕50号)"),
        "clause": text("the clause's label (3, (十九))"),
        "title": text_or_null("the clause's title"),
        "subject": text_or_null("what was decided for: a path of ids (firm-a/A1)"),
        "status": {
            "enum": _STATUSES,
            "description": "an award or entitlement: eligible, not_eligible, unknown; a "
            "deadline or target: met, not_met, pending, unknown",
        },
        "amount": money_or_null(
            "the award, 元: exact, or the bound amount_kind says; null: no amount"
        ),
        "amount_kind": {
            "enum": [*AMOUNT_KINDS, None],
            "description": "exact; up_to (amount is a ceiling); range (amount_min to "
            "amount); unknown; null for a decision without an amount",
        },
        "amount_min": {**ref("Money"), "description": "a range's least amount, 元 (range only)"},
        "schedule": array_of("Payment", "an award paid over time: each year's payment"),
        "reasons": texts("why it is not eligible, or what it turned on"),
        "missing_facts": texts("the facts that would decide an unknown decision"),
        "missing_parameters": texts("the open parameters that would decide it"),
        "granted_before": money_or_null("what the provision granted this subject before, 元"),
        "caps": array_of("Cap", "the caps, in the order the provision writes them"),
        "facts": named_texts("the facts it read: name -> value as written"),
        "parameters": named_texts("the parameters it read: name -> value"),
        "assumptions": named_texts("the assumptions it used: name -> value"),
        "due": {**_DATE, "description": "a deadline's due date"},
        "done": {**_DATE, "description": "the day it was done"},
        "margin": text_or_null("how a deadline or target was met or missed"),
        "consequence": text_or_null("an entitlement's consequence"),
        "encouraged": {
            "const": True,
            "description": "present (true) when the document only encourages the deadline "
            "or target (鼓励)",
        },
        "quote": text_or_null("the clause's words the provision encodes"),
        "clause_text": text_or_null("the clause's whole text"),
        "trace": {
            "type": "array",
            "items": object_of(
                ["kind", "text", "ok"],
                {
                    "kind": {"type": "string"},
                    "text": {"type": "string"},
                    "ok": {"type": ["boolean", "null"]},
                },
            ),
            "description": "each step of the evaluation",
        },
        "exclusivity": or_null(ref("Exclusion"), "what an exclusive group did, if any"),
        "held_by": array_of("Hold", "earlier claims that may take the one-time award it claims"),
        "text_zh": text("its explanation in Chinese (/v1/evaluate)"),
        "text": text("its explanation in English, with the trace (/v1/explain)"),
    },
    description="one decision: a provision for one subject",
)

_GRANT = object_of(
    ["provision", "amount"],
    {
        "provision": text("the provision granting it"),
        "amount": {**ref("Money"), "description": "the grant, 元"},
        "year": {"type": "integer", "description": "the year it counts in for yearly caps"},
        "tier": text("the tier paid, as the tier table writes it"),
    },
    additionalProperties={"type": "string"},
    description="a grant this evaluation makes: the provision, the subject's ids by kind "
    "(firm, product, project …: text), the amount in 元, its year",
)

_PROVENANCE = object_of(
    ["tool", "version", "policy", "calendar"],
    {
        "tool": {"const": "policyrules"},
        "version": {"type": "string"},
        "policy": object_of(
            ["digest", "files"], {"digest": {"type": "string"}, "files": {"type": "integer"}}
        ),
        "calendar": object_of(
            ["package", "version", "published_years"],
            {
                "package": {"type": "string"},
                "version": {"type": ["string", "null"]},
                "published_years": {
                    "type": ["array", "null"],
                    "items": {"type": "integer"},
                    "description": "the first and last year of the holiday schedule",
                },
            },
        ),
        "options": object_of(
            ["as_of", "parameters", "assumptions"],
            {
                "as_of": {"type": ["string", "null"]},
                "parameters": as_given("the parameters set: name -> value as given"),
                "assumptions": as_given("the assumptions set: name -> value as given"),
            },
        ),
    },
    description="what the answer came from: tool, policy digest, calendar, options",
)

RESULT: dict[str, Any] = object_of(
    ["decisions", "grants", "assumptions", "text_zh", "provenance"],
    {
        "decisions": array_of("Decision", "one per provision and subject, in policy order"),
        "grants": array_of("Grant", "the grants this evaluation makes"),
        "assumptions": named_texts("the assumptions used: name -> value"),
        "text_zh": text("the whole result as a letter in Chinese"),
        "provenance": ref("Provenance"),
    },
    description="what `policyrules eval --json` prints",
)
"""The answer of ``POST /v1/evaluate``."""

EXPLAINED: dict[str, Any] = object_of(
    ["decisions", "provenance"],
    {
        "decisions": array_of("Decision", "the clause's decisions, each with its text"),
        "provenance": ref("Provenance"),
    },
)
"""The answer of ``POST /v1/explain``."""

COMPONENTS: dict[str, dict[str, Any]] = {
    "Result": RESULT,
    "Explained": EXPLAINED,
    "Decision": _DECISION,
    "Cap": _CAP,
    "Payment": _PAYMENT,
    "Hold": _HOLD,
    "Exclusion": _EXCLUSION,
    "Grant": _GRANT,
    "Money": MONEY,
    "Provenance": _PROVENANCE,
    "Clauses": CLAUSES,
    "Clause": CLAUSE,
    "Coverage": COVERAGE,
    "FactsSchema": FACTS_SCHEMA,
    "Health": HEALTH,
}
"""The schemas under ``components/schemas`` of the OpenAPI document, by name."""

ANSWERS: dict[str, str] = {
    "/v1/evaluate": "Result",
    "/v1/explain": "Explained",
    "/v1/clauses": "Clauses",
    "/v1/clauses/{clause}": "Clause",
    "/v1/schema": "FactsSchema",
    "/v1/coverage": "Coverage",
    "/v1/health": "Health",
    "/v1/version": "Provenance",
}
"""The schema of each path's answer (200), by the path; /openapi.json answers itself."""
