"""How completely a disclosure was read: tables listed vs found, printed amounts vs facts.

Stored with the document so `budgetqa documents --json` and bench-readers can show
where a reader misses figures without re-reading the file.
"""

from __future__ import annotations

from ingest.model import Fact, TableRecord


def reading_report(toc: list[tuple[str, str]], records: list[TableRecord], facts: list[Fact],
                   printed: int) -> dict:
    found = [t for t in records if t.status in ("present", "empty")]
    with_value = sum(1 for f in facts if not f.from_narrative and f.value is not None)
    coverage = round(100.0 * min(with_value, printed) / printed, 1) if printed else None
    return {
        "tables_listed": len(toc),
        "tables_found": len(found),
        "tables_unreadable": sum(1 for t in records if t.status == "unreadable"),
        "printed_figures": printed,
        "table_facts_with_value": with_value,
        "coverage_pct": coverage,
    }
