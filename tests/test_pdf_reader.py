"""The PDF reader on the three Shanghai Putuo samples and on PDFs generated here."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from pdf_factory import continued_table_pdf, scanned_pdf

from ingest.model import Fact, IngestError, ParsedDocument
from ingest.readers.pdf import read_pdf


@cache
def _read(path: str) -> ParsedDocument:
    p = Path(path)
    return read_pdf(p, p.read_bytes())


@pytest.fixture
def dept(samples) -> ParsedDocument:
    return _read(str(samples["dept"]))


@pytest.fixture
def unit(samples) -> ParsedDocument:
    return _read(str(samples["unit"]))


@pytest.fixture
def final(samples) -> ParsedDocument:
    return _read(str(samples["final"]))


def cell(doc: ParsedDocument, table: str, label: str, column: str, side: str | None = None) -> Fact:
    """The one table fact at (row label, column); fails loudly when there is none or several."""
    hits = [
        f
        for f in doc.facts
        if f.table_id == table
        and f.label == label
        and f.column == column
        and (side is None or f.side == side)
        and not f.from_narrative
    ]
    assert len(hits) == 1, f"{table} {label} {column}: {[(f.row_label, f.column, f.value) for f in hits]}"
    return hits[0]


def rows(doc: ParsedDocument, table: str) -> int:
    return len({f.row_index for f in doc.facts if f.table_id == table})


def test_identity_of_the_three_samples(dept, unit, final, samples):
    d = dept.document
    data = samples["dept"].read_bytes()
    assert d.sha256 == hashlib.sha256(data).hexdigest() and d.id == d.sha256[:16]
    assert (d.source_key, d.department, d.region, d.year, d.kind, d.level) == (
        "putuo-justice-bureau-2026-department-budget.pdf",
        "上海市普陀区司法局",
        "上海市普陀区",
        2026,
        "部门预算",
        "department",
    )
    assert (d.title, d.pages, d.default_unit) == ("上海市普陀区2026年区级部门预算", 23, "元")
    assert "8 of 9" in d.default_unit_note
    u = unit.document
    assert (u.department, u.year, u.kind, u.level, u.pages, u.default_unit) == (
        "上海市普陀区司法局",
        2026,
        "单位预算",
        "unit",
        21,
        "元",
    )
    f = final.document
    assert (f.department, f.region, f.year, f.kind, f.level, f.pages, f.default_unit) == (
        "上海市普陀区财政局",
        "上海市普陀区",
        2024,
        "部门决算",
        "department",
        25,
        "万元",
    )


def test_budget_table_set_units_and_empty_tables(dept, unit):
    for doc in (dept, unit):
        ids = [t.table_id for t in doc.tables]
        assert ids == [f"{i:02d}" for i in range(1, 10)]
        by_id = {t.table_id: t for t in doc.tables}
        assert all(by_id[i].unit == "元" and by_id[i].unit_source == "caption" for i in ids[:8])
        assert by_id["09"].unit == "万元"  # the 三公 table's own caption, not the document default
        assert [by_id[i].status for i in ids] == ["present"] * 5 + ["empty", "empty"] + ["present"] * 2
        assert "故本表为空表" in by_id["06"].note
    assert {t.table_id: t.page for t in dept.tables}["04"] == 14
    assert {t.table_id: t.page for t in unit.tables}["04"] == 13  # caption printed inside the grid


def test_housing_total_in_every_table_that_holds_it(dept):
    expected = Decimal("4521559.00")
    assert cell(dept, "01", "住房保障支出", "预算数", side="支出").value == expected
    f = cell(dept, "01", "住房保障支出", "预算数", side="支出")
    assert f.page == 10 and f.unit == "元" and "四、住房保障支出 4,521,559.00" in f.source_text
    f = cell(dept, "02", "住房保障支出", "合计")
    assert (f.value, f.code, f.page) == (expected, "221", 11)
    f = cell(dept, "03", "住房保障支出", "合计")
    assert (f.value, f.page) == (expected, 13)  # on the continuation page of table 03
    assert cell(dept, "04", "住房保障支出", "合计", side="支出").value == expected
    f = cell(dept, "05", "住房保障支出", "一般公共预算支出 / 合计")
    assert (f.value, f.page) == (expected, 16)


def test_codes_joined_from_category_cells(dept, final):
    f = cell(dept, "02", "住房公积金", "合计")
    assert (f.code, f.value) == ("2210201", Decimal("2087959.00"))
    f = cell(dept, "08", "住房公积金", "一般公共预算基本支出 / 人员经费")
    assert (f.code, f.value) == ("30113", Decimal("2087959.00"))
    f = cell(final, "05", "住房公积金", "合计")
    assert (f.code, f.value, f.unit) == ("2210201", Decimal("187.19"), "万元")


def test_three_public_expenses_in_wan_yuan(dept, unit, final):
    got = {f.label: f.value for f in dept.facts if f.table_id == "09"}
    assert got == {
        "“三公”经费合计": Decimal("10.81"),
        "因公出国（境）费": Decimal("0"),  # labels fold to full-width brackets
        "公务接待费": Decimal("0.83"),
        "公务用车购置及运行费": Decimal("9.98"),
        "购置费": Decimal("0"),
        "运行费": Decimal("9.98"),
        "机关运行经费": Decimal("217.83"),
    }
    assert {f.unit for f in dept.facts if f.table_id == "09"} == {"万元"}
    assert cell(unit, "09", "公务接待费", "预算数").value == Decimal("0.73")
    assert cell(unit, "09", "机关运行经费", "预算数").value == Decimal("184.59")
    f = cell(final, "07", "财政拨款“三公”经费合计", "预算数")
    assert (f.value, f.unit, f.page) == (Decimal("0.95"), "万元", 18)


TOTALS = {
    "dept": [
        ("01", "收入总计", "预算数", "96282213.44"),
        ("01", "支出总计", "预算数", "96282213.44"),
        ("02", "合计", "合计", "96282213.44"),
        ("03", "合计", "合计", "96282213.44"),
        ("04", "收入总计", "预算数", "96282213.44"),
        ("05", "合计", "一般公共预算支出 / 合计", "96282213.44"),
        ("06", "合计", "政府性基金预算支出 / 合计", None),
        ("07", "合计", "国有资本经营预算支出 / 合计", None),
        ("08", "合计", "一般公共预算基本支出 / 合计", "25741666.44"),
        ("09", "“三公”经费合计", "预算数", "10.81"),
    ],
    "final": [
        ("01", "总计", "决算数", "2995.39"),
        ("02", "合计", "本年收入合计", "2946.25"),
        ("03", "合计", "本年支出合计", "2940.05"),
        ("04", "本年收入合计", "决算数", "2940.05"),
        ("05", "合计", "合计", "2940.05"),
        ("06", "人员经费合计", "决算数", "2152.26"),
        ("07", "财政拨款“三公”经费合计", "预算数", "0.95"),
        ("08", "合计", "本年收入", None),
        ("09", "合计", "本年收入", None),
    ],
}


@pytest.mark.parametrize("which", ["dept", "final"])
def test_total_rows_of_every_table(which, dept, final):
    doc = {"dept": dept, "final": final}[which]
    for table, label, column, value in TOTALS[which]:
        hits = [f for f in doc.facts if f.table_id == table and f.label == label and f.column == column]
        assert hits, (table, label, column)
        assert hits[0].is_total
        assert hits[0].value == (Decimal(value) if value else None), (table, label, column)


def test_blank_cells_stay_none_not_zero(final):
    f = cell(final, "03", "一般行政管理事务", "基本支出")
    assert (f.value, f.code, f.page) == (None, "2010602", 10)
    assert cell(final, "06", "奖金", "决算数").value is None
    assert cell(final, "06", "手续费", "决算数").value == Decimal("0.09")  # same row, other side


def test_continued_tables_read_as_one(dept, final):
    assert rows(dept, "03") == 22  # 12 rows on page 12, 9 rows + 合计 on page 13 (no header repeated)
    assert rows(dept, "05") == 22  # header repeated on page 16: not read as body rows
    assert not [f for f in dept.facts if f.table_id == "05" and f.label in ("类", "项目", "功能分类科目名称")]
    assert rows(final, "01") == 29  # page 7 holds only the 结余 and 总计 rows
    assert {f.page for f in final.facts if f.table_id == "01"} == {6, 7}


def _v(doc: ParsedDocument, table: str, label: str, column: str, side: str | None = None) -> Decimal:
    value = cell(doc, table, label, column, side).value
    assert value is not None
    return value


def test_table_identities_budget(dept, unit):
    assert _v(dept, "01", "收入总计", "预算数", "收入") == _v(dept, "01", "支出总计", "预算数", "支出")
    assert _v(dept, "04", "收入总计", "预算数", "收入") == _v(dept, "04", "支出总计", "合计", "支出")
    for t, prefix in (("03", ""), ("05", "一般公共预算支出 / ")):
        assert _v(dept, t, "合计", prefix + "基本支出") + _v(dept, t, "合计", prefix + "项目支出") == _v(
            dept, t, "合计", prefix + "合计"
        )
    people = _v(dept, "08", "合计", "一般公共预算基本支出 / 人员经费")
    office = _v(dept, "08", "合计", "一般公共预算基本支出 / 公用经费")
    assert people + office == _v(dept, "03", "合计", "基本支出") == Decimal("25741666.44")
    people = _v(unit, "08", "合计", "一般公共预算基本支出 / 人员经费")
    office = _v(unit, "08", "合计", "一般公共预算基本支出 / 公用经费")
    assert people + office == Decimal("22118861.34")
    # the unit PDF itself prints 基本支出 合计 as 22,118,861 in table 03: read as printed
    assert _v(unit, "03", "合计", "基本支出") == Decimal("22118861")


def test_table_identities_final_accounts(final):
    assert _v(final, "01", "总计", "决算数", "收入") == _v(final, "01", "总计", "决算数", "支出")
    assert _v(final, "03", "合计", "基本支出") + _v(final, "03", "合计", "项目支出") == _v(
        final, "03", "合计", "本年支出合计"
    )
    assert _v(final, "06", "人员经费合计", "决算数") + _v(final, "06", "公用经费合计", "决算数") == _v(
        final, "05", "合计", "基本支出"
    )


def test_final_accounts_own_table_set(final):
    titles = [t.title for t in final.tables]
    assert titles[0] == "收入支出决算总表" and titles[6] == "财政拨款“三公”经费支出决算表"
    assert len(titles) == 9 and all(t.unit == "万元" for t in final.tables)
    assert [t.status for t in final.tables][7:] == ["empty", "empty"]
    assert "故本表无数据" in final.tables[8].note


def test_narrative_passages(dept, final):
    sections = {p.section for p in dept.passages}
    assert "其他相关情况说明 > 二、机关运行经费预算" in sections
    p = next(p for p in final.passages if p.text.startswith("本年收入合计"))
    # numbers set in another font sit on a lower baseline; they are read back into the sentence
    assert (
        p.text
        == "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.2万元，占0.21%；"
    )
    assert p.page == 21 and p.section.endswith("二、收入决算情况说明")
    wrapped = next(p for p in dept.passages if p.text.startswith("12、住房保障支出"))
    assert "住房公积金（01项）208.8万元。主要用于：行政事业单位为职工缴纳的住房公积金。2025年" in wrapped.text
    assert not dept.warnings and not final.warnings


def test_generated_pdf_continued_table_and_blank_cell(tmp_path):
    data = continued_table_pdf()
    parsed = read_pdf(tmp_path / "sample-2031.pdf", data)
    d = parsed.document
    assert (d.department, d.region, d.year, d.kind, d.pages) == (
        "上海市测试区样本局",
        "上海市测试区",
        2031,
        "部门预算",
        3,
    )
    [table] = parsed.tables
    assert (table.table_id, table.unit, table.page, table.n_facts) == ("01", "元", 2, 15)
    assert cell(parsed, "01", "行政运行", "事业收入").value is None
    assert cell(parsed, "01", "行政运行", "合计").code == "2040601"
    total = cell(parsed, "01", "合计", "合计")
    assert (total.value, total.page, total.is_total) == (Decimal("300.00"), 3, True)


def test_pdf_without_text_layer_raises(tmp_path):
    with pytest.raises(IngestError, match="no text layer"):
        read_pdf(tmp_path / "scan.pdf", scanned_pdf())


def test_not_a_pdf_raises(tmp_path):
    with pytest.raises(IngestError, match="not a readable PDF"):
        read_pdf(tmp_path / "broken.pdf", b"%PDF-1.4 truncated")
