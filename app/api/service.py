"""What the API's routes share: the engine they answer from, the request budgets and the staff token.

Why a source rather than an engine: a read worker serving a published snapshot through a symlink
(``/srv/budgetqa/current → 2026-12-03``) follows the link. When it moves, the new snapshot is opened
beside the old one and swapped in once it can answer; requests in flight finish on the old engine, so a
rollout drops nothing. The Gradio process hands its own engine in (``FixedEngine``), which already
follows its writable store's ledger generation.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.engine import Engine
from app.quota import RequestBudget
from app.web.renders import RenderPool
from ingest.settings import settings
from ingest.snapshot import dense_available, is_snapshot

log = logging.getLogger("budgetqa.api")
CHECK_SECONDS = 1.0  # how often a followed store's link is looked at


class FixedEngine:
    """An engine opened by someone else (the Gradio process)."""

    def __init__(self, engine: Engine):
        self._engine = engine

    def get(self) -> Engine:
        return self._engine


def open_reader(store: Path) -> Engine:
    """An engine for a read worker: it never writes. A published snapshot queries the Chroma server when
    one is set; any other store (read beside its writer) answers from the ledger with BM25, because an
    embedded Chroma index is not safe to share between processes."""
    dense = dense_available(store) and bool(settings().chroma_url) and is_snapshot(store)
    engine = Engine.open(store, dense=dense, warm=True)
    engine.warm_up()
    return engine


class FollowedStore:
    """The engine over ``store`` as it resolves now: re-opened in the background when a link moves."""

    def __init__(self, store: Path, opener=open_reader):  # type: ignore[no-untyped-def]
        self.store = Path(store)
        self._opener = opener
        self._target = os.path.realpath(self.store)
        self._engine = opener(Path(self._target))
        self._checked = time.monotonic()
        self._swapping = threading.Lock()

    def get(self) -> Engine:
        now = time.monotonic()
        if now - self._checked >= CHECK_SECONDS:
            self._checked = now
            target = os.path.realpath(self.store)
            if target != self._target and self._swapping.acquire(blocking=False):
                threading.Thread(target=self._swap, args=(target,), daemon=True).start()
        return self._engine

    def _swap(self, target: str) -> None:
        try:
            engine = self._opener(Path(target))
            self._engine, self._target = engine, target
            log.info("now serving %s", Path(target).name)
        except Exception:  # the old snapshot keeps serving; the next check tries again
            log.exception("could not open the new snapshot; still serving the previous one")
        finally:
            self._swapping.release()


@dataclass
class Service:
    """The routes' shared state."""

    source: FixedEngine | FollowedStore
    staff_routes: bool = True  # a read worker has none: staff change the store on its writer
    budget: RequestBudget = field(default_factory=lambda: RequestBudget(settings().api_rate,
                                                                        settings().api_burst))
    # wrong staff tokens: 10 per client, then one more every minute
    auth_budget: RequestBudget = field(default_factory=lambda: RequestBudget(1 / 60, 10))
    # page renders: cached, per-client budget, bounded slots (the Gradio process shares its web app's pool)
    renders: RenderPool = field(default_factory=RenderPool.from_settings)
    upload_lock: threading.Lock = field(default_factory=threading.Lock)

    def engine(self) -> Engine:
        return self.source.get()
