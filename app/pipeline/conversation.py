"""Follow-ups: a question read against the earlier turns of its conversation.

Pure: the question and the earlier questions in, one standalone question out. "那去年呢？" after
"杭州气象局2026年总支出是多少？" becomes "杭州气象局总支出是多少 去年"; "what about health?" keeps
the earlier department and operation and swaps the item. The rewrite is returned so the answer
(and --debug) can show how the follow-up was read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.lang import vocabulary
from app.lang.departments import Catalog
from app.pipeline.understand import Query


@dataclass(frozen=True)
class Reading:
    """How a question was read: the standalone text and which earlier turn it leaned on."""

    text: str
    follow_up: bool = False
    based_on: str = ""
    lang: str = ""  # the follow-up's own language, when it differs from the question it leans on




def _core(text: str) -> str:
    prev, filler = None, vocabulary.load().follow_filler
    while prev != text:
        prev, text = text, filler.sub("", text).strip()
    return text


def _items(text: str, read: Callable[[str], Query], catalog: Catalog) -> list:
    """The glossary terms of a question that name items, not its department (江苏省高级人民法院 is no 法院 item)."""
    spans = catalog.link(text).spans
    items = [m for m in read(text).terms if not any(a <= m.start < b for a, b in spans)]
    if items and spans and items[0].start < min(a for a, _ in spans) < items[-1].end:
        items = [m for m in items if m.end <= min(a for a, _ in spans)]  # never swap out the department
    return items


def _department_phrase(text: str, catalog: Catalog) -> str:
    spans = catalog.link(text).spans
    if not spans:
        return ""
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    return text[start:end]


def _compared(text: str, start: int) -> bool:
    """上年 in 比上年 / 较上年 / 与上年相比 is the earlier question's comparison, not a year to carry over."""
    return bool(re.search(r"(比|较|与|than|with|to)\s*$", text[max(0, start - 6):start], re.I))


@dataclass(frozen=True)
class Own:
    """What a question says for itself; a follow-up inherits only what it lacks."""

    department: bool  # it names a department (or a place that picks departments)
    across: bool  # it asks across departments or documents (哪个部门 / which document): none is inherited
    item: bool  # it names an item of its own
    unknown: bool  # it names a department the store does not hold


def own_fields(question: str, catalog: Catalog, read: Callable[[str], Query]) -> Own:
    linked = catalog.link(question)
    q = read(question)
    which_figure = vocabulary.load().which_figure  # [columns]: "last year's actual figure" names no item
    item = bool([m for m in q.terms if not any(a <= m.start < b for a, b in linked.spans)
                 and m.term.zh not in which_figure])
    across = bool(vocabulary.load().department_words.search(q.norm))
    return Own(bool(linked.documents), across, item, bool(linked.unknown))


def contextualise(question: str, history: list[str], catalog: Catalog,
                  read: Callable[[str], Query]) -> Reading:
    """The question as it would have to be asked on its own, given the earlier questions.

    Meaning is merged, not text: a question naming its own department and item, or asking across
    departments about an item of its own, is read alone; otherwise it inherits only the fields it lacks
    (department, year, document kind, item) from the earlier question."""
    history = [h for h in (history or []) if h and h.strip()]
    if not history:
        return Reading(question)
    own = own_fields(question, catalog, read)
    if own.unknown or (own.item and (own.department or own.across)):
        return Reading(question)
    base = contextualise(history[-1], history[:-1], catalog, read).text
    if own.across:  # "哪个部门最多？" after an item question: that item, across departments
        return _across(question, base, catalog, read)
    return _inherit(question, base, catalog, read, own)


def _across(question: str, base: str, catalog: Catalog, read: Callable[[str], Query]) -> Reading:
    items = _items(base, read, catalog)
    if not items:
        return Reading(question)
    about = " ".join(m.surface for m in items)
    lang = read(question).lang if read(base).lang != read(question).lang else ""
    return Reading(f"{about} {_core(question)}".strip(), True, base, lang)


