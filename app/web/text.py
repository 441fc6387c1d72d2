"""The page's words in Chinese and English, and document names in either language.

Why one table: a reader who switches language should see every label, option and message switch together;
keeping them here means a string cannot be translated in one view and forgotten in another.
"""

from __future__ import annotations

from app.lang import vocabulary
from ingest import limits
from ingest.model import Document
from ingest.readers import SUPPORTED

# the registered readers' types and the upload limit, as the staff desk says them
_UPLOADS = f"{' / '.join(SUPPORTED)}，≤ {limits.words(limits.LIMITS.max_upload_bytes)}"

# the kinds of document in English: the vocabulary's names, the ones the answers use
KINDS_EN = vocabulary.load().kind_names_en

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
    "replace_issue": ("替换旧版本：同一部门、年度、类型的文件已存在时，用新文件替换它"
                      "（不勾选则两版都保留，回答会同时注明两版）",
                      "Replace an earlier issue: a file with the same department, year and kind replaces the "
                      "stored one (unticked, both are kept and answers name both)"),
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
    "chat_placeholder": (
        "用中文或英文提问，例如下面的问题。",
        "Ask in English or Chinese, e.g. one of the questions below.",
    ),
    "report": ("报告错误答案", "Report a wrong answer"),
    "report_comment": ("意见（可选）", "Comment (optional)"),
    "report_send": ("报告这条回答", "Report this answer"),
    "report_target": ("将报告：{q}", "To be reported: {q}"),
    "report_latest": ("将报告最新的回答。", "The latest answer will be reported."),
    "unit": ("单位", "Unit"),
    "item": ("比较一个项目", "Compare one item"),
    "item_info": ("各文件的同一项目，从大到小", "The same item in every document, largest first"),
    "document": ("文件", "Document"),
    "table": ("表", "Table"),
    "all_tables": ("全部表", "All tables"),
    "filter": ("项目筛选", "Filter rows"),
    "filter_placeholder": ("例如：住房 / 221", "e.g. 住房 (housing) / 221"),
    "facts_count": ("{n} 条数据", "{n} facts"),
    "facts_shown": ("（显示前 {shown} 条）", " (showing the first {shown})"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "chart_png": ("下载图片（PNG）", "Download the chart (PNG)"),
    "chart_csv": ("下载数据（CSV）", "Download its data (CSV)"),
    "uploads_off": (
        "上传未启用：启动服务器时需设置 `{env}`。",
        "Uploads are disabled: start the server with `{env}` set.",
    ),
    "staff_intro": (
        f"工作人员上传新的预算公开文件（{_UPLOADS}，导入完成即可提问）或删除文件。",
        f"Staff: add a disclosure ({_UPLOADS.replace('，', ', ')}; answerable as soon as the ingest finishes) "
        "or remove one.",
    ),
    "password": ("工作人员密码", "Staff password"),
    "unlock": ("解锁", "Unlock"),
    "files": ("文件", "Files"),
    "ingest": ("导入", "Ingest"),
    "remove_doc": ("删除文件", "Remove a document"),
    "remove": ("删除", "Remove"),
    "reports": ("查看错误报告", "Wrong-answer reports"),
    "result": ("结果", "Result"),
    "progress": ("进度", "Progress"),
    "scope_active": ("只在所选范围内回答：{names}", "Answering only from the chosen scope: {names}"),
    "scope_clear": ("清除范围", "Clear the scope"),
    "ingesting": ("导入中… {s} 秒", "ingesting… {s} s"),
}

