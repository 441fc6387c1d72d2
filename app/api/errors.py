"""Every error of the HTTP API as JSON: a stable code a program can test and a message in words.

Why: a client must be able to tell "no such document" from "too many requests" without parsing prose,
and a visitor must never see a traceback, a class name or a file system path. Unexpected exceptions are
logged on the server and answered with ``internal_error``.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.models import ErrorBody
from app.terminal import public_error

log = logging.getLogger("budgetqa.api")

# HTTP status → the code used when a route raised no ApiError of its own
STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "no_route",
                405: "method_not_allowed", 409: "conflict", 411: "length_required", 413: "too_large",
                415: "unsupported_media_type", 422: "invalid_request", 429: "too_many_requests",
                500: "internal_error", 503: "unavailable"}


class ApiError(Exception):
    """An answer the client should get as it is: status, stable code, message in words, extra headers."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody.of(code, message).model_dump(), status_code=status, headers=headers)


def _field_errors(exc: RequestValidationError) -> str:
    """"question: String should have at most 500 characters" — the field and pydantic's words, no input."""
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "the request is not valid"


def install(app: FastAPI) -> None:
    """The API's exception handlers (on its own app, so Gradio's routes keep theirs)."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", public_error(ValueError(_field_errors(exc)), 500))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = STATUS_CODES.get(exc.status_code, "error")
        message = {404: "no such route in this API (see /api/v1/docs)",
                   405: "this route does not take that method"}.get(exc.status_code, str(exc.detail))
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        log.exception("API request failed")
        return error_response(500, "internal_error", "the server could not answer this request")
