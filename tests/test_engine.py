"""The answer engine on real and generated documents: every operation, both languages, every refusal rule.

Expected figures are typed from the seed disclosure (corpus/), not taken from the engine.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.engine import Engine
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "antu-social-insurance-2026-department-budget.txt"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    store = tmp_path_factory.mktemp("engine") / "store"
    ingest([SEED], store, index=False)
    return Engine.open(store, dense=False)


@pytest.fixture(scope="module")
def multi(tmp_path_factory) -> Engine:
    """The seed, its 2025 edition (housing 50.00) and another county bureau (housing 12.34), generated
    from it."""
    folder = tmp_path_factory.mktemp("docs")
    text = SEED.read_text(encoding="utf-8")
    older = text.replace("2026", "2025").replace("二零二六", "二零二五").replace(
        "二十、住房保障支出\t48.66\t48.66", "二十、住房保障支出\t50.00\t50.00")
    (folder / "antu-social-insurance-2025.txt").write_text(older, encoding="utf-8")
    other = text.replace("安图县社会保险事业管理局", "安图县医疗保障局").replace(
        "二十、住房保障支出\t48.66\t48.66", "二十、住房保障支出\t12.34\t12.34")
    (folder / "antu-medical-security-2026.txt").write_text(other, encoding="utf-8")
    store = folder / "store"
    ingest([SEED, folder / "antu-social-insurance-2025.txt", folder / "antu-medical-security-2026.txt"],
           store, index=False)
    return Engine.open(store, dense=False)


FIGURES = [
    # (question, value, unit, table of the first citation)
    ("what is the housing security spend?", "48.66", "万元", "01"),
    ("住房保障支出是多少？", "48.66", "万元", "01"),
    ("住房保障支出是多少元", "486600", "元", "01"),
    ("How much is housing security in yuan?", "486600", "元", "01"),
    ("住房保障支出是多少亿元", "0.004866", "亿元", "01"),
    ("住房保障支出占总支出的比例是多少？", "4.30", "%", "01"),
    ("What share of total expenditure goes to health?", "2.78", "%", "01"),
    ("卫生健康支出和住房保障支出合计多少？", "80.17", "万元", "01"),
    ("What is health plus housing security spending?", "80.17", "万元", "01"),
    ("社会保障和就业支出比住房保障支出多多少？", "1002.72", "万元", "01"),
    ("How much more is social security and employment than housing security?", "1002.72", "万元", "01"),
    ("社会保障和就业支出是住房保障支出的几倍？", "21.61", "倍", "01"),
    ("2025年的预算总额是多少？", "1163.67", "万元", "01"),
    ("２０２５年的预算总额是多少？", "1163.67", "万元", "01"),
    ("What was the 2025 budget?", "1163.67", "万元", "01"),
    ("机关运行经费比上年减少了多少？", "1.33", "万元", "narrative"),
    ("每个编制平均多少预算？", "23.57", "万元", "01"),
    ("What is the budget per authorised post?", "23.57", "万元", "01"),
    ("哪一类支出最多？", "1051.38", "万元", "01"),
    ("Which expenditure category is the smallest?", "31.51", "万元", "01"),
    ("核定人员编制多少人？", "48", "人", "narrative"),
    ("How many internal divisions are there?", "9", "个", "narrative"),
    ("How many vehicles does the bureau have?", "0", "辆", "narrative"),
    ("政府采购预算是多少？", "0", "万元", "narrative"),
    ("住房公积金花了多少钱？", "48.66", "万元", "01"),
    ("职工医疗保险费是多少？", "31.51", "万元", "01"),
]


@pytest.mark.parametrize("question,value,unit,table", FIGURES)
def test_figures_are_exact_and_cited(engine, question, value, unit, table):
    a = engine.ask(question)
    assert a.status == "answered", a.answer
    assert a.value == Decimal(value) and a.unit == unit, a.answer
    assert a.citations and a.citations[0].table == table
    assert a.lang == ("en" if question.isascii() else "zh")


@pytest.mark.parametrize("question", [
    "2019年住房保障支出是多少？", "What was the housing spend in 2019?", "安图县教育局的住房保障支出是多少？",
    "What is the Beijing Education Commission's housing spend?", "国防科研经费是多少？", "2026年办公费预算是多少？",
    "收入预算总表（表02）的合计是多少？",
])
def test_refusals_get_no_figure(engine, question):
    a = engine.ask(question)
    assert a.status == "not_found" and a.value is None, a.answer


def test_none_is_answered_with_the_sentence_that_says_so(engine):
    a = engine.ask("三公经费是多少？")
    assert a.status == "answered" and a.value == 0 and a.to_dict()["value"] == 0  # "none" carries 0, not null
    assert "本部门无一般公共预算“三公”经费拨款" in a.answer and a.citations[0].table == "narrative"


def test_a_disclosed_zero_is_zero(engine):
    a = engine.ask("国防支出是多少？")
    assert a.status == "answered" and a.value == Decimal("0.00")


def test_descriptive_answers_quote_the_document(engine):
    a = engine.ask("什么是基本支出？")
    assert "为保障机构正常运转" in a.answer and a.citations[0].line
    b = engine.ask("What is the housing security expenditure used for?")
    assert "住房公积金" in b.answer


def test_json_object_shape(engine):
    d = engine.ask("住房保障支出是多少元").to_dict()
    assert d["status"] == "answered" and d["value"] == 486600 and d["value_text"] == "486600"
    assert d["formula"] == "48.66 万元 = 486,600 元"
    assert ({"document", "department", "year", "table", "row", "column", "page", "line", "text"}
            <= set(d["citations"][0]))


def test_several_documents_ask_back(multi):
    a = multi.ask("住房保障支出是多少？")  # each department's newest budget: 2026 social insurance and medical
    assert a.status == "ambiguous" and len(a.candidates) == 2 and not any("2025" in c for c in a.candidates)


def test_department_and_year_pick_the_document(multi):
    assert multi.ask("安图县医疗保障局住房保障支出是多少？").value == Decimal("12.34")
    assert multi.ask("安图县社会保险事业管理局2025年住房保障支出是多少？").value == Decimal("50.00")
    assert multi.ask("Antu social insurance bureau 2026 housing security spend").value == Decimal("48.66")


def test_change_across_years_of_one_department(multi):
    a = multi.ask("安图县社会保险事业管理局住房保障支出比上年变化多少？")
    assert a.status == "answered" and a.value == Decimal("-1.34") and len(a.citations) == 2
    g = multi.ask("安图县社会保险事业管理局住房保障支出增长率是多少？")
    assert g.value == Decimal("-2.68") and g.unit == "%"


def test_compare_and_total_across_departments(multi):
    r = multi.ask("2026年哪个部门的住房保障支出最多？")
    assert r.value == Decimal("48.66") and "安图县社会保险事业管理局" in r.answer
    s = multi.ask("安图县社会保险事业管理局和安图县医疗保障局2026年住房保障支出合计是多少？")
    assert s.value == Decimal("61.00")


def test_concurrent_questions_get_the_same_answers(engine):
    from concurrent.futures import ThreadPoolExecutor

    questions = [q for q, *_ in FIGURES] * 4
    expected = {q: engine.ask(q).to_dict()["value"] for q in questions}
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda q: (q, engine.ask(q).to_dict()["value"]), questions))
    assert all(expected[q] == v for q, v in got)


def test_a_kind_the_store_does_not_hold_is_refused(multi):
    a = multi.ask("安图县社会保险事业管理局2026年部门决算的住房保障支出是多少？")
    assert a.status == "not_found" and a.value is None and "部门决算" in a.answer


@pytest.mark.parametrize("question", ["住宅保障支出はいくらですか？", "주거 보장 지출은 얼마입니까?",
                                      "Сколько расходов на жилье?", "ما هو الإنفاق على الإسكان؟",
                                      "आवास व्यय कितना है?"])
def test_a_question_in_another_language_is_told_which_languages_are_read(engine, question):
    a = engine.ask(question)
    assert a.status == "not_found" and a.value is None and a.lang == "en"
    assert a.answer.startswith("This service reads questions in Chinese or English")
