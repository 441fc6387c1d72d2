"""Issue 12.1 over HTTP: no anonymous byte reaches the disk, downloads leave nothing behind, the staff
password is rate-limited, and staff can upload and remove through every door that is meant to."""

from __future__ import annotations

import csv
import io
import os
import socket
from pathlib import Path

import hostile_factory as hf
import httpx
import pytest
import requests
from gradio_client import Client, handle_file

from app.web.app import build_app, launch
from app.web.staff_auth import PASSWORD_ENV
from ingest.pipeline import ingest

PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def serve(store: Path, password: str | None, monkeypatch_env):  # type: ignore[no-untyped-def]
    from app.engine import Engine

    monkeypatch_env(password)
    engine = Engine.open(store)
    port = free_port()
    demo = launch(build_app(engine), "127.0.0.1", port, block=False)
    return engine, demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("guardweb") / "store"
    ingest([hf.SEED], store)
    return store


@pytest.fixture(scope="module")
def gradio_tmp(tmp_path_factory) -> Path:
    """Gradio's upload/cache folder for these servers, so files left behind can be counted."""
    folder = tmp_path_factory.mktemp("gradio-tmp")
    old = os.environ.get("GRADIO_TEMP_DIR")
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("GRADIO_TEMP_DIR", None)
    else:
        os.environ["GRADIO_TEMP_DIR"] = old


def _env(password):  # type: ignore[no-untyped-def]
    if password:
        os.environ[PASSWORD_ENV] = password
    else:
        os.environ.pop(PASSWORD_ENV, None)


@pytest.fixture(scope="module")
def public(store, gradio_tmp):
    engine, demo, url = serve(store, None, _env)
    yield engine, demo, url
    demo.close()


@pytest.fixture(scope="module")
def staffed(store, gradio_tmp):
    engine, demo, url = serve(store, PASSWORD, _env)
    yield engine, demo, url
    demo.close()
    _env(None)


def _post_upload(url: str, n: int = 1, size: int = 256 * 1024, **kw) -> list[int]:
    codes = []
    for i in range(n):
        files = {"files": (f"junk{i}.txt", io.BytesIO(os.urandom(size)), "text/plain")}
        codes.append(requests.post(url + "gradio_api/upload", files=files, timeout=10, **kw).status_code)
    return codes


def test_anonymous_uploads_store_nothing(public, gradio_tmp):
    _, demo, url = public
    before = files_under(gradio_tmp)
    assert set(_post_upload(url, 20)) == {403}
    assert set(_post_upload(url, 3, headers={"x-budgetqa-staff": "guess"})) == {403}  # no password set: shut
    for route in ("gradio_api/process_recording", "gradio_api/component_server", "gradio_api/queue/join"):
        files = {"video": ("x.mp4", io.BytesIO(os.urandom(4096)), "video/mp4")}
        assert requests.post(url + route, files=files, timeout=10).status_code == 403, route
    assert files_under(gradio_tmp) == before
    config = requests.get(url + "config", timeout=10).json()
    assert not [c for c in config["components"]
                if c.get("type") in ("file", "uploadbutton", "downloadbutton")]
    assert "upload" not in {d.get("api_name") for d in config["dependencies"]}


def test_facts_api_and_csv_leave_no_file_behind(public, gradio_tmp):
    _, _, url = public
    before = files_under(gradio_tmp)
    client = Client(url, verbose=False)
    for _ in range(15):
        frame, status, link = client.predict("", "", "", api_name="/facts")
    assert status.endswith("条数据") and "bq/facts.csv?" in link  # the page's default language
    assert client.predict("", "", "", "en", api_name="/facts")[1].endswith("facts")
    frame, status, link = client.predict("bb9df3d33372be7b", "01", "住房", api_name="/facts")
    href = link.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    body = requests.get(url + href, timeout=10).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))  # headers in the page's default language
    assert [(r["项目"], r["栏目"], r["数值"]) for r in rows] == [
        ("住房保障支出", "本年预算", "48.66"), ("住房保障支出", "编制预算", "48.66"), ("住房保障支出", "上年结转", "0.00")]
    assert files_under(gradio_tmp) == before


