"""Copy as plain text: what a journalist needs to quote an answer.

Why a page script (app/web/static/page.js): the chat's own copy button copies the answer's HTML; a quote
needs the words, the figure, the formula and where it came from. The script only reads the page and
writes to the clipboard. Permalinks are in app/web/reading.py (they carry a follow-up's reading).
"""

from __future__ import annotations

from app.pipeline.answer import Answer


def plain_text(answer: Answer) -> str:
    """The answer as a quotable paragraph with its first citation (also what the copy button copies)."""
    lines = [answer.answer]
    if answer.formula:
        lines.append(("计算：" if answer.lang == "zh" else "Formula: ") + answer.formula)
    if answer.citations:
        lines.append(("来源：" if answer.lang == "zh" else "Source: ") + answer.citations[0].locator())
    return "\n".join(lines)
