"""The calculator page (政策计算器) of ``policyrules serve`` in a real browser.

The service runs in a thread (uvicorn on a free loopback port); headless Chromium (the
``browser`` fixture of tests/conftest.py) opens ``/calculator/``, fills the form generated from
the facts schema for the example firm examples/firm-a.yaml, submits it and reads the
decisions back from the page, which must be those of ``policy.evaluate`` on the same facts.
Screenshots at desktop and phone (390 px) widths go to pytest's temporary directory.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import policyrules

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"
WAIT_MS = 30_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY_DIR)


@pytest.fixture(scope="module")
def server(policy: policyrules.Policy) -> Iterator[str]:
    """The service (no decision log) on a free loopback port, in a thread: its base URL."""
    import uvicorn

    from policyrules.serve import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(policy), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            pytest.fail("the service did not start")
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join()
    sock.close()


def _open(browser: Any, viewport: dict[str, int], url: str) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, timeout=WAIT_MS)
    page.wait_for_selector("body[data-ready='1']", timeout=WAIT_MS)
    return page, errors


def _field(scope: Any, name: str) -> Any:
    """The input or select of the fact ``name`` directly inside ``scope`` (a row)."""
    return scope.locator(f":scope > .fields > .field[data-name='{name}']")


def _add(page: Any, row: Any, key: str) -> Any:
    """Add a row to the list ``key`` of ``row`` (or of the page), return the new row."""
    lists = row.locator(f":scope > .lists > .entity-list[data-key='{key}']")
    lists.locator(":scope > button.add").click()
    return lists.locator(":scope > .rows > .entity").last


def _fill_money(row: Any, name: str, wan: str) -> None:
    field = _field(row, name)
    field.locator("input").fill(wan)
    field.locator("select.unit").select_option("万元")


def _fill_firm_a(page: Any, facts: dict[str, Any]) -> None:
    """Type firm-a's facts as a person would: text, dates, selects, checkboxes."""
    firm_facts = facts["firms"][0]
    firm = page.locator("fieldset.entity-list[data-key='firms'] > .rows > .entity").first
    _field(firm, "id").locator("input").fill(firm_facts["id"])
    _field(firm, "name").locator("input").fill(firm_facts["name"])
    bools = {True: "true", False: "false"}
    for product in firm_facts["products"]:
        row = _add(page, firm, "products")
        _field(row, "id").locator("input").fill(product["id"])
        _field(row, "approved_on").locator("input").fill(str(product["approved_on"]))
        for route in product["launch_routes"]:
            _field(row, "launch_routes").locator(f"input[value='{route}']").check()
        _fill_money(row, "launch_reward_decided", product["launch_reward_decided"][:-2])
        _field(row, "clinically_urgent").locator("select").select_option(
            bools[product["clinically_urgent"]]
        )
        _field(row, "overseas_sales").locator("select").select_option(
            bools[product["overseas_sales"]]
        )
        if "overseas_authority" in product:
            _field(row, "overseas_authority").locator("select").select_option(
                product["overseas_authority"]
            )
            _field(row, "overseas_approved_on").locator("input").fill(
                str(product["overseas_approved_on"])
            )
            _fill_money(row, "registration_cost", product["registration_cost"][:-2])
    page.locator("details.ledger > summary").click()
    for grant in facts["ledger"]:
        page.locator("details.ledger > button.add").click()
        row = page.locator("details.ledger fieldset.grant").last
        _field(row, "provision").locator("select").select_option(grant["provision"])
        keys = row.locator(".keys")
        keys.locator(".field[data-name='firm'] input").fill(grant["firm"])
        keys.locator(".field[data-name='product'] input").fill(grant["product"])
        # "200万元": a unit typed in the box is the one sent, no unit chosen beside it
        keys.locator(".field[data-name='amount'] input").fill(grant["amount"])
        keys.locator(".field[data-name='year'] input").fill(str(grant["year"]))
    project = firm_facts["projects"][0]
    row = _add(page, firm, "projects")
    _field(row, "id").locator("input").fill(project["id"])
    _field(row, "kind").locator("select").select_option(project["kind"])
    _field(row, "applied_on").locator("input").fill(str(project["applied_on"]))
    _fill_money(row, "engineering_investment", project["engineering_investment"][:-2])


def _submit(page: Any) -> None:
    page.locator("#submit").click()
    page.wait_for_selector(
        "#result[data-state='done'], #result[data-state='error']", timeout=WAIT_MS
    )


def _shown(page: Any) -> list[tuple[str, str, str, str | None, str | None]]:
    """The decisions on the page: provision, subject, status, amount (元), its kind."""
    return [
        tuple(row)
        for row in page.eval_on_selector_all(
            "#result article.decision",
            """cards => cards.map(c => {
                 const a = c.querySelector('.amount');
                 return [c.dataset.provision, c.dataset.subject,
                         c.className.split(' ')[1],
                         a ? a.dataset.amount : null, a ? a.dataset.kind : null];
               })""",
        )
    ]


