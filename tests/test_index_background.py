"""Embeddings follow in the background: a document is answered from the ledger as soon as it is stored."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from app.engine import Engine
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "antu-social-insurance-2026-department-budget.txt"
QUESTION = "安图社保局住房保障支出是多少元"


def _indexed(engine: Engine) -> set[str]:
    return set(engine.index.state.stamps())


def test_a_server_answers_before_its_index_is_built_and_the_same_after(tmp_path: Path) -> None:
    store = tmp_path / "store"
    report = ingest([SEED], store, index=False)
    doc_id = report.documents[0][1]
    engine = Engine.open(store, background=True)
    try:
        first = engine.ask(QUESTION)  # while the index thread embeds: the ledger answers
        assert first.status == "answered" and first.value == Decimal("486600")
        assert engine.index.wait(timeout=600)
        assert doc_id in _indexed(engine) and engine.index.status.startswith("up to date")
        again = engine.ask(QUESTION)
        assert (again.value, again.unit, again.formula) == (first.value, first.unit, first.formula)
    finally:
        engine.ledger.close()


def test_an_ingest_returns_answerable_and_the_index_catches_up(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest([SEED], store, index=True)
    engine = Engine.open(store, background=True)
    try:
        assert engine.index.wait(timeout=600)
        other = tmp_path / "antu-medical-security-2026.txt"
        other.write_text(SEED.read_text(encoding="utf-8").replace("安图县社会保险事业管理局", "安图县医疗保障局")
                         .replace("二十、住房保障支出\t48.66\t48.66", "二十、住房保障支出\t12.34\t12.34"),
                         encoding="utf-8")
        report = engine.ingest([other])
        new_id = report.documents[0][1]
        answer = engine.ask("安图医保局住房保障支出是多少万元")  # from the ledger, whatever the index holds
        assert answer.status == "answered" and answer.value == Decimal("12.34")
        assert engine.index.wait(timeout=600) and new_id in _indexed(engine)
    finally:
        engine.ledger.close()
        shutil.rmtree(store, ignore_errors=True)


def test_labels_are_indexed_by_default_and_passages_on_request(tmp_path: Path, monkeypatch) -> None:
    from ingest.embeddings import Embedder
    from ingest.index import Index, dense_indexes, texts_to_embed
    from ingest.ledger import Ledger

    monkeypatch.delenv("BUDGETQA_DENSE_INDEXES", raising=False)
    assert dense_indexes() == {"labels"}
    store = tmp_path / "store"
    ingest([SEED], store, index=True)
    ledger = Ledger(store)
    try:
        labels = {f.label for f in ledger.facts() if f.label}
        index = Index(store, Embedder(store / "embeddings.sqlite"))
        assert index.facts.count() == len(labels) and index.passages.count() == 0
        assert len(texts_to_embed(ledger, [d.id for d in ledger.documents()])) == len(labels)
        monkeypatch.setenv("BUDGETQA_DENSE_INDEXES", "labels,passages")  # another choice re-syncs
        assert index.sync(ledger) == {"added": 1, "removed": 0} and index.passages.count() > 50
        monkeypatch.setenv("BUDGETQA_DENSE_INDEXES", "none")
        assert index.sync(ledger)["added"] == 1 and index.facts.count() == index.passages.count() == 0
        monkeypatch.setenv("BUDGETQA_DENSE_INDEXES", "tables")
        with pytest.raises(ValueError, match="unknown index tables"):
            dense_indexes()
    finally:
        ledger.close()
