"""Tables out of a PDF's ruled grids: cell positions kept, merged cells resolved, pages joined.

pdfplumber's ``find_tables`` keeps each cell where it is printed, so a blank cell
stays blank (plain text extraction drops it and shifts the numbers left). A
merged header cell is reported once; we copy its text into every grid position
it covers so the shared flattening sees full column paths. A table that runs on
over several pages (with or without its header repeated, sometimes only the
合计 row on the last page) is joined into one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.flatten import classify_columns, column_paths
from ingest.grid import Cell, GridRow, TableGrid
from ingest.labels import is_total_label, strip_spaces
from ingest.numbers import cn_number, is_blank, parse_number, to_halfwidth
from ingest.units import unit_from_caption

Y_TOLERANCE = 8  # numbers set in another font sit ~5pt lower than the Chinese text of the same line
_TITLE = re.compile(r"表\s*(?:[（(][^（()）]{1,16}[)）])?\s*$")  # "…情况表（按功能分类科目）"
_NOTE = re.compile(r"^\s*注\s*[:：]")
_EMPTY_NOTE = re.compile(r"(空表|无数据|本表无|没有.*数据)")
_CODE_MARK = {"类", "款", "项"}
_MEASURE = re.compile(r"(预算数|决算数|执行数)$")
_NONE_ROW = {"无", "（无）", "(无)"}
_SLIVER = 8.0  # points: narrower than any printed column
PUBLIC_NO = re.compile(
    r"(?:公开\s*(\d{1,2})\s*表|公开表\s*([一二三四五六七八九十\d]{1,3})|^表\s*([一二三四五六七八九十]{1,3}|\d{1,2}))$"
)
_TITLE_NO = re.compile(r"^(?:公开)?表\s*(\d{1,2}|[一二三四五六七八九十]{1,3})(?=\s|[\u4e00-\u9fff])")


def _is_title_line(line: str) -> bool:
    return (bool(_TITLE.search(line)) and not unit_from_caption(line)
            and not PUBLIC_NO.search(strip_spaces(line)))


def _wrapped_title_part(line: str) -> bool:
    """A line a long title wrapped from: no end, no caption, no numbering of its own."""
    s = strip_spaces(line)
    return (8 <= len(s) <= 40 and not _TITLE.search(s) and not re.search(r"[。；：:，,]$", s)
            and not unit_from_caption(s) and not re.search(r"(部门|单位|名称)\s*[:：]", s)
            and not PUBLIC_NO.search(s) and not re.match(r"^[一二三四五六七八九十]+、|^第.部分", s))


@dataclass
class PageTable:
    """One ruled table on one page, cells resolved; ``spans`` marks merged-cell copies."""

    page: int
    cells: list[list[Cell]]
    spans: list[list[bool]]
    above: list[str]  # text lines between the page top (or the previous table) and the table
    below: list[str]  # text lines after the table, up to the next table

    @property
    def width(self) -> int:
        return max((len(r) for r in self.cells), default=0)

    page_unit: str | None = None  # the unit the page header states (applies to every table on the page)
    slivers: bool = False  # columns a few points wide: every cell drawn twice, offset (figures get shifted)

    @property
    def title(self) -> str:
        """The last title line above the table, joined with the line it wrapped from."""
        k = next((i for i in range(len(self.above) - 1, -1, -1) if _is_title_line(self.above[i])), None)
        if k is None:
            return ""
        title = self.above[k].strip()
        while k > 0 and _wrapped_title_part(self.above[k - 1]):
            k -= 1
            title = self.above[k].strip() + title
        return title

    def has_content(self) -> bool:
        return any(not is_blank(c) for row in self.cells for c in row)


@dataclass
class PdfTable:
    """A logical table: first page's caption and header, body rows from every page it spans."""

    title: str
    caption: list[str]
    header: list[list[Cell]]
    body: list[GridRow] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    page_unit: str | None = None

    @property
    def page(self) -> int:
        return self.pages[0]

    @property
    def unit(self) -> str | None:
        text = " ".join(self.caption)
        unit = unit_from_caption(text)
        if unit is None:  # "单位：万" with its "元" wrapped to the next caption line
            m = re.search(r"单\s*位\s*[:：]\s*(万|亿)\s*(?:$|\s)", text)
            if m and re.search(r"(?:^|\s)元(?:\s|$)", text[m.end() - 1:]):
                unit = m.group(1) + "元"
        return unit

    @property
    def number(self) -> str | None:
        """The number the caption prints (公开03表, 公开表三, 表三), as two digits."""
        for ln in self.caption:
            m = PUBLIC_NO.search(strip_spaces(ln))
            if m:
                raw = next(g for g in m.groups() if g)
                return f"{cn_number(raw):02d}"
        m = _TITLE_NO.match(self.title)
        return f"{cn_number(m.group(1)):02d}" if m else None

    @property
    def note(self) -> str:
        return " ".join(self.notes)

    def numeric_cells(self) -> int:
        return sum(1 for r in self.body for c in r.cells if parse_number(c) is not None)


