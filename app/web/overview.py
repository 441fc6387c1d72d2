"""The Overview tab: one document's totals and spending by category, or every document compared.

Why one response: cards, bars and table of the selected document come from one handler call, so a heading
can never sit over another document's bars; one unit (元 / 万元 / 亿元) applies to all of them.
"""

from __future__ import annotations

import hashlib

import gradio as gr
import pandas as pd

from app.web.chart import bars_html, chart_html
from app.web.compare import item_facts, shared_items
from app.web.format import fmt_amount
from app.web.site import Site, Top
from app.web.summary import Overview, in_unit, overview, total_name
from app.web.templates import render
from app.web.text import page_lang, t
from app.web.units import UNITS, convert
from ingest.model import Document


def card_source(f) -> str:  # type: ignore[no-untyped-def]
    return f"表{f.table_id} {f.table_title} · {f.column}" + (f" · 第{f.line}行" if f.line else "") + (
        f" · 第{f.page}页" if f.page else "")


def totals_html(ov: Overview, doc: Document, target: str = "万元", lang: str = "zh", heading: str = "") -> str:
    """The key totals of one document as cards, all in `target`, each citing its cell and the disclosed
    figure."""
    disclosed = "原文 " if lang == "zh" else "as disclosed: "
    cards = [{"k": total_name(f, lang), "v": in_unit(f, target),
              "s": f"{disclosed}{fmt_amount(f.value, f.unit)} · {card_source(f)}"} for f in ov.totals]
    return render("cards.html", heading=heading or doc.label, intro="", cards=cards,
                  empty="未找到合计数" if lang == "zh" else "No totals found.")


class OverviewTab:
    def __init__(self, site: Site):
        self.site = site

    def summary(self, doc: Document) -> Overview:
        return overview(self.site.engine.ledger.facts(document_id=doc.id), self.site.glossary)

    def term(self, label: str) -> str:
        en = self.site.item_en(label)
        return f"{en} ({label})" if en else label

    def compare(self, item: str, target: str, lang: str):  # type: ignore[no-untyped-def]
        """One item across every document: the item choices, the bars and the table (one unit)."""
        found = self.site.docs()
        cats = {d.id: self.summary(d).categories for d in found}
        items = shared_items(cats)
        item = item if item in items else (items[0] if items else "")
        name_of = (lambda x: x) if lang == "zh" else self.term
        choices = gr.update(choices=[(name_of(i), i) for i in items], value=item or None, visible=bool(items))
        hits = item_facts(found, cats, item)
        bars = [(self.site.name(d, lang), convert(f.value, f.unit, target)) for d, f in hits]
        bars = [(n, a) for n, a in bars if a is not None]
        if not bars:
            return choices, gr.update(value="", visible=False), gr.update(visible=False)
        head = (f"{item}：各文件比较（{target}）" if lang == "zh"
                else f"{name_of(item)}: documents compared ({target})")
        doc_head = "文件" if lang == "zh" else "Document"
        code = next((f.code for _, f in hits if f.code), "") or hashlib.sha1(item.encode()).hexdigest()[:8]
        chart = chart_html(bars, target, head, lang, f"budgetqa-compare-{code}", doc_head)
        ordered = sorted(bars, key=lambda b: -b[1])
        amount_head = f"金额（{target}）" if lang == "zh" else f"Amount ({target})"
        table = pd.DataFrame({doc_head: [n for n, _ in ordered],
                              amount_head: [f"{a:,f}" for _, a in ordered]})
        return choices, gr.update(value=chart, visible=True), gr.update(value=table, visible=True, label=head,
                                                                        show_label=True)

    def all_documents(self, target: str, lang: str, item: str):  # type: ignore[no-untyped-def]
        """Every document's total spending as cards, and one item compared across them."""
        cards = []
        for d in self.site.docs():
            ov = self.summary(d)
            spend = [f for f in ov.totals if f.side == "支出" and f.label in ("支出总计", "总计")]
            top = (spend or ov.totals or [None])[0]
            cards.append({"k": self.site.name(d, lang), "v": in_unit(top, target) if top else "—",
                          "s": f"{total_name(top, lang) if top else ''} · {d.source_key}"})
        intro = ("选择一个文件查看按功能分类的支出；下面比较各文件的同一项目。" if lang == "zh"
                 else "Choose one document in Scope to see its spending by function category; below, "
                 "one item compared across the documents.")
        head = f"{len(cards)} 个文件" if lang == "zh" else f"{len(cards)} documents"
        choices, chart, table = self.compare(item, target, lang)
        return render("cards.html", heading=head, intro=intro, cards=cards, empty=""), chart, table, choices

    def one_document(self, doc: Document, target: str, lang: str):  # type: ignore[no-untyped-def]
        name = self.site.name(doc, lang)
        ov = self.summary(doc)
        ranked = sorted(ov.categories, key=lambda f: -(f.value or 0))
        label = (lambda x: x) if lang == "zh" else self.term
        headers = ("类", f"金额（{target}）") if lang == "zh" else ("Function category", f"Amount ({target})")
        table = pd.DataFrame({headers[0]: [label(f.label) for f in ranked],
                              headers[1]: [in_unit(f, target).replace(f" {target}", "") for f in ranked]})
        source = ""
        if ov.categories:
            f = ov.categories[0]
            source = (f"{'来源' if lang == 'zh' else 'Source'}: 表{f.table_id} {f.table_title} · "
                      f"{f.column} · {ov.unit}")
        title = (f"{name}：按功能分类的支出（{target}）" if lang == "zh"
                 else f"{name}: spending by function category ({target})")
        chart = bars_html(ov.categories, target, title, None if lang == "zh" else self.term, lang,
                          f"budgetqa-{doc.id}")
        return (totals_html(ov, doc, target, lang, name), gr.update(value=chart, visible=bool(ov.categories)),
                gr.update(value=table, visible=bool(ov.categories), label=source, show_label=bool(source)),
                gr.update(visible=False))

    def show(self, scope: str, target: str = "万元", lang: str = "zh", item: str = ""):  # type: ignore
        """Cards, bars and table of the selected document, all drawn from one response in one unit; with
        all documents selected, their totals and one item compared across them."""
        target = target if target in UNITS else "万元"
        lang = page_lang(lang)
        doc = self.site.doc_by_id(scope) if scope else None
        return self.all_documents(target, lang, item) if doc is None else self.one_document(doc, target, lang)


def build(site: Site, top: Top, demo: gr.Blocks) -> None:
    """The Overview tab inside the page's Tabs, and its events."""
    words = site.words
    with words.add(gr.Tab(t("overview", "zh"), id="overview"), label="overview"):
        unit = words.add(gr.Radio(list(UNITS), value="万元", label=t("unit", "zh"), elem_id="bq-unit"),
                         label="unit")
        totals = gr.HTML(elem_id="bq-totals")
        item = words.add(gr.Dropdown([], label=t("item", "zh"), info=t("item_info", "zh"), visible=False,
                                     elem_id="bq-item"), label="item", info="item_info")
        chart = gr.HTML(visible=False, elem_id="bq-chart")
        cat_table = gr.Dataframe(visible=False, interactive=False, wrap=True, elem_id="bq-cats")
    tab = OverviewTab(site)
    io = ([top.scope, unit, top.lang, item], [totals, chart, cat_table, item])
    for trigger in (top.scope.change, unit.change, top.lang.change, item.input, demo.load):
        trigger(tab.show, *io, api_visibility="private", concurrency_id="overview")  # in the order asked
