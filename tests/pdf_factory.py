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


def spacer_column_pdf() -> bytes:
    """A one-row 三公 table whose first ruled column has no header and no figure (a spacer).

    Reproduces the IndexError the wide-table transposition raised on Jiangsu high-court files.
    """
    cover = Page(texts=[(200, 150, 20, "江苏省测试厅2031年度部门预算")])
    page = Page(
        texts=[
            (200, 40, 14, "2031年一般公共预算“三公”经费支出预算表"),
            (60, 70, 9, "部门：江苏省测试厅"),
            (700, 70, 9, "单位：万元"),
        ],
        grids=[(60, 90, [20, 120, 160, 120], 24, [["", "合计", "因公出国（境）费", "公务接待费"],
                                                  ["", "10.00", "4.00", "6.00"]])],
    )
    return build_pdf([cover, page])


def past_bottom_pdf() -> bytes:
    """A page whose first table runs past the page bottom with a second one below it.

    Reproduces the ValueError of a negative-height crop between the two tables.
    """
    rows = [["项目", "金额"]] + [[f"项目{i}", f"{i}.00"] for i in range(1, 8)]
    page = Page(
        texts=[
            (200, 380, 14, "2031年部门收入预算总表"),
            (60, 410, 9, "部门：上海市测试区样本局  单位：元"),
        ],
        grids=[(60, 430, [200, 120], 24, rows), (60, 640, [200, 120], 24, rows[:3])],
    )
    cover = Page(texts=[(200, 150, 20, "上海市测试区2031年区级部门预算"),
                        (200, 200, 14, "预算主管部门：上海市测试区样本局")])
    return build_pdf([cover, page])


def unruled_tables_pdf(with_cover: bool = False) -> bytes:
    """Tables-only pages without ruling lines: 公开NN表 numbers, 部门：/单位： page header, 7-digit codes.

    Like the Jiangsu tables-only files: no year and no kind except in the titles.
    """
    def page(no: int, title: str, rows: list[tuple[str, str, str]]) -> Page:
        texts = [(380, 30, 9, f"公开{no:02d}表"), (300, 45, 14, title),
                 (60, 75, 9, "部门：中国共产党江苏省委员会测试办公厅"), (700, 75, 9, "单位：万元"),
                 (60, 100, 9, "功能科目编码"), (200, 100, 9, "功能科目名称"), (600, 100, 9, "金额")]
        for i, (code, name, amount) in enumerate(rows):
            top = 125 + 20 * i
            if code:
                texts.append((60, top, 9, code))
            texts.append((200, top, 9, name))
            if amount:
                texts.append((600, top, 9, amount))
        texts.append((410, 560, 9, "— 3 —"))
        return Page(texts=texts)

    first = page(5, "2031年财政拨款支出预算表", [
        ("", "合计", "1,234.50"), ("201", "一般公共服务支出", "1,234.50"),
        ("20131", "党委办公厅（室）及相关机构事务", "1,234.50"), ("2013101", "行政运行", "1,000.00"),
        ("2013102", "一般行政管理事务", "234.50")])
    second = page(6, "2031年一般公共预算支出预算表", [
        ("", "合计", "880.00"), ("2013101", "行政运行", "880.00")])
    pages = [first, second]
    if with_cover:
        pages.insert(0, Page(texts=[(200, 150, 20, "江苏省委测试办公厅"), (200, 180, 20, "2031年度部门预算")]))
    return build_pdf(pages)


def wrapped_cover_pdf() -> bytes:
    """A final-accounts cover whose department name wraps onto a second line, and a narrative page
    whose last figure sits just above the page number."""
    cover = Page(texts=[(250, 150, 22, "上海市普陀区规划和自然"), (250, 180, 22, "资源局"),
                        (250, 230, 18, "2031年度部门决算")])
    text = Page(texts=[(60, 60, 12, "一、收入支出决算总体情况说明"),
                       (60, 90, 12, "2031年度收入总计1,200.00万元，支出总计1,200.00万元。"),
                       (60, 120, 12, "其中：财政拨款收入1,000.00万元。"),
                       (60, 560, 12, "政府采购金额（以合同签订为准）为403.75万元。"),
                       (420, 566, 10, "24")])
    return build_pdf([cover, text])


def request_form_pdf() -> bytes:
    """One page that is not a budget: an information-request form."""
    return build_pdf([Page(texts=[(250, 60, 16, "济南市测试局政府信息公开申请表"), (60, 120, 10, "姓名"),
                                  (300, 120, 10, "工作单位"), (60, 160, 10, "申请人签名或者盖章"),
                                  (60, 200, 10, "申请时间 年 月 日")])])


def split_unit_pdf() -> bytes:
    """A table whose unit caption wraps: "单 位：万" on one line and "元" on the next (Jiangsu 2019)."""
    cover = Page(texts=[(200, 150, 20, "江苏省测试厅2031年度部门预算")])
    page = Page(
        texts=[(380, 20, 9, "公开 09表"), (250, 40, 14, "2031年一般公共预算支出预算表"),
               (60, 62, 9, "部门名称：江苏省测试厅"), (700, 58, 9, "单 位：万"), (760, 70, 9, "元")],
        grids=[(60, 90, [80, 200, 120], 24, [["功能科目编码", "功能科目名称", "金额"], ["", "合计", "12.50"],
                                              ["2010101", "行政运行", "12.50"]])],
    )
    return build_pdf([cover, page])


def unruled_continued_pdf() -> bytes:
    """An unruled table whose last rows open the next page, above the next table's title."""
    def rows_at(top: float, rows: list[tuple[str, str, str]]) -> list[tuple[float, float, float, str]]:
        out: list[tuple[float, float, float, str]] = []
        for i, (code, name, amount) in enumerate(rows):
            y = top + 20 * i
            out += [(60, y, 9, code), (200, y, 9, name), (600, y, 9, amount)]
        return out

    def head(top: float, title: str) -> list[tuple[float, float, float, str]]:
        return [(300, top, 14, title), (60, top + 30, 9, "部门：江苏省测试厅"), (700, top + 30, 9, "单位：万元"),
                (60, top + 55, 9, "科目编码"), (200, top + 55, 9, "科目名称"), (600, top + 55, 9, "金额")]

    first = Page(texts=head(40, "2031年一般公共预算基本支出预算表") + rows_at(120, [
        ("301", "工资福利支出", "300.00"), ("30101", "基本工资", "120.00"), ("30102", "津贴补贴", "80.00")]))
    second = Page(texts=rows_at(40, [("30103", "奖金", "60.00"), ("30107", "绩效工资", "40.00")])
                  + head(120, "2031年一般公共预算机关运行经费支出预算表")
                  + rows_at(200, [("302", "商品和服务支出", "55.00"), ("30201", "办公费", "55.00")]))
    return build_pdf([first, second])
