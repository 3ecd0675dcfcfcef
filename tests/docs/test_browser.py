"""The built site in a real browser: Chinese search lists the measures, and a phone can read
the clause reference.

The site is built once per session (``sphinx-build -E -b html docs``, ~15 s) into a temporary
directory, or taken from ``POLICYRULES_DOCS_HTML`` when that names a built site; it is served
on loopback and opened in headless Chromium, driven by Playwright's Python API.  The browser
is Debian's (``scripts/install-chromium.sh`` installs it and prints its path: the README's test
command passes it as ``CHROMIUM``); Playwright never downloads one.  Screenshots are kept as
artefacts in pytest's temporary directory (the path is printed with ``-s``).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest

import policyrules
from policyrules.reference import anchor, facts_index

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policies" / "beijing_2025"

# A page load or a search that takes longer than this (milliseconds) has failed.
WAIT_MS = 30_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Where each measure's own page is (issue 12 §3), relative to the site.
MEASURES = "clauses/measure"

# The measures whose original text (the `quote` of their clause in
# policies/beijing_2025/*.rule) contains the word, by their anchors on the clause pages:
#   一次性: jjxf 3 "…给予一次性资金奖励…", jjxf 9 "…给予一次性不超过 200 万元资金…"
#   年度:   jjxf 3 "…单个企业年度奖励不超过 1000 万元", jjxf 6 "…且上一年度企业临床推广…"
#   工作日: jjxf 2 "…缩减至平均 60 个工作日…", jybf (六) "…由60个工作日压缩至30个…",
#           jybf (八) "…时限平均缩减至 60 个工作日…"
# No other clause's quote has them (grep -c on the quote lines: 2, 2 and 3).
EXPECTED = {
    "一次性": {"jjxf-2025-50-3", "jjxf-2025-50-9"},
    "年度": {"jjxf-2025-50-3", "jjxf-2025-50-6"},
    "工作日": {"jjxf-2025-50-2", "jybf-2025-5-六", "jybf-2025-5-八"},
}

pytestmark = pytest.mark.timeout(300)  # the session's docs build is paid by the first test


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built HTML site: ``POLICYRULES_DOCS_HTML`` if set, else a fresh build."""
    given = os.environ.get("POLICYRULES_DOCS_HTML")
    if given:
        path = Path(given)
        if not (path / "search.html").is_file():
            pytest.fail(f"POLICYRULES_DOCS_HTML={given} is not a built site (no search.html)")
        return path
    out = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", "docs", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.fail(f"sphinx-build failed (pip install -e '.[docs]'?):\n{build.stderr}")
    return out


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The site served over HTTP on loopback (search.html fetches the index and the pages)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="session")
def measure_anchors() -> set[str]:
    """The anchors of all 47 measures on the clause pages."""
    checked = policyrules.load(POLICY_DIR).checked
    return {anchor(c.document, c.label) for c in checked.clauses}


def _open(browser: Any, viewport: dict[str, int], url: str) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport=viewport)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, timeout=WAIT_MS)
    return page, errors


def _settle(page: Any, selector: str) -> None:
    """Scroll the first ``selector`` into view once the fonts are in (for a screenshot)."""
    page.evaluate("document.fonts.ready.then(() => true)")
    page.locator(selector).first.scroll_into_view_if_needed(timeout=WAIT_MS)


def _search(browser: Any, base_url: str, word: str, viewport: dict[str, int]) -> tuple[Any, Any]:
    """search.html?q=WORD once it has finished: the page and its result items."""
    page, errors = _open(browser, viewport, f"{base_url}/search.html?q={quote(word)}")
    # The status line is written when the last result is shown; a search that broke (a script
    # error, a missing stemmer) leaves the page on "Searching…" and the status empty.
    try:
        page.wait_for_function(
            "() => (document.querySelector('#search-results .search-summary') || {}).innerText",
            timeout=WAIT_MS,
        )
    except Exception:
        heading = (
            page.inner_text("#search-results") if page.query_selector("#search-results") else ""
        )
        pytest.fail(f"search for {word} never finished: page shows {heading!r}, errors {errors}")
    assert errors == [], errors
    items = page.query_selector_all("#search-results ul.search > li")
    # Each page result fetches its summary from the page itself: wait until all are shown.
    page.wait_for_function(
        "n => document.querySelectorAll('#search-results ul.search > li p.context').length"
        " + document.querySelectorAll('#search-results ul.search > li > span').length >= n",
        arg=len(items),
        timeout=WAIT_MS,
    )
    return page, items


