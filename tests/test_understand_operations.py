"""How questions people actually ask read: operation, years, relative year, presumed direction.

One table of phrasings (zh and en, formal and colloquial). Every row is checked twice: it reads as expected
with the shipped vocabulary, and it reads differently once the vocabulary entry it relies on is removed, so a
row cannot pass by accident (for example by expecting the "lookup" fallback).
"""

from __future__ import annotations

import copy
import tomllib
from datetime import date

import pytest

from app.lang import vocabulary
from app.pipeline.understand import understand
from ingest.glossary import Glossary

NEVER = "(?!)"
U, D, N = 1, -1, None  # presumed direction: up, down, none

# question, operation, years, relative offset, presumed direction
CASES: list[tuple[str, str, list[int], int | None, int | None]] = [
    # reason: why an item changed (answered with the reason the narrative gives beside the change)
    ("北京卫健委2026年支出预算为什么比去年少了？", "reason", [2026], -1, D),
    ("安图社保局“三公”经费为啥增加了？", "reason", [], N, U),
    ("深圳市人社局2026年预算比去年多，主要是什么原因？", "reason", [2026], -1, N),
    ("Why did the Beijing justice bureau's three public expenses go up in 2026?", "reason", [2026], N, U),
    ("How come the petition office's budget is lower than last year?", "reason", [], -1, D),
    # change: how much and which way
    ("机关运行经费比上年减少了多少？", "change", [], -1, D),
    ("差旅费比去年少了多少？", "change", [], -1, D),
    ("差旅费比去年多了多少？", "change", [], -1, U),
    ("住房保障支出是增是减？", "change", [], N, N),
    ("住房保障支出比上年是增加还是减少？", "change", [], -1, N),
    ("公务接待费今年是增加还是减少了？", "change", [], 0, N),
    ("Did housing security spending go up or down?", "change", [], N, N),
    ("Did travel expenses go up or down compared with last year?", "change", [], -1, N),
    ("How much did travel expenses increase compared with last year?", "change", [], -1, U),
    ("By how much did the official reception budget fall this year?", "change", [], 0, D),
    ("How much did personnel expenses decrease year on year?", "change", [], N, D),
    ("2026年住房保障支出比2025年增加了多少？", "change", [2026, 2025], N, U),
    ("二〇二六年住房保障支出比二〇二五年减少了多少？", "change", [2026, 2025], N, D),
    ("二零二六年的差旅费比上年增减变化多少？", "change", [2026], -1, N),
    ("差旅费同比下降了多少？", "change", [], N, D),
    ("差旅费较上年上升了多少？", "change", [], -1, U),
    ("What was the change in travel expenses from last year?", "change", [], -1, N),
    ("Did personnel expenses rise or fall?", "change", [], N, N),
    ("Did the budget go up this year?", "change", [], 0, U),
    ("Has spending on pensions gone down?", "change", [], N, D),
    ("How much lower is travel spending than the previous year?", "change", [], -1, D),
    ("How much higher is the 2026 budget than the year before?", "change", [2026], -1, U),
    ("差旅费比前年增加了多少？", "change", [], -2, U),
    ("今年的差旅费比前年少了多少？", "change", [], -2, D),
    ("How did travel spending change against the year before last?", "change", [], -2, N),
    ("What is the year-on-year change in housing spending?", "change", [], N, N),
    ("住房保障支出变动情况如何？", "change", [], N, N),
    ("住房保障支出涨还是降？", "change", [], N, N),
    ("差旅费比上年下降了多少万元？", "change", [], -1, D),
    ("公务接待费与去年相比增长了多少？", "change", [], -1, U),
    ("Did the 2026 budget drop?", "change", [2026], N, D),
    ("Did housing spending rise next year?", "change", [], 1, U),
    ("明年的差旅费会增加还是减少？", "change", [], 1, N),
    ("Did training costs go down from a year ago?", "change", [], -1, D),
    # growth: a rate of change
    ("住房保障支出增长了百分之几？", "growth", [], N, U),
    ("差旅费比上年下降了百分之几？", "growth", [], -1, D),
    ("2026年预算比2025年下降了百分之几？", "growth", [2026, 2025], N, D),
    ("差旅费增加了百分之多少？", "growth", [], N, U),
    ("住房保障支出的增长率是多少？", "growth", [], N, N),
    ("住房保障支出增幅是多少？", "growth", [], N, U),
    ("公务接待费降幅多大？", "growth", [], N, D),
    ("By what percentage did travel spending fall?", "growth", [], N, D),
    ("What is the growth rate of housing security spending?", "growth", [], N, N),
    ("By how many percent did personnel costs rise last year?", "growth", [], -1, U),
    ("How much did spending grow in percentage terms?", "growth", [], N, U),
    ("What is the percentage change in travel expenses?", "growth", [], N, N),
    ("差旅费比去年减少了几成？", "growth", [], -1, D),
    ("二〇二五年的人员经费比上年提高了百分之几？", "growth", [2025], -1, U),
    # share: a part of a whole
    ("住房保障支出占总支出的百分之几？", "share", [], N, N),
    ("差旅费占一般公共预算支出的比例是多少？", "share", [], N, N),
    ("What share of the budget goes to housing security?", "share", [], N, N),
    ("What percentage of total spending is personnel expenses?", "share", [], N, N),
    ("住房保障支出在总支出中占多大比重？", "share", [], N, N),
    ("人员经费占比多少？", "share", [], N, N),
    ("What proportion of the budget is project expenditure?", "share", [], N, N),
    ("工资福利支出是总支出的百分之多少？", "share", [], N, N),
    ("What fraction of spending goes to pensions?", "share", [], N, N),
    ("2026年住房保障支出占全部支出的几成？", "share", [2026], N, N),
    ("Housing security as a % of total expenditure?", "share", [], N, N),
    ("去年住房保障支出占总支出的百分之几？", "share", [], -1, N),
    # difference: two items, and which is larger
    ("差旅费比公务接待费多多少？", "difference", [], N, U),
    ("How much more does housing security get than social security?", "difference", [], N, U),
    ("住房保障支出和社会保障支出哪个多，多多少？", "difference", [], N, N),
    ("Which is larger, housing security or pensions, and by how much?", "difference", [], N, N),
    ("住房保障支出和差旅费哪个多、多多少？", "difference", [], N, N),
    ("基本支出和项目支出哪个高，高多少？", "difference", [], N, N),
    ("差旅费和会议费哪个少，少了多少？", "difference", [], N, N),
    ("How much less is travel than official reception?", "difference", [], N, D),
    ("差旅费比公务接待费少多少？", "difference", [], N, D),
    ("基本支出与项目支出相差多少？", "difference", [], N, N),
    ("What is the difference between basic and project expenditure?", "difference", [], N, N),
    ("By how much does basic expenditure exceed project expenditure?", "difference", [], N, U),
    ("两者差额是多少？", "difference", [], N, N),
    ("基本支出比项目支出高出多少？", "difference", [], N, U),
    ("项目支出比基本支出低多少？", "difference", [], N, D),
    ("What is the gap between the two departments' budgets?", "difference", [], N, N),
    ("Which got more money, travel or training, and by how much?", "difference", [], N, N),
    # ranking, also within a parent item
    ("工资福利支出里哪一项最多？", "rank_max", [], N, N),
    ("商品和服务支出中哪一项最少？", "rank_min", [], N, N),
    ("Which item under personnel expenses is the largest?", "rank_max", [], N, N),
    ("哪一类支出最多？", "rank_max", [], N, N),
    ("Which department has the biggest budget?", "rank_max", [], N, N),
    ("哪个部门的预算最少？", "rank_min", [], N, N),
    ("What is the smallest item in goods and services spending?", "rank_min", [], N, N),
    ("住房保障支出和社会保障支出哪个更多？", "rank_max", [], N, N),
    ("第二大的支出是哪一项？", "rank_max", [], N, N),
    ("Which item gets the least money?", "rank_min", [], N, N),
    ("去年哪一项支出最高？", "rank_max", [], -1, N),
    # sum
    ("差旅费和公务接待费加起来是多少？", "sum", [], N, N),
    ("Housing, pensions and health combined?", "sum", [], N, N),
    ("What do travel, reception and vehicle costs add up to?", "sum", [], N, N),
    ("差旅费、会议费、培训费一共多少？", "sum", [], N, N),
    ("基本支出与项目支出之和是多少？", "sum", [], N, N),
    ("What is travel plus training?", "sum", [], N, N),
    ("2025年和2026年的差旅费合起来是多少？", "sum", [2025, 2026], N, N),
    ("What are housing, pensions and health spending together?", "sum", [], N, N),
    # count
    ("How many cars does the bureau have?", "count", [], N, N),
    ("有几辆车？", "count", [], N, N),
    ("编制多少人？", "count", [], N, N),
    ("How many staff posts are authorised?", "count", [], N, N),
    ("下属有几家预算单位？", "count", [], N, N),
    ("办公用房面积是多少平方米？", "count", [], N, N),
    ("What is the headcount?", "count", [], N, N),
    ("截至2024年8月底有几辆公务用车？", "count", [2024], N, N),
    ("What is the number of official vehicles?", "count", [], N, N),
    # ratio, per unit, describe
    ("基本支出是项目支出的几倍？", "ratio", [], N, N),
    ("How many times larger is basic than project expenditure?", "ratio", [], N, N),
    ("What is the ratio of personnel to public expenses?", "ratio", [], N, N),
    ("人均经费是多少？", "per_unit", [], N, N),
    ("What is the spending per staff member?", "per_unit", [], N, N),
    ("每名在编人员平均多少钱？", "per_unit", [], N, N),
    ("项目支出是什么意思？", "describe", [], N, N),
    ("What does the justice bureau do?", "describe", [], N, N),
    ("What is project expenditure (项目支出)?", "describe", [], N, N),
    # a plain figure, read for its year
    ("去年的差旅费是多少？", "lookup", [], -1, N),
    ("前年住房保障支出多少？", "lookup", [], -2, N),
    ("明年的差旅费是多少？", "lookup", [], 1, N),
    ("What was travel spending last year?", "lookup", [], -1, N),
    ("What was the housing spend the year before last?", "lookup", [], -2, N),
    ("What is the travel spend for next year?", "lookup", [], 1, N),
    ("What was spent on travel the previous year?", "lookup", [], -1, N),
    ("今年的住房保障支出是多少？", "lookup", [], 0, N),
    ("二〇二五年的差旅费是多少？", "lookup", [2025], N, N),
    ("二零二六年住房保障支出多少？", "lookup", [2026], N, N),
    ("What was housing spending in the year before?", "lookup", [], -1, N),
]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load()


