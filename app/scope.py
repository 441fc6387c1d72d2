"""Which documents a question is about: department (Chinese, English or pinyin), year, kind, level.

A department named in the question that no stored document matches is a
refusal, never a silent fall-back to the documents that are there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin

from app.understand import Query
from ingest.glossary import Glossary
from ingest.model import Document
from ingest.numbers import to_halfwidth

_ZH_INSTITUTION = re.compile(
    r"([\u4e00-\u9fff]{1,12}?(?:局|委员会|办公室|中心|街道办事处|街道|人民政府|医院|学校|法院|检察院|管委会))"
)
_EN_INSTITUTION = re.compile(
    r"\b((?:[a-z]+ ){1,4})(bureau|commission|department|office|ministry|committee|agency|subdistrict|administration)\b",
    re.I,
)
_DETERMINERS = {"the", "this", "that", "a", "an", "its", "each", "which", "whose", "your", "our", "their", "of",
                "budget", "unit", "department", "final", "accounts"}
_EN_STOP = {"how", "many", "much", "does", "do", "did", "is", "are", "was", "what", "which", "who", "have", "has",
            "for", "in", "on", "at", "to", "by", "from", "and", "or", "with", "about", "spend", "spends", "budget",
            "total", "housing", "health", "this", "year", "per", "s", "i", "you", "we", "they", "it"}
_GENERIC_INSTITUTIONS = {"局", "委员会", "办公室", "中心", "人民政府", "街道办事处"}
_SELF = ("本局", "该局", "这个局", "本部门", "本单位", "该部门", "该单位")


@dataclass
class Scope:
    documents: list[Document]
    named: bool = False  # the question itself named the department
    unknown: str = ""  # a department named in the question that the store does not hold
    notes: list[str] = field(default_factory=list)


def _zh_aliases(doc: Document, glossary: Glossary) -> list[str]:
    name = doc.department
    aliases = {name}
    region = doc.region
    if region and name.startswith(region):
        aliases.add(name[len(region):])
    for m in re.finditer(r"(省|市|区|县|州)", name):
        tail = name[m.end():]
        if len(tail) >= 3:
            aliases.add(tail)
    for term in glossary.terms("institution"):
        if term.zh in name and term.zh not in _GENERIC_INSTITUTIONS:
            aliases.update(s for s in term.synonyms_zh if len(s) >= 3)
    return sorted(aliases, key=len, reverse=True)


def _en_keys(doc: Document, glossary: Glossary) -> tuple[set[str], set[str]]:
    """(specific institution phrases, place words) that name this department in English."""
    specific: set[str] = set()
    places: set[str] = set()
    for m in glossary.find(doc.department):
        t = m.term
        if t.kind == "institution" and t.zh not in _GENERIC_INSTITUTIONS:
            specific.update([t.en.lower(), *t.synonyms_en])
        elif t.kind == "place":
            places.update([t.en.lower(), *t.synonyms_en])
    for m in re.finditer(r"([\u4e00-\u9fff]{2,4}?)(省|市|区|县|街道)", doc.department):
        places.add("".join(lazy_pinyin(m.group(1))))
    return specific, places


class ScopeResolver:
    def __init__(self, documents: list[Document], glossary: Glossary):
        self.glossary = glossary
        self.documents = documents
        self.aliases = {d.id: _zh_aliases(d, glossary) for d in documents}
        self.en_keys = {d.id: _en_keys(d, glossary) for d in documents}

    def _named_zh(self, text: str) -> list[Document]:
        """Every document whose department the text names; a shorter alias inside a longer match does not count."""
        best: dict[str, str] = {}
        for d in self.documents:
            for alias in self.aliases[d.id]:
                if alias in text and len(alias) > len(best.get(d.id, "")):
                    best[d.id] = alias
        keep = {i for i, a in best.items() if not any(a != b and a in b for b in best.values())}
        return [d for d in self.documents if d.id in keep]

    def _named_en(self, text: str) -> list[Document]:
        low = text.lower()
        found = []
        for d in self.documents:
            specific, places = self.en_keys[d.id]
            s = 2 * any(re.search(rf"\b{re.escape(k)}\b", low) for k in specific)
            s += any(re.search(rf"\b{re.escape(k)}\b", low) for k in places)
            if s >= 2:
                found.append(d)
        return found

    def _unknown(self, q: Query) -> str:
        text = q.norm
        for m in _ZH_INSTITUTION.finditer(text):
            phrase = m.group(1)
            if phrase.startswith(_SELF) or phrase in _GENERIC_INSTITUTIONS or len(phrase) < 3:
                continue
            if not any(phrase in a or a in phrase for aliases in self.aliases.values() for a in aliases):
                return phrase
        if q.lang == "en":
            for m in _EN_INSTITUTION.finditer(text):
                words: list[str] = []
                for w in reversed(m.group(1).lower().split()):
                    if w in _DETERMINERS or w in _EN_STOP:
                        break
                    words.insert(0, w)
                if not words:
                    continue
                phrase = " ".join(words + [m.group(2).lower()])
                core = [w for w in words if not any(w in k for _, pl in self.en_keys.values() for k in pl)
                        and w not in ("county", "district", "city", "province")]
                known = not core or any(any(w in k for k in spec for w in core) for spec, _ in self.en_keys.values())
                if not known:
                    return phrase
        return ""

    def resolve(self, q: Query, restrict: list[str] | None = None) -> Scope:
        docs = self.documents
        if restrict:
            wanted = set(restrict)
            docs = [d for d in docs if d.id in wanted or d.source_key in wanted or d.id[:8] in wanted]
        unknown = self._unknown(q)
        named = self._named_zh(to_halfwidth(q.norm)) if q.lang == "zh" or re.search(r"[\u4e00-\u9fff]", q.norm) else []
        named = named or self._named_en(q.norm)
        named_ids = {d.id for d in named}
        if named:
            docs = [d for d in docs if d.id in named_ids]
        elif unknown:
            return Scope([], named=True, unknown=unknown)
        if q.kinds:
            kinded = [d for d in docs if d.kind in q.kinds]
            if not kinded and docs:  # "final accounts" asked, only budgets held: never answer from a budget
                who = "、".join(sorted({d.department for d in docs}))
                return Scope([], named=True, unknown=f"{who} {'/'.join(q.kinds)}")
            docs = kinded
        return Scope(docs, named=bool(named))
