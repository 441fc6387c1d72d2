"""Reader for text disclosures of the seed's form: cover, contents, tab-separated tables, narrative.

Tables are found by their numbered titles ("收支预算总表 (01)"); the unit comes
from each table's own caption, and where a caption has none the document's
default is used and said so in a warning. Tables listed in the contents but
not printed are recorded as absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from ingest.flatten import fact_id, flatten
from ingest.grid import GridRow, TableGrid
from ingest.labels import is_total_label, strip_spaces
from ingest.limits import LIMITS
from ingest.model import Document, Fact, IngestError, ParsedDocument, Passage, TableRecord
from ingest.narrative import narrative_facts
from ingest.numbers import cn_number, parse_number
from ingest.readers.base import Reader
from ingest.readers.common import make_document
from ingest.sections import PART as _PART
from ingest.sections import heading_level
from ingest.units import unit_from_caption

_TABLE_TITLE = re.compile(r"^\s*(?P<title>[^\t]{2,40}?表)\s*[（(]\s*(?P<num>\d{1,2})\s*[)）]")
_TOC_ITEM = re.compile(r"^\s*-\s*(?P<num>[一二三四五六七八九十]+)、(?P<title>.+表)\s*$")
_EMBEDDED_HEADING = re.compile(r"^(?P<a>.+?[^。；：\s])(?P<b>[（(][一二三四五六七八九十]+[)）][^。]{2,24}情况)$")
_CAPTION = re.compile(r"^(预算单位|编制单位|单位\s*[:：]|编制部门|预算主管部门)")
_SENTENCE_END = ("。", "！", "？", "；", "：", ":", "”")
_GENERIC = ("一般公共预算", "预算拨款", "支出预算", "预算支出", "经费支出", "拨款支出")


def _utf16(data: bytes) -> str | None:
    """UTF-16 text (Windows Notepad's "Unicode"): by its BOM, or by NULs all on one side of each pair."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    else:
        head = data[:4096]
        odd = sum(1 for i in range(1, len(head), 2) if head[i] == 0)
        even = sum(1 for i in range(0, len(head), 2) if head[i] == 0)
        if len(data) % 2 or not (odd or even):
            return None
        encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if any(ch < " " and ch not in "\t\n\r\f" for ch in text[:4096]):
        return None  # binary that happens to pair up
    return text.lstrip("\ufeff")


def _decode(data: bytes, name: str) -> str:
    text = _utf16(data) if (data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]) else None
    if text is not None:
        return text
    if b"\x00" in data[:4096]:
        raise IngestError(f"{name}: binary data, not a text disclosure")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(f"{name}: not readable as UTF-8 or GB18030 text")


def _split_cells(line: str) -> list[str]:
    return [c.strip() for c in line.rstrip("\n").split("\t")]


def _is_body_row(cells: list[str]) -> bool:
    first = next((c for c in cells if c), "")
    if any(parse_number(c) is not None for c in cells):
        return True
    return bool(is_total_label(first) or re.match(r"^([一二三四五六七八九十]+、|\d+、|[（(]\d+[)）]|其中)", first))


def _toc_tables(lines: list[str]) -> dict[str, str]:
    """Tables the contents list under 预算表格: number → title."""
    listed: dict[str, str] = {}
    in_tables = False
    for line in lines:
        s = line.strip()
        if _PART.match(s):
            if listed and not in_tables:
                break
            in_tables = "表" in s
            if not in_tables and listed:
                break
            continue
        m = _TOC_ITEM.match(s)
        if in_tables and m:
            listed[f"{cn_number(m.group('num')):02d}"] = m.group("title").strip()
    return listed


def _body_start(lines: list[str]) -> int:
    """First line after the contents (the second 第一部分 heading), or 0 if there are none."""
    firsts = [i for i, line in enumerate(lines) if line.strip().startswith("第一部分")]
    return firsts[1] if len(firsts) > 1 else 0


