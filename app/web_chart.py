"""The overview's bar chart as plain HTML: one bar per 功能分类 类 of the selected document.

Why HTML and not a plot widget: the plot widget kept the previous document's bars under a new heading; bars
drawn from the same response as the heading cannot disagree with it, need no script or CDN, are read by
screen readers as a list, and reflow on a phone.
"""

from __future__ import annotations

from app.web_units import convert
from ingest.model import Fact


def bars_html(categories: list[Fact], target: str, heading: str, english=None) -> str:
    """Bars sorted largest first, widths relative to the largest, each labelled with its amount."""
    from app.web import esc, fmt_amount

    rows = []
    amounts = [(f, convert(f.value, f.unit, target)) for f in categories]
    amounts = sorted((x for x in amounts if x[1] is not None), key=lambda x: -x[1])  # type: ignore[operator]
    top = max((a for _, a in amounts), default=None)
    for f, a in amounts:
        width = 0 if not top else max(1, round(float(a / top) * 100))  # type: ignore[operator]
        name = f.label if english is None else (english(f.label) or f.label)
        rows.append(
            f'<li class="bq-bar"><span class="bq-bar-k">{esc(name)}</span>'
            f'<span class="bq-bar-track"><span class="bq-bar-fill" style="width:{width}%"></span></span>'
            f'<span class="bq-bar-v">{esc(fmt_amount(a, target))}</span></li>'
        )
    return f'<figure id="bq-bars"><figcaption>{esc(heading)}</figcaption><ol>{"".join(rows)}</ol></figure>'


CHART_CSS = """
#bq-bars { margin: 0.5rem 0; }
#bq-bars figcaption { font-weight: 600; margin-bottom: 0.4rem; }
#bq-bars ol { list-style: none; margin: 0; padding: 0; }
.bq-bar { display: grid; grid-template-columns: minmax(7rem, 14rem) 1fr auto; gap: 0.5rem;
  align-items: center;
  margin-bottom: 0.3rem; }
.bq-bar-track { background: var(--background-fill-secondary); border-radius: 3px; height: 1.1rem; }
.bq-bar-fill { display: block; height: 100%; background: #1d4ed8; border-radius: 3px; }
.bq-bar-v { font-variant-numeric: tabular-nums; white-space: nowrap; }
@media (max-width: 600px) { .bq-bar { grid-template-columns: 1fr auto; }
  .bq-bar-track { grid-column: 1 / -1; } }
"""
