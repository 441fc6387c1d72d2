"""The staff desk in words: an ingest named by department, year, kind and tables; audit rules in words."""

from __future__ import annotations

import re

import pytest
from conftest import SEED

from app.web.findings import audit_html
from app.web.staff import group_digits, recognised, rule_name
from app.web.staff_desk import run_ingest


def test_upload_result_says_what_was_recognised(tmp_path, monkeypatch):
    from app.engine import Engine
    from app.lang.departments import Catalog

    monkeypatch.setenv("BUDGETQA_EMBED_AHEAD_MIN", "1")  # the seed's 162 texts are embedded in the child
    engine = Engine.open(tmp_path / "store")
    english = lambda dept: Catalog(engine.documents()).english_name(dept)  # noqa: E731
    seen: dict = {}

    def describe(report):  # type: ignore[no-untyped-def]
        seen["zh"] = recognised(report, engine.documents(), engine.tables_of, english, "zh")
        seen["en"] = recognised(report, engine.documents(), engine.tables_of, english, "en")
        return seen["zh"]

    *_, (log, status, done) = list(run_ingest(engine, [SEED], describe))
    assert done and status.startswith("1 documents (1 new)")
    n = sum(1 for t in engine.tables_of(engine.documents()[0].id) if t.n_facts)
    assert n >= 3
    line = f"{SEED.name}：新增 — 安图县社会保险事业管理局，2026年，部门预算，{n} 张有数字的表"
    assert seen["zh"][0] == line and status.endswith(line)
    assert seen["en"][0] == (
        f"{SEED.name}: added — Antu Social Insurance Administration (安图县社会保险事业管理局), "
        f"2026, department budget, {n} tables with figures"
    )
    assert not re.search(r"\b[0-9a-f]{16}\b", log + status)  # no content hash shown
    # the upload's child embedded the new texts: the server's own sync found every vector cached
    assert engine.index is not None and engine.index.embedder.computed == 0
    assert engine.index.facts.count() > 0 and "embedding" in log


def test_numbers_in_sentences_are_grouped():
    assert (
        group_digits("合计 14348853.34 与 14348853 不符（2026年，编码 2080501）")
        == "合计 14,348,853.34 与 14,348,853 不符（2026年，编码 2080501）"
    )
    assert group_digits("page 11, 0.34 short") == "page 11, 0.34 short"


@pytest.mark.samples
def test_audit_names_rules_in_the_page_language(samples):
    from ingest.audit import audit
    from ingest.readers import read_file

    doc = read_file(samples["unit"])
    findings = audit(doc.facts)
    assert findings
    zh, en = audit_html(findings, doc.document, "zh"), audit_html(findings, doc.document, "en")
    for f in findings:
        assert f"<b>{rule_name(f.kind, 'zh')}</b>" in zh and f"<b>{rule_name(f.kind, 'en')}</b>" in en
        assert f.kind not in zh and f.kind not in en  # no machine rule ids
    assert "Audit:" in en and "处自相矛盾" in zh
    assert not re.search(r"(?<![\d.,])\d{5,}", re.sub(r"<[^>]+>", " ", zh).replace("2026", ""))
