"""Small hand-written PDFs for reader tests (reportlab is not a dependency).

Chinese text uses the non-embedded CID font STSong-Light with the UniGB-UCS2-H
CMap, which pdfminer decodes from its bundled CMaps; tables are drawn as ruled
grids so pdfplumber finds them the way it finds the real disclosures' tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PAGE_W, PAGE_H = 842, 595  # A4 landscape, like the disclosures' table pages


@dataclass
class Page:
    """Text items (x, y_from_top, size, text) and ruled grids (x0, top, col widths, row height, rows)."""

    texts: list[tuple[float, float, float, str]] = field(default_factory=list)
    grids: list[tuple[float, float, list[float], float, list[list[str]]]] = field(default_factory=list)
    drawing_only: bool = False


def _hex(text: str) -> str:
    return "<" + "".join(f"{ord(ch):04X}" for ch in text) + ">"


def _text_op(x: float, top: float, size: float, text: str) -> str:
    y = PAGE_H - top - size
    return f"BT /F1 {size} Tf {x:.2f} {y:.2f} Td {_hex(text)} Tj ET"


def _grid_ops(x0: float, top: float, widths: list[float], height: float, rows: list[list[str]]) -> list[str]:
    ops: list[str] = ["0.5 w"]
    total_w = sum(widths)
    n = len(rows)
    for r in range(n + 1):
        y = PAGE_H - top - r * height
        ops.append(f"{x0:.2f} {y:.2f} m {x0 + total_w:.2f} {y:.2f} l S")
    x = x0
    for w in [0.0, *widths]:
        x += w
        ops.append(f"{x:.2f} {PAGE_H - top:.2f} m {x:.2f} {PAGE_H - top - n * height:.2f} l S")
    for r, row in enumerate(rows):
        x = x0
        for c, cell in enumerate(row):
            if cell:
                ops.append(_text_op(x + 3, top + r * height + (height - 9) / 2, 9, cell))
            x += widths[c]
    return ops


def build_pdf(pages: list[Page]) -> bytes:
    """A PDF whose pages hold the given text and ruled tables (or only a drawn box: no text layer)."""
    objects: list[bytes] = []

    def add(body: str | bytes) -> int:
        objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objects)

    catalog = add("")  # placeholder, filled below
    pages_obj = add("")
    font = add(
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        "/DescendantFonts [ << /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        "/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        "/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
        "/StemV 93 >> /DW 1000 >> ] >>"
    )
    kids: list[int] = []
    for page in pages:
        ops: list[str] = []
        if page.drawing_only:
            ops.append("0.2 g 100 100 400 300 re f")  # a "scanned" page: ink, no text
        for x, top, size, text in page.texts:
            ops.append(_text_op(x, top, size, text))
        for grid in page.grids:
            ops += _grid_ops(*grid)
        stream = "\n".join(ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode("latin-1")
    kid_refs = " ".join(f"{k} 0 R" for k in kids)
    objects[pages_obj - 1] = f"<< /Type /Pages /Kids [{kid_refs}] /Count {len(kids)} >>".encode("latin-1")

    out = bytearray(b"%PDF-1.4\n")
    offsets: list[int] = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def scanned_pdf() -> bytes:
    """Two pages of ink and no text layer, like a scan that was never OCR'd."""
    return build_pdf([Page(drawing_only=True), Page(drawing_only=True)])


def continued_table_pdf() -> bytes:
    """A cover, then a coded 元 table that runs onto a second page holding only its 合计 row.

    One cell (事业收入 of 行政运行) is printed blank.
    """
    widths = [40, 40, 40, 200, 110, 110, 110]
    header = [
        ["类", "款", "项", "科目名称", "合计", "财政拨款收入", "事业收入"],
    ]
    body = [
        ["204", "", "", "公共安全支出", "300.00", "300.00", "0.00"],
        ["204", "06", "", "司法", "300.00", "300.00", "0.00"],
        ["204", "06", "01", "行政运行", "100.00", "100.00", ""],
        ["204", "06", "04", "基层司法业务", "200.00", "200.00", "0.00"],
    ]
    cover = Page(
        texts=[
            (200, 150, 20, "上海市测试区2031年区级部门预算"),
            (200, 200, 14, "预算主管部门：上海市测试区样本局"),
        ]
    )
    first = Page(
        texts=[
            (300, 40, 14, "2031年部门收入预算总表"),
            (60, 70, 9, "编制部门：上海市测试区样本局"),
            (700, 70, 9, "单位：元"),
        ],
        grids=[(60, 90, widths, 20, header + body)],
    )
    second = Page(grids=[(60, 60, widths, 20, [["合计", "", "", "", "300.00", "300.00", "0.00"]])])
    return build_pdf([cover, first, second])
