"""One item's figure: a cell, a narrative figure, a blank cell or a stated none, with its asides.

The asides (the unit budget's own figure, the same figure in another file, what the item pays for, its
share of the total) are further phrases of the Result; the wording is in app/pipeline/answers.toml.
"""

from __future__ import annotations

from decimal import Decimal

from app.lang.label_match import item_core
from app.ops.base import Asked, Plan
from app.ops.describe import passage_citation
from app.ops.figures import cite, value_in
from app.pipeline import calculate as calc
from app.pipeline import link, refusals
from app.pipeline.answer import Citation
from app.pipeline.context import _VOCAB, Ctx, Subject
from app.pipeline.factview import FactView
from app.pipeline.purpose import purpose_of
from app.pipeline.result import Column, Item, Phrase, Result, say
from ingest.model import Fact


def lookup(view: FactView, ctx: Ctx, subject: Subject) -> Result:
    docs = view.docs_with(ctx, subject)
    also: list[Fact] = []
    if view.several(docs):
        same = same_in_both(view, ctx, subject, docs)
        if same is None:
            return refusals.ambiguous(view, ctx, docs)
        docs, also = same
    cands = view.facts_for(ctx, subject, docs)
    none_facts = [f for f in cands if f.measure == "none"]
    fact = view.pick(cands, link.column_hint(view, ctx, subject))
    if fact is not None and not none_facts:
        none_facts = related_none(view, fact.document_id, subject.label)
    if fact is None or fact.value is None:
        return no_figure(view, ctx, subject, fact, none_facts, cands)
    value, unit, formula = value_in(ctx.q, fact)
    phrases = [say("lookup.table" if fact.table_id else "lookup.narrative", doc=view.doc(fact),
                   item=Item(fact.label), value=value, unit=unit, column=Column(fact.column),
                   table_id=fact.table_id, table_title=fact.table_title)]
    citations = cite(view, fact)
    asides = [*beside(view, ctx, subject, fact, also), *notes(view, ctx, subject, fact, none_facts)]
    for phrase, cited in asides:
        phrases.append(phrase)
        citations += cited
    total = view.total_for(ctx, fact) if fact.table_id and not fact.is_total and fact.side == "支出" else None
    if total is not None and total.value and fact.value is not None and not formula:
        r = calc.share(fact.value, total.value, fact.unit)
        formula = r.formula
        phrases.append(say("lookup.share_of_total", total=Item(total.label), total_value=total.value,
                           unit=fact.unit, rate=r.value))
        citations += cite(view, total)
    return Result("answered", tuple(phrases), value=value, unit=unit, formula=formula, citations=citations)


def no_figure(view: FactView, ctx: Ctx, subject: Subject, fact: Fact | None, none_facts: list[Fact],
              cands: list[Fact]) -> Result:
    """No figure to quote: a stated none, a blank cell (explained, or stated in the narrative), or nothing."""
    if none_facts:
        return none_answer(view, ctx, subject, none_facts[0], cands)
    if fact is None:
        return refusals.not_found_item(view, ctx, subject.surface)
    note = blank_note(view, ctx, fact, subject)
    if note is not None:
        return note
    stated = narrative_for_blank(view, ctx, fact, (subject.surface,) if subject.via == "table_total" else ())
    if stated is not None:  # the table leaves it blank, the narrative states the figure (公务用车购置 0万元)
        return narrative_value(view, ctx, stated).plus(say("lookup.blank_cell", table_id=fact.table_id),
                                                       citations=cite(view, fact))
    return Result("answered", (say("lookup.blank", doc=view.doc(fact), row=fact.row_label,
                                   item=Item(fact.label), column=Column(fact.column)),),
                  citations=cite(view, fact))


Aside = tuple[Phrase, tuple[Citation, ...]]


def beside(view: FactView, ctx: Ctx, subject: Subject, fact: Fact, also: list[Fact]) -> list[Aside]:
    """The unit budget's own figure beside a department budget's, and the same figure in other files."""
    near = sibling_facts(view, ctx, subject, fact)
    also = also + [f for f in near if (f.value, f.unit) == (fact.value, fact.unit)]
    out = [(say("lookup.unit_budget", doc=view.doc(f), value=f.value, unit=f.unit), cite(view, f))
           for f in near if (f.value, f.unit) != (fact.value, fact.unit)]
    if also:
        out.append((say("lookup.same_figure", docs=tuple(view.doc(f) for f in also)), cite(view, *also)))
    return out


def notes(view: FactView, ctx: Ctx, subject: Subject, fact: Fact, none_facts: list[Fact]) -> list[Aside]:
    """What the document says besides the figure: a stated none beside a 0, what pays for the item asked,
    what the item pays for."""
    out: list[Aside] = []
    if none_facts and fact.value == 0:
        out.append((say("lookup.also_states", said=none_facts[0].source_text), cite(view, none_facts[0])))
    if subject.via == "pays_for":
        note = subject.note
        out.append((say("lookup.pays_for_noted", surface=subject.surface, item=Item(fact.label),
                        said=note.source_text) if note else
                    say("lookup.pays_for", surface=subject.surface, item=Item(fact.label)),
                    cite(view, note) if note else ()))
    if _VOCAB.purpose.search(ctx.q.norm):  # "主要花在哪些方面": what the narrative says the item pays for
        out += purpose_note(view, ctx, subject, fact)
    return out


