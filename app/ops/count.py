"""Single-document figures: lookup, none/blank, shares, sums, differences, ratios, counts, per-unit."""

from __future__ import annotations

import re
from decimal import Decimal

from app import calculate as calc
from app import (
    config,  # noqa: F401 - sets the offline switches first
    link,
    render,
)
from app.answer import Answer
from app.budget_units import unit_rows
from app.context import Ctx, Subject
from app.factview import FactView
from app.ops import lookup
from ingest.numbers import format_number
from ingest.units import MONEY_FACTORS


def count(view: FactView, ctx: Ctx, subjects: list[Subject]) -> Answer:
    q = ctx.q
    if not subjects:
        if _STAFF_ASKED.search(q.norm):
            staff = link.counted_label(view.all_facts(ctx.docs), "人", "人员编制") or "人员编制"
            subjects = [Subject(staff, staff)]
        elif _UNITS_ASKED.search(q.norm) and ctx.docs and not view.several(ctx.docs):
            return count_units(view, ctx)
        else:
            return render.not_found_item(view, ctx, "")
    subject = subjects[0]
    docs = view.docs_with(ctx, subject.label)
    if view.several(docs):
        return render.ambiguous(view, ctx, docs)
    cands = view.candidates(ctx, subject.label, docs)
    fact = view.pick([f for f in cands if f.measure in ("count", "area")] or cands)
    if fact is None or fact.value is None:
        return lookup.lookup(view, ctx, subject)
    if fact.unit in MONEY_FACTORS:  # "how many projects" is never answered with an amount of money
        counted = link.subject_by_unit(view, ctx, view.all_facts(ctx.docs))
        if counted and counted[0].label != subject.label:  # "多少辆公车": the vehicles, not the car budget
            return count(view, ctx, counted)
        return render.not_found_item(view, ctx, subject.surface)
    doc = view.doc(fact)
    text = (f"{render.doc_name(view, q, doc)}：{fact.label} {format_number(fact.value)} {fact.unit}"
            f"{'（截至' + str(fact.ref_year) + '年）' if fact.ref_year and fact.ref_year != doc.year else ''}。"
            if q.zh else
            f"{render.item_name(view, q, fact.label)}: {format_number(fact.value)} {fact.unit}"
            f"{' (as of ' + str(fact.ref_year) + ')' if fact.ref_year and fact.ref_year != doc.year else ''}, "
            f"per {render.doc_name(view, q, doc)}.")
    return Answer(q.text, "answered", text, lang=q.lang, value=fact.value, unit=fact.unit,
                  citations=render.cite(view, fact))

_STAFF_ASKED = re.compile(r"(多少人|几名|多少名|\bstaff\b|\bpeople\b|\bemployees\b|\bposts\b|\bpositions\b)",
                          re.I)
_SUBORDINATE = re.compile(r"(下属|所属|二级|\bsubordinate\b|\baffiliated\b|\bunder (it|the)\b)", re.I)
_UNITS_ASKED = re.compile(r"(预算单位|下属单位|所属单位|几个单位|多少个单位|\b(budget|subordinate|affiliated) units\b|"
                          r"\bhow many units\b)", re.I)


def count_units(view: FactView, ctx: Ctx) -> Answer:
    """"How many budget units": the units the department's summary table lists, each cited."""
    q = ctx.q
    stated = sorted({f.label for f in view.all_facts(ctx.docs)
                     if f.measure == "count" and f.unit in ("个", "家")
                     and "单位" in f.label and f.value is not None}, key=len)
    if stated:  # "纳入编制范围的预算单位共2个": the narrative's own count
        return count(view, ctx, [Subject(stated[0], stated[0])])
    every = unit_rows(view, ctx)
    if not every:
        return render.not_found_item(view, ctx, "")
    doc = view.doc(every[0])
    itself = [f for f in every if f.label == doc.department or "本级" in f.label]
    below = [f for f in every if f not in itself]
    rows = below if _SUBORDINATE.search(q.norm) and itself else every  # 下属单位: not the bureau itself
    names = "、".join(f.label for f in rows[:8]) + ("等" if len(rows) > 8 else "")
    split = (f"（本级 {len(itself)} 个、下属 {len(below)} 个）" if q.zh else
             f" ({len(itself)} the bureau itself, {len(below)} subordinate)") \
        if itself and rows is every else ""
    text = (f"{render.doc_name(view, q, doc)}的表{rows[0].table_id}{rows[0].table_title}列出 {len(rows)} 个"
            f"{'下属' if rows is below else ''}单位{split}：{names}。" if q.zh else
            f"{render.doc_name(view, q, doc)} lists {len(rows)} "
            f"{'subordinate ' if rows is below else ''}units"
            f"{split} in table {rows[0].table_id} {rows[0].table_title}: {names}.")
    return Answer(q.text, "answered", text, lang=q.lang, value=Decimal(len(rows)), unit="个",
                  formula=f"count of unit rows = {len(rows)}", citations=render.cite(view, *rows[:8]))


def per_unit(view: FactView, ctx: Ctx, subjects: list[Subject]) -> Answer:
    q = ctx.q
    if view.several(ctx.docs):
        return render.ambiguous(view, ctx, ctx.docs)
    doc = view.main_doc(ctx.docs)
    facts = view.facts_of(doc.id)
    counts = [s for s in subjects if any(f.label == s.label and f.measure == "count" for f in facts)]
    count_label = counts[0].label if counts else "人员编制"
    count = view.pick([f for f in facts if f.label == count_label and f.measure == "count"])
    amount_subject = next((s for s in subjects if s.label != count_label), None)
    amount_label = amount_subject.label if amount_subject else "支出总计"
    amount = view.pick([f for f in facts if f.label == amount_label], link.column_hint(view, ctx, amount_subject))
    if count is None or count.value is None or amount is None or amount.value is None:
        return render.not_found_item(view, ctx, amount_label)
    unit = amount.unit
    r = calc.per_unit(amount.value, count.value, unit, count.unit)
    r = render.in_target(view, q, r)
    text = (f"{render.doc_name(view, q, doc)}：{amount.label} {format_number(amount.value)} {unit} ÷ {count.label} "
            f"{format_number(count.value)} {count.unit} = 每{count.unit} {format_number(r.value)} {r.unit}。" if q.zh else
            f"{render.item_name(view, q, amount.label)} {format_number(amount.value)} {unit} ÷ {format_number(count.value)} "
            f"{render.item_name(view, q, count.label)} = {format_number(r.value)} {r.unit} per {count.unit}, "
            f"per {render.doc_name(view, q, doc)}.")
    return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=r.unit, formula=r.formula,
                  citations=render.cite(view, amount, count))

# ---- descriptive ---------------------------------------------------

