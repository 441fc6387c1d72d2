"""Issue 24.3: the narrative as data — each kind of statement read from real disclosures into typed facts tied
to the item the tables and glossary use, with the sentence as citation."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pytest
from conftest import samples_dir

from ingest.model import Fact, ParsedDocument
from ingest.narrative import comparison_coverage
from ingest.readers import read_file

pytestmark = pytest.mark.samples

PETITION = "cities-2/002_北京__2026年北京市信访办公室部门预算.pdf"  # narrative only (信息公开 form)
HEALTH = "cities-2/002_北京__2026年北京市卫生健康委员会部门预算.pdf"
JUSTICE = "cities-2/002_北京__2026年北京市司法局部门预算.pdf"
DATA = "cities-2/001_上海__2026年上海市政务服务和数据管理局_部门预算.pdf"  # a Shanghai unit budget
PORT = "cities-2/003_深圳__2026年深圳市人民政府口岸办公室部门预算.pdf"  # long narrative and tables
WUXI = "cities/014_无锡__信访局_2026年部门预算.pdf"  # a running page header inside sentences


@lru_cache(maxsize=8)
def _read(name: str) -> ParsedDocument:
    return read_file(samples_dir() / name)


def _said(name: str, label: str, measure: str, **where) -> list[Fact]:
    return [f for f in _read(name).facts if f.from_narrative and f.label == label and f.measure == measure
            and all(getattr(f, k) == v for k, v in where.items())]


def _one(name: str, label: str, measure: str, **where) -> Fact:
    found = _said(name, label, measure, **where)
    assert len(found) == 1, (label, measure, where, [(f.value, f.source_text) for f in found])
    return found[0]


def test_a_comparison_gives_the_prior_figure_the_signed_change_and_the_rate() -> None:
    """"2026 年度收入预算 9626.78 万元，比 2025 年年初预算数 9819.98 万元减少 193.20 万元，下降 1.97%。"""
    income = {m: _one(PETITION, "收入预算", m) for m in ("amount", "prior", "change", "change_pct")}
    assert {m: (f.value, f.unit) for m, f in income.items()} == {
        "amount": (Decimal("9626.78"), "万元"), "prior": (Decimal("9819.98"), "万元"),
        "change": (Decimal("-193.20"), "万元"), "change_pct": (Decimal("-1.97"), "%")}
    assert (income["prior"].ref_year, income["prior"].compared_with) == (2025, "2025年年初预算数")
    assert income["change"].compared_with == "2025年年初预算数"
    assert income["change"].source_text.startswith("2026 年度收入预算 9626.78 万元")  # the sentence cites it
    assert not [f for f in _read(PETITION).facts if f.label in ("减少", "比2025年年初预算数")]


def test_comparisons_after_the_amount_in_their_own_sentence_and_a_flat_one() -> None:
    """Shenzhen: "（一）在职人员经费 3,098.93 万元，主要是…。较 2025 年年初预算增加 197.71 万元，增幅 6.8%。",
    and "预算准备金 180.00 万元…无增减变动，与上年持平。"."""
    staff = _one(PORT, "在职人员经费", "change")
    assert (staff.value, staff.compared_with) == (Decimal("197.71"), "2025年年初预算")
    assert _one(PORT, "在职人员经费", "change_pct").value == Decimal("6.8")
    assert _one(PORT, "增人增资", "change_pct").value == Decimal("-7.1")  # 减幅 7.1%
    assert _one(PORT, "预算准备金", "change").value == 0
    hospitality = _one(DATA, "公务接待费", "change")  # "（三）公务接待费20.00万元，与2025年预算持平。"
    assert (hospitality.value, hospitality.unit, hospitality.compared_with) == (0, "万元", "2025年预算")


def test_a_reason_is_attached_to_the_change_it_explains() -> None:
    reason = "同比去年减少一次性项目"  # in its own sentence after the comparison
    assert {f.reason for f in _said(PETITION, "支出总计", "change")} == {reason}
    three = _one(PETITION, "“三公”经费", "change")
    assert three.value == Decimal("-1.65") and three.reason.startswith("落实市委市政府关于过紧日子的要求")
    assert not _one(PETITION, "公务接待费", "amount").reason  # an amount has a purpose, not a reason
    # Shenzhen: "预算收支增加主要原因说明：1.…；2.…；3.…；4.…。" explains both changes, the whole list
    port = _one(PORT, "支出总计", "change")
    assert port.reason.startswith("1.皇岗口岸新联检楼") and "4.落实习惯过紧日子要求" in port.reason
    # Shanghai: "财政拨款收入支出增加的主要原因是预算内相关项目资金预算规模增加。"
    assert _one(DATA, "财政拨款收入", "change").reason.startswith("预算内相关项目资金")


def test_a_purpose_is_attached_to_the_amount_it_pays_for() -> None:
    hospitality = _one(PETITION, "公务接待费", "amount")
    assert hospitality.value == Decimal("2.85") and hospitality.purpose.startswith("各单位接待支出")
    cars = _one(HEALTH, "公务用车购置和运行维护费", "amount")  # "…150.22 万元。主要用于公务车更新购置…"
    assert cars.purpose.startswith("公务车更新购置")


