"""Clickable next questions after an answer: completed ask-backs, closest items, and follow-ups.

Why complete questions rather than bare choices: a chip the reader clicks must be a question the engine can
answer on its own, so an ask-back candidate ("which document?") is joined to the question that was asked,
a closest item replaces the word the documents did not have, and follow-ups name their subject in full.
"""

from __future__ import annotations

import re

from app.pipeline.answer import Answer
from app.web.text import kind_name
from ingest.model import Document

MAX_CHIPS = 4


def _doc_candidate(candidate: str, docs: list[Document]) -> bool:
    return any(d.department and d.department in candidate for d in docs)


def complete(answer: Answer, candidate: str, docs: list[Document]) -> str:
    """The question with `candidate` filled in."""
    question = answer.question.strip()
    en = answer.lang == "en"
    if _doc_candidate(candidate, docs):
        if en:
            return f"{question.rstrip('?？ ')} in {candidate}?"
        return f"{candidate}{question}"
    missing = re.search(r"[“\"]([^”\"]+)[”\"]", answer.answer)
    if missing and missing.group(1) in question:
        return question.replace(missing.group(1), candidate, 1)
    return f"what is {candidate}?" if en else f"{candidate}是多少？"


def followups(answer: Answer, docs: list[Document], english=None, glossary=None) -> list[str]:
    """Self-contained next questions about the answered item, in the answer's language: its share of total
    spending, and the same item a year earlier when that document is loaded."""
    if answer.status != "answered" or not answer.citations:
        return []
    c = answer.citations[0]
    doc = next((d for d in docs if d.id == c.document_id), None)
    if doc is None or c.table == "narrative" or not c.row or "总计" in c.row or answer.unit in ("%", "％"):
        return []
    item = re.sub(r"^[一二三四五六七八九十百]+、|^（[一二三四五六七八九十]+）", "", c.row).strip()
    prior = [d for d in docs if d.department == doc.department and doc.year and d.year == doc.year - 1]
    if answer.lang == "en" and english is not None and glossary is not None:
        term = glossary.by_zh(item)
        item_en = term.en if term and term.en else item

        def where_en(d: Document) -> str:
            return f"{english(d.department) or d.department} {d.year or ''} {kind_name(d.kind, 'en')}"

        out = [f"What share of total spending is {item_en} in the {where_en(doc)}?"]
        out += [f"What is the {item_en} in the {where_en(p)}?" for p in prior[:1]]
        return out
    where = f"{doc.department}{doc.year or ''}{'年' if doc.year else ''}{doc.kind}"
    out = [f"{where}{item}占支出总计的比例是多少？"]
    out += [f"{p.department}{p.year}年{p.kind}{item}是多少？" for p in prior[:1]]
    return out


def chips(answer: Answer, docs: list[Document], english=None, glossary=None) -> list[str]:
    """At most four: completed candidates for an ask-back or a miss, else follow-ups."""
    if answer.candidates:
        return [complete(answer, c, docs) for c in answer.candidates[:MAX_CHIPS]]
    return followups(answer, docs, english, glossary)[:MAX_CHIPS]
