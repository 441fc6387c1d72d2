"""One document's key figures: its totals and its spending by 功能分类 类, read from the 收支总表.

Why one module: the overview's cards and bars, the comparison across documents and the first-visit
examples all name the same cells, so a figure on one view can never disagree with another. Pure: facts in,
facts out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.web.format import fmt_amount
from app.web.text import TOTALS_EN
from app.web.units import convert
from ingest.glossary import Glossary
from ingest.model import Fact

TOTAL_LABELS = ("收入总计", "支出总计", "本年收入合计", "本年支出合计", "总计")


@dataclass(frozen=True)
class Overview:
    totals: list[Fact]
    categories: list[Fact]
    unit: str


def _is_category(fact: Fact, glossary: Glossary) -> bool:
    if fact.code and len(fact.code) == 3 and fact.code.isdigit():
        return True
    term = glossary.by_zh(fact.label) if fact.label.endswith("支出") else None
    return bool(term and term.kind == "function" and term.level == "类")


def _first_column(facts: list[Fact]) -> str | None:
    cols = {f.column for f in facts}
    if "本年预算" in cols:
        return "本年预算"
    ordered = sorted(facts, key=lambda f: (f.col_index if f.col_index is not None else 999, f.column))
    return ordered[0].column if ordered else None


def _category_pool(facts: list[Fact], glossary: Glossary) -> list[Fact]:
    """Table 01's spending categories, else the table that codes most 类."""
    cats = [f for f in facts if f.table_id == "01" and f.side != "收入" and _is_category(f, glossary)]
    if cats:
        return cats
    by_table: dict[str, list[Fact]] = {}
    for f in facts:
        if f.table_id and f.code and len(f.code) == 3 and f.code.isdigit():
            by_table.setdefault(f.table_id, []).append(f)
    return max(by_table.values(), key=len) if by_table else []


def categories_of(facts: list[Fact], glossary: Glossary) -> list[Fact]:
    """One disclosed, non-zero figure per category, all from the same (first amount) column."""
    cats = _category_pool(facts, glossary)
    column = _first_column(cats)
    seen: set[str] = set()
    out = []
    for f in cats:
        if f.column == column and f.value is not None and f.value != 0 and f.label not in seen:
            seen.add(f.label)
            out.append(f)
    return out


def totals_of(facts: list[Fact]) -> list[Fact]:
    """Table 01's totals (收入总计, 支出总计, …) in their first amount column; a repeated figure once."""
    pool = [f for f in facts if f.table_id == "01" and f.is_total and f.value is not None]
    totals = []
    for lab in TOTAL_LABELS:
        for side in ("收入", "支出", ""):
            same = [f for f in pool if f.label == lab and f.side == side]
            column = _first_column(same)  # 本年预算, else the first column (预算数 / 合计, 决算数 …)
            totals.extend(f for f in same if f.column == column)
    if not totals:
        anywhere = [f for f in facts if f.is_total and f.value is not None and f.table_id]
        totals = sorted(anywhere, key=lambda f: -f.value)[:4]
    seen: set[tuple[str, Decimal | None]] = set()
    unique = []
    for f in totals:  # 本年收入合计 equal to 收入总计 adds nothing
        if (f.side, f.value) not in seen:
            seen.add((f.side, f.value))
            unique.append(f)
    return unique[:4]


def overview(facts: list[Fact], glossary: Glossary) -> Overview:
    """Key totals and spending by 功能分类 类 for one document."""
    categories, totals = categories_of(facts, glossary), totals_of(facts)
    first = (categories or totals or [None])[0]
    return Overview(totals, categories, first.unit if first else "")


def total_name(fact: Fact, lang: str = "zh") -> str:
    """总计 printed on both sides of table 01 reads as 收入总计 / 支出总计; in English with the printed name."""
    name = f"{fact.side}总计" if fact.label == "总计" and fact.side else fact.label
    return f"{TOTALS_EN[name]} ({name})" if lang == "en" and name in TOTALS_EN else name


def in_unit(fact: Fact, target: str) -> str:
    """A figure in the view's unit; the disclosed figure when it is not money (人, %)."""
    converted = convert(fact.value, fact.unit, target)
    return fmt_amount(converted, target) if converted is not None else fmt_amount(fact.value, fact.unit)
