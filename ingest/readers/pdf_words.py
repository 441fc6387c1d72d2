"""Tables from word positions, for pages whose tables have no ruling lines (or broken ones).

Some disclosures print tables without rules, or draw every cell twice with a
small offset so the ruled-grid finder sees sliver columns and shifted values.
Here columns come from where the words sit: body words are projected onto the
x axis and every gap wider than ``_GAP`` separates two columns. A page may hold
several tables; each title line ("…表") starts a new one.
"""

from __future__ import annotations

import re

from ingest.grid import Cell
from ingest.numbers import parse_number, to_halfwidth
from ingest.readers.pdf_tables import PageTable
from ingest.units import unit_from_caption

_GAP = 6.0  # points of white space that separate two columns
_LINE_TOL = 4.0  # words whose vertical centres are this close share a line
_TITLE = re.compile(r"表\s*[)）]?\s*$|表[（(][^)）]{1,12}[)）]$")
_PUBLIC_NO = re.compile(r"^(公开\s*\d{1,2}\s*表|公开表\s*[一二三四五六七八九十\d]{1,3}|表\s*[一二三四五六七八九十]{1,3})$")
_CAPTION = re.compile(
    r"(单\s*位\s*[:：]|部\s*门\s*(名\s*称)?\s*[:：]|编制(部门|单位)\s*[:：]|预算单位\s*[:：]|单位名称\s*[:：]|^元$)"
)
_FIGURE = re.compile(r"^[-+]?\d[\d,]*\.\d+$|^[-+]?\d{1,3}(,\d{3})+$|^[-+]?\d+$")
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_FOOTER = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$|^第\s*\d+\s*页")


def _lines(words: list[dict]) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        mid = (w["top"] + w["bottom"]) / 2
        if rows and abs(mid - rows[-1][0]["_mid"]) <= _LINE_TOL:
            rows[-1].append(w)
        else:
            w["_mid"] = mid
            rows.append([w])
            continue
        w["_mid"] = rows[-1][0]["_mid"]
    return [sorted(r, key=lambda w: w["x0"]) for r in rows]


def _text(line: list[dict]) -> str:
    return " ".join(w["text"] for w in line)


def _is_figure(text: str) -> bool:
    t = to_halfwidth(text).strip()
    return bool(_FIGURE.match(t)) and not _CODE.match(t) and parse_number(t) is not None


def _has_figure(line: list[dict]) -> bool:
    return any(_is_figure(w["text"]) for w in line)


def _is_title(text: str) -> bool:
    s = re.sub(r"\s+", "", text)
    return bool(_TITLE.search(s)) and len(s) <= 60 and not _PUBLIC_NO.match(s) and not unit_from_caption(s)


def _bands(lines: list[list[dict]]) -> list[tuple[float, float]]:
    spans = sorted((w["x0"], w["x1"]) for line in lines for w in line)
    bands: list[list[float]] = []
    for x0, x1 in spans:
        if bands and x0 <= bands[-1][1] + _GAP:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(a, b) for a, b in bands]


def _cells(line: list[dict], bands: list[tuple[float, float]]) -> list[Cell]:
    out: list[list[str]] = [[] for _ in bands]
    for w in line:
        mid = (w["x0"] + w["x1"]) / 2
        best = min(range(len(bands)), key=lambda i: 0 if bands[i][0] <= mid <= bands[i][1]
                   else min(abs(mid - bands[i][0]), abs(mid - bands[i][1])))
        out[best].append(w["text"])
    return [("".join(c) if c else None) for c in out]


def _segment(lines: list[list[dict]], page_no: int, continuation: bool = False) -> PageTable | None:
    """One table: caption lines, header lines, body lines (body starts at the first figure or code).

    ``continuation``: the lines above the page's first title, the rest of a table from the page before.
    """
    caption: list[str] = []
    i = 0
    while i < len(lines) and (_is_title(_text(lines[i])) or _CAPTION.search(_text(lines[i]))
                              or _PUBLIC_NO.match(re.sub(r"\s+", "", _text(lines[i])))):
        caption.append(_text(lines[i]))
        i += 1
    rest = [ln for ln in lines[i:] if not _FOOTER.match(_text(ln))]
    start = next((k for k, ln in enumerate(rest) if _has_figure(ln)
                  or _CODE.match(ln[0]["text"]) or re.sub(r"\s", "", ln[0]["text"]) in ("合计", "总计")), None)
    if start is None and caption and any(unit_from_caption(ln) for ln in caption) and rest:
        start = len(rest)  # a printed table with no figure at all: header only, read as empty
    if start is None or not (caption or continuation):
        return None
    header, body = rest[:start], rest[start:]
    notes = [k for k, ln in enumerate(body) if re.match(r"^\s*(注|说明)\s*[:：]", _text(ln))]
    below: list[str] = []
    if notes:
        below = [_text(ln) for ln in body[notes[0]:]]
        body = body[: notes[0]]
    bands = _bands(body or header)
    if len(bands) < 2:
        return None
    cells = [_cells(ln, bands) for ln in header + body]
    spans = [[False] * len(bands) for _ in cells]
    return PageTable(page_no, cells, spans, caption, below)


def word_tables(page, page_no: int) -> list[PageTable]:
    """Every captioned table on a page, read from word positions."""
    words = page.extract_words(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False)
    lines = _lines(words)
    starts = [k for k, ln in enumerate(lines) if _is_title(_text(ln))]
    out: list[PageTable] = []
    head = starts[0] if starts else len(lines)
    if head and head > 0:
        if starts and _PUBLIC_NO.match(re.sub(r"\s+", "", _text(lines[head - 1]))):
            head -= 1
        rest = _segment(lines[:head], page_no, continuation=True)
        if rest is not None:
            out.append(rest)
    for n, k in enumerate(starts):
        # a 公开NN表 line or an 表一 line printed just above the title belongs to this table
        k0 = k - 1 if k > 0 and _PUBLIC_NO.match(re.sub(r"\s+", "", _text(lines[k - 1]))) else k
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        if n + 1 < len(starts) and _PUBLIC_NO.match(re.sub(r"\s+", "", _text(lines[end - 1]))):
            end -= 1
        t = _segment(lines[k0:end], page_no)
        if t is not None:
            out.append(t)
    return out


def numeric_cells(tables: list[PageTable]) -> int:
    return sum(1 for t in tables for row in t.cells for c in row if c and _is_figure(c))
