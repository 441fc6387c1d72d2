"""Where the project, the corpus and the store are. The settings themselves are ``ingest.settings``."""

from __future__ import annotations

import os
from pathlib import Path

from ingest.settings import PROJECT, settings

CORPUS = PROJECT / "corpus"


def store_path(explicit: str | os.PathLike | None = None) -> Path:
    """--store, else BUDGETQA_STORE, else data/store in the project (git-ignored)."""
    if explicit:
        return Path(explicit)
    return settings().store or PROJECT / "data" / "store"
