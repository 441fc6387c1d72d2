"""Audit findings in the page's language: the rule in plain words, the sentence from the cells it cites.

Why from the cells, not the audit's message: `ingest.audit` explains itself in English for the CLI; the
page words each finding from the facts the finding carries (their tables, rows, columns and amounts,
digits grouped), so a Chinese page reads Chinese and an English page English. A rule this module does not
know is shown with the audit's own message.
"""

from __future__ import annotations

from collections.abc import Callable

from app.web.format import fmt_amount
from app.web.staff import group_digits, rule_name
from app.web.templates import render
from ingest.model import Document, Fact

Name = Callable[[str], str]  # a row label or column in the page language


def _where(f: Fact, lang: str) -> str:
    if lang == "en":
        return f"page {f.page}" if f.page else f"line {f.line}"
    return f"第{f.page}页" if f.page else f"第{f.line}行"


def _table(f: Fact, lang: str) -> str:
    if not f.table_id:
        return "the narrative" if lang == "en" else "说明文字"
    return f"table {f.table_id}" if lang == "en" else f"表{f.table_id}"


def _amount(f: Fact) -> str:
    return fmt_amount(f.value, f.unit)


def sentence(kind: str, facts: tuple[Fact, ...], lang: str, label: Name, column: Name) -> str:
    """One finding as a sentence in `lang` ("" for a rule this module does not word)."""
    en = lang == "en"
    if kind == "tables_disagree" and len(facts) >= 2:
        a, b = facts[:2]
        head = f"{label(a.label)} / {column(a.column.split(' / ')[-1])}"
        return (f"{head}: {_table(a, lang)} prints {_amount(a)}, {_table(b, lang)} prints {_amount(b)}" if en
                else f"{head}：{_table(a, lang)}为 {_amount(a)}，{_table(b, lang)}为 {_amount(b)}")
    if kind == "totals_unbalanced" and len(facts) >= 2:
        a, b = facts[:2]
        return (f"{_table(a, lang)}, {column(a.column)}: total income {_amount(a)} ≠ total expenditure "
                f"{_amount(b)}" if en else
                f"{_table(a, lang)} {a.column}：收入总计 {_amount(a)} ≠ 支出总计 {_amount(b)}")
    if kind == "columns_do_not_add_up" and len(facts) >= 3:
        basic, project, total = facts[:3]
        return (f"{_table(total, lang)}, {label(total.row_label)}: basic {_amount(basic)} + project "
                f"{_amount(project)} ≠ {column(total.column)} {_amount(total)}" if en else
                f"{_table(total, lang)} {total.row_label}：基本支出 {_amount(basic)} + 项目支出 {_amount(project)}"
                f" ≠ {total.column} {_amount(total)}")
    if kind == "narrative_disagrees" and len(facts) >= 2:
        said, cells = facts[0], facts[1:]
        shown = "; ".join(f"{_table(c, lang)} {column(c.column)}: {_amount(c)}" for c in cells) if en else \
            "；".join(f"{_table(c, lang)} {c.column}：{_amount(c)}" for c in cells)
        return (f"{label(said.label)}: the narrative says {_amount(said)}; {shown}" if en
                else f"{said.label}：说明文字写 {_amount(said)}；{shown}")
    return ""


def audit_html(findings, doc: Document | None, lang: str = "zh", name: str = "",  # type: ignore
               label: Name = lambda x: x, column: Name = lambda x: x) -> str:
    """Where the selected disclosure contradicts itself: plain rule names, grouped digits, cells (escaped);
    `name` is the document's name in the page language."""
    en = lang == "en"
    items = []
    for f in findings or []:
        said = sentence(f.kind, f.facts, lang, label, column) or group_digits(f.says(lang))
        cells = [f"{_table(x, lang)} · {label(x.row_label)} / {column(x.column)} = {_amount(x)} "
                 f"({_where(x, lang)})" for x in f.facts]
        items.append({"rule": rule_name(f.kind, lang), "said": said, "cells": cells})
    count = (f"{len(items)} contradiction(s)" if en else f"{len(items)} 处自相矛盾") if items else \
        ("no contradictions found" if en else "未发现自相矛盾之处")
    return render("audit.html", doc=doc is not None, head="Audit" if en else "核对",
                  name=name or (doc.label if doc else ""), count=count, items=items,
                  choose="Choose a document to see where it contradicts itself." if en
                  else "选择一个文件查看核对结果。")
