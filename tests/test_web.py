"""The web app over HTTP: /ask through gradio_client, escaping, the fact browser; on the seed.

Uploads and removal by staff are in test_guard_web.py."""

from __future__ import annotations

import csv
import html
import io
import socket
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from conftest import SEED
from gradio_client import Client

from app.pipeline.answer import Answer, Citation
from app.web.app import build_app, launch
from app.web.messages import render_answer, render_question
from app.web.summary import overview
from ingest.glossary import Glossary
from ingest.readers import read_file

SEED_ID = "bb9df3d33372be7b"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, paths: list[Path] | None = None):
    """Ingest `paths` (the seed by default) into `store`, open the engine, serve on a free port;
    returns (engine, demo, url)."""
    from app.engine import Engine
    from ingest.pipeline import ingest

    ingest(paths or [SEED], store)
    engine = Engine.open(store)
    port = free_port()
    demo = launch(build_app(engine), "127.0.0.1", port, block=False)
    return engine, demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    engine, demo, url = start_server(tmp_path_factory.mktemp("webstore") / "store")
    yield engine, url
    demo.close()


@pytest.fixture(scope="session")
def client(served) -> Client:
    return Client(served[1], verbose=False)


def test_ask_english_housing_security(client):
    out = client.predict("what is the housing security spend?", api_name="/ask")
    assert out["status"] == "answered"
    assert out["value"] == 48.66 and out["value_text"] == "48.66"
    assert out["unit"] == "万元"
    assert out["lang"] == "en"
    first = out["citations"][0]
    assert (first["table"], first["column"], first["value"], first["line"]) == ("01", "本年预算", "48.66", 167)
    assert first["text"] == "二十、住房保障支出 48.66 48.66 0.00"


def test_ask_chinese_share_with_scope_by_file_name(client):
    out = client.predict("住房保障支出占总支出的比例是多少？", SEED.name, api_name="/ask")
    assert (out["status"], out["value_text"], out["unit"], out["lang"]) == ("answered", "4.30", "%", "zh")
    assert out["formula"] == "48.66 ÷ 1,131.55 × 100% = 4.30%"
    assert {c["document_id"] for c in out["citations"]} == {SEED_ID}


def test_question_html_is_shown_as_text(client):
    for attack in ("<img src=x onerror=alert(1)>", "<script>alert(1)</script> 住房保障支出"):
        _, history, pending = client.predict(attack, [], api_name="/chat_question")
        assert pending == attack
        content = history[-1]["content"][0]["text"]
        assert "<img" not in content and "<script" not in content
        assert content == render_question(attack)
        assert html.escape(attack, quote=True) in content


def test_chat_answer_escapes_and_cites(client):
    history = client.predict("<script>alert(1)</script>住房保障支出是多少？", [], "", api_name="/chat")[0]
    content = history[-1]["content"][0]["text"]
    assert "<script" not in content
    assert '<span class="bq-value">48.66 万元</span>' in content
    assert "表01 收支预算总表" in content and "<details" in content


def test_render_answer_escapes_document_text(served):
    engine, _ = served
    answer = engine.ask("住房保障支出是多少元")
    assert answer.status == "answered" and answer.value == Decimal("486600") and answer.unit == "元"
    hostile = replace(answer.citations[0], text='<img src=x onerror="alert(1)">', table_title="<b>表</b>")
    page = render_answer(Answer(answer.question, answer.status, "<script>x</script>", answer.lang,
                                answer.value, answer.unit, "<i>f</i>", [hostile]))
    assert "<img" not in page and "<script" not in page and "<b>表" not in page and "<i>" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page  # jinja2's autoescape (markupsafe)
    assert '<span class="bq-value">486,600 元</span>' in page
    assert isinstance(hostile, Citation)


def test_facts_view_and_csv(client, served):
    frame, status, link = client.predict(SEED_ID, "01", "住房", api_name="/facts")
    assert status == "3 条数据"  # the page's default language; the language is the last, optional input
    frame_en, status_en, _ = client.predict(SEED_ID, "01", "住房", "en", api_name="/facts")
    assert status_en == "3 facts" and frame_en["headers"][:4] == ["Document", "Table", "Side", "Item"]
    assert frame["headers"][:4] == ["文件", "表", "收/支", "项目"]
    assert [r[3] for r in frame["data"]] == ["二十、住房保障支出"] * 3
    href = html.unescape(link.split('href="', 1)[1].split('"', 1)[0])
    body = requests.get(served[1] + href, timeout=10).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))  # the page's language: Chinese headers
    assert [(r["项目"], r["栏目"], r["数值"], r["行号"]) for r in rows] == [
        ("住房保障支出", "本年预算", "48.66", "167"), ("住房保障支出", "编制预算", "48.66", "167"),
        ("住房保障支出", "上年结转", "0.00", "167")]
    link_en = html.unescape(client.predict(SEED_ID, "01", "住房", "en", api_name="/facts")[2])
    body_en = requests.get(served[1] + link_en.split('href="', 1)[1].split('"', 1)[0], timeout=10)
    assert list(csv.reader(io.StringIO(body_en.content.decode("utf-8-sig"))))[0][:3] == [
        "document", "department", "year"]


def test_overview_of_the_seed(served):
    engine, _ = served
    ov = overview(engine.ledger.facts(document_id=SEED_ID), Glossary.load())
    assert [(f.label, str(f.value)) for f in ov.categories] == [
        ("社会保障和就业支出", "1051.38"), ("卫生健康支出", "31.51"), ("住房保障支出", "48.66")]
    assert {f.column for f in ov.categories} == {"本年预算"} and ov.unit == "万元"
    assert [(f.side, f.label, str(f.value)) for f in ov.totals] == [
        ("收入", "收入总计", "1131.55"), ("支出", "支出总计", "1131.55")]


@pytest.mark.samples
def test_overview_of_sample_pdfs(samples):
    glossary = Glossary.load()
    final = overview(read_file(samples["final"]).facts, glossary)
    assert [(f.label, str(f.value)) for f in final.categories] == [
        ("一般公共服务支出", "2106.66"), ("社会保障和就业支出", "326.71"), ("卫生健康支出", "60.99"),
        ("住房保障支出", "445.69")]
    assert final.unit == "万元"
    assert [(f.side, f.label, str(f.value)) for f in final.totals] == [
        ("收入", "本年收入合计", "2946.25"), ("支出", "本年支出合计", "2940.05"), ("收入", "总计", "2995.39"),
        ("支出", "总计", "2995.39")]
    unit = overview(read_file(samples["unit"]).facts, glossary)
    assert {f.column for f in unit.categories} == {"预算数 / 合计"} and unit.unit == "元"
    assert (unit.categories[0].label, str(unit.categories[0].value)) == ("公共安全支出", "79189400.34")
