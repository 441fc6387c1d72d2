"""Sources a reader can open: the cited page of a PDF with the cited cell boxed, or the cited lines of a
text file, each on a page of its own (document name, page n of N, previous / next, back to the answer).

Why served by the app: a citation naming "page 11" of a file the visitor cannot reach proves nothing.
These routes are GET-only and read-only: they open only files the ledger already lists (by document id,
never by a path from the request), render in memory, and store nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote, urlencode

import pdfplumber
from fastapi import Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from app.lang.departments import Catalog
from app.web.format import fmt_amount
from app.web.renders import RenderPool, RenderRefused, page_key
from app.web.staff_auth import client_of
from app.web.templates import render
from app.web.text import doc_name, page_lang
from ingest.readers import reader_for

CONTEXT_LINES = 8
MAX_PAGE_PX = 1400
Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points
SOURCE_WORDS = {
    "page_of": ("第 {n} 页，共 {total} 页", "Page {n} of {total}"),
    "line_of": ("第 {n} 行，共 {total} 行", "Line {n} of {total}"),
    "prev": ("上一页", "Previous page"),
    "next": ("下一页", "Next page"),
    "prev_lines": ("上面几行", "Previous lines"),
    "next_lines": ("下面几行", "Next lines"),
    "back": ("返回回答", "Back to the answer"),
    "cell": ("红框是引用的单元格：{cell}", "The cited cell is boxed in red: {cell}"),
    "row_only": ("本页没有找到这个数字，黄色标出引用的行：{row}",
                 "The figure was not found on this page; the cited row is marked in yellow: {row}"),
    "line_cell": ("引用的数字已标出：{cell}", "The cited figure is marked: {cell}"),
    "image": ("{doc} 第 {n} 页", "{doc}, page {n}"),
}


def source_link(doc_id: str, page: int | None, line: int | None, row: str = "", column: str = "",
                value: str = "", lang: str = "zh", back: str = "") -> str:
    """The app-relative address of a citation's source page (PDF) or lines (text); "" when none opens."""
    cited = {"row": row, "column": column, "value": value, "lang": page_lang(lang), "back": back}
    if page:
        return "bq/source/page?" + urlencode({"document": doc_id, "page": page, **cited})
    if line:
        return "bq/source/lines?" + urlencode({"document": doc_id, "line": line, **cited})
    return ""


def _number(text: str) -> Decimal | None:
    raw = text.replace(",", "").replace("，", "").strip()
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def row_boxes(page, row: str) -> list[Box]:  # type: ignore[no-untyped-def]
    """Boxes of the text lines on the page that hold the cited row label (first 6 characters suffice)."""
    needle = "".join(row.split())[:6]
    if not needle:
        return []
    return [(ln["x0"], ln["top"], ln["x1"], ln["bottom"])
            for ln in page.extract_text_lines(return_chars=False) if needle in "".join(ln["text"].split())]


def _beside(word: dict, box: Box) -> bool:
    """A word on the same printed row as `box` (labels and figures of one row sit a few points apart)."""
    return word["bottom"] >= box[1] - 4 and word["top"] <= box[3] + 4


def _by_column(cells: list[dict], words: list[dict], column: str, top: float) -> dict:
    """Of several equal figures on one row, the one under the cited column's header (else the first)."""
    leaf = column.split(" / ")[-1].strip()
    key = leaf[:2]
    heads = [w for w in words if key and key in w["text"] and w["bottom"] <= top]
    if not heads:
        return cells[0]
    head = max(heads, key=lambda w: w["bottom"])  # the nearest header above the row
    centre = (head["x0"] + head["x1"]) / 2
    return min(cells, key=lambda w: abs((w["x0"] + w["x1"]) / 2 - centre))


@dataclass(frozen=True)
class Marks:
    rows: list[Box]
    cell: Box | None


def locate(page, row: str, value: str = "", column: str = "") -> Marks:  # type: ignore[no-untyped-def]
    """Where the cited row and cell are on the page: the figure equal to `value` on the row's line."""
    rows = row_boxes(page, row)
    target = _number(value) if value else None
    if target is None or not rows:
        return Marks(rows, None)
    words = page.extract_words()
    hits = [(w, r) for w in words if _number(w["text"]) == target for r in rows if _beside(w, r)]
    if not hits:
        return Marks(rows, None)
    cells = [w for w, _ in hits]
    chosen = _by_column(cells, words, column, min(r[1] for _, r in hits)) if len(cells) > 1 else cells[0]
    used = [r for w, r in hits if w is chosen]
    return Marks(used, (chosen["x0"], chosen["top"], chosen["x1"], chosen["bottom"]))


