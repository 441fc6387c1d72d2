"""The typed records every stage shares: one Document, one Fact, one Passage type.

Readers produce a ParsedDocument; the ledger stores it; retrieval and the
calculator read Facts back. Nothing else carries figures around.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Document:
    """One ingested disclosure file and who/what/when it is about."""

    id: str  # content hash prefix: stable for identical bytes
    source_key: str  # file name, for people; a changed file at the same path replaces the old one
    path: str  # absolute path: with the name, the document's identity (same name elsewhere = another one)
    sha256: str
    title: str
    department: str
    region: str
    year: int | None
    kind: str  # 部门预算 | 单位预算 | 部门决算 | 单位决算
    level: str  # department | unit
    date: str = ""
    default_unit: str = ""
    default_unit_note: str = ""
    pages: int | None = None
    lines: int | None = None
    parent: str = ""  # a unit budget's parent department (上海市海洋监测预报中心 → 上海市水务局), as the document says

    @property
    def label(self) -> str:
        year = f"{self.year}年" if self.year else ""
        return f"{self.department} {year}{self.kind}".strip()


@dataclass(frozen=True)
class TableRecord:
    """A table as the document lists or prints it, even when it holds no figure."""

    document_id: str
    table_id: str  # "01" … as numbered in the document
    title: str
    unit: str
    unit_source: str  # "caption" | "default: …" (stated, never silent)
    status: str  # present | empty | absent
    page: int | None = None
    line: int | None = None
    n_facts: int = 0
    note: str = ""  # e.g. the sentence saying the table is empty by design
    type: str = ""  # its standard type in the national template (ingest/template.toml): summary, income, …
    fund: str = ""  # the fund scope its title gives it: 合计 (all funds) | 财政拨款 | 一般公共预算 | …


@dataclass(frozen=True)
class Fact:
    """One disclosed figure (a table cell or a narrative figure) with its citation.

    ``value`` is None for a blank cell: blank is not zero.
    """

    id: str
    document_id: str
    department: str
    year: int | None
    doc_kind: str
    table_id: str | None  # None for narrative figures
    table_title: str
    side: str  # 收入 | 支出 | "" (side-by-side tables read as two row sets)
    row_label: str  # as printed
    label: str  # normalised: ordinal prefixes and spaces stripped
    code: str | None  # 功能分类 code, 类/款/项 joined ("2210201")
    column: str  # column label path joined with " / "
    value: Decimal | None
    unit: str
    is_total: bool = False
    from_narrative: bool = False
    page: int | None = None
    line: int | None = None
    source_text: str = ""
    measure: str = ""  # narrative: amount | prior | share | change | change_pct | count | area | none
    ref_year: int | None = None  # the year the figure refers to
    compared_with: str = ""  # for changes: what the figure is compared with
    row_index: int | None = None
    col_index: int | None = None
    # what a table figure is in the national template (ingest/template.py): its table's standard type, its
    # fund scope (合计 = all funds | 财政拨款 | 一般公共预算 | 政府性基金 | …), what it measures (本年预算 | 上年预算 |
    # 决算 | 年初预算 | 调整预算 | 增减 …) and the part of spending it is (基本 | 项目 | 人员 | 公用 | "")
    table_type: str = ""
    fund: str = ""
    basis: str = ""
    part: str = ""
    entity: str = ""  # in a by-unit table (预算单位 column): the row's unit; "" = the whole department
    part_of: str = ""  # narrative: the item this figure is a part of ("其中：政府采购服务…" of 政府采购)
    reason: str = ""  # narrative: why a change is what it is ("主要原因是…"), on prior/change/change_pct
    purpose: str = ""  # narrative: what an amount pays for ("主要用于…")


@dataclass(frozen=True)
class Passage:
    """A narrative chunk with its section path, for retrieval and extractive answers."""

    id: str
    document_id: str
    section: str  # "第三部分 情况说明 > 三、2026 年支出预算情况"
    text: str
    page: int | None = None
    line: int | None = None


@dataclass
class ParsedDocument:
    """What a reader returns: everything one file discloses, not yet stored."""

    document: Document
    tables: list[TableRecord] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    report: dict = field(default_factory=dict)  # reading report: tables listed vs found, figure coverage


class IngestError(Exception):
    """A file that cannot be ingested; the message is shown to the user as one line."""


class AllRefused(IngestError):
    """Every file of a batch was refused: one (file name, reason) per file, so each is shown on its own
    line (500 reasons joined into one line were cut at 4,000 characters)."""

    def __init__(self, refused: list[tuple[str, str]]):
        self.refused = list(refused)
        super().__init__("; ".join(reason for _, reason in self.refused))


def fact_record(f: Fact) -> dict:
    """A fact as one flat row: the columns of `budgetqa facts --csv`, the web CSV and audit JSON."""
    return {
        "document": f.document_id, "department": f.department, "year": f.year, "kind": f.doc_kind,
        "table": f.table_id or "narrative", "table_title": f.table_title, "side": f.side, "row": f.row_label,
        "label": f.label, "code": f.code or "", "column": f.column,
        "value": "" if f.value is None else str(f.value), "unit": f.unit, "measure": f.measure,
        "ref_year": f.ref_year or "", "compared_with": f.compared_with, "total": int(f.is_total),
        "page": f.page or "", "line": f.line or "", "source": f.source_text, "id": f.id,
        "table_type": f.table_type, "fund": f.fund, "basis": f.basis, "part": f.part,
        "entity": f.entity, "part_of": f.part_of, "reason": f.reason, "purpose": f.purpose,
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(row: dict) -> dict:
    """A CSV row a spreadsheet will not execute: text starting = + - @ (or tab/CR) gets a leading '.

    A plain number ("-32.12") is left alone so the column stays numeric.
    """
    out = {}
    for k, v in row.items():
        if isinstance(v, str) and v.startswith(_FORMULA_START):
            try:
                float(v)
            except ValueError:
                v = "'" + v
        out[k] = v
    return out
