"""Tokenising for BM25: jieba words for Chinese, lower-cased words for English, punctuation dropped."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)
_WORD = re.compile(r"[\w\u4e00-\u9fff]+", re.UNICODE)
_STOP = {"的", "是", "了", "和", "与", "及", "在", "为", "多少", "什么", "吗", "呢", "the", "a", "an", "of", "is",
         "what", "how", "much", "to", "in", "for", "on", "and", "was", "are", "does"}


@lru_cache(maxsize=4096)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(jieba.cut_for_search(text))


def tokenize(text: str) -> list[str]:
    """Search tokens of mixed Chinese/English text (jieba's search mode adds sub-words)."""
    out: list[str] = []
    for chunk in _WORD.findall(text or ""):
        for tok in _cut(chunk.lower()):
            tok = tok.strip()
            if tok and tok not in _STOP and not tok.isdigit():
                out.append(tok)
    return out


def words(text: str) -> list[str]:
    """jieba's precise cut: the words of a phrase once each (殡葬费减免 → 殡葬, 费, 减免)."""
    return jieba.lcut(text or "")
