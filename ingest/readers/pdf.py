"""PDF disclosures (Shanghai district 部门预算 / 单位预算 / 部门决算 family): tables, narrative, identity.

Tables come from pdfplumber's ruled-grid finder (cell positions kept, so a blank
cell stays blank); narrative from the text of pages that hold no table. Each
table's unit is read from its own caption, never assumed from another table.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import pdfplumber

from ingest import limits
from ingest.flatten import classify_columns, flatten
from ingest.labels import strip_spaces
from ingest.model import Document, Fact, IngestError, ParsedDocument, TableRecord
from ingest.narrative import narrative_facts
from ingest.numbers import parse_number, to_halfwidth
from ingest.readers.base import Reader
from ingest.readers.common import make_document
from ingest.readers.identity import not_a_disclosure, read_identity
from ingest.readers.pdf_guard import check_content, needs_password
from ingest.readers.pdf_narrative import Line, build_passages, page_lines
from ingest.readers.pdf_objects import install as _lighter_objects
from ingest.readers.pdf_pages import printed_amounts, without_page_numbers
from ingest.readers.pdf_tables import (
    Y_TOLERANCE,
    PageTable,
    PdfTable,
    cn_number,
    group_tables,
    is_data_table,
    is_empty,
    page_tables,
    to_grid,
    transpose_wide,
)
from ingest.readers.pdf_words import numeric_cells, word_tables
from ingest.readers.reading_report import reading_report
from ingest.units import unit_from_caption

_TOC_ENTRY = re.compile(
    r"^\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[.．、]\s*(.+?表(?:[（(][^（()）]{1,16}[)）])?)\s*[…\.\s\d]*$"
)
_SECTION_OF_TABLES = re.compile(r"^(20\d{2}年度?)?(部门|单位)?(预算|决算)(公开)?(报)?表$")  # "五、部门预算表": a part
_MIN_FACT_SHARE = 0.9  # below this share of a table's printed figures, something was misread
_lighter_objects()  # pdfplumber's per-glyph dicts, built with less work (same dicts)




def _title_key(title: str) -> str:
    """Titles compared without year, quotes, spaces or numbering: TOC and caption print them differently."""
    s = to_halfwidth(strip_spaces(title))
    s = re.sub(r"^(\d{1,2}|[一二三四五六七八九十]{1,3})[.、]", "", s)
    s = re.sub(r"20\d{2}年度?", "", s)
    return re.sub(r"[“”\"'‘’]", "", s)


def toc_tables(lines: list[str]) -> list[tuple[str, str]]:
    """(two-digit number, title) of each table listed in the table of contents."""
    out: list[tuple[str, str]] = []
    for ln in lines:
        m = _TOC_ENTRY.match(to_halfwidth(ln).replace("．", "."))
        if m and not _SECTION_OF_TABLES.match(strip_spaces(m.group(2))):
            out.append((f"{cn_number(m.group(1)):02d}", m.group(2).strip()))
    return out


def _number_tables(
    tables: list[PdfTable], toc: list[tuple[str, str]]
) -> list[tuple[str, PdfTable | None, str]]:
    """Match found tables to TOC entries; (id, table or None if absent, title)."""
    by_key = {_title_key(t): (n, t) for n, t in toc}
    out: list[tuple[str, PdfTable | None, str]] = []
    used: set[str] = set()
    for i, table in enumerate(tables, 1):
        key = _title_key(table.title)
        hit = by_key.get(key) or next((v for k, v in by_key.items() if k and (k in key or key in k)), None)
        number = hit[0] if hit and hit[0] not in used else f"{i:02d}"
        if table.number and table.number not in used:
            number = table.number
        while number in used:
            number = f"{int(number) + 1:02d}"
        used.add(number)
        out.append((number, table, table.title))
    for n, title in toc:
        if n not in used and not any(_title_key(title) == _title_key(t.title) for t in tables):
            out.append((n, None, title))
    return sorted(out, key=lambda x: x[0])


def _default_unit(tables: list[PdfTable], kind: str) -> tuple[str, str]:
    units = Counter(t.unit for t in tables if t.unit)
    if units:
        unit, n = units.most_common(1)[0]
        others = ", ".join(f"{u}: {c}" for u, c in units.items() if u != unit)
        note = f"most table captions say 单位：{unit} ({n} of {sum(units.values())})"
        return unit, note + (f"; other captions: {others}" if others else "")
    unit = "万元" if "决算" in kind else "元"
    return unit, f"no table caption states a unit; {kind} of this family print {unit}"


def _cover_lines(pdf) -> list[str]:
    """Cover plus the first caption lines: where department, year and kind are printed."""
    lines: list[str] = []
    for page in pdf.pages[:2]:
        lines += [ln.strip() for ln in (page.extract_text(y_tolerance=Y_TOLERANCE) or "").splitlines()]
    return [ln for ln in lines if ln]


def _title(cover: list[str], doc: Document) -> str:
    for ln in cover[:6]:
        if doc.kind and doc.kind in ln and re.search(r"20\d{2}", ln):
            return strip_spaces(ln)
    return f"{doc.department}{doc.year or ''}年{doc.kind}"


def _identity(path: Path, data: bytes, texts: list[str],
              tables: list[PdfTable]) -> tuple[Document, list[str]]:
    cover = [ln.strip() for t in texts[:2] for ln in t.splitlines() if ln.strip()]
    ident = read_identity(path, cover, texts)
    doc = make_document(path, data, cover, pages=len(texts), department=ident.department, region=ident.region,
                        year=ident.year, kind=ident.kind, level=ident.level, parent=ident.parent)
    unit, note = _default_unit(tables, doc.kind)
    return replace(doc, title=_title(cover, doc), default_unit=unit, default_unit_note=note), ident.warnings


def _unit_of(table: PdfTable, doc: Document) -> tuple[str, str]:
    if table.unit:
        return table.unit, "caption"
    if table.page_unit:
        return table.page_unit, f"page header: 单位：{table.page_unit} printed on page {table.page}"
    return doc.default_unit, f"default: caption states no unit; document default ({doc.default_unit_note})"


def printed_figures(table: PdfTable) -> int:
    """Figures printed in the table's value columns (code cells like "204" are not figures)."""
    width = max([len(r) for r in table.header] + [len(r.cells) for r in table.body] + [0])
    values = {c.index for c in classify_columns(table.header, width) if c.role == "value"}
    return sum(
        1 for r in table.body for i, c in enumerate(r.cells) if i in values and parse_number(c) is not None
    )


