"""Consistency audit: where a disclosure contradicts itself.

Pure checks over one document's facts, each finding citing the cells
involved: the same row printed with different values in two tables, totals
that do not add up (收入总计 = 支出总计, 基本支出 + 项目支出 = 合计,
人员经费 + 公用经费 = 基本支出), and narrative figures no table agrees with.
Only like is compared with like: two cells are the same figure when they share
the row, the fund scope (合计 of all funds is not 财政拨款 alone), the measure
(this year's budget is not last year's) and the part of spending, as the
national template names them (ingest/template.py); each finding says what it
found in Chinese and in English.
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
    message: str  # in English
    facts: tuple[Fact, ...]
    message_zh: str = ""

    def says(self, lang: str = "en") -> str:
        """The finding in the reader's language."""
        return self.message_zh if lang == "zh" and self.message_zh else self.message


def same_figure(f: Fact) -> tuple:
    """What makes two table cells the same figure: row, side, code and, as the template names them, flow, fund
    scope, measure, part and unit of the department. A store read before the template falls back to the
    column's last header word."""
    what = (flow(f), f.fund, f.basis, f.part, f.entity) if f.table_type else (f.column.split(" / ")[-1],)
    return (f.label, f.side, f.code, *what)


def flow(f: Fact) -> str:
    """Income or spending: a 收入总表 row 一般公共服务支出 is the income that category receives, not its spending."""
    if f.side:
        return f.side
    for word in ("收入", "支出"):
        if word in f.column:
            return word
    return "收入" if f.table_type == "income" else "支出"


def _in(value: Decimal, unit: str, target: str) -> Decimal:
    return (convert(value, unit, target)
            if unit != target and unit in MONEY_FACTORS and target in MONEY_FACTORS else value)


def _close(a: Decimal, b: Decimal, unit: str) -> bool:
    # a table in 元 against one in 万元 agrees to the 万元 table's printed precision
    return abs(a - b) <= (TOLERANCE * (MONEY_FACTORS[unit] if unit in MONEY_FACTORS else 1) if unit == "元"
                          else TOLERANCE)


def tables_disagree(facts: list[Fact]) -> list[Finding]:
    """The same figure (same row, fund scope, measure and part) printed in two tables with slightly different
    values.

    Only gaps under 1% are reported: those are printing or rounding slips (326.71 vs 326.72); a larger gap
    between cells the template cannot tell apart is a difference of coverage, not a slip.
    """
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.table_id and f.value is not None and f.label and f.unit in MONEY_FACTORS:
            groups[same_figure(f)].append(f)
    out = []
    for group in groups.values():
        by_table: dict[str, Fact] = {}
        for f in group:
            by_table.setdefault(f.table_id, f)
        cells = list(by_table.values())
        base = cells[0]
        for other in cells[1:]:
            if base.label in ("合计", "总计", "小计"):
                continue
            other_value = _in(other.value, other.unit, base.unit)
            gap = abs(other_value - base.value)
            if not _close(other_value, base.value, base.unit) and gap <= abs(base.value) / 100:
                column = base.column.split(" / ")[-1]
                out.append(Finding(
                    "tables_disagree",
                    f"{base.label} / {column}: table {base.table_id} prints {base.value} {base.unit}, "
                    f"table {other.table_id} prints {other.value} {other.unit}", (base, other),
                    f"{base.label} / {column}：表{base.table_id}为 {base.value} {base.unit}，"
                    f"表{other.table_id}为 {other.value} {other.unit}"))
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
                                   (f, g), f"表{table} {column}：收入总计 {f.value} ≠ 支出总计 {g.value}"))
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
                               f"{project.value} ≠ {total.column} {total.value}", (basic, project, total),
                               f"表{total.table_id} {total.row_label}：基本支出 {basic.value} + 项目支出 "
                               f"{project.value} ≠ {total.column} {total.value}"))
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
        cells = [c for c in table_values.get(f.label, ()) if not f.basis or not c.basis or c.basis == f.basis]
        if not cells or f.ref_year != f.year:  # "年初预算为 X" in a 决算 is not its 决算 cells' figure
            continue
        if not any(_close(_in(c.value, c.unit, f.unit), f.value, f.unit) for c in cells):
            shown = ", ".join(f"table {c.table_id} {c.column}: {c.value} {c.unit}" for c in cells[:3])
            shown_zh = "，".join(f"表{c.table_id} {c.column}：{c.value} {c.unit}" for c in cells[:3])
            out.append(Finding("narrative_disagrees",
                               f"{f.label}: the narrative says {f.value} {f.unit}; {shown}", (f, *cells[:3]),
                               f"{f.label}：说明中为 {f.value} {f.unit}；{shown_zh}"))
    return out


CHECKS = (tables_disagree, totals_unbalanced, columns_do_not_add_up, narrative_disagrees)


def audit(facts: list[Fact]) -> list[Finding]:
    """Every contradiction the checks find in one document's facts."""
    return [finding for check in CHECKS for finding in check(facts)]
