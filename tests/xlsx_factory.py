"""Builds realistic disclosure workbooks (.xlsx) for the Excel reader's tests.

Tables 01 and 04 carry the seed's own figures, read from the seed text file so
the values are real; the others mirror common layouts: 类/款/项 codes in
separate columns under a merged 科目编码 header (in 元), a single code column,
an empty 三公 table with its note, a note-only empty sheet, a cover and a
narrative sheet. Bad inputs (encrypted, legacy .xls) are real OLE compound files.
"""

from __future__ import annotations

import struct
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "antu-social-insurance-2026-department-budget.txt"
DEPARTMENT = "安图县社会保险事业管理局"
MONEY = "#,##0.00"

# 一般公共预算拨款支出预算表 in 元: (类, 款, 项, name, 合计, 基本支出, 项目支出); class totals match the
# seed (社会保障和就业 1051.38, 卫生健康 31.51, 住房保障 48.66 万元; 项目支出 500 万元).
CODED_ROWS: list[tuple[str, str, object, str, str, str | None, str | None]] = [
    ("208", "", "", "社会保障和就业支出", "10,513,800.00", "5,513,800.00", "5,000,000.00"),
    ("208", "01", "", "人力资源和社会保障管理事务", "9,603,240.00", "4,603,240.00", "5,000,000.00"),
    ("208", "01", "09", "社会保险经办机构", "9,603,240.00", "4,603,240.00", "5,000,000.00"),
    ("208", "05", "", "行政事业单位养老支出", "910,560.00", "910,560.00", None),
    ("208", "05", "05", "机关事业单位基本养老保险缴费支出", "650,400.00", "650,400.00", None),
    ("208", "05", "06", "机关事业单位职业年金缴费支出", "260,160.00", "260,160.00", None),
    ("210", "", "", "卫生健康支出", "315,100.00", "315,100.00", None),
    ("210", "11", "", "行政事业单位医疗", "315,100.00", "315,100.00", None),
    ("210", "11", 1, "行政单位医疗", "315,100.00", "315,100.00", None),  # 项 stored as the number 1, format "00"
    ("221", "", "", "住房保障支出", "486,600.00", "486,600.00", None),
    ("221", "02", "", "住房改革支出", "486,600.00", "486,600.00", None),
    ("", "", "01", "住房公积金", "486,600.00", "486,600.00", None),  # 类/款 left for the row above to give
]


def seed_text(seed: Path = SEED) -> str:
    return seed.read_text(encoding="utf-8")


def seed_table(marker: str, seed: Path = SEED, width: int = 8) -> list[list[str]]:
    """Body rows of a seed table: after its "项 目" header, up to the dashes or the next non-table line."""
    lines = seed_text(seed).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(marker))
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("项 目"))
    rows: list[list[str]] = []
    for i in range(header + 1, len(lines)):
        line = lines[i]
        if line.startswith("---"):
            break
        if not line.strip():
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if "\t" not in nxt:
                break
            continue
        cells = [c.strip() for c in line.split("\t")][:width]
        rows.append(cells + [""] * (width - len(cells)))
    return rows


def seed_cover(seed: Path = SEED) -> list[str]:
    return [line.strip() for line in seed_text(seed).splitlines()[:12] if line.strip()][:4]


def seed_narrative(seed: Path = SEED) -> list[str]:
    """The seed's 第三部分 情况说明 as printed after the tables (not the contents entry)."""
    lines = [line.strip() for line in seed_text(seed).splitlines()]
    starts = [i for i, line in enumerate(lines) if line.startswith("第三部分")]
    start = starts[-1]
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("第四部分"))
    return [line for line in lines[start:end] if line]


def _put(ws: Worksheet, row: int, col: int, value: object, fmt: str | None = None) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    if fmt:
        cell.number_format = fmt


