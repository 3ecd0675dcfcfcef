"""A clause reference built for a policy of its own, in a site that is not this project's:
no glossary, its own conf.py (the lines of docs/tutorial.md §10), ``sphinx-build -n -W``.
The measures' glossary words stay text where the site defines none; the pages head a measure
labelled 一 as 第一条, show a tier table, a time limit's subject and caps in words."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from tests.zh_site_policy import write_policy

pytest.importorskip("sphinx")

CONF = """\
project = "biomed"
extensions = ["myst_parser", "policyrules.sphinxext"]
language = "zh_CN"
policyrules_measure_pages = {"clauses/measure": "../shiqu"}
"""

INDEX = """\
# 示例区

```{toctree}
clauses/doc
```
"""

DOC = """\
# 示区科发〔2026〕3号

```{policyrules:document} ../../shiqu sqkf_2026_3
```
"""


def _text(page: Path) -> str:
    html = page.read_text("utf-8")
    return unescape(re.sub(r"<[^>]+>", "", html[html.index("<h1") :]))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("new-site")
    write_policy(root / "shiqu")
    src = root / "site"
    (src / "clauses").mkdir(parents=True)
    (src / "conf.py").write_text(CONF, "utf-8")
    (src / "index.md").write_text(INDEX, "utf-8")
    (src / "clauses" / "doc.md").write_text(DOC, "utf-8")
    out = root / "html"
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-n", "-W", "--keep-going", "-b", "html", src, out],
        capture_output=True,
        text=True,
        timeout=50,
    )
    assert build.returncode == 0, build.stderr
    return out / "clauses" / "measure"


def test_glossary_words_are_text_where_the_site_has_no_glossary(site: Path) -> None:
    one = site / "sqkf-2026-3-一.html"
    html = one.read_text("utf-8")
    assert "术语：一次性、年度、奖励。" in _text(one)
    assert 'class="xref std std-term"' not in html


def test_the_pages_speak_plain_chinese(site: Path) -> None:
    one, two, three = (_text(site / f"sqkf-2026-3-{n}.html") for n in "一二三")
    assert one.startswith("第一条 支持创新药上市")
    caps = (
        "单个企业每个年度（按取得药品注册证书日期所在年度计）不超过 1000 万元；每个药品品种只给一次"
    )
    assert f"上限：{caps}" in one
    assert "cap 1000 万元 per firm" not in one.split(".rule 规则文本")[0]
    assert "档次表《营业收入首次突破规模奖励档次》：\n档次\n金额\n达到 1 亿元\n50 万元" in re.sub(
        r"\n\s*\n*", "\n", two
    )
    assert "适用于：\n企业的申报材料" in re.sub(r"\n\s*\n*", "\n", three)
    assert "谁可申请" not in three


def test_this_sites_glossary_defines_every_word_a_measure_links() -> None:
    """This project's own site links each of them: a word its glossary lost would now be
    text without a warning, so the glossary is held to the list here."""
    from policyrules.sphinxext_pages import GLOSSARY_TERMS

    glossary = (Path(__file__).resolve().parents[2] / "docs" / "glossary.md").read_text("utf-8")
    terms = set(re.findall(r"^(\S[^\n]*)$", glossary.split("```{glossary}", 1)[1], re.M))
    assert set(GLOSSARY_TERMS) <= terms
