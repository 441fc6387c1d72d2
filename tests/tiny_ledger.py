"""A tiny store for stage-level tests: three disclosures with a handful of hand-written facts each.

安图县社会保险事业管理局 2026 and 2025 (部门预算) and 安图县教育局 2026, in a real Ledger (SQLite, FTS) in a
temporary folder, read through a real FactView with no dense index. Every figure a test expects is written
here, so a test can name where it comes from.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from app.pipeline.factview import FactView
from app.pipeline.retrieve import Retriever
from app.pipeline.scope import ScopeResolver
from ingest.glossary import Glossary
from ingest.ledger import Ledger
from ingest.model import Document, Fact, ParsedDocument, Passage, TableRecord

SOCIAL = "安图县社会保险事业管理局"
EDUCATION = "安图县教育局"
SUMMARY = "收支预算总表"
GENERAL = "一般公共预算支出预算表"
BY_UNIT = "部门预算单位收支表"

_ids = itertools.count(1)


def _doc(doc_id: str, department: str, year: int) -> Document:
    return Document(id=doc_id, source_key=f"{doc_id}.txt", path=f"/tiny/{doc_id}.txt", sha256=doc_id * 4,
                    title=f"{department} {year}年部门预算", department=department, region="安图县", year=year,
                    kind="部门预算", level="department", default_unit="万元")


def _cell(doc: Document, table_id: str, title: str, label: str, column: str, value: str | None,
          unit: str = "万元", **kw) -> Fact:
    n = next(_ids)
    return Fact(id=f"{doc.id}-{n}", document_id=doc.id, department=doc.department, year=doc.year,
                doc_kind=doc.kind, table_id=table_id, table_title=title, side=kw.pop("side", "支出"),
                row_label=label, label=label, code=kw.pop("code", None), column=column,
                value=None if value is None else Decimal(value), unit=unit, line=n,
                row_index=kw.pop("row", n), source_text=f"{label} {value}",
                measure=kw.pop("measure", "amount"), ref_year=doc.year, **kw)


def _said(doc: Document, label: str, value: str | None, unit: str, measure: str, text: str, **kw) -> Fact:
    n = next(_ids)
    return Fact(id=f"{doc.id}-{n}", document_id=doc.id, department=doc.department, year=doc.year,
                doc_kind=doc.kind, table_id=None, table_title="", side="", row_label=label, label=label,
                code=None, column="第三部分 情况说明", value=None if value is None else Decimal(value), unit=unit,
                from_narrative=True, line=n, source_text=text, measure=measure, ref_year=doc.year, **kw)


def _tables(doc: Document, *titles: tuple[str, str]) -> list[TableRecord]:
    return [TableRecord(doc.id, tid, title, "万元", "caption", "present") for tid, title in titles]


def social_2026() -> ParsedDocument:
    doc = _doc("s26", SOCIAL, 2026)
    change = "2026年支出总计150.00万元，比2025年预算增加10.00万元，主要原因是新增社保经办系统运维。"
    facts = [
        _cell(doc, "01", SUMMARY, "社会保障和就业支出", "本年预算", "100.00", code="208"),
        _cell(doc, "01", SUMMARY, "卫生健康支出", "本年预算", "30.00", code="210"),
        _cell(doc, "01", SUMMARY, "住房保障支出", "本年预算", "20.00", code="221"),
        _cell(doc, "01", SUMMARY, "支出总计", "本年预算", "150.00", is_total=True),
        *(_cell(doc, "02", GENERAL, "合计", column, value, is_total=True, row=1)
          for column, value in (("合计", "150.00"), ("基本支出", "90.00"), ("项目支出", "60.00"))),
        _cell(doc, "03", BY_UNIT, "安图县社会保险事业管理局（本级）", "合计", "110.00"),
        _cell(doc, "03", BY_UNIT, "安图县社会保险服务中心", "合计", "40.00"),
        _said(doc, "人员编制", "25", "人", "count", "核定人员编制 25 人。"),
        _said(doc, "支出总计", "150.00", "万元", "amount", change),
        _said(doc, "支出总计", "10.00", "万元", "change", change, compared_with="2025年预算",
              reason="新增社保经办系统运维"),
        _said(doc, "政府性基金预算拨款", None, "", "none", "本部门无政府性基金预算拨款。"),
    ]
    passages = [
        Passage("s26-p1", doc.id, "第一部分 部门概况 > 一、主要职责", "负责全县社会保险经办和待遇发放工作。"),
        Passage("s26-p2", doc.id, "第三部分 情况说明 > 名词解释",
                "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。"),
    ]
    tables = _tables(doc, ("01", SUMMARY), ("02", GENERAL), ("03", BY_UNIT))
    return ParsedDocument(doc, tables, facts, passages)


def social_2025() -> ParsedDocument:
    doc = _doc("s25", SOCIAL, 2025)
    facts = [
        _cell(doc, "01", SUMMARY, "社会保障和就业支出", "本年预算", "90.00", code="208"),
        _cell(doc, "01", SUMMARY, "卫生健康支出", "本年预算", "30.00", code="210"),
        _cell(doc, "01", SUMMARY, "支出总计", "本年预算", "140.00", is_total=True),
    ]
    return ParsedDocument(doc, _tables(doc, ("01", SUMMARY)), facts)


def education_2026() -> ParsedDocument:
    doc = _doc("e26", EDUCATION, 2026)
    facts = [
        _cell(doc, "01", SUMMARY, "教育支出", "本年预算", "400.00", code="205"),
        _cell(doc, "01", SUMMARY, "社会保障和就业支出", "本年预算", "50.00", code="208"),
        _cell(doc, "01", SUMMARY, "支出总计", "本年预算", "450.00", is_total=True),
    ]
    return ParsedDocument(doc, _tables(doc, ("01", SUMMARY)), facts)


def build(store: Path) -> Ledger:
    """The three disclosures stored in a new ledger at ``store``."""
    ledger = Ledger(store)
    ledger.put([social_2026(), social_2025(), education_2026()])
    return ledger


def view_of(ledger: Ledger, glossary: Glossary) -> FactView:
    """The store as the question stages read it (no dense index: retrieval is the ledger's BM25)."""
    return FactView(ledger, glossary, Retriever(ledger, None), ledger.documents())


def resolver_of(view: FactView) -> ScopeResolver:
    return ScopeResolver(view.documents, view.glossary, view.catalog, labels_of=view.table_labels,
                         tabled_labels=view.ledger.tabled_labels)


def education_elsewhere(place: str = "延吉市") -> ParsedDocument:
    """Another county's 教育局 (the same figures as 安图县教育局): one name two departments bear."""
    parsed = education_2026()
    dept = f"{place}教育局"
    doc = replace(parsed.document, id="y26", source_key="y26.txt", path="/tiny/y26.txt", sha256="y26" * 4,
                  title=f"{dept} 2026年部门预算", department=dept, region=place)
    facts = [replace(f, id=f"y26-{i}", document_id=doc.id, department=dept)
             for i, f in enumerate(parsed.facts)]
    return ParsedDocument(doc, _tables(doc, ("01", SUMMARY)), facts)
