"""Which documents a question is about: department (Chinese, English or pinyin), year, kind, level.

A department named in the question that no stored document matches is a
refusal, never a silent fall-back to the documents that are there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.lang import vocabulary
from app.lang.departments import Catalog, Linked
from app.lang.label_match import UNIT_NAME, UNIT_PHRASE, named_units, names_label
from app.pipeline.factview import disclosure_key
from app.pipeline.understand import Query
from ingest.glossary import Glossary
from ingest.labels import longest_first
from ingest.model import Document
from ingest.numbers import to_halfwidth


@dataclass
class Scope:
    documents: list[Document]
    named: bool = False  # the question itself named the department
    unknown: str = ""  # a department named in the question that the store does not hold
    notes: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # words that named the department
    siblings: list[Document] = field(default_factory=list)  # unit budgets standing beside their 部门预算
    named_spans: list[tuple[int, int]] = field(default_factory=list)  # of those, the departments' names alone

    def names_several(self, text: str) -> bool:
        """The question means several departments: it names them apart ("广州和深圳的民政局") or says so
        ("各区民政局"); one name several departments bear ("市民政局") is not several, it is ambiguous."""
        regions: list[tuple[int, int]] = []
        for a, b in sorted(self.named_spans):
            if regions and a < regions[-1][1]:
                regions[-1] = (regions[-1][0], max(b, regions[-1][1]))
            else:
                regions.append((a, b))
        return len(regions) >= 2 or bool(vocabulary.load().several_departments.search(text))


_MAX_UNIT_SCAN = 50  # without a place named, look for a unit in this many documents at most


class ScopeResolver:
    """Scope resolution: the documents a question is about, from the departments the store holds."""

    def __init__(self, documents: list[Document], glossary: Glossary, catalog: Catalog | None = None,
                 labels_of: Callable[[str], set[str]] | None = None,
                 tabled_labels: Callable[[], list[tuple[str, str]]] | None = None):
        self.glossary = glossary
        self.documents = documents
        self.catalog = catalog or Catalog(documents)
        self.labels_of = labels_of  # a document's row labels, to tell its own units from departments not held
        self.tabled_labels = tabled_labels  # every (row label, document) of the store, for units named bare
        self._units: dict[str, set[str]] | None = None

    def resolve(self, q: Query, restrict: list[str] | None = None) -> Scope:
        docs = self.documents
        if restrict:
            wanted = set(restrict)
            docs = [d for d in docs if d.id in wanted or d.source_key in wanted or d.id[:8] in wanted]
        linked = self.catalog.link(to_halfwidth(q.norm))
        if linked.unknown:
            linked = self._under_parent(linked, to_halfwidth(q.norm))
        if linked.unknown:
            holding = self._holding_unit(linked.unknown, q.norm, docs)
            if not holding:
                return Scope([], named=True, unknown=linked.unknown)
            places = [w for w in self.catalog.all_places if w in q.norm and re.search(r"[\u4e00-\u9fff]", w)]
            linked = Linked(holding, spans=[(q.norm.find(w), q.norm.find(w) + len(w)) for w in places])
        named_ids = {d.id for d in linked.documents}
        if not named_ids:  # "西郊监狱的三公经费…": no department named, but a unit only one disclosure lists
            named_ids = {d.id for d in self._listing_units(q.norm, docs)}
        if named_ids:
            docs = [d for d in docs if d.id in named_ids]
        if q.kinds:
            kinded = [d for d in docs if d.kind in q.kinds]
            if not kinded and docs:  # "final accounts" asked, only budgets held: never answer from a budget
                who = "、".join(sorted({d.department for d in docs}))
                return Scope([], named=True, unknown=f"{who} {'/'.join(q.kinds)}")
            docs = _holding_every_kind(kinded, q.kinds)
            return Scope(docs, named=bool(named_ids), spans=linked.spans, named_spans=linked.spans)
        level = list(vocabulary.load().own_unit.finditer(_outside(q.norm, linked.spans)))
        if level:
            _, own = department_first(docs)  # only a unit budget standing beside its own 部门预算
            if own:  # 本级 / "the bureau's own office": its own 单位预算, not the department with its units
                return Scope(own, named=bool(named_ids), spans=linked.spans + [m.span() for m in level],
                             named_spans=linked.spans)
        docs, siblings = department_first(docs)
        whole = [m.span() for m in vocabulary.load().whole_department.finditer(q.norm)]
        if whole:
            siblings = []  # 整个部门 asked for in so many words: no aside about the unit budget
        return Scope(docs, named=bool(named_ids), spans=linked.spans + whole, siblings=siblings,
                     named_spans=linked.spans)

    def _listing_units(self, text: str, docs: list[Document]) -> list[Document]:
        """The one disclosure whose tables list the units the question names, if exactly one does: the
        phrases are matched once against every unit row of the store (a store of 1,000 disclosures too)."""
        if self.tabled_labels is None or not UNIT_PHRASE.search(text):
            return []
        listed = self.unit_rows()
        named = {lab for _, _, labels in named_units(text, list(listed)) for lab in labels}
        wanted = {d.id for d in docs}
        holders = [d for d in self.documents if d.id in wanted and any(d.id in listed[lab] for lab in named)]
        return holders if len({disclosure_key(d) for d in holders}) == 1 else []

    def unit_rows(self) -> dict[str, set[str]]:
        """Every row label naming an institution, with the documents printing it (one query per ledger
        generation: the resolver is rebuilt with the view)."""
        if self._units is None:
            units: dict[str, set[str]] = {}
            for lab, doc_id in self.tabled_labels() if self.tabled_labels else ():
                if UNIT_NAME.search(lab):
                    units.setdefault(lab, set()).add(doc_id)
            self._units = units
        return self._units

    def _holding_unit(self, phrase: str, text: str, docs: list[Document]) -> list[Document]:
        """The documents that list the named institution as one of their own units (无锡社保中心 is a row of the
        无锡市人力资源和社会保障局 budget, not a department the store lacks); [] when none does."""
        if self.labels_of is None:
            return []
        places = {w for w in self.catalog.all_places if w in text and re.search(r"[\u4e00-\u9fff]", w)}
        core = phrase
        for w in sorted(places, key=longest_first):
            core = core.replace(w, "")
        names = self.catalog.names
        candidates = [d for d in docs if d.department in names and places & names[d.department].place_words] \
            if places else \
            (docs if len(docs) <= _MAX_UNIT_SCAN else [])
        return [d for d in candidates
                if self._lists_units(d, _unit_parts(core, d.department, names[d.department].place_words
                                                    if d.department in names else places))]

    def _under_parent(self, linked: Linked, text: str) -> Linked:
        """"上海市公安局刑科院": a unit budget said after its parent department, which the store does not hold
        itself (the unit's document names its parent): the unit, the parent's words consumed with it."""
        parent = next((d.parent for d in self.documents if d.parent and linked.unknown in d.parent), "")
        at = text.find(linked.unknown)
        if not parent or at < 0:
            return linked
        place = max((w for w in self.catalog.all_places if parent.startswith(w)), key=len, default="")
        shift = len(linked.unknown) - len(place)
        again = self.catalog.link(text[:at] + place + text[at + len(linked.unknown):])
        units = [d for d in again.documents if d.parent == parent]
        if again.unknown or not units or len(units) != len(again.documents):
            return linked
        end = max(b for _, b in again.spans) + shift if again.spans else at + len(linked.unknown)
        return Linked(units, spans=[(at, max(end, at + len(linked.unknown)))])

    def _lists_units(self, d: Document, parts: list[str]) -> bool:
        return bool(parts) and all(any(UNIT_NAME.search(lab) and names_label(p, lab)
                                       for lab in self.labels_of(d.id)) for p in parts)


def _unit_parts(core: str, department: str, places: Iterable[str]) -> list[str]:
    """The units a phrase names, after its department's own name ("广州民政局殡葬服务中心": 殡葬服务中心 of
    广州市民政局); 住房保障办和照明中心 names two."""
    own = department
    for w in sorted(places, key=longest_first):
        own = own.replace(w, "")
    if own and core.startswith(own) and len(core) - len(own) >= 2:
        core = core[len(own):]
    return [p for p in re.split(r"[和与及、,，]", core) if len(p) >= 2]


def _holding_every_kind(docs: list[Document], kinds: list[str]) -> list[Document]:
    """"部门预算比单位预算多多少": of the departments named, those that publish every kind asked (Putuo's
    justice bureau, not Beijing's that publishes no 单位预算); all of them when none does."""
    if len(set(kinds)) < 2:
        return docs
    held: dict[str, set[str]] = {}
    for d in docs:
        held.setdefault(d.department, set()).add(d.kind)
    both = [d for d in docs if set(kinds) <= held[d.department]]
    return both or docs


def department_first(docs: list[Document]) -> tuple[list[Document], list[Document]]:
    """A department's 部门预算 answers for it; its own 单位预算 of the same year stands beside it, never added.

    Unqualified, "无锡教育局的X" means the department with its subordinate units (the 部门预算); the unit
    budget (本级) is returned apart so an answer can mention its figure and cite it.
    """
    whole = {(d.department, d.year, d.kind.replace("部门", "单位")) for d in docs if d.kind in ("部门预算", "部门决算")}
    siblings = [d for d in docs if (d.department, d.year, d.kind) in whole]
    return [d for d in docs if d not in siblings], siblings


def _outside(text: str, spans: list[tuple[int, int]]) -> str:
    """The question without the words that named the department ((本级) in a name is not a level word)."""
    chars = list(text)
    for a, b in spans:
        chars[a:b] = [" "] * (b - a)
    return "".join(chars)
