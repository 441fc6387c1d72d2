"""A per-client request budget (a token bucket per client address), reusable by any route.

Why: the service is public and anonymous, so one client must not be able to take every worker's time.
Each client gets ``burst`` requests at once and ``rate`` more per second after that; an expensive route
(a rendered page) costs more than one token. A request over budget is told how many seconds to wait
(HTTP 429 with ``Retry-After``). Pure Python, no web framework: the HTTP API, the web page renders and
the report route can each hold one. The client is the address the HTTP server reports: uvicorn believes
X-Forwarded-For only from ``BUDGETQA_TRUSTED_PROXIES`` (``app.api.server.uvicorn_options``). The budget is
per process: with N workers behind one port a client spreading its requests over several connections can
get up to N times it (a front proxy that limits by address, such as nginx's ``limit_req``, holds a
city-wide budget).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field


@dataclass
class RequestBudget:
    """``burst`` tokens per client, refilled at ``rate`` per second; at most ``max_clients`` remembered
    (the least recently seen are forgotten first, which only ever gives a client a full bucket)."""

    rate: float = 5.0
    burst: float = 60.0
    max_clients: int = 100_000
    clock: object = time.monotonic  # a test seam: any () -> float
    _buckets: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, client: str, cost: float = 1.0) -> float:
        """Spend ``cost`` tokens of this client's budget: 0.0 when allowed, else the seconds to wait."""
        if self.rate <= 0:  # switched off
            return 0.0
        now = self.clock()  # type: ignore[operator]
        with self._lock:
            tokens, seen = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - seen) * self.rate)
            if tokens >= cost:
                wait, tokens = 0.0, tokens - cost
            else:
                wait = (min(cost, self.burst) - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait

    def retry_after(self, wait: float) -> str:
        """The Retry-After header's value: whole seconds, at least 1."""
        return str(max(1, math.ceil(wait)))


@dataclass
class DailyCap:
    """At most ``per_day`` uses per client per calendar day (UTC), ``max_clients`` remembered (the least
    recently seen are forgotten first). ``per_day`` 0: no cap."""

    per_day: int = 50
    max_clients: int = 100_000
    clock: object = time.time  # a test seam: any () -> float, seconds since the epoch
    _used: OrderedDict[str, tuple[int, int]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, client: str) -> bool:
        """Count one use for ``client``: True when it is within today's cap, else False (nothing counted)."""
        if self.per_day <= 0:
            return True
        today = int(self.clock() // 86400)  # type: ignore[operator]
        with self._lock:
            day, used = self._used.pop(client, (today, 0))
            used = used if day == today else 0
            allowed = used < self.per_day
            self._used[client] = (today, used + allowed)
            while len(self._used) > self.max_clients:
                self._used.popitem(last=False)
        return allowed