def _session(url: str, password: str, source: str = "127.0.0.1", **headers) -> requests.Response:
    """POST the staff sign-in from a chosen loopback source address (127.0.0.x are all this machine)."""
    with httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=10) as client:
        return client.post(url + "bq/staff/session", headers={"x-budgetqa-staff": password, **headers})


def test_wrong_passwords_slow_one_address_and_never_lock_out_the_staff(staffed):
    _, demo, url = staffed
    gate = demo.bq_gate
    gate.reset()
    try:
        codes = [_session(url, f"guess{i}").status_code for i in range(gate.max_failures)]
        assert set(codes) == {403}
        locked = _session(url, PASSWORD)
        assert locked.status_code == 403 and "too many wrong staff passwords" in locked.json()["detail"]
        assert set(_post_upload(url, 1, headers={"x-budgetqa-staff": PASSWORD})) == {403}
        # the staff at another address are not locked out, however many misses came from everywhere
        for i in range(gate.alarm_failures):
            _session(url, f"flood{i}", source=f"127.0.0.{10 + i % 40}")
        assert gate.alarms >= 1
        assert _session(url, PASSWORD, source="127.0.0.99").status_code == 200
    finally:
        gate.reset()


def test_forged_forwarded_headers_do_not_make_one_client_many(staffed):
    _, demo, url = staffed
    gate = demo.bq_gate
    gate.reset()
    try:
        for i in range(gate.max_failures):  # each miss claims to come from another address
            _session(url, f"guess{i}", **{"X-Forwarded-For": f"203.0.113.{i}"})
        assert _session(url, PASSWORD, **{"X-Forwarded-For": "198.51.100.7"}).status_code == 403
        assert _session(url, PASSWORD, source="127.0.0.2").status_code == 200
    finally:
        gate.reset()


def test_staff_upload_and_remove_through_the_api(staffed, tmp_path, gradio_tmp):
    engine, demo, url = staffed
    demo.bq_gate.reset()
    assert set(_post_upload(url, 2)) == {403}  # still no anonymous uploads with the password set
    session = requests.Session()
    assert session.post(url + "bq/staff/session", headers={"x-budgetqa-staff": PASSWORD}, timeout=10).ok
    assert set(_post_upload(url, 1, cookies=session.cookies)) == {200}

    client = Client(url, verbose=False, headers={"x-budgetqa-staff": PASSWORD})
    text = hf.SEED.read_text(encoding="utf-8").replace("48.66\t48.66", "40.00\t40.00", 1)
    doc = tmp_path / "antu-upload-2026-department-budget.txt"
    doc.write_text(text, encoding="utf-8")
    log, status, *_ = client.predict([handle_file(str(doc))], "wrong", api_name="/upload")
    assert status == "refused: wrong staff password"
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(hf.encrypted_pdf())
    log, status, *_ = client.predict([handle_file(str(bad))], PASSWORD, api_name="/upload")
    assert status.startswith("refused: broken.xlsx") and "; nothing was changed · 用时 " in status, status
    reason = status.removeprefix("refused: broken.xlsx: ").split("; nothing was changed")[0]
    assert f"broken.xlsx：未导入 — {reason}" in log  # the file, its reason in the CLI's words
    assert str(tmp_path) not in status and "/tmp" not in status
    log, status, *_ = client.predict([handle_file(str(doc))], PASSWORD, api_name="/upload")
    assert status.startswith("1 documents (1 new)"), status
    new = [d for d in engine.documents() if d.source_key == doc.name]
    assert len(new) == 1 and (Path(engine.ledger.store) / "uploads" / doc.name).exists()
    assert not [p for p in files_under(gradio_tmp) if p.name == doc.name]  # Gradio's copy is gone
    status, *_ = client.predict(new[0].id, "wrong", api_name="/remove")
    assert status == "refused: wrong staff password"
    status, *_ = client.predict(new[0].id, PASSWORD, api_name="/remove")
    assert status.startswith(f"removed {doc.name}")
    assert [d.source_key for d in engine.documents()] == [hf.SEED.name]


