"""What the sixth held-out first-contact wave taught, each on the real PDF it came from.

The Fuzhou traffic police detachment (交通管理支队, a unit budget), the Fuzhou science bureau's own unit budget
and the Guangzhou water bureau, 2026: a detachment type and a place the store does not hold, a class and its
own line named together, "last year" after a one-item 总共, a column's change, a list-entry label, a table by
unit, 收入预算, and refusals worded in English.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import answered, engine_on

from app.engine import Engine

TRAFFIC = "cities/017_福州__公安局交通警察局_2026年部门预算.pdf"
SCIENCE = "cities/017_福州__2026年福州市科技创新局部门预算.pdf"
WATER = "cities/005_广州__水务局_2026年部门预算.pdf"
PETITION = "cities/014_无锡__信访局_2026年部门预算.pdf"  # its content is the 2025 budget


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    return engine_on(tmp_path_factory, "wave6", [TRAFFIC, SCIENCE, WATER, PETITION])


@pytest.mark.parametrize("question", ["福州交警支队2026年机关运行经费安排了多少？", "福州市交管支队机关运行经费是多少？",
                                      "福建福州交警支队2026年的机关运行经费是多少？"])
def test_a_traffic_detachment_by_its_short_forms_and_its_province(engine: Engine, question: str):
    a = answered(engine, question)
    assert a.value == Decimal("2916.1"), a.answer
    assert all(c.department == "福州市公安局交通管理支队" for c in a.citations)


@pytest.mark.parametrize("question, place", [("厦门交警支队2026年的三公经费预算是多少？", "厦门"),
                                             ("福州市消防支队今年“三公”经费预算总共多少钱？", "消防支队")])
def test_a_unit_the_store_does_not_hold_is_never_a_neighbour_or_a_sum(engine: Engine, question: str,
                                                                      place: str):
    a = engine.ask(question)
    assert a.status == "not_found" and a.value is None and place in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "福州交警支队社会保障和就业支出中的行政单位离退休是多少？",
    "How much has the Fuzhou traffic police detachment budgeted for administrative-unit retirees "
    "under social security and employment in 2026?"])
def test_a_class_and_its_own_line_ask_for_the_line(engine: Engine, question: str):
    a = answered(engine, question)
    assert a.value == Decimal("1358.52"), a.answer


def test_last_year_after_a_one_item_total(engine: Engine):
    a = answered(engine, "那去年呢？", history=["福州市科技局2026年的收入预算总共多少钱？"])
    assert a.value == Decimal("50068.11") and "2025" in a.answer, a.answer
    assert "70109.24 − 20041.13" in (a.formula or "").replace(",", ""), a.formula


def test_a_columns_change_is_never_the_totals(engine: Engine):
    a = engine.ask("福州科技局基本支出比上年增加了多少？")
    assert a.value != Decimal("20041.13") and "基本支出" in a.answer, a.answer


@pytest.mark.parametrize("question, value", [
    ("广州水务局今年政府采购预算多少钱？", "35066.9"),  # not the project "…审计、政府采购、财会检查咨询费"
    ("广州水务局基本支出里工资福利支出有多少？", "23837.80"),  # not one unit's row of the by-unit table
    ("广州水务局2026年收入预算是多少？", "300185.19"),
    ("What is the Guangzhou water bureau's income budget for 2026?", "300185.19"),
])
def test_the_departments_own_figure(engine: Engine, question: str, value: str):
    a = answered(engine, question)
    assert a.value == Decimal(value), a.answer


def test_an_english_refusal_names_items_in_english(engine: Engine):
    a = engine.ask("How many staff does the Guangzhou water bureau have?")
    assert a.status == "not_found" and a.value is None, a.answer
    assert "No figure for authorised posts (人员编制)" in a.answer, a.answer


def test_the_bureaus_own_row_beside_its_unit(engine: Engine):
    """"本级" in a department budget is the bureau's own row of its by-unit table, never the department's total
    (which holds the unit it is compared with)."""
    a = answered(engine, "无锡信访局本级和人民来访接待中心，哪个收入预算多？多多少？")
    assert a.value == Decimal("1741.64") and "本级" in a.answer, a.answer
    a = answered(engine, "无锡信访局本级收入预算是多少？")
    assert a.value == Decimal("2304.79"), a.answer


def test_a_follow_up_naming_a_unit_type_keeps_the_earlier_place(engine: Engine):
    """"广州水务局…" then "那交警支队呢？" asks about Guangzhou's, which the store lacks: never Fuzhou's."""
    a = engine.ask("那交警支队呢？", history=["广州水务局2026年“三公”经费预算一共多少？"])
    assert a.status == "not_found" and a.value is None and "广州" in a.answer, a.answer
