"""Layouts beyond the Putuo template, on generated PDFs: each reader crash found on real files keeps a test
here."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pdf_factory import (
    past_bottom_pdf,
    request_form_pdf,
    spacer_column_pdf,
    unruled_tables_pdf,
    wrapped_cover_pdf,
)

from ingest.model import IngestError
from ingest.readers.identity import official_name, region_of
from ingest.readers.pdf import read_pdf


def _facts(parsed, table: str) -> dict[tuple[str, str], Decimal | None]:
    return {(f.label, f.column): f.value for f in parsed.facts
            if f.table_id == table and not f.from_narrative}


def test_regression_spacer_column_in_wide_table_no_index_error(tmp_path: Path) -> None:
    """Crash 1 (IndexError in the wide-table transposition): a ruled column with no header text."""
    parsed = read_pdf(tmp_path / "spacer.pdf", spacer_column_pdf())
    facts = _facts(parsed, "01")
    assert facts[("公务接待费", "预算数")] == Decimal("6.00")
    assert facts[("合计", "预算数")] == Decimal("10.00")
    assert parsed.tables[0].unit == "万元" and parsed.tables[0].unit_source == "caption"


def test_regression_table_past_page_bottom_no_negative_crop(tmp_path: Path) -> None:
    """Crash 2 (ValueError from a negative-height crop): a table running past the page bottom."""
    parsed = read_pdf(tmp_path / "past-bottom.pdf", past_bottom_pdf())
    values = [f.value for f in parsed.facts if f.table_id and f.label == "项目1"]
    assert Decimal("1.00") in values
    assert parsed.document.department == "上海市测试区样本局"


def test_unruled_tables_only_file_identity_units_numbers_and_codes(tmp_path: Path) -> None:
    parsed = read_pdf(tmp_path / "x-2031-department-budget-tables.pdf", unruled_tables_pdf())
    d = parsed.document
    assert (d.department, d.region, d.year, d.kind, d.level) == (
        "中共江苏省委测试办公厅", "江苏省", 2031, "部门预算", "department")
    assert [t.table_id for t in parsed.tables] == ["05", "06"]
    assert all(t.unit == "万元" for t in parsed.tables)
    facts = {(f.code, f.label): f.value for f in parsed.facts if f.table_id == "05"}
    assert facts[("2013101", "行政运行")] == Decimal("1000.00")
    assert facts[("2013102", "一般行政管理事务")] == Decimal("234.50")
    assert _facts(parsed, "06")[("行政运行", "金额")] == Decimal("880.00")
    assert parsed.report["coverage_pct"] == 100.0
    assert not any(f.value == Decimal("3") for f in parsed.facts)  # the page number is not a figure


def test_narrative_and_tables_files_of_one_disclosure_share_identity(tmp_path: Path) -> None:
    narrative = read_pdf(tmp_path / "a.pdf", unruled_tables_pdf(with_cover=True)).document
    tables = read_pdf(tmp_path / "b.pdf", unruled_tables_pdf()).document
    key = ("department", "year", "kind", "level", "region")
    assert [getattr(narrative, k) for k in key] == [getattr(tables, k) for k in key]


def test_wrapped_cover_name_and_page_number_not_glued(tmp_path: Path) -> None:
    parsed = read_pdf(tmp_path / "wrapped.pdf", wrapped_cover_pdf())
    d = parsed.document
    assert (d.department, d.region, d.year, d.kind) == ("上海市普陀区规划和自然资源局", "上海市普陀区", 2031, "部门决算")
    text = " ".join(p.text for p in parsed.passages)
    assert "403.75万元" in text and "403.7524" not in text


def test_information_request_form_is_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="not a budget disclosure: an information-request form"):
        read_pdf(tmp_path / "2031年测试局部门预算.pdf", request_form_pdf())


@pytest.mark.parametrize("printed, official", [
    ("中国共产党江苏省委员会办公厅", "中共江苏省委办公厅"),
    ("江苏省委办公厅", "中共江苏省委办公厅"),
    ("中共江苏省委办公厅", "中共江苏省委办公厅"),
    ("江苏省高级人民法院", "江苏省高级人民法院"),
])
def test_party_office_names_have_one_spelling(printed: str, official: str) -> None:
    assert official_name(printed) == official


@pytest.mark.parametrize("department, region", [
    ("上海市普陀区司法局", "上海市普陀区"), ("江苏省高级人民法院", "江苏省"), ("杭州市气象局", "杭州市"),
    ("吉林省安图县社会保险事业管理局", "吉林省安图县"), ("中共广州市委宣传部", "广州市"),
    ("广州市城市管理和综合执法局", "广州市"),
])
def test_region_is_the_place(department: str, region: str) -> None:
    assert region_of(department) == region


def test_narrative_bracketed_note_and_count_words() -> None:
    from ingest.model import Document, Passage
    from ingest.narrative import narrative_facts

    doc = Document(id="d", source_key="x.pdf", path="x.pdf", sha256="x", title="t", department="上海市测试区样本局",
                   region="上海市测试区", year=2031, kind="部门预算", level="department")
    texts = ["2031年本部门政府采购金额（以合同签订为准）为251.25万元。",
             "2030年共组织会议3批次，培训120人次，车辆2辆，购置设备5台(套)。"]
    facts = narrative_facts([Passage(str(i), "d", "s", t) for i, t in enumerate(texts)], doc)
    got = {(f.label, f.unit): f.value for f in facts}
    assert got[("政府采购", "万元")] == Decimal("251.25")  # 政府采购金额 is the 政府采购 item
    assert got[("组织会议", "批次")] == 3 and got[("培训", "人次")] == 120
    assert got[("车辆", "辆")] == 2 and got[("购置设备", "台/套")] == 5


def test_unit_caption_wrapped_before_its_last_character(tmp_path: Path) -> None:
    from pdf_factory import split_unit_pdf

    parsed = read_pdf(tmp_path / "split-unit.pdf", split_unit_pdf())
    [table] = parsed.tables
    assert (table.table_id, table.unit, table.unit_source) == ("09", "万元", "caption")
    assert _facts(parsed, "09")[("行政运行", "金额")] == Decimal("12.50")


@pytest.mark.parametrize("lines, expected", [
    (["中共上海市普陀区委", "宣传部", "2024年度部门决算"], ("中共上海市普陀区委宣传部", 2024, "部门决算")),
    (["2026年", "广州市人民政府国有资产监督管理委员会部", "门预算"],
     ("广州市人民政府国有资产监督管理委员会", 2026, "部门预算")),
    (["杭州市交通运输局", "年度部门预算", "2026"], ("杭州市交通运输局", 2026, "部门预算")),
    (["2026 年度", "福州市公安局治安管理", "支队", "单位预算"], ("福州市公安局治安管理支队", 2026, "单位预算")),
    (["江苏省2018年度", "省级部门预算公开报表", "部 门:中共江苏省委办公厅"], ("", 2018, "部门预算")),
])
def test_cover_lines_joined_before_reading_identity(lines: list[str], expected: tuple) -> None:
    from ingest.readers.identity import cover_identity

    assert cover_identity(lines) == expected


@pytest.mark.parametrize("stem, department", [
    ("005_广州__信访局_2026年部门预算", "广州市信访局"),
    ("005_广州__2026年广州市测试局部门预算", "广州市测试局"),
    ("putuo-justice-bureau-2026-department-budget", ""),
])
def test_department_from_the_file_name_only_as_a_last_resort(stem: str, department: str) -> None:
    from ingest.readers.identity import department_from_file_name, read_identity

    assert department_from_file_name(stem) == department
    ident = read_identity(Path(stem + ".pdf"), ["2026年部门预算"], ["2026年部门预算", "收支预算总表"])
    assert ident.department == department and ident.year == 2026
    assert any("file name" in w if department else "department not found" in w for w in ident.warnings)


def test_unruled_table_continued_at_the_top_of_the_next_page(tmp_path: Path) -> None:
    from pdf_factory import unruled_continued_pdf

    parsed = read_pdf(tmp_path / "continued.pdf", unruled_continued_pdf())
    assert [t.title for t in parsed.tables] == ["2031年一般公共预算基本支出预算表", "2031年一般公共预算机关运行经费支出预算表"]
    first = {f.label: (f.value, f.page) for f in parsed.facts if f.table_id == "01"}
    assert first["奖金"] == (Decimal("60.00"), 2) and first["绩效工资"] == (Decimal("40.00"), 2)
    assert first["基本工资"] == (Decimal("120.00"), 1)
    second = {f.label: f.value for f in parsed.facts if f.table_id == "02"}
    assert second == {"商品和服务支出": Decimal("55.00"), "办公费": Decimal("55.00")}
    assert parsed.report["coverage_pct"] == 100.0


def test_leading_text_column_labels_rows_whose_other_labels_are_blank() -> None:
    from ingest.flatten import flatten
    from ingest.grid import GridRow, TableGrid
    from ingest.model import Document

    doc = Document(id="d", source_key="x.pdf", path="x.pdf", sha256="x", title="t", department="无锡市测试局",
                   region="无锡市", year=2031, kind="部门预算", level="department")
    header = [["采购品目大类", "专项名称", "采购品目名称", "总计"]]
    body = [GridRow(cells=c, page=1, text=" ".join(x for x in c if x)) for c in (
        ["合计", "", "", "14.00"], ["无锡市测试学校", "", "", "14.00"], ["", "教学设备更新", "教学仪器", "14.00"])]
    grid = TableGrid(table_id="13", title="政府采购支出表", unit="万元", unit_source="caption", header=header,
                     body=body, page=1, note="")
    got = {(f.row_label, f.column): f.value for f in flatten(grid, doc)}
    assert got == {("合计", "总计"): Decimal("14.00"), ("无锡市测试学校", "总计"): Decimal("14.00"),
                   ("教学仪器", "总计"): Decimal("14.00")}
