"""Issue 22, items 3 and 6: every anonymous request has a budget, and reports are a public input.

Page renders (the web app's /bq/source/page.png and the HTTP API's /documents/{id}/pages/{n}.png) are cached,
limited per client by one budget both doors share, and run in a bounded pool (503 "busy" with Retry-After);
questions and histories over their bounds are refused in words, never cut; reports are limited per client a
minute and a day, shown as typed and neutralised in the staff CSV. Through real HTTP where a door is involved;
client addresses are varied with loopback source addresses (127.0.0.x)."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
from types import SimpleNamespace

import hostile_factory as hf
import httpx
import pytest
from gradio_client import Client

from app.quota import DailyCap, RequestBudget
from app.web.app import build_app, launch
from app.web.chat import ChatTab
from app.web.renders import PngCache, RenderPool, RenderRefused
from app.web.reports import ReportLimits, Reports, inert
from ingest.pipeline import ingest

ENV = {"BUDGETQA_RENDER_RATE": "0.001", "BUDGETQA_RENDER_BURST": "3", "BUDGETQA_RENDER_WAIT": "0.2",
       "BUDGETQA_RENDER_SLOTS": "2"}
SEED_Q = "安图社保局住房保障支出是多少元"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _from(source: str) -> httpx.Client:
    """An HTTP client whose connections come from ``source`` (127.0.0.x are all this machine)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=30)


@pytest.fixture(scope="module")
def served(samples_module, tmp_path_factory):
    """The Gradio app (with /api/v1 mounted in it) over a sample PDF and the seed, on a free port."""
    from app.engine import Engine

    store = tmp_path_factory.mktemp("budget") / "store"
    ingest([samples_module["dept"], hf.SEED], store, index=False)
    old = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    engine = Engine.open(store, dense=False)
    demo = build_app(engine)
    port = free_port()
    launch(demo, "127.0.0.1", port, block=False)
    pdf = next(d.id for d in engine.documents() if d.source_key.endswith(".pdf"))
    yield demo, f"http://127.0.0.1:{port}/", pdf
    demo.close()
    for k, v in old.items():
        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


@pytest.fixture(scope="module")
def samples_module():
    from conftest import SAMPLE_FILES, samples_dir

    base = samples_dir()
    return {k: base / v for k, v in SAMPLE_FILES.items()}


def _web_png(client: httpx.Client, url: str, pdf: str, page: int, **headers) -> httpx.Response:
    return client.get(url + "bq/source/page.png", params={"document": pdf, "page": page}, headers=headers)


def _api_png(client: httpx.Client, url: str, pdf: str, page: int) -> httpx.Response:
    return client.get(f"{url}api/v1/documents/{pdf}/pages/{page}.png")


# -- renders: cache, per-client budget shared by both doors, bounded pool --------------------------------

def test_a_page_asked_again_is_served_from_the_cache(served):
    demo, url, pdf = served
    pool: RenderPool = demo.bq_renders
    with _from("127.0.0.21") as client:
        first = _web_png(client, url, pdf, 2)
        before = pool.rendered
        again = _web_png(client, url, pdf, 2)
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert first.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert pool.rendered == before and pool.cache.size >= len(first.content)


def test_one_client_s_renders_are_limited_across_both_doors(served):
    demo, url, pdf = served
    with _from("127.0.0.22") as client:
        spent = [_web_png(client, url, pdf, 3).status_code, _api_png(client, url, pdf, 4).status_code,
                 _web_png(client, url, pdf, 5).status_code]  # the burst is 3
        web = _web_png(client, url, pdf, 6)
        api = _api_png(client, url, pdf, 6)
        forged = _web_png(client, url, pdf, 6, **{"X-Forwarded-For": "203.0.113.9"})  # no trusted proxy
        cached = _web_png(client, url, pdf, 3)  # a page already rendered costs nothing
    assert spent == [200, 200, 200]
    assert web.status_code == 429 and int(web.headers["retry-after"]) >= 1 and "retry in" in web.text
    assert api.status_code == 429 and api.json()["error"]["code"] == "too_many_requests"
    assert int(api.headers["retry-after"]) >= 1
    assert forged.status_code == 429 and cached.status_code == 200
    with _from("127.0.0.23") as other:  # another visitor is not held back by the first one's renders
        assert _api_png(other, url, pdf, 6).status_code == 200


def test_a_full_render_pool_answers_busy_and_questions_still_answer(served):
    demo, url, pdf = served
    pool: RenderPool = demo.bq_renders
    assert pool.hold() and pool.hold()  # both slots taken, as by two long renders
    try:
        with _from("127.0.0.24") as client:
            web = _web_png(client, url, pdf, 7)
            api = _api_png(client, url, pdf, 7)
            asked = client.post(url + "api/v1/ask", json={"question": SEED_Q})
    finally:
        pool.free()
        pool.free()
    assert web.status_code == 503 and "busy" in web.text and web.headers["retry-after"] == "1"
    assert api.status_code == 503 and api.json()["error"]["code"] == "busy" and api.headers["retry-after"]
    assert asked.status_code == 200 and asked.json()["status"] == "answered"
    with _from("127.0.0.24") as client:  # a refused render spent nothing: it is rendered once a slot frees
        assert _web_png(client, url, pdf, 7).status_code == 200


