"""Changes against the prior year: stated changes, derived prior-year figures, documents of two years."""

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
from ingest.model import Fact
from ingest.numbers import format_number
from ingest.units import MONEY_FACTORS, convert

_WHOLE_BUDGET = re.compile(r"(总计|总预算|收支预算|支出预算$|收入预算$)")


def change_fact(view: FactView, ctx: Ctx, subject: Subject, measure: str) -> tuple[Fact | None, Fact | None]:
    """The stated change for a subject and the current figure it is a change of."""
    for doc in ctx.docs:
        facts = view.facts_of(doc.id)
        changes = [f for f in facts if f.measure == measure]
        current = view.pick([f for f in facts if f.label == subject.label])
        direct = [f for f in changes if f.label == subject.label or subject.label in f.label
                  or (subject.surface and subject.surface in f.label)]
        if not direct and current is not None and current.value is not None:
            for ch in changes:
                same = [f for f in facts if f.label == ch.label and f.measure == "amount" and f.value == current.value]
                if same:
                    direct = [ch]
                    break
        if not direct and link.is_grand_total(subject.label):  # "收、支预算总计各增加…": the budget as a whole
            direct = sorted((f for f in changes if _WHOLE_BUDGET.search(f.label)),
                            key=lambda f: "收" in f.label)
        if direct:
            ch = direct[0]
            amounts = [f for f in facts if f.label == ch.label and f.measure == "amount"
                       and f.source_text == ch.source_text]
            cur = amounts[0] if amounts else current
            if cur is None or cur.value is None:
                cur = view.pick([f for f in facts if f.label == ch.label and f.measure == "amount"])
            return ch, cur
    return None, None

def stated_prior(view: FactView, ctx: Ctx, subject: Subject) -> Answer | None:
    """A prior-year figure the document states outright ("2025年当年预算执行数为60.41万元")."""
    q = ctx.q
    for doc in ctx.docs:
        year = next((y for y in q.years if doc.year and y < doc.year), (doc.year or 0) - 1)
        candidates = [f for f in view.facts_of(doc.id) if f.from_narrative and f.measure == "amount"
                      and f.ref_year == year and f.value is not None]
        if not candidates:
            continue
        about = {p.text for p in view.passages_of(doc.id) if subject.label in p.text}
        stated = [f for f in candidates if subject.label == f.label
                  or any(f.source_text in text and text.index(subject.label) < text.index(f.source_text)
                         for text in about)]
        if stated:
            f = stated[0]
            value, unit, formula = render.value_in(view, q, f)
            text = (f"{render.doc_name(view, q, doc)}写明：{year}年{subject.label}{f.label}为 {format_number(value)} {unit}。"
                    if q.zh else f"{render.doc_name(view, q, doc)} states the {year} figure for "
                    f"{render.item_name(view, q, subject.label)} ({f.label}): {format_number(value)} {unit}.")
            return Answer(q.text, "answered", text, lang=q.lang, value=value, unit=unit, formula=formula,
                          citations=render.cite(view, f))
    return None

