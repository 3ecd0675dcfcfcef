"""The policy calculator page (政策计算器) of ``policyrules serve``.

A page in Chinese whose form is generated in the browser from the facts schema
(``GET /v1/schema``): the firm enters what it knows, the page posts the facts to
``POST /v1/evaluate`` and shows the decisions the service returns, with their Chinese text.
The rules are never computed in the page.  Routes:

=============================  ==========================================================
``GET /``                      redirects to ``/calculator/``
``GET /calculator/``           the page (``static/calculator/index.html``)
``GET /calculator/{asset}``    its script and style sheet, shipped in the package
``GET /calculator/labels.json``  the titles the schema does not carry (:func:`labels`)
=============================  ==========================================================
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .ledger_keys import grant_keys
from .model import CheckedPolicy
from .vocab import AMOUNT_PHRASES, STATUSES, heading_zh
from .words import none_words, reader_title

__all__ = ["ASSETS", "LABELS", "labels", "page_routes"]

# The page's files (package data) and their media types.
ASSETS = {
    "index.html": "text/html; charset=utf-8",
    "money.js": "text/javascript; charset=utf-8",
    "answer.js": "text/javascript; charset=utf-8",
    "calculator.js": "text/javascript; charset=utf-8",
    "calculator.css": "text/css; charset=utf-8",
}
LABELS = "labels.json"  # made from the policy (labels), served beside the files


def labels(policy: CheckedPolicy) -> dict[str, Any]:
    """The titles the page shows that the JSON Schema does not carry, as
    ``{"enums": {entity key: {fact: {member: title}}}, "facts": {"entity.fact": title},
    "none": {entity key: {fact: {"title", "none"}}}, "parameters": {name: title},
    "grants": [{"provision", "title", "keys", "yearly"}], "statuses": {status: words},
    "amounts": {amount kind: template}}``:
    the members of each enum (or set of enum) fact, every fact by the name a decision's
    ``missing_facts`` uses (its reader's title), each fact declared ``or none`` with its
    title and what stating it none means (:func:`~policyrules.words.none_words`), the open
    parameters, and for each award what an earlier grant
    of it names (``keys``: ``[entity, title]`` from the firm down, as a ledger entry's keys;
    ``yearly``: it carries a ``year``); the words of an award's statuses and the templates
    of its amounts (``{amount}（确定金额）``), from :mod:`policyrules.vocab`, so the page says
    them as the Chinese letter does.  A thing without a title is given its name."""
    enums: dict[str, dict[str, dict[str, str]]] = {}
    facts: dict[str, str] = {}
    absent: dict[str, dict[str, dict[str, str]]] = {}
    for ent in policy.entities:
        for f in ent.facts:
            title = reader_title(f.title) if f.title else f.name
            facts[f"{ent.name}.{f.name}"] = title
            if f.type.nullable:
                said = {"title": title, "none": none_words(f.title)}
                absent.setdefault(ent.key, {})[f.name] = said
            kind = f.type.element if f.type.kind in ("set", "list") else f.type
            info = policy.enum(kind.name) if kind and kind.kind == "enum" and kind.name else None
            if info is not None:
                members = {m: t or m for m, t in info.members}
                enums.setdefault(ent.key, {})[f.name] = members
    parameters = {p.name: p.title or p.name for p in policy.parameters}
    titles = {e.name: e.title or e.name for e in policy.entities}
    clauses = {}
    for cl in policy.clauses:
        doc = policy.document(cl.document)
        clauses[cl.id] = (doc.number if doc and doc.number else cl.document, cl.label)
    grants = [
        {
            "provision": pid,
            # 京医保发〔2025〕5号（二）牵头…: no space after the label's bracket
            "title": heading_zh(*clauses.get(k.info.clause, ("", "")), k.info.title or pid),
            "keys": [[e, titles.get(e, e)] for e in k.chain],
            "yearly": k.yearly,
        }
        for pid, k in grant_keys(policy).items()
    ]
    return {
        "enums": enums,
        "facts": facts,
        "none": absent,
        "parameters": parameters,
        "grants": grants,
        "statuses": dict(STATUSES),
        "amounts": dict(AMOUNT_PHRASES),
    }


def page_routes(policy: CheckedPolicy) -> list[Route]:
    """The routes of the calculator page (see the module), its files read once here."""
    root = files("policyrules") / "static" / "calculator"
    bodies = {name: (root / name).read_bytes() for name in ASSETS}
    labels_json = json.dumps(labels(policy), ensure_ascii=False).encode()

    async def home(request: Request) -> Response:
        return RedirectResponse("/calculator/", status_code=307)

    async def page(request: Request) -> Response:
        return Response(bodies["index.html"], media_type=ASSETS["index.html"])

    async def asset(request: Request) -> Response:
        name = request.path_params["asset"]
        if name == LABELS:
            return Response(labels_json, media_type="application/json")
        if name not in bodies:
            raise HTTPException(404)  # answered as the service's other unknown routes (E717)
        return Response(bodies[name], media_type=ASSETS[name])

    return [
        Route("/", home, methods=["GET"], name="home"),
        Route("/calculator/", page, methods=["GET"], name="calculator"),
        Route("/calculator/{asset}", asset, methods=["GET"], name="calculator_asset"),
    ]
