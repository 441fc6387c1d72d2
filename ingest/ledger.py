"""The ledger: SQLite, the system of record for documents, tables, facts and passages.

Every write is one transaction, so a refused or killed ingest leaves the
ledger exactly as it was. WAL mode lets the chat read while staff ingest.
The full-text tables hold jieba tokens so SQLite's bm25() ranks Chinese text.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from ingest import template
from ingest.model import Document, Fact, ParsedDocument, Passage, TableRecord
from ingest.reissue import Comparison, compare, content_key, same_disclosure
from ingest.tokens import tokenize

READER_VERSION = "17"  # bump when readers or narrative extraction change what a file yields

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, source_key TEXT, path TEXT, sha256 TEXT UNIQUE, title TEXT, department TEXT,
  region TEXT, year INTEGER, kind TEXT, level TEXT, date TEXT, default_unit TEXT, default_unit_note TEXT,
  pages INTEGER, lines INTEGER, ingested_at REAL, warnings TEXT, reader_version TEXT, parent TEXT DEFAULT '',
  content_sha TEXT DEFAULT ''
);
CREATE TABLE IF NOT EXISTS tables (
  document_id TEXT, table_id TEXT, title TEXT, unit TEXT, unit_source TEXT, status TEXT, page INTEGER,
  line INTEGER, n_facts INTEGER, note TEXT, type TEXT DEFAULT '', fund TEXT DEFAULT '',
  PRIMARY KEY (document_id, table_id)
);
CREATE TABLE IF NOT EXISTS facts (
  id TEXT PRIMARY KEY, document_id TEXT, department TEXT, year INTEGER, doc_kind TEXT, table_id TEXT,
  table_title TEXT, side TEXT, row_label TEXT, label TEXT, code TEXT, column TEXT, value TEXT, unit TEXT,
  is_total INTEGER, from_narrative INTEGER, page INTEGER, line INTEGER, source_text TEXT, measure TEXT,
  ref_year INTEGER, compared_with TEXT, row_index INTEGER, col_index INTEGER, table_type TEXT DEFAULT '',
  fund TEXT DEFAULT '', basis TEXT DEFAULT '', part TEXT DEFAULT '', entity TEXT DEFAULT '',
  part_of TEXT DEFAULT '', reason TEXT DEFAULT '', purpose TEXT DEFAULT ''
);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(document_id, table_id);
CREATE INDEX IF NOT EXISTS facts_label ON facts(label);
CREATE INDEX IF NOT EXISTS facts_code ON facts(code);
CREATE TABLE IF NOT EXISTS passages (
  id TEXT PRIMARY KEY, document_id TEXT, section TEXT, text TEXT, page INTEGER, line INTEGER
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(document_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passage_fts USING fts5(passage_id UNINDEXED, document_id UNINDEXED,\
 tokens);
CREATE VIRTUAL TABLE IF NOT EXISTS label_fts USING fts5(label UNINDEXED, document_id UNINDEXED, tokens);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""
# Columns added after a store was first made (additive: old rows read as ""); a writable store gains them on
# open, a read-only one reads "" in their place. The reader version makes the next ingest read files again.
ADDED_COLUMNS = {
    "documents": ("parent", "content_sha"),
    "tables": ("type", "fund"),
    "facts": ("table_type", "fund", "basis", "part", "entity", "part_of", "reason", "purpose"),
}

_FACT_FIELDS = [f.name for f in fields(Fact)]
_DOC_FIELDS = [f.name for f in fields(Document)]
_TABLE_FIELDS = [f.name for f in fields(TableRecord)]
_PASSAGE_FIELDS = [f.name for f in fields(Passage)]


# Facts are selected in Fact's order (a row becomes a Fact by position: Ledger._columns); a document's facts
# in reading order, rowid settling ties (the order SQLite gave them before it was written down).
_FACT_ORDER = " ORDER BY document_id, from_narrative, table_id, row_index, col_index, line, rowid"
_VALUE, _TOTAL, _NARRATIVE = (_FACT_FIELDS.index(k) for k in ("value", "is_total", "from_narrative"))
_CHUNK = 500  # document ids bound per query: under SQLite's variable limit (999 before 3.32)


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    ids = list(ids)
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


def _fact_row(f: Fact) -> tuple:
    d = asdict(f)
    d["value"] = None if f.value is None else str(f.value)
    d["is_total"] = int(f.is_total)
    d["from_narrative"] = int(f.from_narrative)
    return tuple(d[k] for k in _FACT_FIELDS)


def _fact_from(row: sqlite3.Row) -> Fact:
    """A Fact from a row of Ledger._fact_columns, by position (a third of the cost of going through a
    dict)."""
    v = list(row)
    v[_VALUE] = None if v[_VALUE] is None else Decimal(v[_VALUE])
    v[_TOTAL] = bool(v[_TOTAL])
    v[_NARRATIVE] = bool(v[_NARRATIVE])
    return Fact(*v)


def writable(store: Path) -> bool:
    """Whether the store (or the folder it will be made in) can be written; a published snapshot never is."""
    store = Path(store)
    if (store / "SNAPSHOT.json").is_file():  # ingest.snapshot.MARKER
        return False
    probe = store if store.exists() else next((p for p in store.parents if p.exists()), Path("."))
    ledger = store / "ledger.sqlite"
    return os.access(probe, os.W_OK) and (not ledger.exists() or os.access(ledger, os.W_OK))


def _where(path: str | None) -> str:
    """A stored path as an absolute location, so "corpus/x.txt" and "/repo/corpus/x.txt" are one file."""
    try:
        return str(Path(path or "").resolve())
    except (OSError, RuntimeError):
        return path or ""


def _issue_warning(stored: Document, found: Comparison, replaced: bool) -> str:
    """What staff read about a re-issue: which stored file, which figures differ, what happened."""
    name = f"{stored.source_key} (document {stored.id}; {stored.department}, {stored.year}, {stored.kind})"
    if replaced:
        return f"replaces the earlier issue {name}: {found.words()}"
    return (f"another issue of the stored {name}: {found.words()}; both are kept and every answer using "
            "either names both (ingest with --replace, or tick \"replace an earlier issue\" on the staff "
            "desk, to replace it)")


def fts_query(text: str) -> str:
    """An FTS5 OR-query of the text's jieba tokens, each quoted so user text cannot inject syntax."""
    toks = [t.replace('"', "") for t in tokenize(text)]
    return " OR ".join(f'"{t}"' for t in dict.fromkeys(toks) if t)


