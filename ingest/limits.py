"""Per-file limits, checked before the work they bound, and the sane range of a disclosed figure.

Why: the service is public and staff upload files from anywhere, so one file must never be able to
exhaust memory or disk or make the index unbuildable. A file over a limit is refused with the limit
in words and the store untouched; a figure outside the sane range is blanked with a warning naming
its cell (a 60-digit "figure" is a typo or an attack, never a budget line).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from ingest.model import Fact, IngestError, ParsedDocument


@dataclass(frozen=True)
class Limits:
    """What one file may hold; each is far above any real disclosure in the corpus and samples."""

    max_upload_bytes: int = 20 * 1024 * 1024  # one staff upload (web desk, HTTP API), checked before reading
    max_bytes_pdf: int = 50 * 1024 * 1024
    max_bytes_xlsx: int = 20 * 1024 * 1024
    max_bytes_txt: int = 5 * 1024 * 1024
    max_upload_bytes: int = 20 * 1024 * 1024  # one file through the web upload, whatever its type
    max_unzipped_bytes: int = 100 * 1024 * 1024  # an .xlsx's parts, as the zip declares them
    max_cells: int = 300_000  # non-empty cells in a workbook
    max_grid_cells: int = 2_000_000  # one sheet's rows × columns up to its last non-empty cell
    max_merges: int = 2_000  # merged ranges in one sheet (each is expanded cell by cell)
    max_pages: int = 1_000
    # decompressed work, checked before layout (the largest of the samples' 135 PDFs: 0.9 MB and 59,227
    # operations on one page; of Excel itself: 32,767 characters in a cell)
    max_stream_bytes: int = 16 * 1024 * 1024  # one PDF content stream, decompressed
    max_page_ops: int = 500_000  # drawing and text operations on one PDF page (its forms included)
    max_cell_chars: int = 32_767  # characters in one workbook cell
    max_facts: int = 200_000
    max_passages: int = 20_000
    max_abs_value: Decimal = Decimal("1e15")  # 1,000 万亿: above any budget line in 元
    max_digits: int = 20  # significant digits of one figure


LIMITS = Limits()


def words(n: int) -> str:
    """A byte count as people say it: 5 MB, 512 KB."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{n / 1024:g} KB" if n >= 1024 else f"{n} bytes"


def check_size(path: Path, limit: int) -> int:
    """The file's size from the file system, refused before a byte is read when over the limit (its
    reader's: ``ingest.readers``)."""
    size = path.stat().st_size
    if size > limit:
        raise IngestError(f"{path.name}: {words(size)} is over the {words(limit)} limit for "
                          f"{path.suffix.lower()} files; nothing was read")
    return size


def read_bounded(path: Path, limit: int) -> bytes:
    """Read at most the limit (+1 byte to notice a file that grew after the size check)."""
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise IngestError(f"{path.name}: over the {words(limit)} limit for {path.suffix.lower()} files")
    return data


def sane(value: Decimal | None, limits: Limits = LIMITS) -> bool:
    """A figure a budget can print: finite, below the bound, not more digits than a ledger keeps."""
    if value is None:
        return True
    if not value.is_finite():
        return False
    return abs(value) < limits.max_abs_value and len(value.as_tuple().digits) <= limits.max_digits


def where(f: Fact) -> str:
    """A fact's cell in words, for a warning."""
    table = f"table {f.table_id}" if f.table_id else "narrative"
    place = f"page {f.page}" if f.page else (f"line {f.line}" if f.line else "")
    cell = " / ".join(x for x in (f.row_label, f.column) if x)
    return ", ".join(x for x in (table, cell, place) if x)


def enforce(parsed: ParsedDocument, limits: Limits = LIMITS) -> ParsedDocument:
    """Refuse a document over the fact/passage/page limits; blank (and warn about) insane figures."""
    name = parsed.document.source_key
    if parsed.document.pages and parsed.document.pages > limits.max_pages:
        raise IngestError(f"{name}: {parsed.document.pages} pages is over the limit of "
                          f"{limits.max_pages:,} pages")
    if len(parsed.facts) > limits.max_facts:
        raise IngestError(f"{name}: {len(parsed.facts):,} figures is over the limit of {limits.max_facts:,} "
                          "figures per file")
    if len(parsed.passages) > limits.max_passages:
        raise IngestError(f"{name}: {len(parsed.passages):,} passages is over the limit of "
                          f"{limits.max_passages:,} passages per file")
    facts = []
    for f in parsed.facts:
        if not sane(f.value, limits):
            digits = len(f.value.as_tuple().digits) if f.value is not None and f.value.is_finite() else 0
            parsed.warnings.append(f"{where(f)}: figure of {digits} digits is outside the sane range "
                                   f"(below {limits.max_abs_value:,f}, at most {limits.max_digits} digits); "
                                   "stored as blank")
            f = replace(f, value=None)
        facts.append(f)
    parsed.facts = facts
    return parsed


def pdf_pages(data: bytes) -> int | None:
    """The page count from the PDF's page tree, without reading any page; None when unreadable."""
    try:
        import io

        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        n = 0
        for _ in PDFPage.create_pages(doc):
            n += 1
            if n > LIMITS.max_pages:
                break
        return n
    except Exception:  # damaged or encrypted: the PDF reader says why, in its own words
        return None
