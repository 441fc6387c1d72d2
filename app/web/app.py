"""The Gradio web app: a cited chat for citizens, an overview, a fact browser and an upload desk for staff.

Why this shape: the chat, the `/ask` API and the CLI all call the same Engine, so a figure on the page is
the figure `budgetqa ask` prints. Each tab is a module of its own (chat, overview, data, staff_desk,
api_tab) over one `Site`; this module only lays out the page's top row and the tabs, and launches the
server. Every string that comes from a question or a document reaches the page through jinja2's
autoescape (app/web/templates/). Nothing is fetched from the internet: analytics are off (app.config),
fonts are the system's, no share link.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import gradio as gr
from fastapi import FastAPI
from gradio.routes import App

from app.api import mount as mount_api
from app.engine import Engine
from app.web import api_tab, chat, data, overview, staff_desk
from app.web.http_guard import add_routes
from app.web.limits import CONCURRENCY, MAX_UPLOAD_BYTES, QUEUE_SIZE
from app.web.renders import RenderPool
from app.web.scope import ALL, scope_choices
from app.web.site import Site, Top
from app.web.source import add_source_routes
from app.web.staff_auth import trust_proxies
from app.web.templates import render
from app.web.text import t
from ingest.snapshot import dense_available

STATIC = Path(__file__).with_name("static")
FONT = [gr.themes.Font("system-ui"), gr.themes.Font("PingFang SC"), gr.themes.Font("Microsoft YaHei"),
        gr.themes.Font("WenQuanYi Micro Hei"), gr.themes.Font("Noto Sans CJK SC"), "sans-serif"]
FONT_MONO = [gr.themes.Font("ui-monospace"), gr.themes.Font("DejaVu Sans Mono"), "monospace"]
Routes = Callable[[FastAPI, object], None]  # adds routes to the app for an engine (the HTTP API hooks in)


def header_html(lang: str) -> str:
    """The page title and what the site promises, in the page language."""
    return render("header.html", title=t("title", lang), tagline=t("tagline", lang))


def top_row(site: Site) -> Top:
    """The header, the scope selector and the language switch above the tabs."""
    words = site.words
    words.add(gr.HTML(header_html("zh")), value=header_html)
    with gr.Row(elem_id="bq-top"):
        scope = words.add(gr.Dropdown(scope_choices(site.docs(), "zh", site.english), value=ALL, scale=4,
                                      label=t("scope", "zh"), info=t("scope_info", "zh"),
                                      allow_custom_value=True, elem_id="bq-scope"),
                          label="scope", info="scope_info")
        # the switch's own label stays in both languages, so a reader of either can find it
        lang = gr.Radio([("中文", "zh"), ("English", "en")], value="zh", label="语言 Language", scale=1,
                        elem_id="bq-lang")
    return Top(scope, lang)


def build_app(engine) -> gr.Blocks:  # type: ignore[no-untyped-def]
    """The Blocks app over an open Engine; launch it with `launch()` (theme, CSS and offline settings)."""
    site = Site.open(engine)
    with gr.Blocks(title="BudgetQA 预算问答", analytics_enabled=False, delete_cache=(600, 3600)) as demo:
        top = top_row(site)
        with gr.Tabs():
            chat.build(site, top, demo)
            overview.build(site, top, demo)
            found = data.build(site, top, demo)
            staff_desk.build(site, top, found.document)
            api_tab.build(site)
        # every component whose words follow the language switch (registered by the tabs above)
        # not queued: the labels switch at once, not after the slower views of the other tabs
        top.lang.change(site.words.updates, top.lang, site.words.components, api_visibility="private",
                        queue=False)
    # for launch(): the HTTP guard and routes share them
    demo.bq_engine, demo.bq_gate, demo.bq_renders = engine, site.gate, RenderPool.from_settings()
    return demo


def theme() -> gr.themes.Base:
    """System fonts only: nothing is fetched from a font service."""
    return gr.themes.Default(primary_hue="blue", neutral_hue="slate", font=FONT, font_mono=FONT_MONO)


def page_js() -> str:
    """The page's own script (copy text, chart PNG, links that ask in the chat, report links)."""
    return (STATIC / "page.js").read_text(encoding="utf-8")


def http_app(demo: gr.Blocks, routes: Sequence[Routes] = ()) -> App:
    """The FastAPI app the page runs on: the plain HTTP API (app/api), the upload guard (a middleware) and the
    CSV, session and source routes first, then each of `routes(app, engine)`, before Gradio adds its own."""
    app = App()
    # /api/v1 (app/api): mounted first, so Gradio's routes never shadow it; one render pool for both doors
    mount_api(app, demo.bq_engine, demo.bq_renders)
    add_routes(app, demo.bq_engine, demo.bq_gate)
    add_source_routes(app, demo.bq_engine, demo.bq_renders)
    for add in routes:
        add(app, demo.bq_engine)
    return app


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, block: bool = True,
           routes: Sequence[Routes] = ()) -> gr.Blocks:
    """Queue sized by `make bench-load`, bind locally, no share link, staff-only uploads up to
    LIMITS.max_upload_bytes; `routes` add more to the same FastAPI app (see `http_app`)."""
    trust_proxies()
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.launch(_app=http_app(demo, routes), server_name=host, server_port=port, share=False,
                show_error=False, prevent_thread_lock=not block, js=page_js(), max_file_size=MAX_UPLOAD_BYTES,
                theme=theme(),
                css_paths=[STATIC / "app.css"], footer_links=["api"], quiet=not block, ssr_mode=False,
                pwa=False, mcp_server=False, inbrowser=False)
    return demo


def serve(store: Path, host: str = "127.0.0.1", port: int = 7860, routes: Sequence[Routes] = ()) -> None:
    """`budgetqa serve`: open the store (ingesting nothing) and serve until interrupted."""
    dense = dense_available(Path(store))  # read-only: a Chroma server's index, else BM25 only
    engine = Engine.open(Path(store), dense=dense, background=True)  # answers from the ledger at once
    engine.warm_up()  # before the first visitor, not during their question
    note = "" if dense else " (read-only store: no dense index)"
    print(f"BudgetQA: {len(engine.documents())} documents from {store}{note}; http://{host}:{port}/",
          flush=True)
    launch(build_app(engine), host, port, block=True, routes=routes)
