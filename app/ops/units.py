"""Rankings over a department's own units: "民政局下属单位里哪个单位预算最多" within one disclosure.

A 部门预算 lists its budget units as rows (广州市民政局（本级）, 广州市老人院 …); the rows that are names of
institutions, in the table that lists most of them, are ranked by that table's total column. The department's
own total row is no unit.
"""

from __future__ import annotations

from app import render
from app.answer import Answer
from app.budget_units import unit_rows
from app.context import Ctx
from app.factview import FactView
from ingest.numbers import format_number

_SHOWN = 5


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
                f"{best.label}：{format_number(best.value)} {best.unit}"
                f"（表{best.table_id}{best.table_title}，{best.column}）。"
                f"排序：{listing}{f'；另有 {more} 个' if more > 0 else ''}。")
    else:
        text = (f"Of the {len(rows)} units {render.doc_name(view, q, doc)} lists, "
                f"{best.label} has the {'largest' if op == 'rank_max' else 'smallest'} figure: "
                f"{format_number(best.value)} {best.unit} "
                f"(table {best.table_id} {best.table_title}, {best.column}). "
                f"Ranking: {listing}{f'; and {more} more' if more > 0 else ''}.")
    return Answer(q.text, "answered", text, lang=q.lang, value=best.value, unit=best.unit,
                  citations=render.cite(view, *rows[:_SHOWN]))