def test_errors_show_no_paths_or_reprs(public):
    from app.web.messages import render_error

    err = FileNotFoundError(2, "No such file", "/tmp/gradio/abc123/secret.txt")
    html = render_error("q", RuntimeError(f"boom at <app.engine.Engine object at 0x7f00deadbeef> {err}"))
    assert "/tmp/" not in html and "0x7f00" not in html and "RuntimeError" not in html


def _join(url: str, api: str, data: list) -> list:  # type: ignore[type-arg]
    """One call through Gradio's queue, as any script can make it (no gradio_client file handling)."""
    import json
    import uuid

    config = requests.get(url + "config", timeout=10).json()
    fn = next(i for i, d in enumerate(config["dependencies"]) if d.get("api_name") == api)
    session = uuid.uuid4().hex
    joined = requests.post(url + "gradio_api/queue/join", timeout=10,
                           json={"data": data, "fn_index": fn, "session_hash": session})
    assert joined.ok, joined.text
    stream = requests.get(url + "gradio_api/queue/data", params={"session_hash": session}, timeout=60).text
    events = [json.loads(ln[len("data: "):]) for ln in stream.splitlines() if ln.startswith("data: ")]
    done = [e for e in events if e.get("msg") == "process_completed"]
    assert done, events
    return done[-1]["output"]["data"]


def test_a_refused_anonymous_upload_naming_a_temp_file_leaves_it(staffed, gradio_tmp):
    """Issue 22 item 7: anyone can name a Gradio temporary file in an /upload call; a refusal deletes
    nothing."""
    _, demo, url = staffed
    demo.bq_gate.reset()
    session = requests.Session()
    assert session.post(url + "bq/staff/session", headers={"x-budgetqa-staff": PASSWORD}, timeout=10).ok
    files = {"files": ("staff-draft.txt", io.BytesIO(hf.SEED.read_bytes()), "text/plain")}
    (held,) = session.post(url + "gradio_api/upload", files=files, timeout=10).json()  # a staff upload
    assert Path(held).is_file()
    for password in ("", "wrong"):
        named = [{"path": held, "meta": {"_type": "gradio.FileData"}}]
        out = _join(url, "upload", [named, password, "en", False])
        assert out and str(out[1]).startswith("refused: "), out
    assert Path(held).is_file(), "a refused anonymous call deleted another's temporary file"


def test_staff_choose_to_replace_a_reissue_on_the_desk(staffed, tmp_path):
    """Issue 22 item 2: the staff desk's "replace an earlier issue" box does what `ingest --replace` does."""
    engine, demo, url = staffed
    demo.bq_gate.reset()
    client = Client(url, verbose=False, headers={"x-budgetqa-staff": PASSWORD})
    text = hf.SEED.read_text(encoding="utf-8")
    fixed = tmp_path / "antu-corrected-2026-department-budget.txt"
    fixed.write_text(text.replace("住房保障支出\t48.66\t48.66\t0.00", "住房保障支出\t58.66\t58.66\t0.00"),
                     encoding="utf-8")
    log, status, *_ = client.predict([handle_file(str(fixed))], PASSWORD, "en", True, api_name="/upload")
    assert status.startswith("1 documents (1 replace)"), status
    assert "replaces the earlier issue" in log and "48.66 → 58.66" in log
    assert [d.source_key for d in engine.documents()] == [fixed.name]
    assert "58.66" in engine.ask("住房保障支出是多少").answer
    seed = tmp_path / hf.SEED.name
    seed.write_bytes(hf.SEED.read_bytes())  # and back, so the module's store is as it was
    log, status, *_ = client.predict([handle_file(str(seed))], PASSWORD, "en", True, api_name="/upload")
    assert status.startswith("1 documents (1 replace)"), status
    assert [d.source_key for d in engine.documents()] == [hf.SEED.name]
