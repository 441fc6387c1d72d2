"""The Data tab: every stored fact of a document (or all), filtered, with a CSV download and the audit.

Why a table with fixed pixel columns: on a phone the table keeps readable columns and scrolls sideways in
its own box, never widening the page. The CSV is streamed by app/web/http_guard.py with its headers in the
page's language; no file is written per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from app.pipeline.render import column_name
from app.web.findings import audit_html
from app.web.format import filter_facts
from app.web.http_guard import csv_link
from app.web.scope import ALL, scope_choices
from app.web.site import Site, Top
from app.web.templates import render
from app.web.text import FACT_COLUMNS, columns, page_lang, t
from ingest.audit import audit
from ingest.model import Fact

MAX_ROWS_SHOWN = 1000
# in px, not %: on a phone the table keeps readable columns and scrolls sideways inside its own box
FACT_WIDTHS = ["180px", "48px", "56px", "190px", "72px", "130px", "120px", "56px", "48px", "44px", "48px"]


def facts_frame(facts: list[Fact], names: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """The Data tab's rows; `names` maps document ids to names in the page language."""
    narrative = "说明" if lang != "en" else "text"
    rows = [[names.get(f.document_id, f.document_id), f.table_id or narrative,
             f.side, f.row_label, f.code or "", f.column, "" if f.value is None else str(f.value), f.unit,
             "✓" if f.is_total else "", f.page or "", f.line or ""] for f in facts[:MAX_ROWS_SHOWN]]
    return pd.DataFrame(rows, columns=columns(FACT_COLUMNS, lang))


def download_html(doc_id: str, table_id: str, text: str, lang: str = "zh") -> str:
    """A link to the streamed CSV of what the Data view shows, headers in the page language."""
    return render("download.html", href=csv_link(doc_id, table_id, text, lang), word=t("download_csv", lang))


class DataTab:
    def __init__(self, site: Site):
        self.site = site

    def table_choices(self, doc_id: str, lang: str) -> list[tuple[str, str]]:
        tables = [x for x in self.site.engine.ledger.tables(doc_id or None) if x.n_facts] if doc_id else []
        word = "表" if lang != "en" else "Table "
        return [(t("all_tables", lang), "")] + [(f"{word}{x.table_id} {x.title}", x.table_id) for x in tables]

    def tables_for(self, doc_id: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
        return gr.update(choices=self.table_choices(doc_id, page_lang(lang)), value="")

    def browse(self, doc_id: str, table_id: str, text: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
        lang = page_lang(lang)
        ledger = self.site.engine.ledger
        facts = filter_facts(ledger.facts(document_id=doc_id or None, table_id=table_id or None), text)
        shown = min(len(facts), MAX_ROWS_SHOWN)
        status = t("facts_count", lang).format(n=len(facts))
        status += t("facts_shown", lang).format(shown=shown) if shown < len(facts) else ""
        return (facts_frame(facts, self.site.names(lang), lang), status,
                download_html(doc_id, table_id, text, lang))

    def show_audit(self, doc_id: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
        lang = page_lang(lang)
        doc = self.site.doc_by_id(doc_id) if doc_id else None
        if doc is None:
            return audit_html([], None, lang)
        view = self.site.engine.view
        label = (lambda x: x) if lang == "zh" else (lambda x: f"{self.site.item_en(x)} ({x})"
                                                     if self.site.item_en(x) else x)
        return audit_html(audit(self.site.engine.ledger.facts(document_id=doc.id)), doc, lang,
                          self.site.name(doc, lang), label, lambda c: column_name(view, lang, c))

    def document_lists(self, lang: str = "zh"):  # type: ignore[no-untyped-def]
        """The document and table lists in the page language (a page opened after an upload lists the new
        document too); the selection is kept."""
        lang = page_lang(lang)
        return (gr.update(choices=scope_choices(self.site.docs(), lang, self.site.english)),
                gr.update(choices=self.table_choices("", lang)))


@dataclass
class DataParts:
    document: Any


def build(site: Site, top: Top, demo: gr.Blocks) -> DataParts:
    """The Data tab inside the page's Tabs, and its events (`/facts` is a public API route)."""
    words = site.words
    with words.add(gr.Tab(t("data", "zh"), id="data"), label="data"):
        with gr.Row():
            doc = words.add(gr.Dropdown(scope_choices(site.docs(), "zh", site.english), value=ALL, scale=3,
                                        label=t("document", "zh"), allow_custom_value=True,
                                        elem_id="bq-data-doc"), label="document")
            table = words.add(gr.Dropdown([(t("all_tables", "zh"), "")], value="", scale=2,
                                          label=t("table", "zh"), allow_custom_value=True), label="table")
            text = words.add(gr.Textbox(label=t("filter", "zh"), scale=2,
                                        placeholder=t("filter_placeholder", "zh")),
                             label="filter", placeholder="filter_placeholder")
        status = gr.Markdown(elem_id="bq-data-status")
        frame = gr.Dataframe(interactive=False, wrap=True, max_height=520,
                             headers=columns(FACT_COLUMNS, "zh"), elem_id="bq-facts",
                             column_widths=FACT_WIDTHS)
        download = gr.HTML(elem_id="bq-download")
        audit_box = gr.HTML(elem_id="bq-audit")
    tab, lang = DataTab(site), top.lang
    for trigger in (demo.load, lang.change):
        trigger(tab.document_lists, lang, [doc, table], api_visibility="private")
    doc.change(tab.tables_for, [doc, lang], table, api_visibility="private")
    # one queue per view, in the order asked: a slow earlier view (all documents) never lands over a
    # later one (the document just chosen)
    for trigger in (doc.change, lang.change):
        trigger(tab.show_audit, [doc, lang], audit_box, api_visibility="private", concurrency_id="audit")
    browse_io = ([doc, table, text, lang], [frame, status, download])
    for trigger in (doc.change, table.change, text.submit, lang.change):
        trigger(tab.browse, *browse_io, api_visibility="private", concurrency_id="browse")
    demo.load(tab.browse, *browse_io, api_name="facts", concurrency_id="browse")
    return DataParts(doc)
