"""Rankings over a department's own units: "民政局下属单位里哪个单位预算最多" within one disclosure.

A 部门预算 lists its budget units as rows (广州市民政局（本级）, 广州市老人院 …); the rows that are names of
institutions, in the table that lists most of them, are ranked by that table's total column. The department's
own total row is no unit.
"""

from __future__ import annotations

import re

from app import render
from app.answer import Answer
from app.context import Ctx
from app.factview import FactView
from ingest.model import Fact
from ingest.numbers import format_number

_UNIT_NAME = re.compile(r"(院|中心|局|所|站|学校|学院|大学|中学|小学|幼儿园|馆|处|队|会|社|台|团|室|厅|办|委)"
                        r"(?:[(（]本级[)）])?$")
_SHOWN = 5


def unit_rows(view: FactView, ctx: Ctx) -> list[Fact]:
    """One figure per unit, from the table listing most units, in its total column."""
    doc = view.main_doc(ctx.docs)
    every = view.facts_of(doc.id)
    totals = {(f.table_id, f.column, f.value) for f in every if f.is_total}
    # the department's own name is a unit (the bureau itself) unless its row is the table's total
    facts = [f for f in every if f.table_id and f.value is not None and not f.is_total and f.unit
             and _UNIT_NAME.search(f.label)
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


def rank_units(view: FactView, ctx: Ctx, op: str) -> Answer | None:
    q = ctx.q
    rows = unit_rows(view, ctx)
    if not rows:
        return None
    rows.sort(key=lambda f: f.value, reverse=op == "rank_max")
    best = rows[0]
    doc = view.doc(best)
    listing = "；".join(f"{f.label} {format_number(f.value)}" for f in rows[:_SHOWN])
    more = len(rows) - _SHOWN
    if q.zh:
        text = (f"{render.doc_name(view, q, doc)}所列 {len(rows)} 个单位中，{'最多' if op == 'rank_max' else '最少'}的是"
                f"{best.label}：{format_number(best.value)} {best.unit}（表{best.table_id}{best.table_title}，{best.column}）。"
                f"排序：{listing}{f'；另有 {more} 个' if more > 0 else ''}。")
    else:
        text = (f"Of the {len(rows)} units {render.doc_name(view, q, doc)} lists, "
                f"{best.label} has the {'largest' if op == 'rank_max' else 'smallest'} figure: "
                f"{format_number(best.value)} {best.unit} (table {best.table_id} {best.table_title}, {best.column}). "
                f"Ranking: {listing}{f'; and {more} more' if more > 0 else ''}.")
    return Answer(q.text, "answered", text, lang=q.lang, value=best.value, unit=best.unit,
                  citations=render.cite(view, *rows[:_SHOWN]))