@pytest.mark.parametrize("word", sorted(EXPECTED))
def test_search_lists_the_measures_that_say_the_word(
    browser: Any, base_url: str, word: str, measure_anchors: set[str], shots: Path
) -> None:
    page, items = _search(browser, base_url, word, DESKTOP)
    found: dict[str, str] = {}
    for item in items:
        href = urlsplit(item.query_selector("a").get_attribute("href"))
        if href.path.startswith("clauses/") and unquote(href.fragment) in measure_anchors:
            found[unquote(href.fragment)] = item.inner_text()
            # The hit is the measure's own page, not a place in a long document page.
            assert unquote(href.path) == f"{MEASURES}/{unquote(href.fragment)}.html"
    assert set(found) == EXPECTED[word]
    for text in found.values():
        assert word in text  # the summary is drawn from the measure's own section
    heading = page.inner_text("#search-results h2")
    assert "搜索中" not in heading
    assert "Searching" not in heading
    page.screenshot(path=str(shots / f"search-{word}-desktop.png"))
    page.close()


# The pages written for readers; every other page is a developer's English guide or reference.
READER_PAGES = ("index.html", "glossary.html")


def _is_reader_page(path: str) -> bool:
    return path.startswith("clauses/") or path in READER_PAGES


@pytest.mark.parametrize("word", sorted(EXPECTED))
def test_search_lists_the_readers_pages_first(browser: Any, base_url: str, word: str) -> None:
    """Every hit on a reader's page (measures, glossary, home) comes before the first hit on a
    developer's page (API reference, language guide...), which are still listed after."""
    page, items = _search(browser, base_url, word, DESKTOP)
    paths = [unquote(urlsplit(i.query_selector("a").get_attribute("href")).path) for i in items]
    readers = [i for i, path in enumerate(paths) if _is_reader_page(path)]
    developers = [i for i, path in enumerate(paths) if not _is_reader_page(path)]
    assert readers, paths
    if developers:
        assert max(readers) < min(developers), paths
    if word == "一次性":  # the guides say it too (cli, api, language): found, and listed last
        assert {"cli.html", "api.html", "language.html"} <= {paths[i] for i in developers}
    page.close()


def test_search_summaries_read_as_chinese(browser: Any, base_url: str) -> None:
    """A measure's summary on the search page: each label with a full-width colon, the rows
    apart (条款：…；章节：…), never a label run into the next with a half-width colon."""
    page, items = _search(browser, base_url, "一次性", DESKTOP)
    summaries = [
        item.inner_text()
        for item in items
        if unquote(urlsplit(item.query_selector("a").get_attribute("href")).path).startswith(
            f"{MEASURES}/"
        )
    ]
    assert summaries
    for text in summaries:
        assert not re.search(r"[\u4e00-\u9fff]:", text), text
    first = summaries[0]
    assert "条款：京经信发〔2025〕50号" in first
    assert "；章节：" in first  # no space after the full-width punctuation
    assert "原文：对承担" in first
    page.close()


# A code name as the encoding spells it: snake_case (prior_year_rd_investment), dotted
# (product.zgc_catalogue_qualified) or a clause id (jjxf_2025_50/6).
CODE_NAME = re.compile(r"[A-Za-z0-9]+_[A-Za-z0-9_]+|\b[a-z]+\.[a-z_]+\b")


