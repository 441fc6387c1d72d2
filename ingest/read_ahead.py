"""Files read in worker processes, handed back in order: reading PDFs is CPU-bound Python, one core each.

Why processes: pdfplumber holds the GIL, so threads would not overlap; the ledger is still written by the
caller, file by file, in the order given. At most ``2 × workers`` parsed documents wait ahead of the
writer, so memory stays bounded however many files a batch holds. A reading process that dies (out of
memory, killed) breaks the whole pool, so the file whose result was awaited is read again alone (refused if
that process dies too) and the rest by a fresh pool.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ingest.model import IngestError, ParsedDocument
from ingest.readers import HEAVY  # formats worth a process; text files read faster than a process starts
from ingest.settings import settings

MIN_HEAVY = 3  # fewer heavy files than this are read in-process (a pool costs ~1 s to start)

Outcome = ParsedDocument | IngestError


def _context():  # type: ignore[no-untyped-def]
    """fork on Linux: a worker starts at once and never re-imports the caller's main module (spawn would run
    a script without an ``if __name__ == "__main__"`` guard again in every worker); spawn elsewhere."""
    return mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def workers() -> int:
    """Reading processes: the cores this process may use, or BUDGETQA_INGEST_WORKERS."""
    chosen = settings().ingest_workers
    if chosen:
        return chosen
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _outcome(read: Callable[[Path], ParsedDocument], f: Path) -> Outcome:
    try:
        return read(f)
    except IngestError as e:
        return e


def _alone(read: Callable[[Path], ParsedDocument], f: Path) -> Outcome:
    """One file in a process of its own: the pool broke, and this tells whether this file broke it."""
    with ProcessPoolExecutor(1, mp_context=_context()) as pool:
        try:
            return pool.submit(_outcome, read, f).result()
        except BrokenProcessPool:
            return IngestError(f"{f.name}: the reading process stopped (out of memory?); nothing was stored")


def read_in_order(files: list[Path], read: Callable[[Path], ParsedDocument],
                  n: int | None = None) -> Iterator[tuple[Path, Outcome]]:
    """(file, parsed document or the IngestError refusing it) for each file, in the order given.

    ``read`` must be a module-level function (it is sent to the worker processes)."""
    n = workers() if n is None else n
    if n <= 1 or sum(f.suffix.lower() in HEAVY for f in files) < MIN_HEAVY:
        for f in files:
            yield f, _outcome(read, f)
        return
    todo = deque(files)
    with ProcessPoolExecutor(n, mp_context=_context()) as pool:
        pending: deque[tuple[Path, Future]] = deque()
        while todo or pending:
            while todo and len(pending) < 2 * n:
                f = todo.popleft()
                pending.append((f, pool.submit(_outcome, read, f)))
            f, future = pending.popleft()
            try:
                out = future.result()
            except BrokenProcessPool:
                rest = [g for g, _ in pending] + list(todo)
                pending.clear()
                todo.clear()
                yield f, _alone(read, f)
                yield from read_in_order(rest, read, n)
                return
            yield f, out
