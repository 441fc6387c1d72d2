"""The question stages one by one — scope, conversation, link, plan — against a tiny hand-written store
(tests/tiny_ledger.py): each test names the stage's decision it checks, not the answer it ends in."""

from __future__ import annotations

from dataclasses import replace

import pytest
import tiny_ledger as tiny

from app.engine import _within
from app.ops import Op, registry
from app.ops.base import Asked, Plan
from app.pipeline import link
from app.pipeline.context import Ctx, Subject
from app.pipeline.conversation import contextualise
from app.pipeline.plan import plan
from app.pipeline.result import Result
from app.pipeline.understand import Query, understand
from ingest.glossary import Glossary


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load()


@pytest.fixture(scope="module")
def view(tmp_path_factory, glossary):
    ledger = tiny.build(tmp_path_factory.mktemp("tiny") / "store")
    yield tiny.view_of(ledger, glossary)
    ledger.close()


@pytest.fixture(scope="module")
def resolver(view):
    return tiny.resolver_of(view)


def _read(question: str, glossary, resolver, restrict: list[str] | None = None):
    """The question read and scoped as the engine does before planning (department words are no item)."""
    q = understand(question, glossary)
    scope = resolver.resolve(q, restrict)
    return replace(q, terms=[m for m in q.terms if not _within(m.start, m.end, scope.spans)]), scope


def _plan(question: str, glossary, resolver, view) -> Plan | Result:
    q, scope = _read(question, glossary, resolver)
    return plan(q, scope, view)


def _ctx(view, q: Query, *doc_ids: str) -> Ctx:
    return Ctx(q, [d for d in view.documents if d.id in doc_ids], named=True)


SOCIAL = tiny.SOCIAL


# ---- scope -------------------------------------------------------------------------------------------


def test_scope_is_every_year_of_the_department_named(glossary, resolver) -> None:
    _, scope = _read(f"{SOCIAL}支出总计是多少", glossary, resolver)
    assert sorted(d.id for d in scope.documents) == ["s25", "s26"]
    assert scope.named and not scope.unknown


def test_scope_refuses_a_department_the_store_does_not_hold(glossary, resolver) -> None:
    _, scope = _read("安图县文化局2026年支出总计是多少", glossary, resolver)
    assert scope.unknown == "安图县文化局"
    assert scope.documents == []


def test_scope_without_a_department_is_every_document(glossary, resolver) -> None:
    _, scope = _read("社会保障和就业支出是多少", glossary, resolver)
    assert sorted(d.id for d in scope.documents) == ["e26", "s25", "s26"]
    assert not scope.named


def test_scope_keeps_to_the_documents_chosen(glossary, resolver) -> None:
    _, scope = _read("社会保障和就业支出是多少", glossary, resolver, restrict=["e26"])
    assert [d.id for d in scope.documents] == ["e26"]


# ---- conversation ------------------------------------------------------------------------------------


def test_follow_up_keeps_the_department_and_reads_the_new_year(view, glossary) -> None:
    first = f"{SOCIAL}2026年支出总计是多少？"
    reading = contextualise("那去年呢？", [first], view.catalog, lambda t: understand(t, glossary))
    assert reading.follow_up and reading.based_on == first
    assert SOCIAL in reading.text and "去年" in reading.text and "2026" not in reading.text


def test_question_with_its_own_department_and_item_is_read_alone(view, glossary) -> None:
    question = "安图县教育局2026年教育支出是多少？"
    reading = contextualise(question, [f"{SOCIAL}2026年支出总计是多少？"], view.catalog,
                            lambda t: understand(t, glossary))
    assert not reading.follow_up
    assert reading.text == question


# ---- link --------------------------------------------------------------------------------------------


def test_link_finds_the_row_a_glossary_term_names(view, glossary, resolver) -> None:
    q, _ = _read(f"{SOCIAL}2026年社会保障和就业支出是多少", glossary, resolver)
    subjects, _ = link.link_subjects(view, _ctx(view, q, "s26"))
    assert [(s.label, s.via) for s in subjects] == [("社会保障和就业支出", "exact")]


def test_link_reads_a_measure_word_as_the_column_of_a_total_row(view, glossary, resolver) -> None:
    q, _ = _read(f"{SOCIAL}2026年基本支出是多少", glossary, resolver)
    subjects, _ = link.link_subjects(view, _ctx(view, q, "s26"))
    assert [(s.label, s.column, s.via) for s in subjects] == [("合计", "基本支出", "column")]