@pytest.fixture(scope="module")
def raw() -> dict:
    with open(vocabulary.DEFAULT_PATH, "rb") as fh:
        return tomllib.load(fh)


def _read(question: str, glossary: Glossary, vocab: vocabulary.Vocabulary | None = None) -> tuple:
    q = understand(question, glossary, vocab)
    return q.operation, q.years, q.relative, q.presumed_direction


def _without(raw: dict, operation: str) -> list[dict]:
    """Vocabularies each missing one thing this row could rely on."""
    out = []
    if operation != "lookup":
        d = copy.deepcopy(raw)
        d["operation"] = [e for e in d["operation"] if e["name"] != operation]
        if operation == "describe":
            d["describe_guard"]["definition"] = [NEVER]
        out.append(d)
    for edit in ("relative", "either", "up", "down", "numerals"):
        d = copy.deepcopy(raw)
        if edit == "relative":
            for r in d["relative"]:
                r["patterns"] = [NEVER]
        elif edit == "numerals":
            d["years"]["numeral_pattern"] = f"({NEVER})"
        else:
            d["direction"][edit] = [NEVER]
        out.append(d)
    return out


def test_enough_phrasings() -> None:
    assert len(CASES) >= 100
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate question"
    assert {c[1] for c in CASES} >= {r.name for r in vocabulary.load().operations}


