"""The answer key: questions about generated disclosures with the figure each must get, and where it is."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from evals.gen.budget import Budget


@dataclass(frozen=True)
class Operand:
    """A disclosed figure the expected answer is made of, as the ledger should hold it."""

    document: str
    table: str  # "01", "07" or "narrative"
    label: str
    value: str


@dataclass(frozen=True)
class KeyItem:
    """One question: named (says department and year), unnamed (asked within its document) or cross."""

    id: str
    category: str
    question: str
    expected: str
    unit: str
    documents: list[str]
    scope: list[str]
    operation: str  # lookup | sum | max
    operands: list[Operand] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)


def _lookup(qid: str, category: str, question: str, doc: str, table: str, label: str, value: Decimal,
            unit: str = "万元", scoped: bool = False) -> KeyItem:
    return KeyItem(qid, category, question, str(value), unit, [doc], [doc] if scoped else [], "lookup",
                   [Operand(doc, table, label, str(value))])


def document_items(b: Budget, doc: str, rng: random.Random) -> list[KeyItem]:
    """Three named and three unnamed questions about one disclosure."""
    name, y = b.department.name, b.year
    cat = rng.choice(sorted(b.categories))
    other = rng.choice(sorted(b.categories))
    stem = doc.rsplit(".", 1)[0]
    return [
        _lookup(f"{stem}-named-1", "named", f"{name}{y}年{cat}是多少？", doc, "01", cat, b.categories[cat]),
        _lookup(f"{stem}-named-2", "named", f"{name}{y}年人员经费是多少万元？", doc, "narrative", "人员经费",
                b.personnel),
        _lookup(f"{stem}-named-3", "named", f"{name}{y}年公务接待费是多少？", doc, "07", "公务接待费", b.reception),
        _lookup(f"{stem}-unnamed-1", "unnamed", f"{other}是多少？", doc, "01", other, b.categories[other],
                scoped=True),
        _lookup(f"{stem}-unnamed-2", "unnamed", "基本支出是多少？", doc, "narrative", "基本支出", b.basic,
                scoped=True),
        _lookup(f"{stem}-unnamed-3", "unnamed", "核定人员编制多少人？", doc, "narrative", "人员编制",
                Decimal(b.staff), unit="人", scoped=True),
    ]


def cross_items(a: Budget, b: Budget, doc_a: str, doc_b: str, n: int) -> list[KeyItem]:
    """A sum and a which-is-larger question over two departments of the same year."""
    y = a.year
    h = [Operand(doc_a, "01", "住房保障支出", str(a.categories["住房保障支出"])),
         Operand(doc_b, "01", "住房保障支出", str(b.categories["住房保障支出"]))]
    w = [Operand(doc_a, "01", "卫生健康支出", str(a.categories["卫生健康支出"])),
         Operand(doc_b, "01", "卫生健康支出", str(b.categories["卫生健康支出"]))]
    names = f"{a.department.name}和{b.department.name}"
    total = a.categories["住房保障支出"] + b.categories["住房保障支出"]
    larger = max(a.categories["卫生健康支出"], b.categories["卫生健康支出"])
    return [
        KeyItem(f"cross-{n:04d}-sum", "cross", f"{names}{y}年住房保障支出合计是多少万元？", str(total), "万元",
                [doc_a, doc_b], [], "sum", h),
        KeyItem(f"cross-{n:04d}-max", "cross", f"{names}{y}年部门预算，哪个卫生健康支出更多？", str(larger), "万元",
                [doc_a, doc_b], [], "max", w),
    ]
