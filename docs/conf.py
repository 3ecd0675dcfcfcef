"""Sphinx configuration: the policyrules documentation and clause reference."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

project = "policyrules"
author = "policyrules authors"
copyright = "2025, policyrules authors"
release = version = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "policyrules.sphinxext",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "policyrules"
html_static_path = ["_static"]
html_css_files = ["policyrules.css"]
# Chinese search: the zh splitter segments words with jieba (in the docs extra), so a reader
# searching 一次性 or 年度 finds the measures that say so.
html_search_language = "zh"
language = "en"

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
    (r"py:(class|obj|data|exc)", r"(TableError|BatchResult|BatchSummary|Progress|BatchCompileError|duckdb\..*)"),
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