def change(view: FactView, ctx: Ctx, subject: Subject, op: str) -> Answer:
    q = ctx.q
    if op == "prior":
        stated = stated_prior(view, ctx, subject)
        if stated is not None:
            return stated
    measure = "change_pct" if op == "growth" else "change"
    ch, cur = change_fact(view, ctx, subject, measure)
    if ch is None and op == "growth":
        ch2, cur2 = change_fact(view, ctx, subject, "change")
        if ch2 is not None and cur2 is not None and cur2.value is not None:
            prior = calc.prior_from_change(cur2.value, ch2.value, cur2.unit)
            r = calc.growth_rate(cur2.value, prior.value)
            falling = r.value < 0
            if q.presumed_direction == (-1 if falling else 1):
                r = calc.Result(abs(r.value), r.unit, r.formula)  # "下降了百分之几" asks for the size
            text = (f"{ch2.label}{cur2.ref_year or ''}年为 {format_number(cur2.value)} {cur2.unit}，比{ch2.compared_with}"
                    f"{'下降' if falling else '增长'} {abs(r.value)}%。" if q.zh else
                    f"{render.item_name(view, q, ch2.label)} changed by {r.value}% against {ch2.compared_with} "
                    f"({'a decrease' if falling else 'an increase'}).")
            text += presumption_note(q, falling)
            return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit="%",
                          formula=f"{prior.formula}; {r.formula}", citations=render.cite(view, cur2, ch2))
    if ch is None:
        year = (ctx.docs[0].year or 0) - 1
        text = (f"文件没有说明{subject.label}与{year}年相比的变化，因此无法给出{year}年的数字。" if q.zh else
                f"The document does not state how {render.item_name(view, q, subject.label)} compares with {year}, "
                f"so no {year} figure can be given.")
        return Answer(q.text, "not_found", text, lang=q.lang)
    doc = view.doc(ch)
    name = subject.label if link.is_grand_total(subject.label) else ch.label  # not a clause's fragment
    if op == "prior":
        if cur is None or cur.value is None:
            return render.not_found_item(view, ctx, subject.surface)
        r = render.in_target(view, q, calc.prior_from_change(cur.value, ch.value, cur.unit))
        base_year = re.match(r"(20\d{2})", ch.compared_with)
        yr = base_year.group(1) if base_year else str((doc.year or 0) - 1)
        text = (f"{yr}年（{ch.compared_with}）的{name}为 {format_number(r.value)} {r.unit}：{doc.year}年为 "
                f"{format_number(cur.value)} {cur.unit}，比{ch.compared_with}{'减少' if ch.value < 0 else '增加'} "
                f"{format_number(abs(ch.value))} {ch.unit}。" if q.zh else
                f"{render.item_name(view, q, name)} for {yr} ({ch.compared_with}) was "
                f"{format_number(r.value)} {r.unit}: "
                f"{doc.year} is {format_number(cur.value)} {cur.unit}, {format_number(abs(ch.value))} {ch.unit} "
                f"{'less' if ch.value < 0 else 'more'} than {yr}.")
        return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=r.unit, formula=r.formula,
                      citations=render.cite(view, cur, ch))
    value = ch.value
    unit = ch.unit
    formula = None
    falling = value < 0  # the direction comes from the sign, before any size is taken
    if q.presumed_direction == (-1 if falling else 1):
        value = abs(value)  # "减少了多少" of a real decrease asks for the size of the cut
    if q.target_unit and unit in MONEY_FACTORS and q.target_unit != unit:
        conv = calc.in_unit(value, unit, q.target_unit)
        value, unit, formula = conv.value, conv.unit, conv.formula
    signed = -abs(value) if falling else abs(value)  # the change as signed, whatever size was asked for
    text = (f"{render.doc_name(view, q, doc)}：{name}比{ch.compared_with}{'减少' if falling else '增加'} "
            f"{format_number(abs(value))}{unit}（变化值 {format_number(signed)}{unit}）。" if q.zh else
            f"{render.item_name(view, q, name)} changed by {format_number(signed)}{unit} "
            f"against {ch.compared_with} "
            f"({'a decrease' if falling else 'an increase'}), per {render.doc_name(view, q, doc)}.")
    text += presumption_note(q, falling)
    return Answer(q.text, "answered", text, lang=q.lang, value=value, unit=unit, formula=formula,
                  citations=render.cite(view, ch))

def across_years(view: FactView, ctx: Ctx, subject: Subject, op: str) -> Answer:
    """The same item in two years' documents of one department: change and growth rate."""
    q = ctx.q
    by_year: dict[int, Fact] = {}
    for d in sorted(ctx.docs, key=lambda d: d.year or 0):
        f = view.pick([g for g in view.facts_of(d.id) if g.label == subject.label], link.column_hint(view, ctx, subject))
        if f is not None and f.value is not None and d.year:
            by_year[d.year] = f
    if len(by_year) < 2 or len({f.department for f in by_year.values()}) > 1:
        return render.ambiguous(view, ctx, ctx.docs) if len(by_year) >= 2 else render.not_found_item(view, ctx, subject.surface)
    (y0, old), (y1, new) = sorted(by_year.items())[0], sorted(by_year.items())[-1]
    old_value = convert(old.value, old.unit, new.unit) if old.unit != new.unit else old.value
    if op == "growth":
        r = calc.growth_rate(new.value, old_value)
    else:
        r = render.in_target(view, q, calc.difference(new.value, old_value, new.unit))
    word = ("增加" if r.value >= 0 else "减少") if q.zh else ("up" if r.value >= 0 else "down")
    amount = f"{abs(r.value)}%" if op == "growth" else f"{format_number(abs(r.value))} {r.unit}"
    text = (f"{new.label}：{y1}年 {format_number(new.value)} {new.unit}，{y0}年 {format_number(old_value)} {new.unit}，"
            f"{word} {amount}。" if q.zh else
            f"{render.item_name(view, q, new.label)}: {format_number(new.value)} {new.unit} in {y1} against "
            f"{format_number(old_value)} {new.unit} in {y0}, {word} {amount}.")
    return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=r.unit, formula=r.formula,
                  citations=render.cite(view, new, old))


def presumption_note(q, falling: bool) -> str:
    """When the question presumes the other direction, the answer says so instead of echoing it."""
    p = q.presumed_direction
    if p is None or (p == 1 and not falling) or (p == -1 and falling):
        return ""
    up = p == 1
    if q.zh:
        return f"注意：实际是{'减少' if falling else '增加'}，不是{'增加' if up else '减少'}。"
    return f" Note: it is {'a decrease' if falling else 'an increase'}, not {'an increase' if up else 'a decrease'}."
