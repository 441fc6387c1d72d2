"""The HTTP API (/api/v1) through real HTTP: answers as `budgetqa ask --json`, documents, facts (paged, CSV
with formulas neutralised), pages, health, JSON errors, request budget, bounded bodies, staff token, read
workers."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import hostile_factory as hf
import pytest
import requests
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api import PREFIX, create_api
from app.api.server import uvicorn_options
from app.api.service import FixedEngine, FollowedStore, Service
from app.engine import Engine
from app.quota import RequestBudget
from ingest.pipeline import ingest
from ingest.snapshot import publish

TOKEN = "staff-token-for-tests"
SEED_Q = "安图社保局住房保障支出是多少元"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A real uvicorn server on a free loopback port, in a thread, stopped by the fixture."""

    def __init__(self, app: FastAPI):
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, **uvicorn_options())
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}{PREFIX}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def api_app(engine: Engine, **service) -> FastAPI:  # type: ignore[no-untyped-def]
    root = FastAPI()
    root.mount(PREFIX, create_api(Service(FixedEngine(engine), **service)))
    return root


def formula_book(path: Path) -> Path:
    def edit(ws):  # type: ignore[no-untyped-def]
        for r, label in ((7, '=HYPERLINK("http://evil.example","点击")'), (8, "@SUM(1+1)")):
            ws.cell(row=r, column=1, value=label).data_type = "s"
            ws.cell(row=r, column=2, value=5)
    return hf.book(path, edit=edit)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("api")
    store = base / "store"
    ingest([hf.SEED, formula_book(base / "formula.xlsx")], store, index=False)
    return store


@pytest.fixture(scope="module")
def writer(store, tmp_path_factory):
    """The writer's API (staff routes on) over a copy of the store, served on a real port."""
    copy = tmp_path_factory.mktemp("api-writer") / "store"
    shutil.copytree(store, copy)
    os.environ["BUDGETQA_STAFF_TOKEN"] = TOKEN
    os.environ["BUDGETQA_EMBED_AHEAD_MIN"] = "1000000"  # no dense index here: no model in the child
    engine = Engine.open(copy, dense=False)
    served = Served(api_app(engine, budget=RequestBudget(rate=0)))
    yield engine, served.url
    served.stop()
    os.environ.pop("BUDGETQA_STAFF_TOKEN", None)
    os.environ.pop("BUDGETQA_EMBED_AHEAD_MIN", None)


def _seed_id(engine: Engine) -> str:
    return next(d.id for d in engine.documents() if d.source_key == hf.SEED.name)


def test_ask_answers_as_the_command_line_does(writer):
    engine, url = writer
    r = requests.post(f"{url}/ask", json={"question": SEED_Q}, timeout=30)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    got, want = r.json(), engine.ask(SEED_Q).to_dict()
    got.pop("latency_ms"), want.pop("latency_ms")
    assert got == want and got["value"] == 486600 and got["citations"][0]["table"] == "01"
    follow = requests.post(f"{url}/ask", json={"question": "那社会保障和就业支出呢？", "history": [SEED_Q]},
                           timeout=30)
    assert follow.json()["read_as"] and follow.json()["status"] == "answered"
    english = requests.post(f"{url}/ask", json={"question": SEED_Q, "lang": "en"}, timeout=30).json()
    assert english["lang"] == "en" and "housing" in english["answer"].lower()


def test_documents_facts_paged_and_csv_with_formulas_neutralised(writer):
    engine, url = writer
    docs = requests.get(f"{url}/documents", timeout=10).json()
    assert sorted(d["source"] for d in docs) == sorted([hf.SEED.name, "formula.xlsx"])
    seed = _seed_id(engine)
    detail = requests.get(f"{url}/documents/{seed}", timeout=10).json()
    assert detail["kind"] == "部门预算" and {t["id"] for t in detail["tables"]} >= {"01"}
    first = requests.get(f"{url}/documents/{seed}/facts", params={"table": 1, "per_page": 5},
                         timeout=10).json()
    second = requests.get(f"{url}/documents/{seed}/facts",
                          params={"table": "01", "per_page": 5, "page": 2}, timeout=10).json()
    assert first["total"] == second["total"] == len(engine.ledger.facts(document_id=seed, table_id="01"))
    assert len(first["facts"]) == 5
    assert {f["id"] for f in first["facts"]}.isdisjoint(f["id"] for f in second["facts"])
    assert all(f["table"] == "01" for f in first["facts"] + second["facts"])
    book = next(d["id"] for d in docs if d["source"] == "formula.xlsx")
    r = requests.get(f"{url}/documents/{book}/facts", headers={"Accept": "text/csv"}, timeout=10)
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    hostile = [row["row"] for row in rows if "HYPERLINK" in row["row"] or "SUM(1+1)" in row["row"]]
    assert hostile and all(h.startswith("'") for h in hostile), hostile
    assert len(rows) == requests.get(f"{url}/documents/{book}/facts", timeout=10).json()["total"]


