"""Rankings within a document and comparisons or totals across documents.

Returns a Result (app/pipeline/result.py); the wording is in app/pipeline/answers.toml.
"""

from __future__ import annotations

import re

from app.ops import lookup
from app.ops.base import Asked, Plan
from app.ops.figures import cite, in_target, row_name
from app.pipeline import calculate as calc
from app.pipeline import link, refusals
from app.pipeline.context import _DEPT_WORDS, Ctx, Subject
from app.pipeline.factview import FactView, by_document
from app.pipeline.result import Column, Item, Result, say
from ingest.model import Document, Fact
from ingest.numbers import format_number
from ingest.units import MONEY_FACTORS, convert


def category_rows(view: FactView, doc: Document, hint: str = "") -> list[Fact]:
    """Rows of the function classification (类) on the expenditure side, from the first table listing them."""
    rows = [f for f in view.facts_of(doc.id) if f.table_id and f.value is not None and not f.is_total
            and (f.code and len(f.code) == 3 or (view.glossary.by_zh(f.label) is not None
                 and view.glossary.by_zh(f.label).kind == "function"
                 and view.glossary.by_zh(f.label).level == "类"))]
    if not rows:
        return []
    tables = sorted({f.table_id for f in rows})
    first = [f for f in rows if f.table_id == tables[0]]
    best: dict[str, Fact] = {}
    for f in first:
        chosen = view.pick([g for g in first if g.label == f.label], hint)
        if chosen is not None:
            best[f.label] = chosen
    return list(best.values())

def rank(view: FactView, ctx: Ctx, subjects: list[Subject], op: str) -> Result:
    q = ctx.q
    if view.several(ctx.docs):
        return refusals.ambiguous(view, ctx, ctx.docs)
    doc = view.main_doc(ctx.docs)
    named = [s for s in subjects if s.label]
    if len(named) >= 2:  # "基本支出和项目支出哪个多": rank the items the question names
        rows = [f for f in (view.pick(view.facts_for(ctx, s), link.column_hint(view, ctx, s)) for s in named)
                if f is not None and f.value is not None]
    else:
        rows = category_rows(view, doc, link.column_hint(view, ctx, None))
    rows = [f for f in rows if f.value is not None and f.value != 0]
    if not rows:
        return refusals.not_found_item(view, ctx, "")
    order = sorted(rows, key=lambda f: f.value, reverse=True)
    nth = re.search(r"(第([二三四五2345])|\b(second|third|fourth|fifth)\b)", q.norm, re.I)
    if nth:
        word_n = nth.group(2) or nth.group(3).lower()
        n = {"二": 1, "2": 1, "second": 1, "三": 2, "3": 2, "third": 2, "四": 3, "4": 3, "fourth": 3,
             "五": 4, "5": 4, "fifth": 4}[word_n]
        if n >= len(order):
            return refusals.not_found_item(view, ctx, "")
        pick = order[n] if op == "rank_max" else order[-1 - n]
    else:
        pick = order[0] if op == "rank_max" else order[-1]
    said = say("rank.items" if len(named) >= 2 else "rank.categories", doc=doc,
               word=say("word.most_item" if op == "rank_max" else "word.least_item"),
               item=Item(row_name(pick)), value=pick.value, unit=pick.unit, column=Column(pick.column),
               listing=tuple(say("entry.figure", name=Item(row_name(f)), value=f.value) for f in order))
    return Result("answered", (said,), value=pick.value, unit=pick.unit,
                  formula=("max" if op == "rank_max" else "min") + "(" + ", ".join(format_number(f.value)
                                                                                   for f in order) + ")",
                  citations=cite(view, pick))

def rank_documents(view: FactView, ctx: Ctx, subjects: list[Subject], op: str) -> Result:
    if not subjects:
        return refusals.not_found_item(view, ctx, "")
    label = subjects[0].label
    picks = []
    labelled = by_document(view.labelled(ctx.docs, [label]))  # one indexed read, not each document's facts
    for d in ctx.docs:
        f = view.pick(labelled.get(d.id, []), link.column_hint(view, ctx, subjects[0]))
        if f is not None and f.value is not None:
            picks.append(f)
    if len(picks) < 2:
        return lookup.lookup(view, ctx, subjects[0]) if picks \
            else refusals.not_found_item(view, ctx, subjects[0].surface)
    base = picks[0].unit
    vals = [(convert(f.value, f.unit, base) if f.unit in MONEY_FACTORS and base in MONEY_FACTORS
             else f.value, f) for f in picks]
    best = max(vals, key=lambda v: v[0]) if op == "rank_max" else min(vals, key=lambda v: v[0])
    ranked = sorted(vals, key=lambda v: -v[0])
    said = say("rank.documents", item=Item(label),
               word=say("word.most" if op == "rank_max" else "word.least"), doc=view.doc(best[1]),
               value=best[0], unit=base,
               listing=tuple(say("entry.figure_unit", name=view.doc(f), value=v, unit=base)
                             for v, f in ranked))
    return Result("answered", (said,), value=best[0], unit=base, citations=cite(view, *[f for _, f in vals]))

