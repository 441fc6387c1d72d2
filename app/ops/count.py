"""Counts (staff, vehicles, budget units) and per-unit figures (per post, per person) of one document.

Returns a Result (app/pipeline/result.py); the wording is in app/pipeline/answers.toml.
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.lang import vocabulary
from app.ops import lookup
from app.ops.base import Asked, Plan
from app.ops.figures import cite, in_target
from app.pipeline import calculate as calc
from app.pipeline import link, refusals
from app.pipeline.budget_units import unit_rows
from app.pipeline.context import Ctx, Subject
from app.pipeline.factview import FactView
from app.pipeline.result import Item, Result, say
from ingest.labels import shortest_first
from ingest.units import MONEY_FACTORS


def count(view: FactView, ctx: Ctx, subjects: list[Subject]) -> Result:
    q = ctx.q
    if not subjects:
        if _STAFF_ASKED.search(q.norm):
            staff = link.counted_label(view.pool(ctx.docs), "人", "人员编制", only=_STAFF_ROW) or "人员编制"
            subjects = [Subject(staff, staff)]
        elif _UNITS_ASKED.search(q.norm) and ctx.docs and not view.several(ctx.docs):
            return count_units(view, ctx)
        else:
            return refusals.not_found_item(view, ctx, "")
    subject = subjects[0]
    docs = view.docs_with(ctx, subject)
    if view.several(docs):
        return refusals.ambiguous(view, ctx, docs)
    cands = view.facts_for(ctx, subject, docs)
    fact = view.pick([f for f in cands if f.measure in ("count", "area")] or cands)
    if fact is None or fact.value is None:
        return lookup.lookup(view, ctx, subject)
    if fact.unit in MONEY_FACTORS:  # "how many projects" is never answered with an amount of money
        counted = link.subject_by_unit(view, ctx, view.pool(ctx.docs))
        if counted and counted[0].label != subject.label:  # "多少辆公车": the vehicles, not the car budget
            return count(view, ctx, counted)
        return refusals.not_found_item(view, ctx, subject.surface)
    doc = view.doc(fact)
    as_of = say("count.as_of", year=fact.ref_year) if fact.ref_year and fact.ref_year != doc.year else ""
    said = say("count.figure", doc=doc, item=Item(fact.label), value=fact.value, unit=fact.unit, as_of=as_of)
    return Result("answered", (said,), value=fact.value, unit=fact.unit, citations=cite(view, fact))

_STAFF_ROW = next(c.only for c in vocabulary.load().count_words if c.unit == "人")
_STAFF_ASKED = re.compile(r"(多少人|几名|多少名|\bstaff\b|\bpeople\b|\bemployees\b|\bposts\b|\bpositions\b)",
                          re.I)
_SUBORDINATE = re.compile(r"(下属|所属|二级|\bsubordinate\b|\baffiliated\b|\bunder (it|the)\b)", re.I)
_UNITS_ASKED = re.compile(r"(预算单位|下属单位|所属单位|几个单位|多少个单位|\b(budget|subordinate|affiliated) units\b|"
                          r"\bhow many units\b)", re.I)


def count_units(view: FactView, ctx: Ctx) -> Result:
    """"How many budget units": the units the department's summary table lists, each cited."""
    q = ctx.q
    below_asked = bool(_SUBORDINATE.search(q.norm))
    stated = sorted({f.label for f in view.all_facts(ctx.docs)
                     if f.measure == "count" and f.unit in ("个", "家") and "单位" in f.label
                     and f.value is not None and bool(_SUBORDINATE.search(f.label)) == below_asked},
                    key=shortest_first)  # "下属18个预算单位" counts the units below, not all of them
    if stated:  # "纳入编制范围的预算单位共2个": the narrative's own count
        return count(view, ctx, [Subject(stated[0], stated[0])])
    every = unit_rows(view, ctx)
    if not every:
        return refusals.not_found_item(view, ctx, "")
    doc = view.doc(every[0])
    itself = [f for f in every if f.label == doc.department or "本级" in f.label]
    below = [f for f in every if f not in itself]
    rows = below if _SUBORDINATE.search(q.norm) and itself else every  # 下属单位: not the bureau itself
    split = say("count.units_split", itself=len(itself), below=len(below)) if itself and rows is every else ""
    said = say("count.subordinate_units" if rows is below else "count.units", doc=doc, n=len(rows),
               split=split,
               table_id=rows[0].table_id, table_title=rows[0].table_title,
               names=tuple(f.label for f in rows[:8]), etc=say("word.etc") if len(rows) > 8 else "")
    return Result("answered", (said,), value=Decimal(len(rows)), unit="个",
                  formula=f"count of unit rows = {len(rows)}", citations=cite(view, *rows[:8]))


def per_unit(view: FactView, ctx: Ctx, subjects: list[Subject]) -> Result:
    q = ctx.q
    if view.several(ctx.docs):
        return refusals.ambiguous(view, ctx, ctx.docs)
    doc = view.main_doc(ctx.docs)
    facts = view.facts_of(doc.id)
    counts = [s for s in subjects if any(f.label == s.label and f.measure == "count" for f in facts)]
    count_label = counts[0].label if counts else "人员编制"
    count = view.pick([f for f in facts if f.label == count_label and f.measure == "count"])
    amount_subject = next((s for s in subjects if s.label != count_label), None)
    amount_label = amount_subject.label if amount_subject else "支出总计"
    amount = view.pick([f for f in facts if f.label == amount_label],
                       link.column_hint(view, ctx, amount_subject))
    if count is None or count.value is None or amount is None or amount.value is None:
        return refusals.not_found_item(view, ctx, amount_label)
    unit = amount.unit
    r = calc.per_unit(amount.value, count.value, unit, count.unit)
    r = in_target(q, r)
    said = say("count.per_unit", doc=doc, item=Item(amount.label), value=amount.value, unit=unit,
               count_item=Item(count.label), count=count.value, count_unit=count.unit, result=r.value,
               result_unit=r.unit)
    return Result("answered", (said,), value=r.value, unit=r.unit, formula=r.formula,
                  citations=cite(view, amount, count))


class Count:
    """How many (staff, vehicles, budget units) one document states."""

    name = "count"
    order = 10
    asks = frozenset({"count"})
    keys = frozenset({"count.figure", "count.as_of", "count.units", "count.units_split",
                      "count.subordinate_units", "word.etc"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return asked.op in self.asks

    def unanswered(self, asked: Asked) -> str | None:
        return None  # no item named: the counting word says what is counted

    def run(self, plan: Plan, view: FactView) -> Result:
        return count(view, plan.ctx, list(plan.subjects))


class PerUnit:
    """An amount per post or per person: the amount divided by the count, both of one document."""

    name = "per_unit"
    order = 20
    asks = frozenset({"per_unit"})
    keys = frozenset({"count.per_unit"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return asked.op in self.asks

    def unanswered(self, asked: Asked) -> str | None:
        return None  # no item named: the total spending per post

    def run(self, plan: Plan, view: FactView) -> Result:
        return per_unit(view, plan.ctx, list(plan.subjects))


OPERATIONS = (Count(), PerUnit())
