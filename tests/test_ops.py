"""Each registered operation run on its own, from a Plan, against the tiny hand-written store
(tests/tiny_ledger.py): the figure, the phrase keys that say it and the cells it cites."""

from __future__ import annotations

from decimal import Decimal

import pytest
import tiny_ledger as tiny

from app.ops import Op, compare, registry
from app.ops.base import Plan
from app.pipeline.context import Ctx, Subject
from app.pipeline.result import Result
from app.pipeline.understand import understand
from ingest.glossary import Glossary

SOCIAL = tiny.SOCIAL


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load()


@pytest.fixture(scope="module")
def view(tmp_path_factory, glossary):
    ledger = tiny.build(tmp_path_factory.mktemp("tiny-ops") / "store")
    yield tiny.view_of(ledger, glossary)
    ledger.close()


@pytest.fixture(scope="module")
def run(view, glossary):
    def run(op: Op, question: str, *labels: str, docs: tuple[str, ...] = ("s26",), operation: str = "",
            item: str = "", column: str = "") -> Result:
        ctx = Ctx(understand(question, glossary), [d for d in view.documents if d.id in docs], named=True)
        subjects = tuple(Subject(lab, lab, column=column) for lab in labels)
        plan = Plan(op, ctx, subjects=subjects, operation=operation or op.value, item=item)
        return registry.get(op).run(plan, view)
    return run


def _keys(result: Result) -> list[str]:
    return [p.key for p in result.phrases]


def _cited(result: Result) -> list[tuple[str, str, str]]:
    return [(c.document_id, c.table, c.row) for c in result.citations]


def test_every_registered_operation_has_a_test_here() -> None:
    tested = {"lookup", "not_found", "describe", "count", "per_unit", "rank_units", "rank_documents", "rank",
              "across_years", "change", "binary", "sum_documents", "reason"}
    assert {op.value for op in Op} == tested


def test_lookup_answers_the_cell_with_its_share_of_the_total(run) -> None:
    r = run(Op.LOOKUP, f"{SOCIAL}2026年社会保障和就业支出是多少", "社会保障和就业支出")
    assert (r.status, r.value, r.unit) == ("answered", Decimal("100.00"), "万元")
    assert _keys(r) == ["lookup.table", "lookup.share_of_total"]
    assert r.phrases[1].params["rate"] == Decimal("66.67")
    assert _cited(r) == [("s26", "01", "社会保障和就业支出"), ("s26", "01", "支出总计")]


def test_lookup_of_an_item_the_document_says_it_has_none_of_is_zero(run) -> None:
    r = run(Op.LOOKUP, f"{SOCIAL}2026年政府性基金预算拨款是多少", "政府性基金预算拨款")
    assert (r.status, r.value) == ("answered", Decimal(0))
    assert _keys(r) == ["lookup.none"]
    assert r.phrases[0].params["said"] == "本部门无政府性基金预算拨款。"


def test_lookup_asks_which_document_when_two_years_answer(run) -> None:
    r = run(Op.LOOKUP, f"{SOCIAL}社会保障和就业支出是多少", "社会保障和就业支出", docs=("s25", "s26"))
    assert r.status == "ambiguous" and r.value is None
    assert sorted(d.id for d in r.candidates) == ["s25", "s26"]


def test_not_found_names_the_item_and_the_closest_rows(run) -> None:
    r = run(Op.NOT_FOUND, f"{SOCIAL}2026年差旅费是多少", item="差旅费")
    assert (r.status, r.value) == ("not_found", None)
    assert _keys(r) == ["not_found.item", "not_found.closest"]
    assert r.phrases[0].params["item"].label == "差旅费"


def test_describe_quotes_the_definition_the_document_prints(run) -> None:
    r = run(Op.DESCRIBE, f"{SOCIAL}2026年什么是基本支出")
    assert (r.status, r.value, _keys(r)) == ("answered", None, ["describe.quote"])
    assert r.phrases[0].params["quote"].startswith("基本支出：指为保障机构正常运转")
    assert _cited(r) == [("s26", "narrative", "第三部分 情况说明 > 名词解释")]


