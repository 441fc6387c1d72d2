"""The chat's first visit, chips, openable sources and units, over HTTP on the seed and the sample PDFs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import requests
from conftest import SAMPLE_FILES, SEED, samples_dir
from test_web import start_server

from app.pipeline.answer import Answer
from app.web.app import render_answer
from app.web.chips import chips, complete
from app.web.units import convert, gloss_en

SEED_ID = "bb9df3d33372be7b"


def start_many(store: Path):
    """Seed plus the three sample PDFs (the case where fixed examples used to end in "which document?")."""
    base = samples_dir()
    return start_server(store, [SEED, *(base / f for f in SAMPLE_FILES.values())])


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    engine, demo, url = start_many(tmp_path_factory.mktemp("manystore") / "store")
    yield engine, url
    demo.close()


def doc_of(engine, kind: str, department: str):
    return next(d for d in engine.documents() if d.kind == kind and department in d.department)


@pytest.mark.samples
def test_every_example_answers_with_a_figure_and_names_its_document(many):
    from app.lang.departments import Catalog
    from app.web.app import overview
    from app.web.examples import Examples
    from ingest.glossary import Glossary

    engine, _ = many
    catalog = Catalog(engine.documents())
    examples = Examples(engine, Glossary.load(), overview)
    for doc in engine.documents():
        found = examples.of(doc, catalog.english_name(doc.department))
        assert len(found) == 2, doc.label
        for e in found:
            assert doc.department in e.zh and doc.kind in e.zh
            for q in (e.zh, e.en):
                answer = engine.ask(q)
                assert answer.status == "answered" and answer.value is not None, q
                assert {c.document_id for c in answer.citations} == {doc.id}, q
    builtin = examples.builtin(engine.documents(), catalog.english_name)
    assert len(builtin) == 4
    assert all(engine.ask(q).status == "answered" for [q] in builtin)


@pytest.mark.samples
def test_ask_back_candidates_complete_the_question(many):
    engine, _ = many
    answer = engine.ask("住房保障支出是多少元")
    # four documents hold the item; the Putuo justice bureau's 部门预算 answers for it (its 单位预算 is named beside)
    assert answer.status == "ambiguous" and len(answer.candidates) == 3
    assert not any("单位预算" in c for c in answer.candidates)
    for question in chips(answer, engine.documents()):
        assert question.endswith("住房保障支出是多少元")
        done = engine.ask(question)
        assert done.status == "answered" and done.value is not None
    en = engine.ask("what is the housing security spend?")
    completed = [complete(en, c, engine.documents()) for c in en.candidates]
    assert all(engine.ask(q).status == "answered" for q in completed)


@pytest.mark.samples
def test_closest_item_replaces_the_missing_word(many):
    engine, _ = many
    answer = engine.ask("安图县社会保险事业管理局2026年部门预算飞机支出是多少？")
    assert answer.status == "not_found" and answer.candidates
    first = chips(answer, engine.documents())[0]
    assert (
        first == f"安图县社会保险事业管理局2026年部门预算{answer.candidates[0]}支出是多少？"
        or first.startswith("安图县社会保险事业管理局2026年部门预算")
        and "飞机" not in first
    )


@pytest.mark.samples
def test_follow_up_is_a_share_question_that_answers(many):
    engine, _ = many
    answer = engine.ask("安图县社会保险事业管理局2026年部门预算住房保障支出是多少？")
    [share] = chips(answer, engine.documents())
    assert share == "安图县社会保险事业管理局2026年部门预算住房保障支出占支出总计的比例是多少？"
    out = engine.ask(share)
    assert (out.status, str(out.value), out.unit) == ("answered", "4.30", "%")


@pytest.mark.samples
def test_cited_pdf_page_opens_as_an_image_with_the_row_marked(many):
    engine, url = many
    doc = doc_of(engine, "单位预算", "司法局")
    answer = engine.ask(f"{doc.department}2026年单位预算公共安全支出是多少？")
    page = render_answer(answer)
    href = page.split('class="bq-open" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert href.startswith("bq/source/page.png?document=" + doc.id)
    got = requests.get(url + href, timeout=30)
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    assert got.content[:8] == b"\x89PNG\r\n\x1a\n" and len(got.content) > 10_000
    plain = requests.get(url + href.split("&row=")[0], timeout=30).content
    assert plain != got.content  # the marked row changes the picture
    assert (
        requests.get(url + "bq/source/page.png?document=../../etc/passwd&page=1", timeout=10).status_code
        == 404
    )
    assert requests.get(url + f"bq/source/page.png?document={doc.id}&page=999", timeout=10).status_code == 404


@pytest.mark.samples
def test_cited_text_line_opens_in_context(many):
    _, url = many
    got = requests.get(url + f"bq/source/lines?document={SEED_ID}&line=167", timeout=10)
    assert got.status_code == 200
    cited = got.text.split('id="cited"><td>167</td><td>', 1)[1].split("</td>", 1)[0]
    assert cited.split() == ["二十、住房保障支出", "48.66", "48.66", "0.00"]
    assert got.text.count("<tr") == 17
    assert requests.post(url + f"bq/source/lines?document={SEED_ID}&line=167", timeout=10).status_code == 405


def test_units_convert_exactly_and_english_gets_a_gloss():
    assert convert(Decimal("79189400.34"), "元", "万元") == Decimal("7918.94")
    assert convert(Decimal("1131.55"), "万元", "元") == Decimal("11315500.00")
    assert convert(Decimal("48"), "人", "万元") is None
    assert gloss_en(Decimal("1131.55"), "万元") == "≈ 11.3 million yuan"
    assert gloss_en(Decimal("48.66"), "万元") == "≈ 486,600 yuan"
    assert gloss_en(Decimal("486600"), "元") == ""
    en = render_answer(Answer("q", "answered", "x", "en", Decimal("1131.55"), "万元"))
    assert '1,131.55 万元</span> <span class="bq-gloss">≈ 11.3 million yuan</span>' in en
    assert "bq-gloss" not in render_answer(Answer("q", "answered", "x", "zh", Decimal("1131.55"), "万元"))


def test_reports_are_capped_text_and_export_as_csv(tmp_path, monkeypatch):
    from app.web import reports as web_reports
    from app.web.app import last_exchange

    reports = web_reports.Reports(tmp_path)
    assert reports.all() == [] and not (tmp_path / "reports.sqlite").exists()
    assert reports.add("  ", "x") is False
    assert reports.add("q1", "a1", "c" * 900) is True
    monkeypatch.setattr(web_reports, "MAX_ROWS", 1)
    assert reports.add("q2", "a2") is False  # full: nothing more is stored
    [row] = reports.all()
    assert (row[2], row[3], len(row[4])) == ("q1", "a1", 500)
    assert reports.csv().splitlines()[0] == "id,at,question,answer,comment"
    history = [
        {"role": "user", "content": '<div class="bq-q">住房 &lt;b&gt;</div>'},
        {
            "role": "assistant",
            "content": [
                {
                    "type": "text",
                    "text": '<div class="bq-answer"><div>48.66'
                    '<br>万元</div><a class="bq-copy" data-copy="x">复制文字</a></div>',
                }
            ],
        },
    ]
    assert last_exchange(history) == ("住房 <b>", "48.66\n万元")



def test_earlier_questions_are_read_from_the_chat_in_either_message_form():
    from app.web.app import asked_before, render_question

    def user(q: str, parts: bool) -> dict:
        html = render_question(q)
        return {"role": "user", "content": [{"type": "text", "text": html}] if parts else html}

    answer = {"role": "assistant", "content": [{"type": "text", "text": '<div class="bq-answer">x</div>'}]}
    for parts in (False, True):  # Gradio 6 returns the chat's messages as lists of text parts
        history = [user("杭州气象局2026年支出总计是多少？", parts), answer, user("那去年呢？", parts)]
        assert asked_before(history) == ["杭州气象局2026年支出总计是多少？"]


@pytest.mark.samples
def test_english_follow_up_is_english_and_answers(many):
    from app.lang.departments import Catalog
    from ingest.glossary import Glossary

    engine, _ = many
    answer = engine.ask(
        "What is the housing security expenditure in the Antu Social Insurance Administration 2026 "
        "department budget?"
    )
    assert answer.status == "answered" and answer.lang == "en"
    [share] = chips(answer, engine.documents(), Catalog(engine.documents()).english_name, Glossary.load())
    assert share == (
        "What share of total spending is housing security expenditure in the Antu Social Insurance "
        "Administration 2026 department budget?"
    )
    out = engine.ask(share)
    assert (out.status, str(out.value), out.unit) == ("answered", "4.30", "%")
