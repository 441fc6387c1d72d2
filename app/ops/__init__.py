"""One operation per module; ``run`` dispatches a Plan to the one it names.

Each operation returns a Result (app/pipeline/result.py): the figure, its citations and the phrases that
say it, never prose; app/pipeline/render.py words it in the question's language.
"""

from __future__ import annotations

from app.ops import binary, change, compare, count, describe, lookup, units
from app.pipeline import refusals
from app.pipeline.factview import FactView
from app.pipeline.plan import Plan
from app.pipeline.result import Result


def run(plan: Plan, view: FactView) -> Result:
    ctx, subjects, op = plan.ctx, list(plan.subjects), plan.op
    if plan.across:
        named = [s for s in subjects if s.label]
        across = compare.across_documents(view, ctx, named, plan.operation or op)
        if across is not None:
            return across
    if op == "not_found":
        return refusals.not_found_item(view, ctx, plan.item)
    if op == "describe":
        return describe.describe(view, ctx)
    if op == "count":
        return count.count(view, ctx, subjects)
    if op == "per_unit":
        return count.per_unit(view, ctx, subjects)
    if op == "rank_units":
        ranked = units.rank_units(view, ctx, plan.operation)
        return ranked if ranked is not None else refusals.not_found_item(view, ctx, plan.item)
    if op == "rank_documents":
        return compare.rank_documents(view, ctx, subjects, plan.operation)
    if op == "rank":
        return compare.rank(view, ctx, subjects, plan.operation)
    if op == "across_years":
        return change.across_years(view, ctx, subjects[0], plan.operation)
    if op == "change":
        return change.change(view, ctx, subjects[0], plan.operation)
    if op == "binary":
        return binary.binary(view, ctx, subjects, plan.operation)
    if op == "sum_documents":
        return compare.sum_documents(view, ctx, subjects[0])
    return lookup.lookup(view, ctx, subjects[0])
