"""Chat, sources, overview, data, language switch and staff desk in Debian chromium, desktop and 390 px;
docs/ shots."""

from __future__ import annotations

import csv
import io
import os
import re
import struct

import pytest
from conftest import SEED
from playwright.sync_api import expect
from test_browser import CHROMIUM, LOCAL, ROOT, shots_dir
from test_web_chat import start_many

from app.web.staff_auth import PASSWORD_ENV

pytestmark = [pytest.mark.browser, pytest.mark.samples]
STORE: dict = {}
PASSWORD = "desk-staff-7"
HAN = re.compile(r"[\u4e00-\u9fff]")
ANSWER_WAIT = 60_000  # generous: the browser tests share 2 cores with other runs


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium fonts-wqy-microhei")
    os.environ[PASSWORD_ENV] = PASSWORD  # one server for the public page and the staff desk
    engine, demo, address = start_many(tmp_path_factory.mktemp("browsermany") / "store")
    STORE["path"] = engine.ledger.store
    yield address
    demo.close()
    os.environ.pop(PASSWORD_ENV, None)


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
    answers(page).nth(before).wait_for(timeout=ANSWER_WAIT)
    return question


def click_example(page, text: str | None = None) -> str:
    """Click an example of the welcome panel (the first, or the one holding `text`); returns its question;
    waits for its answer."""
    before = answers(page).count()
    link = page.locator("#bq-welcome .bq-ex a", has_text=text).first if text else \
        page.locator("#bq-welcome .bq-ex a").first
    question = link.inner_text().strip()
    link.click()
    answers(page).nth(before).wait_for(timeout=ANSWER_WAIT)
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
    assert page.locator("#bq-welcome .bq-ex a").all_inner_texts() == examples  # every example is clickable
    assert page.locator("#bq-chips button:visible").count() == 0  # the welcome panel's examples suffice
    asked = click_example(page)  # an example: a figure, no ask-back
    assert asked == examples[0] and answers(page).last.locator(".bq-value").count() == 1
    follow = page.locator("#bq-chips button").first
    follow.wait_for(timeout=10_000)
    assert follow.inner_text() == "上海市普陀区司法局2026年单位预算公共安全支出占支出总计的比例是多少？"
    click_chip(page)
    assert answers(page).last.locator(".bq-value").inner_text() == "91.06%"
    assert 0 < page.locator("#bq-chips button:visible").count() <= 5  # after a share the examples come back
    click_example(page, examples[6])  # another document's answers too
    assert answers(page).last.locator(".bq-value").inner_text() == "1,051.38 万元"
    assert external == []
    page.close()


def test_ask_back_candidates_are_buttons_that_answer(browser, url):
    page, _ = open_page(browser, url)
    page.locator("#bq-input textarea").fill("住房保障支出是多少元")
    page.locator("#bq-send").click()
    answers(page).first.wait_for(timeout=ANSWER_WAIT)
    assert answers(page).first.locator(".bq-value").count() == 0  # which document? asked back
    page.locator("#bq-chips button", has_text="安图县").first.wait_for(timeout=10_000)
    question = click_chip(page, "安图县")
    assert question == "安图县社会保险事业管理局2026年部门预算住房保障支出是多少元"
    assert answers(page).nth(1).locator(".bq-value").inner_text() == "486,600 元"
    page.close()


def ask(page, question: str):
    """Type a question and wait for its answer; returns the answer's locator."""
    before = answers(page).count()
    page.locator("#bq-input textarea").fill(question)
    page.locator("#bq-send").click()
    answers(page).nth(before).wait_for(timeout=ANSWER_WAIT)
    return answers(page).nth(before)