def test_count_reads_the_staff_the_narrative_states(run) -> None:
    r = run(Op.COUNT, f"{SOCIAL}2026年核定人员编制多少人", "人员编制")
    assert (r.value, r.unit, _keys(r)) == (Decimal(25), "人", ["count.figure"])


def test_per_unit_divides_the_total_by_the_staff(run) -> None:
    r = run(Op.PER_UNIT, f"{SOCIAL}2026年人均支出是多少")
    assert (r.value, r.unit, _keys(r)) == (Decimal("6.00"), "万元", ["count.per_unit"])
    assert r.formula is not None and "150.00" in r.formula and "25" in r.formula
    assert {c.row for c in r.citations} == {"支出总计", "人员编制"}


@pytest.mark.parametrize("operation, name, value", [("rank_max", "安图县社会保险事业管理局（本级）", "110.00"),
                                                    ("rank_min", "安图县社会保险服务中心", "40.00")])
def test_rank_units_ranks_the_units_the_department_lists(run, operation, name, value) -> None:
    r = run(Op.RANK_UNITS, f"{SOCIAL}2026年下属单位里哪个单位预算最多", operation=operation)
    assert (r.value, _keys(r)) == (Decimal(value), ["rank.units"])
    assert r.phrases[0].params["name"] == name and r.phrases[0].params["n"] == 2


def test_rank_units_without_unit_rows_is_not_found(run) -> None:
    r = run(Op.RANK_UNITS, "安图县教育局2026年下属单位里哪个单位预算最多", docs=("e26",), operation="rank_max")
    assert r.status == "not_found"


def test_rank_documents_ranks_one_item_across_departments(run) -> None:
    r = run(Op.RANK_DOCUMENTS, "哪个部门社会保障和就业支出最多", "社会保障和就业支出", docs=("s26", "e26"),
            operation="rank_max")
    assert (r.value, _keys(r)) == (Decimal("100.00"), ["rank.documents"])
    assert r.phrases[0].params["doc"].id == "s26"
    assert sorted(c.document_id for c in r.citations) == ["e26", "s26"]


@pytest.mark.parametrize("operation, item, value", [("rank_max", "社会保障和就业支出", "100.00"),
                                                    ("rank_min", "住房保障支出", "20.00")])
def test_rank_orders_the_function_categories_of_one_document(run, operation, item, value) -> None:
    r = run(Op.RANK, f"{SOCIAL}2026年哪个功能分类支出最多", operation=operation)
    assert (r.value, _keys(r)) == (Decimal(value), ["rank.categories"])
    assert r.phrases[0].params["item"].label == item
    assert len(r.phrases[0].params["listing"]) == 3  # 社会保障和就业, 卫生健康, 住房保障: the 类 rows


@pytest.mark.parametrize("operation, value, unit", [("change", "10.00", "万元"), ("growth", "11.11", "%")])
def test_across_years_compares_the_item_in_two_years(run, operation, value, unit) -> None:
    r = run(Op.ACROSS_YEARS, f"{SOCIAL}社会保障和就业支出比上年增长多少", "社会保障和就业支出",
            docs=("s25", "s26"), operation=operation)
    assert (r.value, r.unit, _keys(r)) == (Decimal(value), unit, ["change.across_years"])
    assert [c.document_id for c in r.citations] == ["s26", "s25"]


def test_change_answers_the_change_the_narrative_states(run) -> None:
    r = run(Op.CHANGE, f"{SOCIAL}2026年支出总计比上年增加多少", "支出总计")
    assert (r.value, r.unit, _keys(r)) == (Decimal("10.00"), "万元", ["change.stated"])
    assert r.phrases[0].params["dir"].key == "dir.increase"


