"""Answers are kept per ledger generation: a repeated question gets the same answer, as its own copy, and a
new document (a new generation) or an index sync is never answered from before it."""

from __future__ import annotations

import hostile_factory as hf

from app.engine import Engine
from ingest.pipeline import ingest

Q = "安图社保局住房保障支出是多少元"


def test_a_repeated_question_is_answered_from_the_cache_as_a_copy(tmp_path):
    store = tmp_path / "store"
    ingest([hf.SEED], store, index=False)
    engine = Engine.open(store, dense=False)
    first = engine.ask(Q)
    first.citations.clear()  # the caller's copy: changing it changes nothing kept
    again = engine.ask(Q)
    assert again.citations and again.value == 486600 and again is not first
    assert len(engine._answers) == 1
    assert engine.ask(Q, lang="en").lang == "en" and len(engine._answers) == 2  # the language is in the key
    assert engine.ask(Q, debug=True).debug and len(engine._answers) == 2  # a debug answer is never kept


def test_a_new_generation_is_never_answered_from_the_old_one(tmp_path):
    store = tmp_path / "store"
    ingest([hf.SEED], store, index=False)
    engine = Engine.open(store, dense=False)
    before = engine.ask(Q).to_dict()
    changed = tmp_path / "antu-2026-department-budget-revised.txt"
    changed.write_text(hf.SEED.read_text(encoding="utf-8").replace("48.66\t48.66", "40.00\t40.00", 1),
                       encoding="utf-8")
    ingest([changed], store, index=False)  # another process's ingest: the ledger's generation moves
    after, fresh = engine.ask(Q).to_dict(), Engine.open(store, dense=False).ask(Q).to_dict()
    for d in (before, after, fresh):
        d.pop("latency_ms")
    assert after == fresh and after != before
    engine.refresh()  # e.g. after an index sync
    assert not engine._answers
