"""Sphinx configuration: the policyrules documentation and clause reference."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

project = "policyrules"
author = "policyrules authors"
copyright = "2025，policyrules 作者"
release = version = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "policyrules.sphinxext",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
# attrs_inline: [（`statutory_projection`）]{.policyrules-dev} marks a code name the search
# page's summaries leave out (docs/search-scorer.js).
myst_enable_extensions = ["colon_fence", "deflist", "attrs_inline"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "policyrules"
html_static_path = ["_static"]
html_css_files = ["policyrules.css"]
# Chinese search: the zh splitter segments words with jieba (in the docs extra), so a reader
# searching 一次性 or 年度 finds the measures that say so.  tests/docs/test_browser.py queries
# the built site in headless Chromium.
html_search_language = "zh"
# Policy words jieba's dictionary does not know (就高, 免申即享 ...), so each is one search term
# rather than single characters (jieba's user-dictionary format: word, frequency, part of speech).
html_search_options = {"dict": str(Path(__file__).resolve().parent / "search-words.txt")}
# The reader's pages (home, glossary, clause reference) rank before the English developer pages
# for any word (docs/search-scorer.js); tests/docs/test_browser.py checks the order.
html_search_scorer = str(Path(__file__).resolve().parent / "search-scorer.js")
# The site's own words (search box, 上一页/下一页, the search page) in Chinese for its readers;
# the guides and the API reference stay in English.
language = "zh_CN"
# Furo's own words (上一页/下一页, 本页内容, the footer) from docs/locale/zh_CN/LC_MESSAGES/sphinx.po.
locale_dirs = ["locale/"]

# One page per measure (issue 12 §3): policyrules.sphinxext writes docs/clauses/measure/<anchor>.md
# for each measure of the policy when the build starts (not kept in git).
policyrules_measure_pages = {"clauses/measure": "../policies/beijing_2025"}

pygments_style = "friendly"
highlight_language = "none"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True}

# No intersphinx (the build runs offline): types from the standard library and attrs are not
# linked, and say so here rather than in a warning.
nitpick_ignore_regex = [
    (r"py:(class|obj|data|exc)", r"(datetime|dt|decimal|pathlib|collections|typing|os|enum|_io|sqlite3)\..*"),
    (r"py:(class|obj|data|exc)", r"(Decimal|Path|Any|Mapping|Iterable|Sequence|Callable|Value|Facts|Ledger|Grant|Span|Diagnostic|CompiledPolicy|CheckedPolicy|CapEvent|Step|Rounding|Type|ClauseInfo|ProvisionInfo|Decision|Result|Money|Policy|T|optional)"),
    (r"py:(class|obj|data|exc)", r"(attrs|attr)\..*"),
    (r"py:(func|class|obj)", r"(str|int|bool|float|bytes|list|dict|tuple|set|object|None)"),
    (r"py:(class|obj|data|exc)", r"policyrules\..*"),
    (r"py:(class|obj|data|exc)", r"(TableError|BatchResult|BatchSummary|Earlier|AfterToday|TopUps|Progress|Readings|Basis|BatchCompileError|duckdb\..*)"),
    (r"py:(class|obj|data|exc)", r"(SparkBatchResult|SparkBatchError|SparkSession|DataFrame|Literal|pyspark\..*)"),
]

# Doctests run from the repository root, as the README's commands do.
# Module docstrings shown by autodoc are doctested too, with their modules' names in scope.
doctest_global_setup = f"""
import os
os.chdir({str(ROOT)!r})
from decimal import Decimal
import policyrules
from policyrules import *
from policyrules.runtime.money import Money, Rounding
"""


def _chinese_search() -> type[Any]:
    """Sphinx 9.0's ``zh`` search with a JavaScript stemmer the page can find.

    Sphinx 9.0 ends ``language_data.js`` with ``window.Stemmer = ChineseStemmer;`` (the class
    named after ``language_name``), but ``zh`` reuses ``english-stemmer.js``, which defines
    ``EnglishStemmer``: the script stops at a ReferenceError and the search page stays on
    "Searching" (sphinx-doc/sphinx#14229, fixed by #14416 for 9.1.1).  This subclass embeds the
    same two stemmer scripts with the right name, through ``js_stemmer_code`` (the attribute
    Sphinx inlines when ``js_stemmer_rawcode`` is empty); splitting (jieba) and the Python-side
    stemming are SearchChinese's own, so index and query stem alike.
    """
    import sphinx.search
    from sphinx.search.zh import SearchChinese

    minified = Path(sphinx.search.__file__).with_name("minified-js")
    scripts = [
        (minified / name).read_text(encoding="utf-8")
        for name in ("base-stemmer.js", "english-stemmer.js")
    ]

    class ChineseSearch(SearchChinese):
        js_stemmer_rawcode = ""
        js_stemmer_code = "\n".join([*scripts, "window.Stemmer = EnglishStemmer;"])

    return ChineseSearch


def setup(app: Any) -> None:
    import sphinx

    # Sphinx 9.1.1 names the stemmer class after its script: its own zh search is right.
    if (9, 0) <= sphinx.version_info[:3] < (9, 1, 1):
        app.add_search_language(_chinese_search())
