"""Store repairs staff run by hand: remove a document, rebuild a missing or corrupt index.

Why separate: the CLI and the staff web view both call these, and both must leave the ledger (the
system of record) consistent first and the derived Chroma index second.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.ledger import Ledger
from ingest.model import Document, IngestError
from ingest.settings import settings

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Removed:
    document: Document
    facts: int
    index_note: str  # "index updated" or why it was not


def resolve_one(ledger: Ledger, ref: str) -> Document:
    """The one document ``ref`` names, or an IngestError listing the candidates."""
    found = ledger.find(ref.strip())
    if not found:
        raise IngestError(f"no document matches '{ref}' (see `budgetqa documents`)")
    if len(found) > 1:
        ids = ", ".join(f"{d.id} ({d.source_key})" for d in found)
        raise IngestError(f"'{ref}' names {len(found)} documents: {ids}; give the id")
    return found[0]


def remove_document(ledger: Ledger, ref: str, index=None) -> Removed:  # type: ignore[no-untyped-def]
    """Remove from the ledger (one transaction), then from the index when one is open or openable."""
    doc = resolve_one(ledger, ref)
    n = len(ledger.facts(document_id=doc.id))
    ledger.remove(doc.id)
    note = "index updated"
    try:
        if index is None:
            from ingest.embeddings import CACHE_FILE, Embedder
            from ingest.index import Index

            index = Index(ledger.store, Embedder(ledger.store / CACHE_FILE))
        index.sync(ledger)
    except Exception:  # the ledger is already right; the index is derived and `reindex` rebuilds it
        note = "index not updated (run `budgetqa reindex`)"
    return Removed(doc, n, note)


def reindex(store: Path, progress: Progress | None = None) -> dict[str, int]:
    """Rebuild the Chroma index from the ledger; a local index that cannot even be opened is deleted first."""

    from ingest.embeddings import CACHE_FILE, Embedder
    from ingest.index import Index

    ledger = Ledger(store)
    if ledger.readonly:  # a published snapshot's index lives on the writer's Chroma server
        raise PermissionError("the store is read-only: it can answer questions but not change")
    try:
        embedder = Embedder(Path(store) / CACHE_FILE)
        try:
            index = Index(store, embedder)
            return index.rebuild(ledger, progress)
        except Exception:
            if settings().chroma_url:
                raise
            if progress:
                progress("the index could not be opened; deleting it and building it again from the ledger")
            _drop_local_index(Path(store))
            return Index(store, embedder).rebuild(ledger, progress)
    finally:
        ledger.close()


def _drop_local_index(store: Path) -> None:
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    shutil.rmtree(store / "chroma", ignore_errors=True)
    (store / "index_state.json").unlink(missing_ok=True)
