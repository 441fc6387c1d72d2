"""Department linking, table-driven: real department names from the samples, short forms, English,
and departments or places the store does not hold (which must never link to a neighbour)."""

from __future__ import annotations

import pytest

from app.lang.departments import Catalog, DepartmentNames, split_name
from ingest.model import Document

HELD = [
    ("安图县社会保险事业管理局", "吉林省延边朝鲜族自治州安图县"), ("上海市普陀区司法局", "上海市普陀区"),
    ("上海市普陀区财政局", "上海市普陀区"), ("杭州市气象局", "杭州市"), ("杭州市交通运输局", "杭州市"),
    ("杭州市人民政府办公厅", "杭州市"), ("广州市信访局", "广州市"), ("广州市交通运输局", "广州市"),
    ("广州市卫生健康委员会", "广州市"), ("广州市发展和改革委员会", "广州市"), ("中共广州市委宣传部", "广州市"),
    ("广州市规划和自然资源局", "广州市"), ("广州市市场监督管理局", "广州市"), ("广州市生态环境局", "广州市"),
    ("广州市人民政府国有资产监督管理委员会", "广州市"), ("广州市城市管理和综合执法局", "广州市"),
    ("无锡市统计局", "无锡市"), ("无锡市教育局", "无锡市"), ("无锡市人力资源和社会保障局", "无锡市"),
    ("福州经济技术开发区生态环境局", "福州市"), ("福州市医疗保障局", "福州市"), ("福州市公安局交通警察支队", "福州市"),
    ("苏州市审计局", "苏州市"), ("苏州市生态环境局", "苏州市"), ("苏州市自然资源和规划局", "苏州市"),
    ("济南市审计局", "济南市"), ("江苏省高级人民法院", "江苏省"), ("中共江苏省委办公厅", "江苏省"),
    ("政协江苏省委员会办公厅", "江苏省"), ("江苏省人大常委会办公厅", "江苏省"),
]
UNKNOWN = "?"
CASES = [
    # full names
    ("安图县社会保险事业管理局2026年住房保障支出是多少", "安图县社会保险事业管理局"),
    ("上海市普陀区司法局的三公经费", "上海市普陀区司法局"),
    ("杭州市气象局2026年总支出", "杭州市气象局"),
    ("广州市信访局项目支出", "广州市信访局"),
    ("江苏省高级人民法院2019年预算", "江苏省高级人民法院"),
    ("中共江苏省委办公厅2018年预算总额", "中共江苏省委办公厅"),
    ("苏州市审计局的机关运行经费", "苏州市审计局"),
    ("济南市审计局的预算", "济南市审计局"),
    ("广州市城市管理和综合执法局的总支出", "广州市城市管理和综合执法局"),
    ("无锡市人力资源和社会保障局的社保缴费", "无锡市人力资源和社会保障局"),
    # short forms people use
    ("安图社保局的住房保障支出", "安图县社会保险事业管理局"),
    ("安图县社保局一共多少钱", "安图县社会保险事业管理局"),
    ("普陀司法局整个部门的三公经费", "上海市普陀区司法局"),
    ("普陀区财政局2024年决算", "上海市普陀区财政局"),
    ("杭州气象局的总支出", "杭州市气象局"),
    ("广州信访局的项目支出占总支出的百分之几", "广州市信访局"),
    ("广州信访办今年多少钱", "广州市信访局"),
    ("无锡统计局给职工交的住房公积金", "无锡市统计局"),
    ("福州经开区环保局2026年的项目支出", "福州经济技术开发区生态环境局"),
    ("福州经开区生态环境局的机关运行经费", "福州经济技术开发区生态环境局"),
    ("福州医保局的预算", "福州市医疗保障局"),
    ("福州交警支队的车辆", "福州市公安局交通警察支队"),
    ("江苏高院的预算总共有多少钱", "江苏省高级人民法院"),
    ("江苏省高院一共有多少辆车", "江苏省高级人民法院"),
    ("省高院给职工的房补", "江苏省高级人民法院"),
    ("江苏省委办公厅2018年预算", "中共江苏省委办公厅"),
    ("省委办公厅的一般行政管理事务支出", "中共江苏省委办公厅"),
    ("江苏省政协办公厅的三公经费", "政协江苏省委员会办公厅"),
    ("江苏省人大常委会办公厅的预算", "江苏省人大常委会办公厅"),
    ("广州卫健委的预算", "广州市卫生健康委员会"),
    ("广州发改委的总支出", "广州市发展和改革委员会"),
    ("广州市委宣传部的预算", "中共广州市委宣传部"),
    ("广州规划资源局的预算", "广州市规划和自然资源局"),
    ("广州市场监管局的总支出", "广州市市场监督管理局"),
    ("广州国资委的预算", "广州市人民政府国有资产监督管理委员会"),
    ("广州城管局的预算", "广州市城市管理和综合执法局"),
    ("无锡人社局的预算", "无锡市人力资源和社会保障局"),
    ("苏州资源规划局的预算", "苏州市自然资源和规划局"),
    ("杭州市政府办公厅的预算", "杭州市人民政府办公厅"),
    ("杭州政府办的总支出", "杭州市人民政府办公厅"),
    # same core, the place decides
    ("苏州审计局的三公经费", "苏州市审计局"),
    ("济南审计局的三公经费", "济南市审计局"),
    ("苏州生态环境局的预算", "苏州市生态环境局"),
    ("广州生态环境局的预算", "广州市生态环境局"),
    ("杭州交通运输局的预算", "杭州市交通运输局"),
    ("广州交通局的预算", "广州市交通运输局"),
    # English
    ("What is the Hangzhou weather bureau total?", "杭州市气象局"),
    ("How much does the Hangzhou Meteorological Bureau spend on pensions?", "杭州市气象局"),
    ("How much does the Jiangsu High Court spend on housing?", "江苏省高级人民法院"),
    ("What is the Guangzhou petitions bureau paying in subsidies?", "广州市信访局"),
    ("Guangzhou's Letters and Visits Bureau outsourcing", "广州市信访局"),
    ("What does the Wuxi statistics bureau spend on census work?", "无锡市统计局"),
    ("the Wuxi Municipal Bureau of Statistics health spending", "无锡市统计局"),
    ("Antu social insurance bureau housing", "安图县社会保险事业管理局"),
    ("What about the Putuo District finance bureau?", "上海市普陀区财政局"),
    ("Putuo justice bureau unit budget", "上海市普陀区司法局"),
    ("the Suzhou audit bureau's official car costs", "苏州市审计局"),
    ("Jinan audit bureau total", "济南市审计局"),
    ("Jiangsu CPPCC office total", "政协江苏省委员会办公厅"),
    ("the Jiangsu party committee general office budget", "中共江苏省委办公厅"),
    ("Guangzhou health commission budget", "广州市卫生健康委员会"),
    ("Fuzhou healthcare security bureau spending", "福州市医疗保障局"),
    # not held: refuse, never a neighbour
    ("敦化市社会保险事业管理局2026年预算总额是多少？", UNKNOWN),
    ("杭州司法局的预算", UNKNOWN),
    ("普陀区教育局的预算", UNKNOWN),
    ("安图县教育局的教育支出", UNKNOWN),
    ("广州市统计局的预算", UNKNOWN),
    ("南京市审计局的三公经费", UNKNOWN),
    ("杭州市商务局的预算", UNKNOWN),
    ("上海市普陀区商务委员会的预算", UNKNOWN),
    ("长宁区司法局的预算", UNKNOWN),
    ("the Putuo education bureau budget", UNKNOWN),
    ("Dunhua social insurance bureau budget", UNKNOWN),
    ("What is the Nanjing audit bureau's total?", UNKNOWN),
    ("Hangzhou justice bureau spending", UNKNOWN),
    ("Beijing weather bureau total", UNKNOWN),
    # no department named
    ("住房保障支出是多少", None),
    ("what is the housing security spend?", None),
    ("本部门的三公经费是多少", None),
    ("城市管理支出占总支出的比例", None),
    ("how much goes to pensions?", None),
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    docs = [Document(id=f"d{i}", source_key=f"{n}.pdf", path="", sha256="", title=n, department=n, region=r,
                     year=2026, kind="部门预算", level="department") for i, (n, r) in enumerate(HELD)]
    return Catalog(docs)


def test_at_least_eighty_cases():
    assert len(CASES) >= 80


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_link(catalog: Catalog, question: str, expected: str | None):
    linked = catalog.link(question)
    got = sorted({d.department for d in linked.documents})
    if expected == UNKNOWN:
        assert linked.unknown and not got, f"{question!r} linked to {got}"
    elif expected is None:
        assert not got and not linked.unknown, f"{question!r} linked to {got} / {linked.unknown!r}"
    else:
        assert got == [expected], f"{question!r} linked to {got} / unknown {linked.unknown!r}"
        assert not linked.unknown


def test_words_that_named_the_department_are_consumed(catalog: Catalog):
    text = "安图社保局的住房保障支出"
    spans = catalog.link(text).spans
    named = "".join(text[a:b] for a, b in spans)
    assert "安图社保局".startswith(named[:2]) and all(b <= len("安图社保局") for _, b in spans)


@pytest.mark.parametrize(("name", "places", "core"), [
    ("上海市普陀区司法局", ["上海市", "普陀区"], "司法局"),
    ("中共江苏省委办公厅", ["江苏省"], "省委办公厅"),
    ("安图县社会保险事业管理局", ["安图县"], "社会保险事业管理局"),
    ("广州市市场监督管理局", ["广州市"], "市场监督管理局"),
    ("福州经济技术开发区生态环境局", ["福州经济技术开发区"], "生态环境局"),
])
def test_split_name(name, places, core):
    assert split_name(name) == (places, core)


@pytest.mark.parametrize(("name", "english"), [
    ("杭州市气象局", "Hangzhou Meteorological Bureau"), ("上海市普陀区司法局", "Putuo Justice Bureau"),
    ("江苏省高级人民法院", "Jiangsu High Court"), ("无锡市统计局", "Wuxi Statistics Bureau"),
])
def test_english_names(name, english):
    assert DepartmentNames.of(name).english_name == english


def test_no_alias_shorter_than_two_characters(catalog: Catalog):
    assert all(len(a) >= 2 for n in catalog.names.values() for a in n.aliases)
