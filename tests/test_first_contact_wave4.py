"""What the fourth held-out first-contact wave taught, each on the real PDF it came from.

Hangzhou transport, Suzhou emergency management and Fuzhou civil affairs, 2026 budgets: a row label quoted in
full outranks a glossary item inside it, English plurals in -ies, more ways to ask for a change, a change the
narrative states for an item the tables print only as a column, the two items compared inside a named whole,
a place plus a bare English core naming the department, and 收支总计 as the grand total.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import answered, engine_on

from app.engine import Engine

TRANSPORT = "cities/008_杭州__2026年杭州市交通运输局部门预算.pdf"
EMERGENCY = "cities/006_苏州__2026年苏州市应急管理局部门预算.pdf"
CIVIL = "cities/017_福州__2026年福州市民政局部门预算.pdf"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    return engine_on(tmp_path_factory, "wave4", [TRANSPORT, EMERGENCY, CIVIL])


def test_a_label_quoted_in_full_outranks_the_glossary_item_inside_it(engine: Engine):
    a = answered(engine, "苏州市应急管理局今年“其他应急管理支出”安排了多少钱？")
    assert a.value == Decimal("2465.92"), a.answer  # not 灾害防治及应急管理支出 5,516.22
    assert a.citations[0].row.endswith("其他应急管理支出")


def test_an_english_plural_in_ies_names_the_item(engine: Engine):
    a = answered(engine, "How much has Hangzhou's transport bureau set aside in 2026 for public transport "
                     "operating subsidies?")
    assert a.value == Decimal("68000.00"), a.answer  # not 交通运输支出 165,602.60
    assert a.citations[0].row == "公共交通运营补助"


def test_increase_or_decrease_and_how_much_is_a_change(engine: Engine):
    a = answered(engine, "杭州交通局2026年的三公经费跟上年预算比是增加了还是减少了？变了多少？")
    assert a.value == Decimal("384.30") and "增加" in a.answer, a.answer


def test_a_change_the_narrative_states_for_a_column_item(engine: Engine):
    a = answered(engine, "How much did the Suzhou emergency bureau's office running costs change from "
                     "last year?")
    assert abs(a.value) == Decimal("7.67") and "decrease" in a.answer, a.answer
    assert "机关运行经费" in a.citations[0].text


def test_the_two_items_compared_inside_a_named_whole(engine: Engine):
    a = answered(engine, "杭州交通局今年三公经费中，公务车购置费和公务车运行维护费哪个多？多多少？")
    assert a.value == Decimal("3.50"), a.answer  # 424.80 − 421.30, not 三公 873.20 − a repair line
    en = answered(engine, "For the Hangzhou transport bureau's 2026 basic spending, which is bigger, "
                      "basic salaries or performance pay, and by how much?")
    assert en.value == Decimal("10712.51"), en.answer  # 21,301.11 − 10,588.60
    assert {c.row for c in en.citations} == {"基本工资", "绩效工资"}


def test_a_place_and_a_bare_english_core_name_the_department(engine: Engine):
    a = answered(engine, "At Fuzhou civil affairs, is more budgeted for housing support or for "
                     "lottery-funded welfare spending, and by how much?")
    assert a.value == Decimal("85.15"), a.answer  # 160.15 − 75.00; "budgeted" is no third operand
    assert all(c.department == "福州市民政局" for c in a.citations)
    assert "民政管理事务" not in a.answer  # "civil affairs" named the department, not an item


def test_a_bare_core_that_starts_a_longer_name_is_not_the_department(engine: Engine):
    a = engine.ask("What is the 2026 budget of the Fuzhou Civil Affairs Lottery Management Center?")
    assert a.status == "not_found" and a.value is None, a.answer


def test_income_and_spending_total_is_the_grand_total(engine: Engine):
    a = answered(engine, "苏州应急局2026年部门预算收支总计是多少？")
    assert a.value == Decimal("7062.80"), a.answer


def test_three_public_costs_printed_only_as_their_tables_total_row(engine: Engine):
    a = answered(engine, "福州市民政局今年三公经费预算总共多少？")
    assert a.value == Decimal("25.05"), a.answer  # the 三公 table's 合计, not the budget's 2,249.92
    assert "三公" in a.citations[0].table_title and a.citations[0].row == "合计"


def test_a_funds_spending_total_is_read_from_that_funds_spending_table(engine: Engine):
    a = answered(engine, "杭州市交通局2026年政府性基金预算支出合计是多少？")
    assert a.value == Decimal("221670.92"), a.answer  # not the grand total 665,964.37
    assert "政府性基金预算支出" in a.citations[0].table_title


def test_a_blank_income_cell_answered_by_the_narratives_zero(engine: Engine):
    a = answered(engine, "苏州应急局今年有没有政府性基金预算拨款收入？有多少？")
    assert a.value == Decimal("0"), a.answer  # "政府性基金预算拨款收入 0 万元", the table cell blank
    assert any(c.table == "narrative" for c in a.citations) and "空白" in a.answer


def test_two_columns_of_one_total_row_are_compared(engine: Engine):
    a = answered(engine, "For the Suzhou emergency bureau in 2026, which is bigger, basic expenditure or "
                     "project expenditure, and by how much?")
    assert a.value == Decimal("1076.44"), a.answer  # 4,069.62 − 2,993.18 on the 支出总表's 合计 row
    assert {c.column for c in a.citations} == {"基本支出", "项目支出"}


def test_a_fund_named_with_an_item_reads_that_funds_table(engine: Engine):
    scoped = answered(engine, "杭州交通局一般公共预算安排的事业单位离退休支出是多少？")
    # the general budget's part, not all funds' 909.00
    assert scoped.value == Decimal("888.51"), scoped.answer
    assert "一般公共预算" in scoped.citations[0].table_title
    whole = answered(engine, "杭州交通局事业单位离退休支出是多少？")
    assert whole.value == Decimal("909.00"), whole.answer


def test_a_one_word_item_inside_a_longer_english_phrase_is_not_answered(engine: Engine):
    a = engine.ask("How much has the Hangzhou transport bureau budgeted for its cloud customer service "
                   "outsourcing?")
    assert a.status == "not_found" and a.value is None, a.answer
    assert "cloud customer service" in a.answer


def test_an_item_named_after_other_than_is_not_the_answer(engine: Engine):
    a = engine.ask("How much of the Hangzhou transport bureau's income comes from sources other than fiscal "
                   "appropriations?")
    assert a.status == "not_found" and a.value is None and "other than" in a.answer, a.answer


def test_a_share_of_a_column_within_its_group(engine: Engine):
    a = answered(engine, "苏州应急局2026年基本支出里，人员经费占了多大比例？")
    assert a.value == Decimal("88.33"), a.answer  # 3,594.73 of 基本支出's 4,069.62, not of all spending
    assert "基本支出（合计）" in a.answer