def test_the_cache_is_bounded_in_bytes_and_the_pool_counts_only_renders():
    cache = PngCache(max_bytes=10)
    for key in "abc":
        cache.put(key, b"x" * 4)
    assert len(cache) == 2 and cache.size == 8 and cache.get("a") is None  # the oldest went first
    cache.put("huge", b"x" * 11)
    assert cache.get("huge") is None
    pool = RenderPool(RequestBudget(rate=0.001, burst=1), slots=1, wait=0, cache=PngCache(100))
    assert pool.png("c", "k", lambda: b"png") == pool.png("c", "k", lambda: b"other") == b"png"
    with pytest.raises(RenderRefused) as refused:
        pool.png("c", "k2", lambda: b"png")
    assert refused.value.status == 429 and pool.rendered == 1


# -- question and history bounds on both doors ------------------------------------------------------------

def test_oversize_questions_and_histories_are_refused_in_words_not_cut(served):
    _, url, _ = served
    with _from("127.0.0.25") as client:
        long_history = client.post(url + "api/v1/ask", json={"question": SEED_Q, "history": ["问" * 501]})
        many = client.post(url + "api/v1/ask", json={"question": SEED_Q, "history": ["问"] * 7})
        long_q = client.post(url + "api/v1/ask", json={"question": "问" * 501})
        big = client.post(url + "api/v1/ask", content=json.dumps({"question": "问" * 9000}).encode(),
                          headers={"content-type": "application/json"})
    assert long_history.status_code == 422
    assert "history.0" in long_history.json()["error"]["message"]
    assert "500 characters" in long_history.json()["error"]["message"]
    assert many.status_code == 422 and "history" in many.json()["error"]["message"]
    assert long_q.status_code == 422 and "500 characters" in long_q.json()["error"]["message"]
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    client = Client(url, verbose=False)
    history, *_ = client.predict("问" * 600, [], "", "zh", api_name="/chat")
    said = str(history[-1]["content"])
    assert "问题太长" in said and "500" in said


# -- reports ----------------------------------------------------------------------------------------------

def _asked(question: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": "48.66 万元"}]


def _request(host: str) -> SimpleNamespace:
    return SimpleNamespace(client=SimpleNamespace(host=host))


def _site(tmp_path, limits: ReportLimits) -> SimpleNamespace:
    return SimpleNamespace(reports=Reports(tmp_path), report_limits=limits)


def test_one_client_may_send_five_reports_a_minute(tmp_path):
    site = _site(tmp_path, ReportLimits())  # the defaults: 5 a minute, 50 a day
    tab = ChatTab(site)  # type: ignore[arg-type]
    replies = [tab.report(_asked(f"问题{i}"), "", "zh", "", _request("198.51.100.1"))[1] for i in range(6)]
    assert all(r.startswith("已记录") for r in replies[:5]) and "一分钟" in replies[5]
    other = tab.report(_asked("问题"), "", "en", "", _request("198.51.100.2"))[1]
    assert other.startswith("Reported")
    assert len(site.reports.all()) == 6


def test_one_client_cannot_fill_the_table_in_a_day():
    now = [86400.0 * 20000 + 10]
    limits = ReportLimits(RequestBudget(rate=0), DailyCap(50, clock=lambda: now[0]))
    sent = [limits.refusal("a") for _ in range(60)]
    assert sent[:50] == [""] * 50 and set(sent[50:]) == {"day"}
    assert limits.refusal("b") == ""
    now[0] += 86400
    assert limits.refusal("a") == ""


def test_report_text_is_inert_on_screen_and_in_the_staff_csv(tmp_path):
    site = _site(tmp_path, ReportLimits())
    tab = ChatTab(site)  # type: ignore[arg-type]
    hostile = '=HYPERLINK("http://evil.example","点击") ![x](http://evil.example/t.png) <img src=x>'
    _, target = tab.pick_report("", _asked(hostile), "zh")
    _, reply = tab.report(_asked(hostile), "@SUM(1+1)", "zh", "", _request("198.51.100.3"))
    for shown in (target, reply):
        assert "![x](" not in shown and "<img" not in shown and "](http" not in shown
        assert "\\!\\[x\\]\\(http" in shown  # shown as typed, not as a picture
    assert inert("<img src=x> **b**") == "&lt;img src=x&gt; \\*\\*b\\*\\*"
    site.reports.add("-2+3", "+cmd|' /C calc'!A0", "\tx")
    rows = list(csv.DictReader(io.StringIO(site.reports.csv())))
    cells = [row[k] for row in rows for k in ("question", "answer", "comment") if row[k]]
    assert cells and all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_the_staff_desk_shows_reports_as_plain_cells(monkeypatch, store_for_desk):
    from app.engine import Engine

    monkeypatch.setenv("BUDGETQA_STAFF_PASSWORD", "pw for the desk")
    demo = build_app(Engine.open(store_for_desk, dense=False))
    frame = next(c for c in demo.config["components"] if c.get("props", {}).get("elem_id") == "bq-reports")
    assert frame["props"]["datatype"] == "str"


@pytest.fixture
def store_for_desk(tmp_path):
    store = tmp_path / "store"
    ingest([hf.SEED], store, index=False)
    return store
