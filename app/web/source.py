"""Sources a reader can open: the cited PDF page as an image (row marked), or the cited text lines in context.

Why served by the app: a citation naming "page 11" of a file the visitor cannot reach proves nothing. These
routes are GET-only and read-only: they open only files the ledger already lists (by document id, never by a
path from the request), render in memory, and store nothing.
"""

from __future__ import annotations

import html
import io
from pathlib import Path
from urllib.parse import urlencode

from ingest.readers import reader_for

CONTEXT_LINES = 8
MAX_PAGE_PX = 1400


def source_link(doc_id: str, page: int | None, line: int | None, row: str = "") -> str:
    """The app-relative address of a citation's page (PDF) or lines (text); "" when nothing can open."""
    if page:
        return "bq/source/page.png?" + urlencode({"document": doc_id, "page": page, "row": row})
    if line:
        return "bq/source/lines?" + urlencode({"document": doc_id, "line": line})
    return ""


def _words_boxes(page, row: str) -> list[tuple[float, float, float, float]]:  # type: ignore[no-untyped-def]
    """Boxes of the text lines on the page that hold the cited row label (first 6 characters suffice)."""
    needle = "".join(row.split())[:6]
    if not needle:
        return []
    boxes = []
    for line in page.extract_text_lines(return_chars=False):
        if needle in "".join(line["text"].split()):
            boxes.append((line["x0"], line["top"], line["x1"], line["bottom"]))
    return boxes


def render_page_png(path: Path, page_no: int, row: str = "") -> bytes:
    """Page `page_no` (1-based) of the PDF at `path` as PNG bytes, the cited row's line boxed in red."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        if not 1 <= page_no <= len(pdf.pages):
            raise ValueError(f"page {page_no} is not in this document")
        page = pdf.pages[page_no - 1]
        resolution = max(60, min(130, int(MAX_PAGE_PX * 72 / max(page.width, page.height))))
        image = page.to_image(resolution=resolution)
        boxes = _words_boxes(page, row)
        if boxes:
            image.draw_rects(
                [(x0 - 3, top - 2, x1 + 3, bottom + 2) for x0, top, x1, bottom in boxes],
                stroke=(220, 0, 0),
                fill=(255, 230, 0, 60),
                stroke_width=3,
            )
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()


def read_lines(path: Path) -> list[str]:
    """A text disclosure's lines, decoded as the reader decodes them (UTF-8, else GB18030)."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace").splitlines()


def lines_html(title: str, lines: list[str], line_no: int) -> str:
    """The cited line with its neighbours, numbered, the cited one marked; every character escaped."""
    lo, hi = max(1, line_no - CONTEXT_LINES), min(len(lines), line_no + CONTEXT_LINES)
    rows = []
    for n in range(lo, hi + 1):
        mark = ' class="cited" id="cited"' if n == line_no else ""
        rows.append(f"<tr{mark}><td>{n}</td><td>{html.escape(lines[n - 1])}</td></tr>")
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width"><title>' + html.escape(title) + "</title><style>"
        "body{font-family:system-ui,'WenQuanYi Micro Hei',sans-serif;color:#111;margin:1rem}"
        "td{padding:.1rem .5rem;font-family:ui-monospace,monospace;white-space:pre-wrap;vertical-align:top}"
        "td:first-child{color:#444;text-align:right}tr.cited{background:#fff1a8;outline:2px solid #b00}"
        "</style></head><body><h1 style='font-size:1.1rem'>" + html.escape(title) + f" · 第{line_no}行 line "
        f"{line_no}</h1><table>{''.join(rows)}</table></body></html>"
    )


def _cites(path: str) -> str:
    """What a document's citations point into, as its reader declares: "pages", "lines" or "cells"."""
    reader = reader_for(path)
    return reader.cites if reader else ""


def add_source_routes(app, engine) -> None:  # type: ignore[no-untyped-def]
    """GET /bq/source/page.png and /bq/source/lines on Gradio's FastAPI app."""
    from fastapi.responses import HTMLResponse, PlainTextResponse, Response

    def _doc(doc_id: str):  # type: ignore[no-untyped-def]
        return next((d for d in engine.documents() if d.id == doc_id), None)

    @app.get("/bq/source/page.png", response_model=None)
    def source_page(document: str = "", page: int = 0, row: str = ""):  # type: ignore[no-untyped-def]
        doc = _doc(document)
        if doc is None or _cites(doc.path) != "pages" or not Path(doc.path).is_file():
            return PlainTextResponse("no such PDF document", status_code=404)
        try:
            png = render_page_png(Path(doc.path), int(page), row[:60])
        except ValueError as e:
            return PlainTextResponse(str(e), status_code=404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})

    @app.get("/bq/source/lines", response_model=None)
    def source_lines(document: str = "", line: int = 0):  # type: ignore[no-untyped-def]
        doc = _doc(document)
        if doc is None or _cites(doc.path) != "lines" or not Path(doc.path).is_file():
            return PlainTextResponse("no such text document", status_code=404)
        lines = read_lines(Path(doc.path))
        if not 1 <= line <= len(lines):
            return PlainTextResponse(f"line {line} is not in this document", status_code=404)
        return HTMLResponse(lines_html(doc.label, lines, line))