@pytest.mark.parametrize("word", ["一次性", "年度", "工作日", "上市", "注册"])
def test_reader_summaries_show_no_code_names(browser: Any, base_url: str, word: str) -> None:
    """Issue 12: the summary under each hit on a reader's page (the facts index, a measure, the
    glossary, the home page) is Chinese text: the facts by their titles, the measures by their
    numbers, never an encoding's code name, which the pages keep for developers."""
    page, items = _search(browser, base_url, word, DESKTOP)
    summaries = {
        unquote(urlsplit(item.query_selector("a").get_attribute("href")).path): item.inner_text()
        for item in items
        if _is_reader_page(unquote(urlsplit(item.query_selector("a").get_attribute("href")).path))
    }
    assert "clauses/facts.html" in summaries, sorted(summaries)
    for path, text in summaries.items():
        assert not CODE_NAME.search(text), (path, text)
    facts = summaries["clauses/facts.html"]
    # The summary is drawn around the word where a fact's title says it (一次性, 年度, 上市,
    # 注册); 工作日 is only a fact's type (list of 工作日), kept for developers.
    if any(word in (row.title or "") for row in facts_index(policyrules.load(POLICY_DIR).checked)):
        assert word in facts
    # The facts index's rows: a fact's title, then the measures using it, by their numbers.
    assert "京经信发〔2025〕50号" in facts or "京医保发〔2025〕5号" in facts
    page.close()


def test_facts_index_summary_names_facts_by_their_titles(browser: Any, base_url: str) -> None:
    """年度 on the facts index: policies/beijing_2025 declares prior_year_rd_investment with the
    title 上一年度企业研发投入（第6条）, read by jjxf 6 alone; the summary shows the title and the
    measure's number, the code name stays on the page (its 代码名 column)."""
    page, items = _search(browser, base_url, "年度", DESKTOP)
    facts = next(
        item.inner_text()
        for item in items
        if unquote(urlsplit(item.query_selector("a").get_attribute("href")).path)
        == "clauses/facts.html"
    )
    assert "上一年度企业研发投入（第6条）京经信发〔2025〕50号 第6条；" in facts
    assert "prior_year_rd_investment" not in facts
    page.goto(f"{base_url}/clauses/facts.html", timeout=WAIT_MS)
    assert "prior_year_rd_investment" in page.inner_text("article")
    page.close()


def test_search_finds_a_policy_word_jieba_does_not_know(browser: Any, base_url: str) -> None:
    """就高 (docs/search-words.txt): no measure of the two documents says it, the glossary's
    就高不重复 does; jieba alone cuts it into 就 and 高 and the search found nothing."""
    page, items = _search(browser, base_url, "就高", DESKTOP)
    pages = {unquote(urlsplit(i.query_selector("a").get_attribute("href")).path) for i in items}
    assert "glossary.html" in pages
    page.close()


def test_a_search_hit_lands_on_the_measure_page(browser: Any, base_url: str) -> None:
    """Following the hit for jybf (六) opens its page: its heading, its original text."""
    page, items = _search(browser, base_url, "工作日", DESKTOP)
    link = next(
        a
        for item in items
        if unquote(urlsplit((a := item.query_selector("a")).get_attribute("href")).fragment)
        == "jybf-2025-5-六"
    )
    link.click()
    page.wait_for_load_state()
    assert unquote(urlsplit(page.url).path).endswith(f"/{MEASURES}/jybf-2025-5-六.html")
    assert page.inner_text("h1").startswith("（六）审评审批试点时限")
    # The sidebar names the measures as the text does: full-width brackets.
    sidebar = page.inner_text(".sidebar-tree")
    assert "（六）审评审批试点时限" in sidebar
    assert not re.search(r"\([一二三四五六七八九十]+\)", sidebar)
    assert "由60个工作日压缩至30个" in page.inner_text("blockquote.policyrules-quote")
    page.close()


def test_search_on_a_phone(browser: Any, base_url: str, shots: Path) -> None:
    page, items = _search(browser, base_url, "一次性", PHONE)
    assert len(items) >= len(EXPECTED["一次性"])
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    page.screenshot(path=str(shots / "search-一次性-phone.png"))
    page.close()


