"""Issue 21 in Debian chromium: the chat says how it read a question, never drifts, and works on a phone.

Every numbered case of the issue is driven here through the page, in both languages, at 1280 and 390 px,
over the seed and the three Putuo samples (the staff upload adds its own files, so it runs last).
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from conftest import SEED, samples_dir
from test_browser import CHROMIUM, shots_dir
from test_web_chat import start_many

from app.web.reports import Reports
from app.web.staff import rule_name
from app.web.staff_auth import PASSWORD_ENV

pytestmark = [pytest.mark.browser, pytest.mark.samples]
PASSWORD = "trust-desk-5"
HAN = re.compile(r"[\u4e00-\u9fff]")
WIDTHS = {1280: 900, 390: 844}  # phone: 390 × 844
VIEWS = [(lang, width) for lang in ("zh", "en") for width in WIDTHS]
IDS = [f"{lang}-{width}" for lang, width in VIEWS]
STORE: dict = {}
JUSTICE_DEPT = "上海市普陀区司法局 · 2026 · 部门预算"
JUSTICE_DEPT_EN = "Putuo Justice Bureau (上海市普陀区司法局) · 2026 · department budget"


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium fonts-wqy-microhei")
    os.environ[PASSWORD_ENV] = PASSWORD
    engine, demo, address = start_many(tmp_path_factory.mktemp("browsertrust") / "store")
    STORE["engine"] = engine
    yield address
    demo.close()
    os.environ.pop(PASSWORD_ENV, None)


def open_page(browser, url: str, lang: str, width: int, path: str = ""):
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]})
    page.goto(url + path, timeout=90_000)
    page.locator("#bq-welcome .bq-docs").wait_for(timeout=90_000)
    if lang == "en":
        page.get_by_label("English").check()
        page.locator("#bq-welcome", has_text="documents are loaded").wait_for(timeout=15_000)
        page.wait_for_timeout(300)
    return page


def answers(page):
    return page.locator("#bq-chat .bq-answer")


ANSWER_WAIT = 60_000  # generous: these tests share 2 cores with other runs (load averages of 15 were seen)


def ask(page, question: str):
    before, asked = answers(page).count(), page.locator("#bq-chat .bq-q").count()
    page.locator("#bq-input textarea").fill(question)
    page.locator("#bq-send").click()
    page.locator("#bq-chat .bq-q").nth(asked).wait_for(timeout=ANSWER_WAIT)  # the question is in the chat
    answers(page).nth(before).wait_for(timeout=ANSWER_WAIT)
    return answers(page).nth(before)


def click_and_wait(page, link):
    """Click a link that asks in the chat; returns the new answer."""
    before = answers(page).count()
    link.click()
    answers(page).nth(before).wait_for(timeout=ANSWER_WAIT)
    return answers(page).nth(before)


def tab(page, zh: str, en: str, lang: str) -> None:
    page.get_by_role("tab", name=en if lang == "en" else zh).click()


def choose_scope(page, name: str) -> None:
    page.locator("#bq-scope input").click()
    page.get_by_role("option", name=name).click()


def wide(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def value(answer) -> str:
    return answer.locator(".bq-value").inner_text()


def first_question(lang: str) -> str:
    return ("上海市普陀区司法局2026年单位预算公共安全支出是多少？" if lang == "zh"
            else "What is the public security expenditure in the Putuo Justice Bureau 2026 unit budget?")


def stated_last_year(lang: str) -> str:
    """A question whose item's 2025 figure the unit budget states ("行政运行…2025年当年预算执行数为1690.69万元");
    it states none for 公共安全支出."""
    english = "What is the administrative operation spending in the Putuo Justice Bureau 2026 unit budget?"
    return "上海市普陀区司法局2026年单位预算行政运行是多少？" if lang == "zh" else english


# ---- 1 & 6: how a question was read; a follow-up's permalink ------------------------------------------

@pytest.mark.parametrize(("lang", "width"), VIEWS, ids=IDS)
def test_1_6_a_follow_up_shows_its_reading_and_its_link_answers_the_same(browser, url, lang, width):
    page = open_page(browser, url, lang, width)
    first = ask(page, stated_last_year(lang))
    assert value(first) == "14,348,853.34 元" and first.locator(".bq-reading").count() == 0  # no history
    follow = ask(page, "那去年呢？" if lang == "zh" else "What about the previous year?")
    assert value(follow) == "1,690.69 万元"
    reading = follow.locator(".bq-reading")
    said = reading.inner_text()
    department = "上海市普陀区司法局" if lang == "zh" else "Putuo Justice Bureau (上海市普陀区司法局)"
    assert said.startswith("理解为" if lang == "zh" else "Read as") and department in said and "2026" in said
    assert ("项目: 行政运行" if lang == "zh" else "Item: administrative operation (行政运行)") in said
    alone = reading.locator(".bq-rq").inner_text().strip("「」")
    asked_new = reading.locator("a.bq-ask-new").get_attribute("href")
    assert unquote(parse_qs(urlparse(asked_new).query)["q"][0]) == alone
    assert alone and alone != ("那去年呢？" if lang == "zh" else "What about the previous year?")
    # 6: the follow-up's link carries the standalone reading, so it answers what the page showed
    link = follow.locator("a.bq-permalink").get_attribute("href")
    assert unquote(parse_qs(urlparse(link).query)["q"][0]) == alone
    fresh = open_page(browser, url, lang, width, path=link)
    answers(fresh).first.wait_for(timeout=ANSWER_WAIT)
    assert fresh.locator("#bq-chat .bq-q").first.inner_text() == alone
    assert value(answers(fresh).first) == "1,690.69 万元"
    assert answers(fresh).first.locator(".bq-reading").count() == 0  # asked alone: no history, no scope
    fresh.close()
    # 1: one click asks the reading as a new question (no history): the same figure, nothing inherited
    again = click_and_wait(page, reading.locator("a.bq-ask-new"))
    assert page.locator("#bq-chat .bq-q").last.inner_text() == alone
    assert value(again) == "1,690.69 万元" and again.locator(".bq-reading").count() == 0
    assert wide(page) <= width
    page.screenshot(path=str(shots_dir() / f"trust-reading-{lang}-{width}.png"), full_page=True)
    page.close()


# ---- 2 & 10: first-visit examples are clickable and cite the cell they were built from -----------------

@pytest.mark.parametrize(("lang", "width"), VIEWS, ids=IDS)
def test_2_10_examples_click_and_cite_the_cell_they_were_built_from(browser, url, lang, width):
    from app.web.examples import Examples, cites
    from ingest.glossary import Glossary

    engine = STORE["engine"]
    examples = Examples(engine, Glossary.load())
    page = open_page(browser, url, lang, width)
    shown = page.locator("#bq-welcome .bq-ex a").all_inner_texts()
    final = next(d for d in engine.documents() if d.kind == "部门决算")
    built = examples.of(final, engine.view.catalog.english_name(final.department))
    assert len(shown) == 8 and len(built) == 2
    for example in built:
        text = example.text(lang)
        assert text in shown
        assert not text.startswith("上海市普陀区财政局2024年部门决算一般公共服务支出是多少")  # the income table's
        got = click_and_wait(page, page.locator("#bq-welcome .bq-ex a", has_text=text).first)
        assert page.locator("#bq-chat .bq-q").last.inner_text() == text  # the example was asked, as shown
        assert cites(engine.ask(text), example.fact, first="占" not in example.zh)
        got.locator("details.bq-sources summary").click()
        first = got.locator("details.bq-sources li").first.inner_text()
        f = example.fact
        assert f"表{f.table_id} " in first and f"{f.row_label} / {f.column}" in first
    page.close()


# ---- 3: an active scope is shown in the chat; a question outside it says so and widens ---------------------

@pytest.mark.parametrize(("lang", "width"), VIEWS, ids=IDS)
def test_3_a_scope_set_on_the_overview_is_shown_and_a_question_outside_it_widens(browser, url, lang, width):
    page = open_page(browser, url, lang, width)
    name = JUSTICE_DEPT if lang == "zh" else JUSTICE_DEPT_EN
    tab(page, "概览", "Overview", lang)
    choose_scope(page, name)
    page.locator("#bq-bars figcaption", has_text=name).wait_for(timeout=15_000)
    tab(page, "问答", "Chat", lang)
    note = page.locator("#bq-scope-row")
    note.wait_for(timeout=15_000)
    assert name in note.inner_text()
    got = ask(page, "社保局住房保障支出是多少？" if lang == "zh"
              else "What is the housing spending of the Antu social insurance bureau?")
    outside = got.locator(".bq-outside")
    assert "安图县社会保险事业管理局" in outside.inner_text() and name.split(" · ")[0] in outside.inner_text()
    assert ("所选范围内没有文件" not in got.inner_text()) and got.locator(".bq-reading").count() == 1
    assert wide(page) <= width
    widened = click_and_wait(page, outside.locator("a.bq-widen"))
    assert value(widened) == "48.66 万元"
    note.wait_for(state="hidden", timeout=15_000)  # the scope is cleared: every document again
    assert page.locator("#bq-scope input").input_value() == ("全部文件" if lang == "zh" else "All documents")
    choose_scope(page, name)  # set again (above the tabs this time), then cleared from the chat
    note.wait_for(timeout=15_000)
    page.locator("#bq-scope-clear").click()
    note.wait_for(state="hidden", timeout=15_000)
    page.close()


# ---- 5: a phone never scrolls sideways; the question box is visible on a first visit ----------------------

@pytest.mark.parametrize(("lang", "width"), VIEWS, ids=IDS)
def test_5_no_sideways_scroll_with_any_scope_and_the_box_is_visible_at_once(browser, url, lang, width):
    page = open_page(browser, url, lang, width)
    box = page.locator("#bq-input textarea").bounding_box()
    assert box and box["y"] + box["height"] <= WIDTHS[width], box  # no scrolling needed to find it
    assert wide(page) <= width
    page.locator("#bq-scope input").click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert len(options) == 5
    for tab_zh, tab_en in (("概览", "Overview"), ("问答", "Chat")):
        tab(page, tab_zh, tab_en, lang)
        for option in options:
            choose_scope(page, option.strip().lstrip("✓").strip())
            page.wait_for_timeout(700)
            assert wide(page) <= width, (tab_en, option)
    if width == 390:
        page.screenshot(path=str(shots_dir() / f"trust-phone-{lang}.png"), full_page=True)
    page.close()


# ---- 7: suggestion buttons are whole questions in the page's language, up to five ------------------------

@pytest.mark.parametrize(("lang", "width"), VIEWS, ids=IDS)
def test_7_suggestions_are_whole_questions_in_the_page_language(browser, url, lang, width):
    page = open_page(browser, url, lang, width)
    miss = ask(page, "安图县社会保险事业管理局2026年部门预算飞机支出是多少？")  # a misspelt item, asked in Chinese
    closest = miss.locator(".bq-status").first.inner_text().split("：", 1)[-1].split(": ", 1)[-1].split("；")
    chips = page.locator("#bq-chips button:visible")
    chips.first.wait_for(timeout=10_000)
    shown = chips.all_inner_texts()
    assert 1 <= len(shown) <= 5 and len(closest) == 5
    if lang == "zh":
        assert len(shown) == 5  # every closest item a button, the fifth too
        assert all(q.startswith("安图县社会保险事业管理局2026年部门预算") and q.endswith("？") for q in shown)
        assert all(q.count("安图县社会保险事业管理局") == 1 and "飞机" not in q for q in shown)
    else:
        assert all(q.startswith("What is the ") and q.endswith(
            " in the Antu Social Insurance Administration 2026 department budget?") for q in shown)
        assert not [q for q in shown if HAN.search(q)]  # English item names from the glossary
    chips.first.click()
    answers(page).nth(1).wait_for(timeout=ANSWER_WAIT)
    assert answers(page).nth(1).locator(".bq-value").count() == 1
    page.close()
    page = open_page(browser, url, lang, width)  # a new chat: no earlier department to inherit
    back = ask(page, "住房保障支出是多少元")  # which document? the candidates completed, in the page's language
    assert back.locator(".bq-value").count() == 0
    page.wait_for_timeout(500)
    completed = page.locator("#bq-chips button:visible").all_inner_texts()
    assert len(completed) == 3
    if lang == "zh":
        assert all(q.endswith("住房保障支出是多少元") for q in completed)
    else:
        assert all(q.startswith("What is the housing security expenditure in the ") for q in completed)
        assert not [q for q in completed if HAN.search(q)]
    page.close()


# ---- 8 & 10: the audit and the Data tab's CSV speak the page's language ---------------------------------

@pytest.mark.parametrize(("lang", "width"), VIEWS, ids=IDS)
def test_8_10_audit_and_csv_headers_in_the_page_language(browser, url, lang, width):
    page = open_page(browser, url, lang, width)
    tab(page, "数据", "Data", lang)
    unit = "上海市普陀区司法局 · 2026 · 单位预算" if lang == "zh" else \
        "Putuo Justice Bureau (上海市普陀区司法局) · 2026 · unit budget"
    page.locator("#bq-data-doc input").click()
    page.get_by_role("option", name=unit).click()
    audit = page.locator("#bq-audit")
    audit.locator("li b").first.wait_for(timeout=15_000)
    text = audit.inner_text()
    rules = audit.locator("li > b").all_inner_texts()
    assert rules and all(r in {rule_name(k, lang) for k in ("tables_disagree", "totals_unbalanced",
                                                             "columns_do_not_add_up", "narrative_disagrees")}
                         for r in rules)
    if lang == "zh":
        assert "处自相矛盾" in text and not re.search(r"\b(table|prints|narrative says|basic)\b", text)
    else:
        assert "contradiction" in text and "表" not in re.sub(r"\([^)]*\)", "", text.split("\n", 1)[1])
    with page.expect_download() as got:
        page.locator("#bq-download a").click()
    rows = list(csv.reader(io.StringIO(got.value.path().read_text(encoding="utf-8-sig"))))
    header = rows[0]
    assert header[:3] == (["文件编号", "部门", "年度"] if lang == "zh" else ["document", "department", "year"])
    assert len(rows) > 100 and rows[1][1] == "上海市普陀区司法局"
    assert wide(page) <= width
    page.close()


# ---- 9: the source view is a page of its own ------------------------------------------------------------

@pytest.mark.parametrize(("lang", "width"), VIEWS, ids=IDS)
def test_9_the_source_page_names_the_document_and_pages_and_boxes_the_cell(browser, url, lang, width):
    page = open_page(browser, url, lang, width)
    got = ask(page, first_question(lang))
    got.locator("details.bq-sources summary").click()
    with page.context.expect_page() as opened:
        got.locator("a.bq-open").first.click()
    shown = opened.value
    shown.wait_for_load_state()
    title = "上海市普陀区司法局 · 2026 · 单位预算" if lang == "zh" else \
        "Putuo Justice Bureau (上海市普陀区司法局) · 2026 · unit budget"
    assert shown.locator("#bq-source-title").inner_text() == title
    where = shown.locator("#bq-source-where").inner_text()
    pattern = r"第 (\d+) 页，共 (\d+) 页" if lang == "zh" else r"Page (\d+) of (\d+)"
    m = re.fullmatch(pattern, where)
    assert m and 1 <= int(m.group(1)) <= int(m.group(2))
    n = int(m.group(1))
    note = shown.locator("#bq-source-note")
    assert note.get_attribute("data-boxed") == "yes" and "79,189,400.34" in note.inner_text()
    size = shown.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size[0] > 500 and size[1] > 300
    shown.locator("#bq-next").click()
    shown.wait_for_load_state()
    assert str(n + 1) in shown.locator("#bq-source-where").inner_text()
    shown.locator("#bq-prev").click()
    shown.wait_for_load_state()
    assert shown.locator("#bq-source-where").inner_text() == where
    assert shown.evaluate("document.documentElement.scrollWidth") <= width
    shown.locator("#bq-back").click()  # back to the answer: the tab the answer opened closes
    for _ in range(50):
        if shown.is_closed():
            break
        page.wait_for_timeout(100)
    assert shown.is_closed() and not page.is_closed()
    page.close()


# ---- 10: every answer can be reported, not only the latest ------------------------------------------------

@pytest.mark.parametrize(("lang", "width"), VIEWS, ids=IDS)
def test_10_an_earlier_answer_can_be_reported(browser, url, lang, width):
    page = open_page(browser, url, lang, width)
    question = first_question(lang)
    first = ask(page, question)
    ask(page, "安图县社会保险事业管理局2026年部门预算住房保障支出是多少？")
    first.locator("a.bq-report-this").click()
    target = page.locator("#bq-report-target")
    target.filter(has_text=question).wait_for(timeout=15_000)
    comment = f"{lang}-{width}: 应该是另一张表 <i>?</i>"
    page.locator("#bq-report-comment textarea").fill(comment)
    page.locator("#bq-report-send").click()
    page.locator("#bq-report-msg", has_text=question).wait_for(timeout=15_000)
    [row] = [r for r in Reports(STORE["engine"].ledger.store).all() if r[4] == comment]
    assert row[2] == question and "79,189,400.34" in row[3]
    page.close()


# ---- 4: the staff upload names every file, says why one was refused, and the time it really took ----------

NOTICE = "cities/008_杭州__2026年杭州市政府办公厅部门预算.pdf"  # a notice, though its name says budget
FIGURES = {"zh-1280": "41.11", "zh-390": "42.22", "en-1280": "43.33", "en-390": "44.44"}


@pytest.mark.parametrize(("lang", "width"), VIEWS, ids=IDS)
def test_4_staff_upload_names_each_file_with_its_reason_and_the_true_time(browser, url, lang, width,
                                                                          tmp_path):
    figure = FIGURES[f"{lang}-{width}"]
    good = tmp_path / f"antu-trust-{lang}-{width}-2026-department-budget.txt"
    good.write_text(SEED.read_text(encoding="utf-8").replace("48.66\t48.66", f"{figure}\t{figure}", 1),
                    encoding="utf-8")
    notice = samples_dir() / NOTICE
    page = open_page(browser, url, lang, width)
    tab(page, "上传", "Upload", lang)
    page.get_by_label("工作人员密码" if lang == "zh" else "Staff password").fill(PASSWORD)
    page.get_by_role("button", name="解锁" if lang == "zh" else "Unlock", exact=True).click()
    page.locator("#bq-ingest").wait_for(timeout=15_000)
    page.locator("input[type=file]").set_input_files([str(good), str(notice)])
    page.wait_for_timeout(1500)  # the files reach the server before the ingest is asked for
    status = page.locator("#bq-upload-status textarea")
    page.evaluate("""(box) => { window.bqSeen = []; const look = () => {
        const v = box.value; const seen = window.bqSeen;
        if (!seen.length || seen[seen.length - 1][1] !== v) seen.push([performance.now(), v]); };
        window.bqWatch = setInterval(look, 100); }""", status.element_handle())
    started = time.monotonic()
    page.locator("#bq-ingest").click()
    done = "e => /^(\\d+ documents|refused|failed)/.test(e.value)"
    page.wait_for_function(done, arg=status.element_handle(), timeout=120_000)
    waited = time.monotonic() - started
    result = status.input_value()
    seen = page.evaluate("window.bqSeen")
    if lang == "zh":
        assert f"{good.name}：新增 — 安图县社会保险事业管理局，2026年，部门预算，" in result
        assert f"{notice.name}：未导入 — not a budget disclosure" in result
    else:
        assert f"{good.name}: added — Antu Social Insurance Administration" in result
        assert f"{notice.name}: refused — not a budget disclosure" in result
    claimed = float(re.search(r"; ([\d.]+)s \(reading", result).group(1))
    assert waited - 2.0 <= claimed <= waited + 0.5, (claimed, waited)  # the time the person waited
    running = [(t, v) for t, v in seen if v and not re.match(r"^(\d+ documents|refused|failed)", v)]
    assert len(running) >= 2
    gaps = [(b[0] - a[0], a[1], b[1]) for a, b in zip(running, running[1:], strict=False)]
    # the desk ticks every 0.5 s; a machine loaded far past its cores (other test runs beside) can starve
    # the server and the browser for seconds, which no tick can hide
    busy = os.getloadavg()[0] / (os.cpu_count() or 1) > 2
    assert sorted(g for g, _, _ in gaps)[len(gaps) // 2] <= 1000  # typically every half second
    assert max(g for g, _, _ in gaps) <= (4000 if busy else 2000), [g for g in gaps if g[0] > 1500]
    assert wide(page) <= width
    if width == 1280:
        page.screenshot(path=str(shots_dir() / f"trust-staff-{lang}.png"), full_page=True)
    page.close()