def test_link_takes_the_label_the_asker_quotes_in_brackets(view, glossary, resolver) -> None:
    q, _ = _read(f"{SOCIAL}2026年社保支出（社会保障和就业支出）是多少", glossary, resolver)
    subjects, _ = link.link_subjects(view, _ctx(view, q, "s26"))
    assert [(s.label, s.via) for s in subjects] == [("社会保障和就业支出", "quoted")]


def test_link_reads_a_unit_named_in_the_question_as_its_row(view, glossary, resolver) -> None:
    q, _ = _read(f"{SOCIAL}2026年社会保险服务中心预算是多少", glossary, resolver)
    subjects, debug = link.link_subjects(view, _ctx(view, q, "s26"))
    assert [(s.label, s.via, s.column) for s in subjects] == [("安图县社会保险服务中心", "unit", "合计")]
    assert debug["units"] == ["安图县社会保险服务中心"]


def test_link_keeps_both_operands_of_a_ratio_in_question_order(view, glossary, resolver) -> None:
    q, _ = _read(f"{SOCIAL}2026年卫生健康支出是住房保障支出的几倍", glossary, resolver)
    subjects, _ = link.link_subjects(view, _ctx(view, q, "s26"))
    assert [s.label for s in subjects] == ["卫生健康支出", "住房保障支出"]
    assert subjects[0].start < subjects[1].start


def test_link_finds_nothing_for_an_item_no_row_prints(view, glossary, resolver) -> None:
    q, _ = _read(f"{SOCIAL}2026年差旅费是多少", glossary, resolver)
    subjects, _ = link.link_subjects(view, _ctx(view, q, "s26"))
    assert [s for s in subjects if s.label] == []


# ---- plan --------------------------------------------------------------------------------------------


def test_plan_refuses_a_year_the_store_does_not_hold(view, glossary, resolver) -> None:
    planned = _plan(f"{SOCIAL}2019年支出总计是多少", glossary, resolver, view)
    assert isinstance(planned, Result) and planned.status == "not_found"
    assert planned.phrases[0].key == "refuse.year" and planned.phrases[0].params["years"] == "2019"


def test_plan_answers_an_item_from_the_year_asked_only(view, glossary, resolver) -> None:
    planned = _plan(f"{SOCIAL}2026年社会保障和就业支出是多少", glossary, resolver, view)
    assert isinstance(planned, Plan)
    assert (planned.op, planned.operation) == (Op.LOOKUP, "lookup")
    assert [d.id for d in planned.ctx.docs] == ["s26"]
    assert [s.label for s in planned.subjects] == ["社会保障和就业支出"]


def test_plan_names_the_words_of_an_item_not_disclosed(view, glossary, resolver) -> None:
    planned = _plan(f"{SOCIAL}2026年差旅费是多少", glossary, resolver, view)
    assert isinstance(planned, Plan)
    assert (planned.op, planned.item) == (Op.NOT_FOUND, "差旅费")


def test_plan_asks_a_definition_without_linking_items(view, glossary, resolver) -> None:
    planned = _plan(f"{SOCIAL}2026年什么是基本支出", glossary, resolver, view)
    assert isinstance(planned, Plan)
    assert planned.op == Op.DESCRIBE and planned.subjects == () and "subjects" not in planned.debug


def test_plan_compares_two_held_years_when_no_year_is_named(view, glossary, resolver) -> None:
    planned = _plan(f"{SOCIAL}社会保障和就业支出比上年增长多少", glossary, resolver, view)
    assert isinstance(planned, Plan)
    assert planned.op == Op.ACROSS_YEARS
    assert sorted(d.id for d in planned.ctx.docs) == ["s25", "s26"]


def test_plan_reads_a_change_of_a_named_year_from_its_statement(view, glossary, resolver) -> None:
    planned = _plan(f"{SOCIAL}2026年支出总计比上年增加多少", glossary, resolver, view)
    assert isinstance(planned, Plan)
    assert (planned.op, [d.id for d in planned.ctx.docs]) == (Op.CHANGE, ["s26"])


