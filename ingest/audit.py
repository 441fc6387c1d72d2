"""Consistency audit: where a disclosure contradicts itself.

Pure checks over one document's facts, each finding citing the cells
involved: the same row and column printed with different values in two
tables, totals that do not add up (收入总计 = 支出总计, 基本支出 + 项目支出 = 合计,
人员经费 + 公用经费 = 基本支出), and narrative figures no table agrees with.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ingest.model import Fact
from ingest.units import MONEY_FACTORS, convert

TOLERANCE = Decimal("0.005")


@dataclass(frozen=True)
class Finding:
    kind: str  # tables_disagree | totals_unbalanced | columns_do_not_add_up | narrative_disagrees
    message: str
    facts: tuple[Fact, ...]


def _in(value: Decimal, unit: str, target: str) -> Decimal:
    return (convert(value, unit, target)
            if unit != target and unit in MONEY_FACTORS and target in MONEY_FACTORS else value)


def _close(a: Decimal, b: Decimal, unit: str) -> bool:
    # a table in 元 against one in 万元 agrees to the 万元 table's printed precision
    return abs(a - b) <= (TOLERANCE * (MONEY_FACTORS[unit] if unit in MONEY_FACTORS else 1) if unit == "元"
                          else TOLERANCE)


def tables_disagree(facts: list[Fact]) -> list[Finding]:
    """The same row label and column leaf in two tables of one document, with slightly different values.

    Tables differ in scope (all funds vs appropriations only), so only gaps under 1% are reported: those are
    printing or rounding slips (326.71 vs 326.72), not a different coverage.
    """
    groups: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.table_id and f.value is not None and f.label and f.unit in MONEY_FACTORS:
            groups[(f.label, f.column.split(" / ")[-1], f.side)].append(f)
    out = []
    for (label, column, _), group in groups.items():
        by_table: dict[str, Fact] = {}
        for f in group:
            by_table.setdefault(f.table_id, f)
        cells = list(by_table.values())
        base = cells[0]
        for other in cells[1:]:
            if label in ("合计", "总计", "小计") or base.code != other.code:
                continue
            other_value = _in(other.value, other.unit, base.unit)
            gap = abs(other_value - base.value)
            if not _close(other_value, base.value, base.unit) and gap <= abs(base.value) / 100:
                out.append(Finding("tables_disagree",
                                   f"{label} / {column}: table {base.table_id} prints {base.value} "
                                   f"{base.unit}, table {other.table_id} prints {other.value} {other.unit}",
                                   (base, other)))
    return out


def totals_unbalanced(facts: list[Fact]) -> list[Finding]:
    """收入总计 must equal 支出总计 in the same table and column."""
    out = []
    index = {(f.table_id, f.column, f.label): f for f in facts if f.table_id and f.value is not None}
    for (table, column, label), f in index.items():
        if label == "收入总计":
            g = index.get((table, column, "支出总计"))
            if g is not None and not _close(f.value, g.value, f.unit):
                out.append(Finding("totals_unbalanced",
                                   f"table {table} {column}: 收入总计 {f.value} ≠ 支出总计 {g.value}",
                                   (f, g)))
    return out


def columns_do_not_add_up(facts: list[Fact]) -> list[Finding]:
    """基本支出 + 项目支出 = 合计 along a row, where a table prints all three."""
    rows: dict[tuple, dict[str, Fact]] = defaultdict(dict)
    for f in facts:
        if f.table_id and f.row_index is not None and f.value is not None:
            rows[(f.table_id, f.row_index, f.side, f.page, f.row_label)][f.column.split(" / ")[-1]] = f
    out = []
    for cells in rows.values():
        total = cells.get("合计") or cells.get("小计")
        basic, project = cells.get("基本支出"), cells.get("项目支出")
        if total and basic and project and not _close(basic.value + project.value, total.value, total.unit):
            out.append(Finding("columns_do_not_add_up",
                               f"table {total.table_id} {total.row_label}: 基本支出 {basic.value} + 项目支出 "
                               f"{project.value} ≠ {total.column} {total.value}", (basic, project, total)))
    return out


def narrative_disagrees(facts: list[Fact]) -> list[Finding]:
    """A narrative amount for a label the tables print, matching none of the table's values."""
    table_values: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.table_id and f.value is not None and f.unit in MONEY_FACTORS:
            table_values[f.label].append(f)
    out = []
    for f in facts:
        if not (f.from_narrative and f.measure == "amount" and f.unit in MONEY_FACTORS
                and f.value is not None):
            continue
        cells = table_values.get(f.label)
        if not cells or f.ref_year != f.year:
            continue
        if not any(_close(_in(c.value, c.unit, f.unit), f.value, f.unit) for c in cells):
            shown = ", ".join(f"table {c.table_id} {c.column}: {c.value} {c.unit}" for c in cells[:3])
            out.append(Finding("narrative_disagrees",
                               f"{f.label}: the narrative says {f.value} {f.unit}; {shown}", (f, *cells[:3])))
    return out


CHECKS = (tables_disagree, totals_unbalanced, columns_do_not_add_up, narrative_disagrees)


def audit(facts: list[Fact]) -> list[Finding]:
    """Every contradiction the checks find in one document's facts."""
    return [finding for check in CHECKS for finding in check(facts)]
