"""The index works against a Chroma server (BUDGETQA_CHROMA_URL) as well as the embedded client."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ingest.embeddings import Embedder
from ingest.index import Index
from ingest.ledger import Ledger
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_url(tmp_path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the Chroma server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_index_syncs_and_searches_on_a_chroma_server(tmp_path, chroma_url):
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
    assert other.prefix != index.prefix and other.passages.count() == 0  # a second store keeps its own collections
    # a second app server on the same ledger and Chroma server reads the sync state from the ledger
    server_b = Index(store, Embedder(store / "embeddings.sqlite"), url=chroma_url)
    assert server_b.sync(ledger) == {"added": 0, "removed": 0}
    assert "住房保障支出" in [lab for lab, _ in server_b.search_labels("housing security expenditure", None, k=3)]
