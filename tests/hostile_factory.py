"""Hostile files for the guard tests, generated on the fly: bombs, lies, odd encodings, damaged PDFs.

Each builder returns the path it wrote; the expected outcome of each lives in test_guard_hostile.py.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

SEED = Path(__file__).resolve().parent.parent / "corpus" / "antu-social-insurance-2026-department-budget.txt"
TITLE = "安图县社会保险事业管理局2026年部门预算"


def book(path: Path, rows: list[list[object]] | None = None,  # type: ignore[no-untyped-def]
         edit=None) -> Path:
    """A one-table budget workbook (title, 单位 caption, header, body); ``edit(ws)`` adds the hostile part."""
    wb = Workbook()
    ws = wb.active
    ws.title = "01收支总表"
    ws.append([f"{TITLE} 收支预算总表"])
    ws.append(["编制部门：安图县社会保险事业管理局", None, "单位：万元"])
    ws.append(["项目", "本年预算", "上年预算"])
    for row in rows or [["一般公共服务支出", 12.5, 10], ["住房保障支出", 48.66, 40], ["支出合计", 61.16, 50]]:
        ws.append(row)
    if edit:
        edit(ws)
    wb.save(path)
    return path


def replace_part(path: Path, part: str, content: bytes) -> Path:
    """Rewrite one part of an .xlsx (e.g. the sheet XML) keeping the rest."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, content if info.filename == part else src.read(info.filename))
    return path


def sheet_xml(rows: int, pad: int = 0) -> bytes:
    """A worksheet with ``rows`` numeric rows (and ``pad`` bytes of whitespace: a compression bomb)."""
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData>')
    body = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>项目{r}</t></is></c>'
                   f'<c r="B{r}"><v>{r}</v></c>'
                   f"</row>" for r in range(1, rows + 1))
    return (head + body + " " * pad + "</sheetData></worksheet>").encode()


def far_cell_book(path: Path) -> Path:
    """A ~5 KB workbook whose one stray value at XFD1048576 claims a 1,048,576 × 16,384 sheet."""
    def edit(ws):  # type: ignore[no-untyped-def]
        ws["XFD1048576"] = 1
    return book(path, edit=edit)


def many_rows_book(path: Path, rows: int = 160_000) -> Path:
    """A valid workbook with more non-empty cells than one file may hold."""
    return replace_part(book(path), "xl/worksheets/sheet1.xml", sheet_xml(rows))


def zip_bomb_book(path: Path, mib: int = 260) -> Path:
    """A few-hundred-KB workbook whose sheet inflates to ``mib`` MiB."""
    return replace_part(book(path), "xl/worksheets/sheet1.xml", sheet_xml(3, pad=mib * 1024 * 1024))


def text_disclosure(encoding: str, bom: bool = False) -> bytes:
    """The seed disclosure re-encoded (UTF-16 LE/BE, GB18030, GBK …), with or without a BOM."""
    text = SEED.read_text(encoding="utf-8")
    if encoding == "gbk":
        text = "".join(ch for ch in text if _gbk_ok(ch))
    data = text.encode(encoding)
    if bom:
        data = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-8": b"\xef\xbb\xbf"}[encoding] + data
    return data


def _gbk_ok(ch: str) -> bool:
    try:
        ch.encode("gbk")
        return True
    except UnicodeEncodeError:
        return False


def text_pdf(text_lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (Helvetica, ASCII), built by hand."""
    stream = "BT /F1 12 Tf 50 750 Td " + " ".join(f"({t}) Tj 0 -16 Td" for t in text_lines) + " ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return _pdf(objs)


def image_only_pdf() -> bytes:
    """A page that draws a rectangle and no text: a scan without OCR."""
    stream = "0 0 1 rg 100 100 200 200 re f"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"]
    return _pdf(objs)


def encrypted_pdf() -> bytes:
    """A PDF whose trailer names an /Encrypt dictionary (standard security handler, unknown password)."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            "<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 "
            "/O <" + "11" * 32 + "> /U <" + "22" * 32 + "> >>"]
    return _pdf(objs, encrypt=4)


def _pdf(objs: list[str], encrypt: int | None = None) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    extra = f" /Encrypt {encrypt} 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>]" if encrypt else ""
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R{extra} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def many_merges_book(path: Path, n: int = 2_001) -> Path:
    """A workbook with more merged ranges in one sheet than a sheet may hold."""
    def edit(ws):  # type: ignore[no-untyped-def]
        for r in range(10, 10 + n):
            ws.cell(row=r, column=1, value=f"项目{r}")
            ws.cell(row=r, column=3, value=r)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    return book(path, edit=edit)
