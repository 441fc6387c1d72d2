"""The chat's first visit, chips, openable sources and units, over HTTP on the seed and the sample PDFs."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from conftest import SAMPLE_FILES, SEED, samples_dir
from test_web import start_server

from app.pipeline.answer import Answer
from app.web.chips import Words, chips
from app.web.messages import render_answer
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


def words_of(engine) -> Words:
    """What the chips need, from the engine's own catalog and glossary (as the page's Site gives it)."""
    from app.lang.departments import Catalog
    from ingest.glossary import Glossary

    catalog, glossary = Catalog(engine.documents()), Glossary.load()
    return Words(english=catalog.english_name, item_en=glossary.english,
                 spans=lambda q: catalog.link(q).spans)


def doc_of(engine, kind: str, department: str):
    return next(d for d in engine.documents() if d.kind == kind and department in d.department)


@pytest.mark.samples
def test_every_example_cites_the_cell_it_was_built_from(many):
    from app.lang.departments import Catalog
    from app.web.examples import Examples, cites
    from ingest.glossary import Glossary

    engine, _ = many
    catalog = Catalog(engine.documents())
    examples = Examples(engine, Glossary.load())
    for doc in engine.documents():
        found = examples.of(doc, catalog.english_name(doc.department))
        assert len(found) == 2, doc.label
        for e in found:
            assert doc.department in e.zh and doc.kind in e.zh and e.fact.document_id == doc.id
            for q in (e.zh, e.en):
                answer = engine.ask(q)
                assert answer.status == "answered" and answer.value is not None, q
                assert {c.document_id for c in answer.citations} == {doc.id}, q
                cited = [(c.table, c.row, c.column) for c in answer.citations]
                assert (e.fact.table_id, e.fact.row_label, e.fact.column) in cited, q
                assert cites(answer, e.fact, first="占" not in e.zh), q
    # the income table's 一般公共服务支出 (2,112.86) is not the spending figure the overview shows (2,106.66): a
    # plain question about a spending item is answered from the spending table (read through the template)
    final = doc_of(engine, "部门决算", "财政局")
    spent = engine.ask(f"{final.department}2024年部门决算一般公共服务支出是多少？")
    assert (spent.citations[0].table, spent.value) == ("03", Decimal("2106.66"))
    assert len(examples.questions(engine.documents(), catalog.english_name, "en")) == 8


@pytest.mark.samples
def test_ask_back_candidates_complete_the_question(many):
    engine, _ = many
    answer = engine.ask("住房保障支出是多少元")
    # four documents hold the item; the Putuo justice bureau's 部门预算 answers for it (its 单位预算 is named beside)
    assert answer.status == "ambiguous" and len(answer.candidates) == 3
    assert not any("单位预算" in c for c in answer.candidates)
    words = words_of(engine)
    for question in chips(answer, engine.documents(), "zh", words):
        assert question.endswith("住房保障支出是多少元")
        done = engine.ask(question)
        assert done.status == "answered" and done.value is not None
    en = engine.ask("what is the housing security spend?")
    completed = chips(en, engine.documents(), "en", words)
    assert len(completed) == 3
    assert all(q.startswith("what is the housing security spend in the ") for q in completed)
    assert all(engine.ask(q).status == "answered" for q in completed)
    # the page in English, the question in Chinese: whole English questions, the item's glossary name
    crossed = chips(answer, engine.documents(), "en", words)
    assert crossed and all(q.startswith("What is the housing security expenditure in the ") for q in crossed)
    assert all(engine.ask(q).status == "answered" for q in crossed)


@pytest.mark.samples
def test_closest_item_replaces_the_missing_word(many):
    engine, _ = many
    answer = engine.ask("安图县社会保险事业管理局2026年部门预算飞机支出是多少？")
    assert answer.status == "not_found" and answer.candidates
    asked = chips(answer, engine.documents(), "zh", words_of(engine))
    assert asked[0] == f"安图县社会保险事业管理局2026年部门预算{answer.candidates[0]}是多少？"
    assert len(asked) == min(5, len(answer.candidates)) and not any("飞机" in q for q in asked)
    english = chips(answer, engine.documents(), "en", words_of(engine))
    assert english and all(q.startswith("What is the ") and q.endswith(
        " in the Antu Social Insurance Administration 2026 department budget?") for q in english)


@pytest.mark.samples
def test_follow_up_is_a_share_question_that_answers(many):
    engine, _ = many
    answer = engine.ask("安图县社会保险事业管理局2026年部门预算住房保障支出是多少？")
    [share] = chips(answer, engine.documents(), "zh", words_of(engine))
    assert share == "安图县社会保险事业管理局2026年部门预算住房保障支出占支出总计的比例是多少？"
    out = engine.ask(share)
    assert (out.status, str(out.value), out.unit) == ("answered", "4.30", "%")


@pytest.mark.samples
def test_cited_pdf_page_opens_as_an_image_with_the_row_marked(many):
    engine, url = many
    doc = doc_of(engine, "单位预算", "司法局")
    answer = engine.ask(f"{doc.department}2026年单位预算公共安全支出是多少？")
    page = render_answer(answer)
    href = html.unescape(page.split('class="bq-open" href="', 1)[1].split('"', 1)[0])
    assert href.startswith("bq/source/page?document=" + doc.id)
    shown = requests.get(url + href, timeout=30)
    assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/html")
    body = shown.text
    title = html.unescape(body.split('id="bq-source-title">', 1)[1].split("<", 1)[0])
    assert title == "上海市普陀区司法局 · 2026 · 单位预算"
    c = answer.citations[0]
    assert f"第 {c.page} 页，共 " in body and 'data-boxed="yes"' in body  # the cited cell was found
    assert 'id="bq-prev"' in body and 'id="bq-next"' in body and 'id="bq-back" href="../../?q=' in body
    image = html.unescape(body.split('<img src="', 1)[1].split('"', 1)[0])
    got = requests.get(url + "bq/source/" + image, timeout=30)
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    assert got.content[:8] == b"\x89PNG\r\n\x1a\n" and len(got.content) > 10_000
    plain = requests.get(url + "bq/source/" + image.split("&row=")[0], timeout=30).content
    assert plain != got.content  # the marked row and cell change the picture
    assert (
        requests.get(url + "bq/source/page.png?document=../../etc/passwd&page=1", timeout=10).status_code
        == 404
    )
    assert requests.get(url + f"bq/source/page.png?document={doc.id}&page=999", timeout=10).status_code == 404
    assert requests.get(url + f"bq/source/page?document={doc.id}&page=999", timeout=10).status_code == 404


@pytest.mark.samples
def test_the_cited_cell_is_boxed_not_only_its_row(samples):
    """The box sits on the figure the answer cites, in its column, not on another equal figure of the row."""
    import pdfplumber

    from app.web.source import find_marks

    # table 02 of the final accounts prints 2,112.86 (本年收入合计) then 2,106.66 (财政拨款收入) on one row
    path = samples["final"]
    marks = find_marks(path, 8, "一般公共服务支出", "2106.66", "财政拨款收入")
    assert marks.rows and marks.cell
    with pdfplumber.open(str(path)) as pdf:
        inside = pdf.pages[7].within_bbox(marks.cell).extract_text()
    assert inside.strip() == "2,106.66"
    first = find_marks(path, 8, "一般公共服务支出", "2112.86", "本年收入合计")
    assert first.cell and first.cell[0] < marks.cell[0]
    assert find_marks(path, 8, "一般公共服务支出", "99.99", "").cell is None  # not on the page: the row only


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
    from app.web.messages import last_exchange

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
    from app.web.messages import asked_before, render_question

    def user(q: str, parts: bool) -> dict:
        html = render_question(q)
        return {"role": "user", "content": [{"type": "text", "text": html}] if parts else html}

    answer = {"role": "assistant", "content": [{"type": "text", "text": '<div class="bq-answer">x</div>'}]}
    for parts in (False, True):  # Gradio 6 returns the chat's messages as lists of text parts
        history = [user("杭州气象局2026年支出总计是多少？", parts), answer, user("那去年呢？", parts)]
        assert asked_before(history) == ["杭州气象局2026年支出总计是多少？"]


@pytest.mark.samples
def test_english_follow_up_is_english_and_answers(many):
    engine, _ = many
    answer = engine.ask(
        "What is the housing security expenditure in the Antu Social Insurance Administration 2026 "
        "department budget?"
    )
    assert answer.status == "answered" and answer.lang == "en"
    [share] = chips(answer, engine.documents(), "en", words_of(engine))
    assert share == (
        "What share of total spending is housing security expenditure in the Antu Social Insurance "
        "Administration 2026 department budget?"
    )
    out = engine.ask(share)
    assert (out.status, str(out.value), out.unit) == ("answered", "4.30", "%")
