"""Rankings within a document and comparisons or totals across documents."""

from __future__ import annotations

import re

from app import calculate as calc
from app import (
    config,  # noqa: F401 - sets the offline switches first
    link,
    render,
)
from app.answer import Answer
from app.context import Ctx, Subject
from app.factview import FactView
from app.ops import lookup
from ingest.model import Document, Fact
from ingest.numbers import format_number
from ingest.units import MONEY_FACTORS, convert


def category_rows(view: FactView, doc: Document, hint: str = "") -> list[Fact]:
    """Rows of the function classification (类) on the expenditure side, from the first table listing them."""
    rows = [f for f in view.facts_of(doc.id) if f.table_id and f.value is not None and not f.is_total
            and (f.code and len(f.code) == 3 or (view.glossary.by_zh(f.label) is not None
                 and view.glossary.by_zh(f.label).kind == "function" and view.glossary.by_zh(f.label).level == "类"))]
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

def rank(view: FactView, ctx: Ctx, subjects: list[Subject], op: str) -> Answer:
    q = ctx.q
    if view.several(ctx.docs):
        return render.ambiguous(view, ctx, ctx.docs)
    doc = view.main_doc(ctx.docs)
    named = [s for s in subjects if s.label]
    if len(named) >= 2:  # "基本支出和项目支出哪个多": rank the items the question names
        rows = [f for f in (view.pick(view.candidates(ctx, s.label), link.column_hint(view, ctx, s)) for s in named)
                if f is not None and f.value is not None]
    else:
        rows = category_rows(view, doc, link.column_hint(view, ctx, None))
    rows = [f for f in rows if f.value is not None and f.value != 0]
    if not rows:
        return render.not_found_item(view, ctx, "")
    order = sorted(rows, key=lambda f: f.value, reverse=True)
    nth = re.search(r"(第([二三四五2345])|\b(second|third|fourth|fifth)\b)", q.norm, re.I)
    if nth:
        word_n = nth.group(2) or nth.group(3).lower()
        n = {"二": 1, "2": 1, "second": 1, "三": 2, "3": 2, "third": 2, "四": 3, "4": 3, "fourth": 3,
             "五": 4, "5": 4, "fifth": 4}[word_n]
        if n >= len(order):
            return render.not_found_item(view, ctx, "")
        pick = order[n] if op == "rank_max" else order[-1 - n]
    else:
        pick = order[0] if op == "rank_max" else order[-1]
    listing = "；".join(f"{render.row_name(f)} {format_number(f.value)}" for f in order) if q.zh else \
        "; ".join(f"{render.item_name(view, q, render.row_name(f))} {format_number(f.value)}" for f in order)
    word = ("最多" if op == "rank_max" else "最少（非零）") if q.zh else ("largest" if op == "rank_max" else
                                                                 "smallest non-zero")
    among_zh, among_en = ("：所问各项中", "of the items asked") if len(named) >= 2 else \
        ("中按功能分类（类）", "function category")
    text = (f"{render.doc_name(view, q, doc)}{among_zh}，{word}的是{render.row_name(pick)}，"
            f"{format_number(pick.value)} "
            f"{pick.unit}（{pick.column}）。排序：{listing}。" if q.zh else
            f"In {render.doc_name(view, q, doc)}, the {word} {among_en} is "
            f"{render.item_name(view, q, render.row_name(pick))} with "
            f"{format_number(pick.value)} {pick.unit} "
            f"({pick.column}). Ranking: {listing}.")
    return Answer(q.text, "answered", text, lang=q.lang, value=pick.value, unit=pick.unit,
                  formula=("max" if op == "rank_max" else "min") + "(" + ", ".join(format_number(f.value) for f in order) + ")",
                  citations=render.cite(view, pick))

