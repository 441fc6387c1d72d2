"""GET /api/v1/documents, /documents/{id}, /documents/{id}/facts and /documents/{id}/pages/{n}.png.

Read-only views of the ledger: the same records as ``budgetqa documents --json`` and ``budgetqa facts``.
A page is rendered by the web app's renderer (``app/web/source.py``) from the file the ledger lists for
that id, never from a path in the request; rendering is CPU work, so it costs more of the budget and goes
through the process's ``RenderPool`` (``app/web/renders.py``): cached, a render budget per client shared
with the web app's page route, a bounded pool of slots (503 "busy" with Retry-After when all are taken).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from app.api.errors import ApiError
from app.api.guard import client_of, spend
from app.api.models import DocumentDetail, DocumentSummary, ErrorBody, FactsPage
from app.web.format import filter_facts
from app.web.http_guard import csv_rows
from app.web.renders import RenderRefused, page_key
from app.web.source import render_page_png
from ingest.ledger import document_record
from ingest.model import Document, fact_record

router = APIRouter(tags=["documents"])
RENDER_COST = 10  # a page render is ~0.3-1 s of CPU: ten questions' worth of budget
NOT_FOUND = {404: {"model": ErrorBody, "description": "no document with this id"}}


def _document(request: Request, doc_id: str) -> Document:
    engine = request.app.state.service.engine()
    doc = next((d for d in engine.documents() if d.id == doc_id), None)
    if doc is None:
        raise ApiError(404, "not_found", "no document with this id (see GET /api/v1/documents)")
    return doc


@router.get("/documents", response_model=list[DocumentSummary], dependencies=[Depends(spend(1))],
            summary="Every document the store holds")
def documents(request: Request) -> list[dict]:
    engine = request.app.state.service.engine()
    return [{"id": d.id, "source": d.source_key, "title": d.title, "department": d.department,
             "region": d.region, "year": d.year, "kind": d.kind, "level": d.level}
            for d in engine.documents()]


@router.get("/documents/{doc_id}", response_model=DocumentDetail, responses=NOT_FOUND,
            dependencies=[Depends(spend(1))], summary="One document: identity, reading report, tables")
def document(doc_id: str, request: Request) -> dict:
    doc = _document(request, doc_id)
    return document_record(request.app.state.service.engine().ledger, doc)


def _table_id(table: str | None) -> str | None:
    if not table:
        return None
    return f"{int(table):02d}" if table.isdigit() else table


CSV_DOC = {200: {"model": FactsPage, "content": {"text/csv": {"schema": {"type": "string"}}},
                 "description": "JSON, or CSV (every matching fact) when asked with Accept: text/csv"}}


@router.get("/documents/{doc_id}/facts", response_model=FactsPage, responses={**CSV_DOC, **NOT_FOUND},
            dependencies=[Depends(spend(1))], summary="A document's facts: by table, paged; CSV on request")
def facts(doc_id: str, request: Request,
          table: str | None = Query(None, max_length=20, description='table number, e.g. "01" or 1'),
          q: str | None = Query(None, max_length=100, description="only rows whose label or code holds this"),
          page: int = Query(1, ge=1, le=100_000), per_page: int = Query(100, ge=1, le=1000),
          format: Literal["json", "csv"] | None = Query(  # noqa: A002 - the query parameter's name
              None, description="csv: the same as Accept: text/csv")):
    """CSV cells that a spreadsheet would run as a formula (= + - @) are neutralised with a leading
    quote, as the staff export does; a negative number stays a number."""
    doc = _document(request, doc_id)
    engine = request.app.state.service.engine()
    rows = filter_facts(engine.ledger.facts(document_id=doc.id, table_id=_table_id(table)), q or "")
    if format == "csv" or (format is None and "text/csv" in request.headers.get("accept", "")):
        name = f"facts-{doc.id}" + (f"-table{_table_id(table)}" if table else "") + ".csv"
        safe = "".join(ch for ch in name if ch.isalnum() or ch in "-_.")
        return StreamingResponse(csv_rows(rows), media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": f'attachment; filename="{safe}"'})
    start = (page - 1) * per_page
    return {"document": doc.id, "table": _table_id(table), "q": q, "page": page, "per_page": per_page,
            "total": len(rows), "facts": [fact_record(f) for f in rows[start:start + per_page]]}


PNG_DOC = {200: {"content": {"image/png": {}}, "description": "the page as a PNG, the cited row boxed"},
           404: {"model": ErrorBody, "description": "no such PDF document or page"},
           429: {"model": ErrorBody, "description": "this client's page renders are spent; Retry-After"},
           503: {"model": ErrorBody, "description": "every render slot is busy; retry after Retry-After"}}


@router.get("/documents/{doc_id}/pages/{page}.png", response_class=Response, responses=PNG_DOC,
            dependencies=[Depends(spend(RENDER_COST))],
            summary="A cited PDF page as PNG, the cited row boxed")
def page_png(doc_id: str, page: int, request: Request,
             row: str = Query("", max_length=60, description="the cited row label, to box it")) -> Response:
    doc = _document(request, doc_id)
    path = Path(doc.path)
    if path.suffix.lower() != ".pdf" or not path.is_file():
        raise ApiError(404, "not_found",
                       "this document is not a PDF the server holds; its citations give lines")
    renders = request.app.state.service.renders
    try:
        png = renders.png(client_of(request.scope), page_key(doc.path, page, row, "", ""),
                          lambda: render_page_png(path, page, row))
    except RenderRefused as e:
        code = "too_many_requests" if e.status == 429 else "busy"
        raise ApiError(e.status, code, e.message, {"Retry-After": e.retry_after}) from None
    except ValueError:
        raise ApiError(404, "not_found", f"page {page} is not in this document") from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})
