"""Readers turn one file into a ParsedDocument; pick one by the file's type."""

from __future__ import annotations

from pathlib import Path

from ingest.model import IngestError, ParsedDocument

SUPPORTED = (".txt", ".pdf", ".xlsx")
MAX_BYTES = 50 * 1024 * 1024


def read_file(path: Path) -> ParsedDocument:
    """Read a disclosure; every refusal is an IngestError with a one-line reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(f"{path.name}: unsupported file type '{suffix or '(none)'}' (supported: .txt, .pdf, .xlsx)")
    if not path.is_file():
        raise IngestError(f"{path}: not a file")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path.name}: the file is empty")
    if len(data) > MAX_BYTES:
        raise IngestError(f"{path.name}: {len(data)} bytes is over the {MAX_BYTES} byte limit")
    if suffix == ".txt":
        from ingest.readers.text import read_text

        return read_text(path, data)
    if suffix == ".pdf":
        from ingest.readers.pdf import read_pdf

        return read_pdf(path, data)
    from ingest.readers.xlsx import read_xlsx

    return read_xlsx(path, data)
