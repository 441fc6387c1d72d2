"""A staff ingest run in a child process, so reading a document never holds the server's GIL.

Why: reading a PDF is seconds of CPU-bound Python. In the server's process it took the GIL from every
answer (each answer hands the GIL between the event loop and a worker thread many times), so with one
upload beside 20 clients p95 went from ~0.9 s to ~11 s. The child reads and writes the ledger (one
transaction per file, as `budgetqa ingest` does) at a lower CPU priority, then embeds the new texts into
the store's embedding cache; the caller syncs the index, which then finds every vector cached.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
from pathlib import Path

from ingest.ledger import Ledger
from ingest.model import AllRefused, IngestError
from ingest.settings import settings

NICE = 10  # the child yields the CPU to answers


def embed_ahead_min() -> int:
    """Texts worth embedding in the child rather than the server: loading the model costs the child 5-10 s
    of CPU (far longer at nice 10 on busy cores), while the server embeds a few hundred texts in a second or
    two."""
    return settings().embed_ahead_min


def _child(paths: list[str], store: str, out, replace: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Read and store in the child; every outcome goes back on the queue."""
    try:
        os.nice(NICE)
    except OSError:
        pass
    from ingest.pipeline import ingest

    try:
        report = ingest([Path(p) for p in paths], Path(store), progress=lambda m: out.put(("progress", m)),
                        index=False, replace=replace)
        embed_ahead(Path(store), [doc_id for _, doc_id, _ in report.documents], out)
        out.put(("done", report))
    except AllRefused as e:  # each file's reason, for a line each
        out.put(("all_refused", e.refused))
    except IngestError as e:
        out.put(("refused", str(e)))
    except Exception as e:  # reported to the caller as one line
        out.put(("failed", f"{type(e).__name__}: {e}"))


def embed_ahead(store: Path, doc_ids: list[str], out) -> None:  # type: ignore[no-untyped-def]
    """Embed the new documents' texts here, at low priority, so the server's sync only reads the cache."""
    from ingest.embeddings import CACHE_FILE, Embedder
    from ingest.index import texts_to_embed

    ledger = Ledger(store)
    try:
        texts = texts_to_embed(ledger, doc_ids)
    finally:
        ledger.close()
    if len(texts) >= embed_ahead_min():
        out.put(("progress", f"embedding {len(texts)} texts"))
        Embedder(store / CACHE_FILE).embed(texts)


def ingest_in_child(paths: list[Path], store: Path, progress=None,  # type: ignore[no-untyped-def]
                    replace: bool = False):
    """ingest.pipeline.ingest(paths, store, progress, index=False, replace), run in a spawned child
    process."""
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    # not a daemon: its reading workers are its own children (a daemon may have none)
    proc = ctx.Process(target=_child, args=([str(p) for p in paths], str(store), out, replace), daemon=False)
    proc.start()
    try:
        while True:
            try:
                kind, value = out.get(timeout=1.0)
            except queue.Empty:
                if not proc.is_alive():
                    raise RuntimeError(f"the ingest process stopped (exit code {proc.exitcode})") from None
                continue
            if kind == "progress":
                if progress:
                    progress(value)
            elif kind == "done":
                return value
            elif kind == "refused":
                raise IngestError(value)
            elif kind == "all_refused":
                raise AllRefused(value)
            else:
                raise RuntimeError(value)
    finally:
        proc.join(timeout=30)
