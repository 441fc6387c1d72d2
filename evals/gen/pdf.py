"""Render a generated disclosure as a PDF: the text form's content, tables as ruled grids (reportlab).

Chinese is set in reportlab's built-in CID font STSong-Light (not embedded;
pdfminer decodes it from its bundled CMaps), tables are drawn with ruled
cells so pdfplumber finds them the way it finds the real disclosures'.
"""

from __future__ import annotations

import io
import re

from evals.gen.budget import Budget
from evals.gen.text import render_text

_TITLE = re.compile(r"^(?P<title>[^\t]+?表)\s*[（(]\s*\d{1,2}\s*[)）]")
_CAPTION = re.compile(r"^(预算单位|单位\s*[:：])")
FONT = "STSong-Light"


def _blocks(text: str) -> list[tuple[str, object]]:
    """("para", line) and ("table", (title, captions, rows)) in document order."""
    out: list[tuple[str, object]] = []
    table: tuple[str, list[str], list[list[str]]] | None = None
    for line in text.splitlines():
        m = _TITLE.match(line)
        if m:
            table = (m.group("title"), [], [])
            out.append(("table", table))
            continue
        if table is not None:
            if not line.strip():
                continue
            if _CAPTION.match(line):
                table[1].append("    ".join(c for c in line.split("\t") if c))
                continue
            if "\t" in line:
                table[2].append(line.split("\t"))
                continue
            table = None
        if line.strip():
            out.append(("para", line.strip()))
    return out


def render_pdf(b: Budget) -> bytes:
    """The disclosure as PDF bytes (deterministic: fixed creation date and document id)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=13, leading=20, alignment=1)
    story: list = []
    for kind, item in _blocks(render_text(b)):
        if kind == "para":
            line = str(item).removeprefix("- ")  # contents entries: "一、收支预算总表", as the PDFs print them
            if line.startswith("第三部分"):
                story.append(PageBreak())
            story.append(Paragraph(line, body))
            continue
        name, captions, rows = item  # type: ignore[misc]
        width = max(len(r) for r in rows)
        grid = [[c.strip() for c in r] + [""] * (width - len(r)) for r in rows]
        story += [PageBreak(), Paragraph(name, title), *[Paragraph(c, body) for c in captions]]
        t = Table(grid, repeatRows=2)
        t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 7),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        story += [t, Spacer(1, 8)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), title=f"{b.department.name}{b.year}年部门预算",
                            invariant=1, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36)
    doc.build(story)
    return buf.getvalue()
