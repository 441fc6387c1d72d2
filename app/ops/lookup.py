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
from app.context import _VOCAB, Ctx, Subject
from app.factview import FactView
from app.ops.describe import passage_citation
from app.purpose import purpose_of
from ingest.model import Fact
from ingest.numbers import format_number


def lookup(view: FactView, ctx: Ctx, subject: Subject) -> Answer:
    q = ctx.q
    docs = view.docs_with(ctx, subject.label)
    also: list[Fact] = []
    if view.several(docs):
        same = same_in_both(view, ctx, subject, docs)
        if same is None:
            return render.ambiguous(view, ctx, docs)
        docs, also = same
    cands = view.candidates(ctx, subject.label, docs)
    none_facts = [f for f in cands if f.measure == "none"]
    fact = view.pick(cands, link.column_hint(view, ctx, subject))
    if fact is not None and not none_facts:
        none_facts = related_none(view, fact.document_id, subject.label)
    if fact is None or (none_facts and fact.value is None):
        if none_facts:
            return none_answer(view, ctx, subject, none_facts[0], cands)
        return render.not_found_item(view, ctx, subject.surface)
    if fact.value is None:
        note = blank_note(view, ctx, fact, subject)
        if note is not None:
            return note
        stated = narrative_for_blank(view, ctx, fact)
        if stated is not None:  # the table leaves it blank, the narrative states the figure (公务用车购置 0万元)
            said = narrative_value(view, ctx, stated)
            said.answer += (f" 表{fact.table_id}中该栏为空白。" if q.zh else
                            f" Table {fact.table_id} prints this cell blank.")
            said.citations += render.cite(view, fact)
            return said
        text = (f"{render.doc_name(view, q, view.doc(fact))}中，{fact.row_label}（{fact.column}）一栏是空白，未披露数字（空白不等于零）。"
                if q.zh else f"In {render.doc_name(view, q, view.doc(fact))}, {render.item_name(view, q, fact.label)} "
                f"({fact.column}) is printed blank: no figure is disclosed (blank is not zero).")
        return Answer(q.text, "answered", text, lang=q.lang, citations=render.cite(view, fact))
    value, unit, formula = render.value_in(view, q, fact)
    doc = view.doc(fact)
    where = f"表{fact.table_id}{fact.table_title}" if fact.table_id else "情况说明"
    col = f"（{fact.column}）" if fact.table_id else ""
    if q.zh:
        text = f"{render.doc_name(view, q, doc)}：{fact.label}{col}为 {format_number(value)} {unit}（{where}）。"
    else:
        text = (f"{render.item_name(view, q, fact.label)}{' — ' + fact.column if fact.table_id else ''}: "
                f"{format_number(value)} {unit}, per {render.doc_name(view, q, doc)} "
                f"({'table ' + fact.table_id + ' ' + fact.table_title if fact.table_id else 'narrative'}).")
    citations = render.cite(view, fact)
    beside = sibling_facts(view, ctx, subject, fact)
    also += [f for f in beside if (f.value, f.unit) == (fact.value, fact.unit)]
    for f in beside:
        if (f.value, f.unit) != (fact.value, fact.unit):
            text += render.unit_budget_aside(view, q, f)
            citations += render.cite(view, f)
    if also:
        text += (" " + "、".join(f"{render.doc_name(view, q, view.doc(f))}" for f in also) + "列出相同数字。" if q.zh else
                 " The same figure is printed in " + "; ".join(render.doc_name(view, q, view.doc(f)) for f in also) + ".")
        citations += render.cite(view, *also)
    if none_facts and fact.value == 0:
        text += (f" 文件另写明：“{none_facts[0].source_text}”" if q.zh else
                 f" The document also states: “{none_facts[0].source_text}”")
        citations += render.cite(view, none_facts[0])
    if subject.via == "pays_for":
        note = subject.note
        if q.zh:
            text += f" 说明：{subject.surface}由“{fact.label}”列支" + (f"（“{note.source_text}”）。" if note else "。")
        else:
            text += (f" Note: {subject.surface} is paid from {render.item_name(view, q, fact.label)}"
                     + (f" (the document says: “{note.source_text}”)." if note else "."))
        if note:
            citations += render.cite(view, note)
    if _VOCAB.purpose.search(q.norm):  # "主要花在哪些方面": what the narrative says the item pays for
        names = [fact.label, *([subject.term.zh, *subject.term.synonyms_zh] if subject.term else [])]
        same = [d for d in ctx.docs if (d.department, d.year) == (doc.department, doc.year)]
        found = purpose_of(view, same,
                           list(dict.fromkeys(n for n in names if n)))
        if found is not None:
            said, passage = found
            said = said if len(said) <= 300 else said[:300] + "…"
            text += f" 文件说明：“{said}”" if q.zh else f" The document says what it pays for: “{said}”"
            citations.append(passage_citation(view, passage, said))
    total = view.total_for(ctx, fact) if fact.table_id and not fact.is_total and fact.side == "支出" else None
    if total is not None and total.value and fact.value is not None and not formula:
        r = calc.share(fact.value, total.value, fact.unit)
        formula = r.formula
        text += (f" 占{total.label} {format_number(total.value)} {fact.unit} 的 {r.value}%。" if q.zh else
                 f" That is {r.value}% of the {render.item_name(view, q, total.label)} of {format_number(total.value)} "
                 f"{fact.unit}.")
        citations += render.cite(view, total)
    return Answer(q.text, "answered", text, lang=q.lang, value=value, unit=unit, formula=formula,
                  citations=citations)