def _parse_table(title: str, num: str, rows: list[tuple[int, str]],
                 default_unit: str) -> tuple[TableGrid, str]:
    unit = ""
    header: list[list[str]] = []
    body: list[GridRow] = []
    for line_no, line in rows:
        cells = _split_cells(line)
        joined = "".join(cells)
        if not joined or set(joined) <= set("-—") or _TABLE_TITLE.match(line):
            continue
        found = unit_from_caption(line)
        if found:
            unit = unit or found
        if _CAPTION.match(joined) or (found and not _is_body_row(cells) and len(joined) < 40 and not header):
            continue
        # a second header row under merged cells ("\t\t小计\t基本支出…") starts blank and holds no figure
        continuation = bool(header) and not cells[0] and all(parse_number(c) is None for c in cells)
        if not body and (continuation or not _is_body_row(cells)):
            header.append(cells)
            continue
        body.append(GridRow(cells=cells, line=line_no, text=" ".join(c for c in cells if c)))
    source = "caption"
    if not unit:
        unit, source = default_unit, ("default: no unit in the table's caption; "
                                      f"the document's other captions say {default_unit}")
    grid = TableGrid(table_id=num, title=title, unit=unit, unit_source=source, header=header, body=body,
                     line=rows[0][0] - 1 if rows else None)
    return grid, source


