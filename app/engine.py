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
from collections import OrderedDict
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
from ingest.embeddings import CACHE_FILE, Embedder
from ingest.glossary import Glossary
from ingest.index import Index, OnDemandIndex
from ingest.index_guard import CatchUp, GuardedIndex
from ingest.ledger import Ledger
from ingest.model import Document, Fact, Passage, TableRecord
from ingest.pipeline import ingest
from ingest.process import ingest_in_child
from ingest.tokens import tokenize

ANSWER_CACHE = 4096  # answers kept per process (a few KB each)


class Engine:
    """Load once, answer many: thread-safe ``ask``; ``ingest`` makes new documents answerable at once."""

    def __init__(self, ledger: Ledger, index, glossary: Glossary, background: bool = False):
        """``background``: the index is synced in a thread after an ingest (the web app), so a new document
        is answered from the ledger at once and its vectors follow; else before ``ingest`` returns."""
        self.ledger = ledger
        self.index = index
        self.glossary = glossary
        self.background = background
        self.retriever = Retriever(ledger, index)
        self._lock = threading.RLock()
        self._generation: str | None = None
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()  # see ask(): same question, same answer
        self.refresh()

    @classmethod
    def open(cls, store: Path, dense: bool = True, background: bool = False, warm: bool = True,
             catch_up: CatchUp | None = None) -> Engine:
        """``background``: an index behind its ledger catches up (and the model loads) in a thread; questions
        are answered from the ledger meanwhile and use each vector once it is there (a server starting on a
        freshly ingested store answers at once instead of after minutes of embedding). ``warm``: open the
        index and load the embedding model now (a server: no visitor pays for it); otherwise both wait for
        the first question that needs them (`budgetqa ask`: most questions are answered from the ledger,
        and the model costs seconds to import and load). ``catch_up``: what a lagging index does — ``now``
        (sync while opening; the default without ``background``), ``background`` (implied by it), ``off``
        (a one-shot command: a note, never a sync inside a question). A damaged or unreadable index is never
        fatal: answers come from the ledger (ingest.index_guard)."""
        background = background or catch_up == "background"
        catch_up = catch_up or ("background" if background else "now")
        ledger = Ledger(store)
        index = None
        if dense:  # a read-only store (a snapshot) queries the shared Chroma server and writes nothing
            index = OnDemandIndex(partial(GuardedIndex, partial(_open_index, Path(store), ledger), ledger,
                                          catch_up, warm=warm or background))
            if warm or background:
                index.opened()
        return cls(ledger, index, Glossary.load(), background=background)

    def warm_up(self) -> None:
        """A server pays the one-time costs before its first visitor: every English glossary pattern
        compiled, jieba's dictionary loaded, a first question's reads."""
        self.glossary.compile_all()
        self.scope.unit_rows()  # every unit row of the store, for "西郊监狱的三公经费" asked with no department
        tokenize("预算支出")
        docs = self.documents()
        if docs:  # a first question in each language (an English one loads the name lexicon and readings)
            self.ask(f"{docs[0].department}支出总计是多少？", scope=[docs[0].id])
            name = self.view.catalog.english_name(docs[0].department) or "department"
            self.ask(f"What is the total expenditure of the {name}?", scope=[docs[0].id])

    # ---- store ---------------------------------------------------------

    def refresh(self) -> None:
        """A new FactView (and scope resolver over its catalog) for the ledger as it is now."""
        with self._lock:
            self._answers.clear()  # also after an index sync, which keeps the ledger's generation
            self._generation = self.ledger.get_meta("generation")
            self.view = FactView(self.ledger, self.glossary, self.retriever, self.ledger.documents())
            self.scope = ScopeResolver(self.view.documents, self.glossary, self.view.catalog,
                                       labels_of=self.view.table_labels,
                                       tabled_labels=self.ledger.tabled_labels)

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
            later = (lambda: self._sync_index(progress)) if self.background else None
            report = ingest_in_child(paths, self.ledger.store, progress=progress, embedded=later,
                                     wait=not self.background, replace=replace)
        else:
            report = ingest(paths, self.ledger.store, progress=progress, index=False, replace=replace)
        self.refresh()  # answerable from the ledger from here on
        if not (child and self.background):  # else the child's embedding is followed by the sync
            self._sync_index(progress)
        return report

    def _sync_index(self, progress=None) -> None:  # type: ignore[no-untyped-def]
        if self.index is None:
            return
        try:
            if self.background:
                self.index.sync_in_background(self.ledger, progress)
            else:
                self.index.sync(self.ledger, progress)
        except Exception:  # logged by the guard; the ledger holds the documents, answers use it
            if progress:
                progress("the search index was not updated; answers use the ledger (budgetqa reindex)")

    def facts_of(self, doc_id: str) -> list[Fact]:
        return self._current().facts_of(doc_id)

    def tables_of(self, doc_id: str) -> list[TableRecord]:
        return self._current().tables_of(doc_id)

    def passages_of(self, doc_id: str) -> list[Passage]:
        return self._current().passages_of(doc_id)

    # ---- entry ---------------------------------------------------------

    def ask(self, question: str, scope: list[str] | None = None, debug: bool = False,
            history: list[str] | None = None, lang: str | None = None) -> Answer:
        """Answer one question; ``history`` holds the earlier questions of its conversation, oldest first;
        ``lang`` ("zh" or "en") asks for the answer in that language instead of the question's."""
        start = time.perf_counter()
        question = (question or "").strip()[:500]
        view = self._current()
        resolver = self.scope
        earlier = [h[:500] for h in history or []][-6:]
        key = None if debug else (self._generation, question, tuple(scope or ()), tuple(earlier), lang)
        cached = self._cached(key, start)
        if cached is not None:
            return cached
        reading = contextualise(question, earlier, view.catalog, lambda t: understand(t, self.glossary))
        try:
            answer, trace = self._answer(view, resolver, reading.text, scope, lang or reading.lang)
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
        if key is not None:
            with self._lock:
                self._answers[key] = answer
                while len(self._answers) > ANSWER_CACHE:
                    self._answers.popitem(last=False)
        return _copy(answer)

    def _cached(self, key: tuple | None, start: float) -> Answer | None:
        """The answer given to the same question (scope, history, language) on this ledger generation: the
        engine is deterministic, and popular questions (the welcome page's examples, shared links) repeat."""
        if key is None:
            return None
        with self._lock:
            hit = self._answers.get(key)
            if hit is not None:
                self._answers.move_to_end(key)
        if hit is None:
            return None
        return _copy(hit, latency_ms=(time.perf_counter() - start) * 1000)

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


def _copy(answer: Answer, **changes) -> Answer:  # type: ignore[no-untyped-def]
    """A caller's own answer: its lists and dicts are not the cached one's."""
    return replace(answer, citations=list(answer.citations), candidates=list(answer.candidates),
                   debug=dict(answer.debug), reading=dict(answer.reading), **changes)


def _open_index(store: Path, ledger: Ledger) -> Index:
    """The store's dense index, not synced: ingest.index_guard decides when (and loads the model)."""
    ro = ledger.readonly
    return Index(store, Embedder(store / CACHE_FILE, readonly=ro), readonly=ro)


def _within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """A glossary term inside the words that named the department (安图县教育局 is not 教育支出)."""
    return any(a <= start and end <= b for a, b in spans)
