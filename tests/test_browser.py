"""The served page in Debian chromium: cited answers, hostile text kept as text, no request off localhost."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from test_web import start_server

from ingest.settings import settings

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent


def shots_dir() -> Path:
    """Screenshots go to an ignored folder; ``make screenshots`` points this at docs/ for the README."""
    folder = settings().screenshots
    folder.mkdir(parents=True, exist_ok=True)
    return folder
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    if not CHROMIUM.exists():
        if settings().require_browser:
            pytest.fail("BUDGETQA_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing "
                        "(apt-get install -y chromium fonts-wqy-microhei)")
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium fonts-wqy-microhei")
    _, demo, url = start_server(tmp_path_factory.mktemp("browserstore") / "store")
    yield url
    demo.close()


@pytest.fixture(scope="module")
def browser_page(page_url):
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1000}, locale="zh-CN")
        page.on("request", lambda r: external.append(r.url)
                if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
                and urlparse(r.url).hostname not in LOCAL else None)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        # not networkidle: examples may still be checked
        page.goto(page_url, wait_until="load", timeout=90_000)
        page.locator("#bq-welcome .bq-docs").wait_for(timeout=90_000)
        yield page, external, dialogs
        browser.close()


def ask(page, question: str, expect: str) -> None:
    """Type a question, send it, wait until the newest answer contains `expect`."""
    before = page.locator("#bq-chat .bq-answer").count()
    page.locator("#bq-input textarea").fill(question)
    page.locator("#bq-send").click()
    page.locator("#bq-chat .bq-answer").nth(before).wait_for(timeout=30_000)
    answer = page.locator("#bq-chat .bq-answer").nth(before)
    assert expect in answer.inner_text()


def test_chat_shows_cited_answers_and_makes_the_screenshot(browser_page):
    page, external, dialogs = browser_page
    ask(page, "what is the housing security spend?", "48.66")
    ask(page, "住房保障支出占总支出的比例是多少？", "4.30%")
    last = page.locator("#bq-chat .bq-answer").last
    summary = last.locator("details.bq-sources summary")
    assert "表01 收支预算总表" in summary.inner_text() and summary.is_visible()
    summary.click()
    quote = last.locator(".bq-quote").first
    quote.wait_for(state="visible")
    assert quote.inner_text() == "二十、住房保障支出 48.66 48.66 0.00"
    assert "48.66 ÷ 1,131.55 × 100% = 4.30%" in last.locator(".bq-formula").inner_text()
    page.screenshot(path=str(shots_dir() / "screenshot.png"), full_page=True)
    assert external == [] and dialogs == []


def test_hostile_question_is_text(browser_page):
    page, external, dialogs = browser_page
    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    page.locator("#bq-input textarea").fill(hostile)
    page.locator("#bq-send").click()
    # the page may already hold earlier questions: wait for this one's bubble, not the last one seen
    bubble = page.locator("#bq-chat .bq-q", has_text="onerror=alert(1)").last
    bubble.wait_for(timeout=30_000)
    assert bubble.inner_text() == hostile
    page.wait_for_timeout(1500)
    assert page.locator("#bq-chat img[src='x']").count() == 0
    assert page.locator("#bq-chat script").count() == 0
    assert dialogs == [] and external == []


def test_overview_chart_for_one_document(browser_page):
    page, external, _ = browser_page
    page.get_by_role("tab", name="概览").click()
    page.locator("#bq-scope input").click()
    page.get_by_role("option", name="安图县社会保险事业管理局 · 2026 · 部门预算").click()
    cards = page.locator(".bq-card")
    cards.first.wait_for(timeout=15_000)
    assert "1,131.55 万元" in cards.first.inner_text()
    bars = page.locator("#bq-bars .bq-bar")
    bars.first.wait_for(timeout=15_000)
    assert [b.inner_text().split("\n")[0] for b in bars.all()] == ["社会保障和就业支出", "住房保障支出", "卫生健康支出"]
    assert "住房保障支出" in page.locator("#bq-cats").inner_text()
    page.screenshot(path=str(shots_dir() / "overview.png"), full_page=True)
    assert external == []