def test_plan_takes_the_grand_total_for_a_change_naming_no_item(view, glossary, resolver) -> None:
    planned = _plan(f"{SOCIAL}2026年预算比上年增加多少", glossary, resolver, view)
    assert isinstance(planned, Plan)
    assert planned.op == Op.CHANGE
    assert [(s.label, s.via) for s in planned.subjects] == [("支出总计", "total")]


def test_plan_asks_last_year_of_a_department_holding_one_year_as_its_prior_figure(view, glossary,
                                                                                   resolver) -> None:
    planned = _plan("安图县教育局去年社会保障和就业支出是多少", glossary, resolver, view)
    assert isinstance(planned, Plan)
    assert (planned.op, planned.operation) == (Op.CHANGE, "prior")


@pytest.mark.parametrize("question, op", [
    ("2026年住房保障支出占支出总计的比例", Op.BINARY),
    ("2026年卫生健康支出占比是多少", Op.BINARY),  # one item: its share of the total it belongs to
    ("2026年卫生健康支出和住房保障支出加起来多少", Op.BINARY),
    ("2026年哪个功能分类支出最多", Op.RANK),
    ("2026年下属单位里哪个单位预算最多", Op.RANK_UNITS),
    ("2026年核定人员编制多少人", Op.COUNT),
    ("2026年人均支出是多少", Op.PER_UNIT),
])
def test_plan_chooses_the_registered_operation_that_applies(question, op, view, glossary, resolver) -> None:
    planned = _plan(SOCIAL + question, glossary, resolver, view)
    assert isinstance(planned, Plan) and planned.op == op


def test_plan_ranks_departments_when_asked_which_department(view, glossary, resolver) -> None:
    planned = _plan("哪个部门社会保障和就业支出最多", glossary, resolver, view)
    assert isinstance(planned, Plan) and planned.op == Op.RANK_DOCUMENTS


def test_plan_adds_one_item_over_the_departments_named(view, glossary, resolver) -> None:
    planned = _plan(f"{SOCIAL}和安图县教育局2026年社会保障和就业支出一共多少", glossary, resolver, view)
    assert isinstance(planned, Plan)
    assert planned.op == Op.SUM_DOCUMENTS and planned.across
    assert sorted(d.id for d in planned.ctx.docs) == ["e26", "s26"]


def test_plan_refuses_a_ratio_whose_second_item_did_not_link(view, glossary, resolver) -> None:
    planned = _plan(f"{SOCIAL}2026年卫生健康支出是差旅费的几倍", glossary, resolver, view)
    assert isinstance(planned, Plan)
    assert (planned.op, planned.item) == (Op.NOT_FOUND, "差旅费")


def test_plan_refuses_the_total_as_a_share_of_itself(view, glossary, resolver) -> None:
    planned = _plan(f"{SOCIAL}2026年支出总计占支出总计的比例", glossary, resolver, view)
    assert isinstance(planned, Plan)
    assert (planned.op, planned.subjects) == (Op.NOT_FOUND, ())


# ---- the registry's choice, from what linked --------------------------------------------------------


def _asked(view, glossary, op: str, *labels: str, left: str = "") -> Asked:
    q = understand(f"{SOCIAL}2026年", glossary)
    return Asked(_ctx(view, q, "s26"), op, tuple(Subject(lab, lab) for lab in labels), left=left)


def test_nothing_linked_is_unanswered_for_a_lookup_but_counted_for_a_count(view, glossary) -> None:
    assert registry.unanswered(_asked(view, glossary, "lookup")) == ""
    assert registry.unanswered(_asked(view, glossary, "count")) is None
    assert registry.choose(_asked(view, glossary, "count"), view).name == "count"


def test_a_sum_of_two_items_in_one_document_is_binary_and_of_one_item_a_lookup(view, glossary) -> None:
    assert registry.choose(_asked(view, glossary, "sum", "卫生健康支出", "住房保障支出"), view).name == "binary"
    assert registry.choose(_asked(view, glossary, "sum", "卫生健康支出"), view).name == "lookup"


def test_an_operand_that_did_not_link_is_not_read_as_the_grand_total(view, glossary) -> None:
    asked = _asked(view, glossary, "difference", "卫生健康支出", "支出总计", left="差旅")
    assert registry.unanswered(asked) == "差旅"
    assert registry.unanswered(replace(asked, left="")) is None