# the chat's own words around an answer (the answer's text is in the question's language)
ANSWER_WORDS = {
    "formula": ("计算：", "Formula: "),
    "choose": ("可选：", "Did you mean: "),
    "sources": ("来源", "Sources"),
    "open": ("打开原文", "open the page"),
    "no_cite": ("未找到可引用的数据", "No citable figure found"),
    "copy_text": ("复制文字", "Copy text"),
    "copied": ("已复制", "Copied"),
    "link": ("链接", "Link"),
    "report": ("报告错误", "Report"),
    "read_as": ("理解为：", "Read as:"),
    "ask_new": ("作为新问题提问", "Ask as a new question"),
    "widen": ("在全部文件中回答", "Answer from all documents"),
    "narrative": ("说明文字", "narrative"),
    "page": ("第{n}页", "page {n}"),
    "line": ("第{n}行", "line {n}"),
}
# how a question was read: the fields under an answer that used history or a scope
READING_FIELDS = {
    "department": ("部门", "Department"),
    "year": ("年度", "Year"),
    "document": ("文件", "Document"),
    "item": ("项目", "Item"),
    "operation": ("问的是", "Asked for"),
    "scope": ("范围", "Scope"),
}
# the planner's operations in words (app/pipeline/plan.py); one not listed is shown by its name
OPERATION_WORDS = {
    "lookup": ("查一个数", "one figure"),
    "binary": ("计算（占比、差额或比值）", "a calculation (share, difference or ratio)"),
    "change": ("与上年比较", "the change on the year before"),
    "across_years": ("各年比较", "a comparison across years"),
    "rank": ("排序", "a ranking"),
    "rank_documents": ("各文件排序", "a ranking of documents"),
    "rank_units": ("各单位排序", "a ranking of units"),
    "sum_documents": ("各文件相加", "a sum over documents"),
    "count": ("个数", "a count"),
    "per_unit": ("人均", "an amount per person"),
    "describe": ("文件说明", "what a document says"),
    "not_found": ("（没有找到）", "(not found)"),
}
# a question outside the chosen scope
OUTSIDE_WORDS = {
    "named": ("这个问题问的是{names}，不在所选范围（{scope}）内。",
              "This question is about {names}, which is outside the chosen scope ({scope})."),
    "none": ("所选范围（{scope}）内没有找到；其他文件中有。",
             "Nothing was found in the chosen scope ({scope}); other documents have it."),
}

# the Data tab's columns and the staff report list's columns, in the order the frames hold them
FACT_COLUMNS = {
    "zh": ["文件", "表", "收/支", "项目", "编码", "栏目", "数值", "单位", "合计", "页", "行"],
    "en": ["Document", "Table", "Side", "Item", "Code", "Column", "Value", "Unit", "Total", "Page", "Line"],
}
REPORT_COLUMNS = {
    "zh": ["编号", "时间", "问题", "回答", "意见"],
    "en": ["#", "Time", "Question", "Answer", "Comment"],
}
# the overview's total cards in English (the printed name follows in brackets)
TOTALS_EN = {
    "收入总计": "Total income",
    "支出总计": "Total expenditure",
    "本年收入合计": "Income this year",
    "本年支出合计": "Expenditure this year",
    "总计": "Total",
}
# the staff gate's reasons (English, as the API returns them) as the page shows them in Chinese
STAFF_REASONS_ZH = {
    "wrong staff password": "工作人员密码不正确",
    "too many wrong staff passwords": "密码错误次数过多",
    "uploads are disabled on this server": "本服务器未启用上传",
}


def t(key: str, lang: str) -> str:
    """The word for `key` in `lang` ("zh" or "en")."""
    zh, en = TEXT[key]
    return en if lang == "en" else zh


def words(table: dict[str, tuple[str, str]], lang: str) -> dict[str, str]:
    """A whole word table in `lang`, for a template."""
    return {k: (en if lang == "en" else zh) for k, (zh, en) in table.items()}


def page_lang(lang: object) -> str:
    """The page's language from a component's value: "en", else "zh" (the page opens in Chinese)."""
    return "en" if lang == "en" else "zh"


def columns(table: dict[str, list[str]], lang: str) -> list[str]:
    """A frame's column headers in `lang`."""
    return table["en" if lang == "en" else "zh"]


def staff_reason(reason: str, lang: str) -> str:
    """A staff-gate refusal in the page language ("try again in 5 min" keeps its number)."""
    if lang == "en" or not reason:
        return reason
    for en, zh in STAFF_REASONS_ZH.items():
        if reason.startswith(en):
            rest = reason[len(en) :].replace("; try again in", "，请在").replace(" min", " 分钟后重试")
            return zh + rest.split(" (")[0]
    return reason


def kind_name(kind: str, lang: str) -> str:
    return KINDS_EN.get(kind, kind) if lang == "en" else kind


def doc_name(doc: Document, english: str, lang: str) -> str:
    """ "上海市普陀区司法局 · 2026 · 部门预算" or "Putuo Justice Bureau (上海市普陀区司法局) · 2026 · department budget"."""
    year = str(doc.year) if doc.year else "?"
    if lang == "en":
        who = f"{english} ({doc.department})" if english else doc.department
        return f"{who} · {year} · {kind_name(doc.kind, 'en')}"
    return f"{doc.department} · {year} · {doc.kind}"