def test_source_link_opens_the_cited_page_and_a_follow_up_keeps_the_department(browser, url):
    page, _ = open_page(browser, url)
    click_example(page, "上海市普陀区司法局2026年单位预算")
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
    ask(page, "上海市普陀区司法局2026年单位预算行政运行是多少？")  # its 2025 figure is stated; 公共安全支出's is not
    follow = ask(page, "那去年呢？")  # typed, no department: the chat's history supplies it
    assert follow.locator(".bq-value").inner_text() == "1,690.69 万元"
    text = follow.locator(".bq-text").inner_text()
    assert text.startswith("上海市普陀区司法局2026年单位预算") and "2025年" in text
    assert "上海市普陀区2026年区级单位预算" in follow.locator("details.bq-sources").inner_text()
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
    with page.expect_download() as got:  # one document's chart as CSV: its categories, largest first
        page.locator("a.bq-chart-csv").click()
    rows = list(csv.reader(io.StringIO(got.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["类", "金额 (万元)"] and rows[1] == ["一般公共服务支出", "2106.66"]
    assert got.value.suggested_filename.endswith("-10k-yuan.csv") and len(rows) == 5
    page.locator("#bq-scope input").click()
    page.get_by_role("option", name=re.compile("全部文件")).click()
    page.locator("#bq-bars figcaption", has_text="各文件比较").wait_for(timeout=15_000)
    values = page.locator(".bq-card .bq-v").all_inner_texts()
    assert len(values) == 4 and all(v.endswith(" 万元") for v in values)
    # one item across the documents: which department spends most on housing?
    page.locator("#bq-item input").click()
    page.get_by_role("option", name="住房保障支出").click()
    page.locator("#bq-bars figcaption", has_text="住房保障支出：各文件比较（万元）").wait_for(timeout=15_000)
    shown = [(b.locator(".bq-bar-k").inner_text(), b.locator(".bq-bar-v").inner_text())
             for b in page.locator("#bq-bars .bq-bar").all()]
    assert shown == [
        ("上海市普陀区司法局 · 2026 · 部门预算", "452.16 万元"),
        ("上海市普陀区财政局 · 2024 · 部门决算", "445.69 万元"),
        ("上海市普陀区司法局 · 2026 · 单位预算", "386.15 万元"),
        ("安图县社会保险事业管理局 · 2026 · 部门预算", "48.66 万元"),
    ]
    with page.expect_download() as got:
        page.locator("a.bq-chart-csv").click()
    rows = list(csv.reader(io.StringIO(got.value.path().read_text(encoding="utf-8-sig"))))
    assert rows == [["文件", "金额 (万元)"], *[[name, amount.removesuffix(" 万元")] for name, amount in shown]]
    with page.expect_download() as got:
        page.locator("a.bq-chart-png").click()
    png = got.value.path().read_bytes()
    width, height = struct.unpack(">II", png[16:24])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and got.value.suggested_filename.endswith(".png")
    assert width == 2000 and height == 2 * (60 + 30 * 4 + 16)  # drawn from the four bars shown
    page.close()


def test_language_switch_and_screenshots(browser, url):
    page, _ = open_page(browser, url)
    click_example(page, "安图县")
    settle(page)
    page.screenshot(path=str(shots_dir() / "web-chat-zh.png"))
    page.get_by_label("English").check()
    page.locator("#bq-welcome", has_text="documents are loaded").wait_for(timeout=15_000)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert (
        "Antu Social Insurance Administration (安图县社会保险事业管理局) · 2026 · department budget"
        in page.locator("#bq-welcome").inner_text()
    )
    question = click_example(page, "Antu")
    assert question.startswith("What")
    last = answers(page).last
    assert "≈" in last.locator(".bq-figure").inner_text() and "yuan" in last.locator(".bq-gloss").inner_text()
    page.locator("#bq-chips button", has_text="What share of total spending").first.wait_for(timeout=10_000)
    settle(page)
    page.screenshot(path=str(shots_dir() / "web-chat-en.png"))
    page.get_by_role("tab", name=re.compile("Overview")).click()
    page.locator("#bq-scope input").click()
    page.get_by_role("option", name=re.compile("^Antu Social")).click()
    page.locator("#bq-bars figcaption", has_text="spending by function category").wait_for(timeout=15_000)
    assert "Function category" in page.locator("#bq-cats").inner_text()
    assert "housing" in page.locator("#bq-bars").inner_text().lower()
    settle(page)
    page.screenshot(path=str(shots_dir() / "web-overview-en.png"))
    words = english_words(page)
    assert words["tabs"] == ["Chat", "Overview", "Data", "Upload", "API"]
    assert words["unit"] == "Unit" and words["header"].startswith("BudgetQA · budget questions")
    assert [w for w in words.values() if HAN.search(str(w))] == []  # no Chinese left in a label
    page.get_by_role("tab", name="Data").click()
    page.locator("#bq-data-doc input").click()
    page.get_by_role("option", name=re.compile("^Antu Social")).click()
    expect(page.locator("#bq-data-status")).to_contain_text("339 facts", timeout=15_000)  # the seed's facts
    assert "showing" not in page.locator("#bq-data-status").inner_text()
    rows = page.locator("#bq-facts .virtual-table-viewport").inner_text()
    assert "Antu Social Insurance Administration (安图县社会保险事业管理局) · 2026 · department budget" in rows
    assert "Putuo" not in rows
    assert page.locator("#bq-facts thead th").all_inner_texts()[:4] == ["Document", "Table", "Side", "Item"]
    assert page.locator("#bq-download").inner_text() == "Download CSV"
    page.get_by_label("中文").check()
    page.locator("#bq-facts thead th", has_text="文件").first.wait_for(timeout=15_000)
    expect(page.get_by_role("tab", name="数据")).to_have_count(1, timeout=15_000)
    assert page.get_by_role("tab", name="Data").count() == 0
    rows = page.locator("#bq-facts .virtual-table-viewport").inner_text()
    assert "安图县社会保险事业管理局 · 2026 · 部门预算" in rows and "Antu" not in rows
    page.get_by_role("tab", name="概览").click()
    page.locator("#bq-bars figcaption", has_text="按功能分类").wait_for(timeout=15_000)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    settle(page)
    page.screenshot(path=str(shots_dir() / "web-overview-zh.png"))
    page.close()


def english_words(page) -> dict[str, object]:
    """The page's own words after switching to English: tabs, labels, buttons, placeholders (the language
    switch's own label is bilingual on purpose; document names keep their Chinese name in brackets)."""
    tabs = [t.inner_text() for t in page.get_by_role("tab").all()]
    return {
        "tabs": tabs,
        "header": page.locator("#bq-header").inner_text(),
        "scope": page.locator("#bq-scope").locator("[data-testid='block-info']").inner_text(),
        "question": page.locator("#bq-input textarea").get_attribute("aria-label"),
        "placeholder": page.locator("#bq-input textarea").get_attribute("placeholder"),
        "ask": page.locator("#bq-send").inner_text(),
        "report": page.locator("#bq-report").inner_text(),
        "unit": page.locator("#bq-unit").locator("[data-testid='block-info']").inner_text(),
    }


def test_phone_width_tabs_reachable_and_numbers_unbroken(browser, url):
    page, _ = open_page(browser, url, width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    for name in ("问答", "概览", "数据", "上传"):  # no tab hidden behind "…"
        tab = page.locator(".tab-wrapper button:visible", has_text=name)
        boxes = [b for b in (t.bounding_box() for t in tab.all()) if b and b["height"] > 10]
        assert any(b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in boxes), name
    click_example(page, "安图县")
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
    page.screenshot(path=str(shots_dir() / "web-phone-zh.png"))
    page.get_by_role("tab", name="数据").click()  # the fact table scrolls in its own box, not the page
    page.locator("#bq-facts thead th", has_text="数值").wait_for(timeout=15_000)
    page.wait_for_timeout(500)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    table = page.locator("#bq-facts .virtual-table-viewport")
    inner, outer = table.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert outer <= 390 and inner > outer + 300
    lines = page.locator("#bq-facts .virtual-table-viewport").evaluate(
        """box => { const out = []; const w = document.createTreeWalker(box, NodeFilter.SHOW_TEXT); let n;
        while ((n = w.nextNode())) { if (/^\\d{5,}\\.\\d+$/.test(n.textContent.trim())) {
          const r = document.createRange(); r.selectNodeContents(n); out.push(r.getClientRects().length); } }
        return out; }"""
    )
    assert lines and set(lines) == {1}  # every long figure on one line, not wrapped digit by digit
    page.close()


def test_permalink_copy_and_report(browser, url):
    from urllib.parse import quote

    from app.web.reports import Reports

    question = "安图县社会保险事业管理局2026年部门预算住房保障支出是多少？"
    page, _ = open_page(browser, url, path="?q=" + quote(question))
    answers(page).first.wait_for(timeout=ANSWER_WAIT)  # the permalink asked its question on opening
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
    unlock_staff_desk(page, "上传", "工作人员密码", "解锁")  # the same report, in the staff list
    page.locator("#bq-reports-btn").click()
    listed = page.locator("#bq-reports .virtual-table-viewport")
    listed.filter(has_text=question).wait_for(timeout=15_000)
    assert "数字不对？<b>test</b>" in listed.inner_text() and "48.66 万元" in listed.inner_text()
    assert page.locator("#bq-reports thead th").all_inner_texts()[:3] == ["编号", "时间", "问题"]
    assert question in page.locator("#bq-reports-csv textarea").input_value()
    page.close()


def unlock_staff_desk(page, tab: str, label: str, button: str) -> None:
    page.get_by_role("tab", name=tab).click()
    page.get_by_label(label).fill(PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()
    page.locator("#bq-ingest").wait_for(timeout=15_000)


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
    click_example(page)
    answers(page).last.locator("details.bq-sources summary").click()
    page.wait_for_timeout(500)
    assert serious_findings(page) == []
    page.get_by_label("English").check()
    page.locator("#bq-welcome", has_text="documents are loaded").wait_for(timeout=15_000)
    page.wait_for_timeout(500)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert serious_findings(page) == []
    page.close()


def upload(page, path) -> str:
    """Send one file through the staff desk; returns the result line once the ingest has finished."""
    page.locator("input[type=file]").set_input_files(str(path))
    page.wait_for_timeout(1500)  # the file reaches the server before the ingest is asked for
    page.locator("#bq-ingest").click()
    result = page.locator("#bq-upload-status textarea")
    done = "e => /^(\\d+ documents|refused|failed)/.test(e.value)"
    page.wait_for_function(done, arg=result.element_handle(), timeout=90_000)
    return result.input_value()


def test_staff_desk_names_the_uploaded_department_in_both_languages(browser, url, tmp_path):
    """Last in this module: the uploads add documents the tests above do not expect."""
    text = SEED.read_text(encoding="utf-8")
    zh_file, en_file = tmp_path / "antu-desk-2026-department-budget.txt", tmp_path / "antu-desk-en-2026.txt"
    zh_file.write_text(text.replace("48.66\t48.66", "41.00\t41.00", 1), encoding="utf-8")
    en_file.write_text(text.replace("48.66\t48.66", "42.00\t42.00", 1), encoding="utf-8")
    page, _ = open_page(browser, url)
    unlock_staff_desk(page, "上传", "工作人员密码", "解锁")
    result = upload(page, zh_file)
    assert f"{zh_file.name}：新增 — 安图县社会保险事业管理局，2026年，部门预算，" in result
    page.locator("#bq-reports-btn").click()
    page.locator("#bq-reports").wait_for(timeout=15_000)
    settle(page)
    page.screenshot(path=str(shots_dir() / "web-staff-zh.png"), full_page=True)
    page.close()
    page, _ = open_page(browser, url)
    page.get_by_label("English").check()
    page.get_by_role("tab", name="Upload").wait_for(timeout=15_000)
    unlock_staff_desk(page, "Upload", "Staff password", "Unlock")
    result = upload(page, en_file)
    assert (f"{en_file.name}: added — Antu Social Insurance Administration (安图县社会保险事业管理局), 2026, "
            "department budget, ") in result
    page.locator("#bq-reports-btn").click()
    page.locator("#bq-reports thead th", has_text="Question").wait_for(timeout=15_000)
    settle(page)
    page.screenshot(path=str(shots_dir() / "web-staff-en.png"), full_page=True)
    page.close()
