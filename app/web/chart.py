"""The overview's bar chart as plain HTML, with its picture (PNG) and its numbers (CSV) to download.

Why HTML and not a plot widget: the plot widget kept the previous document's bars under a new heading; bars
drawn from the same response as the heading cannot disagree with it, need no script or CDN, are read by
screen readers as a list, and reflow on a phone. The CSV travels inside the link (a data: address), so no
file is written per request; the PNG is drawn by the page from the bars it shows, in the reader's own fonts
(app/web/static/page.js).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from urllib.parse import quote

from app.web.format import fmt_amount
from app.web.templates import render
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
    order = ranked(bars)
    top = max((a for _, a in order), default=None)
    shown = [{"name": name, "amount": fmt_amount(a, target),
              "width": 0 if not top or top <= 0 else max(1, round(float(a / top) * 100))}
             for name, a in order]
    data = "data:text/csv;charset=utf-8," + quote("\ufeff" + csv_text(bars, name_header, target))
    stem = f"{file}-{FILE_UNITS.get(target, 'amount')}"
    return render("chart.html", heading=heading, bars=shown, stem=stem, data=data, png=t("chart_png", lang),
                  csv=t("chart_csv", lang))


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
