"""Scope and linking when one name is borne by several departments, and a fund said before an item: the
stages' decisions over a tiny store of two counties' 教育局 (tests/tiny_ledger.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import tiny_ledger as tiny

from app.engine import _within
from app.ops.base import Plan
from app.pipeline.context import Subject
from app.pipeline.link import fund_as_lead
from app.pipeline.plan import plan
from app.pipeline.understand import understand
from ingest.glossary import Glossary
from ingest.ledger import Ledger


@pytest.fixture(scope="module")
def stages(tmp_path_factory):
    glossary = Glossary.load()
    ledger = Ledger(tmp_path_factory.mktemp("two") / "store")
    ledger.put([tiny.education_2026(), tiny.education_elsewhere()])
    view = tiny.view_of(ledger, glossary)
    yield glossary, view, tiny.resolver_of(view)
    ledger.close()


def _plan(question: str, stages) -> Plan:
    glossary, view, resolver = stages
    q = understand(question, glossary)
    scope = resolver.resolve(q)
    q = replace(q, terms=[m for m in q.terms if not _within(m.start, m.end, scope.spans)])
    planned = plan(q, scope, view)
    assert isinstance(planned, Plan), planned
    return planned


def test_one_name_two_departments_bear_is_not_a_sum_across_them(stages) -> None:
    planned = _plan("教育局2026年教育支出一共多少？", stages)
    assert len(planned.ctx.docs) == 2 and not planned.across and planned.operation == "lookup"


def test_two_departments_named_apart_are_added_up(stages) -> None:
    planned = _plan("安图县教育局和延吉市教育局2026年教育支出一共多少？", stages)
    assert len(planned.ctx.docs) == 2 and planned.across


def test_a_question_saying_it_means_them_all_is_across_them(stages) -> None:
    assert _plan("各个教育局2026年教育支出一共多少？", stages).across


def test_a_fund_said_before_an_item_scopes_it_and_is_no_second_item() -> None:
    def found(text: str) -> list[str]:
        fund = Subject("财政拨款", "财政拨款", start=text.index("财政拨款"))
        item = Subject("“三公”经费", "三公”经费", start=text.index("三公"))
        return [s.label for s in fund_as_lead([fund, item], "财政拨款", text)]

    assert found("财政拨款“三公”经费总共多少") == ["“三公”经费"]
    assert found("财政拨款的三公经费是多少") == ["“三公”经费"]
    assert found("财政拨款和“三公”经费一共多少") == ["财政拨款", "“三公”经费"]



def test_both_kinds_asked_keep_the_department_publishing_both() -> None:
    from app.pipeline.scope import _holding_every_kind
    from ingest.model import Document

    def doc(i: str, dept: str, kind: str) -> Document:
        return Document(id=i, source_key=i, path=i, sha256=i, title=i, department=dept, region="", year=2026,
                        kind=kind, level="department")
    putuo = [doc("a", "上海市普陀区司法局", "部门预算"), doc("b", "上海市普陀区司法局", "单位预算")]
    beijing = [doc("c", "北京市司法局", "部门预算")]
    assert _holding_every_kind(putuo + beijing, ["部门预算", "单位预算"]) == putuo
    assert _holding_every_kind(beijing, ["部门预算", "单位预算"]) == beijing  # none holds both: all stay
    assert _holding_every_kind(putuo + beijing, ["部门预算"]) == putuo + beijing


def test_a_part_named_beside_its_own_parts_frames_the_question() -> None:
    from app.pipeline.link import _within_part

    said = [Subject("合计", "基本支出"), Subject("合计", "人员经费"), Subject("合计", "公用经费")]
    assert [s.surface for s in _within_part(said)] == ["人员经费", "公用经费"]
    share = [Subject("合计", "人员经费"), Subject("合计", "基本支出")]  # 人员经费占基本支出: both operands
    assert _within_part(share) == share
    spending = [Subject("合计", "项目支出"), Subject("合计", "人员经费"), Subject("合计", "公用经费")]
    assert _within_part(spending) == spending  # 项目支出 prints neither: no frame


def test_counting_words_claim_a_question_before_its_total_words() -> None:
    glossary = Glossary.load()
    assert understand("北京市卫生健康委员会下面一共有多少个预算单位？", glossary).operation == "count"
    assert understand("这几个项目加起来一共多少钱？", glossary).operation == "sum"


def test_a_unit_said_after_its_parent_department_is_the_unit() -> None:
    from app.pipeline.scope import ScopeResolver
    from ingest.model import Document

    glossary = Glossary.load()
    unit = Document(id="u", source_key="u.pdf", path="u.pdf", sha256="u", title="u",
                    department="上海市刑事科学技术研究院", region="上海市", year=2026, kind="单位预算", level="unit",
                    parent="上海市公安局")
    other = Document(id="d", source_key="d.pdf", path="d.pdf", sha256="d", title="d", department="上海市数据局",
                     region="上海市", year=2026, kind="单位预算", level="unit")
    resolver = ScopeResolver([unit, other], glossary)
    scope = resolver.resolve(understand("上海市公安局刑科院2026年办公费是多少？", glossary))
    assert [d.id for d in scope.documents] == ["u"] and not scope.unknown
    alone = resolver.resolve(understand("上海市公安局2026年办公费是多少？", glossary))
    assert alone.unknown and not alone.documents  # the parent itself is not held: refused, not its unit


def test_a_fund_then_the_bare_word_for_appropriations_is_one_item() -> None:
    from app.pipeline.link import _fund_then_appropriation

    glossary = Glossary.load()
    text = "Does it get any government-managed funds [gmf] appropriation in 2026?"
    fund, bare = glossary.by_zh("政府性基金预算拨款"), glossary.by_zh("财政拨款")
    found = [Subject(fund.zh, "government-managed funds", term=fund, start=text.index("government")),
             Subject(bare.zh, "appropriation", term=bare, start=text.index("appropriation"))]
    assert _fund_then_appropriation(found, text) == found  # "[gmf]" is no gloss in brackets: two items said
    glossed = text.replace("[gmf]", "(政府性基金)")
    found[1].start = glossed.index("appropriation")
    assert [s.term.zh for s in _fund_then_appropriation(found, glossed)] == [fund.zh]


def test_an_institution_under_two_names_is_found_by_either() -> None:
    from app.lang.departments import Catalog
    from ingest.model import Document

    def doc(i: str, dept: str) -> Document:
        return Document(id=i, source_key=i, path=i, sha256=i, title=i, department=dept, region="上海市",
                        year=2026, kind="单位预算", level="unit")
    both = doc("f", "上海市财务会计综合管理事务中心(上海市财政科学研究所)")
    catalog = Catalog([both, doc("d", "上海市数据局"), doc("o", "上海市民政局（本级）")])
    for said in ("上海市财务会计综合管理事务中心的支出", "上海财科所的项目支出", "上海市财政科学研究所的办公费"):
        assert [d.id for d in catalog.link(said).documents] == ["f"], said
    assert "本级" not in catalog.names  # a bracketed 本级 is no second name


def test_the_organ_said_before_a_name_is_part_of_it() -> None:
    from app.lang.departments import Catalog
    from ingest.model import Document

    organ = Document(id="z", source_key="z", path="z", sha256="z", title="z", department="中共正定县委组织部",
                     region="正定县", year=2025, kind="部门预算", level="department")
    text = "中共正定县委组织部2025年支出总计是多少？"
    linked = Catalog([organ]).link(text)
    assert [d.id for d in linked.documents] == ["z"]
    assert min(a for a, _ in linked.spans) == 0  # 中共 is consumed with the name: no item called 中共
