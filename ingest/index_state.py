"""The index's sync state, kept as tables inside the ledger (not a file beside the index).

Several app servers sharing one Chroma server and one ledger then agree on
what is indexed. Rows are keyed by ``target`` (the Chroma location and
collection prefix), so an embedded index and a server index of the same
ledger are tracked apart. Also here: the passage → embedding-key map, so a
passage text that repeats across documents is stored and embedded once.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import sys
from collections.abc import Iterable

from ingest.model import Document, Passage

SCHEMA = """
CREATE TABLE IF NOT EXISTS index_documents (
  target TEXT, document_id TEXT, stamp TEXT, PRIMARY KEY (target, document_id));
CREATE TABLE IF NOT EXISTS index_records (
  target TEXT, collection TEXT, key TEXT, PRIMARY KEY (target, collection, key));
CREATE TABLE IF NOT EXISTS index_passage_keys (
  passage_id TEXT PRIMARY KEY, document_id TEXT, key TEXT, section TEXT, text TEXT);
CREATE INDEX IF NOT EXISTS index_passage_keys_doc ON index_passage_keys(document_id);
CREATE INDEX IF NOT EXISTS index_passage_keys_key ON index_passage_keys(key);
"""

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MAX_CHARS = 1000


def passage_text(doc: Document, p: Passage) -> str:
    """What is embedded for a passage: section and text, numbers and the department's own name masked.

    MiniLM reads neither figures nor which department is meant (the ledger's
    scope does that), so masking them loses no recall, and a templated passage
    that 1,000 departments print with their own figures becomes one text.
    """
    text = f"{p.section} {p.text}"
    if doc.department:
        text = text.replace(doc.department, "本部门")
    return _NUMBER.sub("#", text)[:_MAX_CHARS]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class IndexState:
    """Read and write the index_* tables of one ledger connection for one target."""

    def __init__(self, conn: sqlite3.Connection, target: str, create: bool = True):
        self.conn = conn
        self.target = target
        self._cache: dict[tuple[str, str], frozenset[str]] = {}  # (labels|passages, document id) → texts
        if create:  # not on a read-only snapshot, whose tables the writer made
            conn.executescript(SCHEMA)

    def stamps(self) -> dict[str, str]:
        rows = self.conn.execute("SELECT document_id, stamp FROM index_documents WHERE target = ?",
                                 (self.target,))
        return dict(rows.fetchall())

    def records(self, collection: str) -> set[str]:
        rows = self.conn.execute("SELECT key FROM index_records WHERE target = ? AND collection = ?",
                                 (self.target, collection))
        return {r[0] for r in rows}

    def map_passages(self, doc_ids: list[str], rows: Iterable[tuple[str, str, str, str, str]]) -> None:
        """Replace the documents' (passage id, document id, key, section, text) rows."""
        with self.conn:
            self.conn.executemany("DELETE FROM index_passage_keys WHERE document_id = ?",
                                  [(d,) for d in doc_ids])
            self.conn.executemany("INSERT OR REPLACE INTO index_passage_keys VALUES (?, ?, ?, ?, ?)", rows)

    def forget_missing_passages(self) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM index_passage_keys "
                              "WHERE document_id NOT IN (SELECT id FROM documents)")

    def wanted_labels(self) -> set[str]:
        """Every stored label, except those of documents the index skipped as over a limit."""
        return {r[0] for r in self.conn.execute(
            "SELECT DISTINCT label FROM facts WHERE label != '' AND document_id NOT IN "
            "(SELECT document_id FROM index_documents WHERE target = ? AND stamp LIKE 'skipped:%')",
            (self.target,))}

    def wanted_passages(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, text FROM index_passage_keys GROUP BY key").fetchall())

    def mark_records(self, collection: str, added: Iterable[str], dropped: Iterable[str]) -> None:
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO index_records VALUES (?, ?, ?)",
                                  [(self.target, collection, k) for k in added])
            self.conn.executemany("DELETE FROM index_records WHERE target = ? AND collection = ? AND key = ?",
                                  [(self.target, collection, k) for k in dropped])

    def mark_documents(self, added: dict[str, str], removed: Iterable[str]) -> None:
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO index_documents VALUES (?, ?, ?)",
                                  [(self.target, d, s) for d, s in added.items()])
            self.conn.executemany("DELETE FROM index_documents WHERE target = ? AND document_id = ?",
                                  [(self.target, d) for d in removed])

    def reset(self) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM index_documents WHERE target = ?", (self.target,))
            self.conn.execute("DELETE FROM index_records WHERE target = ?", (self.target,))

    def scoped_labels(self, doc_ids: list[str]) -> set[str]:
        return self._per_document("labels", "SELECT DISTINCT document_id, label FROM facts "
                                  "WHERE label != '' AND document_id IN ({})", doc_ids)

    def passages_for(self, keys: list[str], doc_ids: list[str] | None) -> dict[str, list[str]]:
        """Passage ids holding each key, in document order; only in ``doc_ids`` when given."""
        out: dict[str, list[str]] = {k: [] for k in keys}
        sql = f"SELECT key, passage_id FROM index_passage_keys WHERE key IN ({','.join('?' * len(keys))})"
        params: list[str] = list(keys)
        if doc_ids is not None:
            sql += f" AND document_id IN ({','.join('?' * len(doc_ids))})"
            params += doc_ids
        for key, pid in self.conn.execute(sql + " ORDER BY document_id, passage_id", params):
            out[key].append(pid)
        return out

    def scoped_passage_keys(self, doc_ids: list[str]) -> set[str]:
        return self._per_document("passages", "SELECT DISTINCT document_id, key FROM index_passage_keys "
                                  "WHERE document_id IN ({})", doc_ids)

    def _per_document(self, what: str, sql: str, doc_ids: list[str]) -> set[str]:
        """The union of each document's texts; a document's set is read once (ids are content hashes)."""
        missing = [d for d in dict.fromkeys(doc_ids) if (what, d) not in self._cache]
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            found: dict[str, set[str]] = {d: set() for d in chunk}
            for doc_id, text in self.conn.execute(sql.format(",".join("?" * len(chunk))), chunk):
                found[doc_id].add(sys.intern(text))
            self._cache.update({(what, d): frozenset(texts) for d, texts in found.items()})
        out: set[str] = set()
        for d in doc_ids:
            out |= self._cache[(what, d)]
        return out

    def forget_cached(self) -> None:
        self._cache.clear()
