"""Which documents a question is about: department (Chinese, English or pinyin), year, kind, level.

A department named in the question that no stored document matches is a
refusal, never a silent fall-back to the documents that are there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app import vocabulary
from app.departments import Catalog
from app.understand import Query
from ingest.glossary import Glossary
from ingest.model import Document
from ingest.numbers import to_halfwidth


@dataclass
class Scope:
    documents: list[Document]
    named: bool = False  # the question itself named the department
    unknown: str = ""  # a department named in the question that the store does not hold
    notes: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # words that named the department


class ScopeResolver:
    """Scope resolution: the documents a question is about, from the departments the store holds."""

    def __init__(self, documents: list[Document], glossary: Glossary, catalog: Catalog | None = None):
        self.glossary = glossary
        self.documents = documents
        self.catalog = catalog or Catalog(documents)

    def resolve(self, q: Query, restrict: list[str] | None = None) -> Scope:
        docs = self.documents
        if restrict:
            wanted = set(restrict)
            docs = [d for d in docs if d.id in wanted or d.source_key in wanted or d.id[:8] in wanted]
        linked = self.catalog.link(to_halfwidth(q.norm))
        if linked.unknown:
            return Scope([], named=True, unknown=linked.unknown)
        named_ids = {d.id for d in linked.documents}
        if named_ids:
            docs = [d for d in docs if d.id in named_ids]
        if q.kinds:
            kinded = [d for d in docs if d.kind in q.kinds]
            if not kinded and docs:  # "final accounts" asked, only budgets held: never answer from a budget
                who = "、".join(sorted({d.department for d in docs}))
                return Scope([], named=True, unknown=f"{who} {'/'.join(q.kinds)}")
            docs = kinded
        elif vocabulary.load().whole_department.search(q.norm) and len({d.kind for d in docs}) > 1:
            docs = [d for d in docs if d.kind in ("部门预算", "部门决算")] or docs  # 整个部门 is the 部门预算
        return Scope(docs, named=bool(named_ids), spans=linked.spans)
