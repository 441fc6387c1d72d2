"""The answer engine composes the question stages; it decides nothing itself.

understand (text → Query) → follow-up reading (conversation) → resolve scope (Query → Scope) → plan (link
subjects, choose one operation) → run that operation (ops/ → Result) → render (Result → Answer in the
question's language, wording from app/pipeline/answers.toml). Each stage takes typed input and returns
typed output; the store is read through one FactView per ledger generation. Numbers come only from ledger
facts and Decimal arithmetic over them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

from app import ops
from app.pipeline import refusals, reissue
from app.pipeline.answer import Answer
from app.pipeline.context import _is_zh
from app.pipeline.conversation import contextualise
from app.pipeline.factview import FactView
from app.pipeline.plan import Plan, plan
from app.pipeline.render import render
from app.pipeline.result import Result, refusal, say
from app.pipeline.retrieve import Retriever
from app.pipeline.scope import ScopeResolver
from app.pipeline.understand import Query, understand
from ingest.glossary import Glossary
from ingest.index_guard import CatchUp, GuardedIndex
from ingest.ledger import Ledger
from ingest.model import Document, Fact, Passage, TableRecord
from ingest.pipeline import ingest
from ingest.process import ingest_in_child


class Engine:
    """Load once, answer many: thread-safe ``ask``; ``ingest`` makes new documents answerable at once."""

    def __init__(self, ledger: Ledger, index, glossary: Glossary):
        self.ledger = ledger
        self.index = index
        self.glossary = glossary
        self.retriever = Retriever(ledger, index)
        self._lock = threading.RLock()
        self._generation: str | None = None
        self.refresh()

    @classmethod
    def open(cls, store: Path, dense: bool = True, catch_up: CatchUp = "now") -> Engine:
        """``catch_up``: what an index behind its ledger does — ``now`` (sync before returning),
        ``background`` (a server: questions are answered meanwhile), ``off`` (a one-shot command). A damaged
        index is never fatal: answers come from the ledger (ingest.index_guard)."""
        ledger = Ledger(store)
        index = None
        if dense:  # a read-only store (a snapshot) queries the shared Chroma server and writes nothing
            index = GuardedIndex(partial(_open_index, Path(store), ledger), ledger, catch_up)
        return cls(ledger, index, Glossary.load())

    # ---- store ---------------------------------------------------------

    def refresh(self) -> None:
        """A new FactView (and scope resolver over its catalog) for the ledger as it is now."""
        with self._lock:
            self._generation = self.ledger.get_meta("generation")
            self.view = FactView(self.ledger, self.glossary, self.retriever, self.ledger.documents())
            self.scope = ScopeResolver(self.view.documents, self.glossary, self.view.catalog,
                                       labels_of=self.view.table_labels)

    def _current(self) -> FactView:
        if self.ledger.get_meta("generation") != self._generation:
            self.refresh()
        return self.view

    def documents(self) -> list[Document]:
        return list(self._current().documents)

    def ingest(self, paths: list[Path], progress=None, child: bool = False, replace: bool = False):
        """Read and store the files, sync the index, answer from them at once; ``child`` reads in a child
        process (the web app: a document's reading then never holds up the answers); ``replace``: a re-issue
        of a stored disclosure takes its place."""

        if child:
            report = ingest_in_child(paths, self.ledger.store, progress=progress, replace=replace)
        else:
            report = ingest(paths, self.ledger.store, progress=progress, index=False, replace=replace)
        if self.index is not None:
            try:
                self.index.sync(self.ledger, progress)
            except Exception:  # logged by the guard; the ledger holds the documents, answers use it
                if progress:
                    progress("the search index was not updated; answers use the ledger (budgetqa reindex)")
        self.refresh()
        return report

    def facts_of(self, doc_id: str) -> list[Fact]:
        return self._current().facts_of(doc_id)

    def tables_of(self, doc_id: str) -> list[TableRecord]:
        return self._current().tables_of(doc_id)

    def passages_of(self, doc_id: str) -> list[Passage]:
        return self._current().passages_of(doc_id)

    # ---- entry ---------------------------------------------------------

    def ask(self, question: str, scope: list[str] | None = None, debug: bool = False,
            history: list[str] | None = None) -> Answer:
        """Answer one question; ``history`` holds the earlier questions of its conversation, oldest first."""
        start = time.perf_counter()
        question = (question or "").strip()[:500]
        view = self._current()
        resolver = self.scope
        reading = contextualise(question, [h[:500] for h in history or []][-6:], view.catalog,
                                lambda t: understand(t, self.glossary))
        try:
            answer, trace = self._answer(view, resolver, reading.text, scope, reading.lang)
            answer.question = question
            if reading.follow_up:
                answer.read_as = reading.text
            answer.reading = reading_of(trace, view, reading.follow_up, scope)
        except ZeroDivisionError as e:
            answer = render(refusal(say("refuse.cannot_calculate", error=str(e))),
                            "zh" if _is_zh(question) else "en", view, question)
            trace = {}
        answer.latency_ms = (time.perf_counter() - start) * 1000
        answer.debug = {**trace, **answer.debug, "read_as": reading.text} if debug else {}
        return answer

    def _answer(self, view: FactView, resolver: ScopeResolver, question: str, restrict: list[str] | None,
                lang: str = "") -> tuple[Answer, dict]:
        if not question:
            return render(refusal(say("ask.empty")), "zh", view, question), {}
        q = understand(question, self.glossary)
        if "other" in (q.lang, lang):  # Japanese, Korean, Russian …: say which languages are read
            return render(refusal(say("ask.language")), "en", view, question), {}
        if lang:
            q = replace(q, lang=lang)
        result, trace = self._result(view, resolver, q, restrict)
        return render(result, q.lang, view, q.text), trace

    def _result(self, view: FactView, resolver: ScopeResolver, q: Query,
                restrict: list[str] | None) -> tuple[Result, dict]:
        if not view.documents:
            return refusal(say("refuse.no_documents")), {}
        scope = resolver.resolve(q, restrict)
        trace: dict = {"operation": q.operation, "years": q.years,
                       "scope": [d.label for d in scope.documents][:10]}
        if scope.unknown:
            return refusal(say("refuse.unknown", name=scope.unknown), refusals.held(view)), \
                {**trace, "unknown": scope.unknown}
        q = replace(q, terms=[m for m in q.terms if not _within(m.start, m.end, scope.spans)])
        if not scope.documents:
            return refusal(say("refuse.empty_scope"), refusals.held(view)), trace
        planned = plan(q, scope, view)
        if not isinstance(planned, Plan):
            return planned, trace
        trace = {**trace, **planned.debug, "plan": planned.op, "documents": [d.id for d in planned.ctx.docs]}
        return reissue.note(ops.run(planned, view), view), trace


def reading_of(trace: dict, view: FactView, used_history: bool, scope: list[str] | None) -> dict:
    """How the question was read, for a person to check: which department, year, document, item and
    operation the answer rests on, and whether earlier questions or a chosen scope shaped it."""
    by_id = {d.id: d for d in view.documents}
    docs = [by_id[i] for i in trace.get("documents", []) if i in by_id]
    return {
        "department": list(dict.fromkeys(d.department for d in docs if d.department)),
        "year": sorted({d.year for d in docs if d.year}),
        "document": [d.title for d in docs][:10],
        "item": [label for label, _ in trace.get("subjects", []) if label],
        "operation": trace.get("plan", ""),
        "used_history": used_history,
        "scope": list(scope or []),
    }


def _open_index(store: Path, ledger: Ledger):  # type: ignore[no-untyped-def]
    """The store's dense index (not synced: ingest.index_guard decides when), the model loaded now rather
    than on the first question that needs it."""
    from ingest.embeddings import CACHE_FILE, Embedder
    from ingest.index import Index

    ro = ledger.readonly
    index = Index(store, Embedder(store / CACHE_FILE, readonly=ro), readonly=ro)
    index.embedder.warm()
    return index


def _within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """A glossary term inside the words that named the department (安图县教育局 is not 教育支出)."""
    return any(a <= start and end <= b for a, b in spans)
