"""Flatten a TableGrid into Facts: sides, label columns, code columns, value columns.

Works from the header text alone so every reader and template shares it:
a label column ("项目", "科目名称", "类/款/项") starts a row set (a side in
side-by-side 收入|支出 tables); the columns after it up to the next label
column hold values, each named by its header path.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ingest.grid import GridRow, TableGrid
from ingest.labels import is_total_label, normalise_label, strip_spaces
from ingest.model import Document, Fact
from ingest.numbers import is_blank, parse_number, to_halfwidth, unparsable_figure
from ingest.units import unit_from_header

_LABEL_HEADER = re.compile(
    r"(^(收入|支出)?项目$|科目名称$|名称$|^科目$|^支出功能分类科目$|^项目[(（]|经济科目$|^支出项目类别|名称[(（][^)）]{1,12}[)）]$"
    r"|^预算单位$)"  # a by-unit table (收入总表 of a department and its units): one row per unit
)
_CODE_HEADER = re.compile(r"(代码|编码|^类$|^款$|^项$)")
_SIDE = re.compile(r"^(收入|支出)")
_SIDE_HEAD = re.compile(r"^(?:本年|财政拨款)(收入|支出)$")  # "本年收入 | 本年支出" side-by-side tables
_CODE_IN_LABEL = re.compile(r"^\s*(\d{3,7})\s+(.+)$")
_UNIT_HEADER = re.compile(r"^(预算单位|单位名称)$")  # a by-unit table: the unit each row (block) belongs to
_ROW_MEASURE = re.compile(r"^(年度|年份)$")  # rows per year (2025年 | 2026年 | 增减变化金额), items as columns
_FUND_LEAF = re.compile(r"(一般公共预算|政府性基金|国有资本经营)")
_SUBTOTAL = ("小计", "合计")


@dataclass
class _Column:
    index: int
    path: str
    role: str  # label | code | value
    side: str
    group: int = 0  # row set: a label/code column after value columns starts a new one


def fact_id(*parts: object) -> str:
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def column_paths(header: list[list[str | None]], width: int) -> list[list[str]]:
    """Each column's label path.

    A blank upper header cell inherits the spanning cell on its left when the
    column has its own label further down (当年预算 over 小计|基本支出|项目支出),
    and a side marker (收入/支出) spans every column after it.
    """
    grid = [[strip_spaces(row[c]) if c < len(row) and row[c] else "" for c in range(width)] for row in header]
    paths: list[list[str]] = [[] for _ in range(width)]
    for r, row in enumerate(grid):
        last = ""
        for c in range(width):
            cell = row[c]
            if cell:
                last = cell
            below = any(grid[k][c] for k in range(r + 1, len(grid)))
            inherit = not cell and last and (below or (_SIDE.match(last) and not paths[c]))
            value = cell or (last if inherit else "")
            if value and (not paths[c] or paths[c][-1] != value):
                paths[c].append(value)
    return paths


def classify_columns(header: list[list[str | None]], width: int) -> list[_Column]:
    paths = column_paths(header, width)
    cols: list[_Column] = []
    side = ""
    side_head = ""
    group = 0
    group_has_values = False
    for c, path in enumerate(paths):
        leaf = path[-1] if path else ""
        top = path[0] if path else ""
        if not path and cols and cols[-1].role in ("label", "code"):
            role = cols[-1].role  # a merged header over several code or label cells
        elif _CODE_HEADER.search(leaf) or (_CODE_HEADER.search(top) and not _LABEL_HEADER.search(leaf)):
            role = "code"
        elif _LABEL_HEADER.search(leaf):
            role = "label"
        else:
            role = "value"
        m = _SIDE.match(top) or _SIDE_HEAD.match(top)
        if role in ("label", "code"):
            if group_has_values:
                group, group_has_values, side_head = group + 1, False, ""
            if m:
                side, side_head = m.group(1), top
        else:
            group_has_values = True
        value_path = (
            [p for i, p in enumerate(path) if not _SIDE.match(p) and not (i == 0 and p == side_head)]
            if role == "value"
            else path
        )
        if role == "value" and path and not value_path:
            value_path = path[-1:]  # a column named by its own total (收入总计, 支出总计): not a side marker
        cols.append(_Column(c, " / ".join(value_path), role, side, group))
    return cols


def _numeric_columns(grid: TableGrid, width: int) -> set[int]:
    """Columns holding at least one figure; blank cells elsewhere are prose gaps, not blank figures."""
    found: set[int] = set()
    for row in grid.body:
        for c, cell in enumerate(row.cells[:width]):
            if parse_number(cell) is not None:
                found.add(c)
    return found


def _leading_text_columns_are_labels(cols: list[_Column], grid: TableGrid, numeric: set[int]) -> None:
    """Text-only columns before the first label column ("采购品目大类", "单位名称") label rows too.

    Their header names no label, but a row whose only label is printed there (合计, a unit's
    subtotal) would otherwise lose its figures.
    """
    first = next((c.index for c in cols if c.role in ("label", "code")), None)
    if not first:
        return
    lead = [c for c in cols if c.index < first]
    texty = all(c.role == "value" and c.index not in numeric
                and any(not is_blank(r.cells[c.index] if c.index < len(r.cells) else None) for r in grid.body)
                for c in lead)
    if lead and texty:
        for c in lead:
            c.role, c.group = "label", cols[first].group
            c.side = cols[first].side


def _leaf(path: list[str]) -> str:
    return path[-1] if path else ""


def _item_and_fund(path: list[str]) -> tuple[str, str]:
    """(item, fund) of an item column: 公务接待费 / 一般公共预算 → (公务接待费, 一般公共预算); 小计 names its parent."""
    parts = list(path)
    fund = parts.pop() if parts and _FUND_LEAF.search(parts[-1]) else ""
    while len(parts) > 1 and parts[-1] in _SUBTOTAL:
        parts.pop()
    return (parts[-1] if parts else ""), fund


def measure_rows(grid: TableGrid) -> TableGrid:
    """A table printing one row per year (and unit) with the items as columns becomes one row per item.

    Shenzhen's 三公 table: 预算单位 | 年度 | 总计 | 因公出国(境)费 | 公务接待费 | … each split by fund, rows
    2025年 / 2026年 / 增减变化金额 under each unit. Read as printed, every row would be labelled by its year;
    turned, each item is a row and each (year, fund) a column, so 公务接待费 is found by its name.
    """
    width = max([len(r) for r in grid.header] + [len(r.cells) for r in grid.body] + [0])
    paths = column_paths(grid.header, width)
    leaves = [_leaf(p) for p in paths]
    measure = next((i for i, x in enumerate(leaves) if _ROW_MEASURE.match(x)), None)
    if measure is None or not grid.body:
        return grid
    unit = next((i for i, x in enumerate(leaves) if _UNIT_HEADER.match(x)), None)
    theme = re.search(r"“[^”]{1,8}”(?:经费)?", to_halfwidth(grid.title or "").replace('"', "“"))
    items = {i: _item_and_fund(p) for i, p in enumerate(paths) if i not in (measure, unit) and p}
    if theme:  # the 总计 column of “三公”经费 is “三公”经费合计 (a bare 总计 would read as the grand total)
        items = {i: ((theme.group(0) + "合计") if name in ("总计", "合计") else name, fund)
                 for i, (name, fund) in items.items()}
    funds = list(dict.fromkeys(f for _, f in items.values()))
    names = list(dict.fromkeys(name for name, _ in items.values() if name))
    column: dict[tuple[str, str], int] = {}
    for i, key in items.items():
        column.setdefault(key, i)
    blocks: dict[str, dict[str, GridRow]] = {}  # unit → year → row
    current = ""
    for row in grid.body:
        cells = list(row.cells) + [None] * (width - len(row.cells))
        if unit is not None and not is_blank(cells[unit]):
            current = strip_spaces(cells[unit])
        year = strip_spaces(cells[measure] or "")
        if year:
            blocks.setdefault(current, {})[year] = GridRow(cells, row.page, row.line, row.text)
    years = list(dict.fromkeys(y for rows in blocks.values() for y in rows))
    lead = ["预算单位"] if unit is not None else []
    header = [lead + ["项目"] + [y for y in years for _ in funds],
              [None] * len(lead) + [None] + [f or None for _ in years for f in funds]]
    body: list[GridRow] = []
    for name_of_unit, rows in blocks.items():
        for name in names:
            cells: list = [name_of_unit] * len(lead) + [name]
            printed = []
            for y in years:
                row = rows.get(y)
                of_year = [row.cells[column[(name, f)]] if row is not None and (name, f) in column else None
                           for f in funds]
                cells += of_year
                printed.append(f"{y} {' '.join(c or '' for c in of_year)}".strip())
            first = next(iter(rows.values()))
            text = f"{name_of_unit} {name} {'; '.join(printed)}".strip()
            body.append(GridRow(cells, first.page, first.line, text))
    return TableGrid(grid.table_id, grid.title, grid.unit, grid.unit_source, header, body, grid.page,
                     grid.line, grid.note)


_OWN_LEVEL = re.compile(r"[（(]本级[)）]$")


def _entities(grid: TableGrid, cols: list[_Column], doc: Document) -> tuple[list[str], set[int]]:
    """The unit each row of a by-unit table belongs to (carried down its block; "" for the department itself),
    and the rows that are the whole department: its own name alone on the row, in a table printing no 合计 row
    (Shenzhen's 收入总表 / 支出总表: the department's row, then its 本级 and each unit)."""
    unit = next((c.index for c in cols if c.role == "label" and _UNIT_HEADER.match(c.path.split(" / ")[-1])),
                None)
    if unit is None:
        return [""] * len(grid.body), set()
    others = [c.index for c in cols if c.role in ("label", "code") and c.index != unit]
    own = {strip_spaces(doc.department), strip_spaces(doc.department).removeprefix("中共")} - {""}
    # a 合计 row of units (not an item's 总计 column turned into a row)
    has_total = any(unit < len(row.cells) and isinstance(row.cells[unit], str)
                    and is_total_label(row.cells[unit]) for row in grid.body)
    names, whole, heads, current = [], set(), set(), ""
    for i, row in enumerate(grid.body):
        cells = list(row.cells) + [None] * (unit + 1 - len(row.cells))
        if not is_blank(cells[unit]):
            current = strip_spaces(cells[unit])
            if all(is_blank(cells[c] if c < len(cells) else None) for c in others):
                heads.add(i)  # the unit's own row (its block's total), not one of its items
                if current in own and not has_total:
                    whole.add(i)
        # a 合计 row is the whole; the department's own name beside a 合计 row is the bureau itself (本级)
        names.append("" if is_total_label(current) or (current in own and not has_total) else current)
    listed = set(names) - {""}
    if not has_total and not whole and len(listed) == 1 and _OWN_LEVEL.sub("", next(iter(listed))) in own:
        # the department lists only its own 本级 (深圳市科技创新局（本级）) and prints no 合计: that is the whole
        return [""] * len(names), heads
    return names, whole


def flatten(grid: TableGrid, doc: Document, keep_blank: bool = True,
            warnings: list[str] | None = None) -> list[Fact]:
    """Turn every value cell of a table into a Fact; blank cells kept with value None.

    A value cell printed like a figure but not parsable ("1,2,3") is skipped with a warning naming the
    cell when ``warnings`` is given: nothing is dropped silently.
    """
    grid = measure_rows(grid)
    width = max([len(r) for r in grid.header] + [len(r.cells) for r in grid.body] + [0])
    cols = classify_columns(grid.header, width)
    facts: list[Fact] = []
    numeric = _numeric_columns(grid, width)
    _leading_text_columns_are_labels(cols, grid, numeric)
    entities, whole = _entities(grid, cols, doc)
    groups = sorted({c.group for c in cols})
    for r_i, row in enumerate(grid.body):
        cells = list(row.cells) + [None] * (width - len(row.cells))
        for group in groups:
            side_cols = [c for c in cols if c.group == group]
            side = side_cols[0].side if side_cols else ""
            labels = [cells[c.index] for c in side_cols if c.role == "label" and not is_blank(cells[c.index])]
            codes = [strip_spaces(cells[c.index] or "") for c in side_cols if c.role == "code"]
            code = "".join(x for x in codes if x.isdigit()) or None
            if not labels:  # a 合计 row printed across the merged code cells
                labels = [x for x in codes if x and not x.isdigit()]
            row_label = strip_spaces(labels[-1]) if labels else ""
            m = _CODE_IN_LABEL.match(labels[-1]) if labels else None
            if m:
                code, row_label = m.group(1), strip_spaces(m.group(2))
            if not row_label and not code:
                continue
            label = normalise_label(row_label)
            for col in side_cols:
                if col.role != "value":
                    continue
                raw = cells[col.index]
                value = parse_number(raw)
                if value is None and not is_blank(raw):
                    if warnings is not None and unparsable_figure(raw):
                        where = f"page {row.page}" if row.page else f"line {row.line}"
                        warnings.append(f"table {grid.table_id} {row_label} / {col.path} ({where}): "
                                        f"'{str(raw)[:30]}' looks like a figure but is not one; not stored")
                    continue  # prose cell (e.g. a performance target): not a figure
                if value is None and (not keep_blank or (numeric and col.index not in numeric)):
                    continue
                unit = unit_from_header(col.path) or grid.unit
                facts.append(
                    Fact(
                        id=fact_id(doc.id, grid.table_id, side, r_i, col.index),
                        document_id=doc.id,
                        department=doc.department,
                        year=doc.year,
                        doc_kind=doc.kind,
                        table_id=grid.table_id,
                        table_title=grid.title,
                        side=side,
                        row_label=row_label,
                        label=label,
                        code=code,
                        column=col.path,
                        value=value,
                        unit=unit,
                        is_total=(is_total_label(row_label) or (code is None and is_total_label(label))
                                  or r_i in whole),
                        page=row.page,
                        line=row.line,
                        source_text=row.text,
                        measure="amount",
                        ref_year=doc.year,
                        row_index=r_i,
                        col_index=col.index,
                        entity=entities[r_i],
                    )
                )
    return facts
