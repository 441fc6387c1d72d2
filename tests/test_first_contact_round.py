"""What first contact with four unseen disclosures taught, each on the real PDF it came from.

Guangzhou civil affairs 2026 (a department with 17 budget units) and the Jiangsu NPC office 2019 (a narrative
file and a tables file): units ranked inside one department, a change clause wrapped over two lines, 三公
items read from the 三公 table, a place plus a bare core naming the department, counting words, a caption
cell that ends with its public number, and what an item pays for quoted from the narrative.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import samples_dir

from app.engine import Engine
from ingest.pipeline import ingest

CIVIL = "cities/005_广州__民政局_2026年部门预算.pdf"
NPC = ["jiangsu/jiangsu-npc-standing-committee-2019-department-budget.pdf",
       "jiangsu/jiangsu-npc-office-2019-department-budget-tables.pdf"]
PETITION = "cities/005_广州__信访局_2026年部门预算.pdf"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    base = samples_dir()
    store = tmp_path_factory.mktemp("round") / "store"
    ingest([base / CIVIL, base / PETITION, *(base / f for f in NPC)], store, index=False)
    return Engine.open(store, dense=False)


def _ask(engine: Engine, question: str):
    a = engine.ask(question)
    assert a.status == "answered", a.answer
    return a


def test_units_of_one_department_are_ranked(engine: Engine):
    a = _ask(engine, "民政局下属单位里哪个单位2026年预算最多？有多少？")
    assert a.value == Decimal("53125.45") and "广州市老人院" in a.answer
    assert a.citations[0].table == "02" and a.citations[0].row == "广州市老人院"


def test_a_change_wrapped_over_two_lines_gives_last_years_total(engine: Engine):
    a = _ask(engine, "What was the Guangzhou civil affairs bureau's total budget for 2025?")
    assert a.value == Decimal("258579.03"), a.answer  # 266,705.55 − "比上年增加\n8,126.52"
    assert "8,126.52" in a.answer


def test_a_three_public_item_is_read_from_the_three_public_table(engine: Engine):
    a = _ask(engine, "广州市民政局2026年公务接待费是多少？")
    assert a.value == Decimal("40.42"), a.answer  # table 06 prints only the general budget's 36.42
    assert "三公" in a.citations[0].table_title


def test_a_place_and_a_bare_core_name_the_department(engine: Engine):
    a = _ask(engine, "广州民政今年给殡葬费减免安排了多少钱？")
    assert a.value == Decimal("1646.00") and "殡葬基本服务减免项目经费" in a.answer
    assert all(c.department == "广州市民政局" for c in a.citations)


def test_counting_words_claim_the_question_before_a_sum(engine: Engine):
    a = _ask(engine, "省人大常委会办公厅一共有多少辆公车？")
    assert (a.value, a.unit) == (Decimal("54"), "辆"), a.answer


def test_a_caption_cell_ending_with_its_public_number_is_read(engine: Engine):
    tables = {t.table_id: t for d in engine.documents() for t in engine.tables_of(d.id)
              if "npc-office" in d.source_key}
    assert "09" in tables and "三公" in tables["09"].title
    a = _ask(engine, "江苏省人大常委会办公厅2019年会议费是多少？")
    assert a.value == Decimal("1469.73"), a.answer


def test_what_an_item_pays_for_is_quoted_with_its_figure(engine: Engine):
    a = _ask(engine, "省人大常委会的公用经费主要花在哪些方面？")
    assert a.value == Decimal("1642.08")
    assert all(w in a.answer for w in ("办公费", "差旅费", "公务用车运行维护费")), a.answer  # over a page break


def test_an_english_aside_inside_an_item_name(engine: Engine):
    a = _ask(engine, "How much more does the Guangzhou civil affairs bureau budget for basic (day-to-day) "
                     "spending than for project spending in 2026?")
    assert a.value == Decimal("3713.79"), a.answer


def test_a_unit_named_by_its_short_name_is_its_summary_row(engine: Engine):
    a = _ask(engine, "广州民政局殡葬服务中心2026年预算是多少？")
    assert a.value == Decimal("35693.60") and a.citations[0].table == "02", a.answer
    both = _ask(engine, "广州民政局老人院和社会福利院的预算加起来多少？")
    assert both.value == Decimal("92459.79"), both.answer  # 53,125.45 + 39,334.34


def test_budget_units_are_counted(engine: Engine):
    a = _ask(engine, "广州市民政局有几个预算单位？")  # the bureau itself and its 18 subordinate units
    assert (a.value, a.unit) == (Decimal("19"), "个") and "下属 18 个" in a.answer, a.answer
    below = _ask(engine, "广州市民政局有几个下属单位？")
    assert below.value == Decimal("18"), below.answer  # "下属18个预算单位", as its narrative says


def test_an_amount_the_question_quotes_finds_its_row(engine: Engine):
    a = _ask(engine, "广州民政局那1646万元是用来干什么的？")
    assert a.value == Decimal("1646.00") and "殡葬" in a.answer, a.answer


def test_the_total_is_no_share_of_itself(engine: Engine):
    a = engine.ask("广州市民政局火星基地占总支出的比例是多少？")
    assert a.status == "not_found" and a.value is None, a.answer  # was 100.00%


@pytest.mark.parametrize(("phrase", "label", "names"), [
    ("公交运营补贴", "公共交通运营补助", True), ("社保中心", "无锡市社会保险基金管理中心", True),
    ("住房保障办", "广州市住房保障办公室", True), ("殡葬费减免", "殡葬基本服务减免项目经费", True),
    ("台式电脑", "台式计算机（20万以下）", True), ("社保中心", "无锡市医疗保障基金中心", False),
])
def test_question_words_name_row_labels_through_equivalents(phrase: str, label: str, names: bool):
    from app.lang.label_match import names_label

    assert names_label(phrase, label) is names


@pytest.mark.parametrize(("text", "labels", "found"), [
    ("西郊监狱的三公经费比东郊监狱多多少", ["杭州市西郊监狱", "杭州市东郊监狱", "杭州市南郊监狱"], ["杭州市西郊监狱", "杭州市东郊监狱"]),
    ("交警支队的预算是多少", ["杭州市公安局巡特警支队", "杭州市公安局交通管理支队"], []),  # never …警支队
    ("住房保障办和照明中心加起来", ["广州市住房保障办公室", "广州市照明建设管理中心"], ["广州市住房保障办公室", "广州市照明建设管理中心"]),
])
def test_units_named_by_a_run_of_words_before_their_ending(text: str, labels: list[str], found: list[str]):
    from app.lang.label_match import named_units

    assert [named[0] for _, _, named in named_units(text, labels)] == found
