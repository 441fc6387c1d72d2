"""Changes against the prior year: stated changes, derived prior-year figures, documents of two years.

The direction word comes from the sign (a phrase key, app/pipeline/answers.toml); a question presuming the
other direction gets a note phrase, never an echo.
"""

from __future__ import annotations

import re

from app.ops.base import Asked, Plan
from app.ops.figures import cite, in_target, value_in
from app.pipeline import calculate as calc
from app.pipeline import link, refusals
from app.pipeline.context import _VOCAB, Ctx, Subject
from app.pipeline.factview import FactView, by_document
from app.pipeline.result import Item, Phrase, Result, refusal, say
from ingest import template
from ingest.model import Fact
from ingest.units import MONEY_FACTORS, convert

_WHOLE_BUDGET = re.compile(r"(总计|总预算|收支预算|支出预算$|收入预算$)")
# a fund's or a part's total ("财政拨款收、支总计各", "一般公共预算财政拨款支出预算"), not the budget's as a whole:
# the words the template names a table's fund or part by (ingest/template.toml)
_ONE_FUND = re.compile("|".join((*template.table_fund_words(), *template.table_part_words())))


def change_fact(view: FactView, ctx: Ctx, subject: Subject, measure: str) -> tuple[Fact | None, Fact | None]:
    """The stated change for a subject and the current figure it is a change of: the change stated under one
    of the subject's names, else (the grand total) the budget's as a whole, else the change of the item
    stated with the subject's figure, the one whose words and side (收入/支出) fit the question best."""
    for doc in ctx.docs:
        facts = view.facts_of(doc.id)
        changes = [f for f in facts if f.measure == measure]
        column = subject.column if subject.via == "column" else ""  # 基本支出: a column of the 合计 row
        current = view.pick(view.facts_for(ctx, subject, [doc]), hint=column)
        direct = (_named_changes(subject, column, changes) or _whole_budget(ctx, subject, column, changes)
                  or _same_figure(ctx, subject, facts, changes, current))
        if direct:
            return direct[0], _current_of(view, facts, direct[0], current)
    return None, None


def _named_changes(subject: Subject, column: str, changes: list[Fact]) -> list[Fact]:
    key = column or subject.label
    names = {key} | (set() if column else _names(subject))
    exact = [f for f in changes if f.label in names]
    return exact or [f for f in changes if key in f.label or (subject.surface and subject.surface in f.label)]


def _whole_budget(ctx: Ctx, subject: Subject, column: str, changes: list[Fact]) -> list[Fact]:
    """"收、支预算总计各增加…": the budget as a whole, income first when income is asked."""
    if column or not link.is_grand_total(subject.label):
        return []
    income = bool(_VOCAB.income_words.search(ctx.q.norm))
    whole = [f for f in changes if _WHOLE_BUDGET.search(f.label) and not _ONE_FUND.search(f.label)]
    return sorted(whole, key=lambda f: (template.load().income in f.label) != income)


def _same_figure(ctx: Ctx, subject: Subject, facts: list[Fact], changes: list[Fact],
                 current: Fact | None) -> list[Fact]:
    """The changes of items stated with the subject's figure, those naming the subject's words and the side
    the question asks (spending / income) first."""
    if current is None or current.value is None:
        return []
    amounts = {f.label for f in facts if f.measure == "amount" and f.value == current.value}
    names = [n for n in {subject.surface, *_names(subject)} if n and len(n) >= 2]
    tpl = template.load()
    side = tpl.income if _VOCAB.income_words.search(ctx.q.norm) else tpl.spending \
        if _VOCAB.spending_words.search(ctx.q.norm) else ""

    def fit(f: Fact) -> int:
        return 2 * any(n in f.label for n in names) + (bool(side) and side in f.label)

    same = [f for f in changes if f.label in amounts]
    return sorted(same, key=fit, reverse=True)[:1]


def _current_of(view: FactView, facts: list[Fact], ch: Fact, current: Fact | None) -> Fact | None:
    """The figure a change is of: the amount stated in its own sentence, else the subject's."""
    amounts = [f for f in facts
               if f.label == ch.label and f.measure == "amount" and f.source_text == ch.source_text]
    cur = amounts[0] if amounts else current
    if cur is None or cur.value is None:
        cur = view.pick([f for f in facts if f.label == ch.label and f.measure == "amount"])
    return cur


