"""Bilingual glossary of 《政府收支分类科目》 subjects, budget measures, institutions and places.

Why: questions arrive in English or Chinese ("how much goes to housing?", "住房保障支出是多少"), while
tables print Chinese labels with codes. One glossary, loaded from corpus/glossary.tsv, lets question
understanding, retrieval and answer rendering agree on which subject is meant and how to gloss it.

Ambiguity rules (documented because several subjects share a surface):
- a Chinese name shared by several codes (行政运行, 一般行政管理事务, 信息化建设, 住房公积金 …) resolves to the
  first term in file order; the data lists 功能分类 codes first and in code order, so 行政运行 resolves to
  2010101 (kind function, level 项) and 住房公积金 to 2210201. `candidates()` returns every term for a name.
- canonical names win over synonyms (住房公积金 is canonical for 2210201, so a synonym elsewhere never shadows it).
- `find` ignores one-character Chinese surfaces (局) because they occur inside ordinary words; `by_zh`
  and `english` still resolve them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ingest.labels import normalise_label
from ingest.numbers import to_halfwidth

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "corpus" / "glossary.tsv"
KINDS = ("function", "economic", "measure", "institution", "place")
_DROP = set(" \t\r\n\u3000\u00a0“”\"‘’'「」『』")
_HAS_LATIN = re.compile(r"[A-Za-z]")
_CATEGORY_MARK = re.compile(r"[(（]\s*[类款项]\s*[)）]")  # 社会保障和就业（类）支出 reads as 社会保障和就业支出


@dataclass(frozen=True)
class Term:
    kind: str  # function | economic | measure | institution | place
    code: str | None  # "221", "22102", "2210201", "30113" …
    zh: str  # canonical Chinese name, normalised with normalise_label
    en: str  # official English name
    synonyms_zh: tuple[str, ...]
    synonyms_en: tuple[str, ...]  # lower-case
    pays_for_parent: str | None  # canonical zh of the subject that pays for this item, if any
    level: str | None  # 类 | 款 | 项 for function codes (类 | 款 for economic codes)


@dataclass(frozen=True)
class Match:
    term: Term
    start: int
    end: int
    surface: str


def _fold(text: str) -> tuple[str, list[int]]:
    """Fold width, bracket form, quotes, spaces and (类) marks; return folded text and folded→original
    offsets."""
    half = to_halfwidth(text)
    marks = {i for m in _CATEGORY_MARK.finditer(half) for i in range(m.start(), m.end())}
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(half):
        if ch in _DROP or i in marks:
            continue
        ch = {"(": "（", ")": "）"}.get(ch, ch)
        out.append(ch.lower())
        pos.append(i)
    return "".join(out), pos


def _fold_key(text: str) -> str:
    return _fold(text)[0]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in (cell or "").split("|") if s.strip())


_SPENDING_WORD = re.compile(r"\s+(expenditures?|spending|expenses)$", re.I)


def _spending_stems(t: Term) -> tuple[str, ...]:
    """"urban and rural community expenditure" is also asked as "urban and rural community spending": the name
    without its last spending word, when two or more words remain (one word alone is too loose)."""
    stems = (_SPENDING_WORD.sub("", n) for n in (t.en, *t.synonyms_en) if n and _SPENDING_WORD.search(n))
    return tuple(x for x in stems if len(x.split()) >= 2)


# Between two words: spaces or hyphens, after an optional non-CJK aside in brackets. The aside's class is
# matched case-sensitively ((?-i:…)): no character folds into or out of it, so the match is the same, but
# compiled under re.I it cost ~8 ms per glossary row (46% of a cold start when every row was compiled).
# A possessive or article between two words is no other word ("running and maintaining its official cars"),
# and an aside may be the term's Chinese ("government fund (政府性基金) appropriation").
_EN_GAP = r"(?:\s*\((?-i:[^()]){1,30}\))?[\s\-]+(?:(?-i:its|their|the|our) )?"


@cache
def _en_pattern(surface: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive, flexible spacing, optional plural; an English aside between the words
    is part of the match ("basic (day-to-day) spending" is basic spending)."""
    words = [re.escape(w) for w in surface.split()]
    plural = r"(?:e?s)?"
    if re.search(r"[^aeiou]y$", words[-1]):  # subsidy → subsidies
        words[-1], plural = words[-1][:-1], r"(?:y|ies)"
    elif words[-1].endswith("ies"):  # subsidies → subsidy
        words[-1], plural = words[-1][:-3], r"(?:y|ies)"
    elif re.search(r"[^s]s$", words[-1]):  # expenses → expense
        words[-1] = words[-1][:-1]
    return re.compile(r"(?<![0-9A-Za-z])" + _EN_GAP.join(words) + plural + r"(?![0-9A-Za-z])", re.I)


