"""Reader for Excel (.xlsx) disclosures: one table per sheet, plus cover and narrative sheets.

Each table sheet has a title row, caption rows (预算单位：… / 单位：万元), a
multi-row header with merged cells and a body. Merged header cells are
expanded so every column gets its full label path; numbers are formatted
from the stored value and the cell's number format without float arithmetic,
so flattening (shared with every other reader) sees what the sheet shows.
The unit of a table comes from its own sheet's caption.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from itertools import count
from pathlib import Path

from ingest.flatten import classify_columns, fact_id, flatten
from ingest.grid import Cell, GridRow, TableGrid
from ingest.labels import is_total_label, strip_spaces
from ingest.limits import LIMITS, words
from ingest.model import Document, Fact, IngestError, ParsedDocument, Passage, TableRecord
from ingest.narrative import narrative_facts
from ingest.numbers import cn_number, is_blank, parse_number, to_halfwidth, unparsable_figure
from ingest.readers.base import Reader
from ingest.readers.common import make_document
from ingest.sections import heading_level
from ingest.units import unit_from_caption

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_CAPTION = re.compile(r"(预算单位|编制单位|编制部门|预算主管部门|决算单位|单位\s*[:：]\s*(亿元|万元|千元|元))")
_NOTE = re.compile(r"(空表|^注\s*[:：]|^说明\s*[:：]|^备注)")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+[、.]|[（(][一二三四五六七八九十\d]+[)）]|其中)")
_SKIP_ROW = re.compile(r"^(栏次|行次)$")
_CN_NUM = "一二三四五六七八九十"
_TITLE_NUMBERS = (
    re.compile(r"[（(]\s*(\d{1,2})\s*[)）]\s*$"),
    re.compile(r"表\s*(\d{1,2})(?!\d)"),
    re.compile(rf"表\s*([{_CN_NUM}]{{1,3}})(?![{_CN_NUM}])"),
    re.compile(r"^\s*(\d{1,2})(?!\d)"),
)
_TITLE_NUMBER_STRIP = re.compile(rf"(\s*[（(]\s*\d{{1,2}}\s*[)）]\s*$|"
                                 rf"^\s*表\s*([{_CN_NUM}]{{1,3}}|\d{{1,2}})\s*[、.．:：-]?\s*)")
_LONG_TEXT = 40


@dataclass
class _Sheet:
    """A sheet's displayed cell texts (not yet merge-expanded) and its merged ranges, 0-based."""

    name: str
    cells: list[list[Cell]]
    numeric: list[list[bool]]
    merges: list[tuple[int, int, int, int]]  # (row0, col0, row1, col1) inclusive

    def row_values(self, r: int) -> list[str]:
        return [c for c in self.cells[r] if not is_blank(c)] if r < len(self.cells) else []


@dataclass
class _Table:
    sheet: _Sheet
    order: int
    title: str
    captions: list[str]
    header_rows: list[int]
    body_rows: list[int]
    notes: list[str] = field(default_factory=list)
    first_row: int = 0  # 0-based row of the title (or the first printed row)


# ---------------------------------------------------------------- cell values


def _format_decimals(number_format: str) -> int | None:
    """Decimal places a number format shows ("#,##0.00" → 2), None for General/text."""
    fmt = (number_format or "General").split(";")[0]
    fmt = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt)
    if fmt in ("General", "@", ""):
        return None
    m = re.search(r"[0#]\.([0#]+)", fmt)
    if m:
        return len(m.group(1))
    return 0 if re.search(r"[0#]", fmt) else None


def _pad_width(number_format: str) -> int:
    """Zero-padded integer formats ("00" for a 款 code) keep their leading zeros."""
    fmt = (number_format or "").split(";")[0]
    return len(fmt) if re.fullmatch(r"0{2,}", fmt) else 0


def number_text(value: object, number_format: str = "General") -> str:
    """A stored number as the sheet displays it, exactly: Decimal from its repr, never float maths."""
    dec = (value if isinstance(value, Decimal)
           else Decimal(repr(value) if isinstance(value, float) else str(value)))
    percent = "%" in (number_format or "").split(";")[0]
    if percent:
        dec = dec.scaleb(2)  # exact: a shift of the decimal point
    places = _format_decimals(number_format)
    if places is None and dec.as_tuple().exponent < -10:  # type: ignore[operator]
        places = 10  # float noise from a formula (0.30000000000000004) under General
    if places is not None:
        dec = dec.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if places == 10:
            dec = dec.normalize()
    text = f"{dec:f}"
    pad = _pad_width(number_format)
    if pad and text.isdigit():
        text = text.zfill(pad)
    return text + ("%" if percent else "")


