"""The Chroma index, derived from the ledger and rebuildable from it at any time.

Two collections: ``facts`` holds one record per distinct row label of a
document (the subject a question names, embedded as Chinese label plus
English gloss; numbers are never embedded), ``passages`` holds narrative
passages. Ledger ids are kept in metadata, so every hit leads back to cells.
An embedded PersistentClient by default; a Chroma server when
BUDGETQA_CHROMA_URL is set.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
from chromadb.config import Settings  # noqa: E402

from ingest.embeddings import ChromaEmbedding, Embedder  # noqa: E402
from ingest.flatten import fact_id  # noqa: E402
from ingest.ledger import READER_VERSION, Ledger  # noqa: E402
from ingest.limits import LIMITS  # noqa: E402

FACTS, PASSAGES = "facts", "passages"


def gloss(label: str) -> str:
    """Chinese label plus its English gloss, the text MiniLM can actually read."""
    try:
        from ingest.glossary import Glossary
    except ImportError:  # pragma: no cover - glossary arrives with the corpus
        return label
    english = Glossary.load().english(label)
    return f"{label} {english}".strip()


def make_client(store: Path, url: str | None = None):
    settings = Settings(anonymized_telemetry=False, allow_reset=True)
    url = url or os.environ.get("BUDGETQA_CHROMA_URL")
    if url:
        u = urlparse(url)
        return chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                   ssl=u.scheme == "https", settings=settings)
    return chromadb.PersistentClient(path=str(store / "chroma"), settings=settings)


def collection_prefix(store: Path, url: str | None) -> str:
    """Stores sharing one Chroma server keep their own collections (BUDGETQA_CHROMA_PREFIX overrides)."""
    explicit = os.environ.get("BUDGETQA_CHROMA_PREFIX")
    if explicit is not None:
        return explicit
    if not url:
        return ""
    import hashlib

    return "bq" + hashlib.sha256(str(Path(store).resolve()).encode()).hexdigest()[:10] + "_"


class Index:
    def __init__(self, store: Path, embedder: Embedder, url: str | None = None):
        self.store = Path(store)
        self.embedder = embedder
        url = url or os.environ.get("BUDGETQA_CHROMA_URL")
        self._url = url
        self.client = make_client(self.store, url)
        self.prefix = collection_prefix(self.store, url)
        ef = ChromaEmbedding(embedder)
        meta = {"hnsw:space": "cosine"}
        self.facts = self.client.get_or_create_collection(self.prefix + FACTS, embedding_function=ef, metadata=meta)
        self.passages = self.client.get_or_create_collection(self.prefix + PASSAGES, embedding_function=ef,
                                                             metadata=meta)
        self.state_path = self.store / "index_state.json"

    def _state(self) -> dict[str, str]:
        try:
            return json.loads(self.state_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def _save_state(self, state: dict[str, str]) -> None:
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, sort_keys=True))
        os.replace(tmp, self.state_path)

    def sync(self, ledger: Ledger, progress: Callable[[str], None] | None = None) -> dict[str, int]:
        """Bring the index in line with the ledger: add new documents, drop removed ones.

        Idempotent: a sync interrupted half-way is finished by the next one.
        """
        state = self._state()
        docs = {d.id: d for d in ledger.documents()}
        removed = [d for d in state if d not in docs]
        for doc_id in removed:
            self.facts.delete(where={"document_id": doc_id})
            self.passages.delete(where={"document_id": doc_id})
            state.pop(doc_id)
            self._save_state(state)
        added = 0
        for doc_id, doc in docs.items():
            stamp = f"{doc.sha256}:{READER_VERSION}"
            if state.get(doc_id) in (stamp, f"skipped:{stamp}", f"failed:{stamp}"):
                continue  # a document that could not be indexed is not retried on every open
            n = ledger.count_facts(doc_id)
            if n > LIMITS.max_facts:  # stored before the limits existed: never make opening unbounded
                if progress:
                    progress(f"not indexing {doc.source_key}: {n:,} facts is over the {LIMITS.max_facts:,} limit")
                state[doc_id] = f"skipped:{stamp}"
                self._save_state(state)
                continue
            if progress:
                progress(f"indexing {doc.source_key}")
            try:
                self._index_document(ledger, doc_id)
            except Exception as e:  # answered by BM25 meanwhile; `budgetqa reindex` retries
                if progress:
                    progress(f"could not index {doc.source_key} ({type(e).__name__}); run `budgetqa reindex`")
                state[doc_id] = f"failed:{stamp}"
                self._save_state(state)
                continue
            state[doc_id] = stamp
            self._save_state(state)
            added += 1
        return {"added": added, "removed": len(removed)}

    def _index_document(self, ledger: Ledger, doc_id: str) -> None:
        labels: dict[str, str] = {}
        for f in ledger.facts(document_id=doc_id):
            if f.label:
                labels.setdefault(f.label, f.table_id or "narrative")
        if labels:
            texts = [gloss(lab) for lab in labels]
            self.facts.upsert(
                ids=[fact_id(doc_id, "label", lab) for lab in labels],
                documents=texts,
                embeddings=self.embedder.embed(texts),
                metadatas=[{"document_id": doc_id, "label": lab, "table_id": t} for lab, t in labels.items()],
            )
        passages = ledger.passages(document_id=doc_id)
        if passages:
            texts = [f"{p.section} {p.text}"[:1000] for p in passages]
            self.passages.upsert(
                ids=[p.id for p in passages],
                documents=texts,
                embeddings=self.embedder.embed(texts),
                metadatas=[{"document_id": doc_id, "section": p.section} for p in passages],
            )

    def rebuild(self, ledger: Ledger, progress: Callable[[str], None] | None = None) -> dict[str, int]:
        for name in (FACTS, PASSAGES):
            try:
                self.client.delete_collection(self.prefix + name)
            except Exception:  # already gone (chromadb raises NotFoundError / ValueError by version)
                pass
        self.state_path.unlink(missing_ok=True)
        self.__init__(self.store, self.embedder, self._url)  # type: ignore[misc]
        return self.sync(ledger, progress)

    def _query(self, collection, text: str, doc_ids: list[str] | None, k: int) -> tuple[list[str], list[dict], list[float]]:
        n = collection.count()
        if n == 0 or (doc_ids is not None and not doc_ids):
            return [], [], []
        where = None
        if doc_ids is not None:
            where = {"document_id": doc_ids[0]} if len(doc_ids) == 1 else {"document_id": {"$in": doc_ids}}
        res = collection.query(query_embeddings=self.embedder.embed([text]), n_results=min(k, n),
                               where=where, include=["metadatas", "distances"])
        return res["ids"][0], res["metadatas"][0], [1.0 - d for d in res["distances"][0]]

    def search_labels(self, text: str, doc_ids: list[str] | None, k: int = 20) -> list[tuple[str, float]]:
        best: dict[str, float] = {}
        _, metas, scores = self._query(self.facts, text, doc_ids, k)
        for meta, score in zip(metas, scores, strict=True):
            best[meta["label"]] = max(score, best.get(meta["label"], -1.0))
        return sorted(best.items(), key=lambda kv: -kv[1])

    def search_passages(self, text: str, doc_ids: list[str] | None, k: int = 10) -> list[tuple[str, float]]:
        ids, _, scores = self._query(self.passages, text, doc_ids, k)
        return list(zip(ids, scores, strict=True))