def rank_documents(view: FactView, ctx: Ctx, subjects: list[Subject], op: str) -> Answer:
    q = ctx.q
    if not subjects:
        return render.not_found_item(view, ctx, "")
    label = subjects[0].label
    picks = []
    for d in ctx.docs:
        f = view.pick([g for g in view.facts_of(d.id) if g.label == label], link.column_hint(view, ctx, subjects[0]))
        if f is not None and f.value is not None:
            picks.append(f)
    if len(picks) < 2:
        return lookup.lookup(view, ctx, subjects[0]) if picks else render.not_found_item(view, ctx, subjects[0].surface)
    base = picks[0].unit
    vals = [(convert(f.value, f.unit, base) if f.unit in MONEY_FACTORS and base in MONEY_FACTORS else f.value, f)
            for f in picks]
    best = max(vals, key=lambda v: v[0]) if op == "rank_max" else min(vals, key=lambda v: v[0])
    listing = "；".join(f"{render.doc_name(view, q, view.doc(f))} {format_number(v)} {base}" for v, f in
                       sorted(vals, key=lambda v: -v[0]))
    text = (f"{label}{'最多' if op == 'rank_max' else '最少'}的是{render.doc_name(view, q, view.doc(best[1]))}："
            f"{format_number(best[0])} {base}。比较：{listing}。" if q.zh else
            f"{render.doc_name(view, q, view.doc(best[1]))} has the {'largest' if op == 'rank_max' else 'smallest'} "
            f"{render.item_name(view, q, label)}: {format_number(best[0])} {base}. Compared: {listing}.")
    return Answer(q.text, "answered", text, lang=q.lang, value=best[0], unit=base,
                  citations=render.cite(view, *[f for _, f in vals]))

def across_documents(view: FactView, ctx: Ctx, named: list[Subject], op: str) -> Answer | None:
    """Operations over the same item in several named documents (compare, total, rank)."""
    q = ctx.q
    subject = named[0] if named else Subject("支出总计", "支出总计")
    if op == "difference":
        picks = [f for f in (view.pick([g for g in view.facts_of(d.id) if g.label == subject.label],
                                        link.column_hint(view, ctx, subject)) for d in ctx.docs)
                 if f is not None and f.value is not None]
        if len(picks) != 2:
            return None
        a, b = sorted(picks, key=lambda f: convert(f.value, f.unit, picks[0].unit), reverse=True)
        bval = convert(b.value, b.unit, a.unit)
        r = render.in_target(view, q, calc.difference(a.value, bval, a.unit))
        text = (f"{render.doc_name(view, q, view.doc(a))}的{a.label}（{format_number(a.value)} {a.unit}）比"
                f"{render.doc_name(view, q, view.doc(b))}（{format_number(bval)} {a.unit}）多 {format_number(r.value)} {r.unit}。"
                if q.zh else
                f"{render.item_name(view, q, a.label)} in {render.doc_name(view, q, view.doc(a))} ({format_number(a.value)} {a.unit}) "
                f"is {format_number(r.value)} {r.unit} more than in {render.doc_name(view, q, view.doc(b))} "
                f"({format_number(bval)} {a.unit}).")
        return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=r.unit, formula=r.formula,
                      citations=render.cite(view, a, b))
    if op == "sum" or (op == "lookup" and re.search(r"(合计|总共|一共|加起来|\btogether\b|\bcombined\b|\bin total\b|"
                                                    r"\btotal of\b|\bsum\b)", q.norm, re.I)):
        return sum_documents(view, ctx, subject)
    if op in ("rank_max", "rank_min") and named:
        return rank_documents(view, ctx, named, op)
    return None

def sum_documents(view: FactView, ctx: Ctx, subject: Subject) -> Answer:
    q = ctx.q
    picks = []
    for d in ctx.docs:
        f = view.pick([g for g in view.facts_of(d.id) if g.label == subject.label])
        if f is not None and f.value is not None:
            picks.append(f)
    if not picks:
        return render.not_found_item(view, ctx, subject.surface)
    base = q.target_unit or picks[0].unit
    vals = [convert(f.value, f.unit, base) for f in picks]
    r = calc.total(vals, base)
    text = (f"{subject.label}在{len(picks)}个文件中合计 {format_number(r.value)} {base}。" if q.zh else
            f"{render.item_name(view, q, subject.label)} across {len(picks)} documents totals {format_number(r.value)} {base}.")
    return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=base, formula=r.formula,
                  citations=render.cite(view, *picks))

