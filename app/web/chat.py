"""The Chat tab: questions and cited answers, how each was read, next questions, reports.

Why the chat passes its history to the engine: typed follow-ups ("那去年呢？") stay with the department
asked about; and because they do, each answer that used history (or a scope) shows how it was read and
offers the standalone reading as a new question. The links inside an answer (ask as a new question,
answer from all documents, report this answer) and the welcome panel's examples are plain links that a
page script turns into clicks on hidden buttons of this tab (app/web/static/page.js).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from app.api.models import MAX_QUESTION
from app.pipeline.answer import Answer
from app.web.chips import MAX_CHIPS
from app.web.chips import chips as next_questions
from app.web.examples import welcome_html
from app.web.limits import CONCURRENCY
from app.web.messages import asked_before, exchange, render_answer, render_error, render_question
from app.web.reading import reading_of
from app.web.reports import REFUSED, inert
from app.web.scope import ALL, outside, parse_scope, scope_choices, scope_note, scoped
from app.web.site import Site, Top
from app.web.staff_auth import client_of
from app.web.text import page_lang, t

TOO_LONG = (f"问题太长：最多 {MAX_QUESTION} 个字，请缩短后再问。",
            f"The question is too long: at most {MAX_QUESTION} characters; please shorten it.")


def add_question(message: str, history: list[dict]):  # type: ignore[no-untyped-def]
    """The question into the chat (as inert text) and into `pending` for the answer step; with nothing
    asked the box and the chat are left as they are (never written back from a stale copy)."""
    message = (message or "").strip()
    if not message:
        return gr.skip(), gr.skip(), ""
    return "", [*(history or []), {"role": "user", "content": render_question(message)}], message


class ChatTab:
    """The chat's handlers over one Site; the layout and events are made by `build`."""

    def __init__(self, site: Site):
        self.site = site

    # -- answers --
    def chip_update(self, questions: list[str]) -> list:
        """One update per chip button: the first questions shown (full text), the rest hidden."""
        shown = questions[:MAX_CHIPS]
        return [gr.update(value=q, visible=True) for q in shown] + \
            [gr.update(value="", visible=False)] * (MAX_CHIPS - len(shown))

    def examples(self, lang: str) -> list[str]:
        return self.site.examples.questions(self.site.docs(), self.site.english, lang)

    def suggestions(self, answer: Answer | None, lang: str) -> list[str]:
        """Next questions in the page's language; the examples when there is nothing to follow up."""
        if answer is None:
            return self.examples(lang)
        return next_questions(answer, self.site.docs(), lang, self.site.chip_words()) or self.examples(lang)

    def render(self, answer: Answer, question: str, earlier: list[str], ids: list[str] | None,
               lang: str) -> str:
        """The answer as the chat shows it: with its reading, and what to do when the scope cannot answer."""
        site = self.site
        inside = scoped(site.docs(), ids)
        names = [site.name(d, lang) for d in inside] or list(ids or [])
        away = None
        if ids and answer.status != "answered":
            wide = site.engine.ask(question, history=earlier)
            away = outside(answer, wide, inside, names, lang)
        reading = reading_of(answer, lang, list(ids or []), names, site.english, site.item_en)
        return render_answer(answer, lang, reading, away, list(ids or []))

    def answer(self, pending: str, history: list[dict], scope: str, lang: str = "zh",
               fresh: bool = False):  # type: ignore[no-untyped-def]
        """The answer to `pending`, the latest answer (for the chips after a language switch), the chips."""
        if not pending:
            return gr.skip(), "", gr.skip(), *[gr.skip()] * MAX_CHIPS
        lang = page_lang(lang)
        if len(pending) > MAX_QUESTION:  # the box stops at 500; a client of /chat may not: said, never cut
            return [*history, {"role": "assistant", "content": TOO_LONG[lang == "en"]}], "", None, \
                *self.chip_update(self.examples(lang))
        earlier = [] if fresh else asked_before(history)
        ids = parse_scope(scope)
        answer = None
        try:
            answer = self.site.engine.ask(pending, scope=ids, history=earlier)
            content = self.render(answer, pending, earlier, ids, lang)
        except Exception as e:  # the chat must keep working; the error is shown, escaped
            content = render_error(pending, e)
        chips = self.chip_update(self.suggestions(answer, lang))
        return [*history, {"role": "assistant", "content": content}], "", answer, *chips

    def answer_fresh(self, pending: str, history: list[dict], scope: str, lang: str = "zh"):  # type: ignore
        """"Ask as a new question": the standalone reading, without the earlier questions."""
        return self.answer(pending, history, scope, lang, fresh=True)

    def relabel_chips(self, last: Answer | None, lang: str, history: list[dict]):  # type: ignore
        """After a language switch: the same kind of next questions, in the new language (none before the
        first question: the welcome panel's examples are clickable)."""
        if not history:
            return [gr.update(visible=False)] * MAX_CHIPS
        return self.chip_update(self.suggestions(last, page_lang(lang)))

    # -- first visit, scope, links --
    def first_visit(self, lang: str):  # type: ignore[no-untyped-def]
        """The welcome panel and the scope options in the page language."""
        lang = page_lang(lang)
        found = self.site.docs()
        return (welcome_html(found, self.site.examples, self.site.english, lang),
                gr.update(choices=scope_choices(found, lang, self.site.english)))

    def scope_line(self, scope: str, lang: str):  # type: ignore[no-untyped-def]
        """The chat's note that a scope is active, with its clear button; hidden when it is not."""
        lang = page_lang(lang)
        inside = scoped(self.site.docs(), parse_scope(scope))
        html = scope_note([self.site.name(d, lang) for d in inside], lang)
        return gr.update(visible=bool(html)), html

    def open_link(self, lang: str, request: gr.Request):  # type: ignore[no-untyped-def]
        """A permalink (?q=…&scope=…) asks its question, within its scope, when the page opens — in one
        step, so a page opened without one changes nothing (not even a question being typed)."""
        params = getattr(request, "query_params", None) or {}
        question = str(params.get("q", "") or "").strip()[:500]
        if not question:
            return gr.skip(), gr.skip(), gr.skip(), *[gr.skip()] * MAX_CHIPS
        inside = scoped(self.site.docs(), parse_scope(str(params.get("scope", "") or "")))
        asked = [{"role": "user", "content": render_question(question)}]
        history, _, last, *chips = self.answer(question, asked, ",".join(d.id for d in inside), lang)
        return history, (inside[0].id if len(inside) == 1 else gr.skip()), last, *chips

    # -- reports --
    def pick_report(self, which: str, history: list[dict], lang: str):  # type: ignore[no-untyped-def]
        """A "report" link under an answer: the report panel opens on that answer."""
        question, _ = exchange(history, _index(which))
        lang = page_lang(lang)
        text = t("report_target", lang).format(q=inert(question)) if question else t("report_latest", lang)
        return gr.update(open=True), text

    def report(self, history: list[dict], comment: str, lang: str, which: str = "",
               request: gr.Request | None = None):  # type: ignore[no-untyped-def]
        """Store a report of an answer, within the client's reports a minute and a day; the reply shows
        the question as typed (no Markdown, no HTML)."""
        question, answer = exchange(history, _index(which))
        zh = lang != "en"
        if not question:
            return comment, ("请先提问。" if zh else "Ask a question first.")
        refused = self.site.report_limits.refusal(client_of(request))
        if refused:
            return comment, REFUSED[refused][0 if zh else 1]
        if not self.site.reports.add(question, answer, comment):
            return comment, ("未能保存。" if zh else "Could not be stored.")
        return "", (f"已记录，谢谢：{inert(question)}" if zh else f"Reported, thank you: {inert(question)}")


