"""Readers turn one file into a ParsedDocument; the registry below is every file type BudgetQA reads.

Everything that names the types is derived from ``READERS``: the suffixes a folder is searched for, the
size limit per type, the web upload's accept list, which files are read in worker processes and the
"unsupported type" messages. A new reader is one module declaring a ``Reader`` and one entry here.
"""

from __future__ import annotations

from pathlib import Path

from ingest.model import IngestError, ParsedDocument
from ingest.readers import pdf, text, xlsx
from ingest.readers.base import Reader

READERS: tuple[Reader, ...] = (text.READER, pdf.READER, xlsx.READER)
SUPPORTED = tuple(s for r in READERS for s in r.suffixes)
HEAVY = tuple(s for r in READERS if r.heavy for s in r.suffixes)  # worth a reading process
MAX_BYTES = max(r.max_bytes for r in READERS)  # the largest per-type limit


def types_in_words(last: str = "or") -> str:
    """The supported suffixes as a sentence says them: ".txt, .pdf or .xlsx"."""
    *head, tail = SUPPORTED
    return f"{', '.join(head)} {last} {tail}" if head else tail


def reader_for(path: Path | str) -> Reader | None:
    """The reader a file's name asks for, or None for an unsupported type."""
    suffix = Path(path).suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), None)


def unsupported(path: Path) -> IngestError:
    suffix = path.suffix.lower()
    return IngestError(f"{path.name}: unsupported file type '{suffix or '(none)'}' "
                       f"(supported: {', '.join(SUPPORTED)})")


def read_file(path: Path) -> ParsedDocument:
    """Read a disclosure; every refusal is an IngestError with a one-line reason."""
    path = Path(path)
    reader = reader_for(path)
    if reader is None:
        raise unsupported(path)
    if not path.is_file():
        raise IngestError(f"{path.name}: not a file")
    return reader.read(path, READERS)
