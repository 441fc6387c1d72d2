"""PDF disclosures (Shanghai district 部门预算 / 单位预算 / 部门决算 family): tables, narrative, identity.

Tables come from pdfplumber's ruled-grid finder (cell positions kept, so a blank
cell stays blank); narrative from the text of pages that hold no table. Each
table's unit is read from its own caption, never assumed from another table.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pdfplumber

from ingest.flatten import classify_columns, flatten
from ingest.labels import strip_spaces
from ingest.model import Document, Fact, IngestError, ParsedDocument, TableRecord
from ingest.numbers import parse_number, to_halfwidth
from ingest.readers.common import make_document
from ingest.readers.pdf_narrative import Line, build_passages, page_lines
from ingest.readers.pdf_tables import (
    Y_TOLERANCE,
    PdfTable,
    group_tables,
    is_empty,
    page_tables,
    to_grid,
    transpose_wide,
)

try:
    from ingest.narrative import narrative_facts
except ImportError:  # pragma: no cover - the narrative module is written in parallel
    narrative_facts = None

_TOC_ENTRY = re.compile(r"^\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[.．、]\s*(.+?表)\s*[…\.\s]*$")
_CN = "一二三四五六七八九十"
_MIN_FACT_SHARE = 0.9  # below this share of a table's printed figures, something was misread


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN.index(text[1]) + 1
    if "十" in text:
        a, b = text.split("十")
        return (_CN.index(a) + 1) * 10 + (_CN.index(b) + 1 if b else 0)
    return _CN.index(text) + 1


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
        if m:
            out.append((f"{_cn_number(m.group(1)):02d}", m.group(2).strip()))
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


def _identity(path: Path, data: bytes, pdf, tables: list[PdfTable]) -> Document:
    cover = _cover_lines(pdf)
    captions = [ln for t in tables for ln in t.caption]
    doc = make_document(path, data, cover + captions, pages=len(pdf.pages))
    unit, note = _default_unit(tables, doc.kind)
    return replace(doc, title=_title(cover, doc), default_unit=unit, default_unit_note=note)


def _unit_of(table: PdfTable, doc: Document) -> tuple[str, str]:
    if table.unit:
        return table.unit, "caption"
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
        records.append(
            TableRecord(
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
        )
        facts += table_facts
    return records, facts, warnings


def _narrative(pdf, doc: Document, table_pages: set[int]) -> list:
    lines: list[Line] = []
    for i, page in enumerate(pdf.pages, 1):
        if i == 1 or i in table_pages:
            continue  # the cover; table pages hold only captions and notes, kept on the TableRecord
        lines += page_lines(page.extract_text(y_tolerance=Y_TOLERANCE) or "", i)
    return build_passages(lines, doc.id)


def read_pdf(path: Path, data: bytes) -> ParsedDocument:
    """Read one PDF disclosure into a Document, its tables, facts and narrative passages."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise IngestError(f"{path.name}: not a readable PDF ({exc.__class__.__name__})") from exc
    with pdf:
        if not any(page.chars for page in pdf.pages):
            raise IngestError(f"{path.name}: the PDF has no text layer (scanned pages?); OCR it first")
        pages = [page_tables(page, i) for i, page in enumerate(pdf.pages, 1)]
        tables = group_tables(pages)
        doc = _identity(path, data, pdf, tables)
        toc = toc_tables([ln for page in pdf.pages[:3] for ln in (page.extract_text() or "").splitlines()])
        records, facts, warnings = _read_tables(doc, tables, toc)
        table_pages = {p for t in tables for p in t.pages}
        passages = _narrative(pdf, doc, table_pages)
    if narrative_facts is not None:
        facts += narrative_facts(passages, doc)
    else:
        warnings.append("ingest.narrative is missing: narrative figures were not extracted")
    if not tables:
        warnings.append(f"{path.name}: no ruled table found in {doc.pages} pages")
    return ParsedDocument(document=doc, tables=records, facts=facts, passages=passages, warnings=warnings)
