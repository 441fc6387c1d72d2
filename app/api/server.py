"""Read workers: several processes answering /api/v1 behind one port, beside the Gradio UI's own process.

Why processes: an answer is CPU-bound Python, so one process answers on one core whatever its threads;
N workers sharing one listening socket (uvicorn's supervisor) use N cores. A worker never writes: it
opens the store read-only (a published snapshot, or the writer's live ledger beside it) and has no staff
routes — staff upload on the Gradio process, which keeps the writable store and its own /api/v1.

    budgetqa serve --store S --workers 2                 # UI on :7860, 2 API workers on :7861
    BUDGETQA_STORE=/srv/budgetqa/current uvicorn app.api.server:create_app --factory --workers 2 \
        --host 127.0.0.1 --port 7861 --forwarded-allow-ips "$BUDGETQA_TRUSTED_PROXIES"   # without the UI

A worker follows ``BUDGETQA_STORE`` through symlinks (``app.api.service.FollowedStore``): pointing the link
at a new snapshot swaps it in without a restart; ``kill -HUP`` on the supervisor replaces the workers one
at a time (a new one serving before an old one stops), for a new release of the code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi import FastAPI

from app import config
from app.api import PREFIX, create_api, errors
from app.api.service import FollowedStore, Service
from ingest.settings import settings

HEALTHCHECK_SECONDS = 30.0  # a worker opening a large store answers the supervisor's pings meanwhile


def create_app() -> FastAPI:
    """uvicorn's app factory, run once in each worker: the API over ``BUDGETQA_STORE``, read-only."""
    store = config.store_path()
    service = Service(FollowedStore(store), staff_routes=False)
    root = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    errors.install(root)
    root.mount(PREFIX, create_api(service))
    return root


def uvicorn_options() -> dict:
    """How every server of the API runs: X-Forwarded-For believed only from BUDGETQA_TRUSTED_PROXIES
    (uvicorn's default believes loopback, so forged headers from one local client would be many clients)."""
    return {"forwarded_allow_ips": settings().trusted_proxies, "log_level": "warning", "access_log": False}


def serve_workers(store: Path, host: str, port: int, workers: int) -> None:
    """N read workers behind ``host:port`` until interrupted."""
    import uvicorn

    os.environ["BUDGETQA_STORE"] = str(store)
    uvicorn.run("app.api.server:create_app", factory=True, host=host, port=port, workers=workers,
                timeout_worker_healthcheck=HEALTHCHECK_SECONDS, **uvicorn_options())


def serve(store: Path, host: str, port: int, workers: int, api_port: int | None = None) -> None:
    """`budgetqa serve --workers N`: the Gradio UI (and staff) in its own process on ``port``, N read workers
    for /api/v1 on ``api_port`` (default ``port + 1``), over the same store."""
    api_port = api_port or port + 1
    ui = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--store", str(store), "--host", host,
                           "--port", str(port)], cwd=config.PROJECT)
    print(f"BudgetQA API: {workers} workers on http://{host}:{api_port}{PREFIX}/ (docs: {PREFIX}/docs)",
          flush=True)
    try:
        serve_workers(store, host, api_port, workers)
    finally:
        ui.terminate()
        try:
            ui.wait(timeout=20)
        except subprocess.TimeoutExpired:
            ui.kill()
