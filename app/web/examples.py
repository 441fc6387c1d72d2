"""First visit: the loaded documents, two example questions each built from that document's own facts.

Why generated and checked: a fixed example list breaks as soon as a second document is loaded ("please say
which document"). Each example names its department, year and kind, uses a row the document really prints,
and is kept only if the engine answers it with a figure; results are cached per document id.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.web.format import esc
from app.web.text import doc_name, kind_name, t
from ingest.model import Document, Fact

KIND_NOTE = {
    "zh": "部门预算：一个部门（含下属单位）合并的预算；单位预算：其中一个单位自己的预算；决算：年度结束后实际收支。",
    "en": "部门预算 department budget: a department with all its units; 单位预算 unit budget: one unit on its own; "
    "决算 final accounts: what was actually received and spent after the year.",
}


@dataclass(frozen=True)
class Example:
    zh: str
    en: str


def _pick_items(categories: list[Fact]) -> list[Fact]:
    """The largest and the smallest disclosed category: two different rows that read naturally."""
    ranked = sorted((f for f in categories if f.value), key=lambda f: -(f.value or 0))
    return ranked[:1] + ranked[-1:] if len(ranked) > 1 else ranked


def candidates(doc: Document, categories: list[Fact], english: str, glossary) -> list[Example]:
    """Example questions for one document, before checking: a lookup and a share of total spending."""
    where = f"{doc.department}{doc.year or ''}{'年' if doc.year else ''}{doc.kind}"
    where_en = f"{english or doc.department} {doc.year or ''} {kind_name(doc.kind, 'en')}".replace("  ", " ")
    out = []
    items = _pick_items(categories)
    for i, f in enumerate(items):
        term = glossary.by_zh(f.label)
        item_en = term.en if term and term.en else f.label
        if i == 0:
            out.append(Example(f"{where}{f.label}是多少？", f"What is the {item_en} in the {where_en}?"))
        else:
            out.append(
                Example(
                    f"{where}{f.label}占支出总计的比例是多少？",
                    f"What share of total spending is {item_en} in the {where_en}?",
                )
            )
    if len(out) < 2:
        out.append(Example(f"{where}支出总计是多少？", f"What is the total expenditure in the {where_en}?"))
    return out


class Examples:
    """Per-document example questions that the engine answers with a figure (checked once, cached)."""

    def __init__(self, engine, glossary, overview):  # type: ignore[no-untyped-def]
        self.engine, self.glossary, self.overview = engine, glossary, overview
        self._cache: dict[str, list[Example]] = {}

    def _answers(self, question: str) -> bool:
        try:
            answer = self.engine.ask(question)
        except Exception:  # an example that errors is simply not offered
            return False
        return answer.status == "answered" and answer.value is not None

    def of(self, doc: Document, english: str) -> list[Example]:
        if doc.id not in self._cache:
            ov = self.overview(self.engine.facts_of(doc.id), self.glossary)
            found = [
                e
                for e in candidates(doc, ov.categories, english, self.glossary)
                if self._answers(e.zh) and self._answers(e.en)
            ]
            self._cache[doc.id] = found[:2]
        return self._cache[doc.id]

    def builtin(self, docs: list[Document], english) -> list[list[str]]:  # type: ignore[no-untyped-def]
        """The Examples row under the chat: one Chinese and one English question per document, first four."""
        out: list[list[str]] = []
        for d in docs:
            ex = self.of(d, english(d.department))
            if ex:
                out.append([ex[0].zh])
            if len(ex) > 1:
                out.append([ex[1].en])
        return out[:4]


def welcome_html(docs: list[Document], examples: Examples, english, lang: str) -> str:
    """The chat page's first-visit panel: what is loaded, what to ask, what the kinds of document mean."""

    items = []
    for d in docs:
        ex = examples.of(d, english(d.department))
        qs = "".join(f'<li class="bq-ex">{esc(e.zh if lang == "zh" else e.en)}</li>' for e in ex)
        items.append(
            f'<li class="bq-doc"><b>{esc(doc_name(d, english(d.department), lang))}</b><ul>{qs}</ul></li>'
        )
    head = t("loaded", lang).format(n=len(docs))
    return (
        f'<div id="bq-welcome-body"><p>{esc(head)}</p><ul class="bq-docs">{"".join(items)}</ul>'
        f'<p class="bq-kinds">{esc(KIND_NOTE[lang])}</p></div>'
    )