def test_health_and_json_errors_without_paths(writer, monkeypatch):
    engine, url = writer
    health = requests.get(f"{url}/health", timeout=10).json()
    assert health["status"] == "ok" and health["documents"] == 2
    assert health["generation"] == engine.ledger.get_meta("generation") and health["index"]["dense"] is False
    missing = requests.get(f"{url}/documents/nope", timeout=10)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert requests.get(f"{url}/nothing-here", timeout=10).json()["error"]["code"] == "no_route"
    long = requests.post(f"{url}/ask", json={"question": "问" * 501}, timeout=10)
    assert long.status_code == 422 and long.json()["error"]["code"] == "invalid_request"
    assert "500 characters" in long.json()["error"]["message"]

    def boom(*a, **k):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"cannot open {engine.ledger.store}/ledger.sqlite at <Engine object at 0x7f00>")

    monkeypatch.setattr(engine, "ask", boom)
    crashed = requests.post(f"{url}/ask", json={"question": SEED_Q}, timeout=10)
    assert crashed.status_code == 500 and crashed.json()["error"]["code"] == "internal_error"
    assert str(engine.ledger.store) not in crashed.text and "Traceback" not in crashed.text
    assert "0x7f00" not in crashed.text


def test_pdf_page_renders_and_text_documents_have_none(samples, tmp_path, writer):
    _, url = writer
    store = tmp_path / "store"
    ingest([samples["dept"], hf.SEED], store, index=False)
    engine = Engine.open(store, dense=False)
    client = TestClient(api_app(engine))
    pdf = next(d.id for d in engine.documents() if d.source_key.endswith(".pdf"))
    page = client.get(f"{PREFIX}/documents/{pdf}/pages/3.png", params={"row": "住房保障支出"})
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    assert page.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"{PREFIX}/documents/{pdf}/pages/999.png").json()["error"]["code"] == "not_found"
    text = next(d.id for d in engine.documents() if d.source_key == hf.SEED.name)
    assert client.get(f"{PREFIX}/documents/{text}/pages/1.png").status_code == 404


def test_request_budget_answers_429_with_retry_after(store):
    engine = Engine.open(store, dense=False)
    client = TestClient(api_app(engine, budget=RequestBudget(rate=0.5, burst=3)))
    codes = [client.post(f"{PREFIX}/ask", json={"question": SEED_Q}).status_code for _ in range(3)]
    over = client.post(f"{PREFIX}/ask", json={"question": SEED_Q})
    assert codes == [200, 200, 200] and over.status_code == 429
    assert over.json()["error"]["code"] == "too_many_requests" and int(over.headers["retry-after"]) >= 1
    assert client.get(f"{PREFIX}/health").status_code == 200  # load balancers are never refused


def test_request_budget_refills_and_forgets_the_oldest_client():
    now = [0.0]
    budget = RequestBudget(rate=2.0, burst=2, max_clients=2, clock=lambda: now[0])
    assert [budget.take("a"), budget.take("a")] == [0.0, 0.0]
    assert budget.take("a") == pytest.approx(0.5)  # one token at 2 per second
    assert budget.take("a", cost=10) == pytest.approx(1.0)  # never more than a full bucket's wait
    now[0] = 0.5
    assert budget.take("a") == 0.0
    budget.take("b"), budget.take("c")  # "a" is forgotten: at most max_clients remembered
    assert len(budget._buckets) == 2 and "a" not in budget._buckets


def test_a_forged_forwarded_for_does_not_buy_a_new_budget(store):
    """Served as the workers are (uvicorn_options): X-Forwarded-For from a client that is no trusted proxy is
    ignored, so one client cannot pose as many."""
    served = Served(api_app(Engine.open(store, dense=False), budget=RequestBudget(rate=0.01, burst=2)))
    try:
        codes = [requests.get(f"{served.url}/documents", headers={"X-Forwarded-For": f"10.0.0.{i}"},
                              timeout=10).status_code for i in range(4)]
    finally:
        served.stop()
    assert codes == [200, 200, 429, 429]