def test_reason_quotes_the_reason_attached_to_the_items_change(run) -> None:
    r = run(Op.REASON, f"{SOCIAL}2026年支出为什么比上年增加", "支出总计")
    assert (r.status, r.value, r.unit, _keys(r)) == ("answered", Decimal("10.00"), "万元", ["reason.stated"])
    assert r.phrases[0].params["reason"] == "新增社保经办系统运维"
    assert _cited(r) == [("s26", "narrative", "支出总计")]


def test_reason_of_an_item_with_no_stated_change_says_so(run) -> None:
    r = run(Op.REASON, f"{SOCIAL}2026年卫生健康支出为什么增加", "卫生健康支出")
    assert (r.status, _keys(r)) == ("not_found", ["reason.no_change"])


def test_change_derives_last_years_figure_from_the_stated_change(run) -> None:
    r = run(Op.CHANGE, f"{SOCIAL}去年支出总计是多少", "支出总计", operation="prior")
    assert (r.value, r.unit, _keys(r)) == (Decimal("140.00"), "万元", ["change.prior"])


def test_change_with_no_statement_refuses_rather_than_guess(run) -> None:
    r = run(Op.CHANGE, "安图县教育局去年社会保障和就业支出是多少", "社会保障和就业支出", docs=("e26",),
            operation="prior")
    assert (r.status, r.value, _keys(r)) == ("not_found", None, ["change.no_statement"])


@pytest.mark.parametrize("operation, labels, value, key", [
    ("share", ("住房保障支出", "支出总计"), "13.33", "binary.share"),
    ("share", ("卫生健康支出",), "20.00", "binary.share"),  # of the total its row belongs to
    ("ratio", ("住房保障支出", "卫生健康支出"), "1.50", "binary.ratio"),  # the larger of the smaller
    ("difference", ("住房保障支出", "卫生健康支出"), "10.00", "binary.difference"),
    ("sum", ("卫生健康支出", "住房保障支出"), "50.00", "binary.sum"),
])
def test_binary_calculates_over_two_cells_of_one_document(run, operation, labels, value, key) -> None:
    r = run(Op.BINARY, f"{SOCIAL}2026年", *labels, operation=operation)
    assert (r.value, _keys(r)) == (Decimal(value), [key])
    assert r.formula and len(r.citations) == 2


def test_binary_share_of_two_columns_of_one_total_row(run) -> None:
    r = run(Op.BINARY, f"{SOCIAL}2026年基本支出占多少", "合计", operation="share", column="基本支出")
    assert (r.value, _keys(r)) == (Decimal("60.00"), ["binary.share"])  # 90 of the row's 合计 150


def test_binary_refuses_one_cell_compared_with_itself(run) -> None:
    r = run(Op.BINARY, f"{SOCIAL}2026年", "支出总计", "支出总计", operation="difference")
    assert r.status == "not_found"


def test_sum_documents_adds_one_item_over_the_documents(run) -> None:
    r = run(Op.SUM_DOCUMENTS, "社会保障和就业支出一共多少", "社会保障和就业支出", docs=("s26", "e26"), operation="sum")
    assert (r.value, r.unit, _keys(r)) == (Decimal("150.00"), "万元", ["compare.sum"])
    assert r.phrases[0].params["n"] == 2


def test_across_departments_compares_one_item_before_the_planned_operation(view, glossary) -> None:
    ctx = Ctx(understand("社会保障和就业支出相差多少", glossary),
              [d for d in view.documents if d.id in ("s26", "e26")], named=True)
    plan = Plan(Op.LOOKUP, ctx, subjects=(Subject("社会保障和就业支出", "社会保障和就业支出"),),
                operation="difference", across=True)
    r = compare.ACROSS.attempt(plan, view)
    assert r is not None and (r.value, _keys(r)) == (Decimal("50.00"), ["compare.difference"])
    assert compare.ACROSS.attempt(Plan(Op.LOOKUP, ctx, subjects=plan.subjects, operation="share",
                                       across=True), view) is None  # not one item across: run as planned
