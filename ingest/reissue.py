"""Re-issues and re-encodings: what two readings of one disclosure have in common and where they differ.

Why: a department re-publishes a corrected budget (住房保障支出 48.66 → 58.66) under another file name. Stored
silently beside the first, answers kept 48.66 and never mentioned 58.66. Two files are issues of one
disclosure when they name the same department, year, kind and level and print mostly the same table cells;
they differ where those cells hold different figures. Identity of content is what was read (figures and
text), not the bytes: the same text saved as GBK and as UTF-8 is one document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ingest.model import Document, Fact, ParsedDocument

SHARED_SHARE = 0.5  # of the smaller issue's table cells, printed by both: below this, two disclosures
SHOWN = 5  # differing figures named in a warning

CellKey = tuple[str, str, str, str, int]  # table, side, row as printed, column, occurrence


def content_key(parsed: ParsedDocument) -> str:
    """A hash of what was read — identity, tables, figures, passages — independent of the file's bytes,
    name and encoding (ids, lines and pages are left out: they follow from the bytes)."""
    d = parsed.document
    h = hashlib.sha256()
    for part in (d.department, d.region, d.year, d.kind, d.level, d.default_unit):
        h.update(f"{part}\x1f".encode())
    for t in parsed.tables:
        h.update(f"t\x1f{t.table_id}\x1f{t.title}\x1f{t.unit}\x1f{t.status}\x1e".encode())
    for f in parsed.facts:
        h.update(f"f\x1f{f.table_id}\x1f{f.side}\x1f{f.row_label}\x1f{f.column}\x1f{f.value}\x1f{f.unit}"
                 f"\x1f{f.measure}\x1e".encode())
    for p in parsed.passages:
        h.update(f"p\x1f{p.section}\x1f{p.text}\x1e".encode())
    return h.hexdigest()


def same_disclosure(a: Document, b: Document) -> bool:
    """Same department, year, kind and level (the department must be known: an unnamed file is its own)."""
    return bool(a.department) and (a.department, a.year, a.kind, a.level) == \
        (b.department, b.year, b.kind, b.level)


@dataclass(frozen=True)
class Difference:
    """One table cell both issues print, with a different figure (None: printed blank)."""

    table_id: str
    row: str
    column: str
    unit: str
    first: Decimal | None
    second: Decimal | None
    first_fact: Fact
    second_fact: Fact

    def flipped(self) -> Difference:
        return Difference(self.table_id, self.row, self.column, self.unit, self.second, self.first,
                          self.second_fact, self.first_fact)

    def words(self) -> str:
        def shown(v: Decimal | None) -> str:
            return "blank" if v is None else f"{v:,f}"
        return f"table {self.table_id} {self.row} / {self.column}: {shown(self.first)} → " \
               f"{shown(self.second)} {self.unit}".rstrip()


@dataclass(frozen=True)
class Comparison:
    shared: int  # table cells both print
    smaller: int  # table cells of the issue printing fewer
    differences: tuple[Difference, ...]

    @property
    def reissue(self) -> bool:
        """Two issues of one disclosure (not a narrative file beside its tables-only file)."""
        return self.smaller > 0 and self.shared >= self.smaller * SHARED_SHARE

    def flipped(self) -> Comparison:
        """The same comparison seen from the other issue."""
        return Comparison(self.shared, self.smaller, tuple(d.flipped() for d in self.differences))

    def words(self, n: int = SHOWN) -> str:
        shown = "; ".join(d.words() for d in self.differences[:n])
        more = f"; … {len(self.differences) - n} more" if len(self.differences) > n else ""
        count = len(self.differences)
        return f"{count} figure{'s' if count != 1 else ''} differ{'s' if count == 1 else ''}" + \
            (f" ({shown}{more})" if count else "")


def _cells(facts: Iterable[Fact]) -> dict[CellKey, Fact]:
    """Table cells by where they are printed; a row printed twice in a table is told apart by order."""
    out: dict[CellKey, Fact] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    for f in facts:
        if not f.table_id or f.from_narrative:
            continue
        base = (f.table_id, f.side, f.row_label, f.column)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out[(*base, n)] = f
    return out


def compare(first: Iterable[Fact], second: Iterable[Fact]) -> Comparison:
    """Where two readings print the same table cells, and which of those hold different figures."""
    a, b = _cells(first), _cells(second)
    shared = a.keys() & b.keys()
    diffs = tuple(Difference(k[0], a[k].row_label, a[k].column, a[k].unit or b[k].unit, a[k].value,
                             b[k].value, a[k], b[k])
                  for k in sorted(shared, key=lambda k: (a[k].table_id or "", a[k].row_index or 0,
                                                         a[k].col_index or 0))
                  if a[k].value != b[k].value)
    return Comparison(len(shared), min(len(a), len(b)), diffs)
