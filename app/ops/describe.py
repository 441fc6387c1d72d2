"""Descriptive questions answered by quoting the narrative or the glossary of terms (名词解释).

Returns a Result (app/pipeline/result.py) with the quote; the wording around it is in
app/pipeline/answers.toml.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.lang import vocabulary
from app.ops.base import Asked, Plan
from app.ops.figures import cite
from app.pipeline import refusals
from app.pipeline.answer import Citation
from app.pipeline.context import Ctx
from app.pipeline.factview import FactView
from app.pipeline.result import Result, say
from app.pipeline.understand import Query
from ingest.model import Fact


def describe(view: FactView, ctx: Ctx) -> Result:
    q = ctx.q
    phrases = [p for p in re.findall(r"[“\"]([^”\"]{2,30})[”\"]", q.norm) if re.search(r"[\u4e00-\u9fff]", p)]
    ctx = saying(view, ctx, phrases)
    if view.several(ctx.docs) and not ctx.named:
        return refusals.ambiguous(view, ctx, ctx.docs)
    terms = [m.term for m in q.terms]
    return (defined(view, ctx, terms, phrases) or divisions(view, ctx) or duties(view, ctx, terms)
            or pays_for(view, ctx, terms) or retrieved(view, ctx, terms))


def saying(view: FactView, ctx: Ctx, phrases: list[str]) -> Ctx:
    """“财政专户管理资金” asked of no department: the documents that define it, else those that say it."""
    if not (view.several(ctx.docs) and not ctx.named and phrases):
        return ctx
    said_in = [d for d in ctx.docs
               if any(ph in p.section + p.text for p in view.passages_of(d.id) for ph in phrases)]
    defining = [d for d in said_in if any(re.search(rf"{re.escape(ph)}[”\"]?\s*[:：]", p.section + p.text)
                                          for p in view.passages_of(d.id) for ph in phrases)]
    said_in = defining or said_in
    return replace(ctx, docs=said_in) if said_in else ctx


def search_text(q: Query, terms: list) -> str:
    """What retrieval searches for: the question, or for an English one the Chinese of its terms."""
    if not (q.lang == "en" or not re.search(r"[\u4e00-\u9fff]", q.norm)):
        return q.norm
    zh_words = [t.zh for t in terms]
    if vocabulary.load().duties_question.search(q.norm) and not terms:
        zh_words.append("主要职能 负责")
    if re.search(r"\b(mean|definition|define)\b", q.norm, re.I):
        zh_words.append("指")
    return " ".join(zh_words) or q.norm


def defined(view: FactView, ctx: Ctx, terms: list, phrases: list[str]) -> Result | None:
    """The passage headed by the term ("（七）“三公”经费：指…"), or the one saying what it mainly includes."""
    if not (terms or phrases):
        return None
    names = [n for n in [*phrases, *(x for t in terms for x in (t.zh, *t.synonyms_zh))] if len(n) >= 2]
    including = re.search(r"(包括|包含|哪些|\binclude|\bcover)", ctx.q.norm, re.I)
    for d in ctx.docs:
        for p in view.passages_of(d.id):
            # a PDF line break can leave "（七）“三公”" as a heading over "经费：指…"
            tail = p.section.split(" > ")[-1]
            heads = [p.text[:40], tail + p.text[:40]] if len(tail) <= 12 else [p.text[:40]]
            if any(re.search(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)?\s*"
                             rf"[“\"]?{re.escape(n)}[”\"]?\s*[:：]", head)
                   for head in heads for n in names):
                return quote(view, ctx, p.text, None, p)
            if any(t.zh in p.text[:60] for t in terms) and "主要包括" in p.text and including:
                return quote(view, ctx, p.text, None, p)
    return None


def divisions(view: FactView, ctx: Ctx) -> Result | None:
    """"内设机构": the headings of the section on how the department is organised."""
    if not re.search(r"(内设机构|内部机构|机构设置|\binternal (divisions|departments|units)\b)", ctx.q.norm, re.I):
        return None
    for d in ctx.docs:
        heads = list(dict.fromkeys(p.section.split(" > ")[-1] for p in view.passages_of(d.id)
                                   if "机构设置" in p.section and p.section.count(" > ") >= 2))
        first = next((p for p in view.passages_of(d.id) if "机构设置" in p.section), None)
        if heads and first is not None:
            return quote(view, ctx, "；".join(heads), None, first)
    return None


def duties(view: FactView, ctx: Ctx, terms: list) -> Result | None:
    """The duties section and its sub-sections ("一、主要职责 > （一）…"), up to a readable length."""
    vocab = vocabulary.load()
    if not vocab.duties_question.search(ctx.q.norm) or terms:
        return None
    found = [p for d in ctx.docs[:1] for p in view.passages_of(d.id)
             if vocab.duties_section.search(p.section)]
    if not found:
        return None
    parts = found[0].section.split(" > ")
    head = " > ".join(parts[: next(i for i, x in enumerate(parts) if vocab.duties_section.search(x)) + 1])
    text = ""
    for p in found:
        if not p.section.startswith(head) or len(text) > 700:
            break
        text += ("；" if text else "") + (p.section.split(" > ")[-1] if p.section != head else "") + p.text
    return quote(view, ctx, text, None, found[0])


def pays_for(view: FactView, ctx: Ctx, terms: list) -> Result | None:
    """"X用于什么": the narrative figure or passage that says what X is used for (用于)."""
    quoted = [m.group(1) for m in re.finditer(r"[(（]([\u4e00-\u9fff“”]{2,30})[)）]", ctx.q.norm)]
    names = [t.zh for t in terms] + quoted
    if not (re.search(r"(用于|用途|用在|used for|purpose|pay for|pays for)", ctx.q.norm, re.I) and names):
        return None
    for d in ctx.docs:
        for f in view.facts_of(d.id):
            if f.from_narrative and "用于" in f.source_text and any(n in f.source_text or f.label == n
                                                                  for n in names):
                return quote(view, ctx, f.source_text, f, None)
        for p in view.passages_of(d.id):
            if "用于" in p.text and any(n in p.text for n in names):
                return quote(view, ctx, p.text, None, p)
    return None


def retrieved(view: FactView, ctx: Ctx, terms: list) -> Result:
    """The passage retrieval finds: one defining a term the question names (指/是/为), else the first."""
    passages = view.retriever.passages(search_text(ctx.q, terms), [d.id for d in ctx.docs], k=5)
    if terms:  # a definition (名词解释) names the term and says 指/是
        for pid, _ in passages:
            p = view.ledger.passages(ids=[pid])[0]
            if any(t.zh in p.text or any(s in p.text for s in t.synonyms_zh) for t in terms) and \
                    re.search(r"[:：]\s*(指|是|为|反映)", p.text):
                return quote(view, ctx, p.text, None, p)
    if not passages:
        return refusals.not_found_item(view, ctx, "")
    p = view.ledger.passages(ids=[passages[0][0]])[0]
    return quote(view, ctx, p.text, None, p)


def quote(view: FactView, ctx: Ctx, text: str, fact: Fact | None, passage) -> Result:
    if passage is not None and text.rstrip().endswith(("：", ":")):  # "主要用于：" — the list follows
        following = view.passages_of(passage.document_id)
        ids = [p.id for p in following]
        if passage.id in ids:
            for p in following[ids.index(passage.id) + 1:ids.index(passage.id) + 3]:
                text += p.text
    doc_id = fact.document_id if fact else passage.document_id
    doc = view.by_id.get(doc_id)
    quote = text if len(text) <= 400 else text[:400] + "…"
    section = passage.section if passage else fact.column
    cites = cite(view, fact) if fact is not None else (passage_citation(view, passage, quote),)
    said = say("describe.quote", doc=doc, section=section, quote=quote)
    return Result("answered", (said,), citations=cites)


def passage_citation(view: FactView, passage, quote: str) -> Citation:
    doc = view.by_id.get(passage.document_id)
    return Citation(document=doc.title if doc else passage.document_id, document_id=passage.document_id,
                    department=doc.department if doc else "", year=doc.year if doc else None,
                    table="narrative", table_title="", row=passage.section, column="", value="", unit="",
                    page=passage.page, line=passage.line, text=quote)


class Describe:
    """What the documents say (a definition, the duties, what an item pays for), quoted."""

    name = "describe"
    order = 5
    asks = frozenset({"describe"})
    keys = frozenset({"describe.quote"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return asked.op in self.asks

    def unanswered(self, asked: Asked) -> str | None:
        return None

    def run(self, plan: Plan, view: FactView) -> Result:
        return describe(view, plan.ctx)


OPERATIONS = (Describe(),)
