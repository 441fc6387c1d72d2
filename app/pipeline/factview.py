"""FactView: the store as the question stages read it — documents, facts, tables, passages, names.

One view per ledger generation, read-only: stages receive it as an argument and never keep state
on it, so a new ingest swaps in a new view and no question sees half of one. Each document's
facts, tables and passages are read from the ledger once per view. A question over many documents (one
naming no department) asks the ledger's indexes instead, so it neither scans nor caches every document.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

from app.lang import vocabulary
from app.lang.departments import Catalog
from app.pipeline.context import COLUMN_PREF, Ctx, Subject
from app.pipeline.retrieve import Retriever
from ingest import template
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
                      and (table is None or table.search(f.table_title or "") is not None)
                      and (not subject.entity or f.entity == subject.entity))


# what a narrative says about an item that is not the item's figure: a stated none, its share of a whole, its
# change, its rate, and the prior year's figure it was compared with (ingest/statements.py)
NOT_A_FIGURE_OF_ITS_OWN = ("none", "share", "change", "change_pct", "prior")
INDEXED_OVER = 20  # more candidate documents than this: ledger queries; fewer: each one's cached facts
# A plain question means all funds: the broader a cell's fund scope (ingest/template.toml), the better
FUND_BREADTH = {template.ALL_FUNDS: 12, **template.load().breadth}  # 财政拨款 6, 一般公共预算 3
_INCOME, _SPENDING = template.load().income, template.load().spending  # the sides' words (收入, 支出)


def template_score(f: Fact) -> int:
    """What the national template says of a cell, for a question that names no fund, year or unit: all funds
    over one fund, the document's own measure (this year's budget; a 决算's 决算数) over last year's or the
    change, the whole department over one unit's row, a category's spending over the income it receives."""
    if not f.table_type:
        return 0
    s = 0 if template.is_aside(f.table_type) else FUND_BREADTH.get(f.fund, 0)
    own = template.own_measure(f.doc_kind)
    s += 15 if f.basis == own else -15 if f.basis else 0
    if f.entity and f.entity != f.label:
        s -= 70  # an item in one unit's block of a by-unit table (the unit's own row is the unit asked)
    if f.table_type == "income" and f.side != _INCOME and (f.code or f.label.endswith(_SPENDING)):
        s -= 15  # 收入决算表 by function: what 一般公共服务支出 receives, not what it spends
    return s


def by_document(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    """Facts grouped by document, each group in the order given."""
    out: dict[str, list[Fact]] = {}
    for f in facts:
        out.setdefault(f.document_id, []).append(f)
    return out


def _in_order(docs: list[Document], facts: Iterable[Fact]) -> list[Fact]:
    """Facts in the cached path's order: the documents as listed, each in the ledger's order."""
    grouped = by_document(facts)
    return [f for d in docs for f in grouped.get(d.id, ())]


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
        self._label_kinds: dict[frozenset[str], dict[str, set[str]]] = {}

    @staticmethod
    def indexed(docs: list[Document]) -> bool:
        """Whether a candidate set is large enough to read through the ledger's indexes."""
        return len(docs) > INDEXED_OVER

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

    def derived(self, name: str, load: Callable[[], object]) -> object:
        """Something computed from the whole view, once per view (``load`` may read through the view: it
        runs outside the cache lock)."""
        with self._lock:
            known = self._cache.get((name, ""))
        if known is None:
            known = load()
            with self._lock:
                known = self._cache.setdefault((name, ""), known)
        return known

    def table_labels(self, doc_id: str) -> set[str]:
        """The row labels a document's tables print with a figure (for naming its units)."""
        facts = self.facts_of(doc_id)  # outside the cache lock: it is not re-entrant
        return self._cached("labels", doc_id,
                            lambda d: {f.label for f in facts if f.table_id and f.value is not None})

    def doc(self, fact: Fact) -> Document | None:
        return self.by_id.get(fact.document_id)

    def all_facts(self, docs: list[Document]) -> list[Fact]:
        return [f for d in docs for f in self.facts_of(d.id)]

    def labelled(self, docs: list[Document], labels: Iterable[str]) -> list[Fact]:
        """The facts of ``docs`` carrying one of ``labels``, in document order, then the ledger's."""
        labels = set(labels)
        if not self.indexed(docs):
            return [f for f in self.all_facts(docs) if f.label in labels]
        return _in_order(docs, self.ledger.facts_with_labels(labels, [d.id for d in docs]))

    def facts_for(self, ctx: Ctx, subject: Subject, docs: list[Document] | None = None) -> list[Fact]:
        """The facts a subject names: its row label, inside its own table when it names one (a 合计 row)."""
        names = _namer(subject)
        docs = docs or ctx.docs
        if self.indexed(docs):
            return [f for f in self.labelled(docs, [subject.label]) if names(f)]
        return [f for f in self.all_facts(docs) if names(f)]

    def docs_with(self, ctx: Ctx, subject: Subject) -> list[Document]:
        if self.indexed(ctx.docs):  # where the label is printed, by the label index
            table = re.compile(subject.table) if subject.table else None
            places = self.ledger.documents_with_label(subject.label, [d.id for d in ctx.docs])
            found = {doc_id for doc_id, title in places
                     if table is None or table.search(title or "") is not None}
            return [d for d in ctx.docs if d.id in found]
        names = _namer(subject)
        return [d for d in ctx.docs if any(names(f) for f in self.facts_of(d.id))]

    def label_kinds(self, docs: list[Document]) -> dict[str, set[str]]:
        """The labels of many documents by where they appear (see Ledger.label_kinds), read once per view
        and document set: questions naming no department all ask of the same set."""
        key = frozenset(d.id for d in docs)
        with self._lock:
            known = self._label_kinds.get(key)
        if known is None:
            known = self.ledger.label_kinds(sorted(key))
            with self._lock:
                if len(self._label_kinds) >= 8:  # a few sets (each year, each kind) are ever asked of
                    self._label_kinds.pop(next(iter(self._label_kinds)))
                self._label_kinds[key] = known
        return known

    def pool(self, docs: list[Document]) -> FactPool:
        return FactPool(self, docs)

    def absent_tables(self, docs: list[Document], named_in: str) -> list[TableRecord]:
        """Tables the documents list but do not print, in document order (for many documents, only those
        ``named_in`` could name: see Ledger.absent_tables)."""
        if not self.indexed(docs):
            return [t for d in docs for t in self.tables_of(d.id) if t.status == "absent"]
        grouped: dict[str, list[TableRecord]] = {}
        for t in self.ledger.absent_tables([d.id for d in docs], named_in):
            grouped.setdefault(t.document_id, []).append(t)
        return [t for d in docs for t in grouped.get(d.id, ())]

    def total_for(self, ctx: Ctx, fact: Fact) -> Fact | None:
        """The total a row belongs to: 支出总计/本年支出合计 (or 收入…) in the same table and column."""
        side_words = [_INCOME] if fact.side == _INCOME else [_SPENDING]
        names = [f"{w}总计" for w in side_words] + [f"本年{w}合计" for w in side_words]
        names += vocabulary.load().bare_totals  # then the table's own 合计, 总计
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
        totals = vocabulary.load().spending_totals
        if self.indexed(docs):
            ids = [d.id for d in docs]
            labels = (self.ledger.labels_present(totals, ids, tabled=True)
                      or self.ledger.labels_present(totals, ids))
        else:
            facts = self.all_facts(docs)
            labels = {f.label for f in facts if f.table_id and f.value is not None}
            if not labels.intersection(totals):  # a narrative-only disclosure states its total in words
                labels = {f.label for f in facts
                          if f.from_narrative and f.measure == "amount" and f.value is not None}
        return next((lab for lab in totals if lab in labels), "")

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
        pool = [f for f in facts if f.measure not in NOT_A_FIGURE_OF_ITS_OWN]
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
        by_entity = {(f.document_id, f.table_id) for f in pool if f.entity}  # units named: template_score

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
            if f.label.endswith(_INCOME) == (f.side == _INCOME):
                s += 5
            if narrow.search(f.table_title or ""):
                s -= 25  # one fund's table (一般公共预算, 财政拨款 …) or procurement: a plain question means all
            repeated = (f.document_id, f.table_id, f.label) in by_unit
            if repeated and (f.document_id, f.table_id) not in by_entity:
                s -= 70  # the row repeats with other figures: a table by unit, one row is one unit's
            s += template_score(f)
            return (s, -(int(f.table_id) if f.table_id and f.table_id.isdigit() else 99), -(f.line or 0))

        return max(pool, key=score)