def _cell_text(value: object, number_format: str) -> tuple[Cell, bool]:
    """(text, is a stored number) for one cell value."""
    if value is None:
        return None, False
    if isinstance(value, bool):
        return str(value).upper(), False
    if isinstance(value, (int, float, Decimal)):
        return number_text(value, number_format), True
    if isinstance(value, (datetime, date, time)):
        return value.isoformat(), False
    text = str(value).strip()
    return (text or None), False


# ---------------------------------------------------------------- loading


def _check_zip(name: str, z: zipfile.ZipFile) -> None:
    """Refuse a zip bomb before decompressing: the parts' declared sizes bound what zipfile will inflate."""
    if "xl/workbook.xml" not in z.namelist():
        raise IngestError(f"{name}: a zip archive but not an Excel workbook (no xl/workbook.xml)")
    total = sum(i.file_size for i in z.infolist())
    if total > LIMITS.max_unzipped_bytes:
        raise IngestError(f"{name}: the workbook unpacks to {words(total)}, over the limit of "
                          f"{words(LIMITS.max_unzipped_bytes)} (a zip bomb, or far larger than a disclosure)")


def _open_workbook(name: str, data: bytes):  # type: ignore[no-untyped-def]
    """openpyxl workbook in read-only (streaming) mode with cached formula values, or an IngestError."""
    from openpyxl import load_workbook

    if data.startswith(_CFB_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise IngestError(f"{name}: the workbook is password-protected; "
                              "save an unprotected copy and retry")
        raise IngestError(f"{name}: legacy Excel 97-2003 (.xls) file; save it as .xlsx and retry")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(f"{name}: not an Excel .xlsx workbook (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            _check_zip(name, z)
        return load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except IngestError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise IngestError(f"{name}: damaged Excel workbook ({type(exc).__name__})") from exc


def _parser_class():  # type: ignore[no-untyped-def]
    """openpyxl's streaming sheet parser, noting formula cells that carry no cached value."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):  # type: ignore[no-untyped-def]
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["formula"] = True
            return cell

    return Parser


@dataclass
class _Budget:
    """Non-empty cells left for the rest of the workbook (LIMITS.max_cells)."""

    left: int


def _stream_cells(ws, name: str, budget: _Budget, warnings: list[str]):  # type: ignore[no-untyped-def]
    """(sparse {(row, col): (text, numeric)}, merges), read row by row; refused past the cell budget."""
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.utils import get_column_letter

    wb = ws.parent
    cells: dict[tuple[int, int], tuple[Cell, bool]] = {}
    with ws._get_source() as src:
        parser = _parser_class()(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for _, row in parser.parse():
            for c in row:
                r, col = c["row"] - 1, c["column"] - 1
                ref = f"{get_column_letter(col + 1)}{r + 1}"
                if c.get("formula"):
                    warnings.append(f"sheet {ws.title} cell {ref}: formula without a saved value; left blank "
                                    "(open and save the workbook in Excel to store its results)")
                    continue
                if c["value"] is None:
                    continue
                budget.left -= 1
                if budget.left < 0:
                    raise IngestError(f"{name}: more than {LIMITS.max_cells:,} non-empty cells "
                                      "(the limit per workbook)")
                if isinstance(c["value"], str) and len(c["value"]) > LIMITS.max_cell_chars:
                    raise IngestError(f"{name}: sheet {ws.title} cell {ref} holds {len(c['value']):,} "
                                      f"characters, over the limit of {LIMITS.max_cell_chars:,} per cell")
                fmt = ReadOnlyCell(ws, r + 1, col + 1, c["value"], c["data_type"],
                                   c["style_id"]).number_format
                text, is_num = _cell_text(c["value"], fmt)
                if text is not None:
                    cells[(r, col)] = (text, is_num)
        merges = []
        if parser.merged_cells is not None:
            from openpyxl.worksheet.cell_range import CellRange

            for m in parser.merged_cells.mergeCell:
                cr = CellRange(m.ref)
                merges.append((cr.min_row - 1, cr.min_col - 1, cr.max_row - 1, cr.max_col - 1))
    return cells, merges


def _overlaps(merges: list[tuple[int, int, int, int]]) -> list[tuple[tuple, tuple]]:
    """Pairs of merged ranges that share a cell (Excel refuses them; a generator may not)."""
    found = []
    ordered = sorted(merges)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[0] > a[2]:
                break
            if b[1] <= a[3] and a[1] <= b[3]:
                found.append((a, b))
    return found


def _ref(r: int, c: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(c + 1)}{r + 1}"


def _load_sheet(ws, name: str, budget: _Budget,  # type: ignore[no-untyped-def]
                warnings: list[str]) -> _Sheet:
    """The sheet's cells up to its real last non-empty cell (not the size the file claims)."""
    sparse, merges = _stream_cells(ws, name, budget, warnings)
    n_rows = max((r for r, _ in sparse), default=-1) + 1
    n_cols = max((c for _, c in sparse), default=-1) + 1
    if n_rows * n_cols > LIMITS.max_grid_cells:
        last = max(sparse, key=lambda rc: rc[0] * 20000 + rc[1])
        far = max(sparse, key=lambda rc: rc[1])
        raise IngestError(f"{name}: sheet {ws.title} has a value at {_ref(*last)} / {_ref(*far)}, making a "
                          f"{n_rows:,} × {n_cols:,} grid, over the limit of {LIMITS.max_grid_cells:,} cells")
    merges = [(r0, c0, min(r1, n_rows - 1), min(c1, n_cols - 1)) for r0, c0, r1, c1 in merges
              if r0 < n_rows and c0 < n_cols]
    area = sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in merges)
    if len(merges) > LIMITS.max_merges or area > LIMITS.max_grid_cells:
        raise IngestError(f"{name}: sheet {ws.title} has {len(merges):,} merged ranges covering "
                          f"{area:,} cells, over the limit of {LIMITS.max_merges:,} ranges / "
                          f"{LIMITS.max_grid_cells:,} cells")
    for a, b in _overlaps(merges):
        warnings.append(f"sheet {ws.title}: merged ranges {_ref(a[0], a[1])}:{_ref(a[2], a[3])} and "
                        f"{_ref(b[0], b[1])}:{_ref(b[2], b[3])} overlap; the first one's label is used")
    cells: list[list[Cell]] = [[None] * n_cols for _ in range(n_rows)]
    numeric = [[False] * n_cols for _ in range(n_rows)]
    for (r, c), (text, is_num) in sparse.items():
        cells[r][c] = text
        numeric[r][c] = is_num
        if not is_num and unparsable_figure(text):
            warnings.append(f"sheet {ws.title} cell {_ref(r, c)}: '{text[:30]}' looks like a figure but is "
                            "not one (e.g. 1,2,3 or 4.866E+1 stored as text); left as text, not a number")
    return _Sheet(name=ws.title, cells=cells, numeric=numeric, merges=merges)


# ---------------------------------------------------------------- sheet layout


def _is_caption(values: list[str]) -> bool:
    return bool(values) and any(_CAPTION.search(to_halfwidth(v)) for v in values)


def _is_note(values: list[str]) -> bool:
    return len(values) == 1 and bool(_NOTE.search(strip_spaces(values[0])))


def _is_data_row(sheet: _Sheet, r: int) -> bool:
    """A body row: it holds a figure, or starts like a row label (合计, 一、…, 其中)."""
    values = sheet.row_values(r)
    if any(sheet.numeric[r]) or any(parse_number(v) is not None for v in values):
        return True
    first = strip_spaces(values[0]) if values else ""
    return bool(is_total_label(first) or _ORDINAL.match(first))


def _sheet_kind(sheet: _Sheet) -> str:
    """table | narrative | cover | blank, from the rows' shape."""
    rows = [sheet.row_values(r) for r in range(len(sheet.cells))]
    rows = [v for v in rows if v]
    if not rows:
        return "blank"
    if any(_is_caption(v) for v in rows[:6]) or any(len(v) >= 2 and not _is_caption(v) for v in rows):
        return "table"
    if any(_is_note(v) and "空表" in v[0] for v in rows):
        return "table"
    if any(len(v[0]) >= _LONG_TEXT for v in rows):
        return "narrative"
    return "cover"


def _extend_by_merges(sheet: _Sheet, start: int, end: int) -> int:
    """Header end grown to the bottom of merged cells that start inside the header."""
    grown = True
    while grown:
        grown = False
        for r0, _c0, r1, _c1 in sheet.merges:
            if start <= r0 <= end < r1:
                end, grown = r1, True
    return end


def _layout(sheet: _Sheet, order: int) -> _Table:
    """Title, captions, header rows and body rows of a table sheet."""
    rows = [r for r in range(len(sheet.cells)) if sheet.row_values(r)]
    leading = rows[:6]
    caption_rows = [r for r in leading if _is_caption(sheet.row_values(r))]
    if caption_rows:
        pre = [r for r in rows if r <= caption_rows[-1]]
    else:
        pre = []
        for r in rows:
            values = sheet.row_values(r)
            if len(values) >= 2 or _is_data_row(sheet, r) or _is_note(values):
                break
            pre.append(r)
    title_rows = [r for r in pre if r not in caption_rows]
    title = " ".join(" ".join(sheet.row_values(r)) for r in title_rows).strip()
    rest = [r for r in rows if not pre or r > pre[-1]]
    notes = [sheet.row_values(r)[0] for r in rest if _is_note(sheet.row_values(r))]
    rest = [r for r in rest if not _is_note(sheet.row_values(r))]
    header: list[int] = []
    body: list[int] = []
    if rest:
        start = rest[0]
        end = start
        for r in rest[1:]:
            if _is_data_row(sheet, r):
                break
            end = r
        if _is_data_row(sheet, start):
            end = start - 1  # no header: the table starts with figures
        end = _extend_by_merges(sheet, start, end)
        header = [r for r in range(start, end + 1)]
        body = [r for r in rest if r > end and not _SKIP_ROW.match(strip_spaces(sheet.row_values(r)[0]))]
    return _Table(sheet=sheet, order=order, title=title or sheet.name,
                  captions=[" ".join(sheet.row_values(r)) for r in caption_rows],
                  header_rows=header, body_rows=body, notes=notes, first_row=rows[0] if rows else 0)


def _expanded(sheet: _Sheet, header_rows: set[int]) -> list[list[Cell]]:
    """Merged cells filled in: every header cell; in the body, text labels only (never figures)."""
    grid = [list(row) for row in sheet.cells]
    for r0, c0, r1, c1 in sheet.merges:
        value = grid[r0][c0] if r0 < len(grid) and c0 < len(grid[r0]) else None
        if value is None:
            continue
        in_header = r0 in header_rows
        if not in_header and (sheet.numeric[r0][c0] or parse_number(value) is not None):
            continue
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            if (r in header_rows) != in_header:
                continue
            for c in range(c0, min(c1, len(grid[r]) - 1) + 1):
                grid[r][c] = value
    return grid


def _fill_codes(header: list[list[Cell]], body: list[list[Cell]], width: int) -> None:
    """类/款/项 in separate columns: pad 款/项 to two digits; a row that omits the 类 (or 款) inherits it."""
    code_cols = [c for c in classify_columns(header, width) if c.role == "code"]
    if len(code_cols) < 2:
        return
    previous: list[str] = []
    for cells in body:
        codes = []
        for col in code_cols:
            text = strip_spaces(cells[col.index] or "")
            leaf = col.path.split(" / ")[-1]
            if text.isdigit() and leaf in ("款", "项") and len(text) == 1:
                text = text.zfill(2)
            codes.append(text)
        digits = [t.isdigit() for t in codes]
        if any(digits) and not digits[0] and previous:
            first = digits.index(True)
            for k in range(first):
                if not codes[k] and k < len(previous):
                    codes[k] = previous[k]
        for col, text in zip(code_cols, codes, strict=True):
            if text.isdigit():
                cells[col.index] = text
        previous = (codes if all(t.isdigit() or not t for t in codes) and any(t.isdigit() for t in codes)
                    else previous)


def _table_number(title: str, sheet_name: str) -> str | None:
    for text in (title, sheet_name):
        for pattern in _TITLE_NUMBERS:
            m = pattern.search(to_halfwidth(text))
            if m:
                raw = m.group(1)
                n = cn_number(raw)
                if 0 < n < 100:
                    return f"{n:02d}"
    return None


def _grid(table: _Table, table_id: str, unit: str, unit_source: str) -> TableGrid:
    sheet = table.sheet
    expanded = _expanded(sheet, set(table.header_rows))
    used = [r for r in table.header_rows + table.body_rows]
    width = max((c + 1 for r in used for c, v in enumerate(expanded[r]) if not is_blank(v)), default=0)
    header = [expanded[r][:width] for r in table.header_rows]
    body = [expanded[r][:width] for r in table.body_rows]
    _fill_codes(header, body, width)
    rows = [
        GridRow(cells=cells, page=None, line=r + 1, text=" ".join(sheet.row_values(r)))
        for r, cells in zip(table.body_rows, body, strict=True)
    ]
    return TableGrid(table_id=table_id, title=_clean_title(table.title), unit=unit, unit_source=unit_source,
                     header=header, body=rows, line=table.first_row + 1,
                     note=f"工作表：{sheet.name}")


def _clean_title(title: str) -> str:
    return strip_spaces(_TITLE_NUMBER_STRIP.sub("", title)) or strip_spaces(title)


# ---------------------------------------------------------------- narrative


def _heading_level(text: str) -> int:
    return heading_level(text, _LONG_TEXT)


def _passages(sheet: _Sheet, doc: Document, start: int) -> list[Passage]:
    """Each paragraph row of a narrative sheet, under its heading path (sheet > part > section)."""
    section: list[str] = []
    out: list[Passage] = []
    for r in range(len(sheet.cells)):
        text = " ".join(sheet.row_values(r)).strip()
        if not text:
            continue
        level = _heading_level(text)
        if level:
            section = section[: level - 1] + [text]
            continue
        n = start + len(out)
        out.append(Passage(id=fact_id(doc.id, "passage", n), document_id=doc.id,
                           section=" > ".join(section) or sheet.name, text=text, page=None, line=r + 1))
    return out


def _narrative_facts(passages: list[Passage], doc: Document, warnings: list[str]) -> list[Fact]:
    if not passages:
        return []
    return narrative_facts(passages, doc)


# ---------------------------------------------------------------- document


def _identity_lines(covers: list[_Sheet], tables: list[_Table]) -> list[str]:
    """Lines that say who/when/what: cover sheets first, then table captions and titles."""
    lines: list[str] = []
    for sheet in covers:
        lines.extend(" ".join(sheet.row_values(r)) for r in range(len(sheet.cells)) if sheet.row_values(r))
    for table in tables:
        lines.extend(table.captions)
    lines.extend(t.title for t in tables)
    return [line for line in lines if line]


def _kind_from_name(name: str) -> str:
    lower = name.lower()
    final = "决算" if ("final" in lower or "决算" in name) else "预算"
    level = "单位" if ("unit" in lower or "单位预算" in name or "单位决算" in name) else "部门"
    return level + final


def _document(path: Path, data: bytes, covers: list[_Sheet], tables: list[_Table],
              units: list[str]) -> Document:
    lines = _identity_lines(covers, tables)
    overrides: dict[str, object] = {}
    base = make_document(path, data, lines + [path.stem])
    if base.year is None:
        headers = [" ".join(t.sheet.row_values(r)) for t in tables for r in t.header_rows]
        year = next((int(m.group(1)) for h in headers if (m := re.search(r"(20\d{2})\s*年", h))), None)
        overrides["year"] = year
    text = "\n".join(lines)
    if not re.search(r"(部门|单位)(预算|决算)", text):
        kind = _kind_from_name(path.stem)
        if "决算" in "".join(t.title for t in tables):
            kind = kind[:2] + "决算"
        overrides["kind"] = kind
        overrides["level"] = "unit" if kind.startswith("单位") else "department"
    counts = Counter(units)
    default_unit = counts.most_common(1)[0][0] if counts else ""
    overrides["default_unit"] = default_unit
    overrides["default_unit_note"] = (
        f"most sheet captions say 单位：{default_unit}" if default_unit else "no sheet caption states a unit"
    )
    if base.department and ("year" in overrides or "kind" in overrides):
        year = overrides.get("year", base.year)
        kind = overrides.get("kind", base.kind)
        overrides["title"] = f"{base.department} {f'{year}年' if year else ''}{kind}"
    return make_document(path, data, lines + [path.stem], **overrides)


def _load_sheets(wb, name: str, warnings: list[str]) -> list[_Sheet]:  # type: ignore[no-untyped-def]
    """Every visible sheet's cells, within one cell budget for the workbook; hidden sheets are skipped."""
    budget = _Budget(LIMITS.max_cells)
    try:
        sheets = []
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                warnings.append(f"sheet {ws.title}: hidden, skipped")
                continue
            sheets.append(_load_sheet(ws, name, budget, warnings))
        return sheets
    except IngestError:
        raise
    except Exception as exc:  # a damaged part inside a valid zip
        raise IngestError(f"{name}: damaged Excel workbook ({type(exc).__name__})") from exc
    finally:
        wb.close()


def _sort_sheets(sheets: list[_Sheet]) -> tuple[list[_Table], list[_Sheet], list[_Sheet]]:
    """(tables, narrative sheets, cover sheets), each in workbook order; blank sheets are dropped."""
    tables: list[_Table] = []
    narratives: list[_Sheet] = []
    covers: list[_Sheet] = []
    for sheet in sheets:
        kind = _sheet_kind(sheet)
        if kind == "table":
            tables.append(_layout(sheet, len(tables) + 1))
        elif kind == "narrative":
            narratives.append(sheet)
        elif kind == "cover":
            covers.append(sheet)
    return tables, narratives, covers


def _table_ids(tables: list[_Table]) -> list[str]:
    """Each table's number from its title or sheet name; a missing or repeated one takes the next free."""
    used_ids: list[str] = []
    for table in tables:
        table_id = _table_number(table.title, table.sheet.name)
        if table_id is None or table_id in used_ids:
            table_id = next(f"{n:02d}" for n in count(table.order) if f"{n:02d}" not in used_ids)
        used_ids.append(table_id)
    return used_ids


def _read_table(table: _Table, table_id: str, unit: str | None, doc: Document,
                warnings: list[str]) -> tuple[TableRecord, list[Fact]]:
    """One table sheet's record and facts; a sheet without a unit takes the document's, with a warning."""
    source = "caption"
    if not unit:
        unit = doc.default_unit
        source = (f"default: no unit in sheet {table.sheet.name}'s caption; "
                  f"the other sheets' captions say {unit}"
                  if unit else "default: no unit stated anywhere")
        warnings.append(f"table {table_id} ({table.sheet.name}): {source}")
    grid = _grid(table, table_id, unit, source)
    if not table.header_rows and table.body_rows:
        warnings.append(f"table {table_id} ({table.sheet.name}): no header rows found")
    cells = flatten(grid, doc)
    has_value = any(f.value is not None for f in cells)
    note = "；".join([grid.note] + table.notes)
    record = TableRecord(document_id=doc.id, table_id=table_id, title=grid.title, unit=unit,
                         unit_source=source, status="present" if has_value else "empty",
                         page=None, line=grid.line, n_facts=len(cells), note=note)
    return record, cells


def read_xlsx(path: Path, data: bytes) -> ParsedDocument:
    """Read an .xlsx disclosure: tables from table sheets, passages from narrative sheets."""
    path = Path(path)
    if not data:
        raise IngestError(f"{path.name}: the file is empty")
    warnings: list[str] = []
    sheets = _load_sheets(_open_workbook(path.name, data), path.name, warnings)
    tables, narratives, covers = _sort_sheets(sheets)
    if not tables:
        raise IngestError(f"{path.name}: no sheet holds a budget table (title, 单位 caption and header rows)")

    caption_units = [unit_from_caption(" ".join(t.captions)) for t in tables]
    doc = _document(path, data, covers, tables, [u for u in caption_units if u])

    passages: list[Passage] = []
    for sheet in narratives:
        passages.extend(_passages(sheet, doc, len(passages)))
    facts = _narrative_facts(passages, doc, warnings)

    records: list[TableRecord] = []
    for table, unit, table_id in zip(tables, caption_units, _table_ids(tables), strict=True):
        record, cells = _read_table(table, table_id, unit, doc, warnings)
        records.append(record)
        facts.extend(cells)
    records.sort(key=lambda t: t.table_id)
    return ParsedDocument(document=doc, tables=records, facts=facts, passages=passages, warnings=warnings)


def is_workbook(head: bytes) -> bool:
    """A zip archive (an .xlsx), or the compound file of a legacy .xls or an encrypted workbook, which the
    reader refuses in words."""
    return head.startswith((b"PK\x03\x04", _CFB_MAGIC))


READER = Reader(name="Excel workbook", suffixes=(".xlsx",), max_bytes=LIMITS.max_bytes_xlsx,
                sniff=is_workbook, parse=read_xlsx, cites="cells")