def across_documents(view: FactView, ctx: Ctx, named: list[Subject], op: str) -> Result | None:
    """Operations over the same item in several named documents (compare, total, rank)."""
    q = ctx.q
    subject = named[0] if named else Subject("支出总计", "支出总计")
    if op == "difference":
        rows = by_document(view.facts_for(ctx, subject, ctx.docs))  # one read, not one per document
        picks = [f for f in (view.pick(rows.get(d.id, []), link.column_hint(view, ctx, subject))
                             for d in ctx.docs)
                 if f is not None and f.value is not None]
        if len(picks) != 2:
            return None
        a, b = sorted(picks, key=lambda f: convert(f.value, f.unit, picks[0].unit), reverse=True)
        bval = convert(b.value, b.unit, a.unit)
        r = in_target(q, calc.difference(a.value, bval, a.unit))
        said = say("compare.difference", doc_a=view.doc(a), item=Item(a.label), a_value=a.value, unit=a.unit,
                   doc_b=view.doc(b), b_value=bval, size=r.value, size_unit=r.unit)
        return Result("answered", (said,), value=r.value, unit=r.unit, formula=r.formula,
                      citations=cite(view, a, b))
    if op == "sum" or (op == "lookup" and re.search(r"(合计|总共|一共|加起来|\btogether\b|\bcombined\b|\bin total\b|"
                                                    r"\btotal of\b|\bsum\b)", q.norm, re.I)):
        return sum_documents(view, ctx, subject)
    if op in ("rank_max", "rank_min") and named:
        return rank_documents(view, ctx, named, op)
    return None

def sum_documents(view: FactView, ctx: Ctx, subject: Subject) -> Result:
    q = ctx.q
    picks = []
    rows = by_document(view.facts_for(ctx, subject, ctx.docs))  # one read, not one per document
    for d in ctx.docs:
        f = view.pick(rows.get(d.id, []))
        if f is not None and f.value is not None:
            picks.append(f)
    if not picks:
        return refusals.not_found_item(view, ctx, subject.surface)
    base = q.target_unit or picks[0].unit
    vals = [convert(f.value, f.unit, base) for f in picks]
    r = calc.total(vals, base)
    said = say("compare.sum", item=Item(subject.label), n=len(picks), value=r.value, unit=base)
    return Result("answered", (said,), value=r.value, unit=base, formula=r.formula,
                  citations=cite(view, *picks))


_RANKS = frozenset({"rank_max", "rank_min"})


class RankDocuments:
    """One item ranked across the departments' documents ("哪个部门…最多", or several documents in scope)."""

    name = "rank_documents"
    order = 31
    asks = _RANKS
    keys = frozenset({"rank.documents", "word.most", "word.least", "entry.figure_unit"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        ctx = asked.ctx
        return asked.op in self.asks and bool(
            _DEPT_WORDS.search(ctx.q.norm) or (len({d.id for d in ctx.docs}) > 1 and asked.subjects))

    def unanswered(self, asked: Asked) -> str | None:
        return None

    def run(self, plan: Plan, view: FactView) -> Result:
        return rank_documents(view, plan.ctx, list(plan.subjects), plan.operation)


class Rank:
    """The largest or smallest of the items named, or of the function categories, in one document."""

    name = "rank"
    order = 32
    asks = _RANKS
    keys = frozenset({"rank.items", "rank.categories", "word.most_item", "word.least_item", "entry.figure"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return asked.op in self.asks

    def unanswered(self, asked: Asked) -> str | None:
        return None

    def run(self, plan: Plan, view: FactView) -> Result:
        return rank(view, plan.ctx, list(plan.subjects), plan.operation)


class SumDocuments:
    """One item added over the several documents in scope."""

    name = "sum_documents"
    order = 60
    asks = frozenset({"sum"})
    keys = frozenset({"compare.sum"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return asked.op in self.asks and view.several(asked.ctx.docs)

    def unanswered(self, asked: Asked) -> str | None:
        return None if asked.subjects else ""

    def run(self, plan: Plan, view: FactView) -> Result:
        return sum_documents(view, plan.ctx, plan.subjects[0])


class Across:
    """Not chosen by the planner: ``app.ops.run`` tries it first when a question names several departments
    (Plan.across), and runs the planned operation when the question is not one item across them."""

    keys = frozenset({"compare.difference"})

    def attempt(self, plan: Plan, view: FactView) -> Result | None:
        named = [s for s in plan.subjects if s.label]
        return across_documents(view, plan.ctx, named, plan.operation or plan.op)


ACROSS = Across()
OPERATIONS = (RankDocuments(), Rank(), SumDocuments())
