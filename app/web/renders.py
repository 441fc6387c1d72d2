"""Page renders for anonymous visitors, within a budget: cached, rate-limited per client, a bounded pool.

Why: rendering a PDF page is ~0.3-1 s of CPU and tens of MB; 120 anonymous ``page.png`` requests, 40 at a
time, took another visitor's answer from 17 ms to 3.45 s (issue 22). So every render, from either door
(the web app's ``/bq/source/page.png`` and the HTTP API's ``/documents/{id}/pages/{n}.png``), goes through
one ``RenderPool`` per process:

- a rendered page is kept (an LRU of PNG bytes keyed by file, page and marks, bounded in bytes), so a page
  asked for again costs nothing and is never counted against anyone;
- a render that is not cached takes one token of the client's render budget (``RequestBudget``, per
  address; the address is the server's, which believes X-Forwarded-For only from BUDGETQA_TRUSTED_PROXIES):
  over it, ``RenderRefused`` 429 with the seconds to wait;
- at most ``slots`` renders run at once; one that cannot get a slot within ``wait`` seconds is refused
  503 "busy, retry in N s", so a flood of renders leaves the other threads to answer questions.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path

from app.quota import RequestBudget
from ingest.settings import settings


class RenderRefused(Exception):
    """A render not done: ``status`` 429 (this client's budget) or 503 (every slot busy)."""

    def __init__(self, status: int, retry_after: str, message: str):
        super().__init__(message)
        self.status, self.retry_after, self.message = status, retry_after, message


@dataclass
class PngCache:
    """Least recently used PNG bytes, at most ``max_bytes`` in all (0: keeps nothing)."""

    max_bytes: int = 64 * 1024 * 1024
    _items: OrderedDict[Hashable, bytes] = field(default_factory=OrderedDict)
    _size: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            png = self._items.get(key)
            if png is not None:
                self._items.move_to_end(key)
            return png

    def put(self, key: Hashable, png: bytes) -> None:
        if len(png) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._size += len(png) - (len(old) if old is not None else 0)
            self._items[key] = png
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class RenderPool:
    """The render budget both doors of one process share (see the module's docstring)."""

    budget: RequestBudget = field(default_factory=lambda: RequestBudget(rate=0.2, burst=10))
    slots: int = 2
    wait: float = 2.0
    cache: PngCache = field(default_factory=PngCache)
    rendered: int = 0  # renders run (not served from the cache) since start
    _slots: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(self.slots)

    @classmethod
    def from_settings(cls) -> RenderPool:
        s = settings()
        return cls(RequestBudget(s.render_rate, s.render_burst), s.render_slots, s.render_wait,
                   PngCache(s.render_cache_mb * 1024 * 1024))

    def busy_after(self) -> str:
        """The Retry-After of a 503: the slot wait rounded up, at least 1 s."""
        return str(max(1, math.ceil(self.wait)))

    def png(self, client: str, key: Hashable, render: Callable[[], bytes]) -> bytes:
        """The PNG for ``key``: from the cache, else ``render()`` within the client's budget and a slot."""
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        wait = self.budget.take(client)
        if wait:
            after = self.budget.retry_after(wait)
            raise RenderRefused(429, after, f"too many page renders from this address; retry in {after} s")
        if not self._slots.acquire(timeout=self.wait):
            after = self.busy_after()
            raise RenderRefused(503, after, f"busy rendering other pages; retry in {after} s")
        try:
            png = render()
            self.rendered += 1
        finally:
            self._slots.release()
        self.cache.put(key, png)
        return png

    def hold(self) -> bool:
        """Take one slot without rendering (a test seam: make the pool busy); give it back with ``free``."""
        return self._slots.acquire(timeout=self.wait)

    def free(self) -> None:
        self._slots.release()


def page_key(path: str, page: int, *marks: str) -> tuple:
    """A cache key: the file (with its size and modification time, so a replaced file is rendered anew),
    the page and the marks."""
    try:
        st = Path(path).stat()
        stamp = (st.st_size, st.st_mtime_ns)
    except OSError:
        stamp = (0, 0)
    return (str(path), stamp, int(page), *marks)
