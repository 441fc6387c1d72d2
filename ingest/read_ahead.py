"""Files read in worker processes, handed back in order: reading PDFs is CPU-bound Python, one core each.

Why processes: pdfplumber holds the GIL, so threads would not overlap; the ledger is still written by the
caller, file by file, in the order given. At most ``2 × workers`` parsed documents wait ahead of the
writer, so memory stays bounded however many files a batch holds. A reading process that dies (out of
memory, killed) breaks the whole pool, so the file whose result was awaited is read again alone (refused if
that process dies too) and the rest by a fresh pool.

A PDF or workbook is always read in a worker (a forked pool starts in ~50 ms), never in the caller: a
watch stops any worker whose memory passes the ceiling (BUDGETQA_READ_MEMORY_MB), and the file it was
reading is refused with that limit in words — a small file that inflates to gigabytes cannot take the
machine (one took 9.1 GB before).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ingest.limits import words
from ingest.model import IngestError, ParsedDocument
from ingest.readers import HEAVY  # formats worth a process; text files read faster than a process starts
from ingest.settings import settings

WATCH_EVERY = 0.2  # seconds between two looks at the workers' memory

Outcome = ParsedDocument | IngestError


def _threads() -> int:
    """Threads of this process, native ones included (torch's, Chroma's runtime): /proc on Linux."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _priority() -> int:
    """The calling thread's niceness (an upload's child reads at 19)."""
    try:
        return os.getpriority(os.PRIO_PROCESS, 0)
    except (AttributeError, OSError):
        return 0


def _at_priority(nice: int) -> None:
    """A reading worker runs no higher than its caller: a forkserver started by a server at priority 0 would
    otherwise read an upload's PDFs at full priority, beside the answers."""
    try:
        if os.getpriority(os.PRIO_PROCESS, 0) < nice:
            os.setpriority(os.PRIO_PROCESS, 0, nice)
    except (AttributeError, OSError):
        pass


def _pool(n: int) -> ProcessPoolExecutor:
    """``n`` reading workers at the caller's priority."""
    return ProcessPoolExecutor(n, mp_context=_context(), initializer=_at_priority, initargs=(_priority(),))


def _context():  # type: ignore[no-untyped-def]
    """fork on Linux from a single-threaded process: a worker starts at once and never re-imports the caller's
    main module (spawn would run a script without an ``if __name__ == "__main__"`` guard again in every
    worker). A process that already runs other threads (a server, a test run with an open index) forks a
    clean server process instead (forkserver): a fork copies other threads' locks held, and a worker reading
    a workbook waited on one forever. spawn elsewhere."""
    if not sys.platform.startswith("linux"):
        return mp.get_context("spawn")
    if _threads() == 1:
        return mp.get_context("fork")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["ingest.pipeline"])  # readers imported once, in the server
    return ctx


def workers() -> int:
    """Reading processes: the cores this process may use, or BUDGETQA_INGEST_WORKERS."""
    chosen = settings().ingest_workers
    if chosen is not None:
        return chosen
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def memory_ceiling() -> int:
    """Bytes a reading worker may hold (resident) before it is stopped."""
    return settings().read_memory_mb * 1024 * 1024


def _resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class MemoryWatch:
    """Stops (SIGKILL) any worker of a pool whose resident memory passes the ceiling; remembers that it did,
    so the file can be refused with the limit rather than as a crash. Linux (/proc); elsewhere it watches
    nothing."""

    def __init__(self, pool: ProcessPoolExecutor, ceiling: int):
        self.pool, self.ceiling = pool, ceiling
        self.stopped = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="read-memory-watch")

    def start(self) -> None:
        """Once the workers run: a forking pool starts them at its first submit, and no thread of ours may
        be running when it forks."""
        if not self._thread.is_alive() and not self._done.is_set():
            self._thread.start()

    def __enter__(self) -> MemoryWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(WATCH_EVERY):
            for pid in list(getattr(self.pool, "_processes", None) or {}):  # the pool's worker processes
                if _resident(pid) > self.ceiling:
                    self.stopped = True
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass


def _outcome(read: Callable[[Path], ParsedDocument], f: Path) -> Outcome:
    try:
        return read(f)
    except IngestError as e:
        return e


def _alone(read: Callable[[Path], ParsedDocument], f: Path) -> Outcome:
    """One file in a process of its own: the pool broke, and this tells whether this file broke it."""
    ceiling = memory_ceiling()
    with _pool(1) as pool, MemoryWatch(pool, ceiling) as watch:
        try:
            future = pool.submit(_outcome, read, f)
            watch.start()
            return future.result()
        except BrokenProcessPool:
            if watch.stopped:
                return IngestError(f"{f.name}: reading it took more than {words(ceiling)} of memory "
                                   "(the limit per file); nothing was stored")
            return IngestError(f"{f.name}: the reading process stopped (out of memory?); nothing was stored")


def read_in_order(files: list[Path], read: Callable[[Path], ParsedDocument],
                  n: int | None = None) -> Iterator[tuple[Path, Outcome]]:
    """(file, parsed document or the IngestError refusing it) for each file, in the order given.

    ``read`` must be a module-level function (it is sent to the worker processes). Batches of text files
    only are read here; any PDF or workbook sends the batch to at most ``n`` workers under a memory watch."""
    n = workers() if n is None else n
    heavy = sum(f.suffix.lower() in HEAVY for f in files)
    if not heavy or n == 0:  # n == 0: tests that patch a reader in this process
        for f in files:
            yield f, _outcome(read, f)
        return
    n = max(1, min(n, heavy))
    todo = deque(files)
    with _pool(n) as pool, MemoryWatch(pool, memory_ceiling()) as watch:
        pending: deque[tuple[Path, Future]] = deque()
        while todo or pending:
            while todo and len(pending) < 2 * n:
                f = todo.popleft()
                pending.append((f, pool.submit(_outcome, read, f)))
            watch.start()
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
