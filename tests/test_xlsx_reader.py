"""The Excel reader on workbooks generated from the seed (tests/xlsx_factory.py)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import xlsx_factory as factory

from ingest.model import Fact, IngestError, ParsedDocument
from ingest.readers.xlsx import number_text, read_xlsx

NAME = "antu-social-insurance-2026-department-budget.xlsx"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return factory.build_budget_workbook(tmp_path_factory.mktemp("xlsx") / NAME)


@pytest.fixture(scope="module")
def parsed(workbook: Path) -> ParsedDocument:
    return read_xlsx(workbook, workbook.read_bytes())


def cell(parsed: ParsedDocument, table: str, label: str, column: str, side: str = "") -> Fact:
    """The one table fact at (table, side, normalised label or code, column)."""
    found = [
        f for f in parsed.facts
        if not f.from_narrative and f.table_id == table and f.side == side and f.column == column
        and label in (f.label, f.code)
    ]
    assert len(found) == 1, [(f.label, f.column, f.side) for f in found]
    return found[0]


def test_document_identity(parsed: ParsedDocument, workbook: Path) -> None:
    data = workbook.read_bytes()
    doc = parsed.document
    assert doc.id == hashlib.sha256(data).hexdigest()[:16]
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.source_key == NAME
    assert doc.department == "安图县社会保险事业管理局"
    assert doc.region == "安图县"
    assert (doc.year, doc.kind, doc.level) == (2026, "部门预算", "department")
    assert doc.default_unit == "万元"
    assert doc.date == "2026-04-24"


def test_one_table_record_per_table_sheet(parsed: ParsedDocument) -> None:
    got = [(t.table_id, t.title, t.unit, t.status) for t in parsed.tables]
    assert got == [
        ("01", "收支预算总表", "万元", "present"),
        ("04", "财政拨款收支预算总表", "万元", "present"),
        ("05", "一般公共预算拨款支出预算表", "元", "present"),
        ("06", "一般公共预算基本支出预算表", "万元", "present"),
        ("07", "一般公共预算“三公”经费支出预算表", "万元", "empty"),
        ("08", "政府性基金预算拨款支出预算表", "万元", "empty"),
    ]
    by_id = {t.table_id: t for t in parsed.tables}
    assert by_id["01"].unit_source.startswith("default:")  # as in the seed, table 01 has no 单位 caption
    assert all(by_id[t].unit_source == "caption" for t in ("04", "05", "06", "07", "08"))
    assert by_id["05"].note == "工作表：表5"
    assert by_id["07"].note == "工作表：表7；本部门无一般公共预算“三公”经费拨款，故本表为空表。"
    assert by_id["01"].n_facts == sum(1 for f in parsed.facts if f.table_id == "01")
    assert any("table 01" in w and "default" in w for w in parsed.warnings)
    assert "sheet 数据源: hidden, skipped" in parsed.warnings


@pytest.mark.parametrize(
    ("side", "label", "column", "value"),
    [
        ("收入", "财政拨款收入", "本年预算", Decimal("1131.55")),
        ("收入", "一般公共预算拨款收入", "编制预算", Decimal("1131.55")),
        ("收入", "政府性基金预算拨款收入", "上年结转", Decimal("0.00")),
        ("支出", "社会保障和就业支出", "本年预算", Decimal("1051.38")),
        ("支出", "卫生健康支出", "编制预算", Decimal("31.51")),
        ("支出", "住房保障支出", "本年预算", Decimal("48.66")),
        ("支出", "结转下年支出", "上年结转", None),  # blank in the seed: stays None, not 0
        ("支出", "支出总计", "本年预算", Decimal("1131.55")),
    ],
)
def test_table_01_side_by_side(parsed: ParsedDocument, side: str, label: str, column: str,
                               value: Decimal | None) -> None:
    fact = cell(parsed, "01", label, column, side)
    assert fact.value == value
    assert fact.unit == "万元"
    if value is not None:
        assert str(fact.value) == str(value)  # the printed precision is kept ("0.00", not "0")


def test_table_01_rows_cite_excel_rows(parsed: ParsedDocument) -> None:
    fact = cell(parsed, "01", "社会保障和就业支出", "本年预算", "支出")
    assert (fact.page, fact.line) == (None, 12)
    assert fact.source_text == "事业单位经营收入 0.00 0.00 0.00 八、社会保障和就业支出 1051.38 1051.38 0.00"
    assert cell(parsed, "01", "收入总计", "本年预算", "收入").is_total
    # rows printed only on the 支出 half give no 收入 fact
    assert not [f for f in parsed.facts if f.table_id == "01" and f.side == "收入" and f.line == 20]


def test_table_04_three_header_rows(parsed: ParsedDocument) -> None:
    columns = {f.column for f in parsed.facts if f.table_id == "04"}
    assert columns == {"本年预算", "其中 / 编制预算", "其中 / 上年结转"}
    assert cell(parsed, "04", "一般公共预算拨款", "本年预算", "收入").value == Decimal("1131.55")  # text "1,131.55"
    assert cell(parsed, "04", "社会保障和就业支出", "其中 / 编制预算", "支出").value == Decimal("1051.38")
    assert cell(parsed, "04", "社会保障和就业支出", "其中 / 上年结转", "支出").value is None
    assert cell(parsed, "04", "本年支出", "其中 / 上年结转", "支出").value == Decimal("0.00")


@pytest.mark.parametrize(
    ("code", "label", "column", "value"),
    [
        ("208", "社会保障和就业支出", "合计", Decimal("10513800.00")),
        ("20801", "人力资源和社会保障管理事务", "项目支出", Decimal("5000000.00")),
        ("2080505", "机关事业单位基本养老保险缴费支出", "基本支出", Decimal("650400.00")),
        ("2080505", "机关事业单位基本养老保险缴费支出", "项目支出", None),
        ("2080506", "机关事业单位职业年金缴费支出", "合计", Decimal("260160.00")),
        ("2101101", "行政单位医疗", "合计", Decimal("315100.00")),  # 项 stored as the number 1 in format "00"
        ("2210201", "住房公积金", "合计", Decimal("486600.00")),  # 类/款 inherited from the row above
        ("2210201", "住房公积金", "基本支出", Decimal("486600.00")),
    ],
)
def test_table_05_codes_in_separate_columns(parsed: ParsedDocument, code: str, label: str, column: str,
                                            value: Decimal | None) -> None:
    fact = cell(parsed, "05", code, column)
    assert (fact.code, fact.label, fact.value, fact.unit) == (code, label, value, "元")


def test_table_05_total_row_across_merged_code_cells(parsed: ParsedDocument) -> None:
    total = cell(parsed, "05", "合计", "合计")
    assert (total.code, total.is_total, total.value) == (None, True, Decimal("11315500.00"))
    codes = [f.code for f in parsed.facts if f.table_id == "05" and f.column == "合计"]
    assert codes == [None, "208", "20801", "2080109", "20805", "2080505", "2080506", "210", "21011",
                     "2101101", "221", "22102", "2210201"]


def test_table_06_single_code_column(parsed: ParsedDocument) -> None:
    assert cell(parsed, "06", "301", "人员经费").value == Decimal("555.95")
    assert cell(parsed, "06", "301", "公用经费").value is None
    fact = cell(parsed, "06", "302", "公用经费")
    assert (fact.label, str(fact.value), fact.unit) == ("商品和服务支出", "75.60", "万元")  # float 75.6, "0.00"
    assert cell(parsed, "06", "合计", "合计").value == Decimal("631.55")


def test_empty_tables(parsed: ParsedDocument) -> None:
    sangong = [f for f in parsed.facts if f.table_id == "07"]
    assert [f.label for f in sangong] == ["合计", "因公出国（境）费用", "公务接待费", "公务用车费",
                                          "公务用车运行维护费", "公务用车购置"]
    assert all(f.value is None and f.column == "2026年预算数" for f in sangong)
    assert not [f for f in parsed.facts if f.table_id == "08"]


def test_narrative_sheet_passages(parsed: ParsedDocument) -> None:
    lines = factory.seed_narrative()
    assert len(parsed.passages) == 21
    assert len({p.id for p in parsed.passages}) == 21
    spending = [p for p in parsed.passages if p.section == "第三部分 情况说明 > 三、2026 年支出预算情况"]
    assert len(spending) == 1
    assert spending[0].text.startswith("2026 年支出预算 1131.55 万元，其中：基本支出 631.55 万元")
    assert lines[spending[0].line - 1] == spending[0].text  # line = the Excel row


def test_narrative_figures_become_facts(parsed: ParsedDocument) -> None:
    pytest.importorskip("ingest.narrative")
    figures = {(f.label, f.value, f.unit) for f in parsed.facts if f.from_narrative and f.line == 7}
    assert ("基本支出", Decimal("631.55"), "万元") in figures


def test_fact_ids_unique(parsed: ParsedDocument) -> None:
    ids = [f.id for f in parsed.facts]
    assert len(ids) == len(set(ids))


def test_same_bytes_same_document(workbook: Path, tmp_path: Path) -> None:
    copy = tmp_path / "renamed.xlsx"
    copy.write_bytes(workbook.read_bytes())
    again = read_xlsx(copy, copy.read_bytes())
    assert again.document.id == read_xlsx(workbook, workbook.read_bytes()).document.id
    assert again.document.source_key == "renamed.xlsx"


def test_dispatcher_reads_xlsx(workbook: Path) -> None:
    from ingest.readers import read_file

    assert [t.table_id for t in read_file(workbook).tables] == ["01", "04", "05", "06", "07", "08"]


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (0.1 + 0.2, "0.00", "0.30"),
        (0.1 + 0.2, "General", "0.3"),
        (1131.55, "General", "1131.55"),
        (1131.5, "#,##0.00", "1131.50"),
        (1131.5, '#,##0.00_);[Red]\\(#,##0.00\\)', "1131.50"),
        (2.675, "0.00", "2.68"),
        (500, "0.00", "500.00"),
        (500, "General", "500"),
        (1, "00", "01"),
        (0.5581, "0.00%", "55.81%"),
        (Decimal("11315500.00"), "#,##0", "11315500"),
        (-32.12, "0.00", "-32.12"),
    ],
)
def test_number_text(value: object, fmt: str, text: str) -> None:
    assert number_text(value, fmt) == text


def _zip_without_workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda wb: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not an Excel .xlsx workbook (not a zip archive)"),
        (lambda wb: b"", "the file is empty"),
        (lambda wb: _zip_without_workbook(), "a zip archive but not an Excel workbook"),
        (lambda wb: factory.encrypted_xlsx_bytes(), "the workbook is password-protected"),
        (lambda wb: factory.legacy_xls_bytes(), "legacy Excel 97-2003 (.xls) file"),
        (lambda wb: wb.read_bytes()[: len(wb.read_bytes()) // 2], "not an Excel .xlsx workbook"),
    ],
)
def test_bad_input(workbook: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IngestError) as err:
        read_xlsx(Path("upload.xlsx"), make(workbook))
    assert str(err.value).startswith("upload.xlsx: ")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_workbook_without_a_table(tmp_path: Path) -> None:
    path = factory.build_cover_only_workbook(tmp_path / "cover.xlsx")
    with pytest.raises(IngestError, match="no sheet holds a budget table"):
        read_xlsx(path, path.read_bytes())


def test_variant_layouts(tmp_path: Path) -> None:
    path = factory.build_variant_workbook(tmp_path / "putuo-justice-bureau-2026-unit-budget.xlsx")
    parsed = read_xlsx(path, path.read_bytes())
    doc = parsed.document
    assert (doc.department, doc.year, doc.kind, doc.level) == ("上海市普陀区司法局", 2026, "单位预算", "unit")
    assert doc.title == "上海市普陀区司法局 2026年单位预算"
    assert [(t.table_id, t.title, t.unit) for t in parsed.tables] == [
        ("01", "单位收支总表", "元"), ("02", "2026年单位支出总表", "万元")]
    assert cell(parsed, "01", "一般公共预算资金", "预算数", "收入").value == Decimal("12345678.90")
    assert cell(parsed, "01", "住房保障支出", "预算数", "支出").value == Decimal("345678.90")
    assert not [f for f in parsed.facts if f.table_id == "01" and f.side == "收入" and f.line == 5]
    fact = cell(parsed, "02", "2040101", "基本支出", "支出")
    assert (fact.label, fact.value, fact.unit) == ("行政运行", Decimal("1200"), "万元")
