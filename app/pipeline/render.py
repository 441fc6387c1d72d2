"""How a Result reads: the templates of app/pipeline/answers.toml filled with names in the answer's language.

Operations decide what an answer says (app/pipeline/result.py); only this module decides how documents,
items and figures are named in Chinese or English, so no operation writes prose and a rewording is a data
change.
"""

from __future__ import annotations

import string

from app.lang import vocabulary
from app.pipeline import answers
from app.pipeline.answer import Answer
from app.pipeline.context import _KIND_EN
from app.pipeline.factview import FactView
from app.pipeline.result import Column, Item, Phrase, Result
from ingest.model import Document
from ingest.numbers import format_number


def doc_name(view: FactView, lang: str, doc: Document | None) -> str:
    if doc is None:
        return ""
    if lang == "zh":
        return f"{doc.department}{doc.year or ''}年{doc.kind}"
    dept = view.catalog.english_name(doc.department) or view.glossary.english(doc.department) \
        or doc.department
    return f"{dept} ({doc.department}) {doc.year or ''} {_KIND_EN.get(doc.kind, doc.kind)}"


def item_name(view: FactView, lang: str, label: str) -> str:
    if lang == "zh":
        return label
    en = view.glossary.english(label)
    return f"{en} ({label})" if en else label


def column_name(view: FactView | None, lang: str, text: str) -> str:
    """"财政拨款 / 合计" → "fiscal appropriations / total": each part from the vocabulary's column words or the
    glossary; a part neither knows stays as printed."""
    if lang == "zh" or not text:
        return text
    words = vocabulary.load().columns_en
    parts = [p.strip() for p in text.split("/")]
    english = [words.get(p) or (view.glossary.english(p) if view is not None else "") or p for p in parts]
    return " / ".join(english)


class _Fill(string.Formatter):
    """str.format over a phrase's parameters, naming documents and items in one language."""

    def __init__(self, view: FactView | None, lang: str):
        super().__init__()
        self.view, self.lang = view, lang

    def phrase(self, p: Phrase) -> str:
        return self.vformat(answers.load()[p.key].text(self.lang), (), p.params)

    def format_field(self, value: object, spec: str) -> str:
        if isinstance(value, Phrase):
            return self.phrase(value)
        if isinstance(value, tuple):  # a list: the spec is its separator ({names:、})
            return spec.join(self.format_field(v, "") for v in value)
        if value is None:
            return ""
        if isinstance(value, Document):
            return doc_name(self.view, self.lang, value)
        if isinstance(value, Item):
            return item_name(self.view, self.lang, value.label)
        if isinstance(value, Column):
            return column_name(self.view, self.lang, value.text)
        if spec == "num":
            return format_number(value)
        return format(value, spec)


def render(result: Result, lang: str, view: FactView | None = None, question: str = "") -> Answer:
    """The Answer every front end shows, worded from the result's phrases in ``lang``."""
    fill = _Fill(view, lang)
    return Answer(question, result.status, "".join(fill.phrase(p) for p in result.phrases), lang=lang,
                  value=result.value, unit=result.unit, formula=result.formula,
                  citations=list(result.citations),
                  candidates=[fill.format_field(c, "") for c in result.candidates])
