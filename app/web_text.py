"""The page's words in Chinese and English, and document names in either language.

Why one table: a reader who switches language should see every label, option and message switch together;
keeping them here means a string cannot be translated in one view and forgotten in another.
"""

from __future__ import annotations

from ingest.model import Document

KINDS_EN = {
    "部门预算": "department budget",
    "单位预算": "unit budget",
    "部门决算": "department final accounts",
    "单位决算": "unit final accounts",
}

TEXT = {
    "title": ("BudgetQA · 预算问答", "BudgetQA · budget questions"),
    "tagline": (
        "每个数字都来自公开的预算文件，并注明出处。",
        "Exact, cited answers from government budget disclosures.",
    ),
    "scope": ("范围", "Scope"),
    "scope_info": ("问答、概览只看所选文件", "The chat and the overview use only the selected document"),
    "all_docs": ("全部文件", "All documents"),
    "chat": ("问答", "Chat"),
    "overview": ("概览", "Overview"),
    "data": ("数据", "Data"),
    "upload": ("上传", "Upload"),
    "question": ("问题", "Question"),
    "ask": ("提问", "Ask"),
    "placeholder": ("例如：住房保障支出是多少？", "e.g. what is the housing security spend?"),
    "suggest": ("可以点击提问", "Click to ask"),
    "loaded": ("已载入 {n} 个文件，可以这样问：", "{n} documents are loaded. You can ask, for example:"),
    "language": ("语言 Language", "Language 语言"),
    "previous_year": ("那去年呢？", "What about the previous year?"),
    "sources": ("来源", "Sources"),
    "open_source": ("打开原文", "open the page"),
    "did_you_mean": ("请选择：", "Choose one:"),
}


def t(key: str, lang: str) -> str:
    """The word for `key` in `lang` ("zh" or "en")."""
    zh, en = TEXT[key]
    return en if lang == "en" else zh


def kind_name(kind: str, lang: str) -> str:
    return KINDS_EN.get(kind, kind) if lang == "en" else kind


def doc_name(doc: Document, english: str, lang: str) -> str:
    """ "上海市普陀区司法局 · 2026 · 部门预算" or "Putuo Justice Bureau (上海市普陀区司法局) · 2026 · department budget"."""
    year = str(doc.year) if doc.year else "?"
    if lang == "en":
        who = f"{english} ({doc.department})" if english else doc.department
        return f"{who} · {year} · {kind_name(doc.kind, 'en')}"
    return f"{doc.department} · {year} · {doc.kind}"
