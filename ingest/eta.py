"""Progress lines with an estimate of the time left, for long bulk steps (indexing 1,000 documents)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Eta:
    """Reports ``done/total`` with elapsed time and a linear estimate of what is left."""

    what: str
    total: int
    progress: Callable[[str], None] | None = None
    start: float = field(default_factory=time.perf_counter)

    def line(self, done: int) -> str:
        elapsed = time.perf_counter() - self.start
        left = elapsed / done * (self.total - done) if done else 0.0
        return f"{self.what}: {done}/{self.total}, {elapsed:.0f}s elapsed, ETA {left:.0f}s"

    def report(self, done: int) -> None:
        if self.progress and self.total:
            self.progress(self.line(done))