def stated_prior(view: FactView, ctx: Ctx, subject: Subject) -> Result | None:
    """A prior-year figure the document states outright ("2025年当年预算执行数为60.41万元")."""
    q = ctx.q
    for doc in ctx.docs:
        year = next((y for y in q.years if doc.year and y < doc.year), (doc.year or 0) - 1)
        facts = view.facts_of(doc.id)
        compared = [f for f in facts if f.measure == "prior" and f.value is not None and f.ref_year == year
                    and (f.label == subject.label or f.label in _names(subject))]
        candidates = compared or [f for f in facts if f.from_narrative and f.measure == "amount"
                                  and f.ref_year == year and f.value is not None]
        if not candidates:
            continue
        about = {p.text for p in view.passages_of(doc.id) if subject.label in p.text}
        stated = compared or [f for f in candidates if subject.label == f.label
                              or any(f.source_text in text
                                     and text.index(subject.label) < text.index(f.source_text)
                                     for text in about)]
        if stated:
            f = stated[0]
            value, unit, formula = value_in(q, f)
            said = say("change.stated_base", doc=doc, item=Item(subject.label), compared=f.compared_with,
                       value=value, unit=unit) if f.measure == "prior" else \
                say("change.stated_prior", doc=doc, year=year, item=Item(subject.label), stated=f.label,
                    value=value, unit=unit)
            return Result("answered", (said,),
                          value=value, unit=unit, formula=formula, citations=cite(view, f))
    return None

def _names(subject: Subject) -> set[str]:
    return {subject.label, *((subject.term.zh, *subject.term.synonyms_zh) if subject.term else ())}


def change(view: FactView, ctx: Ctx, subject: Subject, op: str) -> Result:
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
            said = say("change.growth_derived", item=Item(ch2.label), year=cur2.ref_year or "",
                       current=cur2.value, unit=cur2.unit, compared=ch2.compared_with,
                       dir=say("dir.fall" if falling else "dir.rise"), size=abs(r.value), rate=r.value)
            return Result("answered", (said, *presumption_note(q, falling)), value=r.value, unit="%",
                          formula=f"{prior.formula}; {r.formula}", citations=cite(view, cur2, ch2))
    if ch is None:
        printed = table_prior(view, ctx, subject)
        if printed is not None:  # the table prints last year's figure beside this year's
            return printed_change(view, ctx, *printed, op)
        asked = subject.column if subject.via == "column" and subject.column else subject.label
        return refusal(say("change.no_statement", item=Item(asked), year=(ctx.docs[0].year or 0) - 1))
    doc = view.doc(ch)
    name = Item(subject.label if link.is_grand_total(subject.label) else ch.label)  # not a clause's fragment
    if op == "prior":
        if cur is None or cur.value is None:
            return refusals.not_found_item(view, ctx, subject.surface)
        r = in_target(q, calc.prior_from_change(cur.value, ch.value, cur.unit))
        base_year = re.match(r"(20\d{2})", ch.compared_with)
        prior_year = base_year.group(1) if base_year else str((doc.year or 0) - 1)
        said = say("change.prior", prior_year=prior_year, compared=ch.compared_with,
                   compared_note="" if ch.compared_with.rstrip("年") == prior_year
                   else say("change.compared_note", compared=ch.compared_with),
                   item=name, value=r.value, unit=r.unit, year=doc.year,
                   current=cur.value, current_unit=cur.unit, change=abs(ch.value), change_unit=ch.unit,
                   dir=say("dir.less" if ch.value < 0 else "dir.more"))
        return Result("answered", (said,), value=r.value, unit=r.unit, formula=r.formula,
                      citations=cite(view, cur, ch))
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
    said = say("change.stated", doc=doc, item=name, compared=ch.compared_with,
               dir=say("dir.decrease" if falling else "dir.increase"), size=abs(value), signed=signed,
               unit=unit)
    return Result("answered", (said, *presumption_note(q, falling)), value=value, unit=unit, formula=formula,
                  citations=cite(view, ch))

def table_prior(view: FactView, ctx: Ctx, subject: Subject) -> tuple[Fact, Fact] | None:
    """This year's cell and last year's printed beside it: the same table row, fund, part and unit of the
    department, the column the template names 上年预算 (Shenzhen's 三公 table: 2025年 | 2026年 | 增减变化金额)."""
    if view.several(ctx.docs):
        return None  # one disclosure's own columns only: never a neighbour's figure
    column = subject.column if subject.via == "column" else ""
    last_year = template.load().prior_budget  # the measure of last year's column
    for doc in ctx.docs:
        cur = view.pick(view.facts_for(ctx, subject, [doc]), hint=column)
        if cur is None or cur.value is None or not cur.table_type:
            continue
        same = (cur.table_id, cur.row_index, cur.side, cur.entity, cur.fund, cur.part)
        prior = [f for f in view.facts_of(doc.id) if f.basis == last_year and f.value is not None
                 and (f.table_id, f.row_index, f.side, f.entity, f.fund, f.part) == same]
        if prior:
            return cur, prior[0]
    return None