def _index(which: str | None) -> int | None:
    try:
        return int(str(which or "").strip())
    except ValueError:
        return None


def pick(question: str) -> str:
    return str(question or "")


@dataclass
class ChatParts:
    chatbot: Any
    box: Any
    send: Any
    fresh: Any
    widen: Any
    chips: list
    welcome: Any
    pending: Any
    last: Any
    scope_row: Any
    scope_text: Any
    clear: Any
    report: dict


def layout(site: Site) -> ChatParts:
    """The chat tab's components: the scope note, the chat (hidden by the CSS while empty), the question
    box, the chips, the welcome panel and the report panel (the box sits above the welcome panel, so a
    phone shows it at once)."""
    words = site.words
    with gr.Row(visible=False, elem_id="bq-scope-row", equal_height=True) as scope_row:
        scope_text = gr.HTML(elem_id="bq-scope-note")
        clear = words.add(gr.Button(t("scope_clear", "zh"), size="sm", scale=0, min_width=120,
                                    elem_id="bq-scope-clear"), value="scope_clear")
    chatbot = words.add(gr.Chatbot(
        label=t("chat", "zh"), show_label=False, height=None, min_height=240, max_height=760,
        sanitize_html=True, allow_tags=False, latex_delimiters=[],
        render_markdown=True, line_breaks=False, feedback_options=None, buttons=[],
        elem_id="bq-chat", placeholder=t("chat_placeholder", "zh"),
    ), label="chat", placeholder="chat_placeholder")
    with gr.Row(elem_id="bq-ask-row"):
        box = words.add(gr.Textbox(placeholder=t("placeholder", "zh"), label=t("question", "zh"),
                                   show_label=False, scale=8, autofocus=True, elem_id="bq-input",
                                   max_length=MAX_QUESTION), label="question", placeholder="placeholder")
        send = words.add(gr.Button(t("ask", "zh"), variant="primary", scale=1, elem_id="bq-send"),
                         value="ask")
    # clicked by the page script for "ask as a new question" and "answer from all documents"
    fresh = gr.Button("fresh", visible="hidden", elem_id="bq-send-fresh")
    widen = gr.Button("widen", visible="hidden", elem_id="bq-send-widen")
    with gr.Row(elem_id="bq-chips"):
        chips = [gr.Button("", visible=False, size="sm", elem_classes=["bq-chip"], variant="secondary")
                 for _ in range(MAX_CHIPS)]
    welcome = gr.HTML(elem_id="bq-welcome")
    report = report_panel(site)
    # the question being answered; a gr.State would hide it from the /chat endpoint
    pending = gr.Textbox(value="", visible=False)
    return ChatParts(chatbot, box, send, fresh, widen, chips, welcome, pending, gr.State(None), scope_row,
                     scope_text, clear, report)


