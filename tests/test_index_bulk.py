"""Bulk indexing: a text shared by many documents is embedded and stored once; state lives in the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.generate import build, write
from ingest.embeddings import Embedder
from ingest.index import Index
from ingest.ledger import Ledger
from ingest.pipeline import ingest


@pytest.fixture(autouse=True)
def _both_indexes(monkeypatch) -> None:
    """The passage index is opt-in (BUDGETQA_DENSE_INDEXES); these tests cover it beside the labels."""
    monkeypatch.setenv("BUDGETQA_DENSE_INDEXES", "labels,passages")


def _spy(embedder: Embedder) -> list[str]:
    """Record every text the real model encodes (the model still runs)."""
    seen: list[str] = []
    model = embedder.model
    encode = model.encode

    def recording(texts, *args, **kwargs):
        seen.extend(texts)
        return encode(texts, *args, **kwargs)

    model.encode = recording
    return seen


def test_distinct_texts_are_embedded_once_across_the_batch(tmp_path: Path) -> None:
    write(build(8, seed=5), tmp_path)
    store = tmp_path / "store"
    ingest([tmp_path / "text"], store, index=False)
    ledger = Ledger(store)
    try:
        embedder = Embedder(store / "embeddings.sqlite")
        encoded = _spy(embedder)
        index = Index(store, embedder)
        assert index.sync(ledger) == {"added": 8, "removed": 0}

        docs = ledger.documents()
        labels_per_doc = [{f.label for f in ledger.facts(document_id=d.id) if f.label} for d in docs]
        distinct_labels = set().union(*labels_per_doc)
        assert sum(map(len, labels_per_doc)) > 4 * len(distinct_labels)  # the labels really are shared
        assert index.facts.count() == len(distinct_labels)
        assert len(encoded) == len(set(encoded)) == embedder.computed
        assert len(encoded) == index.facts.count() + index.passages.count()
        assert index.passages.count() < len(ledger.passages()) / 2  # templated passages collapse

        # a second app server on the same ledger sees the state in the ledger: nothing to do, nothing embedded
        other = Index(store, Embedder(store / "embeddings.sqlite"))
        assert other.sync(ledger) == {"added": 0, "removed": 0}
        assert not list(store.glob("index_state*"))
        assert len(encoded) == embedder.computed
    finally:
        ledger.close()


def test_scoped_search_and_removal(tmp_path: Path) -> None:
    write(build(4, seed=2), tmp_path)
    store = tmp_path / "store"
    ingest([tmp_path / "text"], store)
    ledger = Ledger(store)
    try:
        index = Index(store, Embedder(store / "embeddings.sqlite"))
        first, *rest = ledger.documents()
        hits = index.search_passages("住房公积金", [first.id], k=5)
        assert len(hits) == 5
        assert {p.document_id for p in ledger.passages(ids=[pid for pid, _ in hits])} == {first.id}
        wide = index.search_passages("住房公积金", None, k=12)
        assert len({p.document_id for p in ledger.passages(ids=[pid for pid, _ in wide])}) > 1
        labels = dict(index.search_labels("housing security", [first.id]))
        assert "住房保障支出" in labels
        own = {f.label for f in ledger.facts(document_id=first.id)}
        assert set(labels) <= own

        ledger.remove(first.id)
        assert index.sync(ledger) == {"added": 0, "removed": 1}
        assert index.search_passages("住房公积金", [first.id]) == []
        remaining = {p.id for p in ledger.passages()}
        assert {pid for pid, _ in index.search_passages("住房公积金", None, k=20)} <= remaining
    finally:
        ledger.close()


def test_an_index_from_before_the_ledger_state_is_replaced(tmp_path: Path) -> None:
    write(build(2, seed=4), tmp_path)
    store = tmp_path / "store"
    ingest([tmp_path / "text"], store, index=False)
    ledger = Ledger(store)
    try:
        index = Index(store, Embedder(store / "embeddings.sqlite"))
        index.passages.add(ids=["old-per-document-record"], embeddings=[[0.1] * 384],
                           metadatas=[{"document_id": "x", "section": "s"}])  # the old layout: no "key"
        (store / "index_state.json").write_text("{}")
        assert index.sync(ledger) == {"added": 2, "removed": 0}
        assert not (store / "index_state.json").exists()
        assert index.passages.get(ids=["old-per-document-record"])["ids"] == []
        assert index.search_passages("住房公积金", None, k=3)
    finally:
        ledger.close()


def test_warm_loads_the_model_even_when_the_warm_up_text_is_cached(tmp_path: Path) -> None:
    first = Embedder(tmp_path / "embeddings.sqlite")
    first.embed(["warm up"])
    again = Embedder(tmp_path / "embeddings.sqlite")
    again.embed(["warm up"])
    assert again._model is None  # served from the cache: the model was never loaded
    again.warm()
    assert again._model is not None