def _expected(result: Any) -> list[tuple[str, str, str, str | None, str | None]]:
    rows = result.to_json()["decisions"]
    return [
        (d["provision"], d["subject"], d["status"], d["amount"], d["amount_kind"]) for d in rows
    ]


def _order(rows: list[Any]) -> list[Any]:
    """The page groups decisions by status; compare them in one order."""
    return sorted(rows, key=lambda r: (r[0], r[1]))


def test_calculator_reads_back_the_example_firm(
    browser: Any, server: str, policy: policyrules.Policy, shots: Path
) -> None:
    # firm-a, its earlier grants typed into the ledger fold; by hand (examples/firm-a.yaml):
    #   第3条 the firm's 2026 cap 1000 万, 3 × 200 = 600 万 granted before: A1 200 万
    #     (600 → 800), A2 150 万 (→ 950), A3 decided 200 万 but 1000 − 950 = 50 万 left → 50 万;
    #   第7条 J1 30% × 8000 万 = 2400 万 ≤ 5000 万 → 2400 万 exact;
    #   第13条 A1 the rate 一定支持 not set → up to 100 万 (the per-product cap).
    facts = yaml.safe_load(FIRM_A.read_text("utf-8"))
    page, errors = _open(browser, DESKTOP, f"{server}/")  # / leads to /calculator/
    assert page.url == f"{server}/calculator/"
    assert page.title() == "政策计算器"
    # The form comes from the schema: Chinese titles, enum members by their titles.
    firm = page.locator("fieldset.entity-list[data-key='firms'] > .rows > .entity").first
    assert _field(firm, "name").locator("label").inner_text() == "企业名称"
    assert "未认定" in _field(firm, "promotion_scale_outstanding").inner_text()
    _fill_firm_a(page, facts)
    page.screenshot(path=str(shots / "calculator-desktop-form.png"))
    kinds = _field(firm.locator(".entity[data-key='projects']"), "kind").inner_text()
    assert "产业共性平台建设" in kinds
    _submit(page)
    assert errors == []
    shown = _shown(page)
    expected = _expected(policy.evaluate(facts))
    assert _order(shown) == _order(expected)
    amounts = {(p.split("/")[1], s): (a, k) for p, s, _, a, k in shown if a is not None}
    assert amounts == {
        ("3", "firm-a/A1"): ("2000000.00", "exact"),
        ("3", "firm-a/A2"): ("1500000.00", "exact"),
        ("3", "firm-a/A3"): ("500000.00", "exact"),
        ("7", "firm-a/J1"): ("24000000.00", "exact"),
        ("13", "firm-a/A1"): ("1000000.00", "up_to"),
    }
    # Each card carries the service's Chinese text (text_zh): A3's says the yearly cap cut it,
    # 200 万 − 150 万 = 50 万.
    a3 = page.locator(
        "article.decision[data-provision='jjxf_2025_50/3/launch_reward'][data-subject='firm-a/A3']"
    )
    cut = "此上限起作用：200 万元 核减 150 万元，为 50 万元"
    assert cut in a3.locator(".text").first.inner_text()
    card = page.locator("article.decision[data-provision='jjxf_2025_50/7/common_platform']")
    assert card.locator(".amount").inner_text() == "2,400 万元（确定金额）"  # vocab's words
    upto = page.locator("article.decision[data-provision='jjxf_2025_50/13/overseas_registration']")
    assert upto.locator(".amount").inner_text() == "最高 100 万元"
    # The facts that would decide the rest, by their titles: 第6条 needs, among others,
    # the years of new approvals.
    rd = page.locator("article.decision[data-provision='jjxf_2025_50/6/rd_reward']")
    assert "企业有产品新获批上市（注册）的年份" in rd.locator("ul.missing").inner_text()
    assert "尚需提供" not in rd.inner_text()  # said once, by the list, not again by the text
    page.locator("#result h2").first.evaluate("h => h.scrollIntoView()")
    page.screenshot(path=str(shots / "calculator-desktop-result.png"))

    # The open rate set to 50% (the parameters' fold): 第13条 becomes exact,
    # 50% × 120 万 = 60 万 ≤ 100 万.
    page.locator("details.parameters > summary").click()
    _field(page.locator("details.parameters"), "overseas_support_rate").locator("input").fill("50%")
    _submit(page)
    assert upto.locator(".amount").get_attribute("data-amount") == "600000.00"
    assert upto.locator(".amount").inner_text() == "60 万元（确定金额）"

    # A1 stated never approved abroad (the 无 box of a fact declared `or none`): 第13条 is
    # then not eligible, not unknown and not 60 万, as evaluate says for the same facts.
    a1 = page.locator(".entity[data-key='products']").first
    authority = _field(a1, "overseas_authority")
    assert authority.locator("label.title").inner_text() == "批准其境外上市的机构"
    assert authority.locator("label.none").inner_text() == "无（未在境外获批上市）"
    authority.locator("input.stated-none").check()
    _submit(page)
    first = facts["firms"][0]["products"][0]
    assert first["id"] == "A1"
    first["overseas_authority"] = "none"
    stated = policy.evaluate(facts, parameters={"overseas_support_rate": "50%"})
    want = next(
        d
        for d in stated.decisions
        if d.provision == "jjxf_2025_50/13/overseas_registration" and d.subject == "firm-a/A1"
    )
    assert want.status == "not_eligible"
    a1_card = page.locator(
        "article.decision[data-provision='jjxf_2025_50/13/overseas_registration']"
        "[data-subject='firm-a/A1']"
    )
    assert "not_eligible" in (a1_card.get_attribute("class") or "")
    page.close()


