"""How answers name documents, items and sources, and how refusals read."""

from __future__ import annotations

import re
from decimal import Decimal

from app import calculate as calc
from app import config  # noqa: F401 - sets the offline switches first
from app.answer import Answer, Citation
from app.context import _KIND_EN, Ctx
from app.factview import FactView
from app.understand import Query
from ingest.model import Document, Fact
from ingest.numbers import format_number
from ingest.units import MONEY_FACTORS

_MAX_CANDIDATES = 6


def doc_name(view: FactView, q: Query, doc: Document | None) -> str:
    if doc is None:
        return ""
    if q.zh:
        return f"{doc.department}{doc.year or ''}年{doc.kind}"
    dept = view.catalog.english_name(doc.department) or view.glossary.english(doc.department) \
        or doc.department
    return f"{dept} ({doc.department}) {doc.year or ''} {_KIND_EN.get(doc.kind, doc.kind)}"

def item_name(view: FactView, q: Query, label: str) -> str:
    if q.zh:
        return label
    en = view.glossary.english(label)
    return f"{en} ({label})" if en else label

_GENERIC_COLUMNS = {"合计", "总计", "小计", "预算数", "决算数", "本年预算", "金额", "预算", "预算数合计", "执行数",
                    "年初预算数", "全年预算数", "2026年预算", "本年支出"}


def row_name(f: Fact) -> str:
    """A total row read by column says which column ("项目支出（合计）"), not just "合计"."""
    if f.label in ("合计", "总计") and f.column:
        return f"{f.column.split(' / ')[-1]}（{f.label}）"
    leaf = f.column.split(" / ")[-1].strip()
    if leaf and re.search(r"[\u4e00-\u9fff]", leaf) and leaf not in _GENERIC_COLUMNS:
        return f"{f.label}（{f.column}）"  # a unit's row read in one item's column: 西郊监狱（“三公”经费合计）
    return f.label

def cite(view: FactView, *facts: Fact) -> list[Citation]:
    seen, out = set(), []
    for f in facts:
        if f and f.id not in seen:
            seen.add(f.id)
            out.append(Citation.of(f, view.doc(f)))
    return out

def value_in(view: FactView, q: Query, fact: Fact) -> tuple[Decimal, str, str | None]:
    """The fact's value in the unit the question asks for, with the conversion formula."""
    assert fact.value is not None
    if q.target_unit and fact.unit in MONEY_FACTORS and q.target_unit != fact.unit:
        r = calc.in_unit(fact.value, fact.unit, q.target_unit)
        return r.value, r.unit, r.formula
    return fact.value, fact.unit, None

# ---- refusals --------------------------------------------------------

def in_target(view: FactView, q: Query, r: calc.Result) -> calc.Result:
    if q.target_unit and r.unit in MONEY_FACTORS and q.target_unit != r.unit:
        conv = calc.in_unit(r.value, r.unit, q.target_unit)
        return calc.Result(conv.value, conv.unit, f"{r.formula}; {conv.formula}")
    return r

def held(view: FactView, q: Query) -> str:
    """What the store holds, named in the question's language (a few, and how many more)."""
    shown = list(dict.fromkeys(doc_name(view, q, d) for d in view.documents))
    more = len(shown) - _MAX_CANDIDATES
    names = ("；" if q.zh else "; ").join(shown[:_MAX_CANDIDATES])
    if more > 0:
        names += f"；另有 {more} 个" if q.zh else f"; and {more} more"
    return (f" 库中现有：{names}。" if q.zh else f" The store holds: {names}.")

def refuse(view: FactView, q: Query, text: str, candidates: list[str] | None = None) -> Answer:
    return Answer(q.text, "not_found", text, lang=q.lang, candidates=candidates or [])

def not_found_item(view: FactView, ctx: Ctx, item: str) -> Answer:
    q = ctx.q
    cands = view.retriever.labels(q.norm, [d.id for d in ctx.docs], k=5)
    close = [lab for lab, _ in cands.labels[:5]]
    absent = absent_table(view, ctx)
    if absent is not None:
        t, doc = absent
        text = (f"{doc.department}{doc.year}年{doc.kind}的目录列有“{t.title}”（表{t.table_id}），但文件中没有刊印该表，"
                f"因此没有可引用的数字。" if q.zh else
                f"The contents of {doc_name(view, q, doc)} list table {t.table_id} {t.title}, but the table is "
                f"not printed in the document, so there is no figure to quote.")
        return Answer(q.text, "not_found", text, lang=q.lang, candidates=close)
    what = f"“{item}”" if item else "这个项目"
    text = (f"这些文件中没有披露{what}的数字。" if q.zh else
            f"These documents do not disclose a figure for {item or 'that item'}.")
    if close:
        text += (" 相近的项目有：" + "、".join(close) + "。") if q.zh else (" Closest items: " + ", ".join(close) + ".")
    return Answer(q.text, "not_found", text, lang=q.lang, candidates=close)

def absent_table(view: FactView, ctx: Ctx):
    for doc in ctx.docs:
        for t in view.tables_of(doc.id):
            if t.status == "absent" and (t.title in ctx.q.norm or re.search(rf"表\s*0?{int(t.table_id)}(?!\d)",
                                                                               ctx.q.norm)):
                return t, doc
    return None

def ambiguous(view: FactView, ctx: Ctx, docs: list[Document]) -> Answer:
    q = ctx.q
    names = list(dict.fromkeys(doc_name(view, q, d) for d in docs))
    shown = names[:_MAX_CANDIDATES]
    more = len(names) - len(shown)
    text = ("有多个文件都有这个项目，请说明是哪一个：" + "；".join(shown) if q.zh else
            "Several documents have this item; please say which one: " + "; ".join(shown))
    if more:
        text += (f"；另有 {more} 个（请说明部门、年份或文件类型）。" if q.zh else
                 f"; and {more} more (name the department, year or document kind).")
    kinds = {d.kind for d in docs}
    if {"部门预算", "单位预算"} <= kinds and len({d.department for d in docs}) == 1:
        text += (" 部门预算包括本部门及所属单位，单位预算只含本级。" if q.zh else
                 " The department budget covers the department and its subordinate units; the unit budget covers"
                 " the department's own office only.")
    names = shown
    return Answer(q.text, "ambiguous", text, lang=q.lang, candidates=names)



def unit_budget_aside(view: FactView, q: Query, fact: Fact) -> str:
    """One line on the unit budget's own figure beside a department budget's answer (never added to it)."""
    value, unit = format_number(fact.value), fact.unit
    if q.zh:
        return (f" 另：{doc_name(view, q, view.doc(fact))}（只含本级，不含所属单位）中该项为 {value} {unit}，"
                "两者不相加。")
    return (" The department's own office alone (its unit budget, without subordinate units) prints "
            f"{value} {unit} "
            f"for this item, per {doc_name(view, q, view.doc(fact))}; the two are not added.")
