"""Issue 12 through the command line: identity, duplicates, remove, reindex repair, hostile bytes and names,
read-only stores, full disks and CSV formulas."""

from __future__ import annotations

import io
import shutil
import sqlite3
import sys
from pathlib import Path

import hostile_factory as hf
import pytest

from app.cli import main
from ingest.ledger import Ledger
from ingest.pipeline import ingest

SEED = hf.SEED


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def indexed_store(tmp_path_factory) -> Path:
    """The seed, ingested and indexed once for the module."""
    store = tmp_path_factory.mktemp("indexed") / "store"
    ingest([SEED], store)
    return store


def test_same_name_in_two_folders_is_two_documents_and_a_renamed_copy_a_duplicate(tmp_path, capsys):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder in (a, b, c):
        folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (a / "budget.txt").write_text(text, encoding="utf-8")
    (b / "budget.txt").write_text(text.replace("48.66\t48.66", "41.00\t41.00", 1), encoding="utf-8")
    shutil.copy(a / "budget.txt", c / "renamed.txt")
    store = tmp_path / "store"
    report = ingest([a / "budget.txt", b / "budget.txt", c / "renamed.txt"], store, index=False)
    assert [act for _, _, act in report.documents] == ["new", "new", "duplicate"]
    assert any("same content as the stored budget.txt" in w for w in report.warnings)
    ledger = Ledger(store)
    assert len(ledger.documents()) == 2
    ledger.close()
    code, _, err = run(capsys, "remove", "budget.txt", "--store", str(store))
    assert code == 2 and "names 2 documents" in err


def test_remove_takes_a_document_out_of_ledger_and_index(tmp_path, capsys, indexed_store):
    store = tmp_path / "store"
    shutil.copytree(indexed_store, store)
    ledger = Ledger(store)
    (doc,) = ledger.documents()
    ledger.close()
    code, out, _ = run(capsys, "remove", doc.source_key, "--store", str(store))
    assert code == 0 and f"removed   {doc.id}" in out and "index updated" in out
    ledger = Ledger(store)
    assert ledger.documents() == [] and ledger.count_facts(doc.id) == 0
    ledger.close()
    assert doc.id not in _indexed_documents(store)
    code, _, err = run(capsys, "remove", doc.id, "--store", str(store))
    assert code == 2 and "no document matches" in err


