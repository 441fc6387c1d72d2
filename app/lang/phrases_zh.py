"""Chinese phrases of a question that may name an institution: where one can start and end, what may be said
before it (places) and after it, and which words go on to name another body.

Why apart from the catalog: these read the question's characters and jieba's words only; the catalog
(app/lang/departments.py) decides which held department a phrase is.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import jieba

from app.lang import gazetteer, names
from app.lang.names import Form
from ingest.labels import longest_first

_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=4096)
def bare_phrase(text: str, e: int, core: str) -> tuple[int, float] | None:
    """(end, cost) of the longest phrase from e that says this core without its ending, if one does."""
    data = names.load()
    forms = names.forms_of(core)
    chars = {c for f in forms for c in f.text}
    hi = e
    while hi < len(text) and text[hi] in chars and hi - e < 16:
        hi += 1
    for end in range(hi, e + 1, -1):
        said, rest = text[e:end], text[end:]
        if another_ending(said, forms) or rest.startswith(data.not_after_bare):
            continue  # 上海科技大学 names a university; 北京卫生健康支出 an item
        if goes_on(text, end, 1) or naming_phrases(rest[:6]) or starts_with_ending(rest):
            continue  # 无锡教育考试院: another institution
        cost = names.score(said, forms, bare=True)
        if cost is not None:
            return end, cost
    return None


@lru_cache(maxsize=4096)
def phrases(text: str, j: int, core: str) -> list[tuple[int, float]]:
    """Where a phrase ending at j that reads as this core may start, longest first, with its cost."""
    forms = names.forms_of(core)
    shorts = {e for f in forms for e in names.load().endings.get(f.ending, ())}
    chars = {c for f in forms for c in f.text} | {c for e in shorts for c in e}
    lo = j
    while lo > 0 and text[lo - 1] in chars and j - lo < 24:
        lo -= 1
    return [(s, c) for s in range(lo, j) for c in [names.score(text[s:j], forms)] if c is not None]


def strip_places(text: str, p: int, own: list[str]) -> int:
    """Back over the department's own places said before position p (上海 普陀 before 司法局)."""
    while True:
        w = next((w for w in own if text.endswith(w, 0, p)), "")
        if not w:
            return p
        p -= len(w)


def tail(text: str, s: int, j: int) -> bool:
    """A phrase starting at s (no place before it) is the tail of a longer name: s is inside a word (财|政局),
    a word of what an institution does stands before it (规划|资源局), or it is two characters right after
    another (人|社局)."""
    if s == 0 or not _CJK.match(text[s - 1]) or text[s - 1] in names.load().function:
        return False
    data = names.load()
    left = any(text[i:s] in data.lexicon and text[i:s] not in data.generic
               for i in range(max(0, s - 4), s - 1))
    return left or j - s <= 2 or s not in boundaries(text)


@lru_cache(maxsize=256)
def boundaries(text: str) -> frozenset[int]:
    """Where the question's words start and end (jieba's precise cut from its dictionary: no guessed words
    such as 卫健委给)."""
    out, at = {0}, 0
    for w in jieba.lcut(text, HMM=False):
        at += len(w)
        out.add(at)
    return frozenset(out)


def another_ending(said: str, forms: tuple[Form, ...]) -> bool:
    """A phrase said bare that ends like an institution this department's name is not (科技|大学)."""
    ends = [e for e in names.load().endings if said.endswith(e)]
    return any(not any(e in f.text for f in forms) for e in ends)


def starts_with_ending(rest: str) -> bool:
    """What follows begins with an ending as a word of its own (大学今年…; not 政府采购)."""
    words = jieba.lcut(rest[:8], HMM=False)
    return bool(words) and words[0] in names.load().naming_endings


def unit_after(text: str, end: int, places: list[str]) -> str:
    """A unit named right after a department (公安局|治安支队): what an institution does and an ending."""
    data = names.load()
    unit = next(iter(naming_phrases(text[end:end + 7])), "")
    if not unit or not text.startswith(unit, end) or any(w in unit for w in places):
        return ""
    if unit in data.ending_forms or any(c in data.function for c in unit):
        return ""  # 广州统计局下面的普查中心: a unit of the bureau, said as such
    words = names.cut(unit)
    return unit if len(words) >= 2 and all(w in data.lexicon for w in words) else ""


def goes_on(text: str, j: int, n: int) -> bool:
    """A one-character ending that is inside a word (委托, 办公, 所有, 局长): not an ending."""
    return n == 1 and j < len(text) and j not in boundaries(text)


def place_ending_at(text: str, p: int, held: dict[str, list[str]]) -> str:
    """A place (the store's or the gazetteer's, by last character) said right before position p, longest
    first."""
    if not p:
        return ""
    for w in held.get(text[p - 1], ()):
        if text.endswith(w, 0, p):
            return w
    return next((w for w in gazetteer_by_last().get(text[p - 1], ()) if text.endswith(w, 0, p)), "")


@cache
def gazetteer_names() -> tuple[str, ...]:
    return tuple(sorted(gazetteer.load().codes, key=longest_first))


@cache
def gazetteer_by_last() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for w in gazetteer_names():
        out.setdefault(w[-1], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


@cache
def naming_endings() -> tuple[str, ...]:
    return tuple(sorted(names.load().naming_endings, key=longest_first))


def naming_phrases(text: str) -> list[str]:
    """Phrases that name an institution: a run of characters ending with a naming ending that is not the
    start of a longer word (北京市委|办公厅 goes on to 办公厅), each starting where the last one ended."""
    out: list[str] = []
    begin = 0
    for j in range(1, len(text) + 1):
        end = next((e for e in naming_endings() if text.endswith(e, 0, j)), "")
        if not end or goes_on(text, j, len(end)):
            continue
        i = j - len(end)
        while i > begin and _CJK.match(text[i - 1]) and j - i < 15:
            i -= 1
        if i < j - len(end):
            out.append(text[i:j])
            begin = j
    return out


def ends_with_word(core: str) -> bool:
    """教育局, 统计局: the words before the ending are a lexicon word, so the phrase names a kind of body."""
    data = names.load()
    body = next((core[: -len(e)] for e in naming_endings() if core.endswith(e)), core)
    return any(body.endswith(w) and len(w) >= 2 for w in data.lexicon if w not in data.generic)