def _raw(port: int, head: str) -> str:
    """Send only a request line and headers (no body) and read the answer: proof nothing waited for a body."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(head.encode())
        return s.recv(4096).decode("latin-1")


def test_bodies_are_bounded_before_they_are_read(writer):
    _, url = writer
    port = int(url.split(":")[2].split("/")[0])
    big = _raw(port, f"POST {PREFIX}/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 100000\r\n\r\n")
    assert big.startswith("HTTP/1.1 413") and "too_large" in big
    unbounded = _raw(port, f"POST {PREFIX}/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n")
    assert unbounded.startswith("HTTP/1.1 411")
    upload = _raw(port, f"POST {PREFIX}/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
                        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 30000000\r\n\r\n")
    assert upload.startswith("HTTP/1.1 413")


def test_anonymous_clients_store_and_remove_nothing(writer):
    engine, url = writer
    port = int(url.split(":")[2].split("/")[0])
    uploads = Path(engine.ledger.store) / "uploads"
    before = [d.id for d in engine.documents()]
    head = (f"POST {PREFIX}/documents HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000\r\n")
    assert _raw(port, head + "\r\n").startswith("HTTP/1.1 401")  # answered with no body sent at all
    assert _raw(port, head + "Authorization: Bearer wrong\r\n\r\n").startswith("HTTP/1.1 401")
    files = {"file": (hf.SEED.name, hf.SEED.read_bytes(), "text/plain")}
    for headers in ({}, {"Authorization": "Basic " + TOKEN}, {"Authorization": "Bearer"}):
        r = requests.post(f"{url}/documents", files=files, headers=headers, timeout=10)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    gone = requests.delete(f"{url}/documents/{before[0]}", timeout=10)
    assert gone.status_code == 401 and gone.headers["www-authenticate"] == "Bearer"
    assert [d.id for d in engine.documents()] == before and not uploads.exists()


def test_wrong_staff_tokens_are_rate_limited(store):
    engine = Engine.open(store, dense=False)
    client = TestClient(api_app(engine, auth_budget=RequestBudget(rate=1 / 60, burst=3)))
    codes = [client.delete(f"{PREFIX}/documents/x", headers={"Authorization": "Bearer guess"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_staff_upload_and_remove_with_the_token(writer, tmp_path):
    engine, url = writer
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = hf.SEED.read_text(encoding="utf-8").replace("48.66\t48.66", "40.00\t40.00", 1)
    doc = tmp_path / "antu-upload-2026-department-budget.txt"
    doc.write_text(text, encoding="utf-8")
    wrong_type = requests.post(f"{url}/documents", files={"file": ("notes.docx", b"x")}, headers=auth,
                               timeout=10)
    assert wrong_type.status_code == 415 and wrong_type.json()["error"]["code"] == "unsupported_type"
    r = requests.post(f"{url}/documents", files={"file": (doc.name, doc.read_bytes(), "text/plain")},
                      headers=auth, timeout=300)
    assert r.status_code == 200, r.text
    stored = r.json()["documents"]
    assert [d["action"] for d in stored] == ["new"] and r.json()["summary"].startswith("1 documents (1 new)")
    assert (Path(engine.ledger.store) / "uploads" / doc.name).exists()
    assert stored[0]["id"] in {d["id"] for d in requests.get(f"{url}/documents", timeout=10).json()}
    refused = requests.post(f"{url}/documents", files={"file": ("broken.pdf", hf.encrypted_pdf())},
                            headers=auth, timeout=300)
    assert refused.status_code in (200, 422) and "/tmp" not in refused.text
    assert not (Path(engine.ledger.store) / "uploads" / "broken.pdf").exists()
    removed = requests.delete(f"{url}/documents/{stored[0]['id']}", headers=auth, timeout=60)
    assert removed.status_code == 200 and removed.json()["source"] == doc.name
    assert stored[0]["id"] not in {d.id for d in engine.documents()}
    assert requests.delete(f"{url}/documents/{stored[0]['id']}", headers=auth, timeout=10).status_code == 404


def test_openapi_and_docs_page_list_every_route_with_its_models(writer):
    _, url = writer
    spec = requests.get(f"{url}/openapi.json", timeout=10).json()
    routes = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    assert routes == {("POST", "/ask"), ("GET", "/documents"), ("POST", "/documents"),
                      ("GET", "/documents/{doc_id}"), ("DELETE", "/documents/{doc_id}"),
                      ("GET", "/documents/{doc_id}/facts"), ("GET", "/documents/{doc_id}/pages/{page}.png"),
                      ("GET", "/health")}
    models = set(spec["components"]["schemas"])
    assert {"AskRequest", "AnswerOut", "CitationOut", "DocumentSummary", "DocumentDetail", "FactsPage",
            "FactOut", "Health", "ErrorBody", "UploadResult", "RemoveResult"} <= models
    page = requests.get(f"{url}/docs", timeout=10)
    assert page.status_code == 200 and "cdn" not in page.text.lower()
    for method, path in routes:
        assert f'<span class="m">{method}</span> <code>{PREFIX}{path}</code>' in page.text
    assert all(f'id="model-{m}"' in page.text for m in models)


def test_read_workers_follow_a_moved_snapshot_link_and_take_no_staff_routes(store, tmp_path, monkeypatch):
    import app.api.service as service_mod

    one, two = tmp_path / "snap-1", tmp_path / "snap-2"
    publish(store, one)
    bigger = tmp_path / "writer"
    shutil.copytree(store, bigger)
    second = hf.book(tmp_path / "second.xlsx", rows=[["住房保障支出", 9.5, 9], ["支出合计", 9.5, 9]])
    ingest([second], bigger, index=False)
    publish(bigger, two)
    current = tmp_path / "current"
    current.symlink_to(one.name)
    monkeypatch.setattr(service_mod, "CHECK_SECONDS", 0.0)
    followed = FollowedStore(current)
    client = TestClient(api_app_followed(followed))
    assert len(client.get(f"{PREFIX}/documents").json()) == 2
    assert client.get(f"{PREFIX}/health").json()["read_only"] is True
    posted = client.post(f"{PREFIX}/documents", files={"file": ("a.txt", b"x")},
                         headers={"Authorization": f"Bearer {TOKEN}"})
    assert posted.status_code == 409 and posted.json()["error"]["code"] == "read_only_store"
    tmp = tmp_path / "current.new"
    tmp.symlink_to(two.name)
    tmp.replace(current)  # an atomic swap, as the README's rollout does
    deadline = time.monotonic() + 60
    while len(client.get(f"{PREFIX}/documents").json()) != 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(client.get(f"{PREFIX}/documents").json()) == 3
    want = Engine.open(two, dense=False).ask(SEED_Q).to_dict()
    got = client.post(f"{PREFIX}/ask", json={"question": SEED_Q}).json()
    assert (got["value"], got["citations"]) == (want["value"], want["citations"])  # the new snapshot answers


def api_app_followed(followed: FollowedStore) -> FastAPI:
    root = FastAPI()
    root.mount(PREFIX, create_api(Service(followed, staff_routes=False)))
    return root


def test_a_ledger_question_loads_no_model_and_no_chromadb(store, tmp_path):
    """`budgetqa ask` answered from the ledger never imports chromadb or sentence-transformers."""
    import subprocess
    import sys

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    code = ("import sys, json; from app.cli import main; main(['ask', '--json', '--store', sys.argv[1], "
            f"'{SEED_Q}']); print(json.dumps([m in sys.modules for m in "
            "('chromadb', 'sentence_transformers', 'torch')]))")
    out = subprocess.run([sys.executable, "-c", code, str(copy)], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parent.parent, check=True).stdout.splitlines()
    assert '"value": 486600' in out[0] and out[-1] == "[false, false, false]"


def test_the_gradio_server_serves_the_api_and_its_upload_guard_leaves_it_to_the_token(store, tmp_path,
                                                                                      monkeypatch):
    """Mounted by launch(): /api/v1 on Gradio's own port; Gradio's upload guard (403 to anonymous multipart)
    leaves /api/v1 to the API's token check, which still refuses anonymous bytes."""
    from app.web.app import build_app, launch

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    monkeypatch.setenv("BUDGETQA_STAFF_TOKEN", TOKEN)
    monkeypatch.setenv("BUDGETQA_EMBED_AHEAD_MIN", "1000000")  # no dense index here: no model in the child
    engine = Engine.open(copy, dense=False)
    port = free_port()
    demo = launch(build_app(engine), "127.0.0.1", port, block=False)
    try:
        url = f"http://127.0.0.1:{port}{PREFIX}"
        assert requests.get(f"{url}/health", timeout=10).json()["documents"] == 2
        assert requests.post(f"{url}/ask", json={"question": SEED_Q}, timeout=30).json()["value"] == 486600
        files = {"file": ("upload.txt", hf.SEED.read_bytes(), "text/plain")}
        anonymous = requests.post(f"{url}/documents", files=files, timeout=10)
        assert anonymous.status_code == 401 and not (copy / "uploads").exists()
        staff = requests.post(f"{url}/documents", files=files, headers={"Authorization": f"Bearer {TOKEN}"},
                              timeout=300)
        assert staff.status_code == 200 and (copy / "uploads" / "upload.txt").exists()
        assert requests.post(f"http://127.0.0.1:{port}/gradio_api/upload", files=files,
                             timeout=10).status_code == 403  # Gradio's own route is still guarded
    finally:
        demo.close()
