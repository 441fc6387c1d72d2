"""POST /api/v1/ask: one question (with its conversation and scope) → the answer, as ``budgetqa ask --json``
prints it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from app.api.errors import ApiError
from app.api.guard import spend
from app.api.models import AnswerOut, AskRequest

router = APIRouter(tags=["questions"])


@router.post("/ask", response_model=AnswerOut, dependencies=[Depends(spend(1))],
             summary="Answer one question with its figure, formula and citations")
def ask(body: AskRequest, request: Request) -> JSONResponse:
    """The same engine as the chat and the command line: a figure here is the figure `budgetqa ask` prints.
    Follow-ups ("那去年呢？") need the earlier questions in ``history``."""
    if not body.question.strip():
        raise ApiError(422, "invalid_request", "question: the question is empty")
    engine = request.app.state.service.engine()
    answer = engine.ask(body.question, scope=body.scope or None, history=list(body.history),
                        lang=body.lang)
    return JSONResponse(answer.to_dict())  # already the model's shape: no second validation per answer