def same_in_both(view: FactView, ctx: Ctx, subject: Subject, docs: list) -> tuple[list, list[Fact]] | None:
    """One department's 部门预算 and 单位预算 printing the same figure: answer it, citing both."""
    if len({(d.department, d.year) for d in docs}) != 1:
        return None
    hint = link.column_hint(view, ctx, subject)
    picks = [view.pick(view.candidates(ctx, subject.label, [d]), hint) for d in docs]
    if any(p is None or p.value is None for p in picks) or len({(p.value, p.unit) for p in picks}) != 1:
        return None
    order = sorted(range(len(docs)), key=lambda i: docs[i].kind != "部门预算")
    return [docs[order[0]]], [picks[i] for i in order[1:]]

_AFFIX = re.compile(r"(预算)?(支出|经费|费用|费)?(预算)?数?$")


def narrative_for_blank(view: FactView, ctx: Ctx, blank: Fact) -> Fact | None:
    """The narrative's figure for an item a table prints blank: the same item once 费/预算/支出 endings are set
    aside
    ("公务用车购置费" and "公务用车购置预算支出"), in the same disclosure."""
    doc = view.doc(blank)
    core = _AFFIX.sub("", blank.label)
    if doc is None or len(core) < 2:
        return None
    for d in ctx.docs:
        if (d.department, d.year) != (doc.department, doc.year):
            continue
        for f in view.facts_of(d.id):
            if f.from_narrative and f.measure == "amount" and f.value is not None \
                    and _AFFIX.sub("", f.label) == core:
                return f
    return None


def sibling_facts(view: FactView, ctx: Ctx, subject: Subject, fact: Fact) -> list[Fact]:
    """The same item in the 单位预算 printed beside the answering 部门预算 (same department and year)."""
    doc = view.doc(fact)
    out = []
    for d in ctx.siblings:
        if doc is None or (d.department, d.year) != (doc.department, doc.year):
            continue
        f = view.pick(view.candidates(ctx, subject.label, [d]), link.column_hint(view, ctx, subject))
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

def blank_note(view: FactView, ctx: Ctx, fact: Fact, subject: Subject) -> Answer | None:
    """A blank table whose emptiness the narrative explains (本部门无…): answer none, citing both."""
    for t in view.tables_of(fact.document_id):
        if t.table_id == fact.table_id and t.note:
            none = [f for f in view.facts_of(fact.document_id) if f.measure == "none" and f.source_text == t.note]
            if none:
                return none_answer(view, ctx, subject, none[0], [fact])
    return None

def none_answer(view: FactView, ctx: Ctx, subject: Subject, none: Fact, cells: list[Fact]) -> Answer:
    q = ctx.q
    doc = view.doc(none)
    text = (f"{render.doc_name(view, q, doc)}没有这项支出：文件写明“{none.source_text}”" if q.zh else
            f"None: {render.doc_name(view, q, doc)} states that it has no such item — “{none.source_text}”")
    blank = [f for f in cells if f.table_id and f.value is None]
    if blank:
        text += ("；相应表格（表" + blank[0].table_id + "）为空白。" if q.zh else
                 f"; table {blank[0].table_id} is printed blank.")
    unit = next((f.unit for f in cells if f.unit), "")  # "none" is the figure 0, in the unit the table prints
    return Answer(q.text, "answered", text, lang=q.lang, value=Decimal(0), unit=unit,
                  citations=render.cite(view, none, *blank[:1]))

def narrative_value(view: FactView, ctx: Ctx, fact: Fact) -> Answer:
    q = ctx.q
    doc = view.doc(fact)
    text = (f"{render.doc_name(view, q, doc)}：{fact.label}为 {format_number(fact.value)}{fact.unit}（情况说明）。" if q.zh else
            f"{render.item_name(view, q, fact.label)}: {format_number(fact.value)}{fact.unit}, as stated in "
            f"{render.doc_name(view, q, doc)}.")
    return Answer(q.text, "answered", text, lang=q.lang, value=fact.value, unit=fact.unit,
                  citations=render.cite(view, fact))