class Ledger:
    """Open a store directory's ledger; reads are cheap, each write is one transaction."""

    def __init__(self, store: Path, readonly: bool | None = None):
        self.store = Path(store)
        self.path = self.store / "ledger.sqlite"
        if readonly is None:
            readonly = not writable(self.store)
        self.readonly = readonly  # a store on read-only media still serves reads
        if not readonly:
            self.store.mkdir(parents=True, exist_ok=True)
        elif not self.path.is_file():
            raise FileNotFoundError("the store is read-only and holds no ledger")
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        if not readonly:
            self.conn.executescript(SCHEMA)
        self._fact_columns, self._doc_columns = self._columns()

    def _columns(self) -> tuple[str, str]:
        """The SELECT lists of facts and documents: an older store gains the added columns when it can be
        written, and reads "" for them when it cannot."""
        have = {t: {r[1] for r in self.conn.execute(f"PRAGMA table_info({t})")} for t in ADDED_COLUMNS}
        for table, columns in ADDED_COLUMNS.items():
            for col in columns:
                if col not in have[table] and not self.readonly:
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {col} TEXT DEFAULT ''")
                    have[table].add(col)

        def select(table: str, names: list[str]) -> str:
            return ",".join(f'"{k}"' if k in have[table] or k not in ADDED_COLUMNS[table]
                            else f"'' AS \"{k}\"" for k in names)
        return select("facts", _FACT_FIELDS), select("documents", _DOC_FIELDS)

    @property
    def conn(self) -> sqlite3.Connection:
        """One connection per thread: the web app answers on several threads; WAL lets them read at once."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.readonly:  # immutable: no -wal/-shm files are created, nothing is locked
                conn = sqlite3.connect(f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1",
                                       uri=True, isolation_level=None, check_same_thread=False)
            else:
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            if not self.readonly:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._all_lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.ProgrammingError:  # opened by another thread that has ended
                    pass
            self._all.clear()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. A full disk makes SQLite roll back by itself: the rollback here is only
        asked for while a transaction is still open, so the error the caller sees is the disk's, never
        "cannot rollback - no transaction is active"."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:  # the original error says what happened
                    pass
            raise

    # ---- writes -------------------------------------------------------
    def _delete_document(self, c: sqlite3.Connection, doc_id: str) -> None:
        for table in ("facts", "passages", "tables", "passage_fts", "label_fts"):
            c.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))
        c.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        c.execute("DELETE FROM meta WHERE key = ?", ("report:" + doc_id,))

    def _insert(self, c: sqlite3.Connection, parsed: ParsedDocument) -> None:
        doc = parsed.document
        row = asdict(doc) | {"ingested_at": time.time(),
                             "warnings": json.dumps(parsed.warnings, ensure_ascii=False),
                             "reader_version": READER_VERSION, "content_sha": content_key(parsed)}
        cols = _DOC_FIELDS + ["ingested_at", "warnings", "reader_version", "content_sha"]
        c.execute(f"INSERT INTO documents ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                  tuple(row[k] for k in cols))
        c.executemany(f"INSERT INTO tables ({','.join(_TABLE_FIELDS)}) "
                      f"VALUES ({','.join('?' * len(_TABLE_FIELDS))})",
                      [tuple(asdict(t)[k] for k in _TABLE_FIELDS) for t in parsed.tables])
        c.executemany(f"INSERT INTO facts ({','.join(_FACT_FIELDS)}) "
                      f"VALUES ({','.join('?' * len(_FACT_FIELDS))})",
                      [_fact_row(f) for f in parsed.facts])
        c.executemany(f"INSERT INTO passages VALUES ({','.join('?' * len(_PASSAGE_FIELDS))})",
                      [tuple(asdict(p)[k] for k in _PASSAGE_FIELDS) for p in parsed.passages])
        c.executemany("INSERT INTO passage_fts VALUES (?, ?, ?)",
                      [(p.id, doc.id, " ".join(tokenize(p.section + " " + p.text))) for p in parsed.passages])
        if parsed.report:  # the reader's reading report (tables listed vs found, figure coverage)
            c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                      ("report:" + doc.id, json.dumps(parsed.report, ensure_ascii=False)))
        labels = sorted({f.label for f in parsed.facts if f.label})
        c.executemany("INSERT INTO label_fts VALUES (?, ?, ?)",
                      [(lab, doc.id, " ".join(tokenize(lab))) for lab in labels])

    def _same_file(self, doc: Document) -> list[str]:
        """Ids of stored documents read from the same file: same folder and name, not just the same name."""
        here = _where(doc.path)
        rows = self.conn.execute("SELECT id, path FROM documents WHERE source_key = ?", (doc.source_key,))
        return [r[0] for r in rows if _where(r[1]) == here]

    def plan(self, parsed: ParsedDocument) -> tuple[str, list[str]]:
        """What storing this document would do: ("unchanged"|"duplicate"|"new"|"replace", ids it replaces).

        Identity is the file's location (two budget.txt in two folders are two documents); the same
        content under another name — the same bytes, or the same text in another encoding — is a duplicate
        of the stored document, not a second copy.
        """
        doc = parsed.document
        same = self.conn.execute("SELECT id, reader_version, path FROM documents WHERE sha256 = ?",
                                 (doc.sha256,)).fetchone()
        if same and same[1] == READER_VERSION:
            return ("unchanged" if _where(same[2]) == _where(doc.path) else "duplicate"), [same[0]]
        old = self._same_file(doc)
        if same:  # the same bytes read by an older reader: read again
            return "replace", list(dict.fromkeys([same[0], *old]))
        twin = self.conn.execute("SELECT id FROM documents WHERE content_sha = ? AND reader_version = ?",
                                 (content_key(parsed), READER_VERSION)).fetchone()
        if twin and twin[0] not in old:
            return "duplicate", [twin[0]]
        return ("replace" if old else "new"), old

    def issues_of(self, parsed: ParsedDocument, besides: list[str]) -> list[tuple[Document, Comparison]]:
        """Stored issues of the same disclosure (same department, year, kind, level, mostly the same table
        cells), other than the documents in ``besides``, each compared with this one."""
        doc = parsed.document
        if not doc.department:
            return []
        rows = self.conn.execute(f"SELECT {self._doc_columns} FROM documents WHERE department = ? "
                                 "AND year IS ? AND kind = ? AND level = ?",
                                 (doc.department, doc.year, doc.kind, doc.level))
        out = []
        for stored in (Document(**dict(r)) for r in rows):
            if stored.id in besides or stored.id == doc.id or not same_disclosure(stored, doc):
                continue
            found = compare(self.facts(document_id=stored.id), parsed.facts)
            if found.reissue:
                out.append((stored, found))
        return out

    def put(self, parsed_docs: Iterable[ParsedDocument], pause: float = 0.0,
            replace: bool = False) -> list[tuple[str, str]]:
        """Store documents in one transaction: all land or none. Returns (document id, action).

        A duplicate (same content as a stored document under another name) is not stored again; it gets
        a warning naming the stored copy. Another issue of a stored disclosure (a corrected re-issue) is
        kept beside it with a warning naming the differing figures, or with ``replace`` takes its place.
        ``pause`` (seconds after each insert) is a test seam for killing an ingest mid-write.
        """
        results: list[tuple[str, str]] = []
        with self.transaction() as c:
            for parsed in parsed_docs:
                action, old = self.plan(parsed)
                if action == "duplicate":
                    kept = self.document(old[0])
                    parsed.warnings.append("same content as the stored "
                                           f"{kept.source_key if kept else old[0]} "
                                           f"(document {old[0]}); not stored twice")
                    results.append((old[0], action))
                    continue
                if action != "unchanged":
                    for stored, found in self.issues_of(parsed, old):
                        parsed.warnings.append(_issue_warning(stored, found, replace))
                        if replace:
                            old.append(stored.id)
                            action = "replace"
                    for doc_id in old:
                        self._delete_document(c, doc_id)
                    self._insert(c, parsed)
                    if pause:
                        time.sleep(pause)
                results.append((parsed.document.id, action))
            if any(a not in ("unchanged", "duplicate") for _, a in results):
                gen = int(self.get_meta("generation") or 0) + 1
                c.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(gen),))
        return results

    def find(self, ref: str) -> list[Document]:
        """Documents a person means by ``ref``: id, id prefix, file name or path (several when ambiguous)."""
        docs = self.documents()
        exact = [d for d in docs if ref in (d.id, d.path, d.sha256)]
        if exact:
            return exact
        named = [d for d in docs if d.source_key == ref or _where(d.path) == _where(ref)]
        return named or [d for d in docs if len(ref) >= 4 and d.id.startswith(ref)]

    def remove(self, doc_id: str) -> None:
        """Delete one document and everything read from it, in one transaction."""
        with self.transaction() as c:
            self._delete_document(c, doc_id)
            gen = int(self.get_meta("generation") or 0) + 1
            c.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(gen),))

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # ---- reads --------------------------------------------------------
    def documents(self) -> list[Document]:
        rows = self.conn.execute(f"SELECT {self._doc_columns} FROM documents "
                                 "ORDER BY department, year, kind")
        return [Document(**dict(r)) for r in rows]

    def document(self, doc_id: str) -> Document | None:
        r = self.conn.execute(f"SELECT {self._doc_columns} FROM documents WHERE id = ?",
                              (doc_id,)).fetchone()
        return Document(**dict(r)) if r else None

    def warnings(self, doc_id: str) -> list[str]:
        r = self.conn.execute("SELECT warnings FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return json.loads(r[0]) if r and r[0] else []

    def report(self, doc_id: str) -> dict:
        """The reading report stored with a document ({} for readers that write none)."""
        raw = self.get_meta("report:" + doc_id)
        return json.loads(raw) if raw else {}

    def tables(self, doc_id: str | None = None) -> list[TableRecord]:
        q, args = "SELECT * FROM tables", ()
        if doc_id:
            q, args = q + " WHERE document_id = ?", (doc_id,)
        return [TableRecord(**dict(r))
                for r in self.conn.execute(q + " ORDER BY document_id, table_id", args)]

    def facts(self, document_id: str | None = None, table_id: str | None = None,
              labels: Iterable[str] | None = None, doc_ids: Iterable[str] | None = None) -> list[Fact]:
        where, args = [], []
        if document_id:
            where.append("document_id = ?")
            args.append(document_id)
        if doc_ids is not None:
            ids = list(doc_ids)
            where.append(f"document_id IN ({','.join('?' * len(ids))})")
            args.extend(ids)
        if table_id:
            where.append("table_id = ?")
            args.append(table_id)
        if labels is not None:
            labs = list(labels)
            where.append(f"label IN ({','.join('?' * len(labs))})")
            args.extend(labs)
        q = f"SELECT {self._fact_columns} FROM facts" + (" WHERE " + " AND ".join(where) if where else "")
        q += _FACT_ORDER
        return [_fact_from(r) for r in self.conn.execute(q, args)]

    # Reads over many documents. "+document_id" keeps SQLite on the label or code index (the document
    # list only filters), so the work follows the rows asked for, not how many documents there are.
    def facts_with_labels(self, labels: Iterable[str], doc_ids: Iterable[str]) -> list[Fact]:
        """The facts of these documents carrying one of these labels, through the label index."""
        labs = list(dict.fromkeys(labels))
        out: list[Fact] = []
        for ids in _chunks(doc_ids) if labs else ():
            q = (f"SELECT {self._fact_columns} FROM facts"
                 f" WHERE label IN ({_marks(labs)}) AND +document_id IN ({_marks(ids)})")
            out += [_fact_from(r) for r in self.conn.execute(q + _FACT_ORDER, (*labs, *ids))]
        return out

    def facts_with_code(self, code: str, doc_ids: Iterable[str]) -> list[Fact]:
        """The facts of these documents printing this classification code, through the code index."""
        out: list[Fact] = []
        for ids in _chunks(doc_ids):
            q = f"SELECT {self._fact_columns} FROM facts WHERE code = ? AND +document_id IN ({_marks(ids)})"
            out += [_fact_from(r) for r in self.conn.execute(q + _FACT_ORDER, (code, *ids))]
        return out

    def documents_with_label(self, label: str, doc_ids: Iterable[str]) -> set[tuple[str, str]]:
        """(document id, table title) of each place these documents print the label, by the label index."""
        out: set[tuple[str, str]] = set()
        for ids in _chunks(doc_ids):
            q = ("SELECT DISTINCT document_id, table_title FROM facts"
                 f" WHERE label = ? AND +document_id IN ({_marks(ids)})")
            out.update((r[0], r[1]) for r in self.conn.execute(q, (label, *ids)))
        return out

    def tabled_labels(self) -> list[tuple[str, str]]:
        """(label, document id) of every row label a table prints with a figure: one pass over the store."""
        q = ("SELECT DISTINCT label, document_id FROM facts"
             " WHERE table_id IS NOT NULL AND table_id <> '' AND value IS NOT NULL")
        return [(r[0], r[1]) for r in self.conn.execute(q)]

    def labels_present(self, labels: Iterable[str], doc_ids: Iterable[str], tabled: bool = False) -> set[str]:
        """Which of these labels the documents print (``tabled``: in a table, with a figure)."""
        labs = list(dict.fromkeys(labels))
        cond = " AND table_id IS NOT NULL AND table_id <> '' AND value IS NOT NULL" if tabled else ""
        out: set[str] = set()
        for ids in _chunks(doc_ids) if labs else ():
            q = (f"SELECT DISTINCT label FROM facts"
                 f" WHERE label IN ({_marks(labs)}) AND +document_id IN ({_marks(ids)})")
            out.update(r[0] for r in self.conn.execute(q + cond, (*labs, *ids)))
        return out

    def label_kinds(self, doc_ids: Iterable[str]) -> dict[str, set[str]]:
        """Every label of these documents, and those with a fact of each kind: one pass over their facts in
        SQLite, so the caller keeps a few hundred labels, not every fact. Kinds: "tabled" (in a table),
        "valued" (in a table, with a figure), "amount" (measure not "none"), "change" (a stated change),
        "printed" (not read from the narrative)."""
        names = ("tabled", "valued", "amount", "change", "printed")
        kinds: dict[str, set[str]] = {"": set(), **{k: set() for k in names}}
        for ids in _chunks(doc_ids):
            q = ("SELECT label, MAX(table_id IS NOT NULL AND table_id <> ''),"
                 " MAX(table_id IS NOT NULL AND table_id <> '' AND value IS NOT NULL),"
                 " MAX(measure IS NULL OR measure <> 'none'), MAX(measure IN ('change', 'change_pct')),"
                 " MAX(from_narrative IS NULL OR from_narrative = 0)"
                 f" FROM facts WHERE document_id IN ({_marks(ids)}) GROUP BY label")
            for label, *flags in self.conn.execute(q, ids):
                kinds[""].add(label)
                for kind, yes in zip(names, flags, strict=True):
                    if yes:
                        kinds[kind].add(label)
        return kinds

    def facts_where(self, where: str, args: Iterable, doc_ids: Iterable[str]) -> list[Fact]:
        """The facts of these documents meeting a condition (code's own SQL, values bound): a scan in SQLite,
        for the rare readings no index serves."""
        out: list[Fact] = []
        for ids in _chunks(doc_ids):
            q = f"SELECT {self._fact_columns} FROM facts WHERE document_id IN ({_marks(ids)}) AND ({where})"
            out += [_fact_from(r) for r in self.conn.execute(q + _FACT_ORDER, (*ids, *args))]
        return out

    def absent_tables(self, doc_ids: Iterable[str], named_in: str | None = None) -> list[TableRecord]:
        """Tables these documents list but do not print; with ``named_in``, only those the text could name
        (its title in the text, or any when the text says 表)."""
        cond, args = "", ()
        if named_in is not None:
            cond, args = " AND (instr(?, title) > 0 OR ?)", (named_in, "表" in named_in)
        out: list[TableRecord] = []
        for ids in _chunks(doc_ids):
            q = f"SELECT * FROM tables WHERE document_id IN ({_marks(ids)}) AND status = 'absent'" + cond
            rows = self.conn.execute(q + " ORDER BY document_id, table_id", (*ids, *args))
            out += [TableRecord(**dict(r)) for r in rows]
        return out

    def fact(self, fact_id: str) -> Fact | None:
        r = self.conn.execute(f"SELECT {self._fact_columns} FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return _fact_from(r) if r else None

    def passages(self, document_id: str | None = None, ids: Iterable[str] | None = None) -> list[Passage]:
        where, args = [], []
        if document_id:
            where.append("document_id = ?")
            args.append(document_id)
        if ids is not None:
            ids = list(ids)
            where.append(f"id IN ({','.join('?' * len(ids))})")
            args.extend(ids)
        q = "SELECT * FROM passages" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY rowid"
        return [Passage(**dict(r)) for r in self.conn.execute(q, args)]

    def search_passages(self, text: str, doc_ids: list[str] | None, k: int = 10) -> list[tuple[str, float]]:
        """BM25 over jieba tokens: (passage id, score), best first (higher is better)."""
        query = fts_query(text)
        if not query:
            return []
        sql = "SELECT passage_id, bm25(passage_fts) AS s FROM passage_fts WHERE passage_fts MATCH ?"
        args: list = [query]
        if doc_ids is not None:
            sql += f" AND document_id IN ({','.join('?' * len(doc_ids))})"
            args.extend(doc_ids)
        rows = self.conn.execute(sql + " ORDER BY s LIMIT ?", (*args, k)).fetchall()
        return [(r[0], -r[1]) for r in rows]

    def search_labels(self, text: str, doc_ids: list[str] | None, k: int = 20) -> list[tuple[str, float]]:
        """BM25 over fact labels: (label, score), best first, one row per distinct label."""
        query = fts_query(text)
        if not query:
            return []
        sql = "SELECT label, bm25(label_fts) AS s FROM label_fts WHERE label_fts MATCH ?"
        args: list = [query]
        if doc_ids is not None:
            sql += f" AND document_id IN ({','.join('?' * len(doc_ids))})"
            args.extend(doc_ids)
        best: dict[str, float] = {}
        for label, s in self.conn.execute(sql + " ORDER BY s LIMIT ?", (*args, k * 4)):
            best.setdefault(label, -s)
        return sorted(best.items(), key=lambda kv: -kv[1])[:k]

    def count_facts(self, doc_id: str) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM facts WHERE document_id = ?", (doc_id,)).fetchone()[0]

    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("documents", "tables", "facts", "passages")}


def document_record(ledger: Ledger, d: Document) -> dict:
    """One document for `documents --json`: identity, counts, warnings, tables and the reading report."""
    facts = ledger.facts(document_id=d.id)
    per_table: dict[str, int] = {}
    for f in facts:
        if f.table_id:
            per_table[f.table_id] = per_table.get(f.table_id, 0) + 1
    tables = ledger.tables(d.id)
    typed, printed = template.coverage(tables)
    return {
        "id": d.id, "source": d.source_key, "department": d.department, "region": d.region, "year": d.year,
        "kind": d.kind, "level": d.level, "parent": d.parent, "facts": len(facts),
        "passages": len(ledger.passages(d.id)),
        "default_unit": d.default_unit, "default_unit_note": d.default_unit_note,
        "warnings": ledger.warnings(d.id),
        "tables": [{"id": t.table_id, "title": t.title, "type": t.type, "fund": t.fund, "status": t.status,
                    "unit": t.unit, "unit_source": t.unit_source, "facts": per_table.get(t.table_id, 0),
                    "page": t.page}
                   for t in tables],
        "template": {"typed": typed, "printed": printed},
        "reading": ledger.report(d.id),
    }
