"""Question understanding: language, years, document kind, operation, unit asked for, glossary terms.

Pure: text in, Query out. The words it matches are data (app/lang/vocabulary.toml, via
app.lang.vocabulary); which documents and facts the terms point to is decided later, against the store
(app.pipeline.scope, app.engine).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.lang.vocabulary import Vocabulary, load
from ingest.glossary import Glossary, Match
from ingest.numbers import parse_number, to_halfwidth

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Query:
    text: str
    norm: str
    lang: str
    years: list[int] = field(default_factory=list)
    relative: int | None = None  # years from the newest document: 0 this year, -1 last year, +1 next year
    kind: str = ""
    kinds: list[str] = field(default_factory=list)  # every document kind the question names
    operation: str = "lookup"
    target_unit: str = ""
    terms: list[Match] = field(default_factory=list)  # subject/measure terms, in question order
    places: list[Match] = field(default_factory=list)
    institutions: list[Match] = field(default_factory=list)
    presumed_direction: int | None = None  # +1 / -1 when the question presumes a rise / fall ("减少了多少")
    as_of: date | None = None  # "截至2024年8月底": the point in time a stock figure is asked at
    amounts: list[Decimal] = field(default_factory=list)  # amounts the question quotes, in 元 ("那1800万元")

    @property
    def zh(self) -> bool:
        return self.lang == "zh"


# Scripts of languages the service does not read: kana, hangul, Cyrillic, Arabic, Devanagari, Thai …
_OTHER_SCRIPT = re.compile(r"[\u3040-\u30ff\uac00-\ud7af\u1100-\u11ff\u0400-\u04ff\u0600-\u06ff"
                           r"\u0900-\u097f\u0e00-\u0e7f\u0590-\u05ff]")


def detect_language(text: str) -> str:
    """zh, en, or other (a script the service does not read: the question is answered in English)."""
    if len(_OTHER_SCRIPT.findall(text)) >= 2:
        return "other"
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk and cjk * 3 >= latin else ("zh" if cjk and not latin else "en" if latin else "zh")


def detect_operation(text: str, vocab: Vocabulary | None = None) -> str:
    v = vocab or load()
    if v.definition.search(text) and not v.money_words.search(text):
        return "describe"  # "What is project expenditure (项目支出)?" asks for the definition
    for rule in v.operations:
        if rule.pattern.search(text):
            if rule.name == "describe" and v.figure_words.search(text):
                continue  # "用于…的支出是多少" asks for a figure
            return rule.name
    return "lookup"


def detect_unit(text: str, vocab: Vocabulary | None = None) -> str:
    for rule in (vocab or load()).unit_asks:
        if rule.pattern.search(text):
            return rule.name
    return ""


def numeral_years(text: str, vocab: Vocabulary | None = None) -> str:
    """二〇二五年 → 2025年, so every later step sees one way of writing a year."""
    v = vocab or load()
    return v.numeral_year.sub(lambda m: "".join(str(v.numerals[c]) for c in m.group(1)), text)


def detect_relative(text: str, vocab: Vocabulary | None = None) -> int | None:
    """The year offset a word like 去年 / "the year before last" names; None when the question names none."""
    v = vocab or load()
    carried = bool(v.carry_over.search(text))
    for rel in v.relative:
        if rel.offset < 0 and carried:
            continue  # 上年结转 is a column of this year's budget
        if rel.pattern.search(text):
            return rel.offset
    return None


def detect_direction(text: str, vocab: Vocabulary | None = None) -> int | None:
    """+1 / -1 when the wording presumes a rise / fall; None when it asks which way or names no direction."""
    v = vocab or load()
    if v.either.search(text):
        return None
    up, down = bool(v.up.search(text)), bool(v.down.search(text))
    return 1 if up and not down else -1 if down and not up else None


def detect_date(text: str, vocab: Vocabulary | None = None) -> date | None:
    """"截至2024年8月底" → 2024-08-31: a month without a day means its last day, a year alone its last day."""
    v = vocab or load()
    for pattern in v.dates:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        year = int(groups["y"])
        month_text = (groups.get("m") or "12").strip().lower()
        month = int(month_text) if month_text.isdigit() else v.months.get(month_text)
        if month is None or not 1 <= month <= 12:
            continue
        day_text = (groups.get("d") or "").strip(" ,")
        last = calendar.monthrange(year, month)[1]
        day = int(day_text) if day_text else last
        if 1 <= day <= last:
            return date(year, month, day)
    return None


def detect_amounts(text: str, vocab: Vocabulary | None = None) -> list[Decimal]:
    """"那1800万元" → 18000000; "the 72 million yuan" → 72000000 (in 元)."""
    v = vocab or load()
    out = []
    for m in v.amount.finditer(text):
        value = parse_number(m.group("num"))
        unit = (m.group("zh") or m.group("scale") or "").lower()
        if value is not None:
            out.append(value * v.amount_factors.get(unit, Decimal(1)))
    return out


def detect_kinds(text: str, vocab: Vocabulary | None = None) -> tuple[str, list[str]]:
    """The document kind the question asks about first, and every kind it names."""
    v = vocab or load()
    kind = next((r.name for r in v.kind_en if r.pattern.search(text)), "")
    m = v.kind_zh.search(text)
    if m and not kind:
        kind = v.kind_short.get(m.group(1), m.group(1))
    kinds = [r.name for r in v.kind_en if r.pattern.search(text)]
    for found in v.kind_zh.findall(text):
        k = v.kind_short.get(found, found)
        if k and k not in kinds:
            kinds.append(k)
    return kind, kinds


def understand(question: str, glossary: Glossary | None = None,
               vocabulary: Vocabulary | None = None) -> Query:
    glossary = glossary or Glossary.load()
    v = vocabulary or load()
    norm = numeral_years(to_halfwidth(question).strip(), v)
    q = Query(text=question, norm=norm, lang=detect_language(norm))
    q.years = [int(y) for y in v.year.findall(norm)]
    q.relative = detect_relative(norm, v)
    q.kind, q.kinds = detect_kinds(norm, v)
    q.operation = detect_operation(norm, v)
    q.target_unit = detect_unit(norm, v)
    q.presumed_direction = detect_direction(norm, v)
    q.as_of = detect_date(norm, v)
    q.amounts = detect_amounts(norm, v)
    for match in glossary.find(norm):
        if match.term.kind == "place":
            q.places.append(match)
        elif match.term.kind == "institution":
            q.institutions.append(match)
        elif match.term.zh in ("部门预算", "单位预算", "部门决算"):
            continue
        else:
            q.terms.append(match)
    return q
