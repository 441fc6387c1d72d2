"""The engine as LangChain components: a retriever of cited facts and a runnable that returns the answer."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda
from pydantic import ConfigDict

from app.engine import Engine


class BudgetFactRetriever(BaseRetriever):
    """Documents are the cited cells (and passages) the engine's answer rests on."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    engine: Engine
    scope: list[str] | None = None

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        answer = self.engine.ask(query, scope=self.scope)
        return [LCDocument(page_content=c.text or f"{c.row} {c.column} {c.value} {c.unit}",
                           metadata=c.to_dict() | {"status": answer.status}) for c in answer.citations]


def answer_runnable(engine: Engine, scope: list[str] | None = None) -> RunnableLambda:
    """question (str) → the JSON answer object, as a LangChain runnable."""
    return RunnableLambda(lambda question: engine.ask(str(question), scope=scope).to_dict())
