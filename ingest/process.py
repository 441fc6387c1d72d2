"""A staff ingest run in a child process, so reading a document never holds the server's GIL.

Why: reading a PDF is seconds of CPU-bound Python. In the server's process it took the GIL from every
answer (each answer hands the GIL between the event loop and a worker thread many times), so with one
upload beside 20 clients p95 went from ~0.9 s to ~11 s. The child reads and writes the ledger (one
transaction per file, as `budgetqa ingest` does) at a lower CPU priority and says so at once (the
documents are answerable from then on), then embeds the new texts into the store's embedding cache;
when it is done the caller syncs the index, which then finds every vector cached.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path

from ingest.ledger import Ledger
from ingest.model import AllRefused, IngestError
from ingest.settings import settings

NICE = 19  # the child yields the CPU to answers: it reads on what they leave (nice 10 still cost them)


def embed_ahead_min() -> int:
    """From how many texts the child embeds an upload (default 0: always). Loading the model costs the child
    5-10 s of CPU at low priority, so an upload takes longer; embedding in the server instead (a second or
    two for a few hundred texts) held the answers' GIL: with an upload beside, Gradio /ask p95 went from 397
    to 744 ms, max 1.9 s (`make bench-load`, 2026-12-07). Answers come first."""
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
        out.put(("stored", report))  # answerable now; the embedding below only feeds the dense index
        embed_ahead(Path(store), [doc_id for _, doc_id, _ in report.documents], out)
        out.put(("done", None))
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
                    embedded: Callable[[], None] | None = None, wait: bool = True, replace: bool = False):
    """ingest.pipeline.ingest(paths, store, progress, index=False, replace), run in a spawned child process.

    Returns the report once the files are stored. ``wait``: also wait for the child to embed their texts
    (the old behaviour, for callers that sync the index right after); otherwise a thread waits for it
    and then calls ``embedded`` (the caller's index sync, which finds the vectors cached)."""
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    # not a daemon: its reading workers are its own children (a daemon may have none)
    proc = ctx.Process(target=_child, args=([str(p) for p in paths], str(store), out, replace), daemon=False)
    proc.start()
    try:
        report = _until(out, proc, "stored", progress)
    except BaseException:
        proc.join(timeout=30)
        raise

    def finish() -> None:
        try:
            _until(out, proc, "done", progress)
        except Exception as e:  # embedding ahead is an optimisation: the sync embeds what is missing
            if progress:
                progress(f"embedding in the ingest process stopped ({e}); the index sync embeds instead")
        finally:
            proc.join(timeout=30)
        if embedded:
            embedded()

    if wait:
        finish()
    else:
        threading.Thread(target=finish, name="budgetqa-embed-ahead", daemon=True).start()
    return report


def _until(out, proc, kind: str, progress):  # type: ignore[no-untyped-def]
    """Messages from the child, progress passed on, until ``kind`` arrives (its value is returned)."""
    while True:
        try:
            got, value = out.get(timeout=1.0)
        except queue.Empty:
            if not proc.is_alive():
                raise RuntimeError(f"the ingest process stopped (exit code {proc.exitcode})") from None
            continue
        if got == "progress":
            if progress:
                progress(value)
        elif got == kind:
            return value
        elif got == "refused":
            raise IngestError(value)
        elif got == "all_refused":
            raise AllRefused(value)
        elif got == "failed":
            raise RuntimeError(value)
