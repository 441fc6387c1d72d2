"""Page-level helpers: drop printed page numbers, count the amounts a page prints.

A page number at the foot ("— 24 —", "24") sits within the text tolerance of the
last line and gets glued onto its figure (403.75 → 403.7524); removing the
characters of a lone number in the bottom margin before extracting text avoids that.
"""

from __future__ import annotations

import re

_PAGE_NO = re.compile(r"^[-—–－_─━·\s]*(第\s*)?\d{1,3}(\s*页)?[-—–－_─━·\s]*$")  # "─ 12 ─" too
_AMOUNT = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-+]?\d+\.\d+$")
_MARGIN = 0.1  # the bottom tenth of the page is where page numbers are printed


def _footer_boxes(page) -> list[tuple[float, float, float, float]]:
    limit = float(page.height) * (1 - _MARGIN)
    words = [w for w in page.extract_words(y_tolerance=3) if w["top"] >= limit]
    lines: dict[int, list[dict]] = {}
    for w in words:
        lines.setdefault(round(w["top"] / 3), []).append(w)
    boxes = []
    for line in lines.values():
        if _PAGE_NO.match(" ".join(w["text"] for w in line)):
            boxes += [(w["x0"], w["top"], w["x1"], w["bottom"]) for w in line]
    return boxes


def without_page_numbers(page):
    """The page with its printed page number removed (a filtered pdfplumber page), or the page itself."""
    boxes = _footer_boxes(page)
    if not boxes:
        return page

    def keep(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] - 0.5 <= x <= b[2] + 0.5 and b[1] - 0.5 <= y <= b[3] + 0.5 for b in boxes)

    return page.filter(keep)


def printed_amounts(page) -> int:
    """Amounts printed on a page (a decimal point or thousands separators; codes and years are not
    amounts)."""
    return sum(1 for w in page.extract_words(y_tolerance=3) if _AMOUNT.match(w["text"].replace("，", ",")))
