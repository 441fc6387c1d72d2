"""How much the web app takes at once: answers in flight, the queue, staff uploads (size and types from
ingest's limits and reader registry).

Answers (/ask and the chat, one shared queue) run one at a time: `make bench-load` on 2 cores measured
concurrency 1 fastest (2, 4, 8 were slower: the work is CPU-bound Python under one GIL); 2026-12-02 p50
418 ms, p95 949 ms, 38 answers/s for 20 clients back to back; see docs/guard.md. BUDGETQA_CONCURRENCY
overrides it.
"""

from __future__ import annotations

from ingest import limits
from ingest.readers import SUPPORTED
from ingest.settings import settings

CONCURRENCY = settings().concurrency
QUEUE_SIZE = 256
MAX_UPLOAD_BYTES = limits.LIMITS.max_upload_bytes
UPLOAD_TYPES = SUPPORTED  # every registered reader's suffixes
