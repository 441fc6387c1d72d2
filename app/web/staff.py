"""The staff desk in words: what an upload was recognised as, audit findings with plain rule names.

Why: staff check an upload by reading "安图县社会保险事业管理局, 2026, 部门预算, 8 tables" — not a content hash — and
an audit finding by its rule in plain language with numbers as printed in budgets (14,348,853.34).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.web.text import kind_name

RULES = {
    "tables_disagree": (
        "两张表对同一项目给出的数字不同",
        "Two tables print different figures for the same item",
    ),
    "totals_unbalanced": ("收入总计与支出总计不相等", "Total income does not equal total spending"),
    "columns_do_not_add_up": (
        "基本支出与项目支出之和不等于合计",
        "Basic plus project spending does not add up to the total",
    ),
    "narrative_disagrees": ("说明文字中的数字与表格不一致", "A figure in the text disagrees with the tables"),
}
ACTIONS = {"new": ("新增", "added"), "replaced": ("已替换", "replaced"), "unchanged": ("未变化", "unchanged")}


def rule_name(kind: str, lang: str) -> str:
    zh, en = RULES.get(kind, (kind, kind))
    return en if lang == "en" else zh


def group_digits(text: str) -> str:
    """14348853.34 → 14,348,853.34 inside a sentence (years, codes and short numbers are left alone)."""

    def one(m: re.Match) -> str:
        before = text[max(0, m.start() - 6) : m.start()].lower()
        if any(w in before for w in ("编码", "科目", "code")):  # a classification code is not an amount
            return m.group(0)
        try:
            return f"{Decimal(m.group(0)):,f}"
        except InvalidOperation:
            return m.group(0)

    return re.sub(r"(?<![\d.,])\d{5,}(?:\.\d+)?(?![\d,])", one, text)


def recognised(report, documents, tables_of, english, lang: str) -> list[str]:  # type: ignore[no-untyped-def]
    """One sentence per ingested file: department, year, kind, tables with figures, what happened."""
    by_id = {d.id: d for d in documents}
    out = []
    for key, doc_id, action in report.documents:
        d = by_id.get(doc_id)
        act = ACTIONS.get(action, (action, action))[1 if lang == "en" else 0]
        if d is None:
            out.append(f"{key}: {act}")
            continue
        n = sum(1 for t in tables_of(doc_id) if t.n_facts)
        year = d.year or "?"
        if lang == "en":
            who = english(d.department) or d.department
            out.append(
                f"{key}: {act} — {who} ({d.department}), {year}, {kind_name(d.kind, 'en')}, {n} tables "
                "with figures"
            )
        else:
            out.append(f"{key}：{act} — {d.department}，{year}年，{d.kind}，{n} 张有数字的表")
    if report.warnings:
        head = f"{len(report.warnings)} warnings:" if lang == "en" else f"{len(report.warnings)} 条提醒："
        out.append(head)
        out.extend(f"  · {group_digits(w)}" for w in report.warnings)
    return out
