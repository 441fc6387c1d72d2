"""FactView: the store as the question stages read it — documents, facts, tables, passages, names.

One view per ledger generation, read-only: stages receive it as an argument and never keep state
on it, so a new ingest swaps in a new view and no question sees half of one. Each document's
facts, tables and passages are read from the ledger once per view.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from app import vocabulary
from app.context import COLUMN_PREF, Ctx, Subject
from app.departments import Catalog
from app.retrieve import Retriever
from ingest.glossary import Glossary
from ingest.ledger import Ledger
from ingest.model import Document, Fact, Passage, TableRecord


def disclosure_key(d: Document) -> tuple:
    """What makes two files one disclosure: same department, year, kind and level
    (narrative + tables halves)."""
    return (d.department or d.id, d.year, d.kind, d.level)


def _namer(subject: Subject) -> Callable[[Fact], bool]:
    """A test for "this fact is the subject's row" (its table pattern compiled once, not per fact)."""
    table = re.compile(subject.table) if subject.table else None
    return lambda f: (f.label == subject.label
                      and (table is None or table.search(f.table_title or "") is not None))


class FactView:
    def __init__(self, ledger: Ledger, glossary: Glossary, retriever: Retriever, documents: list[Document]):
        self.ledger = ledger
        self.glossary = glossary
        self.retriever = retriever
        self.documents = documents
        self.by_id = {d.id: d for d in documents}
        self.catalog = Catalog(documents)
        self.aliases = {d.id: list(self.catalog.names[d.department].aliases)
                        if d.department in self.catalog.names else [] for d in documents}
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], list] = {}

    def _cached(self, kind: str, doc_id: str, load):
        with self._lock:
            key = (kind, doc_id)
            if key not in self._cache:
                self._cache[key] = load(doc_id)
            return self._cache[key]

    def facts_of(self, doc_id: str) -> list[Fact]:
        return self._cached("facts", doc_id, lambda d: self.ledger.facts(document_id=d))

    def tables_of(self, doc_id: str) -> list[TableRecord]:
        return self._cached("tables", doc_id, self.ledger.tables)

    def passages_of(self, doc_id: str) -> list[Passage]:
        return self._cached("passages", doc_id, lambda d: self.ledger.passages(document_id=d))

    def table_labels(self, doc_id: str) -> set[str]:
        """The row labels a document's tables print with a figure (for naming its units)."""
        facts = self.facts_of(doc_id)  # outside the cache lock: it is not re-entrant
        return self._cached("labels", doc_id,
                            lambda d: {f.label for f in facts if f.table_id and f.value is not None})

    def doc(self, fact: Fact) -> Document | None:
        return self.by_id.get(fact.document_id)

    def all_facts(self, docs: list[Document]) -> list[Fact]:
        return [f for d in docs for f in self.facts_of(d.id)]

    def facts_for(self, ctx: Ctx, subject: Subject, docs: list[Document] | None = None) -> list[Fact]:
        """The facts a subject names: its row label, inside its own table when it names one (a 合计 row)."""
        names = _namer(subject)
        return [f for f in self.all_facts(docs or ctx.docs) if names(f)]

    def docs_with(self, ctx: Ctx, subject: Subject) -> list[Document]:
        names = _namer(subject)
        return [d for d in ctx.docs if any(names(f) for f in self.facts_of(d.id))]

    def total_for(self, ctx: Ctx, fact: Fact) -> Fact | None:
        """The total a row belongs to: 支出总计/本年支出合计 (or 收入…) in the same table and column."""
        side_words = ["收入"] if fact.side == "收入" else ["支出"]
        names = [f"{w}总计" for w in side_words] + [f"本年{w}合计" for w in side_words] + ["合计", "总计"]
        same = [f for f in self.facts_of(fact.document_id)
                if f.table_id == fact.table_id and f.column == fact.column and f.side == fact.side
                and f.is_total]
        for n in names:
            for f in same:
                if f.label == n and f.value is not None:
                    return f
        return None

    def grand_total(self, docs: list[Document]) -> str:
        """The label this template prints its spending total under (支出总计, 支出合计, 支出预算总计 …)."""
        labels = {f.label for f in self.all_facts(docs) if f.table_id and f.value is not None}
        return next((lab for lab in vocabulary.load().spending_totals if lab in labels), "")

    @staticmethod
    def several(docs: list[Document]) -> bool:
        """More than one disclosure: a narrative file and its tables file are one disclosure, not two."""
        return len({disclosure_key(d) for d in docs}) > 1

    def main_doc(self, docs: list[Document]) -> Document:
        """Of one disclosure's files, the one that prints the tables."""
        return max(docs, key=lambda d: sum(1 for f in self.facts_of(d.id) if f.table_id))

    @staticmethod
    def pick(facts: list[Fact], hint: str = "", measure: str | None = None) -> Fact | None:
        """The cell that answers for an item: the hinted column, a printed value, a table over the
        narrative."""
        pool = [f for f in facts if f.measure not in ("none", "share", "change", "change_pct")]
        if measure:
            pool = [f for f in pool if f.measure == measure] or pool
        if not pool:
            return None

        homes = [r.name for r in vocabulary.load().home_tables if r.pattern.search(pool[0].label)]
        narrow = vocabulary.load().narrow_tables
        rows: dict[tuple, set] = {}
        for f in pool:
            if f.table_id:
                rows.setdefault((f.document_id, f.table_id, f.column, f.label), set()).add(f.value)
        by_unit = {k[:2] + k[3:] for k, values in rows.items() if len(values) > 1}  # (doc, table, label)

        def score(f: Fact) -> tuple:
            s = 0
            if homes and any(h in (f.table_title or "") for h in homes):
                s += 40  # the item's own table (三公 items from the 三公 table)
            if hint and hint in f.column:
                s += 100
            if f.value is not None:
                s += 60
            if not f.from_narrative:
                s += 50
            for word, w in COLUMN_PREF:
                if f.column.endswith(word) or f.column == word:
                    s += w
                    break
            if f.label.endswith("收入") == (f.side == "收入"):
                s += 5
            if narrow.search(f.table_title or ""):
                s -= 25  # one fund's table (一般公共预算, 财政拨款 …) or procurement: a plain question means all
            if (f.document_id, f.table_id, f.label) in by_unit:
                s -= 70  # the row repeats with other figures: a table by unit, one row is one unit's
            return (s, -(int(f.table_id) if f.table_id and f.table_id.isdigit() else 99), -(f.line or 0))

        return max(pool, key=score)
