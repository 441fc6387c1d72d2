"""One item across the loaded documents: "which department spends most on 住房保障支出?".

Why only shared items: a comparison of one document with nothing is no comparison, so the item list holds the
spending categories that at least two documents disclose, the most widely disclosed first. Each document's
figure is the same cell the single-document overview shows (table 01's first amount column), so the two views
never disagree.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from app.web.units import convert
from ingest.model import Document, Fact


def shared_items(categories: dict[str, list[Fact]]) -> list[str]:
    """Category labels held by ≥ 2 documents: most documents first, then the larger total (in 元)."""
    count: Counter[str] = Counter()
    total: dict[str, Decimal] = {}
    for facts in categories.values():
        for f in facts:
            count[f.label] += 1
            total[f.label] = total.get(f.label, Decimal(0)) + (convert(f.value, f.unit, "元") or Decimal(0))
    held = [label for label, n in count.items() if n >= 2]
    return sorted(held, key=lambda label: (-count[label], -total[label]))


def item_facts(
    docs: list[Document], categories: dict[str, list[Fact]], label: str
) -> list[tuple[Document, Fact]]:
    """Each document's fact for `label`, in the order of `docs` (documents without it left out)."""
    out = []
    for d in docs:
        hit = next((f for f in categories.get(d.id, []) if f.label == label), None)
        if hit is not None:
            out.append((d, hit))
    return out
