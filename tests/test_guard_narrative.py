"""Issue 12.4: narrative extraction is linear in the text length (one huge paragraph cannot stall an
ingest)."""

from __future__ import annotations

import time

import pytest

from ingest.model import Document, Passage
from ingest.narrative import narrative_facts

DOC = Document(id="d", source_key="x.txt", path="x.txt", sha256="s", title="t", department="某局", region="",
               year=2026, kind="部门预算", level="department")
CLAUSE = "2025年基本支出631.55万元，占55.81%，比2024年预算增加3.2万元，"

PARAGRAPHS = {
    "figures": (CLAUSE * 4000)[:100_000],
    "whitespace": "基本支出" + " " * 99_990 + "5万元",
    "no punctuation": ("本年预算比2025年当年预算增加" + "支出" * 50 + "32.12万元") * 900,
    "digits": "1" * 100_000,
    "years": "比2025年" * 17_000,
}


@pytest.mark.parametrize("kind", list(PARAGRAPHS))
def test_one_100k_paragraph_is_read_in_seconds(kind: str) -> None:
    text = PARAGRAPHS[kind]
    assert len(text) >= 98_000
    start = time.perf_counter()
    facts = narrative_facts([Passage(id="p", document_id="d", section="s", text=text)], DOC)
    assert time.perf_counter() - start < 5
    if kind == "figures":
        assert len(facts) > 5000 and {f.ref_year for f in facts if f.measure == "amount"} == {2025}


def test_year_from_an_earlier_clause_is_kept_until_a_full_stop() -> None:
    text = "截至2025年底，本部门共有车辆3辆；单价50万元以上设备2台。另有设备4台。"
    facts = narrative_facts([Passage(id="p", document_id="d", section="s", text=text)], DOC)
    years = {(f.label, f.value): f.ref_year for f in facts}
    assert [y for (label, v), y in years.items() if str(v) == "2"] == [2025]
    assert [y for (label, v), y in years.items() if str(v) == "4"] == [2026]
