"""The HTTP API, ``/api/v1/``: plain JSON over HTTP for newsrooms, portals, staff tools and other bots.

One module per resource — ``ask`` (questions), ``documents`` (documents, facts, pages), ``health``,
``staff`` (upload, remove) — over pydantic ``models``; ``errors`` (JSON errors with stable codes),
``guard`` (body bounds, staff token, request budget; the per-client budget itself is ``app.quota``, which the
web app shares),
``service`` (which engine answers), ``docs`` (the docs page), ``server`` (read workers behind one port).
The API is its own FastAPI app, mounted into Gradio's (``mount``) or served alone by the workers
(``server.create_app``), so its error handlers never change Gradio's. It may import ``app.engine``,
``app.pipeline``, ``app.web``'s renderers and formatters (no Gradio), and ``ingest``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from app.api import ask, documents, errors, health, staff
from app.api.docs import docs_html
from app.api.guard import MAX_JSON_BYTES, Doors
from app.api.models import MAX_QUESTION
from app.api.service import FixedEngine, Service
from app.web.renders import RenderPool
from ingest.limits import LIMITS, words

PREFIX = "/api/v1"
DESCRIPTION = (
    "Exact, cited answers from Chinese government budget disclosures. Every number is a disclosed cell, a "
    "narrative figure or a Decimal calculation over those. Public routes are anonymous and read-only, with "
    "a per-client request budget (HTTP 429 with Retry-After when spent; a page render costs 10 requests); "
    f"request bodies are at most {MAX_JSON_BYTES // 1024} KiB ({words(LIMITS.max_upload_bytes)} for an "
    f"upload) and must state their Content-Length; a question is at most {MAX_QUESTION} characters. "
    "Staff routes need Authorization: Bearer <BUDGETQA_STAFF_TOKEN>. Errors are "
    '{"error": {"code": …, "message": …}} with a stable code.')


def create_api(service: Service) -> FastAPI:
    """The /api/v1 application over ``service`` (mount it at ``PREFIX``)."""
    api = FastAPI(title="BudgetQA API", version="v1", description=DESCRIPTION, docs_url=None,
                  redoc_url=None, openapi_url="/openapi.json")
    api.state.service = service
    errors.install(api)
    for module in (ask, documents, health):
        api.include_router(module.router)
    if service.staff_routes:
        api.include_router(staff.router)
    api.add_middleware(Doors, service=service)

    @api.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request) -> str:
        return docs_html(api.openapi(), request.scope.get("root_path", ""))

    return api


def mount(app, engine, renders: RenderPool | None = None) -> None:  # type: ignore[no-untyped-def]
    """Serve /api/v1 from an app that already holds an engine (Gradio's), staff routes included; page
    renders share `renders` (the web app's pool) when given."""
    service = Service(FixedEngine(engine))
    if renders is not None:
        service.renders = renders
    app.mount(PREFIX, create_api(service))
