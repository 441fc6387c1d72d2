"""The seed text reader on the real Jilin seed: identity, every cell of tables 01 and 04, narrative figures.

Expected values are typed from the document (corpus file, lines 143–221 and 270–342),
not generated from the reader's output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.model import Fact, ParsedDocument
from ingest.readers import read_file

SEED = Path(__file__).resolve().parent.parent / "corpus" / "antu-social-insurance-2026-department-budget.txt"
COLUMNS = ("本年预算", "编制预算", "上年结转")
Z = "0.00"

# Table 01 收支预算总表, lines 148–181: (side, row as printed, [本年预算, 编制预算, 上年结转]); None = blank cell.
T01_INCOME = [
    ("一、财政拨款收入", ["1131.55", "1131.55", Z]),
    ("一般公共预算拨款收入", ["1131.55", "1131.55", Z]),
    ("政府性基金预算拨款收入", [Z, Z, Z]),
    ("国有资本经营预算拨款收入", [Z, Z, Z]),
    ("二、财政专户管理资金收入", [Z, Z, Z]),
    ("三、单位资金收入", [Z, Z, Z]),
    ("事业收入", [Z, Z, Z]),
    ("事业单位经营收入", [Z, Z, Z]),
    ("上级补助收入", [Z, Z, Z]),
    ("附属单位上缴收入", [Z, Z, Z]),
    ("其他收入", [Z, Z, Z]),
    ("本年收入合计", ["1131.55", "1131.55", Z]),
    ("收入总计", ["1131.55", "1131.55", Z]),
]
# The 30 expenditure categories printed identically (本年预算, 编制预算) in tables 01 and 04.
CATEGORIES = [
    ("一、一般公共服务支出", Z, Z),
    ("二、外交支出", Z, Z),
    ("三、国防支出", Z, Z),
    ("四、公共安全支出", Z, Z),
    ("五、教育支出", Z, Z),
    ("六、科学技术支出", Z, Z),
    ("七、文化旅游体育与传媒支出", Z, Z),
    ("八、社会保障和就业支出", "1051.38", "1051.38"),
    ("九、社会保险基金支出", Z, Z),
    ("十、卫生健康支出", "31.51", "31.51"),
    ("十一、节能环保支出", Z, Z),
    ("十二、城乡社区支出", Z, Z),
    ("十三、农林水支出", Z, Z),
    ("十四、交通运输支出", Z, Z),
    ("十五、资源勘探工业信息等支出", Z, Z),
    ("十六、商业服务业等支出", Z, Z),
    ("十七、金融支出", Z, Z),
    ("十八、援助其他地区支出", Z, Z),
    ("十九、自然资源海洋气象等支出", Z, Z),
    ("二十、住房保障支出", "48.66", "48.66"),
    ("二十一、粮油物资储备支出", Z, Z),
    ("二十二、国有资本经营预算支出", Z, Z),
    ("二十三、灾害防治及应急管理支出", Z, Z),
    ("二十四、其他支出", Z, Z),
    ("二十五、预备费", Z, Z),
    ("二十六、转移性支出", Z, Z),
    ("二十七、债务还本支出", Z, Z),
    ("二十八、债务付息支出", Z, Z),
    ("二十九、债务发行费用支出", Z, Z),
    ("三十、抗疫特别国债安排的支出", Z, Z),
]
T01_SPENDING = [(label, [a, b, Z]) for label, a, b in CATEGORIES] + [
    ("本年支出合计", ["1131.55", "1131.55", Z]),
    ("结转下年支出", [Z, Z, None]),  # line 179: the 上年结转 cell is blank
    ("支出总计", ["1131.55", "1131.55", Z]),
]
# Table 04 财政拨款收支预算总表, lines 189–221: the whole 支出 上年结转 column is blank except its totals.
T04_INCOME = [
    ("一、本年收入", ["1131.55", "1131.55", Z]),
    ("一般公共预算拨款", ["1131.55", "1131.55", Z]),
    ("政府性基金预算拨款", [Z, Z, Z]),
    ("国有资本经营预算拨款", [Z, Z, Z]),
    ("收入总计", ["1131.55", "1131.55", Z]),
]
T04_SPENDING = (
    [("一、本年支出", ["1131.55", "1131.55", Z])]
    + [(label, [a, b, None]) for label, a, b in CATEGORIES]
    + [("二、结转下年支出", [None, None, None]), ("支出总计", ["1131.55", "1131.55", Z])]
)


def _expected(income, spending) -> dict[tuple[str, str, str], str | None]:
    out: dict[tuple[str, str, str], str | None] = {}
    for side, rows in (("收入", income), ("支出", spending)):
        for label, values in rows:
            for column, value in zip(COLUMNS, values, strict=True):
                out[(side, label, column)] = value
    return out


@pytest.fixture(scope="module")
def parsed() -> ParsedDocument:
    return read_file(SEED)


def _cells(parsed: ParsedDocument, table_id: str) -> dict[tuple[str, str, str], str | None]:
    facts = [f for f in parsed.facts if f.table_id == table_id]
    cells = {(f.side, f.row_label, f.column): (None if f.value is None else str(f.value)) for f in facts}
    assert len(cells) == len(facts), "two facts share one (side, row, column)"
    return cells


def test_document_identity(parsed: ParsedDocument) -> None:
    doc = parsed.document
    assert (doc.department, doc.year, doc.kind, doc.level, doc.date, doc.region) == (
        "安图县社会保险事业管理局", 2026, "部门预算", "department", "2026-04-24", "安图县")
    assert doc.source_key == "antu-social-insurance-2026-department-budget.txt"
    assert doc.default_unit == "万元"


@pytest.mark.parametrize(("table_id", "income", "spending", "n_blank"), [
    ("01", T01_INCOME, T01_SPENDING, 1),
    ("04", T04_INCOME, T04_SPENDING, 30 + 3),
])
def test_every_cell_of_tables_01_and_04(parsed, table_id, income, spending, n_blank) -> None:
    expected = _expected(income, spending)
    got = _cells(parsed, table_id)
    assert set(got) == set(expected)
    mismatches = {k: (got[k], v) for k, v in expected.items() if got[k] != v}
    assert mismatches == {}
    assert len(got) == 3 * (len(income) + len(spending))
    assert sum(v is None for v in got.values()) == n_blank
    # a blank cell is None, never zero: Decimal comparison too, not just the printed string
    facts = [f for f in parsed.facts if f.table_id == table_id]
    assert all(f.value is None or f.value == Decimal(expected[(f.side, f.row_label, f.column)])
               for f in facts)
    assert {f.unit for f in facts} == {"万元"}
    record = next(t for t in parsed.tables if t.table_id == table_id)
    assert (record.status, record.unit, record.n_facts) == ("present", "万元", len(got))


def test_blank_cells_are_none_not_zero(parsed: ParsedDocument) -> None:
    t01 = [f for f in parsed.facts if f.table_id == "01" and f.label == "结转下年支出"]
    assert [(f.column, f.value) for f in t01] == [
        ("本年预算", Decimal("0.00")), ("编制预算", Decimal("0.00")), ("上年结转", None)]
    housing04 = {f.column: f.value for f in parsed.facts if f.table_id == "04" and f.label == "住房保障支出"}
    assert housing04 == {"本年预算": Decimal("48.66"), "编制预算": Decimal("48.66"), "上年结转": None}


def test_unit_sources(parsed: ParsedDocument) -> None:
    tables = {t.table_id: t for t in parsed.tables}
    assert tables["01"].unit_source.startswith("default:")  # table 01 prints no 单位 caption
    assert tables["04"].unit_source == "caption"
    assert any(w.startswith("table 01 收支预算总表: default:") for w in parsed.warnings)


def test_totals_and_codes(parsed: ParsedDocument) -> None:
    totals = {(f.side, f.label) for f in parsed.facts if f.table_id == "01" and f.is_total}
    assert totals == {("收入", "本年收入合计"), ("收入", "收入总计"), ("支出", "本年支出合计"), ("支出", "支出总计")}
    housing = next(f for f in parsed.facts if f.table_id == "01" and f.label == "住房保障支出"
                   and f.column == "本年预算")
    assert (housing.row_label, housing.side, housing.line, housing.is_total) == (
        "二十、住房保障支出", "支出", 167, False)


def test_table_records(parsed: ParsedDocument) -> None:
    tables = {t.table_id: t for t in parsed.tables}
    assert sorted(tables) == [f"{i:02d}" for i in range(1, 13)]
    for absent in ("02", "03", "05", "06", "10", "11"):
        assert (tables[absent].status, tables[absent].n_facts) == ("absent", 0), absent
    assert tables["02"].title == "收入预算总表"
    assert tables["11"].note == "本部门无委托业务费使用情况"
    notes = {"07": "本部门无一般公共预算“三公”经费拨款。", "08": "本部门无政府性基金预算拨款",
             "09": "本部门无国有资本经营预算拨款"}
    for table_id, note in notes.items():
        t = tables[table_id]
        assert (t.status, t.unit, t.unit_source, t.note) == ("empty", "万元", "caption", note), table_id
        assert all(f.value is None for f in parsed.facts if f.table_id == table_id)
    assert tables["07"].n_facts == 6  # 合计 and the five 三公 rows, all blank
    assert tables["12"].status == "present"
    heating = [f for f in parsed.facts if f.table_id == "12"]
    assert [(f.label, f.value, f.unit) for f in heating] == [("2026年机关退休人员取暖费", Decimal("500"), "万元")]


def test_table_08_second_header_row_names_columns(parsed: ParsedDocument) -> None:
    """Line 244 (blank cells, then 小计|基本支出|项目支出) is a header row, not a body row."""
    columns = [f.column for f in parsed.facts if f.table_id == "08"]
    assert columns == ["合计", "当年预算 / 小计", "当年预算 / 基本支出", "当年预算 / 项目支出",
                       "上年结转结余 / 小计", "上年结转结余 / 基本支出", "上年结转结余 / 项目支出"]


def _narrative(parsed: ParsedDocument, label: str, measure: str, line: int) -> Fact:
    found = [f for f in parsed.facts if f.from_narrative and f.label == label and f.measure == measure
             and f.line == line]
    assert len(found) == 1, (label, measure, line, found)
    return found[0]


@pytest.mark.parametrize(("label", "measure", "line", "value", "unit"), [
    ("基本支出", "amount", 282, "631.55", "万元"),
    ("基本支出", "share", 282, "55.81", "%"),
    ("项目支出", "amount", 282, "500", "万元"),
    ("人员经费", "amount", 302, "555.95", "万元"),
    ("公用经费", "amount", 304, "75.60", "万元"),
    ("公用经费", "amount", 290, "75.6", "万元"),
    ("人员编制", "count", 76, "48", "人"),
    ("内部结构", "count", 78, "9", "个"),
    ("房屋", "area", 332, "3185.07", "平方米"),
    ("政府采购", "amount", 326, "0", "万元"),  # "政府采购预算总额" names the 政府采购 item
    ("一级项目", "count", 338, "1", "个"),
    ("住房保障支出", "amount", 286, "48.66", "万元"),
])
def test_narrative_figures(parsed, label, measure, line, value, unit) -> None:
    f = _narrative(parsed, label, measure, line)
    assert (str(f.value), f.unit, f.table_id, f.document_id) == (value, unit, None, parsed.document.id)
    assert f.value == Decimal(value)


def test_narrative_changes_and_reference_years(parsed: ParsedDocument) -> None:
    change = _narrative(parsed, "本年预算", "change", 274)
    assert (change.value, change.unit, change.compared_with) == (Decimal("-32.12"), "万元", "2025年当年预算")
    share = _narrative(parsed, "基本支出", "share", 282)
    assert share.compared_with == "支出预算"
    running = [f for f in parsed.facts if f.from_narrative and f.line == 322 and f.label.startswith("机关运行经费")]
    assert {f.measure: (f.value, f.unit) for f in running} == {
        "amount": (Decimal("75.60"), "万元"), "change": (Decimal("-1.33"), "万元"),
        "change_pct": (Decimal("-1.73"), "%")}
    assert {f.compared_with for f in running if f.measure != "amount"} == {"2025年预算"}
    cars = _narrative(parsed, "车辆", "count", 332)
    assert (cars.value, cars.unit, cars.ref_year) == (Decimal("0"), "辆", 2025)  # 截至2025年10月底
    assert _narrative(parsed, "预算安排购置车辆", "count", 334).ref_year == 2026


def test_narrative_none_facts(parsed: ParsedDocument) -> None:
    nones = {(f.label, f.line) for f in parsed.facts if f.measure == "none"}
    assert nones == {("一般公共预算“三公”经费拨款", 308), ("政府性基金预算拨款", 312),
                     ("国有资本经营预算拨款", 316), ("委托业务费使用情况", 330)}
    assert all(f.value is None for f in parsed.facts if f.measure == "none")


def test_passages_sections_and_line_wrap_join(parsed: ParsedDocument) -> None:
    by_line = {p.line: p for p in parsed.passages}
    assert by_line[60].section == "第一部分 部门概况 > 一、主要职能"
    assert by_line[82].section == "第一部分 部门概况 > 二、机构设置 > (一)办公室(人事教育科)"
    assert by_line[282].section == "第三部分 情况说明 > 三、2026 年支出预算情况"
    assert by_line[322].section == "第三部分 情况说明 > 十、其他重要事项的说明情况 > （一）机关运行经费"
    # line 64 ends "…社会化管理；负" and line 66 continues "责本县工伤医疗…": one paragraph
    assert "社会化管理；负责本县工伤医疗的监管监控和工伤预防实施" in by_line[64].text
    assert 66 not in by_line
    assert "草案编制和调剂金计划管理" in by_line[90].text and 92 not in by_line
    # "本部门无委托业务费使用情况（四）国有资产占有使用情况" is split into text and heading
    assert by_line[330].text == "本部门无委托业务费使用情况"
    assert by_line[332].section.endswith("（四）国有资产占有使用情况")
    # no passage comes from a table or the contents
    assert not [p for p in parsed.passages if 11 <= p.line <= 54 or 143 <= p.line <= 269]
    assert len({p.id for p in parsed.passages}) == len(parsed.passages)