def _read_terms(path: Path) -> list[Term]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    lei = {r["code"]: normalise_label(r["zh"]) for r in rows
           if r["kind"] == "function" and len(r["code"]) == 3}
    terms = []
    for r in rows:
        if r["kind"] not in KINDS:
            raise ValueError(f"{path}: unknown kind {r['kind']!r} for {r['zh']!r}")
        code = r["code"].strip() or None
        pays = r["pays_for"].strip() or None
        if pays is None and r["kind"] == "function" and code and len(code) > 3:
            pays = lei.get(code[:3])  # a 款/项 is paid for by its 类
        terms.append(
            Term(
                kind=r["kind"],
                code=code,
                zh=normalise_label(r["zh"]),
                en=r["en"].strip(),
                synonyms_zh=tuple(normalise_label(s) for s in _split(r["synonyms_zh"])),
                synonyms_en=tuple(s.lower() for s in _split(r["synonyms_en"])),
                pays_for_parent=normalise_label(pays) if pays else None,
                level=r["level"].strip() or None,
            )
        )
    return terms


class Glossary:
    """Lookups by code, Chinese or English name, and longest-first term spotting in free text."""

    def __init__(self, terms: list[Term]):
        self._terms = list(terms)
        self._by_code = {}
        for t in self._terms:
            if t.code:
                self._by_code.setdefault(t.code, t)
        self._zh: dict[str, list[Term]] = {}
        self._en: dict[str, list[Term]] = {}
        for names in (lambda t: (t.zh,), lambda t: t.synonyms_zh):  # canonical names before synonyms
            for t in self._terms:
                for n in names(t):
                    _add(self._zh, _fold_key(n), t)
        for names in (lambda t: (t.en,), lambda t: t.synonyms_en, _spending_stems):
            for t in self._terms:
                for n in names(t):
                    _add(self._en, " ".join(n.lower().split()), t)
        self._zh_find = sorted((s for s in self._zh if len(s) >= 2), key=len, reverse=True)
        # each surface's pattern is compiled the first time a text holds its first word (then cached)
        self._en_find = [(s, s.split()[0]) for s in sorted(self._en, key=len, reverse=True)]

    @classmethod
    def load(cls, path: Path | None = None) -> Glossary:
        """Load the TSV; cached per path so every caller shares one instance."""
        return _load_cached(str(Path(path or DEFAULT_PATH).resolve()))

    def compile_all(self) -> None:
        """Compile every English pattern now (~1-2 s): a server does it before its first visitor, a
        one-question process never (it compiles the few its question needs)."""
        for s, _ in self._en_find:
            _en_pattern(s)

    def terms(self, kind: str | None = None) -> list[Term]:
        return [t for t in self._terms if kind is None or t.kind == kind]

    def by_code(self, code: str) -> Term | None:
        """"2210201", "221 02 01" and "221-02-01" all resolve."""
        return self._by_code.get(re.sub(r"[\s\-.]", "", to_halfwidth(code or "")))

    def candidates(self, name: str) -> list[Term]:
        """Every term whose canonical name or synonym is `name` (canonical-name owners first)."""
        return list(self._zh.get(_fold_key(normalise_label(name)), []))

    def by_zh(self, name: str) -> Term | None:
        """First term named `name` after normalise_label; see the module note on shared names."""
        found = self.candidates(name)
        return found[0] if found else None

    def by_en(self, name: str) -> Term | None:
        found = self._en.get(" ".join((name or "").lower().split()), [])
        return found[0] if found else None

    def find(self, text: str) -> list[Match]:
        """Non-overlapping longest-first matches of Chinese and English names/synonyms, in text order."""
        if not text:
            return []
        cands: list[tuple[int, int, Term]] = []
        folded, pos = _fold(text)
        for s in self._zh_find:
            i = folded.find(s)
            while i >= 0:
                cands.append((pos[i], pos[i + len(s) - 1] + 1, self._zh[s][0]))
                i = folded.find(s, i + 1)
        if _HAS_LATIN.search(text):
            lower = text.lower()
            for s, first in self._en_find:
                if first in lower:
                    term = self._en[s][0]
                    cands.extend((m.start(), m.end(), term) for m in _en_pattern(s).finditer(text))
        taken = [False] * len(text)
        chosen: list[Match] = []
        for start, end, term in sorted(cands, key=lambda c: (c[0] - c[1], c[0])):
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            chosen.append(Match(term, start, end, text[start:end]))
        return sorted(chosen, key=lambda m: m.start)

    def english(self, zh_label: str) -> str:
        """English gloss for a Chinese row label: exact term, else the known terms inside it joined."""
        label = normalise_label(zh_label)
        exact = self.by_zh(label)
        if exact is not None:
            return exact.en
        column = re.fullmatch(r"(.+?)[（(]([^（）()]+)[）)]", label)  # 基本支出（合计）: a total row read by column
        if column and self.english(column.group(1)):
            inner = self.english(column.group(2))
            return f"{self.english(column.group(1))} ({inner})" if inner else self.english(column.group(1))
        parts = [m for m in self.find(label) if not _HAS_LATIN.search(m.surface)]
        covered = sum(m.end - m.start for m in parts)
        if covered < 0.7 * len(re.findall(r"[\u4e00-\u9fff]", label)):
            return ""  # a few known words inside a long label would gloss it wrongly: the Chinese says it
        return " ".join(m.term.en for m in parts)


def _add(index: dict[str, list[Term]], key: str, term: Term) -> None:
    bucket = index.setdefault(key, [])
    if term not in bucket:
        bucket.append(term)


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Glossary:
    return Glossary(_read_terms(Path(path)))
