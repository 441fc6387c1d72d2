"""bench-ingest (not a test): real disclosures per hour, split into reading, ledger and indexing, with memory.

``budgetqa ingest`` of a sample folder into a fresh store, as staff would run it: the files are read by
the worker processes, stored one transaction each, then the dense index is synced. Prints one markdown
row per folder for the README's benchmark table. Peak memory is the largest sum of resident memory over
this process and its children (the reading workers), sampled every 0.1 s. Usage:

    python -m evals.bench_ingest [--no-index] [FOLDER ...]    (default: samples/cities, samples/jiangsu)
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from ingest.pipeline import ingest
from ingest.read_ahead import workers
from ingest.settings import settings

HEADER = ("| date | folder | files | stored | facts | wall s | reading s | ledger s | indexing s | "
          "disclosures / hour (stored) | peak memory MiB | CPU s | load |")


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next((int(line.split()[1]) * 1024 for line in fh if line.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


class PeakMemory:
    """The largest summed RSS of this process and its descendants, sampled in a thread (Linux /proc)."""

    def __init__(self, every: float = 0.1):
        self.peak = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            tree, i = [os.getpid()], 0
            while i < len(tree):
                tree += _children(tree[i])
                i += 1
            self.peak = max(self.peak, sum(_rss(p) for p in tree))
            self._stop.wait(self._every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def measure(folder: Path, index: bool) -> str:
    with tempfile.TemporaryDirectory() as tmp, PeakMemory() as mem:
        cpu, start = _cpu(), time.perf_counter()
        report = ingest([folder], Path(tmp) / "store", index=index)
        wall, cpu = time.perf_counter() - start, _cpu() - cpu
    files = len(report.documents) + len(report.refused)
    per_hour = len(report.documents) * 3600 / wall
    indexing = f"{report.index_seconds:.1f}" if index else "(off)"
    return (f"| {date.today().isoformat()} | {folder.name} | {files} | {len(report.documents)} | "
            f"{report.facts:,} | {wall:.1f} | {report.read_seconds:.1f} | {report.ledger_seconds:.1f} | "
            f"{indexing} | {per_hour:,.0f} | {mem.peak / 2**20:,.0f} | {cpu:.0f} | "
            f"{os.getloadavg()[0]:.1f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--no-index", action="store_true", help="reading and the ledger only")
    args = ap.parse_args(argv)
    folders = args.folders or [settings().samples / "cities", settings().samples / "jiangsu"]
    folders = [f for f in folders if f.is_dir()]
    if not folders:
        print("no sample folder found", file=sys.stderr)
        return 2
    print(f"{workers()} reading workers, {os.cpu_count()} cores")
    print(HEADER)
    print("|---" * HEADER.count(" | ") + "|---|")
    for folder in folders:
        print(measure(folder, index=not args.no_index), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
