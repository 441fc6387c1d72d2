"""The consistency audit finds real contradictions in a sample and none in the seed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ingest.audit import audit, columns_do_not_add_up, totals_unbalanced
from ingest.readers import read_file

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "antu-social-insurance-2026-department-budget.txt"


def test_the_seed_is_consistent():
    assert audit(read_file(SEED).facts) == []


def test_an_edited_total_is_found(tmp_path):
    edited = tmp_path / "edited.txt"
    edited.write_text(SEED.read_text(encoding="utf-8").replace(
        "收入总计\t1131.55\t1131.55\t0.00\t支出总计\t1131.55",
        "收入总计\t1131.55\t1131.55\t0.00\t支出总计\t1131.56", 1),  # table 01 only
        encoding="utf-8")
    findings = totals_unbalanced(read_file(edited).facts)
    assert len(findings) == 1 and "1131.56" in findings[0].message and findings[0].facts[0].table_id == "01"


def test_the_unit_budget_printing_slips_are_found(samples):
    facts = read_file(samples["unit"]).facts
    findings = columns_do_not_add_up(facts)
    rows = {(f.facts[0].table_id, f.facts[0].row_label) for f in findings}
    # page 11 prints 行政运行 with 项目支出 64,840,547.00; page 12's 合计 row prints 基本支出 22,118,861 (0.34 short)
    assert ("03", "行政运行") in rows and ("03", "合计") in rows
    total = next(f for f in findings if f.facts[0].row_label == "合计" and f.facts[0].table_id == "03")
    assert total.facts[0].value == Decimal("22118861") and total.facts[2].value == Decimal("86959408.34")
    # the department budget's narrative says 住房公积金 "208.8万元" and then "2026年预算安排201.50万元": the second
    # disagrees with table 02 (2,087,959.00 元), and is the one finding
    [finding] = audit(read_file(samples["dept"]).facts)
    assert (finding.kind, finding.facts[0].label, finding.facts[0].value) == (
        "narrative_disagrees", "住房公积金", Decimal("201.50"))


def test_audit_view_escapes_document_text():
    from dataclasses import replace

    from app.web.findings import audit_html
    from ingest.audit import Finding

    doc = read_file(SEED)
    cell = replace(doc.facts[0], row_label="<script>alert(1)</script>")
    html = audit_html([Finding("tables_disagree", "<img src=x onerror=alert(2)>", (cell,))], doc.document)
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
