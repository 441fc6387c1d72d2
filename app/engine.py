"""The answer engine: question → scope → subjects → facts → calculation → cited Answer.

Numbers come only from ledger facts (and Decimal arithmetic over them);
retrieval proposes which labels and passages are meant. When the store does
not hold what is asked, the answer says so and names what is there.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import replace
from pathlib import Path

from app import config  # noqa: F401 - sets the offline switches first
from app.answer import Answer
from app.context import _DEPT_WORDS, COLUMN_PREF, Ctx, Subject, _is_zh
from app.conversation import contextualise
from app.describe import DescribeMixin
from app.ops_compare import CompareMixin
from app.ops_lookup import LookupMixin
from app.ops_time import ChangeMixin
from app.residual import unlinked_words
from app.retrieve import Retriever
from app.scope import ScopeResolver
from app.subjects import SubjectsMixin
from app.understand import understand
from app.wording import WordingMixin
from ingest.glossary import Glossary
from ingest.ledger import Ledger
from ingest.model import Document, Fact, Passage, TableRecord


class Engine(SubjectsMixin, WordingMixin, LookupMixin, ChangeMixin, CompareMixin, DescribeMixin):
    """Load once, answer many: thread-safe ``ask``; ``ingest`` makes new documents answerable at once."""

    def __init__(self, ledger: Ledger, index, glossary: Glossary):
        self.ledger = ledger
        self.index = index
        self.glossary = glossary
        self.retriever = Retriever(ledger, index)
        self._lock = threading.RLock()
        self._generation: str | None = None
        self._facts: dict[tuple[str, str], list] = {}
        self.refresh()

    @classmethod
    def open(cls, store: Path, dense: bool = True) -> Engine:
        from ingest.embeddings import Embedder
        from ingest.index import Index

        ledger = Ledger(store)
        index = None
        if dense:
            index = Index(store, Embedder(Path(store) / "embeddings.sqlite"))
            index.sync(ledger)
            index.embedder.embed(["warm up"])
        return cls(ledger, index, Glossary.load())

    # ---- store ---------------------------------------------------------

    def refresh(self) -> None:
        with self._lock:
            self._generation = self.ledger.get_meta("generation")
            self._docs = self.ledger.documents()
            self._by_id = {d.id: d for d in self._docs}
            self._facts = {}
            self.scope = ScopeResolver(self._docs, self.glossary)

    def _maybe_refresh(self) -> None:
        if self.ledger.get_meta("generation") != self._generation:
            self.refresh()

    def documents(self) -> list[Document]:
        self._maybe_refresh()
        return list(self._docs)

    def ingest(self, paths: list[Path], progress=None):
        from ingest.pipeline import ingest

        report = ingest(paths, self.ledger.store, progress=progress, index=False)
        if self.index is not None:
            self.index.sync(self.ledger, progress)
        self.refresh()
        return report

    def _cached(self, kind: str, doc_id: str, load):
        """A document's facts, tables or passages, read from the ledger once per ledger generation."""
        with self._lock:
            key = (kind, doc_id)
            if key not in self._facts:
                self._facts[key] = load(doc_id)
            return self._facts[key]

    def facts_of(self, doc_id: str) -> list[Fact]:
        return self._cached("facts", doc_id, lambda d: self.ledger.facts(document_id=d))

    def tables_of(self, doc_id: str) -> list[TableRecord]:
        return self._cached("tables", doc_id, self.ledger.tables)

    def passages_of(self, doc_id: str) -> list[Passage]:
        return self._cached("passages", doc_id, lambda d: self.ledger.passages(document_id=d))

    # ---- entry ---------------------------------------------------------

    def ask(self, question: str, scope: list[str] | None = None, debug: bool = False,
            history: list[str] | None = None) -> Answer:
        """Answer one question; ``history`` holds the earlier questions of its conversation, oldest first."""
        start = time.perf_counter()
        question = (question or "").strip()[:500]
        self._maybe_refresh()
        reading = contextualise(question, [h[:500] for h in history or []][-6:], self.scope.catalog,
                                lambda t: understand(t, self.glossary))
        try:
            answer = self._answer(reading.text, scope, reading.lang)
            answer.question = question
            if reading.follow_up:
                answer.read_as = reading.text
        except ZeroDivisionError as e:
            answer = Answer(question, "not_found", f"无法计算：{e}" if _is_zh(question) else f"Cannot calculate: {e}",
                            lang="zh" if _is_zh(question) else "en")
        answer.latency_ms = (time.perf_counter() - start) * 1000
        if not debug:
            answer.debug = {}
        return answer

    def _answer(self, question: str, restrict: list[str] | None, lang: str = "") -> Answer:
        if not question:
            return Answer(question, "not_found", "请输入问题。 Please type a question.")
        q = understand(question, self.glossary)
        if lang:
            q = replace(q, lang=lang)
        zh = q.zh
        if not self._docs:
            return self._refuse(q, "库中还没有任何文件。" if zh else "No documents have been loaded yet.")
        scope = self.scope.resolve(q, restrict)
        if scope.unknown:
            return self._refuse(q, (f"库中没有“{scope.unknown}”的文件。" if zh else
                                    f"There is no document for '{scope.unknown}' in the store.") + self._have(q))
        q = replace(q, terms=[m for m in q.terms if not _within(m.start, m.end, scope.spans)])
        docs = scope.documents
        if not docs:
            return self._refuse(q, ("所选范围内没有文件。" if zh else "No document in the selected scope.") + self._have(q))
        ctx = Ctx(q, docs, named=scope.named)
        prior = False
        if q.years:
            years = {d.year for d in docs}
            asked = [y for y in q.years if y in years]
            if asked:
                ctx.docs = [d for d in docs if d.year in asked]
            elif any(y + 1 in years for y in q.years) and q.operation in ("lookup", "change", "growth"):
                prior = q.operation == "lookup"
                ctx.docs = [d for d in docs if d.year in {y + 1 for y in q.years}]
            else:
                ystr = "、".join(str(y) for y in q.years)
                return self._refuse(q, (f"库中没有{ystr}年的相关文件，所以无法回答（不会用其他年份的数字代替）。" if zh else
                                        f"The store holds no {ystr} document for this, so it cannot be answered "
                                        f"(figures from other years are not substituted).") + self._have(q))
        elif q.relative is not None and len({d.year for d in docs}) > 1:
            latest = max(d.year or 0 for d in docs)  # 今年/去年 against the newest document in scope
            wanted = latest + q.relative
            if any(d.year == wanted for d in docs) and q.operation == "lookup":
                ctx.docs = [d for d in docs if d.year == wanted]
            elif q.relative == -1 and q.operation == "lookup":
                prior = True
                ctx.docs = [d for d in docs if d.year == latest]
        elif q.relative == -1 and q.operation in ("lookup",):
            prior = True
        absent = self._absent_table(ctx)
        if absent is not None:
            return self._not_found_item(ctx, absent[0].title)
        if q.operation == "describe":
            return self._describe(ctx)
        subjects = self._subjects(ctx)
        ctx.debug["subjects"] = [(s.label, s.via) for s in subjects]
        if subjects and subjects[0].via == "unknown":
            return self._not_found_item(ctx, subjects[0].surface)
        said = scope.spans + [(m.start, m.end) for m in q.terms]
        left = unlinked_words(q.norm, said)
        if left and op_defaults_to_total(q.operation, prior) and \
                all(s.label in _TOTALS or s.via == "total" for s in subjects if s.label):
            return self._not_found_item(ctx, left)  # an item that did not link is not the grand total
        op = q.operation
        if prior:
            op = "prior"
        named = [x for x in subjects if x.label]
        if op in ("lookup", "sum") and len(named) >= 2 and any(x.label in _TOTALS for x in named) \
                and any(x.label not in _TOTALS for x in named):  # "spend in total on pensions": total is no item
            subjects = [x for x in subjects if x.label not in _TOTALS]
            named = [x for x in subjects if x.label]
            op = "lookup" if len(named) == 1 else op
        if op == "lookup" and len(named) >= 2:
            if re.search(r"(合计|共|总和|加|\bplus\b|\bcombined\b|\btogether\b|\bsum\b|\bboth\b|和|与|、|,|，)", q.norm):
                op = "sum"
            else:  # "defence research funding" names one narrower item, not two categories
                return self._not_found_item(ctx, " ".join(x.surface for x in named))
        if scope.named and self._several(ctx.docs) and len(named) <= 1:
            across = self._across_documents(ctx, named, op)
            if across is not None:
                return across
        if op == "count":
            return self._count(ctx, subjects)
        if op in ("rank_max", "rank_min"):
            if _DEPT_WORDS.search(q.norm) or (len({d.id for d in ctx.docs}) > 1 and subjects):
                return self._rank_documents(ctx, subjects, op)
            return self._rank(ctx, subjects, op)
        if op == "per_unit":
            return self._per_unit(ctx, subjects)
        if not subjects and op in ("change", "growth", "prior"):
            subjects = [Subject(lab, lab) for lab in ("支出总计", "本年预算")
                        if any(f.label == lab for f in self._all_facts(ctx.docs))][:1]
        if not subjects:
            return self._not_found_item(ctx, "")
        if op in ("change", "growth") and len({d.year for d in ctx.docs}) > 1:
            return self._across_years(ctx, subjects[0], op)
        if op in ("change", "growth", "prior"):
            return self._change(ctx, subjects[0], op)
        if op in ("share", "ratio", "difference", "sum") and (len(subjects) >= 2 or op == "share"):
            return self._binary(ctx, subjects, op)
        if op in ("ratio", "difference") and left:  # the second item did not link: not a lookup of the first
            return self._not_found_item(ctx, left)
        if op == "sum" and self._several(ctx.docs):
            return self._sum_documents(ctx, subjects[0])
        return self._lookup(ctx, subjects[0])

    # ---- subjects ------------------------------------------------------

    def _pick(self, facts: list[Fact], hint: str = "", measure: str | None = None) -> Fact | None:
        pool = [f for f in facts if f.measure not in ("none", "share", "change", "change_pct")]
        if measure:
            pool = [f for f in pool if f.measure == measure] or pool
        if not pool:
            return None

        def score(f: Fact) -> tuple:
            s = 0
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
            return (s, -(int(f.table_id) if f.table_id and f.table_id.isdigit() else 99), -(f.line or 0))

        return max(pool, key=score)


def op_defaults_to_total(operation: str, prior: bool) -> bool:
    """Operations that fall back to the grand total when no item is named."""
    return prior or operation in ("lookup", "change", "growth", "prior", "sum")


_TOTALS = {"支出总计", "收入总计", "本年支出合计", "本年收入合计", "总计"}


def _within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """A glossary term inside the words that named the department (安图县教育局 is not 教育支出)."""
    return any(a <= start and end <= b for a, b in spans)
