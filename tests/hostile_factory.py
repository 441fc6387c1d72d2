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


# ---- issue 22: decompressed work, many tables, owner passwords, unreadable figures ----------------------

def path_ops_pdf(ops: int = 3_000_000) -> bytes:
    """A small PDF (tens of KB) whose one Flate-compressed content stream draws ``ops`` path operations,
    with one line of text so it is not a scan: the work is in the decompressed stream, not the file."""
    import zlib

    step = b"0 0 m 1 1 l\n"  # two operations
    stream = b"BT /F1 12 Tf 50 750 Td (budget) Tj ET\n" + step * (ops // 2) + b"S\n"
    packed = zlib.compress(stream, 9)
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return _pdf_bytes(objs)


def _pdf_bytes(objs: list[str | bytes]) -> bytes:
    """_pdf for bodies that may be binary (a compressed stream)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        raw = body if isinstance(body, bytes) else body.encode("latin-1")
        out += f"{i} 0 obj\n".encode() + raw + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def long_cell_book(path: Path, chars: int = 60_000_000) -> Path:
    """A workbook of tens of KB whose one cell holds ``chars`` characters once unpacked."""
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData>'
            f'<row r="1"><c r="A1" t="inlineStr"><is><t>{TITLE} 收支预算总表</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>单位：万元</t></is></c></row>'
            '<row r="3"><c r="A3" t="inlineStr"><is><t>项目</t></is></c>'
            '<c r="B3" t="inlineStr"><is><t>本年预算</t></is></c></row>'
            '<row r="4"><c r="A4" t="inlineStr"><is><t>')
    tail = ('</t></is></c><c r="B4"><v>1</v></c></row></sheetData></worksheet>')
    return replace_part(book(path), "xl/worksheets/sheet1.xml", (head + "x" * chars + tail).encode())


def many_tables_book(path: Path, n: int = 120) -> Path:
    """A valid workbook of ``n`` budget tables, one per sheet (more than two-digit table numbers hold)."""
    wb = Workbook()
    for i in range(n):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = f"表{i + 1}"
        ws.append([f"{TITLE} 项目支出预算表（{i + 1}）"])
        ws.append(["编制部门：安图县社会保险事业管理局", None, "单位：万元"])
        ws.append(["项目", "本年预算", "上年预算"])
        ws.append([f"项目{i + 1}", i + 1.5, i])
    wb.save(path)
    return path


def owner_password_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF anyone can open (empty user password) that only an owner password may edit."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    enc = pdfencrypt.StandardEncryption("", ownerPassword="owner-secret", canPrint=1, canModify=0)
    c = canvas.Canvas(str(path), encrypt=enc)
    for i, line in enumerate(lines):
        c.drawString(72, 720 - 16 * i, line)
    c.save()
    return path


def unreadable_figure_pdf(figure: str = "48.6.6") -> bytes:
    """A budget whose one table prints one figure that is not a number."""
    from pdf_factory import Page, build_pdf

    cover = Page(texts=[(200, 150, 20, "上海市测试区2031年区级部门预算"),
                        (200, 200, 14, "预算主管部门：上海市测试区样本局")])
    page = Page(texts=[(300, 40, 14, "2031年部门收入预算总表"), (60, 70, 9, "编制部门：上海市测试区样本局"),
                       (700, 70, 9, "单位：元")],
                grids=[(60, 90, [200, 120], 20, [["项目", "合计"], ["住房保障支出", figure]])])
    return build_pdf([cover, page])
