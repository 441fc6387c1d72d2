"""What a question asks about beyond its department, year and filler words.

A question whose item did not link ("看病的医疗保障经费一共多少") must not fall back to the grand total:
if words remain that name something, the answer is "not disclosed, closest items …", not a neighbour.
"""

from __future__ import annotations

import re

from app.lang import vocabulary
from ingest import tokens


def unlinked_words(text: str, spans: list[tuple[int, int]]) -> str:
    """The words left once the department, years, digits, punctuation and filler are taken out
    ("" if none)."""
    chars = list(text)
    for a, b in spans:
        chars[a:b] = [" "] * (b - a)
    rest = re.sub(r"(?:19|20)\d{2}\s*年?|\d+|'s\b|[^\w\u4e00-\u9fff]+", " ", "".join(chars))
    vocab = vocabulary.load()
    zh, en = vocab.filler_zh, vocab.filler_en
    for w in zh:
        if len(w) > 1:
            rest = rest.replace(w, " ")
    single = {w for w in zh if len(w) == 1}  # 中 as a word ("支出中人员经费"), never inside 中心 or 中学
    # jieba's cut keeps every character, so a text without any of them is unchanged (and jieba's dictionary,
    # ~1 s to load, waits for a question that needs it)
    if any(c in single for c in rest):  # 比上
        rest = "".join(" " if tok and all(c in single for c in tok) else tok for tok in tokens.words(rest))
    words = [w for w in rest.split() if (w.lower() not in en or (w.isupper() and len(w) >= 2))  # IT is not it
             and not (w.isascii() and len(w) <= 1)]
    cjk = "".join(w for w in words if re.search(r"[\u4e00-\u9fff]", w))
    latin = [w for w in words if w.isascii()]
    return " ".join(words) if len(cjk) >= 2 or latin else ""
