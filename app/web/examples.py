"""First visit: the loaded documents, two example questions each, built from one cell of that document.

Why built from a cell and checked against it: a fixed example list breaks as soon as a second document
is loaded, and an example that merely "has a figure" can answer from another table (the income table's
一般公共服务支出 for the spending one). Each example names its department, year and kind, is built
from one fact of the document's 收支总表 (the categories the overview shows), and is offered only if the
engine's answer cites that same fact — document, table, row and column. Results are cached per document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.pipeline.answer import Answer
from app.web.chips import Words, lookup_question, share_question
from app.web.reading import permalink
from app.web.summary import overview, total_name
from app.web.templates import render
from app.web.text import doc_name, t
from ingest.model import Document, Fact

KIND_NOTE = {
    "zh": "部门预算：一个部门（含下属单位）合并的预算；单位预算：其中一个单位自己的预算；决算：年度结束后实际收支。",
    "en": "部门预算 department budget: a department with all its units; 单位预算 unit budget: one unit on its own; "
    "决算 final accounts: what was actually received and spent after the year.",
}
MAX_TRIES = 6  # asks per document and kind of example: the check is a few ms each


@dataclass(frozen=True)
class Example:
    zh: str
    en: str
    fact: Fact | None = None  # the cell its answer must cite

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def cites(answer: Answer, fact: Fact, first: bool = True) -> bool:
    """The answer cites `fact` (same document, table, row and column): as its figure when `first`."""
    table = fact.table_id or "narrative"
    same = [c for c in answer.citations
            if (c.document_id, c.table, c.row, c.column)
            == (fact.document_id, table, fact.row_label, fact.column)]
    return bool(same) and (not first or answer.citations[0] in same)


def ranked(categories: list[Fact]) -> list[Fact]:
    """Disclosed, non-zero categories, largest first."""
    return sorted((f for f in categories if f.value), key=lambda f: -(f.value or 0))


class Examples:
    """Per-document example questions whose answers cite the cell they were built from (cached)."""

    def __init__(self, engine, glossary):  # type: ignore[no-untyped-def]
        self.engine, self.glossary = engine, glossary
        self._cache: dict[str, list[Example]] = {}

    def _answers(self, question: str, fact: Fact, first: bool) -> bool:
        try:
            answer = self.engine.ask(question)
        except Exception:  # an example that errors is simply not offered
            return False
        return answer.status == "answered" and answer.value is not None and cites(answer, fact, first)

    def _first(self, doc: Document, facts: list[Fact], build, words: Words, first: bool) -> Example | None:
        for f in facts[:MAX_TRIES]:
            label = total_name(f)
            zh, en = build(doc, label, "zh", words), build(doc, label, "en", words)
            if zh and en and self._answers(zh, f, first) and self._answers(en, f, first):
                return Example(zh, en, f)
        return None

    def of(self, doc: Document, english: str) -> list[Example]:
        """A lookup (the largest category, else a total) and a share of spending (the smallest category
        that checks out, else another lookup)."""
        if doc.id not in self._cache:
            words = Words(english=lambda _: english, item_en=self.glossary.english)
            ov = overview(self.engine.facts_of(doc.id), self.glossary)
            categories, totals = ranked(ov.categories), sorted(ov.totals, key=lambda f: f.side != "支出")
            lookup = self._first(doc, categories + totals, lookup_question, words, True)
            used = [] if lookup is None else [lookup.fact]
            unused = [f for f in categories + totals if f not in used]
            second = self._first(doc, [f for f in reversed(categories) if f not in used], share_question,
                                 words, False) or self._first(doc, unused, lookup_question, words, True)
            self._cache[doc.id] = [e for e in (lookup, second) if e is not None]
        return self._cache[doc.id]

    def questions(self, docs: list[Document], english: Callable[[str], str], lang: str) -> list[str]:
        """Every document's examples in `lang`, in document order."""
        return [e.text(lang) for d in docs for e in self.of(d, english(d.department))]


def welcome_html(docs: list[Document], examples: Examples, english, lang: str) -> str:
    """The chat page's first-visit panel: what is loaded, what to ask (each example asks when clicked),
    what the kinds of document mean."""
    listed = []
    for d in docs:
        asks = [(e.text(lang), permalink(e.text(lang))) for e in examples.of(d, english(d.department))]
        listed.append({"name": doc_name(d, english(d.department), lang), "examples": asks})
    return render("welcome.html", head=t("loaded", lang).format(n=len(docs)), docs=listed,
                  note=KIND_NOTE[lang])
