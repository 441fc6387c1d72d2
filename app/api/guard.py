"""The API's doors: bounded bodies, the per-client budget and the staff token, each checked before work.

Why an ASGI layer for bodies and staff: FastAPI reads and parses a request's body before any dependency
runs, so a header check in a dependency would come after the bytes. ``Doors`` answers from the request
line and headers alone: a staff route without the right bearer token gets 401, a body without a length
411, a body over its bound 413 — and nothing is read or stored. The per-client budget is a dependency
(``spend``) because it needs no body.
"""

from __future__ import annotations

import hmac
import json

from fastapi import Request

from app.api.errors import ApiError
from app.api.models import ErrorBody
from app.api.service import Service
from ingest.limits import LIMITS
from ingest.settings import settings

MAX_JSON_BYTES = 16 * 1024  # an ask with its history and scope fits many times over
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file


def max_body(method: str, path: str) -> int:
    """The largest body a route takes: an upload's file plus its multipart wrapping, else small JSON."""
    if method == "POST" and path.rstrip("/").endswith("/documents"):
        return LIMITS.max_upload_bytes + MULTIPART_SLACK
    return MAX_JSON_BYTES


def is_staff_route(method: str, path: str) -> bool:
    """Upload (POST /documents) and remove (DELETE /documents/{id})."""
    trimmed = path.rstrip("/")
    return (method == "POST" and trimmed.endswith("/documents")) or (
        method == "DELETE" and "/documents/" in trimmed)


def token_ok(authorization: str | None) -> bool:
    """``Authorization: Bearer <BUDGETQA_STAFF_TOKEN>``; with no token set, nobody is staff."""
    secret = settings().staff_token
    expected = secret.get_secret_value() if secret else ""
    scheme, _, given = (authorization or "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                                                  expected.encode())


def client_of(scope) -> str:  # type: ignore[no-untyped-def]
    """The address the server reports (uvicorn has applied X-Forwarded-For from trusted proxies only)."""
    return (scope.get("client") or ("", 0))[0] or ""


class Doors:
    """ASGI middleware: staff token and body bounds, from the headers, before the body is touched."""

    def __init__(self, app, service: Service):  # type: ignore[no-untyped-def]
        self.app = app
        self.service = service

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http":
            refusal = self.refusal(scope)
            if refusal is not None:
                await _send_error(send, *refusal)
                return
        await self.app(scope, receive, send)

    def refusal(self, scope) -> tuple[int, str, str, dict[str, str]] | None:  # type: ignore[no-untyped-def]
        method, path = scope["method"], scope.get("path", "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if is_staff_route(method, path):
            if not self.service.staff_routes:
                return 409, "read_only_store", ("this server answers questions only; staff change the store "
                                                "on its writer"), {}
            if not token_ok(headers.get("authorization")):
                wait = self.service.auth_budget.take(client_of(scope))
                if wait:
                    return 429, "too_many_requests", "too many wrong staff tokens; wait and retry", {
                        "retry-after": self.service.auth_budget.retry_after(wait)}
                return 401, "unauthorized", "staff only: send Authorization: Bearer <staff token>", {
                    "www-authenticate": "Bearer"}
        if method in ("POST", "PUT", "PATCH"):
            length = headers.get("content-length")
            if length is None or not length.isdigit():
                return 411, "length_required", "send the body with a Content-Length header", {}
            if int(length) > max_body(method, path):
                return 413, "too_large", f"the body is over {max_body(method, path):,} bytes", {}
        return None


async def _send_error(send, status: int, code: str, message: str,  # type: ignore[no-untyped-def]
                      extra: dict[str, str]) -> None:
    data = json.dumps(ErrorBody.of(code, message).model_dump(), ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
               (b"connection", b"close")] + [(k.encode(), v.encode()) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def spend(cost: float = 1.0):  # type: ignore[no-untyped-def]
    """A dependency taking ``cost`` from the client's request budget; over budget: 429 with Retry-After."""

    def dependency(request: Request) -> None:
        service: Service = request.app.state.service
        wait = service.budget.take(client_of(request.scope), cost)
        if wait:
            raise ApiError(429, "too_many_requests", "too many requests from this address; wait and retry",
                           {"Retry-After": service.budget.retry_after(wait)})

    return dependency
