"""Hybrid retrieval: glossary exact names, jieba+BM25 (SQLite FTS5) and dense MiniLM (Chroma), fused by rank.

Retrieval only proposes labels and passages; figures always come from the
ledger's facts for those labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.index import Index, dense_indexes
from ingest.ledger import Ledger

RRF_K = 60


@dataclass
class Candidates:
    labels: list[tuple[str, float]] = field(default_factory=list)  # fused, best first
    bm25: list[tuple[str, float]] = field(default_factory=list)
    dense: list[tuple[str, float]] = field(default_factory=list)

    def debug(self) -> dict:
        return {"fused": self.labels[:10], "bm25": self.bm25[:10], "dense": self.dense[:10]}


def rrf(*rankings: list[tuple[str, float]],
        weights: tuple[float, ...] | None = None) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: robust to the different score scales of BM25 and cosine."""
    scores: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        w = weights[i] if weights else 1.0
        for rank, (key, _) in enumerate(ranking):
            scores[key] = scores.get(key, 0.0) + w / (RRF_K + rank + 1)
    return sorted(scores.items(), key=lambda kv: -kv[1])


class Retriever:
    """``dense_labels`` / ``dense_passages`` switch each dense index off (``python -m evals.index_value``
    measures what each one changes in the eval's answers)."""

    def __init__(self, ledger: Ledger, index: Index | None, dense_labels: bool | None = None,
                 dense_passages: bool | None = None):
        kinds = dense_indexes()  # by default the indexes the store builds (BUDGETQA_DENSE_INDEXES)
        self.ledger = ledger
        self.index = index
        self.dense_labels = "labels" in kinds if dense_labels is None else dense_labels
        self.dense_passages = "passages" in kinds if dense_passages is None else dense_passages

    def labels(self, text: str, doc_ids: list[str] | None, k: int = 10, dense: bool = True) -> Candidates:
        c = Candidates()
        c.bm25 = self.ledger.search_labels(text, doc_ids, k)
        if dense and self.dense_labels and self.index is not None:
            c.dense = self.index.search_labels(text, doc_ids, k)
        c.labels = rrf(c.bm25, c.dense)[:k]
        return c

    def passages(self, text: str, doc_ids: list[str] | None, k: int = 5,
                 dense: bool = True) -> list[tuple[str, float]]:
        bm25 = self.ledger.search_passages(text, doc_ids, k * 2)
        use = dense and self.dense_passages and self.index is not None
        vec = self.index.search_passages(text, doc_ids, k * 2) if use else []
        return rrf(bm25, vec, weights=(1.0, 0.5))[:k]