def _read_tables(doc: Document, tables: list[PdfTable], toc: list[tuple[str, str]]):
    records: list[TableRecord] = []
    facts: list[Fact] = []
    warnings: list[str] = []
    for number, table, title in _number_tables(tables, toc):
        if table is None:
            records.append(TableRecord(doc.id, number, title, "", "default: table not printed", "absent"))
            warnings.append(f"table {number} {title} is listed in the contents but not found in the PDF")
            continue
        try:
            record, table_facts, table_warnings = _read_table(doc, number, table)
        except Exception as exc:  # one misread table must not refuse the whole disclosure
            warnings.append(f"table {number} {table.title} (page {table.page}) could not be read: "
                            f"{type(exc).__name__}: {exc}")
            records.append(TableRecord(doc.id, number, table.title, "", "default: table not read",
                                       "unreadable", page=table.page, note=f"{type(exc).__name__}: {exc}"))
            continue
        records.append(record)
        facts += table_facts
        warnings += table_warnings
    return records, facts, warnings


def _read_table(doc: Document, number: str, table: PdfTable) -> tuple[TableRecord, list[Fact], list[str]]:
    warnings: list[str] = []
    unit, source = _unit_of(table, doc)
    empty = is_empty(table)
    width = max([len(r) for r in table.header] + [len(r.cells) for r in table.body] + [0])
    measure = "决算数" if "决算" in doc.kind else "预算数"
    transpose_wide(table, width, measure)
    printed = printed_figures(table)
    table_facts = flatten(to_grid(table, number, unit, source), doc, warnings=warnings)
    with_value = sum(1 for f in table_facts if f.value is not None)
    if printed and with_value < printed * _MIN_FACT_SHARE:
        warnings.append(
            f"table {number} {table.title}: {with_value} facts with a value from {printed} printed figures"
        )
    status = "empty" if empty else "present"
    record = TableRecord(
        document_id=doc.id,
        table_id=number,
        title=table.title,
        unit=unit,
        unit_source=source,
        status=status,
        page=table.page,
        n_facts=len(table_facts),
        note=table.note,
    )
    return record, table_facts, warnings


def _narrative(texts: list[str], doc: Document, table_pages: set[int]) -> list:
    lines: list[Line] = []
    for i, text in enumerate(texts, 1):
        if i == 1 or i in table_pages:
            continue  # the cover; table pages hold only captions and notes, kept on the TableRecord
        lines += page_lines(text, i)
    return build_passages(lines, doc.id)