class FactPool:
    """The facts of a question's candidate documents, as linking reads them.

    A few documents: their cached facts, filtered in Python. Many: the ledger answers each reading
    (label and code indexes, the view's label sets, or an SQL condition that admits at least every fact
    the Python test does), and the same test then runs on what comes back, in the same order, so linking
    decides the same way without loading every document's facts.
    """

    def __init__(self, view: FactView, docs: list[Document]):
        self.view = view
        self.docs = docs
        self.ids = [d.id for d in docs]
        self.facts = None if view.indexed(docs) else view.all_facts(docs)
        self._labelled: dict[tuple[str, ...], list[Fact]] = {}  # one question asks a label more than once

    def labels(self, kind: str = "") -> set[str]:
        """Labels of every fact (""), of table rows ("tabled"), of table rows with a figure ("valued"), of
        amounts (measure not "none": "amount"), of stated changes ("change"), of facts not read from the
        narrative ("printed")."""
        if self.facts is None:
            return self.view.label_kinds(self.docs)[kind]
        test = {"": lambda f: True, "tabled": lambda f: f.table_id,
                "valued": lambda f: f.table_id and f.value is not None,
                "amount": lambda f: f.measure != "none",
                "change": lambda f: f.measure in ("change", "change_pct"),
                "printed": lambda f: not f.from_narrative}[kind]
        return {f.label for f in self.facts if test(f)}

    def narrative_only(self, label: str) -> bool:
        """Whether every fact with the label was read from the narrative (none printed in a table)."""
        if self.facts is None:
            return label not in self.labels("printed")
        return all(f.from_narrative for f in self.facts if f.label == label)

    def labelled(self, *labels: str) -> list[Fact]:
        if self.facts is None:
            if labels not in self._labelled:
                self._labelled[labels] = self.view.labelled(self.docs, labels)
            return self._labelled[labels]
        return [f for f in self.facts if f.label in labels]

    def coded(self, code: str) -> list[Fact]:
        if self.facts is None:
            return _in_order(self.docs, self.view.ledger.facts_with_code(code, self.ids))
        return [f for f in self.facts if f.code == code]

    def where(self, test: Callable[[Fact], bool], sql: str, *args) -> list[Fact]:
        """The facts ``test`` accepts; ``sql`` must admit every one of them (it only narrows the read)."""
        if self.facts is None:
            read = self.view.ledger.facts_where(sql, args, self.ids)
            return [f for f in _in_order(self.docs, read) if test(f)]
        return [f for f in self.facts if test(f)]
