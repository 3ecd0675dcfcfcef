"""The agencies of each measure of 京医保发〔2025〕5号 are the list the document prints at the
end of the measure, item for item and word for word (a native reader found two cut short:
（二十九）“市发展改革委等相关单位”, （三十）“北京经济技术开发区及相关区”)."""

from __future__ import annotations

import re
from pathlib import Path

import policyrules

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
SOURCE = POLICY / "sources" / "jingyibaofa-2025-5.txt"
# A measure's line: "(十九)…。(市医保局、市卫生健康委、…)": its label, its closing list.
_MEASURE = re.compile(r"\s*(\([一二三四五六七八九十]+\)).*\(([^()]*)\)\s*\Z")


def _printed() -> dict[str, list[str]]:
    out = {}
    for line in SOURCE.read_text("utf-8").splitlines():
        if (m := _MEASURE.match(line)) is not None:
            out[m[1]] = m[2].split("、")
    return out


def test_each_measure_lists_the_agencies_the_document_prints() -> None:
    printed = _printed()
    assert len(printed) >= 30  # the list closes nearly every one of the 32 measures
    clauses = {
        c.label: list(c.agencies)
        for c in policyrules.load(POLICY).checked.clauses
        if c.document == "jybf_2025_5"
    }
    assert {label: clauses.get(label) for label in printed} == printed
