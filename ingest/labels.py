"""Row and subject labels: one normaliser so table rows, narrative and questions meet."""

from __future__ import annotations

import re

from ingest.numbers import to_halfwidth

_CN_NUM = "一二三四五六七八九十百零〇"
_PREFIX = re.compile(
    rf"^\s*(?:"
    rf"第[{_CN_NUM}\d]+[部分章节]\s*|"
    rf"[{_CN_NUM}]+\s*[、.．]\s*|"
    rf"[(（]\s*[{_CN_NUM}\d]+\s*[)）]\s*[、.]?\s*|"
    rf"\d+\s*[、.．)）]\s*(?!\d)|"
    rf"其中\s*[:：]\s*|"
    rf"[\[【]\s*\d{{3,7}}\s*[\]】]\s*|"  # an economic or function code printed in brackets: [30227]委托业务费
    rf"[:：]\s*"
    rf")+"
)
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_CATEGORY_MARK = re.compile(r"[(（]\s*[类款项]\s*[)）]")
TOTAL_LABELS = re.compile(r"(合计|总计|小计|^本年收入$|^本年支出$)")


def strip_spaces(text: str) -> str:
    return _SPACES.sub("", text or "")


def normalise_label(text: str) -> str:
    """"二十、住房保障支出" → "住房保障支出"; "社会保障和就业（类）支出" → "社会保障和就业支出"."""
    s = to_halfwidth(text or "").strip()
    s = _PREFIX.sub("", s)
    s = _CATEGORY_MARK.sub("", s)
    s = strip_spaces(s)
    s = s.replace("(", "（").replace(")", "）")
    return s.strip("：:，,。;；")


def is_total_label(label: str) -> bool:
    return bool(TOTAL_LABELS.search(strip_spaces(label)))


def longest_first(name: str) -> tuple[int, str]:
    """Sort key: longest first, then by text — the same order under every hash seed (sets iterate by hash)."""
    return -len(name), name


def shortest_first(name: str) -> tuple[int, str]:
    """Sort key: shortest first, then by text (see ``longest_first``)."""
    return len(name), name
