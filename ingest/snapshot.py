"""Publish an immutable snapshot of the ledger for serving replicas (the datasette model).

Staff ingest on one writer; ``publish`` syncs the writer's index into the shared
Chroma server, then copies the ledger (and the embedding cache) with SQLite's
backup API, so the copy is one consistent transaction even while the writer
works. Replicas serve the copy read-only (``immutable=1``, never a -wal file,
never a lock) and query the Chroma server's collections named in the marker.
"""

from __future__ import annotations

import json
import sqlite3
import stat
import time
from pathlib import Path
from urllib.parse import quote

from ingest.embeddings import CACHE_FILE
from ingest.ledger import Ledger, writable
from ingest.settings import settings

MARKER = "SNAPSHOT.json"  # its presence makes a store read-only, for root too (file modes do not stop root)
COPIED = ("ledger.sqlite", CACHE_FILE)


def is_snapshot(store: Path) -> bool:
    return (Path(store) / MARKER).is_file()


def dense_available(store: Path) -> bool:
    """A writable store keeps its own index; a read-only one (a snapshot) only reaches a Chroma server."""

    return writable(Path(store)) or bool(settings().chroma_url)


def marker(store: Path) -> dict:
    """What publish recorded: source, time, Chroma prefix and target; {} for a store that is no snapshot."""
    try:
        return json.loads((Path(store) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _backup(src: Path, dest: Path) -> None:
    """A consistent single-file copy (no WAL), whatever the writer is doing meanwhile."""
    source = sqlite3.connect(f"file:{quote(str(src.resolve()))}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()


def publish(store: Path, dest: Path, url: str | None = None,  # type: ignore[no-untyped-def]
            progress=None) -> dict:
    """Sync the index (into the Chroma server at ``url``, if any), then write the read-only copy at dest."""
    from ingest.embeddings import Embedder
    from ingest.index import Index

    store, dest = Path(store), Path(dest)
    if not (store / "ledger.sqlite").is_file():
        raise FileNotFoundError("the store holds no ledger")
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError("the snapshot folder exists and is not empty; publish to a new folder")
    url = url or settings().chroma_url
    info: dict = {"source": str(store.resolve()), "published_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    if url:
        ledger = Ledger(store)
        index = Index(store, Embedder(store / CACHE_FILE), url=url)
        info["sync"] = index.sync(ledger, progress)
        info["chroma_prefix"], info["chroma_target"] = index.prefix, index.state.target
        index.state.conn.close()
        ledger.close()
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        if (store / name).is_file():
            _backup(store / name, dest / name)
    db = sqlite3.connect(f"file:{quote(str((dest / 'ledger.sqlite').resolve()))}?mode=ro", uri=True)
    info["documents"] = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    db.close()
    (dest / MARKER).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    read_only = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
    for f in dest.iterdir():
        f.chmod(read_only)
    dest.chmod(read_only | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return info
