"""The HTTP edge of the web app: staff-only uploads, a staff session route and streamed CSV downloads.

Why an ASGI middleware: Gradio's /gradio_api/upload route stores any visitor's bytes before any event
handler runs. The guard answers 403 before reading the request body unless the request carries the staff
password (header) or a staff session cookie, so an anonymous visitor cannot put a byte on the disk.
CSV downloads are streamed from the ledger, so no file is left behind per request.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from http.cookies import SimpleCookie
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, StreamingResponse

from app.web.format import filter_facts
from app.web.staff_auth import COOKIE, HEADER, StaffGate
from ingest.model import csv_safe, fact_record

UPLOAD_PATHS = ("/upload", "/gradio_api/upload", "/process_recording")


def _client(scope) -> str:  # type: ignore[no-untyped-def]
    return (scope.get("client") or ("", 0))[0] or ""


def _headers(scope) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def staff_request(scope, gate: StaffGate) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    """(allowed, reason): the staff header is checked (rate-limited), else the session cookie."""
    headers = _headers(scope)
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header is just no session
        pass
    token = cookie[COOKIE].value if COOKIE in cookie else None
    if gate.session_ok(token):
        return True, ""
    if HEADER in headers:
        verdict = gate.check(headers[HEADER], _client(scope))
        return verdict.ok, verdict.reason
    if not gate.enabled():
        return False, "uploads are disabled on this server"
    return False, "staff only: sign in on the Upload tab first"


API_PREFIX = "/api/v1/"  # the HTTP API checks its own staff token before reading a body (app/api/guard.py)


def carries_files(scope) -> bool:  # type: ignore[no-untyped-def]
    """An upload route, or any multipart body (Gradio parses those into temporary files on several routes)."""
    if scope["type"] != "http" or scope.get("path", "").startswith(API_PREFIX):
        return False
    if scope.get("path", "").rstrip("/").endswith(UPLOAD_PATHS):
        return True
    return _headers(scope).get("content-type", "").lower().lstrip().startswith("multipart/")


class UploadGuard:
    """Refuses every upload that is not from staff, before a byte of the body is read."""

    def __init__(self, app, gate: StaffGate):  # type: ignore[no-untyped-def]
        self.app = app
        self.gate = gate

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if carries_files(scope):
            ok, reason = staff_request(scope, self.gate)
            if not ok:
                await _send_json(send, 403, {"detail": reason})
                return
        await self.app(scope, receive, send)


async def _send_json(send, status: int, body: dict) -> None:  # type: ignore[no-untyped-def]
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": data})


# the CSV's headers in Chinese (the Data tab in Chinese); English keeps fact_record's own names
CSV_HEADERS_ZH = {
    "document": "文件编号", "department": "部门", "year": "年度", "kind": "文件类型", "table": "表",
    "table_title": "表名", "side": "收/支", "row": "行名", "label": "项目", "code": "编码", "column": "栏目",
    "value": "数值", "unit": "单位", "measure": "度量", "ref_year": "所指年度", "compared_with": "比较对象",
    "total": "合计", "page": "页", "line": "行号", "source": "原文", "id": "编号",
}


def csv_rows(facts, lang: str = "en") -> Iterator[bytes]:  # type: ignore[no-untyped-def]
    """UTF-8 (BOM first, for spreadsheets) CSV lines, formulas neutralised, produced as they are sent;
    headers in `lang` ("zh" or "en")."""
    buf = io.StringIO()
    rows = (csv_safe(fact_record(f)) for f in facts)
    first = next(rows, None)
    fields = list(first) if first else ["id"]
    writer = csv.DictWriter(buf, fieldnames=fields)
    names = CSV_HEADERS_ZH if lang == "zh" else {}
    csv.writer(buf).writerow([names.get(k, k) for k in fields])
    yield ("\ufeff" + buf.getvalue()).encode("utf-8")
    for row in ([first] if first else []):
        buf.seek(0)
        buf.truncate()
        writer.writerow(row)
        yield buf.getvalue().encode("utf-8")
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow(row)
        yield buf.getvalue().encode("utf-8")


def csv_link(doc_id: str, table_id: str, text: str, lang: str = "") -> str:
    """The streamed download's address for the Data view's current filter (headers in `lang`)."""
    q = f"document={quote(doc_id or '')}&table={quote(table_id or '')}&q={quote(text or '')}"
    return f"bq/facts.csv?{q}" + (f"&lang={lang}" if lang in ("zh", "en") else "")


def add_routes(app, engine, gate: StaffGate) -> None:  # type: ignore[no-untyped-def]
    """The staff session and CSV routes on Gradio's FastAPI app, plus the upload guard."""

    app.add_middleware(UploadGuard, gate=gate)

    @app.post("/bq/staff/session", response_model=None)
    async def staff_session(request: Request) -> JSONResponse:
        verdict = gate.check(request.headers.get(HEADER), request.client.host if request.client else "")
        if not verdict.ok:
            return JSONResponse({"detail": verdict.reason}, status_code=403)
        response = JSONResponse({"detail": "signed in"})
        response.set_cookie(COOKIE, gate.open_session(), httponly=True, samesite="strict",
                            max_age=int(gate.session_seconds))
        return response

    @app.get("/bq/facts.csv", response_model=None)
    def facts_csv(document: str = "", table: str = "", q: str = "", lang: str = "en") -> StreamingResponse:
        facts = filter_facts(engine.ledger.facts(document_id=document or None, table_id=table or None), q)
        name = "facts" + (f"-{document}" if document else "") + (f"-table{table}" if table else "") + ".csv"
        safe = "".join(ch for ch in name if ch.isalnum() or ch in "-_.") or "facts.csv"
        return StreamingResponse(csv_rows(facts, lang), media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": f'attachment; filename="{safe}"'})