def page_count(path: Path) -> int:
    with pdfplumber.open(str(path)) as pdf:
        return len(pdf.pages)


def find_marks(path: Path, page_no: int, row: str = "", value: str = "", column: str = "") -> Marks:
    with pdfplumber.open(str(path)) as pdf:
        if not 1 <= page_no <= len(pdf.pages):
            raise ValueError(f"page {page_no} is not in this document")
        return locate(pdf.pages[page_no - 1], row, value, column)


def render_page_png(path: Path, page_no: int, row: str = "", value: str = "", column: str = "") -> bytes:
    """Page `page_no` (1-based) of the PDF at `path` as PNG bytes: the cited row in yellow, the cited
    cell boxed in red."""
    with pdfplumber.open(str(path)) as pdf:
        if not 1 <= page_no <= len(pdf.pages):
            raise ValueError(f"page {page_no} is not in this document")
        page = pdf.pages[page_no - 1]
        resolution = max(60, min(130, int(MAX_PAGE_PX * 72 / max(page.width, page.height))))
        image = page.to_image(resolution=resolution)
        marks = locate(page, row, value, column)
        if marks.rows:
            image.draw_rects([(x0 - 3, top - 2, x1 + 3, bottom + 2) for x0, top, x1, bottom in marks.rows],
                             stroke=(230, 160, 0), fill=(255, 230, 0, 60), stroke_width=1)
        if marks.cell:
            x0, top, x1, bottom = marks.cell
            image.draw_rect((x0 - 4, top - 3, x1 + 4, bottom + 3), stroke=(220, 0, 0), fill=(255, 0, 0, 30),
                            stroke_width=3)
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


def _words(lang: str) -> dict[str, str]:
    return {k: (en if lang == "en" else zh) for k, (zh, en) in SOURCE_WORDS.items()}


def _back(back: str) -> str:
    """The answer's permalink (relative to the app's root, two folders up from bq/source/)."""
    return "../../" + ("?q=" + quote(back, safe="") if back else "")


def cell_words(row: str, column: str, value: str, unit: str = "") -> str:
    shown = fmt_amount(Decimal(value), unit) if _number(value) is not None else value
    return " / ".join(x for x in (row, column) if x) + (f" = {shown}" if shown else "")


def page_html(title: str, n: int, total: int, cited: dict[str, str], marks: Marks | None) -> str:
    """The cited PDF page as a page of its own: name, page n of N, the picture, previous / next, back."""
    lang = page_lang(cited.get("lang"))
    w = _words(lang)
    keep = {"document": cited["document"], "lang": lang, "back": cited.get("back", "")}
    mark = {k: cited.get(k, "") for k in ("row", "column", "value")}
    note = ""
    if mark["row"]:
        note = (w["cell"].format(cell=cell_words(**mark)) if marks and marks.cell
                else w["row_only"].format(row=mark["row"]))

    def nav(to: int) -> str:
        params = {**keep, "page": to, **(mark if to == n else {})}
        return "page?" + urlencode(params) if 1 <= to <= total else ""

    image = "page.png?" + urlencode({"document": cited["document"], "page": n, **mark})
    return render("source_page.html", lang=lang, w=w, title=title,
                  where=w["page_of"].format(n=n, total=total), note=note, image=image,
                  alt=w["image"].format(doc=title, n=n), prev=nav(n - 1),
                  next=nav(n + 1), back=_back(keep["back"]), boxed=bool(marks and marks.cell))


def lines_html(title: str, lines: list[str], line_no: int, cited: dict[str, str] | None = None) -> str:
    """The cited line with its neighbours, numbered, the cited one (and its figure) marked; every
    character escaped. `line_no` centres the view; `cited["at"]` is the cited line (default the centre)."""
    cited = cited or {}
    lang = page_lang(cited.get("lang"))
    w = _words(lang)
    at = int(cited.get("at") or line_no)
    lo, hi = max(1, line_no - CONTEXT_LINES), min(len(lines), line_no + CONTEXT_LINES)
    value = cited.get("value", "")
    rows = []
    for n in range(lo, hi + 1):
        text = lines[n - 1]
        before, figure, after = _split_figure(text, value) if n == at else (text, "", "")
        rows.append({"n": n, "cited": n == at, "before": before, "figure": figure, "after": after})
    keep = {k: cited.get(k, "") for k in ("document", "value", "lang", "back")}

    def nav(centre: int) -> str:
        if not (1 <= centre <= len(lines)) or centre == line_no:
            return ""
        return "lines?" + urlencode({**keep, "line": centre, "at": at})

    step = 2 * CONTEXT_LINES + 1
    note = w["line_cell"].format(cell=cell_words(cited.get("row", ""), cited.get("column", ""), value)) \
        if value and any(r["figure"] for r in rows) else ""
    return render("source_lines.html", lang=lang, w=w, title=title, rows=rows, note=note,
                  where=w["line_of"].format(n=at, total=len(lines)),
                  prev=nav(max(1, line_no - step)), next=nav(min(len(lines), line_no + step)),
                  back=_back(keep["back"]))


