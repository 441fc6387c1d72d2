"""The staff desk in Debian chromium: the page's own upload passes the guard only after a staff sign-in."""

from __future__ import annotations

import os
import re
from pathlib import Path

import hostile_factory as hf
import pytest
import requests

from app.web.staff_auth import PASSWORD_ENV

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "staff-only-9"


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium fonts-wqy-microhei")
    from test_guard_web import free_port

    from app.engine import Engine
    from app.web.app import build_app, launch
    from ingest.pipeline import ingest

    store = tmp_path_factory.mktemp("staffbrowser") / "store"
    ingest([hf.SEED], store)
    os.environ[PASSWORD_ENV] = PASSWORD
    engine = Engine.open(store)
    port = free_port()
    demo = launch(build_app(engine), "127.0.0.1", port, block=False)
    yield engine, f"http://127.0.0.1:{port}/"
    demo.close()
    os.environ.pop(PASSWORD_ENV, None)


@pytest.mark.browser
def test_staff_sign_in_then_upload_in_the_page(staff_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    engine, url = staff_server
    doc = tmp_path / "antu-browser-2026-department-budget.txt"
    doc.write_text(hf.SEED.read_text(encoding="utf-8").replace("48.66\t48.66", "39.00\t39.00", 1),
                   encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        # not networkidle: the page's first answers may be busy
        page.goto(url, wait_until="load", timeout=90_000)
        page.get_by_role("tab", name="上传").click(timeout=60_000)
        box = page.get_by_label("工作人员密码")
        expect(box).to_be_visible(timeout=90_000)  # the tab renders late when the eval runs beside the tests
        box.fill("wrong")
        page.get_by_role("button", name="解锁").click()
        expect(page.get_by_text("工作人员密码不正确")).to_be_visible(timeout=15000)
        assert not [c for c in page.context.cookies() if c["name"] == "bq_staff"]
        box.fill(PASSWORD)
        page.get_by_role("button", name="解锁").click()
        expect(page.get_by_role("button", name="导入")).to_be_visible(timeout=15000)
        assert [c for c in page.context.cookies() if c["name"] == "bq_staff"]
        page.locator("input[type=file]").set_input_files(str(doc))
        page.wait_for_timeout(1500)
        page.get_by_role("button", name="导入").click()
        named = f"{doc.name}：新增 — 安图县社会保险事业管理局，2026年，部门预算，"  # what staff check it by
        result = re.compile(r"^1 documents \(1 new\).* — " + re.escape(named))
        expect(page.get_by_label("结果")).to_have_value(result, timeout=60000)
        browser.close()
    assert [d for d in engine.documents() if d.source_key == doc.name]
    anonymous = requests.post(url + "gradio_api/upload", files={"files": ("x.txt", b"x")}, timeout=10)
    assert anonymous.status_code == 403
