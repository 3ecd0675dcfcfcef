"""The calculator page's routes and the titles it is given (the page itself is driven in a
browser by tests/docs/test_calculator_browser.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

import policyrules
from policyrules.serve import create_app
from policyrules.serve_page import labels

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


@pytest.fixture(scope="module")
def client(policy: policyrules.Policy) -> Iterator[TestClient]:
    with TestClient(create_app(policy)) as c:
        yield c


def test_home_leads_to_the_page(client: TestClient) -> None:
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["location"] == "/calculator/"


def test_the_page_and_its_assets_ship_in_the_package(client: TestClient) -> None:
    """Every script and style sheet the page names is served from the package, none from
    elsewhere (no CDN)."""
    page = client.get("/calculator/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>政策计算器</title>" in page.text
    linked = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert linked == ["calculator.css", "money.js", "answer.js", "calculator.js"]
    types = {"calculator.css": "text/css", "money.js": "text/javascript"}
    types["answer.js"] = types["calculator.js"] = "text/javascript"
    for name in linked:
        asset = client.get(f"/calculator/{name}")
        assert asset.status_code == 200
        assert asset.headers["content-type"] == f"{types[name]}; charset=utf-8"
        assert "http:" not in asset.text  # nothing fetched from another site
        assert "https:" not in asset.text


def test_an_unknown_asset_is_the_services_404(client: TestClient) -> None:
    answer = client.get("/calculator/jquery.js")
    assert answer.status_code == 404
    assert [e["code"] for e in answer.json()["errors"]] == ["E717"]


def _enum_facts(schema: dict[str, Any], key: str = "") -> Iterator[tuple[str, str, list[str]]]:
    """(entity key, fact, members) of every enum or set-of-enum fact in the facts schema."""
    for name, sub in schema.get("properties", {}).items():
        if sub.get("type") == "array" and sub.get("items", {}).get("type") == "object":
            yield from _enum_facts(sub["items"], name)
        elif sub.get("type") == "object" and "title" in sub:
            yield from _enum_facts(sub, name)
        elif key:
            given = next((s for s in sub.get("anyOf", []) if s.get("type") != "null"), {})
            # a fact declared `or none`: its value, or the constant "none"
            given = next((s for s in given.get("anyOf", []) if s.get("const") != "none"), given)
            members = given.get("enum") or given.get("items", {}).get("enum")
            if members:
                yield key, name, members


def test_labels_title_every_enum_member_of_the_schema(
    client: TestClient, policy: policyrules.Policy
) -> None:
    """The page builds its selects from the schema and titles them from labels.json: every
    member of every enum fact has its title (common.rule: LaunchRoute, Authority ...)."""
    served = client.get("/calculator/labels.json").json()
    assert served == labels(policy.checked)
    found = list(_enum_facts(policy.schema()))
    assert {(k, f) for k, f, _ in found} == {
        ("products", "launch_routes"),
        ("products", "overseas_authority"),
        ("projects", "kind"),
        ("projects", "factory_title"),
        ("pilot_applications", "application_kind"),
    }
    for key, fact, members in found:
        assert list(served["enums"][key][fact]) == members
    routes = served["enums"]["products"]["launch_routes"]
    assert routes["national_priority_review"] == "进入国家优先审批程序"
    assert served["enums"]["products"]["overseas_authority"]["FDA"] == "美国食品药品监督管理局"
    # a fact declared `or none` (common.rule): its reader's title and what none means
    assert served["none"]["products"]["overseas_authority"] == {
        "title": "批准其境外上市的机构",
        "none": "无（未在境外获批上市）",
    }
    assert "approved_on" not in served["none"]["products"]  # not declared `or none`


def test_labels_name_every_missing_fact_and_parameter(
    client: TestClient, policy: policyrules.Policy
) -> None:
    """What firm-a leaves open is named by the page in Chinese: each missing fact and
    parameter of its decisions has a title."""
    served = client.get("/calculator/labels.json").json()
    body = json.dumps(yaml.safe_load(FIRM_A.read_text("utf-8")), default=str)
    decisions = client.post(
        "/v1/evaluate", content=body, headers={"content-type": "application/json"}
    ).json()["decisions"]
    missing = {f for d in decisions for f in d["missing_facts"]}
    assert "product.zgc_catalogue_qualified" in missing
    for fact in missing:
        assert re.search("[\u4e00-\u9fff]", served["facts"][fact]), fact
    assert served["facts"]["product.zgc_catalogue_qualified"].startswith("经认定符合纳入")
    opened = {p for d in decisions for p in d["missing_parameters"]}
    assert opened == {"overseas_support_rate"}
    assert served["parameters"]["overseas_support_rate"].startswith("“一定支持”")


def test_labels_say_what_a_grant_names(client: TestClient) -> None:
    """The ledger fold asks, per award, for the keys a ledger entry of it carries: 第3条's
    launch reward names its firm and product and, capped per firm-year, a year; 第6条's only
    its firm (ledger_io.grant_keys)."""
    grants = {g["provision"]: g for g in client.get("/calculator/labels.json").json()["grants"]}
    launch = grants["jjxf_2025_50/3/launch_reward"]
    assert launch["title"] == "京经信发〔2025〕50号 第3条 创新医疗器械获批上市一次性奖励"
    assert launch["keys"] == [["firm", "企业"], ["product", "医疗器械产品"]]
    assert launch["yearly"] is True
    assert grants["jjxf_2025_50/6/rd_reward"]["keys"] == [["firm", "企业"]]
    assert grants["jjxf_2025_50/6/rd_reward"]["yearly"] is False
    # A label in brackets takes no space before the title, as the letter heads it.
    mrct = grants["jybf_2025_5/(二)/mrct_institution"]["title"]
    assert mrct == "京医保发〔2025〕5号（二）牵头完成国际多中心临床试验的医疗机构资金支持"
