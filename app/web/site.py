"""What every tab of the web app shares: the engine, the glossary, the staff gate, the register of
translatable components, the examples and the reports; document names in either language.

Why one object: the tabs are separate modules (app/web/chat.py, overview.py, data.py, staff_desk.py,
api_tab.py); each takes this and the page's top row, so none reaches into another's components.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.web.chips import Words
from app.web.examples import Examples
from app.web.lang import Labels
from app.web.reports import ReportLimits, Reports
from app.web.staff_auth import StaffGate
from app.web.text import doc_name
from ingest.glossary import Glossary
from ingest.model import Document


@dataclass
class Top:
    """The page's top row, shared by every tab: the scope selector and the language switch."""

    scope: Any
    lang: Any


@dataclass
class Site:
    engine: Any  # app.engine.Engine (not imported: the web layer only calls it)
    glossary: Glossary
    gate: StaffGate
    staff: bool  # decided once: without the password the page holds no upload widget
    examples: Examples
    reports: Reports
    words: Labels = field(default_factory=Labels)
    report_limits: ReportLimits = field(default_factory=ReportLimits)  # per client: a minute, a day

    @classmethod
    def open(cls, engine) -> Site:  # type: ignore[no-untyped-def]
        glossary = Glossary.load()
        return cls(engine, glossary, StaffGate(), StaffGate.enabled(), Examples(engine, glossary),
                   Reports(Path(engine.ledger.store), readonly=engine.ledger.readonly))

    def docs(self) -> list[Document]:
        return self.engine.documents()

    def doc_by_id(self, doc_id: str) -> Document | None:
        return next((d for d in self.docs() if d.id == doc_id), None)

    def english(self, department: str) -> str:
        """A department's English name ("" when none), from the catalog of the current ledger."""
        self.engine.documents()  # a newer ledger generation refreshes the view (and its catalog) first
        return self.engine.view.catalog.english_name(department)

    def name(self, doc: Document, lang: str) -> str:
        return doc_name(doc, self.english(doc.department) if lang == "en" else "", lang)

    def names(self, lang: str) -> dict[str, str]:
        return {d.id: self.name(d, lang) for d in self.docs()}

    def item_en(self, label: str) -> str:
        return self.glossary.english(label)

    def spans(self, question: str) -> list[tuple[int, int]]:
        """The words of `question` that named a department (the catalog's own linking)."""
        self.engine.documents()
        return list(self.engine.view.catalog.link(question).spans)

    def chip_words(self) -> Words:
        return Words(english=self.english, item_en=self.item_en, spans=self.spans)
