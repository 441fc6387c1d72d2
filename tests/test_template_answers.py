"""Questions read through the national template (issue 24 item 4): a total from the all-funds tables, a 三公
part from the 三公 table, spending from the spending table, and a department that publishes its units in one
disclosure (汇总) answered for the whole, for the bureau itself (本级) and for each unit — on real documents."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from app.engine import Engine
from app.pipeline.factview import FactView
from ingest.pipeline import ingest, read_one
from tests.conftest import answered, samples_dir
from tests.test_template import shenzhen_hrss_pages


@pytest.fixture(scope="module")
def hrss(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hrss-answers")
    store = folder / "store"
    ingest([shenzhen_hrss_pages(folder)], store, index=False)
    return Engine.open(store, dense=False)


@pytest.fixture(scope="module")
def putuo(tmp_path_factory):
    store = tmp_path_factory.mktemp("putuo-final") / "store"
    ingest([samples_dir() / "putuo-finance-bureau-2024-final-accounts.pdf"], store, index=False)
    return Engine.open(store, dense=False)


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory):
    store = tmp_path_factory.mktemp("shanghai-units") / "store"
    base = samples_dir() / "cities-2"
    ingest([base / "001_上海__2026年上海市交通运输局_部门预算.pdf", base / "001_上海__2026年上海市水务局_部门预算.pdf"],
           store, index=False)
    return Engine.open(store, dense=False)


def test_the_departments_income_is_the_whole_not_one_units(hrss):
    a = answered(hrss, "深圳市人社局2026年部门预算收入一共多少钱？")
    assert a.value == Decimal("571347.93") and a.unit == "万元"  # was 大鹏分局's 1,788.76


def test_a_three_public_part_is_the_departments_own_row(hrss):
    a = answered(hrss, "深圳人社局2026年公务接待费预算是多少？")
    assert a.value == Decimal("24.23")  # the department; its 本级 prints 14.92, each unit its own
    assert a.citations[0].table == "09"


def test_the_whole_departments_project_spending(hrss):
    a = answered(hrss, "深圳市人力资源和社会保障局2026年项目支出是多少？")
    assert a.value == Decimal("435216.17")  # not the 本级's 142,220.85


def test_the_bureau_itself_is_its_own_row_not_the_whole(hrss):
    a = answered(hrss, "深圳市人力资源和社会保障局本级2026年收入一共多少？")
    assert a.value == Decimal("156491.01")


def test_the_bureaus_own_three_public_and_its_office_costs(hrss):
    assert answered(hrss, "深圳人社局2026年三公经费预算是多少？").value == Decimal("299.23")
    assert answered(hrss, "深圳人社局本级2026年三公经费预算是多少？").value == Decimal("163.92")
    # these pages print no 办公费 (its 基本支出总表 is not among them): never the 本级's total instead
    a = hrss.ask("深圳人社局本级今年的办公费预算是多少？")
    assert a.status == "not_found" and a.value is None


def test_the_whole_departments_procurement_and_the_bureaus_own(hrss):
    # no row is named 政府采购: 支出总表 prints it as a column group of each unit's row
    assert answered(hrss, "深圳人社局2026年政府采购预算是多少？").value == Decimal("39591.53")
    assert answered(hrss, "深圳人社局本级2026年政府采购预算是多少？").value == Decimal("3916.99")  # not 其中 767.23


def test_last_years_figure_printed_beside_this_years(hrss):
    # 三公 prints 2025年 | 2026年 | 增减变化金额 per item: the change is the two cells of the department's row
    a = answered(hrss, "深圳人社局2026年因公出国（境）费比上年增长了多少？")
    assert a.value == Decimal("118.80") and {c.column for c in a.citations} == {
        "2026年 / 一般公共预算", "2025年 / 一般公共预算"}
    assert answered(hrss, "深圳人社局2025年公务接待费预算是多少？").value == Decimal("24.23")


def test_the_bureaus_share_of_the_whole_is_not_all_of_it(hrss):
    a = answered(hrss, "深圳市人力资源和社会保障局本级收入占全部门收入的比例是多少？")
    assert a.value is not None and Decimal("27") < a.value < Decimal("28")  # 156,491.01 / 571,347.93


def test_spending_by_function_is_read_from_the_spending_table(putuo):
    # issue 21's first-visit example: 收入决算表 prints what 一般公共服务支出 receives (2,112.86), 支出决算表
    # what it spends (2,106.66)
    a = answered(putuo, "上海市普陀区财政局2024年部门决算一般公共服务支出是多少？")
    assert a.value == Decimal("2106.66")


def test_a_grand_total_is_read_from_the_all_funds_table_wherever_it_is_numbered(samples):
    parsed = read_one(samples["dept"])
    totals = [f for f in parsed.facts if f.label == "支出总计" and f.table_id in ("01", "04")]
    assert {f.table_type for f in totals} == {"summary", "appropriation_summary"}
    # a region numbering 财政拨款收支总表 first: the all-funds 收支总表 still answers
    swapped = [replace(f, table_id={"01": "04", "04": "01"}[f.table_id]) for f in totals]
    best = FactView.pick(swapped)
    assert best.table_type == "summary" and best.fund == "合计"
    assert best.value == next(f.value for f in totals if f.table_id == "01")


def test_a_fund_named_in_an_income_source_scopes_no_other_item(shanghai):
    # 财政拨款收入 304,413,900 of the all-funds 收入总计 408,696,000, not of the appropriations table's own total
    a = answered(shanghai, "上海交通职业技术学院2026年财政拨款收入占收入预算总额的比重是多少？")
    assert a.value == Decimal("74.48")


def test_a_fund_and_a_part_named_together_are_one_whole(shanghai):
    # 一般公共预算基本支出 24,328,708 (表08 合计), not the income row 一般公共预算 (178,830,483)
    a = answered(shanghai, "上海市海洋监测预报中心一般公共预算基本支出中，工资福利支出占多大比例？")
    assert a.value == Decimal("70.59")
