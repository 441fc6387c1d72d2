"""Refusals and ask-backs shared by the engine, the planner and the operations, as Results.

An item not disclosed, a table listed but not printed, several documents that could answer: each says
what the store does hold, so the asker can name it. The wording is in app/pipeline/answers.toml.
"""

from __future__ import annotations

import re

from app.pipeline.context import Ctx
from app.pipeline.factview import FactView
from app.pipeline.result import Item, Phrase, Result, refusal, say
from ingest.model import Document, TableRecord

_MAX_CANDIDATES = 6


def distinct(docs: list[Document]) -> list[Document]:
    """One document per name an answer gives it (department, year, kind): a disclosure's two files once."""
    first: dict[tuple, Document] = {}
    for d in docs:
        first.setdefault((d.department, d.year, d.kind), d)
    return list(first.values())


def held(view: FactView) -> Phrase:
    """What the store holds (a few, and how many more), after a refusal."""
    shown = distinct(view.documents)
    more = len(shown) - _MAX_CANDIDATES
    return say("held", names=tuple(shown[:_MAX_CANDIDATES]), more=say("more", n=more) if more > 0 else "")


def not_found_item(view: FactView, ctx: Ctx, item: str) -> Result:
    """The item is not disclosed (or its table is listed but not printed); the closest items instead."""
    q = ctx.q
    cands = view.retriever.labels(q.norm, [d.id for d in ctx.docs], k=5)
    close = tuple(lab for lab, _ in cands.labels[:5])
    absent = absent_table(view, ctx)
    if absent is not None:
        t, doc = absent
        return refusal(say("not_found.absent_table", doc=doc, title=t.title, table_id=t.table_id),
                       candidates=close)
    phrases = [say("not_found.item", item=Item(item)) if item else say("not_found.any")]
    if close:  # named in the question's language (an English question gets the glossary's English)
        phrases.append(say("not_found.closest", items=tuple(Item(lab) for lab in close)))
    return refusal(*phrases, candidates=close)


def absent_table(view: FactView, ctx: Ctx) -> tuple[TableRecord, Document] | None:
    """A table the question names that the document's contents list but the file does not print."""
    docs = {d.id: d for d in ctx.docs}
    for t in view.absent_tables(ctx.docs, ctx.q.norm):
        if t.title in ctx.q.norm or re.search(rf"表\s*0?{int(t.table_id)}(?!\d)", ctx.q.norm):
            return t, docs[t.document_id]
    return None


def ambiguous(view: FactView, ctx: Ctx, docs: list[Document]) -> Result:
    """Several documents could answer: ask which, naming them; a 部门预算 beside its 单位预算 is explained."""
    names = distinct(docs)
    shown = tuple(names[:_MAX_CANDIDATES])
    phrases = [say("ambiguous.which", names=shown)]
    if len(names) > len(shown):
        phrases.append(say("ambiguous.more", n=len(names) - len(shown)))
    kinds = {d.kind for d in docs}
    if {"部门预算", "单位预算"} <= kinds and len({d.department for d in docs}) == 1:
        phrases.append(say("ambiguous.kinds"))
    return Result("ambiguous", tuple(phrases), candidates=shown)
