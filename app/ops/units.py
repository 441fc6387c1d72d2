"""Rankings over a department's own units: "民政局下属单位里哪个单位预算最多" within one disclosure.

A 部门预算 lists its budget units as rows (广州市民政局（本级）, 广州市老人院 …); the rows that are names of
institutions, in the table that lists most of them, are ranked by that table's total column. The department's
own total row is no unit.
"""

from __future__ import annotations

from app.ops.figures import cite
from app.pipeline.budget_units import unit_rows
from app.pipeline.context import Ctx
from app.pipeline.factview import FactView
from app.pipeline.result import Column, Result, say

_SHOWN = 5


def rank_units(view: FactView, ctx: Ctx, op: str) -> Result | None:
    rows = unit_rows(view, ctx)
    if not rows:
        return None
    rows.sort(key=lambda f: f.value, reverse=op == "rank_max")
    best = rows[0]
    more = len(rows) - _SHOWN
    said = say("rank.units", doc=view.doc(best), n=len(rows),
               word=say("word.most" if op == "rank_max" else "word.least"), name=best.label,
               value=best.value, unit=best.unit, table_id=best.table_id, table_title=best.table_title,
               column=Column(best.column),
               listing=tuple(say("entry.figure", name=f.label, value=f.value) for f in rows[:_SHOWN]),
               more=say("more", n=more) if more > 0 else "")
    return Result("answered", (said,), value=best.value, unit=best.unit, citations=cite(view, *rows[:_SHOWN]))