def _whole_of_part(question: str, core: str, q: Query, items: list,
                   vocab: vocabulary.Vocabulary) -> str:
    """"其中因公出国（境）费用占多大比例？" after a question about 三公经费: the share is of the earlier item."""
    at = vocab.follow_share_whole_at.search(core)
    if q.operation != "share" or not items or at is None or not vocab.follow_of_which.search(question):
        return core
    whole = " ".join(m.surface for m in items)
    return core[:at.start()] + whole + core[at.start():]


def _inherit(question: str, base: str, catalog: Catalog, read: Callable[[str], Query], own: Own) -> Reading:
    linked = catalog.link(question)
    q = read(question)
    has_subject = own.item
    vocab = vocabulary.load()
    _TIME, _KIND, _PRONOUN = vocab.follow_time, vocab.follow_kind, vocab.follow_pronoun
    named = _department_phrase(base, catalog)
    core = _core(question)
    lang = q.lang if read(base).lang != q.lang else ""
    if linked.documents:  # "and the finance bureau?": the earlier question about another department
        place = [w for w in catalog.all_places if w in named and re.search(r"[\u4e00-\u9fff]", w)]
        if place and not any(w in question for w in catalog.all_places):  # "杭州公安…" then "那交警支队呢？":
            core = max(place, key=len) + core  # the earlier place carries over (Hangzhou's, not another's)
        return Reading(base.replace(named, core, 1) if named else f"{core} {base}", True, base, lang)
    dept = named
    if not any(not _compared(core, m.start()) for m in _TIME.finditer(core)):  # "比上年…" names no year
        # the earlier question's year and document kind carry over
        carried = [m.group(0) for m in _TIME.finditer(base) if not _compared(base, m.start())]
        dept = " ".join([dept, *carried]).strip()
    if not _KIND.search(core):
        dept = " ".join([dept, *(m.group(0) for m in _KIND.finditer(base))]).strip()
    if has_subject:
        elliptical = q.operation == "lookup" and not re.search(r"(多少|几|\bhow\b|\bwhat is\b|\bwhat's\b)",
                                                               core, re.I)
        items = _items(base, read, catalog)
        if elliptical and items and not lang:  # "其中公务接待费呢？": the earlier question with this item
            start, end = items[0].start, items[-1].end
            return Reading(base[:start] + core + base[end:], True, base)
        core = _whole_of_part(question, core, q, _items(base, read, catalog), vocab)
        return Reading(f"{dept} {core}".strip() if dept and dept not in core else core, True, base, lang)
    item = re.fullmatch(r"(.{2,20}?)(?:方面|这块|这一项)?(?:的钱|的经费|的支出|的费用)?", core)
    items = _items(base, read, catalog)
    if (item and items and not _TIME.search(core) and not _KIND.search(core)
            and re.search(r"呢\s*[？?]?\s*$", question)):
        start, end = items[0].start, items[-1].end  # "其中公车方面的钱呢？": the earlier question, this item
        return Reading(base[:start] + item.group(1) + base[end:], True, base)
    if items and (vocab.figure_words.search(core) or re.search(r"\bwhat (was|is|were)\b", core, re.I)):
        # "And what was last year's actual figure for it?": its own question about the earlier item, not the
        # earlier question's operation with words added
        about = " ".join(m.surface for m in items)
        own = _PRONOUN.sub(" ", core).strip()
        return Reading(re.sub(r"\s+", " ", f"{dept} {about} {own}").strip(), True, base, lang)
    stripped = base
    if _TIME.search(core):
        stripped = _TIME.sub(" ", stripped)
    if _KIND.search(core):
        stripped = _KIND.sub(" ", stripped)
    stripped = re.sub(r"[？?。.!！\s]+$", "", stripped)
    extra = _PRONOUN.sub(" ", core).strip()
    return Reading(re.sub(r"\s+", " ", f"{stripped} {extra}").strip(), True, base, lang)
