"""The name model (app/lang/names.py): how a stored institution name is cut into words and shortened, and how
a question's phrase — Chinese or English — is read as a stored department, with no list of institutions."""

from __future__ import annotations

import pytest

from app.lang import names
from app.lang.departments import Catalog, split_name
from ingest.model import Document


@pytest.mark.parametrize(("core", "short"), [
    ("公安局交通管理局", "交管局"), ("公安局交通管理局", "交通管理局"), ("福利彩票发行中心", "福彩中心"),
    ("市场监督管理局", "市场监管局"), ("市场监督管理局", "市监局"), ("退役军人事务局", "退役军人局"),
    ("人力资源和社会保障局", "人社局"), ("卫生健康委员会", "卫健委"), ("住房和城乡建设局", "住建局"),
    ("发展和改革委员会", "发改委"), ("人民政府口岸办公室", "口岸办"), ("城市管理和综合执法局", "城管局"),
    ("应急管理局执法总队", "应急执法总队"), ("高级人民法院", "高院"), ("统一战线工作部", "统战部"),
    ("社会保险事业管理局", "社保局"), ("生态环境局", "环保局"), ("公安局交通管理局", "交警局"),
])
def test_a_short_form_is_read_as_its_core(core, short):
    assert names.score(short, names.forms_of(core)) is not None


@pytest.mark.parametrize(("core", "short"), [
    ("公安局交通管理局", "交管局"), ("福利彩票发行中心", "福彩中心"), ("市场监督管理局", "市监局"),
    ("退役军人事务局", "退役军人局"), ("人力资源和社会保障局", "人社局"), ("卫生健康委员会", "卫健委"),
    ("住房和城乡建设局", "住建局"), ("发展和改革委员会", "发改委"), ("人民政府口岸办公室", "口岸办"),
])
def test_the_usual_short_forms_are_generated(core, short):
    assert short in names.short_forms(core)


@pytest.mark.parametrize(("core", "phrase"), [
    ("公安局交通管理局", "公安局"),  # the parent is not its unit
    ("应急管理局执法总队", "应急管理局"),
    ("人力资源和社会保障局", "社保局"),  # the first conjunct is never left out
    ("福利彩票发行中心", "福彩局"),  # the ending must be the core's
    ("交通运输局", "交管局"),
])
def test_a_phrase_naming_another_body_is_not_read_as_the_core(core, phrase):
    assert names.score(phrase, names.forms_of(core)) is None


def test_a_core_is_cut_into_words_of_their_kinds():
    form = names.form_of("公安局交通管理局")
    assert [(p.text, p.kind, p.part) for p in form.pieces] == [
        ("公安", "content", -1), ("局", "ending", -1), ("交通", "content", 0), ("管理", "generic", 0),
        ("局", "ending", 0)]


def test_the_dearer_reading_loses_a_near_choice():
    """交通局 is the 交通运输局 (one word left out) before the traffic police (parent and 管理 left out)."""
    transport = names.score("交通局", names.forms_of("交通运输局"))
    police = names.score("交通局", names.forms_of("公安局交通管理局"))
    assert transport is not None and police is not None and police - transport > names.TIE


@pytest.mark.parametrize(("name", "places", "core"), [
    ("深圳市人民政府口岸办公室", ["深圳市"], "人民政府口岸办公室"),
    ("上海交通职业技术学院", ["上海"], "交通职业技术学院"),
    ("中共北京市委宣传部", ["北京市"], "市委宣传部"),
    ("政协江苏省委员会办公厅", ["江苏省"], "政协委员会办公厅"),
    ("无锡市住房和城乡建设局", ["无锡市"], "住房和城乡建设局"),
])
def test_places_come_from_the_gazetteer(name, places, core):
    assert split_name(name) == (places, core)


HELD = ["上海市福利彩票发行中心", "上海市海洋监测预报中心", "上海市应急管理局执法总队", "深圳市公安局交通管理局",
        "深圳市人民政府口岸办公室", "深圳市信访局", "深圳市交通运输局", "北京市信访办公室", "西安市财政局",
        "上海市普陀区财政局"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog([Document(id=f"d{i}", source_key=f"{n}.pdf", path="", sha256="", title=n, department=n,
                             region="", year=2026, kind="部门预算", level="department")
                    for i, n in enumerate(HELD)])


@pytest.mark.parametrize(("question", "expected"), [
    ("上海福彩中心2026年的收入预算一共多少钱？", "上海市福利彩票发行中心"),
    ("深圳交管局2026年部门预算收入总共多少钱？", "深圳市公安局交通管理局"),
    ("深圳口岸办2026年项目支出安排了多少？", "深圳市人民政府口岸办公室"),
    ("深圳交警2026年部门预算支出跟2025年年初预算比", "深圳市公安局交通管理局"),
    ("上海应急执法总队2026年项目支出安排了多少钱？", "上海市应急管理局执法总队"),
    ("北京信访局的三公经费", "北京市信访办公室"),
    ("What is the 2026 office expenses budget of Shanghai's ocean monitoring and forecasting centre?",
     "上海市海洋监测预报中心"),
    ("How much has Shanghai's emergency management law enforcement corps budgeted for housing?",
     "上海市应急管理局执法总队"),
    ("How much has the Shanghai Welfare Lottery Issuance Center budgeted for staff costs?", "上海市福利彩票发行中心"),
    ("How much does Shenzhen's traffic police bureau budget for social security?", "深圳市公安局交通管理局"),
    ("How did the Shenzhen petition office's operating costs change?", "深圳市信访局"),
    ("How much fiscal appropriation does the Shenzhen Transport Bureau receive?", "深圳市交通运输局"),
    ("What is Xi'an's finance bureau's total 2026 budget?", "西安市财政局"),
])
def test_a_department_is_linked_from_how_people_name_it(catalog: Catalog, question: str, expected: str):
    linked = catalog.link(question)
    assert sorted({d.department for d in linked.documents}) == [expected], linked.unknown


@pytest.mark.parametrize("question", [
    "深圳公安局的预算",  # only its traffic police bureau is held
    "深圳市公安局治安支队预算",  # a unit of a bureau not held
    "广州信访局的项目支出",  # Shenzhen's is held, not Guangzhou's
    "上海市财政局2026年预算",  # the city's bureau, not Putuo's
    "上海应急管理局的预算",
    "What is the Guangzhou traffic police bureau's total budget for 2026?",
    "Show me the Shenzhen Public Security Bureau's spending.",
    "What is Chongqing's finance bureau's budget?",
])
def test_an_institution_not_held_is_never_linked_to_another(catalog: Catalog, question: str):
    linked = catalog.link(question)
    assert not linked.documents and linked.unknown, [d.department for d in linked.documents]


def test_an_english_place_name_is_consumed_whole(catalog: Catalog):
    """"Xi'an" names the department's place: no "Xi" or "an" is left for item linking."""
    text = "What is Xi'an's finance bureau's total 2026 budget?"
    spans = catalog.link(text).spans
    assert any(text[a:b].startswith("Xi'an") for a, b in spans)


def test_every_word_of_a_held_name_has_english():
    """The lexicon covers every word of the names it was built for, so each has an English name."""
    for name in HELD:
        assert Catalog([Document(id="d", source_key="x", path="", sha256="", title=name, department=name,
                                 region="", year=2026, kind="部门预算",
                                 level="department")]).english_name(name).count(" ") >= 1, name
