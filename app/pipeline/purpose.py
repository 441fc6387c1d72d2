"""What the narrative says an item pays for: "一般行政管理事务 1306.00 万元。主要用于…"."""

from __future__ import annotations

import re

from app.pipeline.factview import FactView
from ingest.model import Passage

_PURPOSE = re.compile(r"(主要用于|用于|主要包括|包括|主要是)")


def purpose_of(view: FactView, docs: list, names: list[str]) -> tuple[str, Passage] | None:
    """What the narrative says an item pays for: the clause after its name that says 用于 / 包括, and the list
    a colon opens on the next lines."""
    best = None
    for d in docs:
        passages = view.passages_of(d.id)
        for i, p in enumerate(passages):
            for n in names:
                at = p.text.find(n)
                if at < 0 or len(n) < 2:
                    continue
                m = _PURPOSE.search(p.text, at + len(n), at + len(n) + 80)
                if m is None:
                    continue
                stop = p.text.find("。", m.end())
                text = p.text[at:stop + 1] if 0 <= stop < m.end() + 200 else p.text[at:m.end() + 200]
                if not text.rstrip().endswith(("。", "；", ";")):  # a list the page break or a colon cut off
                    text += "".join(x.text for x in passages[i + 1:i + 3])[:200]
                rank = (n == names[0], m.group(1).startswith("主要"), -at)  # the row's own label first
                if best is None or rank > best[0]:
                    best = (rank, text.strip(), p)
    return (best[1], best[2]) if best else None