def report_panel(site: Site) -> dict:
    words = site.words
    box = gr.Accordion(t("report", "zh"), open=False, elem_id="bq-report")
    with words.add(box, label="report"):
        target = words.add(gr.Markdown(t("report_latest", "zh"), elem_id="bq-report-target"),
                           value="report_latest")
        comment = words.add(gr.Textbox(label=t("report_comment", "zh"), max_length=500, lines=2,
                                       elem_id="bq-report-comment"), label="report_comment")
        send = words.add(gr.Button(t("report_send", "zh"), size="sm", elem_id="bq-report-send"),
                         value="report_send")
        message = gr.Markdown(elem_id="bq-report-msg")
    which = gr.Textbox("", visible="hidden", elem_id="bq-report-which")
    choose = gr.Button("report", visible="hidden", elem_id="bq-report-pick")
    return {"box": box, "target": target, "comment": comment, "send": send, "message": message,
            "which": which, "choose": choose}


def wire(tab: ChatTab, parts: ChatParts, top: Top, demo: gr.Blocks) -> None:
    """The chat's events: asking (typed, a chip, a link), the scope note, the first visit, reports."""
    p, scope, lang = parts, top.scope, top.lang
    asked = ([p.box, p.chatbot], [p.box, p.chatbot, p.pending])
    answer_io = ([p.pending, p.chatbot, scope, lang], [p.chatbot, p.pending, p.last, *p.chips])
    queue = {"concurrency_id": "answer", "concurrency_limit": CONCURRENCY}
    for trigger in (p.box.submit, p.send.click):
        trigger(add_question, *asked, api_name="chat_question", api_visibility="undocumented").then(
            tab.answer, *answer_io, api_name="chat", **queue)
    p.fresh.click(add_question, *asked, api_visibility="private").then(
        tab.answer_fresh, *answer_io, api_visibility="private", **queue)
    p.widen.click(lambda: ALL, None, scope, api_visibility="private").then(
        add_question, *asked, api_visibility="private").then(
        tab.answer_fresh, *answer_io, api_visibility="private", **queue)
    for chip in p.chips:
        chip.click(pick, chip, p.box, api_visibility="private").then(
            add_question, *asked, api_visibility="private").then(
            tab.answer, *answer_io, api_visibility="private", **queue)
    demo.load(tab.open_link, lang, [p.chatbot, scope, p.last, *p.chips], api_visibility="private", **queue)
    for trigger in (demo.load, lang.change):
        trigger(tab.first_visit, lang, [p.welcome, scope], api_visibility="private", js=LANG_JS)
    lang.change(tab.relabel_chips, [p.last, lang, p.chatbot], p.chips, api_visibility="private")
    for trigger in (demo.load, scope.change, lang.change):
        trigger(tab.scope_line, [scope, lang], [p.scope_row, p.scope_text], api_visibility="private",
                queue=False)
    p.clear.click(lambda: ALL, None, scope, api_visibility="private", queue=False)
    r = p.report
    r["choose"].click(tab.pick_report, [r["which"], p.chatbot, lang], [r["box"], r["target"]],
                      api_visibility="private")
    r["send"].click(tab.report, [p.chatbot, r["comment"], lang, r["which"]], [r["comment"], r["message"]],
                    api_visibility="private", concurrency_id="report", concurrency_limit=1)


def build(site: Site, top: Top, demo: gr.Blocks) -> ChatParts:
    """The Chat tab inside the page's Tabs."""
    with site.words.add(gr.Tab(t("chat", "zh"), id="chat"), label="chat"):
        parts = layout(site)
    wire(ChatTab(site), parts, top, demo)
    return parts


# the page's lang attribute follows the language switch (screen readers and fonts pick the right voice/glyphs)
LANG_JS = """(lang) => { document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN'; return lang; }"""
