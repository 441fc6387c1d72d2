"""How a question was read, shown under its answer, and the permalink that asks the same thing again.

Why: a follow-up ("那去年呢？") or a chosen scope changes what a question means. The page shows the
reading the engine answered (`Answer.reading`: department, year, document, item, operation) whenever
earlier questions or a scope shaped it, so a person can see why a question got the answer it got, and
offers the standalone reading as a new question. The permalink carries that standalone reading (and the
scope), so a link opened fresh answers what the page showed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from app.pipeline.answer import Answer
from app.web.text import OPERATION_WORDS, READING_FIELDS

Names = Callable[[str], str]  # a Chinese name → its English name ("" when none)


@dataclass(frozen=True)
class Reading:
    fields: tuple[tuple[str, str], ...]  # (what, as read) in the page language
    standalone: str  # the question as it was answered, on its own
    href: str  # the permalink of the standalone question


def permalink(question: str, scope: list[str] | tuple[str, ...] | None = None) -> str:
    """The app-relative address that asks `question` again (within `scope`) when opened."""
    link = "?q=" + quote(question, safe="")
    return link + ("&scope=" + quote(",".join(scope), safe=",") if scope else "")


def standalone(answer: Answer) -> str:
    """The question as the engine answered it: a follow-up's reading, else the question itself."""
    return (answer.read_as or answer.question or "").strip()


def _listed(value: object) -> list[str]:
    """A reading field as a list of strings (the engine gives lists; a lone value is one)."""
    if value is None or value == "" or value == []:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [str(v) for v in items if str(v).strip()]


def used_history(answer: Answer) -> bool:
    reading = answer.reading or {}
    return bool(reading.get("used_history")) or bool(answer.read_as)


def _in_english(values: list[str], english: Names) -> list[str]:
    out = []
    for v in values:
        en = english(v) if re.search(r"[\u4e00-\u9fff]", v) else ""
        out.append(f"{en} ({v})" if en and en != v else v)
    return out


def fields(answer: Answer, lang: str, scope_names: list[str], english_department: Names,
           english_item: Names) -> tuple[tuple[str, str], ...]:
    """The reading's fields worded for the page; missing fields are left out."""
    reading = answer.reading or {}
    en = lang == "en"
    sep = ", " if en else "、"
    found: dict[str, list[str]] = {
        "department": _listed(reading.get("department")),
        "year": _listed(reading.get("year")),
        "document": _listed(reading.get("document")),
        "item": _listed(reading.get("item")),
    }
    if en:
        found["department"] = _in_english(found["department"], english_department)
        found["item"] = _in_english(found["item"], english_item)
    op = str(reading.get("operation") or "")
    if op:
        zh_word, en_word = OPERATION_WORDS.get(op, (op, op))
        found["operation"] = [en_word if en else zh_word]
    found["scope"] = scope_names
    out = []
    for key, values in found.items():
        if values:
            zh_label, en_label = READING_FIELDS[key]
            out.append((en_label if en else zh_label, sep.join(values[:6])))
    return tuple(out)


def reading_of(answer: Answer, lang: str, scope_ids: list[str], scope_names: list[str],
               english_department: Names, english_item: Names) -> Reading | None:
    """The reading to show under `answer`, or None when neither history nor a scope shaped it."""
    if not (used_history(answer) or scope_ids):
        return None
    alone = standalone(answer)
    shown = fields(answer, lang, scope_names, english_department, english_item)
    return Reading(shown, alone, permalink(alone, scope_ids))