def _split_figure(text: str, value: str) -> tuple[str, str, str]:
    """The line cut around the first printed figure equal to `value` (as printed: 1,051.38 or 1051.38)."""
    target = _number(value) if value else None
    if target is None:
        return text, "", ""
    pos = 0
    for token in text.split():
        start = text.index(token, pos)
        pos = start + len(token)
        if _number(token) == target:
            return text[:start], token, text[pos:]
    return text, "", ""


def _cites(path: str) -> str:
    """What a document's citations point into, as its reader declares: "pages", "lines" or "cells"."""
    reader = reader_for(path)
    return reader.cites if reader else ""


def add_source_routes(app, engine, renders: RenderPool | None = None) -> None:  # type: ignore[no-untyped-def]
    """GET /bq/source/page (HTML), /bq/source/page.png and /bq/source/lines on Gradio's FastAPI app; page
    renders go through `renders` (the pool the HTTP API of the same process shares)."""
    renders = renders or RenderPool.from_settings()

    def _doc(doc_id: str, cites: str):  # type: ignore[no-untyped-def]
        """The stored document `doc_id` whose reader cites `cites` ("pages" or "lines"), if its file is
        there."""
        doc = next((d for d in engine.documents() if d.id == doc_id), None)
        if doc is None or _cites(doc.path) != cites or not Path(doc.path).is_file():
            return None
        return doc

    def _title(doc, lang: str) -> str:  # type: ignore[no-untyped-def]
        english = Catalog(engine.documents()).english_name(doc.department) if lang == "en" else ""
        return doc_name(doc, english, lang)

    @app.get("/bq/source/page", response_model=None)
    def source_page(document: str = "", page: int = 0, row: str = "", column: str = "",
                    value: str = "", lang: str = "zh", back: str = ""):  # type: ignore[no-untyped-def]
        doc = _doc(document, "pages")
        if doc is None:
            return PlainTextResponse("no such PDF document", status_code=404)
        try:
            marks = find_marks(Path(doc.path), int(page), row[:60], value[:40], column[:60])
        except ValueError as e:
            return PlainTextResponse(str(e), status_code=404)
        cited = {"document": doc.id, "row": row[:60], "column": column[:60], "value": value[:40],
                 "lang": lang, "back": back[:500]}
        html = page_html(_title(doc, page_lang(lang)), int(page), page_count(Path(doc.path)), cited, marks)
        return HTMLResponse(html)

    @app.get("/bq/source/page.png", response_model=None)
    def source_png(request: Request, document: str = "", page: int = 0, row: str = "", column: str = "",
                   value: str = ""):  # type: ignore[no-untyped-def]
        doc = _doc(document, "pages")
        if doc is None:
            return PlainTextResponse("no such PDF document", status_code=404)
        marks = (row[:60], value[:40], column[:60])
        try:
            png = renders.png(client_of(request), page_key(doc.path, page, *marks),
                              lambda: render_page_png(Path(doc.path), int(page), *marks))
        except RenderRefused as e:
            return PlainTextResponse(e.message, status_code=e.status, headers={"Retry-After": e.retry_after})
        except ValueError as e:
            return PlainTextResponse(str(e), status_code=404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})

    @app.get("/bq/source/lines", response_model=None)
    def source_lines(document: str = "", line: int = 0, at: int = 0, row: str = "", column: str = "",
                     value: str = "", lang: str = "zh", back: str = ""):  # type: ignore[no-untyped-def]
        doc = _doc(document, "lines")
        if doc is None:
            return PlainTextResponse("no such text document", status_code=404)
        lines = read_lines(Path(doc.path))
        if not 1 <= line <= len(lines):
            return PlainTextResponse(f"line {line} is not in this document", status_code=404)
        cited = {"document": doc.id, "at": str(at if 1 <= at <= len(lines) else line), "row": row[:60],
                 "column": column[:60], "value": value[:40], "lang": lang, "back": back[:500]}
        return HTMLResponse(lines_html(_title(doc, page_lang(lang)), lines, line, cited))
