"""BudgetQA as LangChain components, without any language model: the retriever returns the cited facts and
passages as Documents with their citations, the tool returns the JSON answer (open engine and HTTP API)."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.runnables import RunnableLambda
from test_api import Served, api_app

from app.engine import Engine
from app.langchain_tools import BudgetQAHttp, BudgetQARetriever, budgetqa_tool
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
SEED_Q = "安图社保局住房保障支出是多少元"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    store = tmp_path_factory.mktemp("lc") / "store"
    ingest([ROOT / "corpus"], store, index=False)
    return Engine.open(store, dense=False)


def test_retriever_returns_cited_facts_and_the_cited_documents_passages(engine):
    docs = BudgetQARetriever(source=engine).invoke(SEED_Q)
    facts = [d for d in docs if d.metadata["kind"] == "fact"]
    assert facts and facts[0].metadata["table"] == "01" and facts[0].metadata["value"] == "48.66"
    assert facts[0].metadata["unit"] == "万元" and facts[0].metadata["status"] == "answered"
    assert "住房保障支出" in facts[0].page_content and facts[0].metadata["line"]
    cited = {d.metadata["document_id"] for d in facts}
    passages = [d for d in docs if d.metadata["kind"] == "passage"]
    assert passages and {d.metadata["document_id"] for d in passages} <= cited
    assert BudgetQARetriever(source=engine).invoke("2019年住房保障支出") == []  # nothing cited, nothing given


def test_tool_returns_the_json_answer_and_reads_follow_ups(engine):
    tool = budgetqa_tool(engine)
    assert tool.name == "budgetqa" and set(tool.args) == {"question", "history"}
    answer = tool.invoke({"question": SEED_Q})
    assert answer["status"] == "answered" and answer["value"] == 486600 and answer["unit"] == "元"
    follow = tool.invoke({"question": "那社会保障和就业支出呢？", "history": [SEED_Q]})
    assert follow["status"] == "answered" and "社会保障和就业支出" in follow["read_as"]
    assert tool.invoke({"question": "2019年住房保障支出"})["status"] == "not_found"


def test_a_chain_over_the_http_api_quotes_the_cited_cell(engine):
    served = Served(api_app(engine))
    try:
        remote = BudgetQAHttp(f"http://127.0.0.1:{served.port}")
        context = (BudgetQARetriever(source=remote)
                   | RunnableLambda(lambda docs: "\n".join(f"{d.page_content} [{d.metadata['document']}, "
                                                           f"表{d.metadata['table']}]" for d in docs)))
        text = context.invoke(SEED_Q)
        assert "住房保障支出" in text and "表01" in text
        assert budgetqa_tool(remote).invoke({"question": SEED_Q}) == {
            **engine.ask(SEED_Q).to_dict(), "latency_ms": pytest.approx(0, abs=1e9)}
        with pytest.raises(RuntimeError, match="422: scope: .*at most 50"):  # the API's words, raised
            remote.ask(SEED_Q, scope=["x"] * 51)
    finally:
        served.stop()
