"""Narrative section headings (第X部分 / 一、 / （一）) shared by the text and Excel readers."""

from __future__ import annotations

import re

_CN = "一二三四五六七八九十"
PART = re.compile(rf"^第[{_CN}]+部分")
H2 = re.compile(rf"^[{_CN}]+、\S")
H3 = re.compile(rf"^[（(][{_CN}]+[)）]\S")


def heading_level(line: str, max_len: int = 40) -> int:
    """Heading level (1–3) of a line, 0 for body text (long lines, sentences and table rows are body)."""
    s = line.strip()
    if "\t" in s or len(s) > max_len or "。" in s:
        return 0
    if PART.match(s):
        return 1
    if H2.match(s) and "：" not in s:
        return 2
    if H3.match(s) and "：" not in s:
        return 3
    return 0
