"""Issue 24.3, answering: questions answered from what the narrative states — a change from its comparison
statement, "why" from the reason attached to that change, a part from its own statement, a count from its
count statement, last year's figure from the figure the change was compared with — on real disclosures
(Beijing's narrative-only 信息公开 form, a Shanghai unit budget)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import answered, engine_on

from app.pipeline.context import Ctx
from app.pipeline.link import link_subjects
from app.pipeline.understand import understand

pytestmark = pytest.mark.samples

FILES = ["cities-2/002_北京__2026年北京市信访办公室部门预算.pdf", "cities-2/002_北京__2026年北京市卫生健康委员会部门预算.pdf",
         "cities-2/002_北京__2026年北京市司法局部门预算.pdf", "cities-2/002_北京__2026年北京市人力资源和社会保障局部门预算.pdf",
         "cities-2/001_上海__2026年上海市政务服务和数据管理局_部门预算.pdf"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_on(tmp_path_factory, "narrative-answers", FILES)


def test_a_change_is_answered_from_the_comparison_the_narrative_states(engine) -> None:
    a = answered(engine, "北京市信访办公室2026年支出预算跟2025年年初预算比，是增加还是减少了？差多少？")
    assert (abs(a.value), a.unit) == (Decimal("193.20"), "万元") and "减少" in a.answer
    assert a.citations[0].text.startswith("2026 年支出预算 9626.78 万元")
    a = answered(engine, "北京市司法局2026年的“三公”经费比上年是增加还是减少了？变了多少？")
    assert (a.value, a.unit) == (Decimal("3.21"), "万元") and "增加" in a.answer


def test_last_years_figure_is_the_one_the_change_was_compared_with(engine) -> None:
    a = answered(engine, "北京市卫生健康委员会2025年年初的收入预算是多少？")
    assert (a.value, a.unit) == (Decimal("943200.43"), "万元")
    assert "比 2025 年年初预" in a.citations[0].text  # the stated figure, not a calculation


@pytest.mark.parametrize(("question", "words"), [
    ("北京市卫生健康委员会2026年支出预算为什么比去年少了？", ["厉行节俭", "疫苗价格"]),
    ("北京市信访办公室2026年“三公”经费为什么比去年少了？", ["过紧日子", "一般性支出"]),
    ("Why did the Beijing Municipal Bureau of Justice's three public expenses go up in 2026?",
     ["法律职业资格考试中心", "公务车"]),
    ("上海市数据局2026年财政拨款为什么比2025年多了那么多？", ["项目资金", "预算规模"]),
])
def test_why_is_answered_with_the_reason_of_that_items_change(engine, question: str,
                                                              words: list[str]) -> None:
    a = answered(engine, question)
    assert all(w in a.answer for w in words), a.answer
    assert "原因" not in a.citations[0].row  # the change's own sentence is cited, not a heading


def test_why_of_an_item_with_no_stated_change_never_quotes_another_item(engine) -> None:
    a = engine.ask("北京市信访办公室2026年公务接待费为什么比去年多了？")
    assert a.status == "not_found" and "过紧日子" not in a.answer, a.answer


def test_a_part_is_answered_from_its_own_statement_never_by_its_whole(engine) -> None:
    a = answered(engine, "其中买服务的采购预算是多少？", history=["北京市卫生健康委员会2026年政府采购预算总额是多少？"])
    assert (a.value, a.unit) == (Decimal("65775.24"), "万元")
    a = answered(engine, "北京市司法局2026年政府采购预算里，买服务的钱比买货物的多多少？")
    assert (a.value, a.unit) == (Decimal("7171.94"), "万元")
    a = answered(engine, "其中采购服务的部分占比多少？", history=["北京市信访办公室2026年政府采购预算一共多少钱？"])
    assert (a.value, a.unit) == (Decimal("98.99"), "%")


@pytest.mark.parametrize(("question", "value"), [
    ("北京市信访办公室有几个内设机构？", "12"),
    ("北京市人力资源和社会保障局下面有几家下属预算单位？", "16"),
    ("北京市司法局下面有几个二级预算单位？", "5"),
])
def test_counts_are_answered_from_their_count_statements(engine, question: str, value: str) -> None:
    assert answered(engine, question).value == Decimal(value)


def test_a_part_named_by_its_kind_links_to_the_parts_row(engine) -> None:
    """"政府采购预算里工程类的": the 政府采购工程 row the narrative states (0.00), not the procurement total."""
    q = understand("上海市数据局2026年政府采购预算里工程类的是多少？", engine.glossary)
    ctx = Ctx(q, engine.scope.resolve(q, None).documents)
    subjects, debug = link_subjects(engine.view, ctx)
    assert [(s.label, s.via) for s in subjects] == [("政府采购工程", "part")], debug
