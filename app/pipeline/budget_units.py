"""The budget units a department lists: rows naming institutions (广州市民政局（本级）, 广州市老人院 …) in the
first table that lists (nearly) all of them, each with its figure in that table's total column."""

from __future__ import annotations

from app.lang.label_match import UNIT_NAME
from app.pipeline.context import Ctx
from app.pipeline.factview import FactView
from ingest.model import Fact


def unit_rows(view: FactView, ctx: Ctx) -> list[Fact]:
    """One figure per unit, from the table listing most units, in its total column (one disclosure only)."""
    if not ctx.docs or view.several(ctx.docs):
        return []
    doc = view.main_doc(ctx.docs)
    every = view.facts_of(doc.id)
    totals = {(f.table_id, f.column, f.value) for f in every if f.is_total}
    # the department's own name is a unit (the bureau itself) unless its row is the table's total
    facts = [f for f in every if f.table_id and f.value is not None and not f.is_total and f.unit
             and UNIT_NAME.search(f.label)
             and not (f.label == doc.department and (f.table_id, f.column, f.value) in totals)]
    by_table: dict[str, set[str]] = {}
    for f in facts:
        by_table.setdefault(f.table_id, set()).add(f.label)
    if not by_table:
        return []
    most = max(len(v) for v in by_table.values())
    # the first table listing (nearly) every unit: the income/expenditure summary, not a project list
    table = min((t for t in by_table if len(by_table[t]) >= most * 0.8), key=_table_order)
    rows = []
    for label in sorted(by_table[table]):
        fact = view.pick([f for f in facts if f.table_id == table and f.label == label], "合计")
        if fact is not None:
            rows.append(fact)
    return rows


def _table_order(table_id: str) -> tuple:
    return (0, int(table_id), "") if table_id.isdigit() else (1, 0, table_id)
