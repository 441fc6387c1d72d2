"""A table as a reader sees it: caption facts plus header and body cell rows.

Readers (text, PDF, Excel) differ in how they find cells; from a TableGrid on,
flattening into facts is shared (ingest.flatten).
"""

from __future__ import annotations

from dataclasses import dataclass, field

Cell = str | None  # None or "" = blank cell


@dataclass
class GridRow:
    cells: list[Cell]
    page: int | None = None
    line: int | None = None
    text: str = ""  # the row as printed, for the citation's quoted source


@dataclass
class TableGrid:
    table_id: str
    title: str
    unit: str
    unit_source: str
    header: list[list[Cell]] = field(default_factory=list)
    body: list[GridRow] = field(default_factory=list)
    page: int | None = None
    line: int | None = None
    note: str = ""
