"""The Chroma index, derived from the ledger and rebuildable from it at any time.

Two collections, each holding one record per distinct text across all
documents, so a label that 1,000 departments print is embedded and stored
once: ``facts`` holds one record per distinct row label (embedded as Chinese
label plus English gloss; numbers are never embedded), ``passages`` one per
distinct narrative text with figures and the department's name masked. The
ledger maps records back to documents (labels via its facts, passages via
index_passage_keys) and keeps the sync state, so app servers sharing one
Chroma server agree on what is indexed. An embedded PersistentClient by
default; a Chroma server when BUDGETQA_CHROMA_URL is set.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlparse

from ingest.embeddings import ChromaEmbedding, Embedder
from ingest.eta import Eta
from ingest.glossary import Glossary
from ingest.index_state import IndexState, passage_text, text_key
from ingest.ledger import READER_VERSION, Ledger
from ingest.limits import LIMITS
from ingest.settings import settings
from ingest.snapshot import marker

FACTS, PASSAGES = "facts", "passages"
KINDS = {"labels": FACTS, "passages": PASSAGES}  # BUDGETQA_DENSE_INDEXES names → collections
EMBED_BATCH = 256  # texts per embedding call (one progress line each)
# texts per hold of the embedder's lock during a sync (a question's embedding waits at most one)
EMBED_CHUNK = 64
WRITE_BATCH = 4000  # records per Chroma write (its limit is ~5,400)
IN_FILTER_MAX = 2000  # larger scopes are filtered after the query instead of inside it
BACKGROUND_NICE = 19  # a background sync yields the CPU to answers (as an upload's child: 10 still cost them)
COUNT_TTL = 60.0  # seconds a collection's record count is trusted (count() costs up to ~30 ms a call)


def dense_indexes() -> set[str]:
    """The dense indexes to build and search (BUDGETQA_DENSE_INDEXES). Labels only by default: on the
    eval (python -m evals.index_value, 2026-12-07) the passage index changed no answer of 1,168 while
    its embedding was two thirds of ingesting the city samples; the label index changes no grade but
    gives English questions their closest items ("official vehicle purchase and operation costs
    (公务用车购置及运行维护费)") where the Chinese full-text search finds nothing."""
    named = {w.strip().lower() for w in settings().dense_indexes.split(",")} - {"", "none"}
    unknown = named - KINDS.keys()
    if unknown:
        raise ValueError(f"BUDGETQA_DENSE_INDEXES: unknown index {', '.join(sorted(unknown))} "
                         f"(known: {', '.join(KINDS)}, none)")
    return named


def gloss(label: str) -> str:
    """Chinese label plus its English gloss, the text MiniLM can actually read."""
    english = Glossary.load().english(label)
    return f"{label} {english}".strip()


def texts_to_embed(ledger: Ledger, doc_ids: list[str]) -> list[str]:
    """The texts a sync embeds for these documents (each label's glossed text, each passage), distinct.

    The staff upload embeds them in its child process, into the shared embedding cache, so the server's
    own sync finds every vector there and does no model work beside the answers it serves."""
    texts: dict[str, None] = {}
    kinds = dense_indexes()
    for doc_id in doc_ids:
        doc = ledger.document(doc_id)
        if doc is None:
            continue
        if "labels" in kinds:
            texts.update((gloss(f.label), None) for f in ledger.facts(document_id=doc_id) if f.label)
        if "passages" in kinds:
            texts.update((passage_text(doc, p), None) for p in ledger.passages(document_id=doc_id))
    return list(texts)


def label_record_id(label: str, text: str) -> str:
    """Keyed by label and embedded text, so a glossary change re-embeds the labels it glosses."""
    return "l" + hashlib.sha256(f"{label}\x1f{text}".encode()).hexdigest()[:20]


def make_client(store: Path, url: str | None = None):
    # imported here: chromadb costs ~0.8 s to import, and most questions are answered from the ledger alone
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    url = url or settings().chroma_url
    if url:
        u = urlparse(url)
        return chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                   ssl=u.scheme == "https", settings=chroma_settings)
    return chromadb.PersistentClient(path=str(store / "chroma"), settings=chroma_settings)


