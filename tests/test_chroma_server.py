"""The index works against a Chroma server (BUDGETQA_CHROMA_URL) as well as the embedded client.

The server is the `chroma_url` fixture in conftest.py."""

from __future__ import annotations

from pathlib import Path

from ingest.embeddings import Embedder
from ingest.index import Index
from ingest.ledger import Ledger
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent


def test_index_syncs_and_searches_on_a_chroma_server(tmp_path, chroma_url, monkeypatch):
    monkeypatch.setenv("BUDGETQA_DENSE_INDEXES", "labels,passages")  # the passage index is opt-in
    store = tmp_path / "store"
    ingest([ROOT / "corpus"], store, index=False)
    ledger = Ledger(store)
    index = Index(store, Embedder(store / "embeddings.sqlite"), url=chroma_url)
    assert index.sync(ledger) == {"added": 1, "removed": 0}
    assert 0 < index.passages.count() <= len(ledger.passages())  # one record per distinct masked text
    labels = [lab for lab, _ in index.search_labels("housing security expenditure", None, k=3)]
    assert "住房保障支出" in labels
    assert index.sync(ledger) == {"added": 0, "removed": 0}
    other = Index(tmp_path / "other", Embedder(store / "embeddings.sqlite"), url=chroma_url)
    # a second store keeps its own collections
    assert other.prefix != index.prefix and other.passages.count() == 0
    # a second app server on the same ledger and Chroma server reads the sync state from the ledger
    server_b = Index(store, Embedder(store / "embeddings.sqlite"), url=chroma_url)
    assert server_b.sync(ledger) == {"added": 0, "removed": 0}
    assert "住房保障支出" in [lab for lab, _ in server_b.search_labels("housing security expenditure", None, k=3)]
