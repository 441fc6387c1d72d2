"""An answer resting on a disclosure the store holds in two differing issues names both, and the figures
where they differ.

Why: staff may keep a corrected re-issue beside the first one (ingest without --replace). An answer that
quietly used one of them would give 48.66 while the other prints 58.66; here every answer citing either
issue says that two issues are held, names both files and shows the differing figures (the cited cells
first), citing the other issue's cells too. Which pairs are issues of one disclosure is decided by
ingest.reissue, once per view.
"""

from __future__ import annotations

from itertools import combinations

from app.pipeline.answer import Citation
from app.pipeline.factview import FactView, disclosure_key
from app.pipeline.result import Column, Item, Phrase, Result, say
from ingest.model import Document
from ingest.reissue import Comparison, Difference, compare

SHOWN = 3  # differing figures named when none of the cited cells differs

Issues = dict[str, list[tuple[Document, Comparison]]]


def _find(view: FactView) -> Issues:
    """Each document's other issues that differ in at least one figure."""
    groups: dict[tuple, list[Document]] = {}
    for d in view.documents:
        if d.department:
            groups.setdefault(disclosure_key(d), []).append(d)
    out: Issues = {}
    for docs in groups.values():
        for a, b in combinations(docs, 2):
            found = compare(view.facts_of(a.id), view.facts_of(b.id))
            if found.reissue and found.differences:
                out.setdefault(a.id, []).append((b, found))
                out.setdefault(b.id, []).append((a, found.flipped()))
    return out


def issues(view: FactView) -> Issues:
    return view.derived("issues", lambda: _find(view))  # type: ignore[return-value]


def _figure(d: Difference, doc: Document, other: Document) -> Phrase:
    def value(v):  # type: ignore[no-untyped-def]
        return say("reissue.blank") if v is None else v
    return say("reissue.figure", item=Item(d.first_fact.label), column=Column(d.column), file=doc.source_key,
               first=value(d.first), other_file=other.source_key, second=value(d.second), unit=d.unit)


def note(result: Result, view: FactView) -> Result:
    """The result with a note per cited document held in another, differing issue."""
    if not result.citations:
        return result
    known = issues(view)
    if not known:
        return result
    phrases: list[Phrase] = []
    cites: list[Citation] = []
    done: set[frozenset[str]] = set()
    for doc_id in dict.fromkeys(c.document_id for c in result.citations):
        for other, found in known.get(doc_id, []):
            if frozenset((doc_id, other.id)) in done:
                continue
            done.add(frozenset((doc_id, other.id)))
            doc = view.by_id[doc_id]
            cited = {(c.table, c.row, c.column) for c in result.citations if c.document_id == doc_id}
            shown = [d for d in found.differences if (d.table_id, d.row, d.column) in cited]
            shown = shown or list(found.differences[:SHOWN])
            phrases.append(say("reissue.differ", doc=doc, file=doc.source_key, other_file=other.source_key,
                               count=len(found.differences),
                               figures=tuple(_figure(d, doc, other) for d in shown)))
            cites += [Citation.of(d.second_fact, other) for d in shown]
    return result.plus(*phrases, citations=tuple(cites)) if phrases else result