def _tables_of_page(page, plain, page_no: int, printed: int, warnings: list[str]) -> list[PageTable]:
    """Ruled tables, or word-position tables when the ruled ones miss figures the page prints."""
    try:
        ruled = [t for t in page_tables(page, page_no) if is_data_table(t)]
    except Exception as exc:  # a grid pdfplumber cannot resolve: fall back to word positions
        warnings.append(f"page {page_no}: ruled tables unreadable ({type(exc).__name__}: {exc})")
        ruled = []
    found = numeric_cells(ruled)
    doubled = any(t.slivers for t in ruled) and found > printed * (2 - _MIN_FACT_SHARE)
    if not printed or (found >= printed * _MIN_FACT_SHARE and not doubled):
        return _with_page_unit(ruled)  # else: too few figures (no rules) or cells drawn twice (slivers)
    try:
        words = word_tables(plain, page_no)
    except Exception as exc:
        warnings.append(f"page {page_no}: word-position tables unreadable ({type(exc).__name__}: {exc})")
        words = []
    closer = abs(numeric_cells(words) - printed) < abs(found - printed)
    return _with_page_unit(words if words and closer else ruled)


def _with_page_unit(chosen: list[PageTable]) -> list[PageTable]:
    """The unit printed above the page's first table applies to every table on the page."""
    top_unit = next((unit_from_caption(ln) for t in chosen[:1] for ln in t.above
                     if unit_from_caption(ln)), None)
    for t in chosen:
        t.page_unit = top_unit
    return chosen


@dataclass
class _Pages:
    """What the reader keeps of each page once the page itself is let go."""

    texts: list[str] = field(default_factory=list)  # text without the printed page number
    amounts: list[int] = field(default_factory=list)  # amounts printed on the page
    tables: list[list[PageTable]] = field(default_factory=list)
    toc: list[str] = field(default_factory=list)  # the first three pages' lines, page numbers kept
    warnings: list[str] = field(default_factory=list)


def _read_pages(pdf) -> _Pages:  # type: ignore[no-untyped-def]
    """Each page read once, in order: its text, amounts and tables, then its glyphs are released (a
    140-page disclosure held every glyph of every page as objects until the end: hundreds of MB)."""
    out = _Pages()
    for i, page in enumerate(pdf.pages, 1):
        plain = without_page_numbers(page)
        out.texts.append(plain.extract_text(y_tolerance=Y_TOLERANCE) or "")
        out.amounts.append(printed_amounts(plain))
        out.tables.append(_tables_of_page(page, plain, i, out.amounts[-1], out.warnings))
        if i <= 3:
            out.toc += (page.extract_text() or "").splitlines()
        page.close()
    return out


def read_pdf(path: Path, data: bytes) -> ParsedDocument:
    """Read one PDF disclosure into a Document, its tables, facts and narrative passages."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise IngestError(f"{path.name}: not a readable PDF ({exc.__class__.__name__})") from exc
    with pdf:
        if not any(page.chars for page in pdf.pages):
            raise IngestError(f"{path.name}: the PDF has no text layer (scanned pages?); OCR it first")
        pages = _read_pages(pdf)
    texts = pages.texts
    reason = not_a_disclosure("\n".join(texts))
    if reason:
        raise IngestError(f"{path.name}: {reason}")
    tables = group_tables(pages.tables)
    doc, id_warnings = _identity(path, data, texts, tables)
    records, facts, table_warnings = _read_tables(doc, tables, toc_tables(pages.toc))
    table_pages = {p for t in tables for p in t.pages}
    printed = sum(pages.amounts[p - 1] for p in table_pages)
    warnings = id_warnings + pages.warnings + table_warnings
    passages = _narrative(texts, doc, table_pages)
    facts += narrative_facts(passages, doc)
    if not tables:
        warnings.append(f"no table found in {doc.pages} pages (narrative only?)")
    report = reading_report(toc_tables(pages.toc), records, facts, printed)
    return ParsedDocument(document=doc, tables=records, facts=facts, passages=passages, warnings=warnings,
                          report=report)


def _read_checked(path: Path, data: bytes) -> ParsedDocument:
    """The page count checked before any page is read; an encrypted PDF that fails to read says so."""
    pages = limits.pdf_pages(data)
    if pages is not None and pages > limits.LIMITS.max_pages:
        raise IngestError(f"{path.name}: more than {limits.LIMITS.max_pages:,} pages (the limit per file)")
    check_content(data, path.name)  # decompressed streams and operations per page, before layout
    try:
        return read_pdf(path, data)
    except IngestError as e:  # owner-password PDFs read fine: only one that needs a password says so
        if needs_password(data):
            raise IngestError(f"{path.name}: the PDF is encrypted (password-protected); "
                              "save an unprotected copy and retry") from e
        raise


def is_pdf(head: bytes) -> bool:
    """The PDF signature, which readers accept anywhere in the first kilobyte."""
    return b"%PDF-" in head[:1024]


READER = Reader(name="PDF", suffixes=(".pdf",), max_bytes=limits.LIMITS.max_bytes_pdf, sniff=is_pdf,
                parse=_read_checked, cites="pages")