def test_calculator_on_a_phone(browser: Any, server: str, shots: Path) -> None:
    """390 px: one column, nothing wider than the screen, results readable."""
    page, errors = _open(browser, PHONE, f"{server}/calculator/")
    firm = page.locator("fieldset.entity-list[data-key='firms'] > .rows > .entity").first
    product = _add(page, firm, "products")
    _field(product, "approved_on").locator("input").fill("2026-03-02")
    _field(product, "launch_routes").locator("input[value='national_priority_review']").check()
    _fill_money(product, "launch_reward_decided", "200")
    _submit(page)
    assert errors == []
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    amount = page.locator("article.decision[data-provision='jjxf_2025_50/3/launch_reward'] .amount")
    assert amount.inner_text() == "200 万元（确定金额）"  # policyrules.vocab's words
    page.screenshot(path=str(shots / "calculator-phone-form.png"))
    page.locator("#result h2").first.evaluate("h => h.scrollIntoView()")
    page.screenshot(path=str(shots / "calculator-phone-result.png"))
    page.close()


def test_calculator_points_at_a_wrong_entry(browser: Any, server: str) -> None:
    """A money amount the reader refuses: the service's message is shown, the input marked."""
    page, errors = _open(browser, DESKTOP, f"{server}/calculator/")
    firm = page.locator("fieldset.entity-list[data-key='firms'] > .rows > .entity").first
    _fill_money(firm, "prior_year_rd_investment", "一百")
    _submit(page)
    assert page.locator("#result").get_attribute("data-state") == "error"
    assert "prior_year_rd_investment" in page.locator("ul.errors").inner_text()
    wrong = _field(firm, "prior_year_rd_investment").locator("input")
    assert "wrong" in (wrong.get_attribute("class") or "")
    assert errors == []
    page.close()


def test_calculator_never_guesses_a_unit(browser: Any, server: str) -> None:
    """A money box has no unit until one is chosen: 8,000,000 meant as 元 was sent as 万元
    (800 亿元; 第7条's 5000 万 cap made 5000 万 look right where 30% of 800 万 is 240 万).
    Now it is refused before anything is sent, the amount is read back beside the box as
    the service will read it, and a unit typed in the box is the one sent."""
    page, errors = _open(browser, DESKTOP, f"{server}/calculator/")
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if "/v1/evaluate" in r.url else None)
    firm = page.locator("fieldset.entity-list[data-key='firms'] > .rows > .entity").first
    project = _add(page, firm, "projects")
    _field(project, "kind").locator("select").select_option("common_platform")
    _field(project, "applied_on").locator("input").fill("2026-04-15")
    money = _field(project, "engineering_investment")
    box, unit = money.locator("input"), money.locator("select.unit")
    reading = money.locator(".reading")
    assert unit.input_value() == ""  # no unit chosen by default
    box.fill("8,000,000")
    assert reading.inner_text() == "请选择单位"
    page.locator("#submit").click()
    assert page.locator("#result").get_attribute("data-state") == "error"
    assert page.locator("ul.errors").inner_text() == (
        "项目工程投资：8,000,000 未选单位"
        "（请选择单位：元、万元或亿元；或在金额后写明单位，如 200万元）"
    )
    assert "wrong" in (box.get_attribute("class") or "")
    assert "wrong" in (unit.get_attribute("class") or "")
    assert posted == []  # refused in the page: nothing sent

    card = page.locator("article.decision[data-provision='jjxf_2025_50/7/common_platform'] .amount")
    unit.select_option("万元")
    assert reading.inner_text() == "= 800 亿元"  # said before it is sent
    unit.select_option("元")
    assert reading.inner_text() == "= 800 万元"
    _submit(page)
    assert len(posted) == 1
    assert card.get_attribute("data-amount") == "2400000.00"  # 30% × 800 万 = 240 万

    # A unit typed in the box wins over the select, which is set aside while it does.
    box.fill("1.5亿")
    assert unit.is_disabled()
    assert reading.inner_text() == "= 1.5 亿元"
    _submit(page)
    assert card.get_attribute("data-amount") == "45000000.00"  # 30% × 1.5 亿 = 4500 万
    box.fill("200")
    assert not unit.is_disabled()
    assert reading.inner_text() == "= 200 元"
    assert errors == []
    page.close()
