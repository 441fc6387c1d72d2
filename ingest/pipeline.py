"""Ingest files into a store: read all, then write the ledger in one transaction, then sync the index.

Reading happens before any write, so a refused file changes nothing; the
ledger write is a single SQLite transaction, so a killed ingest changes
nothing; the index is derived and is brought up to date by the next sync.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import IngestError, ParsedDocument
from ingest.readers import SUPPORTED, read_file

Progress = Callable[[str], None]


@dataclass
class IngestReport:
    documents: list[tuple[str, str, str]] = field(default_factory=list)  # (source_key, doc id, action)
    tables: int = 0
    facts: int = 0
    passages: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        actions: dict[str, int] = {}
        for _, _, a in self.documents:
            actions[a] = actions.get(a, 0) + 1
        acts = ", ".join(f"{n} {a}" for a, n in sorted(actions.items()))
        return (f"{len(self.documents)} documents ({acts}); {self.tables} tables, {self.facts} facts, "
                f"{self.passages} passages; {len(self.warnings)} warnings; {self.seconds:.1f}s")


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
        raise IngestError("no .txt, .pdf or .xlsx disclosure found in " + ", ".join(map(str, paths)))
    return files


def read_all(files: list[Path], progress: Progress | None = None) -> list[ParsedDocument]:
    parsed: list[ParsedDocument] = []
    errors: list[str] = []
    for i, f in enumerate(files, 1):
        if progress:
            progress(f"[{i}/{len(files)}] reading {f.name}")
        try:
            parsed.append(read_file(f))
        except IngestError as e:
            errors.append(str(e))
        except Exception as e:  # a reader bug must refuse the file, not half-ingest it
            errors.append(f"{f.name}: could not be read ({type(e).__name__}: {e})")
    if errors:
        raise IngestError("; ".join(errors))
    return parsed


def ingest(paths: Iterable[Path], store: Path, progress: Progress | None = None,
           index: bool = True) -> IngestReport:
    from ingest.ledger import Ledger

    start = time.perf_counter()
    files = expand(paths)
    parsed = read_all(files, progress)
    ledger = Ledger(store)
    try:
        pause = float(os.environ.get("BUDGETQA_INGEST_PAUSE", "0") or 0)  # test seam: kill mid-write
        results = ledger.put(parsed, pause=pause)
        report = IngestReport()
        for p, (doc_id, action) in zip(parsed, results, strict=True):
            report.documents.append((p.document.source_key, doc_id, action))
            report.tables += len(p.tables)
            report.facts += len(p.facts)
            report.passages += len(p.passages)
            report.warnings.extend(f"{p.document.source_key}: {w}" for w in p.warnings)
        if index:
            sync_index(store, ledger, progress)
    finally:
        ledger.close()
    report.seconds = time.perf_counter() - start
    return report


def sync_index(store: Path, ledger, progress: Progress | None = None, rebuild: bool = False) -> dict[str, int]:
    from ingest.embeddings import Embedder
    from ingest.index import Index

    idx = Index(store, Embedder(store / "embeddings.sqlite"))
    return idx.rebuild(ledger, progress) if rebuild else idx.sync(ledger, progress)
