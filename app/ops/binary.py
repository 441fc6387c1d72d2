"""Single-document figures: lookup, none/blank, shares, sums, differences, ratios, counts, per-unit."""

from __future__ import annotations

from app import calculate as calc
from app import (
    config,  # noqa: F401 - sets the offline switches first
    link,
    render,
)
from app.answer import Answer
from app.context import Ctx, Subject
from app.factview import FactView
from app.link import is_grand_total
from app.ops import lookup
from ingest.numbers import format_number
from ingest.units import MONEY_FACTORS, convert


def binary(view: FactView, ctx: Ctx, subjects: list[Subject], op: str) -> Answer:
    q = ctx.q
    a_sub = subjects[0]
    docs = view.docs_with(ctx, a_sub.label)
    if view.several(docs):
        return render.ambiguous(view, ctx, docs)
    hint = link.column_hint(view, ctx, a_sub)
    a = view.pick(view.candidates(ctx, a_sub.label, docs), hint)
    if a is None or a.value is None:
        return render.not_found_item(view, ctx, a_sub.surface)
    if op == "share" and len(subjects) < 2:
        b = view.total_for(ctx, a) if a.table_id and not a_sub.column else None
        if a_sub.column and a.table_id:  # a column of a total row: its share of the row's own 合计
            row = [f for f in view.facts_of(a.document_id) if f.table_id == a.table_id
                   and f.row_index == a.row_index and f.side == a.side and f.value is not None and f.id != a.id]
            totals = [f for f in row if f.column.endswith("合计") or f.column in ("合计", "总计")]
            b = totals[0] if totals else None
        if b is None:
            shares = [f for f in view.candidates(ctx, a_sub.label, docs) if f.measure == "share"]
            if shares:
                return lookup.narrative_value(view, ctx, shares[0])
            return render.not_found_item(view, ctx, a_sub.surface)
    else:
        b_sub = subjects[1]
        b_cands = view.candidates(ctx, b_sub.label, docs)
        if b_sub.column or a_sub.column:
            same_table = [f for f in b_cands if f.table_id == a.table_id] if b_sub.column else []
            b = view.pick(same_table or b_cands, b_sub.column)
        else:
            same_table = [f for f in b_cands if f.table_id == a.table_id and f.column == a.column]
            b = view.pick(same_table or b_cands, hint or (a.column if a.table_id else ""))
        if b is None or b.value is None:
            return render.not_found_item(view, ctx, b_sub.surface)
    if a.id == b.id:  # both words read as one cell: no share or difference of a figure with itself
        return render.not_found_item(view, ctx, b_sub.surface if len(subjects) > 1 else a_sub.surface)
    if a.unit != b.unit and not (a.unit in MONEY_FACTORS and b.unit in MONEY_FACTORS):
        return render.not_found_item(view, ctx, a_sub.surface)
    if op in ("share", "ratio") and b.value is not None and a.value is not None:
        b_in_a = convert(b.value, b.unit, a.unit) if b.unit != a.unit else b.value
        if (op == "share" and a.value > b_in_a) or (op == "ratio" and a.value < b_in_a):
            a, b = b, a  # a share is of the larger figure; "几倍" compares the larger with the smaller
    bval = convert(b.value, b.unit, a.unit) if b.unit != a.unit else b.value
    unit = a.unit
    if op == "share":
        r = calc.share(a.value, bval, unit)
        text_zh = f"{render.row_name(a)}（{format_number(a.value)} {unit}）占{render.row_name(b)}（{format_number(bval)} {unit}）的 {r.value}%。"
        text_en = (f"{render.item_name(view, q, render.row_name(a))} ({format_number(a.value)} {unit}) is {r.value}% of "
                   f"{render.item_name(view, q, render.row_name(b))} ({format_number(bval)} {unit}).")
    elif op == "ratio":
        r = calc.ratio(a.value, bval)
        text_zh = f"{render.row_name(a)}（{format_number(a.value)} {unit}）是{render.row_name(b)}（{format_number(bval)} {unit}）的 {r.value} 倍。"
        text_en = (f"{render.item_name(view, q, render.row_name(a))} ({format_number(a.value)} {unit}) is {r.value} times "
                   f"{render.item_name(view, q, render.row_name(b))} ({format_number(bval)} {unit}).")
    elif op == "difference":
        if a.value < bval:
            a, b = b, a
            bval = convert(b.value, b.unit, a.unit) if b.unit != a.unit else b.value
        r = calc.difference(a.value, bval, unit)
        r = render.in_target(view, q, r)
        more = "多" if r.value >= 0 else "少"
        text_zh = f"{render.row_name(a)}比{render.row_name(b)}{more} {format_number(abs(r.value))} {r.unit}。"
        text_en = (f"{render.item_name(view, q, render.row_name(a))} is {format_number(abs(r.value))} {r.unit} "
                   f"{'more' if r.value >= 0 else 'less'} than {render.item_name(view, q, render.row_name(b))}.")
    else:
        facts = [a, b]
        if len(subjects) > 2:  # a listed sum excludes the total row it happens to name
            subjects = [x for x in subjects if not is_grand_total(x.label)] or subjects
            a = view.pick(view.candidates(ctx, subjects[0].label, docs), hint) or a
            b = view.pick(view.candidates(ctx, subjects[1].label, docs), hint) or b
            facts = [a, b]
        for extra in subjects[2:]:
            f = view.pick(view.candidates(ctx, extra.label, docs), hint)
            if f is not None and f.value is not None and f.unit == unit:
                facts.append(f)
        r = render.in_target(view, q, calc.total([f.value for f in facts], unit))
        text_zh = "、".join(render.row_name(f) for f in facts) + f"合计 {format_number(r.value)} {r.unit}。"
        text_en = "Together " + ", ".join(render.item_name(view, q, render.row_name(f)) for f in facts) + \
            f" come to {format_number(r.value)} {r.unit}."
        return Answer(q.text, "answered", text_zh if q.zh else text_en, lang=q.lang, value=r.value, unit=r.unit,
                      formula=r.formula, citations=render.cite(view, *facts))
    prefix = render.doc_name(view, q, view.doc(a))
    text = f"{prefix}：{text_zh}" if q.zh else f"{text_en} Source: {prefix}."
    return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=r.unit, formula=r.formula,
                  citations=render.cite(view, a, b))

