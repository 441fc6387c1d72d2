"""Rankings over a department's own units: "民政局下属单位里哪个单位预算最多" within one disclosure.

A 部门预算 lists its budget units as rows (广州市民政局（本级）, 广州市老人院 …); the rows that are names of
institutions, in the table that lists most of them, are ranked by that table's total column. The department's
own total row is no unit.
"""

from __future__ import annotations

from app.ops.base import Asked, Plan
from app.ops.figures import cite
from app.pipeline import refusals
from app.pipeline.budget_units import unit_rows
from app.pipeline.context import _DEPT_WORDS, Ctx
from app.pipeline.factview import FactView
from app.pipeline.link import is_grand_total
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


class RankUnits:
    """"下属单位里哪个单位最多": a department's own units ranked, when no item is named."""

    name = "rank_units"
    order = 30
    asks = frozenset({"rank_max", "rank_min"})
    keys = frozenset({"rank.units", "word.most", "word.least", "entry.figure", "more"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        ctx = asked.ctx
        return (asked.op in self.asks and bool(_DEPT_WORDS.search(ctx.q.norm)) and bool(ctx.docs)
                and not view.several(ctx.docs)
                and not [s for s in asked.subjects if s.label and s.via not in ("retrieval", "total")
                         and not s.measure and not is_grand_total(s.label)])

    def unanswered(self, asked: Asked) -> str | None:
        return None

    def run(self, plan: Plan, view: FactView) -> Result:
        ranked = rank_units(view, plan.ctx, plan.operation)
        return ranked if ranked is not None else refusals.not_found_item(view, plan.ctx, plan.item)


OPERATIONS = (RankUnits(),)