def _title(ws: Worksheet, title: str, width: int) -> None:
    _put(ws, 1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def _side_halves(ws: Worksheet, row: int) -> None:
    _put(ws, row, 1, "收 入")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    _put(ws, row, 5, "支 出")
    ws.merge_cells(start_row=row, start_column=5, end_row=row, end_column=8)


def _sheet_01(ws: Worksheet, seed: Path) -> None:
    """收支预算总表 (01): as in the seed, no 单位 caption; figures stored as numbers."""
    _title(ws, "收支预算总表 (01)", 8)
    _put(ws, 2, 1, f"预算单位：{DEPARTMENT}")
    ws.merge_cells("A2:H2")
    _side_halves(ws, 3)
    for c, text in enumerate(["项 目", "本年预算", "编制预算", "上年结转"] * 2, start=1):
        _put(ws, 4, c, text)
    for r, cells in enumerate(seed_table("收支预算总表 (01)", seed), start=5):
        for c, text in enumerate(cells, start=1):
            if text:
                _put(ws, r, c, Decimal(text) if c not in (1, 5) else text, MONEY if c not in (1, 5) else None)


def _sheet_04(ws: Worksheet, seed: Path) -> None:
    """财政拨款收支预算总表(04): three header rows (项目 and 本年预算 merged down, 其中 over two
    columns); figures stored as text with thousands separators."""
    _title(ws, "财政拨款收支预算总表(04)", 8)
    _put(ws, 2, 1, f"预算单位：{DEPARTMENT}")
    ws.merge_cells("A2:F2")
    _put(ws, 2, 8, "单位：万元")
    _side_halves(ws, 3)
    for first in (1, 5):
        _put(ws, 4, first, "项 目")
        ws.merge_cells(start_row=4, start_column=first, end_row=5, end_column=first)
        _put(ws, 4, first + 1, "本年预算")
        ws.merge_cells(start_row=4, start_column=first + 1, end_row=5, end_column=first + 1)
        _put(ws, 4, first + 2, "其中")
        ws.merge_cells(start_row=4, start_column=first + 2, end_row=4, end_column=first + 3)
        _put(ws, 5, first + 2, "编制预算")
        _put(ws, 5, first + 3, "上年结转")
    for r, cells in enumerate(seed_table("财政拨款收支预算总表(04)", seed), start=6):
        for c, text in enumerate(cells, start=1):
            if text:
                _put(ws, r, c, text if c in (1, 5) else f"{Decimal(text):,.2f}")


def _sheet_05(ws: Worksheet) -> None:
    """一般公共预算拨款支出预算表 in 元: 科目编码 merged over 类|款|项; title without a number."""
    _title(ws, "一般公共预算拨款支出预算表", 7)
    _put(ws, 2, 1, f"编制部门：{DEPARTMENT}")
    ws.merge_cells("A2:E2")
    _put(ws, 2, 7, "单位：元")
    _put(ws, 3, 1, "科目编码")
    ws.merge_cells("A3:C3")
    for c, text in [(4, "科目名称"), (5, "合计"), (6, "基本支出"), (7, "项目支出")]:
        _put(ws, 3, c, text)
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    for c, text in enumerate(["类", "款", "项"], start=1):
        _put(ws, 4, c, text)
    _put(ws, 5, 1, "合计")
    ws.merge_cells("A5:D5")
    for c, text in [(5, "11,315,500.00"), (6, "6,315,500.00"), (7, "5,000,000.00")]:
        _put(ws, 5, c, text)
    for r, row in enumerate(CODED_ROWS, start=6):
        for c, value in enumerate(row, start=1):
            if value not in ("", None):
                _put(ws, r, c, value, "00" if isinstance(value, int) else None)


def _sheet_06(ws: Worksheet) -> None:
    """表六 一般公共预算基本支出预算表: one code column, codes and figures stored as numbers."""
    _title(ws, "表六 一般公共预算基本支出预算表", 5)
    _put(ws, 2, 1, f"预算单位：{DEPARTMENT}        单位：万元")
    ws.merge_cells("A2:E2")
    for c, text in enumerate(["科目编码", "科目名称", "合计", "人员经费", "公用经费"], start=1):
        _put(ws, 3, c, text)
    _put(ws, 4, 1, "合计")
    ws.merge_cells("A4:B4")
    rows: list[list[object]] = [
        ["", "", Decimal("631.55"), Decimal("555.95"), Decimal("75.60")],
        [301, "工资福利支出", Decimal("555.95"), Decimal("555.95"), None],
        [302, "商品和服务支出", 75.6, None, 75.6],  # floats, shown by the "0.00" format
    ]
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            if value not in ("", None):
                _put(ws, r, c, value, "0.00" if c >= 3 else None)


def _sheet_07(ws: Worksheet, seed: Path) -> None:
    """一般公共预算“三公”经费支出预算表(07): the seed's rows, all blank, and the empty-table note."""
    _title(ws, "一般公共预算“三公”经费支出预算表(07)", 2)
    _put(ws, 2, 1, f"预算单位：{DEPARTMENT}")
    _put(ws, 3, 2, "单位：万元")
    _put(ws, 4, 1, "项 目")
    _put(ws, 4, 2, "2026 年预算数")
    rows = seed_table("一般公共预算“三公”经费支出预算表(07)", seed, width=2)
    for r, cells in enumerate(rows, start=5):
        _put(ws, r, 1, cells[0])
    note_row = 5 + len(rows)
    _put(ws, note_row, 1, "本部门无一般公共预算“三公”经费拨款，故本表为空表。")
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=2)


def _sheet_08(ws: Worksheet) -> None:
    """政府性基金预算拨款支出预算表（08）: only the title, captions and the note."""
    _title(ws, "政府性基金预算拨款支出预算表（08）", 6)
    _put(ws, 2, 1, f"预算单位：{DEPARTMENT}")
    _put(ws, 2, 6, "单位：万元")
    _put(ws, 4, 1, "本部门无政府性基金预算拨款，故本表为空表。")
    ws.merge_cells("A4:F4")


