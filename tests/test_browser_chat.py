"""Chat, sources, overview and language switch in Debian chromium, desktop and 390 px; docs/ shots."""

from __future__ import annotations

import re

import pytest
from test_browser import ARGS, CHROMIUM, LOCAL, ROOT
from test_web_chat import start_many

pytestmark = [pytest.mark.browser, pytest.mark.samples]
DOCS = ROOT / "docs"
STORE: dict = {}


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium fonts-wqy-microhei")
    engine, demo, address = start_many(tmp_path_factory.mktemp("browsermany") / "store")
    STORE["path"] = engine.ledger.store
    yield address
    demo.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def open_page(browser, url: str, width: int = 1200, path: str = ""):
    page = browser.new_page(viewport={"width": width, "height": 900})
    external: list[str] = []
    page.on(
        "request",
        lambda r: (
            external.append(r.url)
            if r.url.startswith(("http", "ws")) and re.sub(r"^\w+://([^:/]+).*", r"\1", r.url) not in LOCAL
            else None
        ),
    )
    page.goto(url + path, timeout=90_000)
    page.locator("#bq-welcome .bq-docs").wait_for(timeout=90_000)
    return page, external


def settle(page) -> None:
    """Before a screenshot: close any open list, let pending updates finish fading in."""
    page.keyboard.press("Escape")
    page.mouse.click(5, 5)
    page.wait_for_timeout(900)


def answers(page):
    return page.locator("#bq-chat .bq-answer")


def click_chip(page, text: str | None = None) -> str:
    """Click a chip (the first, or the one holding `text`); returns its question; waits for its answer."""
    before = answers(page).count()
    chip = (
        page.locator("#bq-chips button", has_text=text).first
        if text
        else page.locator("#bq-chips button").first
    )
    question = chip.inner_text().strip()
    chip.click()
    answers(page).nth(before).wait_for(timeout=30_000)
    return question


def test_first_visit_lists_documents_and_examples_that_answer(browser, url):
    page, external = open_page(browser, url)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    welcome = page.locator("#bq-welcome").inner_text()
    for name in (
        "上海市普陀区司法局 · 2026 · 单位预算",
        "上海市普陀区司法局 · 2026 · 部门预算",
        "上海市普陀区财政局 · 2024 · 部门决算",
        "安图县社会保险事业管理局 · 2026 · 部门预算",
    ):
        assert name in welcome
    assert page.locator("#bq-welcome .bq-ex").count() == 8
    assert "单位预算：" in welcome and "部门预算：" in welcome and "决算：" in welcome
    assert page.get_by_role("textbox", name=re.compile("问题")).count() == 1
    examples = page.locator("#bq-welcome .bq-ex").all_inner_texts()
    assert page.locator("#bq-chips button").all_inner_texts() == examples  # every example is clickable
    asked = click_chip(page)  # an example: a figure, no ask-back
    assert asked == examples[0] and answers(page).last.locator(".bq-value").count() == 1
    follow = page.locator("#bq-chips button").first
    follow.wait_for(timeout=10_000)
    assert follow.inner_text() == "上海市普陀区司法局2026年单位预算公共安全支出占支出总计的比例是多少？"
    click_chip(page)
    assert answers(page).last.locator(".bq-value").inner_text() == "91.06%"
    click_chip(page, examples[6])  # after a share the examples come back; another document's answers too
    assert answers(page).last.locator(".bq-value").inner_text() == "1,051.38 万元"
    assert external == []
    page.close()


def test_ask_back_candidates_are_buttons_that_answer(browser, url):
    page, _ = open_page(browser, url)
    page.locator("#bq-input textarea").fill("住房保障支出是多少元")
    page.locator("#bq-send").click()
    answers(page).first.wait_for(timeout=30_000)
    assert answers(page).first.locator(".bq-value").count() == 0  # which document? asked back
    page.locator("#bq-chips button", has_text="安图县").first.wait_for(timeout=10_000)
    question = click_chip(page, "安图县")
    assert question == "安图县社会保险事业管理局2026年部门预算住房保障支出是多少元"
    assert answers(page).nth(1).locator(".bq-value").inner_text() == "486,600 元"
    page.close()


