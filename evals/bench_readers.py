"""bench-readers (not a test): ingest every sample file, one store, and print how well each was read.

Per file: status (stored / refused + reason), identity (department, year, kind, the parent a unit budget
names), tables found / listed, coverage (table figures with a value / amounts printed on table pages), tables
typed in the national template (ingest/template.toml), narrative comparison sentences turned into facts /
found (ingest.narrative.comparison_coverage), seconds; then totals.
Run with `make bench-readers`; paste the table into docs/readers.md with the date.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from ingest.ledger import Ledger
from ingest.model import IngestError
from ingest.pipeline import ingest
from ingest.readers import SUPPORTED
from ingest.settings import settings
from ingest.template import coverage


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)


def main() -> int:

    root = settings().samples
    files = _files(root)
    if not files:
        print(f"no sample files under {root}", file=sys.stderr)
        return 2
    rows: list[list[str]] = []
    stored = refused = with_identity = with_tables = covered = 0
    total_printed = total_read = 0
    typed_all = printed_all = 0
    compared = compared_read = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        for f in files:
            name = str(f.relative_to(root))
            t = time.perf_counter()
            try:
                report = ingest([f], store, index=False)
            except IngestError as e:
                refused += 1
                reason = str(e).split(": ", 1)[-1]
                rows.append([name, "refused", reason, *[""] * 6, f"{time.perf_counter() - t:.1f}"])
                continue
            seconds = time.perf_counter() - t
            stored += 1
            doc_id = report.documents[0][1]
            ledger = Ledger(store)
            try:
                d = ledger.document(doc_id)
                rep = ledger.report(doc_id)
                typed, printed = coverage(ledger.tables(doc_id))
            finally:
                ledger.close()
            assert d is not None
            if d.department and d.year:
                with_identity += 1
            found, listed = rep.get("tables_found", 0), rep.get("tables_listed", 0)
            cov = rep.get("coverage_pct")
            if found:
                with_tables += 1
                total_printed += rep.get("printed_figures", 0)
                total_read += min(rep.get("table_facts_with_value", 0), rep.get("printed_figures", 0))
                covered += 1 if cov is not None and cov >= 95 else 0
            typed_all, printed_all = typed_all + typed, printed_all + printed
            sentences, read = rep.get("comparisons_found", 0), rep.get("comparisons_read", 0)
            compared += sentences
            compared_read += read
            identity = f"{d.department or '?'} / {d.year or '?'} / {d.kind}"
            rows.append([name, "stored", identity, d.parent or "-",
                         f"{found}/{listed}", "-" if cov is None else f"{cov:.1f}%", f"{typed}/{printed}",
                         f"{read}/{sentences}" if sentences else "-", d.region, f"{seconds:.1f}"])
            print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    print("| file | status | department / year / kind (or reason) | parent | tables found/listed "
          "| coverage | typed | comparisons read/found | region | s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    overall = 100.0 * total_read / total_printed if total_printed else 0.0
    print()
    print(f"files: {len(files)}; stored: {stored}; refused: {refused}")
    print(f"department and year read: {with_identity}/{stored} "
          f"({100.0 * with_identity / max(stored, 1):.1f}%)")
    print(f"files with tables: {with_tables}; coverage >= 95%: {covered}/{with_tables}; "
          f"overall table coverage {overall:.1f}% ({total_read} of {total_printed} printed amounts)")
    print(f"tables typed in the national template: {typed_all} of {printed_all} printed "
          f"({100.0 * typed_all / max(printed_all, 1):.1f}%)")
    print(f"narrative comparison sentences turned into facts: {compared_read}/{compared} "
          f"({100.0 * compared_read / max(compared, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
