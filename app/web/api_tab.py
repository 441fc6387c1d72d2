"""The API tab: `/ask` for developers, in the API's own (English) names.

Why on the page: a developer sees the call, tries it and reads the JSON the chat is built from. The
route is the Gradio queue's `/ask`; the plain HTTP API (app/api/) is mounted beside it by `launch`.
"""

from __future__ import annotations

import gradio as gr

from app.web.limits import CONCURRENCY
from app.web.scope import parse_scope
from app.web.site import Site


def ask_api(site: Site):  # type: ignore[no-untyped-def]
    # async: answered on the event loop, not handed to a worker thread — an answer is ~2 ms of CPU, and the
    # hand-off fought the loop for the GIL (bench-load: 11.9 → 10.9 ms of server CPU per question)
    async def ask(question: str, scope: str = "", history: list | None = None) -> dict:
        """Answer one question; scope is "" for all documents or document ids / file names; history holds
        the earlier questions of the conversation (oldest first) so follow-ups like "那去年呢？" resolve."""
        earlier = ([str(h) for h in history if isinstance(h, str | int | float)]
                   if isinstance(history, list) else [])
        return site.engine.ask(question or "", scope=parse_scope(scope), history=earlier).to_dict()

    return ask


def build(site: Site) -> None:
    with gr.Tab("API", id="api"):  # for developers: the API's own names, in English
        gr.Markdown("`/ask`: `(question: str, scope: str = \"\", history: list[str] = [])` → "
                    "the answer as JSON.\n\n"
                    "`gradio_client.Client(url).predict(question, scope, history, api_name=\"/ask\")`")
        with gr.Row():
            question = gr.Textbox(label="question", value="", scale=3)
            scope = gr.Textbox(label="scope (document id or file name; empty = all)", value="", scale=2)
        history = gr.JSON(value=[], label="history (earlier questions, oldest first)")
        run = gr.Button("Run /ask")
        out = gr.JSON(label="answer")
    run.click(ask_api(site), [question, scope, history], out, api_name="ask", concurrency_id="answer",
              concurrency_limit=CONCURRENCY)
