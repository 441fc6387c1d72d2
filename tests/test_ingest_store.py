"""The store on real data: idempotent re-ingest, replacement of a changed file, a killed ingest, the Chroma
index."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from ingest.ledger import Ledger
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "antu-social-insurance-2026-department-budget.txt"
HOUSING_01 = "二十、住房保障支出\t48.66\t48.66\t0.00"  # line 167, table 01


def edited_copy(folder: Path, new_cell: str, name: str = SEED.name) -> Path:
    """The seed with table 01's 住房保障支出 本年预算 cell changed (one value, same file name by default)."""
    text = SEED.read_text(encoding="utf-8")
    assert text.count(HOUSING_01) == 1
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text.replace(HOUSING_01, f"二十、住房保障支出\t{new_cell}\t48.66\t0.00"), encoding="utf-8")
    return path


def snapshot(store: Path) -> tuple[dict[str, int], str, str | None]:
    """(row counts, sha256 over every stored row, generation), read with plain sqlite3."""
    conn = sqlite3.connect(store / "ledger.sqlite")
    try:
        digest = hashlib.sha256()
        counts = {}
        for table, key in (("documents", "id"), ("tables", "document_id, table_id"), ("facts", "id"),
                           ("passages", "id")):
            rows = conn.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
            counts[table] = len(rows)
            for row in rows:
                digest.update(repr(row).encode("utf-8"))
        gen = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    finally:
        conn.close()
    return counts, digest.hexdigest(), gen[0] if gen else None


def housing_01(ledger: Ledger) -> list[Decimal | None]:
    return [f.value for f in ledger.facts(table_id="01", labels=["住房保障支出"]) if f.column == "本年预算"]


def test_reingest_unchanged_changes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = ingest([SEED], store, index=False)
    assert [a for _, _, a in first.documents] == ["new"]
    before = snapshot(store)
    ledger = Ledger(store)
    ids = {f.id for f in ledger.facts()}
    ledger.close()
    assert before[0] == {"documents": 1, "tables": 12, "facts": first.facts, "passages": first.passages}
    assert before[2] == "1"

    second = ingest([SEED], store, index=False)
    assert second.documents == [(SEED.name, first.documents[0][1], "unchanged")]
    after = snapshot(store)
    assert after == before  # same rows, same checksum, generation not bumped
    ledger = Ledger(store)
    assert {f.id for f in ledger.facts()} == ids
    ledger.close()


def test_changed_file_at_the_same_path_replaces_previous(tmp_path: Path) -> None:
    store = tmp_path / "store"
    original = edited_copy(tmp_path / "docs", "48.66")
    old_id = ingest([original], store, index=False).documents[0][1]
    counts, _, gen = snapshot(store)
    copy = edited_copy(tmp_path / "docs", "48.67")

    report = ingest([copy], store, index=False)
    (key, new_id, action), = report.documents
    assert (key, action) == (SEED.name, "replace") and new_id != old_id
    ledger = Ledger(store)
    try:
        assert [d.id for d in ledger.documents()] == [new_id]
        assert ledger.facts(document_id=old_id) == [] and ledger.passages(document_id=old_id) == []
        assert ledger.tables(old_id) == []
        assert housing_01(ledger) == [Decimal("48.67")]
        assert ledger.counts() == counts  # one value changed: same number of everything
        assert ledger.get_meta("generation") == str(int(gen) + 1)
    finally:
        ledger.close()


def _writer_holds_lock(db: Path) -> bool:
    """True while another connection holds the write lock (the ingest is inside its transaction)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as e:
        assert "locked" in str(e)
        return True
    finally:
        probe.close()


def _cpu_ticks(pid: int) -> tuple[int, int]:
    """utime and stime of a process (Linux /proc): unchanged while it sleeps."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]), int(fields[12])


def test_killed_ingest_leaves_store_exactly_as_before(tmp_path: Path) -> None:
    store = tmp_path / "store"
    second = edited_copy(tmp_path / "in", "40.00", name="antu-copy-2026-department-budget.txt")
    ingest([SEED, second], store, index=False)
    before = snapshot(store)
    assert before[0]["documents"] == 2

    # a replacement of the second document (same file, new content) plus a brand-new third one, killed
    replacement = edited_copy(tmp_path / "in", "41.00", name=second.name)
    third = edited_copy(tmp_path / "next", "42.00", name="antu-third-2026-department-budget.txt")
    env = {**os.environ, "BUDGETQA_INGEST_PAUSE": "5"}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "ingest", "--store", str(store),
                             str(replacement), str(third)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        db = store / "ledger.sqlite"
        deadline = time.monotonic() + 30
        idle_since = None
        cpu = _cpu_ticks(proc.pid)
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
            now_cpu = _cpu_ticks(proc.pid)
            # inside the pause after the first insert: write lock held, and no CPU used for 0.5 s
            if _writer_holds_lock(db) and now_cpu == cpu:
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= 0.5:
                    break
            else:
                idle_since = None
            cpu = now_cpu
        assert proc.poll() is None, proc.communicate()
        assert idle_since is not None, "the ingest never paused inside its write"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert (store / "ledger.sqlite-wal").exists()

    assert snapshot(store) == before
    ledger = Ledger(store)
    try:
        assert sorted(d.source_key for d in ledger.documents()) == sorted([SEED.name, second.name])
        assert sorted(map(str, housing_01(ledger))) == ["40.00", "48.66"]
    finally:
        ledger.close()

    # and the store still takes the same write afterwards
    report = ingest([replacement, third], store, index=False)
    assert [a for _, _, a in report.documents] == ["replace", "new"]
    assert snapshot(store)[0]["documents"] == 3


def test_index_holds_labels_and_passages(tmp_path: Path, monkeypatch) -> None:
    from ingest.embeddings import Embedder
    from ingest.index import Index

    monkeypatch.setenv("BUDGETQA_DENSE_INDEXES", "labels,passages")  # the passage index is opt-in
    store = tmp_path / "store"
    ingest([SEED], store, index=True)
    ledger = Ledger(store)
    try:
        (doc,) = ledger.documents()
        labels = {f.label for f in ledger.facts() if f.label}
        n_passages = len(ledger.passages())
        index = Index(store, Embedder(store / "embeddings.sqlite"))
        assert index.facts.count() == len(labels)
        assert n_passages == 67
        # one record per distinct passage text (figures and the department's name masked)
        assert 50 < index.passages.count() <= n_passages
        metas = index.facts.get(include=["metadatas"])["metadatas"]
        assert {m["label"] for m in metas} == labels
        hits = index.search_passages("housing provident fund", [doc.id], k=5)
        assert len(hits) == 5 and {ledger.passages(ids=[pid])[0].document_id for pid, _ in hits} == {doc.id}
        top = [label for label, _ in index.search_labels("housing security", None)[:3]]
        assert "住房保障支出" in top
        assert index.search_labels("housing security", []) == []
        # a second sync finds nothing to do
        assert index.sync(ledger) == {"added": 0, "removed": 0}
    finally:
        ledger.close()