@pytest.mark.parametrize(("question", "operation", "years", "relative", "direction"), CASES,
                         ids=[c[0] for c in CASES])
def test_reads_as_meant(question, operation, years, relative, direction, glossary) -> None:
    assert _read(question, glossary) == (operation, years, relative, direction)


@pytest.mark.parametrize(("question", "operation", "years", "relative", "direction"), CASES,
                         ids=[c[0] for c in CASES])
def test_row_depends_on_vocabulary(question, operation, years, relative, direction, glossary, raw) -> None:
    expected = (operation, years, relative, direction)
    readings = [_read(question, glossary, vocabulary.parse(d)) for d in _without(raw, operation)]
    assert any(r != expected for r in readings), "this row passes whatever the vocabulary says"


def test_carried_over_is_not_last_year(glossary) -> None:
    assert understand("上年结转资金是多少？", glossary).relative is None
    assert understand("以前年度结余是多少？", glossary).relative is None  # 以前年度 is not 前年
    assert understand("前年的结余是多少？", glossary).relative == -2


def test_as_of_date(glossary) -> None:
    assert understand("截至2024年8月底有几辆公务用车？", glossary).as_of == date(2024, 8, 31)
    assert understand("截至2025年2月末的资产总额？", glossary).as_of == date(2025, 2, 28)
    assert understand("截止2024年6月30日固定资产多少？", glossary).as_of == date(2024, 6, 30)
    assert understand("截至二〇二三年底有多少车辆？", glossary).as_of == date(2023, 12, 31)
    assert understand("How many vehicles as of the end of August 2024?", glossary).as_of == date(2024, 8, 31)
    assert understand("Assets as of 30 June 2024?", glossary).as_of == date(2024, 6, 30)
    assert understand("2024年差旅费是多少？", glossary).as_of is None


def test_numeral_years_reach_the_normalised_text(glossary) -> None:
    q = understand("二〇二五年差旅费比二零二四年多了多少？", glossary)
    assert q.years == [2025, 2024] and "2025年" in q.norm and q.text.startswith("二〇二五")


def test_why_asks_for_the_reason_not_the_change(glossary) -> None:
    assert understand("Why did agency operating costs fall?", glossary).operation == "reason"
    assert understand("北京卫健委2026年支出预算为什么比去年少了？", glossary).operation == "reason"
    assert understand("Did agency operating costs fall?", glossary).operation == "change"