def test_source_link_opens_the_cited_page(browser, url):
    page, _ = open_page(browser, url)
    click_chip(page, "上海市普陀区司法局2026年单位预算")
    last = answers(page).last
    last.locator("details.bq-sources summary").click()
    link = last.locator("a.bq-open").first
    with page.context.expect_page() as opened:
        link.click()
    shown = opened.value
    shown.wait_for_load_state()
    size = shown.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size[0] > 500 and size[1] > 300  # the PDF page, rendered by the app
    shown.close()
    page.close()


def test_overview_follows_the_selected_document_and_unit(browser, url):
    page, _ = open_page(browser, url)
    page.get_by_role("tab", name=re.compile("概览")).click()
    expected = {
        "安图县社会保险事业管理局 · 2026 · 部门预算": ("社会保障和就业支出", "1,051.38 万元"),
        "上海市普陀区司法局 · 2026 · 单位预算": ("公共安全支出", "7,918.94 万元"),
        "上海市普陀区财政局 · 2024 · 部门决算": ("一般公共服务支出", "2,106.66 万元"),
    }
    for _ in range(2):
        for name, (top, amount) in expected.items():
            page.locator("#bq-scope input").click()
            page.get_by_role("option", name=name).click()
            caption = page.locator("#bq-bars figcaption")
            caption.filter(has_text=name).wait_for(timeout=15_000)
            first = page.locator("#bq-bars .bq-bar").first
            assert first.locator(".bq-bar-k").inner_text() == top
            assert first.locator(".bq-bar-v").inner_text() == amount
            assert name in page.locator(".bq-cards").locator("xpath=..").locator("h3").first.inner_text()
    page.get_by_role("radio", name="亿元").check()
    page.locator("#bq-bars figcaption", has_text="亿元").wait_for(timeout=15_000)
    assert page.locator("#bq-bars .bq-bar-v").first.inner_text() == "0.21 亿元"
    assert all(v.endswith("亿元") for v in page.locator(".bq-card .bq-v").all_inner_texts())
    page.get_by_role("radio", name="万元").check()
    page.locator("#bq-bars figcaption", has_text="万元").wait_for(timeout=15_000)
    page.locator("#bq-scope input").click()
    page.get_by_role("option", name=re.compile("全部文件")).click()
    page.locator("#bq-chart").wait_for(state="hidden", timeout=15_000)
    values = page.locator(".bq-card .bq-v").all_inner_texts()
    assert len(values) == 4 and all(v.endswith(" 万元") for v in values)
    page.close()


def test_language_switch_and_screenshots(browser, url):
    page, _ = open_page(browser, url)
    click_chip(page, "安图县")
    settle(page)
    page.screenshot(path=str(DOCS / "web-chat-zh.png"))
    page.get_by_label("English").check()
    page.locator("#bq-welcome", has_text="documents are loaded").wait_for(timeout=15_000)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert (
        "Antu Social Insurance Administration (安图县社会保险事业管理局) · 2026 · department budget"
        in page.locator("#bq-welcome").inner_text()
    )
    question = click_chip(page, "Antu")
    assert question.startswith("What")
    last = answers(page).last
    assert "≈" in last.locator(".bq-figure").inner_text() and "yuan" in last.locator(".bq-gloss").inner_text()
    page.locator("#bq-chips button", has_text="What share of total spending").first.wait_for(timeout=10_000)
    settle(page)
    page.screenshot(path=str(DOCS / "web-chat-en.png"))
    page.get_by_role("tab", name=re.compile("Overview")).click()
    page.locator("#bq-scope input").click()
    page.get_by_role("option", name=re.compile("^Antu Social")).click()
    page.locator("#bq-bars figcaption", has_text="spending by function category").wait_for(timeout=15_000)
    assert "Function category" in page.locator("#bq-cats").inner_text()
    assert "housing" in page.locator("#bq-bars").inner_text().lower()
    settle(page)
    page.screenshot(path=str(DOCS / "web-overview-en.png"))
    page.get_by_label("中文").check()
    page.locator("#bq-bars figcaption", has_text="按功能分类").wait_for(timeout=15_000)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    settle(page)
    page.screenshot(path=str(DOCS / "web-overview-zh.png"))
    page.close()


