"""The web app's parts without a server: templates, how a question was read, permalinks, the scope note, the
upload result per file, the audit in the page's language; on the seed and the sample PDFs."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import SEED, engine_on

from app.pipeline.answer import Answer
from app.web.messages import render_answer
from app.web.reading import permalink, reading_of
from app.web.scope import outside, scope_note, scoped
from app.web.staff_desk import refused_line, run_ingest, split_reasons
from app.web.templates import one_line, render


def test_templates_are_one_line_and_escape_every_value():
    assert one_line("<div>\n  <b>{{ a }}</b>\n  {{ b }} and\n  <i>c</i>\n</div>") == \
        "<div><b>{{ a }}</b>{{ b }} and <i>c</i></div>"
    html = render("question.html", question='<script>alert("x")</script>\nline two')
    assert html == '<div class="bq-q">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;<br>line two</div>'
    assert "\n" not in render("answer.html", w={k: k for k in (
        "widen", "formula", "choose", "sources", "open", "no_cite", "read_as", "ask_new", "copied",
        "copy_text", "link", "report")}, outside=None, reading=None, text="a\nb", figure="", gloss="",
        formula="", candidates="", citations=[], brief="", answered=False, permalink="?q=x", plain=["a"])


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    from conftest import SAMPLE_FILES

    engine = engine_on(tmp_path_factory, "webparts", list(SAMPLE_FILES.values()))
    engine.ingest([SEED])
    return engine


def names(engine):  # type: ignore[no-untyped-def]
    return engine.view.catalog.english_name


@pytest.mark.samples
def test_a_follow_up_shows_its_reading_and_its_link_is_the_standalone_question(four):
    from ingest.glossary import Glossary

    # the unit budget states 行政运行's 2025 figure (2025年当年预算执行数为1690.69万元); it states none for 公共安全支出
    first = "上海市普陀区司法局2026年单位预算行政运行是多少？"
    follow = four.ask("那去年呢？", history=[first])
    assert follow.status == "answered" and follow.read_as and follow.reading["used_history"]
    glossary = Glossary.load()
    zh = reading_of(follow, "zh", [], [], names(four), glossary.english)
    en = reading_of(follow, "en", [], [], names(four), glossary.english)
    assert ("部门", "上海市普陀区司法局") in zh.fields and ("项目", "行政运行") in zh.fields
    assert ("Department", "Putuo Justice Bureau (上海市普陀区司法局)") in en.fields
    assert ("Item", "administrative operation (行政运行)") in en.fields
    assert zh.standalone == follow.read_as and parse_qs(urlparse(zh.href).query)["q"] == [follow.read_as]
    page = render_answer(follow, "zh", zh)
    assert 'class="bq-reading"' in page and "作为新问题提问" in page
    link = re.search(r'class="bq-permalink" href="([^"]+)"', page).group(1)
    assert parse_qs(urlparse(link.replace("&amp;", "&")).query)["q"] == [follow.read_as]
    alone = four.ask(follow.read_as)  # the link, opened fresh, answers what the page showed
    assert (alone.value, alone.unit) == (follow.value, follow.unit)
    fresh = four.ask(first)
    assert reading_of(fresh, "zh", [], [], names(four), glossary.english) is None  # nothing shaped it


@pytest.mark.samples
def test_a_question_outside_the_scope_names_its_department_and_offers_all_documents(four):
    from ingest.glossary import Glossary

    dept = next(d for d in four.documents() if d.kind == "部门预算" and "司法局" in d.department)
    question = "社保局住房保障支出是多少？"
    inside = scoped(four.documents(), [dept.id])
    scoped_answer = four.ask(question, scope=[dept.id])
    assert scoped_answer.status != "answered"
    away = outside(scoped_answer, four.ask(question), inside, ["司法局部门预算"], "zh")
    assert away and away.text.startswith("这个问题问的是安图县社会保险事业管理局，不在所选范围（司法局部门预算）内")
    assert parse_qs(urlparse(away.href).query)["q"] == [question]
    en = outside(scoped_answer, four.ask(question), inside, ["the justice bureau"], "en")
    assert en and en.text.startswith("This question is about 安图县社会保险事业管理局, which is outside")
    within = four.ask("住房保障支出是多少？", scope=[dept.id])
    assert outside(within, four.ask("住房保障支出是多少？"), inside, [], "zh") is None  # answered inside
    reading = reading_of(scoped_answer, "zh", [dept.id], ["司法局部门预算"], names(four), Glossary.load().english)
    assert reading and ("范围", "司法局部门预算") in reading.fields
    assert permalink(question, [dept.id]).endswith(f"&scope={dept.id}")
    assert "只在所选范围内回答：司法局部门预算" in scope_note(["司法局部门预算"], "zh") and scope_note([], "zh") == ""


def test_a_refused_file_is_named_once_with_the_cli_reason():
    assert refused_line("a.pdf", "a.pdf: not a budget disclosure: a notice", "zh") == \
        "a.pdf：未导入 — not a budget disclosure: a notice"
    assert refused_line("a.pdf", "a.pdf: not a budget disclosure: a notice", "en") == \
        "a.pdf: refused — not a budget disclosure: a notice"
    said = "a.pdf: not a budget disclosure: a notice; b c.txt: no department found; see the cover"
    assert split_reasons(said, ["b c.txt", "a.pdf"]) == [
        ("a.pdf", "a.pdf: not a budget disclosure: a notice"),
        ("b c.txt", "b c.txt: no department found; see the cover")]


@pytest.mark.samples
def test_an_upload_names_the_stored_and_the_refused_file_and_the_time_taken(tmp_path):
    from conftest import samples_dir

    from app.engine import Engine

    engine = Engine.open(tmp_path / "store", dense=False)
    notice = samples_dir() / "cities" / "008_杭州__2026年杭州市政府办公厅部门预算.pdf"
    stored = lambda report: [f"{k}: stored" for k, _, _ in report.documents]  # noqa: E731
    steps = list(run_ingest(engine, [SEED, notice], stored, "en"))
    log, status, done = steps[-1]
    assert done and all(not d for _, _, d in steps[:-1])
    assert status.startswith("1 documents (1 new)") and "; 1 files refused; " in status
    assert f"{SEED.name}: stored" in status
    assert f"{notice.name}: refused — not a budget disclosure: a notice" in status
    took = float(re.search(r"; ([\d.]+)s \(reading", status).group(1))
    assert took > 0.1 and all(s.startswith("ingesting… ") for _, s, d in steps[:-1])
    *_, (log, status, done) = list(run_ingest(engine, [notice], None, "zh"))
    said = f"refused: {notice.name}: not a budget disclosure: a notice; nothing was changed · 用时 "
    assert status.startswith(said)
    assert f"{notice.name}：未导入 — not a budget disclosure: a notice" in log


@pytest.mark.samples
def test_audit_findings_are_worded_in_the_page_language(samples):
    from app.web.findings import audit_html, sentence
    from ingest.audit import audit
    from ingest.readers import read_file

    doc = read_file(samples["unit"])
    findings = audit(doc.facts)
    kinds = {f.kind for f in findings}
    assert kinds
    for f in findings:
        zh, en = sentence(f.kind, f.facts, "zh", str, str), sentence(f.kind, f.facts, "en", str, str)
        assert zh and en and zh != en
        assert not re.search(r"\b(table|prints|narrative|basic|project)\b", zh)  # no English frame in Chinese
        assert not re.search(r"表\d|为 |说明文字写|基本支出 [\d,]", en)  # no Chinese frame on an English page
    page = audit_html(findings, doc.document, "en", "Putuo Justice Bureau")
    assert "Audit: Putuo Justice Bureau — " in page and "contradiction" in page


def test_the_english_gloss_and_the_answer_words_follow_the_page():
    answer = Answer("q", "answered", "x", "zh", Decimal("1131.55"), "万元")
    assert "复制文字" in render_answer(answer) and "Copy text" in render_answer(answer, "en")
    assert "≈ 11.3 million yuan" in render_answer(answer, "en") and "≈" not in render_answer(answer, "zh")
    refused = replace(answer, status="not_found", value=None)
    assert "未找到可引用的数据" in render_answer(refused)
