"""Clickable next questions after an answer: completed ask-backs, closest items, and follow-ups.

Why whole questions in the page's language: a chip the reader clicks must be a question the engine can
answer on its own, written as the reader would ask it. An ask-back candidate ("which document?") takes
the place of the words that named the department; a closest item is asked about the same document; a
follow-up names its subject in full. Item names in English come from the glossary, never a Chinese
word dropped into an English sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.pipeline.answer import Answer
from app.web.text import kind_name
from ingest.model import Document

MAX_CHIPS = 5
KINDS = ("部门预算", "单位预算", "部门决算", "单位决算")
SHARE = re.compile(r"占|比例|比重|share|percent|proportion", re.I)
NUMBERING = re.compile(r"^[一二三四五六七八九十百]+、|^（[一二三四五六七八九十]+）|^\d+[.、]")

Spans = Callable[[str], list[tuple[int, int]]]  # the words of a question that named its department


@dataclass(frozen=True)
class Words:
    """What the chips need from the site: English names and where a question named its department."""

    english: Callable[[str], str] = lambda _: ""  # a department's English name
    item_en: Callable[[str], str] = lambda _: ""  # an item's English name (glossary)
    spans: Spans = lambda _: []


def where(doc: Document, lang: str, words: Words) -> str:
    """How a question names a document: 安图县社会保险事业管理局2026年部门预算 / the Antu … 2026 department budget."""
    if lang == "en":
        who = words.english(doc.department) or doc.department
        return " ".join(x for x in ("the", who, str(doc.year or ""), kind_name(doc.kind, "en")) if x)
    return f"{doc.department}{doc.year or ''}{'年' if doc.year else ''}{doc.kind}"


def clean_item(label: str) -> str:
    return NUMBERING.sub("", label).strip()


def lookup_question(doc: Document, item: str, lang: str, words: Words) -> str:
    """"…是多少？" / "What is the … in the …?"; "" when the item has no English name."""
    item = clean_item(item)
    if lang == "en":
        en = words.item_en(item)
        return f"What is the {en} in {where(doc, lang, words)}?" if en else ""
    return f"{where(doc, lang, words)}{item}是多少？"


def share_question(doc: Document, item: str, lang: str, words: Words) -> str:
    item = clean_item(item)
    if lang == "en":
        en = words.item_en(item)
        return f"What share of total spending is {en} in {where(doc, lang, words)}?" if en else ""
    return f"{where(doc, lang, words)}{item}占支出总计的比例是多少？"


def document_of(candidate: str, docs: list[Document], words: Words) -> Document | None:
    """The stored document an ask-back names (in either language): department, year and kind all in it."""
    for d in docs:
        names = (d.department, words.english(d.department))
        kinds = (d.kind, kind_name(d.kind, "en"))
        if any(n and n in candidate for n in names) and str(d.year or "") in candidate \
                and any(k in candidate for k in kinds):
            return d
    return None


def without_department(question: str, spans: list[tuple[int, int]]) -> str:
    """The question less the words that named its department, its year and its kind of document."""
    keep = [ch for i, ch in enumerate(question) if not any(a <= i < b for a, b in spans)]
    rest = "".join(keep)
    rest = re.sub(r"(19|20)\d{2}\s*年?(度)?", "", rest)
    for kind in KINDS:
        rest = rest.replace(kind, "")
    return re.sub(r"^[\s的之,，]+", "", rest).strip()


def _reading(answer: Answer, key: str) -> list[str]:
    value = (answer.reading or {}).get(key)
    return [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])


def for_document(answer: Answer, doc: Document, lang: str, words: Words) -> str:
    """The question asked again about `doc`: its own words with the department replaced (same language),
    else built from the reading's item in the page's language."""
    items = _reading(answer, "item")
    op = str((answer.reading or {}).get("operation") or "")
    share = bool(SHARE.search(answer.question))
    if lang != answer.lang and items and (op in ("lookup", "") or op == "binary" and share):
        return (share_question if share else lookup_question)(doc, items[0], lang, words)
    rest = without_department(answer.question.strip(), words.spans(answer.question))
    if answer.lang == "en":
        rest = re.sub(r"\s+", " ", rest.rstrip("?？ "))
        rest = re.sub(r"\s*\b(?:in|of|for|at|by)(?:\s+the)?\s*(?=\b(?:in|of|for|at|by)\b|$)", "", rest)
        return f"{rest.strip()} in {where(doc, 'en', words)}?"
    return f"{where(doc, 'zh', words)}{rest}"


def asked_document(answer: Answer, docs: list[Document]) -> Document | None:
    """The one document a question was about (its citations, else its reading), when there is one."""
    ids = {c.document_id for c in answer.citations}
    titles = set(_reading(answer, "document"))
    found = [d for d in docs if d.id in ids] or [d for d in docs if d.title in titles]
    return found[0] if len({(d.department, d.year, d.kind) for d in found}) == 1 else None


def closest_items(answer: Answer, docs: list[Document], lang: str, words: Words) -> list[str]:
    """A miss: each closest item asked about the same document (a department's name is not an item)."""
    doc = asked_document(answer, docs)
    departments = {d.department for d in docs}
    out = []
    for item in answer.candidates:
        if item in departments:
            continue
        if doc is not None:
            q = lookup_question(doc, item, lang, words)
        else:
            q = f"What is the {words.item_en(item)}?" if lang == "en" and words.item_en(item) else (
                f"{item}是多少？" if lang != "en" else "")
        if q:
            out.append(q)
    return out


def followups(answer: Answer, docs: list[Document], lang: str, words: Words) -> list[str]:
    """Self-contained next questions about the answered item: its share of total spending, and the same
    item a year earlier when that document is loaded."""
    if answer.status != "answered" or not answer.citations:
        return []
    c = answer.citations[0]
    doc = next((d for d in docs if d.id == c.document_id), None)
    if doc is None or c.table == "narrative" or not c.row or "总计" in c.row or answer.unit in ("%", "％"):
        return []
    item = clean_item(c.row)
    prior = [d for d in docs if d.department == doc.department and doc.year and d.year == doc.year - 1]
    out = [share_question(doc, item, lang, words)]
    out += [lookup_question(p, item, lang, words) for p in prior[:1]]
    return [q for q in out if q]


def chips(answer: Answer, docs: list[Document], lang: str, words: Words) -> list[str]:
    """At most five whole questions in the page's language: completed candidates for an ask-back, the
    closest items after a miss, else follow-ups."""
    if answer.candidates:
        matched = [document_of(c, docs, words) for c in answer.candidates]
        if all(matched):
            out = [for_document(answer, d, lang, words) for d in matched if d is not None]
        else:
            out = closest_items(answer, docs, lang, words)
    else:
        out = followups(answer, docs, lang, words)
    return list(dict.fromkeys(q for q in out if q))[:MAX_CHIPS]
