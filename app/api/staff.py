"""Staff over HTTP: POST /api/v1/documents (multipart upload) and DELETE /api/v1/documents/{id}.

Only with ``Authorization: Bearer <BUDGETQA_STAFF_TOKEN>``: ``app.api.guard.Doors`` answers 401 from the
headers before a byte of the body is read, and 413 for a body over the upload limit. An upload goes the
staff desk's way: the file is kept in the store's ``uploads/`` folder under a cleaned name and read by
``ingest.process`` in a child process (so reading never holds up the answers), then the index is synced
and the engine answers from it at once. One upload at a time per process.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.api.errors import ApiError
from app.api.models import ErrorBody, RemoveResult, UploadResult
from app.terminal import public_error
from ingest.limits import LIMITS, words
from ingest.maintenance import remove_document
from ingest.model import IngestError
from ingest.readers import SUPPORTED

router = APIRouter(tags=["staff"])
MAX_FILES = 10
STAFF = {401: {"model": ErrorBody, "description": "no or wrong staff token (nothing was read or stored)"},
         409: {"model": ErrorBody, "description": "this server's store is read-only"},
         413: {"model": ErrorBody, "description": "over the upload limit (nothing was read or stored)"}}
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"},
                            "description": f"one or more .txt, .pdf or .xlsx disclosures, at most "
                                           f"{words(LIMITS.max_upload_bytes)} in all"},
                   "replace": {"type": "boolean", "default": False,
                               "description": "a re-issue of a stored disclosure (same department, year "
                                              "and kind) replaces it; else both are kept and answers "
                                              "name both"}}}}}}}


def safe_name(name: str) -> str:
    """An uploaded file's name as stored: no folders, no control characters, not hidden."""
    base = Path(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '/\\:*?"<>|').strip(" .")
    return base[:120] or "upload"


def _writable_engine(request: Request):  # type: ignore[no-untyped-def]
    engine = request.app.state.service.engine()
    if engine.ledger.readonly:
        raise ApiError(409, "read_only_store",
                       "the store is read-only: it can answer questions but not change")
    return engine


def _keep(files: list[UploadFile], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    for f in files:
        target = folder / safe_name(f.filename or "upload")
        with target.open("wb") as out:
            shutil.copyfileobj(f.file, out)
        kept.append(target)
    return kept


def _check(files: list[UploadFile]) -> None:
    if not files:
        raise ApiError(422, "invalid_request", "send the disclosures as multipart form field 'file'")
    if len(files) > MAX_FILES:
        raise ApiError(422, "invalid_request", f"at most {MAX_FILES} files per upload")
    for f in files:
        if Path(f.filename or "").suffix.lower() not in SUPPORTED:
            name = safe_name(f.filename or "")
            raise ApiError(415, "unsupported_type",
                           f"{name}: only .txt, .pdf and .xlsx disclosures are accepted")


def _ingest(request: Request, engine, paths: list[Path],  # type: ignore[no-untyped-def]
            replace: bool = False) -> dict:
    with request.app.state.service.upload_lock:
        try:
            report = engine.ingest(paths, child=True, replace=replace)
        except IngestError as e:
            _forget(engine, paths)
            raise ApiError(422, "refused", f"{public_error(e)}; nothing was changed") from None
    _forget(engine, [p for p in paths if any(p.name == name for name, _ in report.refused)])
    return {"summary": report.summary(),
            "documents": [{"id": i, "source": key, "action": action} for key, i, action in report.documents],
            "warnings": report.warnings, "refused": [public_error(ValueError(r)) for _, r in report.refused]}


def _forget(engine, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    """A refused file is not kept, unless a stored document is that file (an earlier upload)."""
    held = {str(Path(d.path).resolve()) for d in engine.documents()}
    for p in paths:
        if str(p.resolve()) not in held:
            p.unlink(missing_ok=True)


@router.post("/documents", response_model=UploadResult, responses=STAFF, openapi_extra=UPLOAD_BODY,
             summary="Staff: upload disclosures (multipart field 'file'), read in a child process")
async def upload(request: Request) -> dict:
    engine = _writable_engine(request)
    form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES + 2)
    try:
        files = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
        _check(files)
        replace = str(form.get("replace") or "").strip().lower() in ("1", "true", "on", "yes")
        paths = _keep(files, Path(engine.ledger.store) / "uploads")
    finally:
        await form.close()
    return await run_in_threadpool(_ingest, request, engine, paths, replace)


@router.delete("/documents/{doc_id}", response_model=RemoveResult, responses=STAFF,
               summary="Staff: remove one document from the ledger and the index")
def remove(doc_id: str, request: Request) -> dict:
    engine = _writable_engine(request)
    if engine.ledger.document(doc_id) is None:
        raise ApiError(404, "not_found", "no document with this id (see GET /api/v1/documents)")
    with request.app.state.service.upload_lock:
        removed = remove_document(engine.ledger, doc_id, engine.index)
    engine.refresh()
    d = removed.document
    return {"removed": d.id, "source": d.source_key, "facts": removed.facts, "index": removed.index_note}
