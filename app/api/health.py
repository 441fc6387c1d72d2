"""GET /api/v1/health: is this process answering, from which ledger generation, is its index in sync."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.api.models import Health
from ingest.snapshot import marker

router = APIRouter(tags=["service"])


def index_health(engine) -> dict:  # type: ignore[no-untyped-def]
    """Dense retrieval on or off; once opened, whether every ledger document is indexed."""
    index = engine.index
    if index is None:
        return {"dense": False, "opened": False, "in_sync": None}
    opened = getattr(index, "is_open", True)
    if not opened:
        return {"dense": True, "opened": False, "in_sync": None}
    waiting = getattr(index, "wait", None)
    return {"dense": True, "opened": True, "in_sync": index.in_sync(engine.ledger),
            "syncing": not waiting(0) if waiting else False}


@router.get("/health", response_model=Health, summary="Liveness, ledger generation, documents, index state")
def health(request: Request) -> dict:
    """Not counted against the request budget: load balancers poll it."""
    engine = request.app.state.service.engine()
    return {"status": "ok", "generation": engine.ledger.get_meta("generation"),
            "documents": len(engine.documents()), "read_only": engine.ledger.readonly,
            "snapshot": marker(engine.ledger.store).get("published_at"), "index": index_health(engine)}