def _paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Re-join lines broken mid-sentence ("…负" / "责本县…")."""
    out: list[tuple[int, str]] = []
    for line_no, text in lines:
        if (out and not out[-1][1].endswith(_SENTENCE_END) and not heading_level(text)
                and not heading_level(out[-1][1])):
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((line_no, text))
    return out


def _none_note(title: str, sentences: list[str]) -> str:
    best, score = "", 0
    for sentence in sentences:
        a = strip_spaces(title)
        m = SequenceMatcher(None, a, sentence).find_longest_match(0, len(a), 0, len(sentence))
        common = a[m.a : m.a + m.size]
        size = 0 if any(common in g for g in _GENERIC) else m.size
        if size >= 3 and size > score:
            best, score = sentence, size
    return best


@dataclass
class _Body:
    """What the body of a text disclosure holds, in reading order."""

    grids: list[TableGrid] = field(default_factory=list)
    narrative: list[tuple[int, str, str]] = field(default_factory=list)  # (line, section path, text)
    warnings: list[str] = field(default_factory=list)


def _document(path: Path, data: bytes, lines: list[str]) -> Document:
    """Identity from the cover (first 40 lines) and the first captions; the unit most captions state."""
    head = [line.strip() for line in lines[:40] if line.strip()]
    captions = [line for line in lines if _CAPTION.match(line.strip())]
    units = [u for u in (unit_from_caption(line) for line in lines) if u]
    default_unit = max(set(units), key=units.count) if units else "万元"
    note = (f"most table captions say 单位：{default_unit}" if units
            else "no table states a unit; 万元 assumed as in the narrative")
    doc = make_document(path, data, head + captions[:3], default_unit=default_unit,
                        default_unit_note=note, lines=len(lines))
    if not doc.department:
        raise IngestError(f"{path.name}: no department found on the cover or in a 预算单位 caption")
    return doc


def _narrative_line(s: str, line_no: int, section: list[str], body: _Body) -> list[str]:
    """A narrative line: a heading moves the section path, anything else is text under it."""
    split = _EMBEDDED_HEADING.match(s)
    for part in [split.group("a"), split.group("b")] if split else [s]:
        level = heading_level(part)
        if level:
            section = section[: level - 1] + [part]
        else:
            body.narrative.append((line_no, " > ".join(section), part))
    return section


def _read_body(lines: list[str], start: int, default_unit: str) -> _Body:
    """Tables (a numbered title line up to the next title or part heading) and the narrative around them."""
    body = _Body()
    section: list[str] = []
    current: tuple[str, str, list[tuple[int, str]]] | None = None

    def close_table() -> None:
        nonlocal current
        if current:
            grid, source = _parse_table(current[0], current[1], current[2], default_unit)
            if source != "caption":
                body.warnings.append(f"table {grid.table_id} {grid.title}: {source}")
            body.grids.append(grid)
        current = None

    for i in range(start, len(lines)):
        raw = lines[i]
        s = raw.strip()
        m = _TABLE_TITLE.match(raw)
        if m:
            close_table()
            current = (strip_spaces(m.group("title")), f"{int(m.group('num')):02d}", [(i + 1, raw)])
            continue
        if current and s and heading_level(s) == 1:
            close_table()
        if current:
            current[2].append((i + 1, raw))
        elif s:
            section = _narrative_line(s, i + 1, section, body)
    close_table()
    return body


def _passages(narrative: list[tuple[int, str, str]], doc: Document) -> list[Passage]:
    """Paragraphs re-joined within each section, in the order the sections first appear."""
    by_section: dict[str, list[tuple[int, str]]] = {}
    for line_no, sec, text in narrative:
        by_section.setdefault(sec, []).append((line_no, text))
    return [Passage(id=fact_id(doc.id, "passage", line_no), document_id=doc.id, section=sec, text=para,
                    line=line_no)
            for sec, items in by_section.items() for line_no, para in _paragraphs(items)]


def _tables(grids: list[TableGrid], listed: dict[str, str], doc: Document, none_sentences: list[str],
            warnings: list[str]) -> tuple[list[TableRecord], list[Fact]]:
    """A record and facts per printed table; a table the contents list but the text does not print is
    recorded absent, with the sentence that says it has nothing to show."""
    tables: list[TableRecord] = []
    facts: list[Fact] = []
    for grid in grids:
        cells = flatten(grid, doc, warnings=warnings)  # unparsable figures are warned about, by cell
        facts.extend(cells)
        has_value = any(f.value is not None for f in cells)
        status = "present" if has_value else "empty"
        tables.append(TableRecord(document_id=doc.id, table_id=grid.table_id, title=grid.title,
                                  unit=grid.unit, unit_source=grid.unit_source, status=status,
                                  line=grid.line, n_facts=len(cells),
                                  note="" if has_value else _none_note(grid.title, none_sentences)))
    printed = {g.table_id for g in grids}
    for num, title in listed.items():
        if num not in printed:
            tables.append(TableRecord(document_id=doc.id, table_id=num, title=title, unit="", unit_source="",
                                      status="absent", note=_none_note(title, none_sentences)))
            warnings.append(f"table {num} {title}: listed in the contents but not printed in the document")
    tables.sort(key=lambda t: t.table_id)
    return tables, facts


def read_text(path: Path, data: bytes) -> ParsedDocument:
    text = _decode(data, path.name)
    lines = text.splitlines()
    doc = _document(path, data, lines)
    body = _read_body(lines, _body_start(lines), doc.default_unit)
    passages = _passages(body.narrative, doc)
    facts = narrative_facts(passages, doc)
    none_sentences = [f.source_text for f in facts if f.measure == "none"]
    warnings = body.warnings
    tables, table_facts = _tables(body.grids, _toc_tables(lines), doc, none_sentences, warnings)
    facts.extend(table_facts)
    if not body.grids:
        raise IngestError(f"{path.name}: no recognisable budget tables (titles like '收支预算总表 (01)')")
    return ParsedDocument(document=doc, tables=tables, facts=facts, passages=passages, warnings=warnings)


def looks_like_text(head: bytes) -> bool:
    """Text: no NUL byte, or UTF-16 (a byte-order mark, or NULs all on one side of each byte pair)."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" not in head:
        return True
    odd = any(head[i] == 0 for i in range(1, len(head), 2))
    even = any(head[i] == 0 for i in range(0, len(head), 2))
    return odd != even


READER = Reader(name="text", suffixes=(".txt",), max_bytes=LIMITS.max_bytes_txt, sniff=looks_like_text,
                parse=read_text, magic=False, heavy=False, cites="lines")