def test_phone_width_tabs_reachable_and_numbers_unbroken(browser, url):
    page, _ = open_page(browser, url, width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    for name in ("问答", "概览", "数据", "上传"):  # no tab hidden behind "…"
        tab = page.locator(".tab-wrapper button:visible", has_text=name)
        boxes = [b for b in (t.bounding_box() for t in tab.all()) if b and b["height"] > 10]
        assert any(b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in boxes), name
    click_chip(page, "安图县")
    value = answers(page).last.locator(".bq-value")
    assert value.evaluate("e => e.getClientRects().length") == 1  # one line: not wrapped digit by digit
    [overview] = [
        t
        for t in page.locator(".tab-wrapper button:visible", has_text="概览").all()
        if (t.bounding_box() or {}).get("height", 0) > 10
    ]
    overview.click()
    page.locator("#bq-scope input").click()
    page.get_by_role("option", name="上海市普陀区司法局 · 2026 · 单位预算").click()
    page.locator("#bq-bars figcaption", has_text="单位预算").wait_for(timeout=15_000)
    for v in page.locator("#bq-bars .bq-bar-v").all():
        box = v.bounding_box()
        assert box and box["height"] < 30 and box["width"] > 40  # a number on one line
    page.screenshot(path=str(DOCS / "web-phone-zh.png"))
    page.close()


def test_permalink_copy_and_report(browser, url):
    from urllib.parse import quote

    from app.web_reports import Reports

    question = "安图县社会保险事业管理局2026年部门预算住房保障支出是多少？"
    page, _ = open_page(browser, url, path="?q=" + quote(question))
    answers(page).first.wait_for(timeout=30_000)  # the permalink asked its question on opening
    assert page.locator("#bq-chat .bq-q").first.inner_text() == question
    assert answers(page).first.locator(".bq-value").inner_text() == "48.66 万元"
    link = answers(page).first.locator("a.bq-permalink").get_attribute("href")
    assert link == "?q=" + quote(question, safe="")
    answers(page).first.locator("a.bq-copy").click()
    page.wait_for_function("window.bqCopied !== undefined")
    copied = page.evaluate("window.bqCopied")
    assert "<" not in copied and "48.66 万元" in copied
    assert (
        "来源：安图县社会保险事业管理局" in copied
        and "表01 收支预算总表 · 二十、住房保障支出 / 本年预算" in copied
    )
    page.locator("#bq-report").get_by_text("报告错误答案").click()
    page.locator("#bq-report-comment textarea").fill("数字不对？<b>test</b>")
    page.locator("#bq-report-send").click()
    page.locator("#bq-report-msg", has_text="已记录").wait_for(timeout=15_000)
    [row] = Reports(STORE["path"]).all()
    assert row[2] == question and "48.66 万元" in row[3] and row[4] == "数字不对？<b>test</b>"
    assert "<span" not in row[3]
    page.close()


AXE = (
    ROOT / "tests" / "vendor" / "axe.min.js"
)  # axe-core 4.14.1, vendored from npm (MPL-2.0): no fetch at run time


def serious_findings(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return list(found)


@pytest.mark.parametrize("width", [1200, 390])
def test_axe_finds_nothing_serious(browser, url, width):
    page, _ = open_page(browser, url, width=width)
    click_chip(page)
    answers(page).last.locator("details.bq-sources summary").click()
    page.wait_for_timeout(500)
    assert serious_findings(page) == []
    page.get_by_label("English").check()
    page.locator("#bq-welcome", has_text="documents are loaded").wait_for(timeout=15_000)
    page.wait_for_timeout(500)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert serious_findings(page) == []
    page.close()