def purpose_note(view: FactView, ctx: Ctx, subject: Subject, fact: Fact) -> list[Aside]:
    doc = view.doc(fact)
    names = [fact.label, *([subject.term.zh, *subject.term.synonyms_zh] if subject.term else [])]
    same = [d for d in ctx.docs if (d.department, d.year) == (doc.department, doc.year)]
    found = purpose_of(view, same, list(dict.fromkeys(n for n in names if n)))
    if found is None:
        return []
    said, passage = found
    said = said if len(said) <= 300 else said[:300] + "…"
    return [(say("lookup.purpose", said=said), (passage_citation(view, passage, said),))]


def same_in_both(view: FactView, ctx: Ctx, subject: Subject, docs: list) -> tuple[list, list[Fact]] | None:
    """One department's 部门预算 and 单位预算 printing the same figure: answer it, citing both."""
    if len({(d.department, d.year) for d in docs}) != 1:
        return None
    hint = link.column_hint(view, ctx, subject)
    picks = [view.pick(view.facts_for(ctx, subject, [d]), hint) for d in docs]
    if any(p is None or p.value is None for p in picks) or len({(p.value, p.unit) for p in picks}) != 1:
        return None
    order = sorted(range(len(docs)), key=lambda i: docs[i].kind != "部门预算")
    return [docs[order[0]]], [picks[i] for i in order[1:]]

def narrative_for_blank(view: FactView, ctx: Ctx, blank: Fact, also: tuple[str, ...] = ()) -> Fact | None:
    """The narrative's figure for an item a table prints blank: the same item once 费/预算/支出 endings are set
    aside ("公务用车购置费" and "公务用车购置预算支出"), in the same disclosure. ``also``: other names of the
    item (a fund's blank 合计 row is that fund's spending: "政府性基金支出预算支出 0 万元")."""
    doc = view.doc(blank)
    cores = {c for c in (item_core(n) for n in (blank.label, *also)) if len(c) >= 2}
    if doc is None or not cores:
        return None
    for d in ctx.docs:
        if (d.department, d.year) != (doc.department, doc.year):
            continue
        for f in view.facts_of(d.id):
            if (f.from_narrative and f.measure == "amount" and f.value is not None
                    and item_core(f.label) in cores):
                return f
    return None


def sibling_facts(view: FactView, ctx: Ctx, subject: Subject, fact: Fact) -> list[Fact]:
    """The same item in the 单位预算 printed beside the answering 部门预算 (same department and year)."""
    doc = view.doc(fact)
    out = []
    for d in ctx.siblings:
        if doc is None or (d.department, d.year) != (doc.department, doc.year):
            continue
        f = view.pick(view.facts_for(ctx, subject, [d]), link.column_hint(view, ctx, subject))
        if f is not None and f.value is not None:
            out.append(f)
    return out

def related_none(view: FactView, doc_id: str, label: str) -> list[Fact]:
    """"本部门无…" sentences about the same item (sharing a specific run of 4+ characters)."""
    from difflib import SequenceMatcher

    out = []
    for f in view.facts_of(doc_id):
        if f.measure != "none":
            continue
        m = SequenceMatcher(None, label, f.label).find_longest_match(0, len(label), 0, len(f.label))
        common = label[m.a:m.a + m.size]
        if m.size >= 4 and common not in ("一般公共预算", "预算拨款", "财政拨款"):
            out.append(f)
    return out

def blank_note(view: FactView, ctx: Ctx, fact: Fact, subject: Subject) -> Result | None:
    """A blank table whose emptiness the narrative explains (本部门无…): answer none, citing both."""
    for t in view.tables_of(fact.document_id):
        if t.table_id == fact.table_id and t.note:
            none = [f for f in view.facts_of(fact.document_id)
                    if f.measure == "none" and f.source_text == t.note]
            if none:
                return none_answer(view, ctx, subject, none[0], [fact])
    return None

def none_answer(view: FactView, ctx: Ctx, subject: Subject, none: Fact, cells: list[Fact]) -> Result:
    phrases = [say("lookup.none", doc=view.doc(none), said=none.source_text)]
    blank = [f for f in cells if f.table_id and f.value is None]
    if blank:
        phrases.append(say("lookup.none_blank", table_id=blank[0].table_id))
    unit = next((f.unit for f in cells if f.unit), "")  # "none" is the figure 0, in the unit the table prints
    return Result("answered", tuple(phrases), value=Decimal(0), unit=unit,
                  citations=cite(view, none, *blank[:1]))

def narrative_value(view: FactView, ctx: Ctx, fact: Fact) -> Result:
    said = say("lookup.stated", doc=view.doc(fact), item=Item(fact.label), value=fact.value, unit=fact.unit)
    return Result("answered", (said,),
                  value=fact.value, unit=fact.unit, citations=cite(view, fact))


class Lookup:
    """One item's figure: what answers when no other operation applies."""

    name = "lookup"
    order = 100
    asks = frozenset({"lookup"})
    keys = frozenset({"lookup.table", "lookup.narrative", "lookup.stated", "lookup.blank",
                      "lookup.blank_cell", "lookup.none", "lookup.none_blank", "lookup.unit_budget",
                      "lookup.same_figure", "lookup.also_states", "lookup.pays_for", "lookup.pays_for_noted",
                      "lookup.purpose", "lookup.share_of_total"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return True

    def unanswered(self, asked: Asked) -> str | None:
        return None if asked.subjects else ""

    def run(self, plan: Plan, view: FactView) -> Result:
        return lookup(view, plan.ctx, plan.subjects[0])


OPERATIONS = (Lookup(),)
