"""Ingest files into a store file by file: read one, write it in one transaction, then sync the index.

Each file is read before its write, so a refused file changes nothing and does
not stop the others; each write is a single SQLite transaction, so a killed
ingest leaves every file either stored whole or not at all; the index is
derived and is brought up to date by the next sync.
"""

from __future__ import annotations

import errno
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.ledger import Ledger
from ingest.model import AllRefused, IngestError, ParsedDocument
from ingest.narrative import comparison_coverage
from ingest.read_ahead import read_in_order
from ingest.readers import SUPPORTED, read_file, types_in_words
from ingest.settings import settings
from ingest.template import classify

Progress = Callable[[str], None]


@dataclass
class IngestReport:
    documents: list[tuple[str, str, str]] = field(default_factory=list)  # (source_key, doc id, action)
    tables: int = 0
    facts: int = 0
    passages: int = 0
    warnings: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    seconds: float = 0.0
    # where the seconds went: waiting for the readers, writing the ledger, indexing (make bench-readers)
    read_seconds: float = 0.0
    ledger_seconds: float = 0.0
    index_seconds: float = 0.0
    stopped: str = ""  # why the run stopped before its last file (a full disk), the stored ones kept

    def summary(self) -> str:
        actions: dict[str, int] = {}
        for _, _, a in self.documents:
            actions[a] = actions.get(a, 0) + 1
        acts = ", ".join(f"{n} {a}" for a, n in sorted(actions.items()))
        refused = f"; {len(self.refused)} files refused" if self.refused else ""
        refused += "; stopped early" if self.stopped else ""
        return (f"{len(self.documents)} documents ({acts}); {self.tables} tables, {self.facts} facts, "
                f"{self.passages} passages; {len(self.warnings)} warnings{refused}; {self.seconds:.1f}s "
                f"(reading {self.read_seconds:.1f}, ledger {self.ledger_seconds:.1f}, "
                f"index {self.index_seconds:.1f})")


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the supported files inside folders named (glossary and hidden files skipped)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED
                                and not f.name.startswith((".", "glossary"))))
        elif p.exists():
            files.append(p)
        else:
            raise IngestError(f"{p}: no such file or folder")
    if not files:
        raise IngestError(f"no {types_in_words()} disclosure found in " + ", ".join(map(str, paths)))
    return files


def read_one(f: Path) -> ParsedDocument:
    """One file read; any reader failure becomes a one-line IngestError naming the file."""
    try:
        parsed = read_file(f)
    except IngestError:
        raise
    except Exception as e:  # a reader bug refuses this file only, never half-ingests it
        raise IngestError(f"{f.name}: could not be read ({type(e).__name__}: {e})") from e
    if not parsed.facts and not any(t.status in ("present", "empty") for t in parsed.tables):
        raise IngestError(f"{f.name}: not a budget disclosure: no budget table and no figure found")
    if not any(fact.value is not None for fact in parsed.facts):  # stored, but never silently empty
        parsed.warnings.append(f"no figure could be read: {len(parsed.tables)} tables found, none with a "
                               "figure the reader could parse; questions about this document will find no "
                               "figure (check the file: a scan, or figures printed in an unreadable way)")
    parsed.report.update(comparison_coverage(parsed.passages, parsed.facts))
    return classify(parsed)  # every table typed in the national template, every figure's fund and measure


def _timed(reading: Iterator[tuple[Path, ParsedDocument | IngestError]],
           report: IngestReport) -> Iterator[tuple[Path, ParsedDocument | IngestError]]:
    """The files as read, the time spent waiting for each added to ``report.read_seconds`` (run to its end,
    so the reading processes are gone before the index sync)."""
    while True:
        t = time.perf_counter()
        try:
            item = next(reading)
        except StopIteration:
            return
        report.read_seconds += time.perf_counter() - t
        yield item


def ingest(paths: Iterable[Path], store: Path, progress: Progress | None = None,
           index: bool = True, replace: bool = False) -> IngestReport:
    """Read and store file by file: each file is one ledger transaction, a bad file refuses only itself.

    Raises AllRefused (nothing stored) when every file was refused; otherwise the report lists the refused
    files in ``refused`` next to the stored documents. A full disk stops the run: the documents stored
    before it stay and are reported, ``stopped`` says why. ``replace``: a re-issue of a stored disclosure
    takes its place instead of standing beside it.
    """
    start = time.perf_counter()
    files = expand(paths)
    report = IngestReport()
    ledger = None  # opened at the first good file: a refusal must not create a store
    pause = settings().ingest_pause  # test seam: kill mid-write
    try:
        for i, (f, parsed) in enumerate(_timed(read_in_order(files, read_one), report), 1):
            if progress:
                progress(f"[{i}/{len(files)}] read {f.name}")
            if isinstance(parsed, IngestError):
                report.refused.append((f.name, str(parsed)))
                continue
            if ledger is None:

                ledger = Ledger(store)
                if ledger.readonly:  # a snapshot or read-only media: not even the index may be written
                    raise IngestError("the store is read-only: it can answer questions but not change")
            t = time.perf_counter()
            try:
                [(doc_id, action)] = ledger.put([parsed], pause=pause, replace=replace)
            except (OSError, sqlite3.OperationalError) as e:
                if not report.documents or not _disk_full(e):
                    raise
                report.stopped = (f"the disk is full: stopped at {f.name} ({i} of {len(files)}); the "
                                  f"{len(report.documents)} documents listed were stored, the rest were not "
                                  "(free some space and ingest again)")
                break
            report.ledger_seconds += time.perf_counter() - t
            report.documents.append((parsed.document.source_key, doc_id, action))
            report.tables += len(parsed.tables)
            report.facts += len(parsed.facts)
            report.passages += len(parsed.passages)
            report.warnings.extend(f"{parsed.document.source_key}: {w}" for w in parsed.warnings)
            del parsed  # stream: only one parsed document is held at a time
        if not report.documents:
            raise AllRefused(report.refused)
        if index and ledger is not None and not report.stopped:
            if progress:  # each file's transaction is committed: a running server answers from them now
                progress(f"{len(report.documents)} documents stored and answerable; now the dense index")
            t = time.perf_counter()
            try:
                sync_index(store, ledger, progress)
            except Exception as e:  # derived: the ledger holds the documents; a later sync catches up
                report.warnings.append(f"the search index was not brought up to date ({_short(e)}); "
                                       "answers use the ledger meanwhile, and the index catches up when "
                                       "the store is served or with budgetqa reindex")
            report.index_seconds = time.perf_counter() - t
    finally:
        if ledger is not None:
            ledger.close()
    report.seconds = time.perf_counter() - start
    return report


def _disk_full(e: BaseException) -> bool:
    text = str(e).lower()
    return getattr(e, "errno", None) == errno.ENOSPC or "disk is full" in text or "disk i/o error" in text


def _short(e: BaseException) -> str:
    return "the disk is full" if _disk_full(e) else type(e).__name__


def sync_index(store: Path, ledger, progress: Progress | None = None,
               rebuild: bool = False) -> dict[str, int]:
    from ingest.embeddings import CACHE_FILE, Embedder
    from ingest.index import Index

    idx = Index(store, Embedder(store / CACHE_FILE))
    return idx.rebuild(ledger, progress) if rebuild else idx.sync(ledger, progress)