# The width (in characters of the cell's own font) of the narrowest rationale or meaning
# column (the third: what it decides, its value, why, its name) of the parameters and
# assumptions tables on a page.
NARROWEST_LAST_COLUMN = """() => Math.min(...Array.from(
  document.querySelectorAll('table.policyrules-open-values tbody td:nth-child(3)'),
  td => td.getBoundingClientRect().width / parseFloat(getComputedStyle(td).fontSize)))"""


# The pages a reader opens: the two document pages, a money measure (jjxf 3: caps and
# assumptions) and a deadline measure (jybf (六): calendar strips), the latter two with every
# folded part (encoding, worked cases) opened, as a reader may.
PAGES = [
    "clauses/jjxf-2025-50.html",
    "clauses/jybf-2025-5.html",
    f"{MEASURES}/jjxf-2025-50-3.html",
    f"{MEASURES}/jybf-2025-5-六.html",
]
OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


@pytest.mark.parametrize("path", PAGES)
def test_clause_pages_fit_a_phone(browser: Any, base_url: str, path: str, shots: Path) -> None:
    page, errors = _open(browser, PHONE, f"{base_url}/{quote(path)}")
    assert errors == []
    page.evaluate(OPEN_ALL)
    width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide on a {width[1]} px phone"
    name = Path(path).stem
    if name == "jjxf-2025-50-3":
        # Its assumptions table (annual_cap_year, share_order) keeps its rationale readable.
        assert page.evaluate(NARROWEST_LAST_COLUMN) >= 10
        _settle(page, "table.policyrules-open-values")
        page.screenshot(path=str(shots / "measure-money-assumptions-phone.png"))
        _settle(page, "div.policyrules-code")
        page.screenshot(path=str(shots / "measure-money-encoding-phone.png"))
    if name == "jybf-2025-5-六":
        _settle(page, "div.policyrules-strip")
        page.screenshot(path=str(shots / "measure-deadline-strip-phone.png"))
    page.screenshot(path=str(shots / f"{name}-phone.png"))
    page.close()


