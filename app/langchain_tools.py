"""BudgetQA for LangChain: a retriever of cited facts and passages, and a tool that returns the JSON answer.

Why: an agent or chain built with LangChain should be able to use BudgetQA the way it uses any retriever or
tool, without re-deriving figures. The figure always comes from BudgetQA (a disclosed cell or a Decimal
calculation over cells, with formula and citations); a language model around it only words or routes.

    from app.engine import Engine
    from app.langchain_tools import BudgetQARetriever, budgetqa_tool
    engine = Engine.open(Path("data/store"))
    docs = BudgetQARetriever(source=engine).invoke("安图社保局住房保障支出是多少？")   # cited facts, passages
    tool = budgetqa_tool(engine)                                                # for an agent's tool list
    tool.invoke({"question": "那去年呢？", "history": ["安图社保局住房保障支出是多少？"]})  # the JSON answer

Either works over a served HTTP API instead of an open engine: ``source=BudgetQAHttp("http://host:7861")``.
Over HTTP the retriever returns the answer's citations (cells and quoted passages); with an open engine it
also returns the passages of the cited documents that best match the question. Passages of documents the
answer did not cite are never returned, so a chain cannot quote a neighbour's figure.
"""

from __future__ import annotations

from typing import Protocol

import httpx
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from langchain_core.tools import StructuredTool
from pydantic import BaseModel, ConfigDict, Field

from app.api.models import MAX_HISTORY, MAX_QUESTION
from app.engine import Engine

TOOL_DESCRIPTION = (
    "Exact, cited figures from Chinese government budget disclosures (部门预算 / 单位预算 / 部门决算). Ask one "
    "question in Chinese or English about a department's budget, e.g. '安图社保局住房保障支出是多少？' or "
    "'what is the Hangzhou weather bureau's housing spend?'. Returns JSON: status (answered | not_found | "
    "ambiguous), answer (words), value, unit, formula, citations (document, table, row, column, page or "
    "line). Use the value and citations as given; when status is not 'answered', say so rather than guess.")


class AnswerSource(Protocol):
    """Anything that answers like ``budgetqa ask --json``: an open Engine (via ``EngineSource``) or the
    HTTP API (``BudgetQAHttp``)."""

    def ask(self, question: str, scope: list[str] | None = None,
            history: list[str] | None = None) -> dict: ...


class EngineSource:
    """An open engine as an answer source (the JSON of ``Answer.to_dict``)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def ask(self, question: str, scope: list[str] | None = None, history: list[str] | None = None) -> dict:
        return self.engine.ask(question, scope=scope, history=history).to_dict()


class BudgetQAHttp:
    """The HTTP API (``POST /api/v1/ask``) as an answer source; errors raise with the API's message."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def ask(self, question: str, scope: list[str] | None = None, history: list[str] | None = None) -> dict:
        body = {"question": question[:MAX_QUESTION], "scope": scope,
                "history": (history or [])[-MAX_HISTORY:]}
        r = httpx.post(f"{self.base_url}/api/v1/ask", json=body, timeout=self.timeout)
        if r.status_code != 200:
            error = r.json().get("error", {}) if "json" in r.headers.get("content-type", "") else {}
            raise RuntimeError(f"BudgetQA API {r.status_code}: {error.get('message', r.text[:200])}")
        return r.json()


def _source(source: Engine | AnswerSource) -> AnswerSource:
    return EngineSource(source) if isinstance(source, Engine) else source


def citation_document(citation: dict, status: str) -> LCDocument:
    """One cited cell or quoted passage, its citation as metadata."""
    kind = "passage" if citation["table"] == "narrative" else "fact"
    cell = f"{citation['row']} {citation['column']} {citation['value']} {citation['unit']}"
    text = citation["text"] or cell
    return LCDocument(page_content=text, metadata={"kind": kind, "status": status, **citation})


class BudgetQARetriever(BaseRetriever):
    """The question's cited facts and passages as LangChain ``Document``s, citation metadata attached."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    source: Engine | BudgetQAHttp | EngineSource
    scope: list[str] | None = None
    passages: int = Field(3, ge=0, description="extra passages of the cited documents (open engine only)")

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        answer = _source(self.source).ask(query, scope=self.scope)
        docs = [citation_document(c, answer["status"]) for c in answer["citations"]]
        engine = self.source if isinstance(self.source, Engine) else getattr(self.source, "engine", None)
        cited = sorted({c["document_id"] for c in answer["citations"]})
        if engine is not None and cited and self.passages:
            docs.extend(_passages(engine, query, cited, self.passages, {d.page_content for d in docs}))
        return docs


def _passages(engine: Engine, query: str, doc_ids: list[str], k: int, seen: set[str]) -> list[LCDocument]:
    """The cited documents' narrative passages that best match the query (BM25, plus dense when open)."""
    titles = {d.id: d for d in engine.documents()}
    out = []
    for pid, score in engine.retriever.passages(query, doc_ids, k=k):
        p = engine.ledger.passages(ids=[pid])[0]
        if p.text in seen:
            continue
        doc = titles.get(p.document_id)
        out.append(LCDocument(page_content=p.text, metadata={
            "kind": "passage", "status": "context", "document": doc.title if doc else p.document_id,
            "document_id": p.document_id, "department": doc.department if doc else "",
            "year": doc.year if doc else None, "table": "narrative", "section": p.section, "page": p.page,
            "line": p.line, "score": round(score, 4)}))
    return out


class AskInput(BaseModel):
    question: str = Field(description="one question in Chinese or English", max_length=MAX_QUESTION)
    history: list[str] = Field(default_factory=list, description="earlier questions of this conversation, "
                                                                 "oldest first (for follow-ups like 那去年呢？)")


def budgetqa_tool(source: Engine | AnswerSource, scope: list[str] | None = None,
                  name: str = "budgetqa") -> StructuredTool:
    """A LangChain tool answering one budget question with BudgetQA's JSON answer."""
    answers = _source(source)

    def ask(question: str, history: list[str] | None = None) -> dict:
        return answers.ask(question, scope=scope, history=history or None)

    return StructuredTool.from_function(func=ask, name=name, description=TOOL_DESCRIPTION,
                                        args_schema=AskInput)
