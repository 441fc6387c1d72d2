"""The confident wrong answers first contact found, each on real data: a decrease worded as an increase,
another department's figure, a department budget added to its own unit budget. Each failed before the fix."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLE_FILES, samples_dir

from app.engine import Engine
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "antu-social-insurance-2026-department-budget.txt"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("wrong")
    text = SEED.read_text(encoding="utf-8")
    # A subdistrict and a party-committee department whose names are held; questions name others.
    street = text.replace("安图县社会保险事业管理局", "安图县人民政府明月街道办事处").replace(
        "二十、住房保障支出\t48.66\t48.66", "二十、住房保障支出\t7.00\t7.00")
    (folder / "street.txt").write_text(street, encoding="utf-8")
    store = folder / "store"
    ingest([SEED, folder / "street.txt"], store, index=False)
    return Engine.open(store, dense=False)


@pytest.fixture(scope="module")
def justice(tmp_path_factory) -> Engine:
    base = samples_dir()
    store = tmp_path_factory.mktemp("justice") / "store"
    ingest([SEED, base / SAMPLE_FILES["dept"], base / SAMPLE_FILES["unit"]], store, index=False)
    return Engine.open(store, dense=False)


@pytest.mark.parametrize("question", [
    "安图社保局2026年预算比2025年减少了多少？", "安图社保局2026年预算比上年增减了多少？",
    "安图社保局2026年预算比2025年增加了多少？",
])
def test_a_decrease_is_worded_as_a_decrease_zh(engine: Engine, question: str):
    a = engine.ask(question)
    assert a.status == "answered" and abs(a.value) == Decimal("32.12"), a.answer
    assert "减少" in a.answer and "增加 32.12" not in a.answer, a.answer


def test_a_wrong_presumption_is_corrected(engine: Engine):
    a = engine.ask("安图社保局2026年预算比2025年增加了多少？")
    assert "实际是减少" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "How much did the Antu social insurance bureau's 2026 budget change from 2025?",
    "By how much did the Antu social insurance bureau's budget increase compared with 2025?",
])
def test_a_decrease_is_worded_as_a_decrease_en(engine: Engine, question: str):
    a = engine.ask(question)
    assert a.status == "answered" and "decrease" in a.answer and "(an increase)" not in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "敦化市社会保险事业管理局2026年预算总额是多少？",
    "安图县人民政府长白街道办事处的住房保障支出是多少？",
    "长白街道的住房保障支出是多少？",
    "普陀区商务委员会的住房保障支出是多少？",
    "What is the housing spend of the Dunhua social insurance bureau?",
])
def test_a_department_not_held_is_refused_not_answered_with_a_neighbour(engine: Engine, question: str):
    a = engine.ask(question)
    assert a.status == "not_found" and a.value is None, a.answer
    assert "安图县" in a.answer or "holds" in a.answer  # it names what is there


def test_a_subdistrict_by_its_short_name(engine: Engine):
    a = engine.ask("明月街道的住房保障支出是多少？")
    assert a.status == "answered" and a.value == Decimal("7.00"), a.answer


def test_a_truncated_party_committee_name_is_no_alias_for_every_wei(tmp_path: Path):
    text = SEED.read_text(encoding="utf-8").replace("安图县社会保险事业管理局", "中共安图县委")
    (tmp_path / "wei.txt").write_text(text, encoding="utf-8")
    ingest([SEED, tmp_path / "wei.txt"], tmp_path / "s", index=False)
    e = Engine.open(tmp_path / "s", dense=False)
    a = e.ask("安图社保局的财政委托业务支出是多少？")
    assert "中共安图县委" not in a.answer, a.answer


def test_the_whole_department_is_the_department_budget_not_a_sum(justice: Engine):
    a = justice.ask("普陀区司法局整个部门的三公经费一年预算多少？")
    assert a.status == "answered" and a.value == Decimal("10.81"), a.answer
    assert all(c.document_id == a.citations[0].document_id for c in a.citations)


def test_the_same_figure_in_both_budgets_is_answered_citing_both(justice: Engine):
    a = justice.ask("普陀区司法局2026年普法宣传支出是多少？")
    assert a.status == "answered" and a.value == Decimal("1242900.00"), a.answer
    assert {c.document_id for c in a.citations} >= {d.id for d in justice.documents() if "司法" in d.department}


def test_different_figures_the_department_budget_answers_and_names_the_unit_figure(justice: Engine):
    """Unqualified, a department means its 部门预算; its own 单位预算 figure is named beside it, never added."""
    a = justice.ask("普陀区司法局的住房保障支出是多少？")
    dept = next(d for d in justice.documents() if d.kind == "部门预算" and "司法" in d.department)
    unit = next(d for d in justice.documents() if d.kind == "单位预算" and "司法" in d.department)
    assert a.status == "answered" and a.value == Decimal("4521559.00"), a.answer
    assert "3,861,459.00" in a.answer and "不相加" in a.answer, a.answer
    assert a.citations[0].document_id == dept.id and unit.id in {c.document_id for c in a.citations}


@pytest.mark.parametrize("question", ["普陀区司法局本级的住房保障支出是多少？",
                                      "What is the Putuo justice bureau's own office housing spend?"])
def test_the_bureau_itself_is_its_unit_budget(justice: Engine, question: str):
    a = justice.ask(question)
    unit = next(d for d in justice.documents() if d.kind == "单位预算" and "司法" in d.department)
    assert a.status == "answered" and a.value == Decimal("3861459.00"), a.answer
    assert {c.document_id for c in a.citations} == {unit.id}


def test_level_words_never_pick_another_departments_unit_budget(justice: Engine):
    """"the bureau's own office" of a department holding only a 部门预算 is that 部门预算, not a neighbour."""
    a = justice.ask("安图社保局本级的住房保障支出是多少？")
    seed = next(d for d in justice.documents() if "安图" in d.department)
    assert a.status == "answered" and a.value == Decimal("48.66"), a.answer
    assert {c.document_id for c in a.citations} == {seed.id}


@pytest.mark.parametrize("question", ["截至2025年8月底，普陀区司法局有多少辆车？",
                                      "As of the end of August 2025, how many vehicles did the Putuo justice "
                                      "bureau have?"])
def test_a_date_picks_the_document_stating_it_not_a_refusal_for_its_year(justice: Engine, question: str):
    """The 2026 budget states its cars "截至2025年8月31日": 2025 is the date asked, not a document year."""
    a = justice.ask(question)
    assert (a.status, a.value, a.unit) == ("answered", Decimal("3"), "辆"), a.answer
    assert all("司法" in c.department for c in a.citations)


def test_a_date_no_document_states_is_still_refused(justice: Engine):
    assert justice.ask("截至2023年8月底，普陀区司法局有多少辆车？").status == "not_found"
