"""Where the store lives and the offline switches, set before any ML library is imported."""

from __future__ import annotations

import os
from pathlib import Path

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}
for _k, _v in OFFLINE_ENV.items():
    os.environ.setdefault(_k, _v)
# Gradio's queue rebuilt a pandas table of its last 10,000 events after every event (its monitoring
# summary, unused here): 4-13 ms of CPU per answer, growing with uptime. Refreshed every 500 events instead.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "500")

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "corpus"


def store_path(explicit: str | os.PathLike | None = None) -> Path:
    """--store, else BUDGETQA_STORE, else data/store in the project (git-ignored)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("BUDGETQA_STORE")
    return Path(env) if env else PROJECT / "data" / "store"
