"""Over many documents FactView reads through the ledger's indexes; it must find what the cached path finds.

A question naming no department is asked of every document: the cached path would load and scan each
one's facts. These tests compare the two paths on generated disclosures (and the seed), read for read and
answer for answer, and check that the indexed path really leaves the documents' facts unloaded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.engine import Engine
from app.pipeline import factview
from app.pipeline.context import Ctx, Subject
from app.pipeline.understand import understand
from evals.generate import build, write
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
CACHED, INDEXED = 10**6, 0  # INDEXED_OVER for each path
LABELS = ["基本支出", "卫生健康支出", "合计", "支出总计", "人员经费", "公务接待费", "住房保障支出"]
UNNAMED = ["卫生健康支出是多少？", "基本支出是多少？", "哪个部门卫生健康支出最多？", "三公经费是多少？",
           "差旅费是多少？", "核定人员编制多少人？", "2026年支出总计是多少？", "住房保障支出比上年增长多少？",
           "一般公共预算支出合计是多少？", "收入预算总表里写了什么？"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    work = tmp_path_factory.mktemp("indexed")
    write(build(30, seed=7), work)
    ingest([work / "text", ROOT / "corpus"], work / "store", index=False)
    eng = Engine.open(work / "store", dense=False)
    yield eng
    eng.ledger.close()


def both(monkeypatch, read):
    """``read()`` on the cached path, then on the indexed one."""
    out = []
    for over in (CACHED, INDEXED):
        monkeypatch.setattr(factview, "INDEXED_OVER", over)
        out.append(read())
    return out


def subjects(view: factview.FactView) -> list[Subject]:
    """Plain labels, and labels inside one table (a 合计 row, a fund's own table), as linking makes them."""
    titles = sorted({f.table_title for f in view.ledger.facts(labels=["合计"]) if f.table_id})
    assert len(titles) >= 2
    return [Subject(lab, lab) for lab in LABELS] + [
        Subject("合计", "合计", table=f"^{re.escape(titles[0])}$"),
        Subject("合计", "合计", table=f"^{re.escape(titles[-1])}$"),
        Subject("卫生健康支出", "卫生健康支出", table=re.escape("一般公共预算")),
    ]


def test_indexed_reads_find_what_the_cached_ones_find(engine: Engine, monkeypatch) -> None:
    view = engine.view
    docs = view.documents
    ctx = Ctx(understand("卫生健康支出是多少？", engine.glossary), docs)
    found = 0
    for s in subjects(view):
        cached, indexed = both(monkeypatch, lambda s=s: (view.facts_for(ctx, s), view.docs_with(ctx, s),
                                                         view.labelled(docs, [s.label])))
        assert cached == indexed, s
        found += bool(cached[0])
    assert found >= 8  # the comparison is not of empty lists
    some = docs[::-3]  # a subset, in another order: facts come in the order of the documents given
    cached, indexed = both(monkeypatch, lambda: view.labelled(some, LABELS))
    assert cached == indexed and cached
    order = [d.id for d in some]
    at = [order.index(f.document_id) for f in indexed]
    assert at == sorted(at)
    cached, indexed = both(monkeypatch, lambda: view.grand_total(docs))
    assert cached == indexed != ""
    asked = "收入预算总表和表5是什么？"
    cached, indexed = both(monkeypatch, lambda: [t for t in view.absent_tables(docs, asked)
                                                 if t.title in asked or re.search(r"表\s*0?5(?!\d)", asked)])
    assert cached == indexed and cached


def test_the_pool_linking_reads_is_the_same_on_both_paths(engine: Engine, monkeypatch) -> None:
    view = engine.view
    docs = view.documents
    for kind in ("", "tabled", "valued", "amount", "change", "printed"):
        cached, indexed = both(monkeypatch, lambda kind=kind: view.pool(docs).labels(kind))
        assert cached == indexed and cached, kind
    labels = sorted(lab for lab in view.pool(docs).labels() if lab)
    cached, indexed = both(monkeypatch, lambda: [view.pool(docs).narrative_only(lab) for lab in labels])
    assert cached == indexed and any(cached) and not all(cached)
    codes = sorted({f.code for d in docs for f in view.facts_of(d.id) if f.code})[:10]
    cached, indexed = both(monkeypatch, lambda: [view.pool(docs).coded(c) for c in codes])
    assert cached == indexed and all(cached)
    cached, indexed = both(monkeypatch, lambda: view.pool(docs).where(
        lambda f: f.is_total and f.column.endswith("合计"), "is_total = 1 AND \"column\" LIKE '%' || ?", "合计"))
    assert cached == indexed and cached


def test_unnamed_questions_answer_alike_without_loading_every_document(engine: Engine, monkeypatch) -> None:
    answers = []
    for over in (CACHED, 4):  # 4: below the 15 newest disclosures an unnamed question is asked of
        monkeypatch.setattr(factview, "INDEXED_OVER", over)
        engine.refresh()  # a fresh view: nothing cached yet
        asked = [engine.ask(q).to_dict() for q in UNNAMED]
        answers.append([{k: v for k, v in a.items() if k != "latency_ms"} for a in asked])
        loaded = {key[1] for key in engine.view._cache if key[0] == "facts"}
        if over == CACHED:
            assert len(loaded) >= 15  # the cached path loads every candidate document
        else:
            assert not loaded, loaded
    assert answers[0] == answers[1]
    assert {a["status"] for a in answers[0]} >= {"answered", "ambiguous", "not_found"}
