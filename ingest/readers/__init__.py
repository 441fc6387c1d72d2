"""Readers turn one file into a ParsedDocument; pick one by the file's type."""

from __future__ import annotations

from pathlib import Path

from ingest import limits  # module access: the submodule ingest.readers.pdf_pages shadows a bare name
from ingest.limits import LIMITS, check_size, enforce, read_bounded
from ingest.model import IngestError, ParsedDocument

SUPPORTED = (".txt", ".pdf", ".xlsx")
MAX_BYTES = LIMITS.max_bytes_pdf  # the largest per-type limit (ingest.limits)


def read_file(path: Path) -> ParsedDocument:
    """Read a disclosure; every refusal is an IngestError with a one-line reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(f"{path.name}: unsupported file type '{suffix or '(none)'}' "
                          "(supported: .txt, .pdf, .xlsx)")
    if not path.is_file():
        raise IngestError(f"{path.name}: not a file")
    check_size(path)  # before reading: a file over the limit costs nothing
    data = read_bounded(path)
    if not data.strip():
        raise IngestError(f"{path.name}: the file is empty")
    return enforce(_read(path, suffix, data))


def _read(path: Path, suffix: str, data: bytes) -> ParsedDocument:
    if suffix == ".txt":
        from ingest.readers.text import read_text

        return read_text(path, data)
    if suffix == ".pdf":
        from ingest.readers.pdf import read_pdf
        from ingest.readers.pdf_guard import check_content, needs_password

        pages = limits.pdf_pages(data)
        if pages is not None and pages > LIMITS.max_pages:
            raise IngestError(f"{path.name}: more than {LIMITS.max_pages:,} pages (the limit per file)")
        check_content(data, path.name)  # decompressed streams and operations per page, before layout
        try:
            return read_pdf(path, data)
        except IngestError as e:  # owner-password PDFs read fine: only one that needs a password says so
            if needs_password(data):
                raise IngestError(f"{path.name}: the PDF is encrypted (password-protected); "
                                  "save an unprotected copy and retry") from e
            raise
    from ingest.readers.xlsx import read_xlsx

    return read_xlsx(path, data)
