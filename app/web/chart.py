"""The overview's bar chart as plain HTML, with its picture (PNG) and its numbers (CSV) to download.

Why HTML and not a plot widget: the plot widget kept the previous document's bars under a new heading; bars
drawn from the same response as the heading cannot disagree with it, need no script or CDN, are read by
screen readers as a list, and reflow on a phone. The CSV travels inside the link (a data: address), so no
file is written per request; the PNG is drawn by the page from the bars it shows, in the reader's own fonts.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from urllib.parse import quote

from app.web.format import esc, fmt_amount
from app.web.text import t
from app.web.units import convert
from ingest.model import Fact

Bar = tuple[str, Decimal]  # (what the bar is, its amount in the chart's unit)
FILE_UNITS = {"元": "yuan", "万元": "10k-yuan", "亿元": "100m-yuan"}


def category_bars(categories: list[Fact], target: str, english=None) -> list[Bar]:  # type: ignore
    """One bar per category in `target` (names in English when `english` is given); no non-money rows."""
    bars = []
    for f in categories:
        amount = convert(f.value, f.unit, target)
        if amount is not None:
            bars.append((f.label if english is None else (english(f.label) or f.label), amount))
    return bars


def csv_text(bars: list[Bar], name_header: str, target: str) -> str:
    """The chart's rows as CSV, largest first, amounts as plain digits in the chart's unit."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name_header, f"{'amount' if name_header.isascii() else '金额'} ({target})"])
    writer.writerows([name, f"{amount:f}"] for name, amount in ranked(bars))
    return out.getvalue()


def ranked(bars: list[Bar]) -> list[Bar]:
    return sorted(bars, key=lambda b: -b[1])


def chart_html(bars: list[Bar], target: str, heading: str, lang: str, file: str, name_header: str) -> str:
    """Bars sorted largest first, widths relative to the largest, each labelled with its amount; then the
    PNG and CSV downloads named `file` (ASCII, no extension)."""

    rows = []
    order = ranked(bars)
    top = max((a for _, a in order), default=None)
    for name, a in order:
        width = 0 if not top or top <= 0 else max(1, round(float(a / top) * 100))
        rows.append(
            f'<li class="bq-bar" data-w="{width}"><span class="bq-bar-k">{esc(name)}</span>'
            f'<span class="bq-bar-track"><span class="bq-bar-fill" style="width:{width}%"></span></span>'
            f'<span class="bq-bar-v">{esc(fmt_amount(a, target))}</span></li>'
        )
    stem = f"{file}-{FILE_UNITS.get(target, 'amount')}"
    data = "data:text/csv;charset=utf-8," + quote("\ufeff" + csv_text(bars, name_header, target))
    png, csv_word = t("chart_png", lang), t("chart_csv", lang)
    tools = (
        f'<p class="bq-chart-tools"><a class="bq-chart-png" href="#" role="button" '
        f'data-file="{esc(stem)}.png">{png}</a> · <a class="bq-chart-csv" href="{esc(data)}" '
        f'download="{esc(stem)}.csv">{csv_word}</a></p>'
    )
    caption = f"<figcaption>{esc(heading)}</figcaption>"
    return f'<figure id="bq-bars">{caption}<ol>{"".join(rows)}</ol></figure>{tools}'


def bars_html(
    categories: list[Fact],
    target: str,
    heading: str,
    english=None,
    lang: str = "zh",  # type: ignore[no-untyped-def]
    file: str = "chart",
) -> str:
    """One document's spending by category."""
    header = "类" if lang != "en" else "Function category"
    return chart_html(category_bars(categories, target, english), target, heading, lang, file, header)


# draws the bars shown in #bq-bars on a canvas and downloads it; delegated, so it works for every redraw
CHART_JS = """() => {
document.addEventListener('click', (ev) => {
  const link = ev.target.closest && ev.target.closest('a.bq-chart-png');
  const fig = document.getElementById('bq-bars');
  if (!link || !fig) return;
  ev.preventDefault();
  const bars = Array.from(fig.querySelectorAll('.bq-bar')).map((b) => ({
    k: b.querySelector('.bq-bar-k').textContent, v: b.querySelector('.bq-bar-v').textContent,
    w: parseFloat(b.dataset.w || '0') }));
  const W = 1000, row = 30, top = 60, H = top + row * bars.length + 16, s = 2;
  const c = document.createElement('canvas'); c.width = W * s; c.height = H * s;
  const g = c.getContext('2d'); g.scale(s, s);
  const font = getComputedStyle(fig).fontFamily;
  g.fillStyle = '#ffffff'; g.fillRect(0, 0, W, H); g.textBaseline = 'middle';
  g.fillStyle = '#111827'; g.font = '600 17px ' + font;
  g.fillText(fig.querySelector('figcaption').textContent, 16, 28, W - 32);
  g.font = '14px ' + font;
  bars.forEach((b, i) => {
    const y = top + i * row;
    g.fillStyle = '#111827'; g.textAlign = 'left'; g.fillText(b.k, 16, y + 10, 360);
    g.fillStyle = '#e5e7eb'; g.fillRect(390, y + 2, 430, 16);
    g.fillStyle = '#1d4ed8'; g.fillRect(390, y + 2, 430 * b.w / 100, 16);
    g.fillStyle = '#111827'; g.textAlign = 'right'; g.fillText(b.v, W - 16, y + 10);
  });
  c.toBlob((blob) => {
    const a = document.createElement('a'); a.href = URL.createObjectURL(blob);
    a.download = link.dataset.file || 'chart.png'; document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }, 'image/png');
});
}"""

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
.bq-chart-tools { font-size: 0.85rem; margin: 0.2rem 0 0.6rem 0; }
@media (max-width: 600px) { .bq-bar { grid-template-columns: 1fr auto; }
  .bq-bar-track { grid-column: 1 / -1; } }
"""
