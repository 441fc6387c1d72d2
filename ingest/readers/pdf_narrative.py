"""Narrative passages from a PDF's text pages: wrapped lines re-joined, headings kept as a section path.

A PDF breaks a sentence wherever the line is full; a line that does not end a
sentence continues on the next one. A line starting with an enumeration
("（三）", "2、", "二、") starts a new paragraph even when the previous one did
not end, because these documents often omit the final "。".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.flatten import fact_id
from ingest.model import Passage

_SENTENCE_END = re.compile(r"[。；;！？!?：:]\s*$")
_PART = re.compile(r"^第[一二三四五六七八九十\d]+部分")
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
_LEVEL2 = re.compile(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]")
_ITEM = re.compile(r"^\d+\s*[、.．)）](?!\d)")
_TOC = re.compile(r"^目\s*录$")
_DOT_LEADER = re.compile(r"[…]{2,}|\.{4,}")
_FIGURE = re.compile(r"^图\s*\d+\s*[:：]")  # "图 1：收入预算", the caption of a chart the text layer lacks
_HEADING_MAX = 30
_FULL_LINE = 0.9  # a line this close to the page's widest is a full text line


@dataclass
class Line:
    text: str
    page: int


def _is_heading(text: str) -> bool:
    return len(text) <= _HEADING_MAX and not _SENTENCE_END.search(text) and not re.search(r"[，,。]", text)


def _level(text: str, first_on_page: bool, full_width: bool = False) -> int | None:
    """Heading depth (0 part/page title, 1 一、, 2 （一）) or None for body text.

    A page's first line as wide as its text lines is body text wrapped from the page before, not a title.
    """
    if _PART.match(text):
        return 0
    if not _is_heading(text):
        return None
    if _LEVEL1.match(text):
        return 1
    if _LEVEL2.match(text):
        return 2
    if first_on_page and not full_width and not _ITEM.match(text) and not re.search(r"\d", text[-1:]) \
            and "、" not in text:
        return 0  # a page title; "电费、邮电费、差旅费" at a page top continues the list of the page before
    return None


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x7F else 1 for ch in text if not ch.isspace())


def _page_layout(lines: list[Line]) -> tuple[set[str], dict[int, int]]:
    """Running headers (the same first line on two or more pages) and each page's widest line."""
    firsts: Counter[str] = Counter()
    widest: dict[int, int] = {}
    last = None
    for line in lines:
        if line.page != last:
            firsts[line.text] += 1
            last = line.page
        widest[line.page] = max(widest.get(line.page, 0), _width(line.text))
    return {t for t, n in firsts.items() if n >= 2 and not _PART.match(t)}, widest


def _starts_item(text: str) -> bool:
    return bool(_LEVEL1.match(text) or _LEVEL2.match(text) or _ITEM.match(text))


def page_lines(text: str, page: int) -> list[Line]:
    return [Line(ln.strip(), page) for ln in text.splitlines() if ln.strip()]


def build_passages(lines: list[Line], document_id: str) -> list[Passage]:
    """Paragraphs with their section path; a short title line that wraps is joined to its heading."""
    sections: list[str] = ["", "", ""]
    passages: list[Passage] = []
    para: list[Line] = []
    last_page = None
    last_was_heading = False

    def flush() -> None:
        if not para:
            return
        text = "".join(ln.text for ln in para)
        section = " > ".join(s for s in sections if s)
        n = len(passages)
        passages.append(Passage(fact_id(document_id, "passage", n), document_id, section, text, para[0].page))
        para.clear()

    toc_page = None
    headers, widest = _page_layout(lines)
    for line in lines:
        first = line.page != last_page
        last_page = line.page
        if _TOC.match(line.text):
            toc_page = line.page  # the contents page lists headings, it says nothing
        if line.page == toc_page or _DOT_LEADER.search(line.text) or line.text in headers \
                or _FIGURE.match(line.text):
            continue  # a running header or a chart's caption says nothing and does not break a paragraph
        level = _level(line.text, first, _width(line.text) >= _FULL_LINE * widest.get(line.page, 0))
        if level is None and last_was_heading and len(line.text) <= 4 and not _SENTENCE_END.search(line.text):
            deepest = max(i for i, s in enumerate(sections) if s)
            sections[deepest] += line.text  # the rest of a wrapped title ("…决算情况" + "说明")
            continue
        if level is not None:
            flush()
            sections[level] = line.text
            for i in range(level + 1, len(sections)):
                sections[i] = ""
            last_was_heading = True
            continue
        last_was_heading = False
        if para and (_SENTENCE_END.search(para[-1].text) or _starts_item(line.text)):
            flush()
        para.append(line)
    flush()
    return passages