def test_measure_page_on_a_desktop(browser: Any, base_url: str, shots: Path) -> None:
    """jjxf 3: Chinese labels, its words linked to the glossary, the text and its summary in
    words (要点) first and the encoding and the 24 worked cases folded until clicked."""
    page, errors = _open(browser, DESKTOP, f"{base_url}/{MEASURES}/jjxf-2025-50-3.html")
    assert errors == []
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    assert page.inner_text("h1") == "第3条 创新产品上市奖励"
    labels = page.locator("#jjxf-2025-50-3 dl.field-list > dt").all_inner_texts()
    # Chinese labels with the full-width colon (docutils' field lists print a half-width one);
    # the rule's id (编号) is with the encoding, for those who check it.
    assert labels[:3] == ["条款：", "章节：", "类型："]
    assert "编号：" not in labels
    links = page.locator("#jjxf-2025-50-3 a[href^='../../glossary.html#']").all_inner_texts()
    assert {"一次性", "年度", "奖励"} <= set(links)
    assert page.locator("details[open]").count() == 0
    assert page.locator("div.policyrules-case details").count() >= 20
    assert not page.locator("div.policyrules-code").first.is_visible()
    # 要点: the measure in words, visible, above the folded encoding; the cap from its structure.
    summary = page.locator("dl.policyrules-summary")
    assert summary.is_visible()
    assert "单个企业每个年度（按境内获批上市（注册）日期所在年度计）不超过 1000 万元" in (
        summary.inner_text()
    )
    assert page.evaluate(
        "document.querySelector('dl.policyrules-summary').compareDocumentPosition("
        "document.querySelector('div.policyrules-code')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    page.locator("div.policyrules-case summary").first.click()
    case = page.locator("div.policyrules-case details[open]").first
    assert "境内获批上市（注册）日期" in case.locator("table").first.inner_text()
    page.screenshot(path=str(shots / "measure-money-desktop.png"))
    page.close()


def test_old_anchors_still_land_on_the_measure(browser: Any, base_url: str) -> None:
    """A link to the former one-page layout (clauses/jjxf-2025-50.html#jjxf-2025-50-3, as the
    glossary and older notes have) lands on the measure's entry, which links to its page."""
    page, errors = _open(browser, DESKTOP, f"{base_url}/clauses/jjxf-2025-50.html#jjxf-2025-50-3")
    assert errors == []
    href = page.locator("#jjxf-2025-50-3 a").first.get_attribute("href")
    assert unquote(urlsplit(href).path) == "measure/jjxf-2025-50-3.html"
    page.close()


def test_deadline_strips_show_the_expected_due_days(
    browser: Any, base_url: str, shots: Path
) -> None:
    """On jybf (六), each worked case with an expected due day shows a strip whose due cell is
    that day (jybf-06.yaml: 2025-11-06 for the National Day case, worked by hand there)."""
    from policyrules.reference import cases_by_clause, load_cases

    expected = [
        sorted(str(e["due"]) for e in case.expect if "due" in e)
        for case in cases_by_clause(load_cases(POLICY_DIR / "cases"))["jybf_2025_5/(六)"]
    ]
    assert expected[0] == ["2025-11-06"]
    page, errors = _open(
        browser, DESKTOP, f"{base_url}/{quote(MEASURES)}/{quote('jybf-2025-5-六')}.html"
    )
    assert errors == []
    page.evaluate(OPEN_ALL)
    shown = page.eval_on_selector_all(
        "div.policyrules-case",
        "cases => cases.map(c => Array.from(c.querySelectorAll("
        "'div.policyrules-strip td.policyrules-day-due'), td => td.dataset.date).sort())",
    )
    assert shown == expected
    # The National Day case: 10-01 a holiday, 09-28 a 调休 working day counted 6th.
    first = page.locator("div.policyrules-case").first
    assert "policyrules-day-holiday" in first.locator("td[data-date='2025-10-01']").get_attribute(
        "class"
    )
    assert first.locator("td[data-date='2025-09-28']").inner_text().replace("\n", "") == "286"
    _settle(page, "div.policyrules-strip")
    page.screenshot(path=str(shots / "measure-deadline-strip-desktop.png"))
    page.close()


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_overview_links_every_measure(
    browser: Any,
    base_url: str,
    measure_anchors: set[str],
    name: str,
    viewport: dict[str, int],
    shots: Path,
) -> None:
    page, errors = _open(browser, viewport, f"{base_url}/clauses/index.html")
    assert errors == []
    hrefs = page.eval_on_selector_all(
        "table.policyrules-overview tbody tr td:first-child a", "links => links.map(a => a.href)"
    )
    assert len(hrefs) == 47  # 15 measures of 京经信发〔2025〕50号 and 32 of 京医保发〔2025〕5号
    assert {unquote(urlsplit(h).fragment) for h in hrefs} == measure_anchors
    # Each links to the measure's own page.
    assert all(
        unquote(urlsplit(h).path).endswith(f"/{MEASURES}/{unquote(urlsplit(h).fragment)}.html")
        for h in hrefs
    )
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    # 编号 (京医保发〔2025〕5号（六）) never wraps: each link is one line box.
    lines = page.eval_on_selector_all(
        "table.policyrules-overview tbody tr td:first-child a",
        "links => links.map(a => [a.innerText, a.getClientRects().length])",
    )
    assert [text for text, n in lines if n != 1] == []
    assert ["京医保发〔2025〕5号（六）", 1] in lines
    # ... and the table still fits its column (no sideways scrolling inside it).
    assert page.evaluate(
        "(t => t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right"
        " + 1)(document.querySelector('table.policyrules-overview'))"
    )
    _settle(page, "table.policyrules-overview")
    page.screenshot(path=str(shots / f"overview-{name}.png"))
    page.close()
