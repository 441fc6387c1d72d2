"""The Answer type every front end shows: status, text, figure, formula, citations."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest.model import Document, Fact


@dataclass(frozen=True)
class Citation:
    document: str  # document title
    document_id: str
    department: str
    year: int | None
    table: str  # "01" or "narrative"
    table_title: str
    row: str
    column: str
    value: str  # the cell as disclosed, "" for blank
    unit: str
    page: int | None
    line: int | None
    text: str  # quoted source line

    @classmethod
    def of(cls, fact: Fact, doc: Document | None) -> Citation:
        return cls(
            document=doc.title if doc else fact.document_id,
            document_id=fact.document_id,
            department=fact.department,
            year=fact.year,
            table=fact.table_id or "narrative",
            table_title=fact.table_title,
            row=fact.row_label,
            column=fact.column,
            value="" if fact.value is None else str(fact.value),
            unit=fact.unit,
            page=fact.page,
            line=fact.line,
            text=fact.source_text,
        )

    def to_dict(self) -> dict:
        return {
            "document": self.document, "document_id": self.document_id, "department": self.department,
            "year": self.year, "table": self.table, "table_title": self.table_title, "row": self.row,
            "column": self.column, "value": self.value, "unit": self.unit, "page": self.page,
            "line": self.line, "text": self.text,
        }

    def locator(self) -> str:
        where = f"第{self.page}页" if self.page else (f"line {self.line}" if self.line else "")
        table = f"表{self.table} {self.table_title}" if self.table != "narrative" else "说明"
        cell = f"{self.row} / {self.column}" if self.table != "narrative" else ""
        return " · ".join(x for x in (self.document, table, cell, where) if x)


@dataclass
class Answer:
    question: str
    status: str  # answered | not_found | ambiguous
    answer: str  # in the question's language
    lang: str = "zh"
    value: Decimal | None = None
    unit: str = ""
    formula: str | None = None
    citations: list[Citation] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)  # documents or items to choose from
    latency_ms: float = 0.0
    debug: dict = field(default_factory=dict)
    read_as: str = ""  # a follow-up, as the standalone question it was answered as
    # how the question was read: department, year, document, item, operation, used_history, scope
    reading: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        value: float | int | None = None
        if self.value is not None:
            value = int(self.value) if self.value == self.value.to_integral_value() else float(self.value)
        return {
            "question": self.question,
            "status": self.status,
            "answer": self.answer,
            "lang": self.lang,
            "value": value,
            "value_text": None if self.value is None else format(self.value, "f"),
            "unit": self.unit or None,
            "formula": self.formula,
            "citations": [c.to_dict() for c in self.citations],
            "candidates": self.candidates,
            "read_as": self.read_as or None,
            "reading": self.reading or None,
            "latency_ms": round(self.latency_ms, 1),
        }

    def render_text(self) -> str:
        lines = [("（理解为：" + self.read_as + "）") if self.lang == "zh" else f"(Read as: {self.read_as})"] \
            if self.read_as else []
        lines.append(self.answer)
        if self.formula:
            lines.append(("计算：" if self.lang == "zh" else "Formula: ") + self.formula)
        for c in self.citations:
            lines.append(("来源：" if self.lang == "zh" else "Source: ") + c.locator())
            if c.text:
                lines.append(f"  「{c.text}」")
        return "\n".join(lines)