def clean_cell(text: Cell) -> Cell:
    """A cell's text with PDF line wraps removed ("本年收入合\\n计" → "本年收入合计")."""
    if text is None:
        return None
    return text.replace("\n", "").strip()


def frame_cells(cells: list[tuple]) -> set[tuple]:
    """Cells that enclose other cells: a frame drawn around title, caption and grid, not a merged cell."""
    frames: set[tuple] = set()
    heights = sorted(c[3] - c[1] for c in cells)
    tall = heights[len(heights) // 2] * 1.8 if heights else 0
    for a in cells:
        if a[3] - a[1] < tall:
            continue  # a frame spans several rows; ordinary cells are skipped cheaply
        for b in cells:
            if a is not b and a != b and a[0] <= b[0] + 1 and a[1] <= b[1] + 1 and a[2] >= b[2] - 1 \
                    and a[3] >= b[3] - 1:
                frames.add(a)
                break
    return frames


def grid_top(table) -> float:
    """Where the grid proper starts: below any frame that also encloses the caption."""
    frames = frame_cells(table.cells)
    inner = [c[1] for c in table.cells if c not in frames]
    return min(inner) if inner else table.bbox[1]


def _resolve(table) -> tuple[list[list[Cell]], list[list[bool]]]:
    """Copy each merged cell's text into every grid position it covers."""
    raw = table.extract()
    xs = sorted({round(c[0], 1) for c in table.cells})
    frames = frame_cells(table.cells)
    texts: dict[tuple, Cell] = {}
    for r, row in enumerate(table.rows):
        for c, bbox in enumerate(row.cells):
            if bbox is not None and c < len(raw[r]):
                if bbox in frames:
                    raw[r][c] = None  # the page frame around title and grid: its text is everything
                    continue
                texts[bbox] = raw[r][c]
    cells: list[list[Cell]] = []
    spans: list[list[bool]] = []
    for r, row in enumerate(table.rows):
        out: list[Cell] = []
        flags: list[bool] = []
        top = row.bbox[1]
        for c in range(len(raw[r])):
            if raw[r][c] is not None:
                out.append(clean_cell(raw[r][c]))
                flags.append(False)
                continue
            x = xs[c] + 1 if c < len(xs) else None
            cover = None
            if x is not None:
                for bbox, text in texts.items():
                    if bbox[0] <= x <= bbox[2] and bbox[1] <= top + 1 <= bbox[3]:
                        cover = text
                        break
            out.append(clean_cell(cover))
            flags.append(cover is not None)
        cells.append(out)
        spans.append(flags)
    return cells, spans


def _lines(page, top: float, bottom: float) -> list[str]:
    """Text lines between two heights, clipped to the page (a table may run past the page bottom). The page's
    own box, not (0, 0, width, height): a PDF whose crop box starts at (-12, -12) has its text there too."""
    x0, y0, x1, y1 = (float(v) for v in page.bbox)
    top, bottom = max(top, y0), min(bottom, y1)
    if bottom - top < 1:
        return []
    region = page.crop((x0, top, x1, bottom))
    text = region.extract_text(y_tolerance=Y_TOLERANCE) or ""
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


_CAPTION_CELL = re.compile(  # "…预算表公开表九": a title cell may end with the table's public number
    r"(单位\s*[:：]|编制(部门|单位)\s*[:：]|部门(名称)?\s*[:：]|预算单位\s*[:：]|表\s*$"
    r"|表\s*(?:公开\s*表\s*[一二三四五六七八九十\d]{1,3}|公开\s*\d{1,2}\s*表)\s*$)")


def _leading_caption(cells: list[list[Cell]]) -> list[str]:
    """Title and 编制单位/单位 lines printed inside the table's frame, above its header."""
    out: list[str] = []
    for row in cells:
        texts = list(dict.fromkeys(c for c in row if c))
        if not texts:
            out.append("")
            continue
        if not any(_CAPTION_CELL.search(t) for t in texts):
            break
        out.append(" ".join(texts))
    while out and not out[-1]:
        out.pop()
    return out


def page_tables(page, page_no: int) -> list[PageTable]:
    """Every ruled table on a page with the text above and below it."""
    found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    out: list[PageTable] = []
    prev_bottom = 0.0
    for i, table in enumerate(found):
        cells, spans = _resolve(table)
        caption = _leading_caption(cells)
        if caption:  # caption rows inside the frame: read their lines from the page, not the joined cells
            end = table.rows[len(caption)].bbox[1] if len(caption) < len(table.rows) else table.bbox[3]
            caption = _lines(page, table.rows[0].bbox[1], end) or caption
        cells, spans = cells[len(_leading_caption(cells)) :], spans[len(_leading_caption(cells)) :]
        next_top = found[i + 1].bbox[1] if i + 1 < len(found) else page.height
        above = _lines(page, prev_bottom, grid_top(table)) + [ln for ln in caption if ln]
        below = _lines(page, table.bbox[3], next_top)
        slivers = any(c.bbox[2] - c.bbox[0] < _SLIVER for c in table.columns)
        out.append(PageTable(page_no, cells, spans, above, below, slivers=slivers))
        prev_bottom = table.bbox[3]
    return out


def is_data_table(t: PageTable) -> bool:
    """A budget table has at least two columns; a one-column grid is a framed TOC or text box."""
    return t.width >= 2 and t.has_content()


def _is_blank_row(row: list[Cell]) -> bool:
    return all(is_blank(c) for c in row)


def _is_none_row(row: list[Cell]) -> bool:
    """The "无" row of an empty table: it says the table is empty, it holds no figure."""
    return {strip_spaces(c or "") for c in row} - {""} <= _NONE_ROW and not _is_blank_row(row)


def _is_body_row(row: list[Cell]) -> bool:
    texts = [strip_spaces(c or "") for c in row]
    if any(parse_number(c) is not None for c in row):
        return True
    if any(t in _NONE_ROW for t in texts):
        return True
    if any(re.fullmatch(r"\d{3}", t) for t in texts):
        return True
    distinct = {t for t in texts if t}
    return len(distinct) == 1 and is_total_label(distinct.pop())  # a 合计 row of an empty table


def split_header(t: PageTable) -> tuple[list[list[Cell]], int]:
    """Header rows (merged cells filled) and the index where the body starts."""
    header: list[list[Cell]] = []
    for i, row in enumerate(t.cells):
        own = [c for c, flag in zip(row, t.spans[i], strict=False) if not flag]
        if _is_blank_row(own):
            continue  # only copies of cells merged from above: adds nothing to the column paths
        if _is_body_row(row):
            return header, i
        header.append(row)
    return header, len(t.cells)


def _row_text(row: list[Cell]) -> str:
    return " ".join(c for c in row if c and c.strip())


def _body_row(t: PageTable, r: int) -> list[Cell]:
    """Body cells: merged text copied only when it is a label (never duplicate a figure)."""
    out: list[Cell] = []
    for c, cell in enumerate(t.cells[r]):
        if t.spans[r][c] and parse_number(cell) is not None:
            out.append(None)
        else:
            out.append(cell)
    return out


def _lift_code_marks(header: list[list[Cell]], body: list[GridRow]) -> None:
    """A 类/款/项 header printed in the first body row (no rule under it) goes back to the header."""
    if not body:
        return
    first = body[0].cells
    marks = [c for c, x in enumerate(first) if strip_spaces(x or "") in _CODE_MARK]
    if not marks:
        return
    extra: list[Cell] = [None] * len(first)
    for c in marks:
        extra[c] = first[c]
        first[c] = None
    header.append(extra)
    body[0].text = _row_text(first)


def _same_row(a: list[Cell], b: list[Cell]) -> bool:
    return [strip_spaces(x or "") for x in a] == [strip_spaces(x or "") for x in b]


def _continues(t: PageTable, current: PdfTable | None, width: int) -> bool:
    if current is None:
        return False
    if t.title:  # a continuation page that reprints the title (and maybe the 公开NN表 number)
        same_no = not current.number or PdfTable(t.title, t.above, []).number in (None, current.number)
        return t.title == current.title and t.width == width and same_no and t.page != current.pages[-1]
    if any(unit_from_caption(ln) for ln in t.above):
        return False
    return t.width == width


def group_tables(pages: list[list[PageTable]]) -> list[PdfTable]:
    """Join page tables into logical tables: a captionless table of the same width continues the last."""
    tables: list[PdfTable] = []
    current: PdfTable | None = None
    width = 0
    for page in pages:
        for t in page:
            if not is_data_table(t):
                continue
            header, start = split_header(t)
            if _continues(t, current, width):
                assert current is not None
                rows = range(len(t.cells))
                repeated = {
                    i for i in rows if i < start and any(_same_row(t.cells[i], h) for h in current.header)
                }
                for r in rows:
                    if (
                        r in repeated
                        or _is_blank_row(t.cells[r])
                        or _is_none_row(t.cells[r])
                        or (r < start and header and r not in repeated)
                    ):
                        continue
                    cells = _body_row(t, r)
                    current.body.append(GridRow(cells=cells, page=t.page, text=_row_text(cells)))
                current.pages.append(t.page)
                current.notes += [ln for ln in t.below if _NOTE.match(ln)]
                continue
            if not t.title:
                continue  # a framed box in the narrative (e.g. the list of member units), not a budget table
            current = PdfTable(title=t.title, caption=t.above, header=header, pages=[t.page],
                               page_unit=t.page_unit)
            width = t.width
            for r in range(start, len(t.cells)):
                if _is_blank_row(t.cells[r]) or _is_none_row(t.cells[r]):
                    continue
                cells = _body_row(t, r)
                current.body.append(GridRow(cells=cells, page=t.page, text=_row_text(cells)))
            _lift_code_marks(current.header, current.body)
            current.notes = [ln for ln in t.below if _NOTE.match(ln)]
            tables.append(current)
    return tables


def is_empty(table: PdfTable) -> bool:
    return bool(_EMPTY_NOTE.search(table.note)) or table.numeric_cells() == 0


def _has_label_column(header: list[list[Cell]], width: int) -> bool:
    return any(c.role in ("label", "code") for c in classify_columns(header, width))


def _strip_measure(text: str) -> tuple[str, str]:
    m = _MEASURE.search(text)
    return (text[: m.start()], m.group(1)) if m and m.start() > 0 else (text, "")


def _item_label(path: list[str], measure_leaf: bool) -> tuple[str, str]:
    """(row label, measure) for one column of a one-row table such as the 三公 table."""
    parts = list(path)
    measure = ""
    if not parts:
        return "", ""  # a column with no header at all (a spacer between ruled columns)
    if measure_leaf and len(parts) > 1:
        measure = parts.pop()
    if len(parts) == 1:
        label, m = _strip_measure(parts[0])
        return label, measure or m
    top, leaf = parts[0], parts[-1]
    group_measure = _strip_measure(top)[1]
    if leaf == "小计":
        return parts[-2], measure or group_measure
    if leaf == "合计":
        base = _strip_measure(parts[-2])[0] if len(parts) > 2 else _strip_measure(top)[0]
        return base + "合计", measure or group_measure
    return leaf, measure or group_measure


def transpose_wide(table: PdfTable, width: int, default_measure: str) -> None:
    """A one-row table with no label column (三公 table): each column becomes a labelled row.

    Without this, flattening finds no row label and drops every figure.
    """
    if _has_label_column(table.header, width) or not table.body:
        return
    paths = column_paths(table.header, width)
    leaves = [p[-1] if p else "" for p in paths]
    measure_leaf = any(_MEASURE.fullmatch(x or "") for x in leaves)
    items: dict[str, dict[str, tuple[Cell, GridRow]]] = {}
    measures: list[str] = []
    for row in table.body:
        for c in range(width):
            label, measure = _item_label([strip_spaces(p) for p in paths[c]], measure_leaf)
            if not label:
                continue
            measure = measure or default_measure
            if measure not in measures:
                measures.append(measure)
            cell = row.cells[c] if c < len(row.cells) else None
            items.setdefault(label, {})[measure] = (cell, row)
    table.header = [["项目"] + measures]
    body: list[GridRow] = []
    for label, by_measure in items.items():
        cells: list[Cell] = [label]
        page = None
        for m in measures:
            cell, row = by_measure.get(m, (None, None))
            cells.append(cell)
            page = page or (row.page if row else None)
        printed = " ".join(f"{m} {by_measure[m][0] or ''}".strip() for m in measures if m in by_measure)
        body.append(GridRow(cells=cells, page=page, text=f"{label} {printed}"))
    table.body = body


def to_grid(table: PdfTable, table_id: str, unit: str, unit_source: str) -> TableGrid:
    return TableGrid(
        table_id=table_id,
        title=table.title,
        unit=unit,
        unit_source=unit_source,
        header=table.header,
        body=table.body,
        page=table.page,
        note=table.note,
    )


def caption_text(lines: list[str]) -> str:
    return to_halfwidth(" ".join(lines))