def printed_change(view: FactView, ctx: Ctx, cur: Fact, prior: Fact, op: str) -> Result:
    """Last year's printed figure, or the change from it to this year's, with both cells cited."""
    doc = view.doc(cur)
    year = (doc.year or 0) if doc else 0
    if op == "prior":
        value, unit, formula = value_in(ctx.q, prior)
        said = say("change.stated_prior", doc=doc, year=year - 1, item=Item(cur.label), stated=prior.column,
                   value=value, unit=unit)
        return Result("answered", (said,), value=value, unit=unit, formula=formula,
                      citations=cite(view, prior))
    if op == "growth" and prior.value == 0:
        return refusals.not_found_item(view, ctx, cur.label)
    if op == "growth":
        r = calc.growth_rate(cur.value, prior.value)
        amount = say("figure.rate", rate=abs(r.value))
    else:
        r = in_target(ctx.q, calc.difference(cur.value, prior.value, cur.unit))
        amount = say("figure.amount", value=abs(r.value), unit=r.unit)
    said = say("change.across_years", item=Item(cur.label), new_year=year, new=cur.value, unit=cur.unit,
               old_year=year - 1, old=prior.value, dir=say("dir.up" if r.value >= 0 else "dir.down"),
               amount=amount)
    return Result("answered", (said, *presumption_note(ctx.q, r.value < 0)), value=r.value, unit=r.unit,
                  formula=r.formula, citations=cite(view, cur, prior))


def across_years(view: FactView, ctx: Ctx, subject: Subject, op: str) -> Result:
    """The same item in two years' documents of one department: change and growth rate."""
    q = ctx.q
    by_year: dict[int, Fact] = {}
    rows = by_document(view.facts_for(ctx, subject, ctx.docs))  # one read, not one per document
    for d in sorted(ctx.docs, key=lambda d: d.year or 0):
        f = view.pick(rows.get(d.id, []), link.column_hint(view, ctx, subject))
        if f is not None and f.value is not None and d.year:
            by_year[d.year] = f
    if len(by_year) < 2 or len({f.department for f in by_year.values()}) > 1:
        return refusals.ambiguous(view, ctx, ctx.docs) if len(by_year) >= 2 \
            else refusals.not_found_item(view, ctx, subject.surface)
    (y0, old), (y1, new) = sorted(by_year.items())[0], sorted(by_year.items())[-1]
    old_value = convert(old.value, old.unit, new.unit) if old.unit != new.unit else old.value
    if op == "growth":
        r = calc.growth_rate(new.value, old_value)
        amount = say("figure.rate", rate=abs(r.value))
    else:
        r = in_target(q, calc.difference(new.value, old_value, new.unit))
        amount = say("figure.amount", value=abs(r.value), unit=r.unit)
    said = say("change.across_years", item=Item(new.label), new_year=y1, new=new.value, unit=new.unit,
               old_year=y0, old=old_value, dir=say("dir.up" if r.value >= 0 else "dir.down"), amount=amount)
    return Result("answered", (said,), value=r.value, unit=r.unit, formula=r.formula,
                  citations=cite(view, new, old))


def presumption_note(q, falling: bool) -> tuple[Phrase, ...]:
    """When the question presumes the other direction, the answer says so instead of echoing it."""
    p = q.presumed_direction
    if p is None or (p == 1 and not falling) or (p == -1 and falling):
        return ()
    return (say("change.presumption", actual=say("dir.decrease" if falling else "dir.increase"),
                presumed=say("dir.increase" if p == 1 else "dir.decrease")),)


class AcrossYears:
    """A change or growth rate from the same item in two years' documents of one department."""

    name = "across_years"
    order = 40
    asks = frozenset({"change", "growth"})
    keys = frozenset({"change.across_years", "figure.rate", "figure.amount", "dir.up", "dir.down"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return asked.op in self.asks and len({d.year for d in asked.ctx.docs}) > 1

    def unanswered(self, asked: Asked) -> str | None:
        return None if asked.subjects else ""

    def run(self, plan: Plan, view: FactView) -> Result:
        return across_years(view, plan.ctx, plan.subjects[0], plan.operation)


class Change:
    """A change, growth rate or prior-year figure one document states (or that its statements give)."""

    name = "change"
    order = 41
    asks = frozenset({"change", "growth", "prior"})
    keys = frozenset({"change.stated", "change.stated_prior", "change.stated_base", "change.compared_note",
                      "change.prior", "change.growth_derived", "change.no_statement", "change.presumption",
                      "dir.increase", "dir.decrease", "dir.rise", "dir.fall", "dir.more", "dir.less"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return asked.op in self.asks

    def unanswered(self, asked: Asked) -> str | None:
        return None if asked.subjects else ""

    def run(self, plan: Plan, view: FactView) -> Result:
        return change(view, plan.ctx, plan.subjects[0], plan.operation)


OPERATIONS = (AcrossYears(), Change())
