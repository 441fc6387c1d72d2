"""What the fifth held-out first-contact wave taught, each on the real PDF it came from.

The Fuzhou police public order detachment (a unit budget the crawler filed as "福州市公安局部门预算") and the
Wuxi housing bureau's own unit budget, 2026: a detachment named by its short forms and in English, an acronym
after a city that names a body the store does not hold, a fund's money asked without the word 支出, colloquial
item names (棚改), English singulars of plural glossary names, and 收支预算总计.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import answered, engine_on

from app.engine import Engine

POLICE = "cities/017_福州__2026年福州市公安局部门预算.pdf"
HOUSING = "cities/014_无锡__2026年无锡市住房和建设局部门预算.pdf"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    return engine_on(tmp_path_factory, "wave5", [POLICE, HOUSING])


@pytest.mark.parametrize("question", ["福州治安支队一年办公费预算多少？", "福州市公安局治安支队办公费预算多少？",
                                      "福州公安治安支队的办公费是多少？"])
def test_a_detachment_named_by_its_short_forms(engine: Engine, question: str):
    a = answered(engine, question)
    assert a.value == Decimal("76.23"), a.answer
    assert all(c.department == "福州市公安局治安管理支队" for c in a.citations)


def test_the_detachment_named_in_english(engine: Engine):
    a = answered(engine, "How much is the Fuzhou police public order detachment budgeting for public "
                     "security spending in 2026?")
    assert a.value == Decimal("1994.64"), a.answer


def test_an_acronym_after_a_city_is_a_body_the_store_does_not_hold(engine: Engine):
    a = engine.ask("What is the Fuzhou PSB's total budget for 2026?")
    assert a.status == "not_found" and a.value is None and "PSB" in a.answer, a.answer


def test_a_funds_money_asked_without_the_word_spending(engine: Engine):
    a = answered(engine, "福州治安支队有没有政府性基金的钱？金额多少？")
    assert a.value == Decimal("0"), a.answer
    assert "政府性基金" in a.answer


@pytest.mark.parametrize("question, value", [
    ("无锡住建局今年棚改的钱有多少？", "2933.75"),
    ("What is the Wuxi housing bureau's 2026 budget for retiree pensions paid to its retired staff?",
     "1501.10"),
    ("How much training expense has the Wuxi housing and urban-rural development bureau budgeted for 2026?",
     "7.32"),
    ("无锡住建局2026年的收支预算总计是多少？", "106428.00"),
])
def test_colloquial_and_singular_item_names(engine: Engine, question: str, value: str):
    assert answered(engine, question).value == Decimal(value)