def build_budget_workbook(path: Path, seed: Path = SEED) -> Path:
    """The seed department's 2026 budget as an Excel attachment, one table per sheet."""
    wb = Workbook()
    cover = wb.active
    cover.title = "封面"
    for r, line in enumerate(seed_cover(seed), start=2):
        _put(cover, r * 2, 1, line)
        cover.merge_cells(start_row=r * 2, start_column=1, end_row=r * 2, end_column=6)
    _sheet_01(wb.create_sheet("表1"), seed)
    _sheet_04(wb.create_sheet("表4"), seed)
    _sheet_05(wb.create_sheet("表5"))
    _sheet_06(wb.create_sheet("表6"))
    _sheet_07(wb.create_sheet("表7"), seed)
    _sheet_08(wb.create_sheet("表8"))
    narrative = wb.create_sheet("情况说明")
    for r, line in enumerate(seed_narrative(seed), start=1):
        _put(narrative, r, 1, line)
    hidden = wb.create_sheet("数据源")
    _put(hidden, 1, 1, "项目")
    _put(hidden, 1, 2, 999)
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def build_variant_workbook(path: Path) -> Path:
    """Other common layouts: 收入项目|预算数|支出项目|预算数 without a side row (in 元, caption
    "编制单位"), and 支出功能分类科目 merged over 科目编码|科目名称 (in 万元). No cover: year and kind
    come from the titles and the file name."""
    wb = Workbook()
    ws = wb.active
    ws.title = "表一"
    ws.append(["表一 单位收支总表"])
    ws.merge_cells("A1:D1")
    ws.append(["编制单位：上海市普陀区司法局", None, None, "单位：元"])
    ws.append(["收入项目", "预算数", "支出项目", "预算数"])
    ws.append(["一般公共预算资金", "12,345,678.90", "公共安全支出", "12,000,000.00"])
    ws.append([None, None, "住房保障支出", "345,678.90"])
    ws.append(["收入总计", "12,345,678.90", "支出总计", "12,345,678.90"])
    ws2 = wb.create_sheet("表二")
    ws2.append(["2026年单位支出总表"])
    ws2.append(["单位：万元"])
    ws2.append(["支出功能分类科目", None, None, "合计", "基本支出"])
    ws2.append(["科目编码", None, "科目名称"])
    ws2.append(["2040101", None, "行政运行", 1200, 1200])
    for merged in ("A3:C3", "D3:D4", "E3:E4", "A4:B4", "A5:B5"):
        ws2.merge_cells(merged)
    wb.save(path)
    return path


def build_cover_only_workbook(path: Path, seed: Path = SEED) -> Path:
    """A workbook with a cover and nothing else: no table to read."""
    wb = Workbook()
    ws = wb.active
    ws.title = "封面"
    for r, line in enumerate(seed_cover(seed), start=1):
        _put(ws, r, 1, line)
    wb.save(path)
    return path


# ---------------------------------------------------------------- OLE compound files

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name: str, kind: int, start: int, size: int, left: int = _NOSTREAM,
               right: int = _NOSTREAM, child: int = _NOSTREAM) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1 if name else 0)
            + struct.pack("<III", left, right, child) + b"\x00" * 16 + struct.pack("<I", 0) + b"\x00" * 16
            + struct.pack("<IQ", start, size))


def compound_file(streams: list[tuple[str, bytes]]) -> bytes:
    """A minimal version-3 OLE compound file (the container of .xls and encrypted .xlsx files).

    Streams are padded to 4096 bytes so they live in regular sectors (no mini stream);
    they are chained as right siblings (names must be given shortest first).
    """
    payloads = [data.ljust(max(4096, -(-len(data) // 512) * 512), b"\x00") for _, data in streams]
    fat = [_FATSECT, _END]
    starts = []
    for payload in payloads:
        n = len(payload) // 512
        first = len(fat)
        starts.append(first)
        fat.extend(list(range(first + 1, first + n)) + [_END])
    assert len(fat) <= 128 and len(streams) <= 3
    entries = [_dir_entry("Root Entry", 5, _END, 0, child=1)]
    for k, ((name, _), payload, start) in enumerate(zip(streams, payloads, starts, strict=True), start=1):
        right = k + 1 if k < len(streams) else _NOSTREAM
        entries.append(_dir_entry(name, 2, start, len(payload), right=right))
    while len(entries) < 4:
        entries.append(_dir_entry("", 0, 0, 0))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<109I", 0, *([_FREE] * 108)))
    fat_sector = struct.pack(f"<{128}I", *(fat + [_FREE] * (128 - len(fat))))
    return header + fat_sector + b"".join(entries) + b"".join(payloads)


def encrypted_xlsx_bytes() -> bytes:
    """What Excel writes for a password-protected .xlsx: EncryptionInfo + EncryptedPackage streams."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<?xml version=\"1.0\"?><encryption/>"
    return compound_file([("EncryptionInfo", info),
                          ("EncryptedPackage", struct.pack("<Q", 1234) + bytes(1234))])


def legacy_xls_bytes() -> bytes:
    """An Excel 97-2003 file: a compound file with a Workbook stream."""
    return compound_file([("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00")])
