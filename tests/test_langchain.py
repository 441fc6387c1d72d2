"""The LangChain retriever and runnable return the engine's cited answer."""

from __future__ import annotations

from pathlib import Path

from app.engine import Engine
from app.lc import BudgetFactRetriever, answer_runnable
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent


def test_langchain_components(tmp_path):
    store = tmp_path / "store"
    ingest([ROOT / "corpus"], store, index=False)
    engine = Engine.open(store, dense=False)
    docs = BudgetFactRetriever(engine=engine).invoke("住房保障支出是多少元")
    assert docs and docs[0].metadata["table"] == "01" and docs[0].metadata["value"] == "48.66"
    result = answer_runnable(engine).invoke("住房保障支出是多少元")
    assert result["status"] == "answered" and result["value"] == 486600 and result["unit"] == "元"
    assert answer_runnable(engine).invoke("2019年住房保障支出")["status"] == "not_found"