def test_reindex_rebuilds_a_corrupt_index(tmp_path, capsys, indexed_store):
    store = tmp_path / "store"
    shutil.copytree(indexed_store, store)
    (store / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    code, out, _ = run(capsys, "reindex", "--store", str(store))
    assert code == 0 and "index rebuilt from the ledger: 1 documents" in out
    from ingest.embeddings import Embedder
    from ingest.index import Index

    labels = Index(store, Embedder(store / "embeddings.sqlite")).search_labels("housing security", None, 5)
    assert "住房保障支出" in [lab for lab, _ in labels]


def test_stdin_with_invalid_utf8_answers_every_line(capsys, indexed_store, monkeypatch):
    raw = b"\xff\xfe\xfa garbage\nwhat is the housing security spend?\n\x00\x1b[2J\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    code, out, _ = run(capsys, "ask", "--json", "--store", str(indexed_store))
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 3
    assert '"value": "486600' in lines[1] or "486,600" in lines[1] or "48.66" in lines[1]
    assert "\x1b" not in out


def test_control_characters_in_names_are_escaped(tmp_path, capsys):
    name = "evil\x1b[31m\x9b2J-2026-department-budget.txt"
    shutil.copy(SEED, tmp_path / name)
    store = tmp_path / "store"
    code, out, _ = run(capsys, "ingest", str(tmp_path / name), "--store", str(store))
    assert code == 0
    code, out, _ = run(capsys, "documents", "--store", str(store))
    assert "\x1b" not in out and "\x9b" not in out and "evil\\u001b[31m\\u009b2J" in out


def test_read_only_store_serves_reads_and_refuses_writes_in_one_line(tmp_path, capsys, monkeypatch):
    store = tmp_path / "store"
    ingest([SEED], store, index=False)
    import ingest.ledger as ledger_mod

    monkeypatch.setattr(ledger_mod.os, "access", lambda *a, **k: False)  # as if mounted read-only
    code, out, _ = run(capsys, "documents", "--store", str(store))
    assert code == 0 and "安图县社会保险事业管理局" in out
    code, out, _ = run(capsys, "facts", "--store", str(store), "--table", "01")
    assert code == 0 and "住房保障支出" in out
    code, _, err = run(capsys, "remove", "budget", "--store", str(store))
    assert code != 0 and "Traceback" not in err
    code, out, err = run(capsys, "ask", "住房保障支出是多少", "--store", str(store))
    assert code == 0 and ("48.66" in out or "486,600" in out) and "read-only" in err
    assert not (store / "chroma").exists()  # nothing was written to answer


def test_full_disk_is_one_line_without_traceback(tmp_path, capsys, monkeypatch):
    import ingest.ledger as ledger_mod

    def full(*a, **k):  # type: ignore[no-untyped-def]
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(ledger_mod.Ledger, "put", full)
    code, out, err = run(capsys, "ingest", str(SEED), "--store", str(tmp_path / "store"))
    assert code == 1 and "Traceback" not in err
    assert err.strip().endswith("error: the disk is full; nothing was changed (free some space and retry)")
    assert str(tmp_path) not in err


def test_csv_cells_cannot_run_formulas(tmp_path, capsys):
    def edit(ws):  # type: ignore[no-untyped-def]
        for r, label in ((7, '=HYPERLINK("http://evil.example","点击")'), (8, "@SUM(1+1)")):
            cell = ws.cell(row=r, column=1, value=label)
            cell.data_type = "s"
            ws.cell(row=r, column=2, value=5)
    store = tmp_path / "store"
    ingest([hf.book(tmp_path / "formula.xlsx", edit=edit)], store, index=False)
    code, out, _ = run(capsys, "facts", "--csv", "--store", str(store))
    assert code == 0
    rows = [line for line in out.splitlines() if "HYPERLINK" in line or "SUM(1+1)" in line]
    assert rows and all(",'=HYPERLINK" in r or ",'@SUM" in r or "\"'=HYPERLINK" in r for r in rows), rows


def test_opening_the_engine_skips_an_oversized_document_once(tmp_path, monkeypatch):
    """A document stored before the limits existed is not indexed, and not retried on every open."""
    from dataclasses import replace

    import ingest.index as index_mod
    from app.engine import Engine

    store = tmp_path / "store"
    ingest([SEED], store, index=False)  # 339 facts
    monkeypatch.setattr(index_mod, "LIMITS", replace(index_mod.LIMITS, max_facts=100))
    calls = []
    real = index_mod.Index._reconcile
    monkeypatch.setattr(index_mod.Index, "_reconcile",
                        lambda self, c, name, wanted, p: calls.append(len(wanted))
                        or real(self, c, name, wanted, p))
    engine = Engine.open(store)
    assert sum(calls) == 0
    assert any(s.startswith("skipped:") for s in engine.index.state.stamps().values())
    assert engine.ask("住房保障支出是多少").status == "answered"  # BM25 still answers
    Engine.open(store)
    assert calls == []


def test_public_errors_name_no_paths_classes_or_reprs():
    from app.terminal import public_error
    from ingest.model import IngestError

    cases = [IngestError("report.pdf: not a readable PDF (PdfminerException)"),
             IngestError("x.xlsx: could not be read (KeyError: 'xl/styles.xml') at /tmp/gradio/ab12/x.xlsx"),
             RuntimeError("boom <app.engine.Engine object at 0x7f3a2b1c0d90>\x1b[2J")]
    out = [public_error(e) for e in cases]
    assert out[0] == "report.pdf: not a readable PDF"
    assert "KeyError" not in out[1] and "/tmp/" not in out[1] and out[1].endswith("at x.xlsx")
    assert "0x7f3a" not in out[2] and "\x1b" not in out[2]


def _indexed_documents(store) -> set[str]:
    """The documents the index's sync state (kept in the ledger) says it holds."""
    import sqlite3

    con = sqlite3.connect(store / "ledger.sqlite")
    try:
        return {r[0] for r in con.execute("SELECT document_id FROM index_documents")}
    finally:
        con.close()