def test_parts_name_their_whole_and_the_item_the_tables_use() -> None:
    """"政府采购预算总额 1240.07 万元，其中：政府采购货物预算 12.50 万元，…服务预算 1227.57 万元"."""
    whole = _one(PETITION, "政府采购", "amount")
    service = _one(PETITION, "政府采购服务", "amount")
    assert (whole.value, whole.part_of) == (Decimal("1240.07"), "")
    assert (service.value, service.part_of) == (Decimal("1227.57"), "政府采购")
    # Shenzhen names the parts by kind alone: "其中：货物类项目 0.00 万元、工程类项目 0.00 万元、服务类项目 …"
    assert _one(PORT, "政府采购服务", "amount").part_of == "政府采购"
    # enumerated parts after a dangling "其中：" ("（二）公务接待费。2026 年预算数 15.86 万元")
    reception = _one(HEALTH, "公务接待费", "amount")
    assert (reception.value, reception.part_of) == (Decimal("15.86"), "“三公”经费")
    # and a part of a part: "2026 年预算数 307.73 万元，包括公务用车购置费预算 157.51 万元、…"
    assert _one(HEALTH, "公务用车购置费", "amount").part_of == "公务用车购置及运行费"
    assert _one(HEALTH, "“三公”经费", "amount").value == Decimal("489.39")


def test_shares_name_what_they_are_a_share_of() -> None:
    share = _one(PETITION, "基本支出", "share")  # "基本支出预算 7485.22 万元，占本年支出预算 77.75%。"
    assert (share.value, share.compared_with) == (Decimal("77.75"), "本年支出预算")


@pytest.mark.parametrize(("name", "label", "value", "unit"), [
    (PETITION, "内设机构", "12", "个"),  # "北京市信访办公室内设机构 12 个，分别为：…"
    (JUSTICE, "下属二级预算单位", "5", "个"),  # "北京市司法局下属 5 个二级预算单位"
    (JUSTICE, "车辆", "37", "台"),  # "截至 2025 年底，北京市司法局共有车辆 37 台"
    (HEALTH, "预算单位", "39", "个"),  # "市卫生健康委下设 39 个预算单位"
    (PETITION, "全额拨款事业单位", "1", "个"),  # "另有 1 个全额拨款事业单位"
    (DATA, "内设机构", "8", "个"),  # "上海市数据局单位设8个内设机构"
    (PORT, "处室", "7", "个"),  # "下设秘书处、…、数字口岸处等七个处室": Chinese numerals, the noun after 等
])
def test_counts_name_what_they_count(name: str, label: str, value: str, unit: str) -> None:
    f = _one(name, label, "count")
    assert (f.value, f.unit) == (Decimal(value), unit)


def test_vehicle_parts_are_counted_as_vehicles_and_equipment_is_not_one() -> None:
    """"共有车辆 2 辆，其中：机要通信用车 1 辆、…其他用车 1 辆；单价 100 万元以上设备 21 台（套）"."""
    assert _one(PORT, "机要通信用车", "count", ref_year=2025).part_of == "车辆"
    assert all(f.part_of == "" for f in _said(PORT, "设备", "count"))


def test_a_sentence_cut_by_a_running_page_header_is_read_whole() -> None:
    """Wuxi prints "无锡市信访局2025年度部门预算公开" atop every page; a sentence running over the page break
    ("…支出 62.09 万" / "元，与上年相比增加 1.26 万元") is one sentence, and the header is no section."""
    parsed = _read(WUXI)
    change = _one(WUXI, "行政单位医疗支出", "change")  # "行政事业单位医疗（款）行政单位医疗（项）支出 62.09 万…"
    assert (change.value, change.compared_with) == (Decimal("1.26"), "2024年")
    assert "支出 62.09 万元，与上年相比增加 1.26 万元" in change.source_text
    assert not [p for p in parsed.passages if p.section.startswith("无锡市信访局2025年度部门预算公开")]


@pytest.mark.parametrize("name", [PETITION, HEALTH, DATA, PORT, WUXI])
def test_comparison_sentences_become_facts(name: str) -> None:
    parsed = _read(name)
    coverage = comparison_coverage(parsed.passages, parsed.facts)
    assert coverage["comparisons_found"] > 0
    assert coverage["comparisons_read"] == coverage["comparisons_found"], coverage


def test_counts_said_in_chinese_numerals_read_as_digits_and_ordinals_do_not() -> None:
    from ingest.statements import prepare

    assert prepare("下设十二个处室，共有二十三名职工") == "下设12个处室,共有23名职工"  # compact: half-width
    assert prepare("督查督导处、综合调研处共 5 个处（室）。") == "督查督导处、综合调研处共5个处室。"
    assert prepare("第三个项目是一个重要任务") == "第三个项目是一个重要任务"