def collection_prefix(store: Path, url: str | None) -> str:
    """Stores sharing one Chroma server keep their own collections (BUDGETQA_CHROMA_PREFIX overrides;
    a published snapshot uses its writer's collections, named in its marker)."""
    explicit = settings().chroma_prefix
    if explicit is not None:
        return explicit
    if not url:
        return ""
    published = marker(store).get("chroma_prefix")
    if published is not None:
        return published
    return "bq" + hashlib.sha256(str(Path(store).resolve()).encode()).hexdigest()[:10] + "_"


def _in(field: str, values: set[str]) -> dict:
    vals = sorted(values)
    return {field: vals[0]} if len(vals) == 1 else {field: {"$in": vals}}


def stamp_version(kinds: set[str]) -> str:
    """What a document's index stamp records besides its content: the reader version and which indexes are
    built (another choice of indexes re-syncs)."""
    return READER_VERSION + ("" if kinds == {"labels"} else ":" + "+".join(sorted(kinds)))


def lower_priority() -> None:
    """This thread yields the CPU to answers (Linux: a thread is a task with its own priority)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (AttributeError, OSError):
        pass


class OnDemandIndex:
    """An Index opened (and synced) the first time anything asks it: a one-question process (`budgetqa ask`)
    answered from the ledger never imports chromadb nor loads the embedding model."""

    def __init__(self, opener: Callable[[], Index]):
        self._opener = opener
        self._index: Index | None = None
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._index is not None

    def opened(self) -> Index:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._opener()
        return self._index

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.opened(), name)


class Index:
    def __init__(self, store: Path, embedder: Embedder, url: str | None = None, readonly: bool = False):
        """``readonly``: a replica on a published snapshot; it queries the Chroma server's existing
        collections and never syncs, creates or writes anything."""
        self.store = Path(store)
        self.embedder = embedder
        url = url or settings().chroma_url
        if readonly and not url:
            raise ValueError("a read-only store has a dense index only on a Chroma server "
                             "(BUDGETQA_CHROMA_URL)")
        self._url = url
        self.readonly = readonly
        self.client = make_client(self.store, url)
        self.prefix = collection_prefix(self.store, url)
        ef = ChromaEmbedding(embedder)
        meta = {"hnsw:space": "cosine"}
        if readonly:
            self.facts = self.client.get_collection(self.prefix + FACTS, embedding_function=ef)
            self.passages = self.client.get_collection(self.prefix + PASSAGES, embedding_function=ef)
            path = quote(str((self.store / "ledger.sqlite").resolve()))
            db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        else:
            self.facts = self.client.get_or_create_collection(self.prefix + FACTS, embedding_function=ef,
                                                              metadata=meta)
            self.passages = self.client.get_or_create_collection(self.prefix + PASSAGES,
                                                                 embedding_function=ef, metadata=meta)
            self.store.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.store / "ledger.sqlite", timeout=30, check_same_thread=False)
        self.state = IndexState(db, f"{url or 'embedded'}|{self.prefix}", create=not readonly)
        self._lock = threading.RLock()  # the web app queries from several threads over one connection
        self._syncing = threading.Lock()  # one sync at a time; it lets go of _lock while it embeds
        self._counts: dict[str, tuple[float, int]] = {}
        self.status = "not synced"  # the last background sync's progress line, in words
        self._background: threading.Thread | None = None

    # ---- sync ---------------------------------------------------------
    def sync(self, ledger: Ledger, progress: Callable[[str], None] | None = None) -> dict[str, int]:
        """Bring the index in line with the ledger: add new documents' texts, drop texts no document has.

        Idempotent: a sync interrupted half-way is finished by the next one
        (records are upserted and marked in the ledger batch by batch).
        """
        if self.readonly:  # the writer synced before publishing
            return {"added": 0, "removed": 0}
        with self._syncing, self._lock:
            return self._sync(ledger, progress)

    def sync_in_background(self, ledger: Ledger, progress: Callable[[str], None] | None = None,
                           then: Callable[[dict[str, int]], None] | None = None,
                           failed: Callable[[Exception], None] | None = None) -> threading.Thread:
        """Sync in a daemon thread at low priority and return at once: the ledger answers meanwhile (a
        document is answerable when its facts are committed; its vectors follow). A search waits at most for
        one batch's upsert, never for the embedding. ``then`` gets the result of a sync that succeeded;
        ``failed`` the error of one that did not (else it is a progress line)."""
        previous = self._background

        def run() -> None:
            lower_priority()
            if previous is not None:  # one after the other: the later sync sees the rows the earlier missed
                previous.join()

            def report(line: str) -> None:
                self.status = line
                if progress:
                    progress(line)
            try:
                result = self.sync(ledger, report)
            except Exception as e:  # the ledger still answers; `budgetqa reindex` rebuilds the index
                self.status = f"failed: {type(e).__name__}: {e} (run `budgetqa reindex`)"
                if failed:
                    failed(e)
                elif progress:
                    progress(self.status)
                return
            self.status = f"up to date ({result['added']} documents added, {result['removed']} removed)"
            if then:
                then(result)

        self._background = threading.Thread(target=run, name="budgetqa-index", daemon=True)
        self._background.start()
        return self._background

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background sync; True when none is running any more."""
        if self._background is not None:
            self._background.join(timeout)
        return self._background is None or not self._background.is_alive()

    def in_sync(self, ledger: Ledger) -> bool:
        """Every document of the ledger indexed (or skipped for its size), none that it no longer holds."""
        with self._lock:
            added, removed = self._pending(ledger.documents(), self.state.stamps())
        return not added and not removed

    @staticmethod
    def _pending(documents: list, stamps: dict[str, str]) -> tuple[dict[str, str], list[str]]:
        """(documents to add with their stamps, document ids to remove); another choice of indexes
        re-syncs."""
        version = stamp_version(dense_indexes())
        want = {d.id: f"{d.sha256}:{version}" for d in documents}
        added = {i: s for i, s in want.items() if stamps.get(i) not in (s, f"skipped:{s}")}
        return added, [i for i in stamps if i not in want]

    def _sync(self, ledger: Ledger, progress: Callable[[str], None] | None) -> dict[str, int]:
        docs = {d.id: d for d in ledger.documents()}
        stamps = self.state.stamps()
        kinds = dense_indexes()
        added, removed = self._pending(list(docs.values()), stamps)
        over = {i for i in added if ledger.count_facts(i) > LIMITS.max_facts}
        if over:  # stored before the limits existed: never make opening unbounded, never retry it
            if progress:
                progress(f"not indexing {len(over)} documents over the {LIMITS.max_facts:,}-fact limit")
            self.state.mark_documents({i: f"skipped:{added.pop(i)}" for i in over}, [])
        if not added and not removed:
            return {"added": 0, "removed": 0}
        if not stamps:
            self._drop_untracked()
        if progress:
            progress(f"indexing: {len(added)} documents to add, {len(removed)} to remove")
        rows = []
        for doc_id in added:
            for p in ledger.passages(document_id=doc_id):
                text = passage_text(docs[doc_id], p)
                rows.append((p.id, doc_id, text_key(text), p.section, text))
        self.state.map_passages(list(added), rows)
        self.state.forget_missing_passages()
        glossed = {lab: gloss(lab) for lab in self.state.wanted_labels()} if "labels" in kinds else {}
        labels = {label_record_id(lab, text): (text, {"label": lab}) for lab, text in glossed.items()}
        self._reconcile(self.facts, FACTS, labels, progress)  # an index not chosen is emptied
        wanted = self.state.wanted_passages() if "passages" in kinds else {}
        passages = {key: (text, {"key": key}) for key, text in wanted.items()}
        self._reconcile(self.passages, PASSAGES, passages, progress)
        self.state.mark_documents(added, removed)
        self._counts.clear()
        self.state.forget_cached()
        return {"added": len(added), "removed": len(removed)}

    def _drop_untracked(self) -> None:
        """Records the ledger does not know (an index written before the state moved into the ledger) go."""
        (self.store / "index_state.json").unlink(missing_ok=True)
        for name in (FACTS, PASSAGES):
            collection = getattr(self, name)
            if collection.count() and not self.state.records(name):
                self.client.delete_collection(collection.name)
                setattr(self, name, self.client.get_or_create_collection(
                    collection.name, embedding_function=ChromaEmbedding(self.embedder),
                    metadata={"hnsw:space": "cosine"}))

    def _reconcile(self, collection, name: str, wanted: dict[str, tuple[str, dict]],
                   progress: Callable[[str], None] | None) -> None:
        have = self.state.records(name)
        stale = sorted(have - wanted.keys())
        for i in range(0, len(stale), WRITE_BATCH):
            collection.delete(ids=stale[i : i + WRITE_BATCH])
        if stale:
            self.state.mark_records(name, [], stale)
        new = [k for k in wanted if k not in have]
        eta = Eta(f"indexing {name} (distinct texts)", len(new), progress)
        for i in range(0, len(new), WRITE_BATCH):
            ids = new[i : i + WRITE_BATCH]
            texts = [wanted[k][0] for k in ids]
            vectors: list[list[float]] = []
            for j in range(0, len(texts), EMBED_BATCH):
                vectors.extend(self._embed_unlocked(texts[j : j + EMBED_BATCH]))
                eta.report(i + j + len(texts[j : j + EMBED_BATCH]))
            collection.upsert(ids=ids, embeddings=vectors, metadatas=[wanted[k][1] for k in ids])
            self.state.mark_records(name, ids, [])

    def _embed_unlocked(self, texts: list[str]) -> list[list[float]]:
        """Embed for a sync without holding the search lock, so questions are answered meanwhile (a batch
        took seconds on 2 busy cores); the embedder's own lock is taken per EMBED_CHUNK texts."""
        self._lock.release()
        try:
            out: list[list[float]] = []
            for k in range(0, len(texts), EMBED_CHUNK):
                out.extend(self.embedder.embed(texts[k : k + EMBED_CHUNK]))
            return out
        finally:
            self._lock.acquire()

    def rebuild(self, ledger: Ledger, progress: Callable[[str], None] | None = None) -> dict[str, int]:
        with self._lock:
            for name in (FACTS, PASSAGES):
                self.client.delete_collection(self.prefix + name)
            self.state.reset()
            self.state.conn.close()
        self.__init__(self.store, self.embedder, self._url)  # type: ignore[misc]
        return self.sync(ledger, progress)

    # ---- search -------------------------------------------------------
    def _count(self, collection) -> int:
        """Records in a collection, re-counted after a sync, when zero, or after COUNT_TTL seconds."""
        at, n = self._counts.get(collection.name, (0.0, 0))
        if n == 0 or time.monotonic() - at > COUNT_TTL:
            n = collection.count()
            self._counts[collection.name] = (time.monotonic(), n)
        return n

    def _query(self, collection, text: str, where: dict | None, k: int) -> tuple[list[dict], list[float]]:
        n = self._count(collection)
        if n == 0:
            return [], []
        res = collection.query(query_embeddings=self.embedder.embed([text]), n_results=min(k, n),
                               where=where, include=["metadatas", "distances"])
        return res["metadatas"][0], [1.0 - d for d in res["distances"][0]]

    def _scope(self, field: str, allowed: set[str] | None, k: int) -> tuple[dict | None, int]:
        """A Chroma filter for small scopes; large ones over-fetch and are filtered afterwards."""
        if allowed is None:
            return None, k
        if len(allowed) <= IN_FILTER_MAX:
            return _in(field, allowed), k
        return None, k * 10

    def search_labels(self, text: str, doc_ids: list[str] | None, k: int = 20) -> list[tuple[str, float]]:
        if doc_ids is not None and not doc_ids:
            return []
        with self._lock:
            allowed = self.state.scoped_labels(doc_ids) if doc_ids is not None else None
        if allowed is not None and not allowed:
            return []
        where, fetch = self._scope("label", allowed, k)
        metas, scores = self._query(self.facts, text, where, fetch)
        best: dict[str, float] = {}
        for meta, score in zip(metas, scores, strict=True):
            if allowed is None or meta["label"] in allowed:
                best[meta["label"]] = max(score, best.get(meta["label"], -1.0))
        return sorted(best.items(), key=lambda kv: -kv[1])[:k]

    def search_passages(self, text: str, doc_ids: list[str] | None, k: int = 10) -> list[tuple[str, float]]:
        """Passage ids in scope, best first: each matching text stands for every passage that prints it."""
        if doc_ids is not None and not doc_ids:
            return []
        with self._lock:
            allowed = self.state.scoped_passage_keys(doc_ids) if doc_ids is not None else None
        if allowed is not None and not allowed:
            return []
        where, fetch = self._scope("key", allowed, k)
        metas, scores = self._query(self.passages, text, where, fetch)
        hits = [(m["key"], s) for m, s in zip(metas, scores, strict=True)
                if allowed is None or m["key"] in allowed]
        if not hits:
            return []
        with self._lock:
            holders = self.state.passages_for([key for key, _ in hits], doc_ids)
        out: list[tuple[str, float]] = []
        for key, score in hits:
            out.extend((pid, score) for pid in holders[key][: k - len(out)])
            if len(out) >= k:
                break
        return out
