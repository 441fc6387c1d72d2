"""Every ``BUDGETQA_*`` environment variable, read in one place (pydantic-settings).

Why here: ``ingest`` is the ground floor — ``app`` and ``evals`` import it, it imports neither — so the
one settings object both need lives at the bottom. ``settings()`` reads the environment each time it is
called (a few microseconds), so a test or a child process that changes a variable is seen at once.
The README's settings table is written from ``Settings.model_fields``; keep the descriptions short.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT = Path(__file__).resolve().parent.parent

# Offline at run time: no model hub, no telemetry. Set before any ML or web library is imported.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    # Gradio's queue rebuilt a pandas table of its last 10,000 events after every event (its monitoring
    # summary, unused here): 4-13 ms of CPU per answer, growing with uptime. Refreshed every 500 events.
    "GRADIO_ANALYTICS_CACHE_FREQUENCY": "500",
}


def go_offline() -> None:
    """Set the offline switches unless the environment already chose."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


go_offline()


class Settings(BaseSettings):
    """What an operator may set; every field is ``BUDGETQA_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="BUDGETQA_", extra="ignore")

    store: Path | None = Field(None, description="the store folder when --store is not given "
                                                 "(default data/store)")
    staff_password: SecretStr | None = Field(
        None, description="opens the web staff desk (upload, remove, reports); unset: no one can "
                          "change the store")
    staff_token: SecretStr | None = Field(
        None, description="bearer token for staff routes of the HTTP API (/api/v1 upload, remove)")
    trusted_proxies: str = Field(
        "", description="comma-separated proxy addresses whose X-Forwarded-For is believed (default none)")
    chroma_url: str | None = Field(None, description="a Chroma server instead of the embedded index")
    chroma_prefix: str | None = Field(None, description="collection-name prefix on a shared Chroma server")
    embed_model: str = Field("", description="another sentence-transformers model name or path")
    dense_indexes: str = Field(
        "labels", description="dense indexes built and searched: labels, passages (comma-separated) or none")
    torch_threads: int = Field(1, ge=1, description="torch threads for the embedding model")
    ingest_workers: int | None = Field(None, ge=0, description="reading processes (default: usable cores; "
                                                               "0: read in the calling process, no memory "
                                                               "ceiling)")
    read_memory_mb: int = Field(2048, ge=64, description="a reading worker over this much memory is "
                                                          "stopped and its file refused")
    embed_ahead_min: int = Field(0, ge=0,
                                 description="an upload embeds in its child from this many texts (0: always)")
    concurrency: int = Field(1, ge=1, description="Gradio queue workers answering at once")
    api_rate: float = Field(5.0, ge=0, description="HTTP API: requests per second per client (0: no limit)")
    api_burst: float = Field(60.0, ge=1, description="HTTP API: requests a client may make at once")
    render_rate: float = Field(0.2, ge=0, description="page renders (PNG) per second per client, both doors "
                                                       "(0: no limit)")
    render_burst: float = Field(10.0, ge=1, description="page renders a client may ask for at once")
    render_slots: int = Field(2, ge=1, description="page renders running at once in one process")
    render_wait: float = Field(2.0, ge=0, description="seconds a render waits for a slot, then 503 busy")
    render_cache_mb: int = Field(64, ge=0, description="rendered pages kept in memory (MB; 0: no cache)")
    report_rate: float = Field(5.0, ge=0, description="wrong-answer reports per minute per client "
                                                        "(0: no limit)")
    report_daily: int = Field(50, ge=0, description="wrong-answer reports per client per day (0: no limit)")
    ingest_pause: float = Field(0.0, ge=0, description="test seam: seconds to pause between documents")
    samples: Path = Field(PROJECT.parent / "shared" / "samples",
                          description="the sample disclosures the eval and benches read")
    require_samples: bool = Field(False, description="CI: missing samples fail instead of skipping")
    require_browser: bool = Field(False, description="CI: a missing browser fails instead of skipping")
    screenshots: Path = Field(PROJECT / "artifacts" / "screenshots",
                              description="where the browser tests save their pictures "
                                          "(make screenshots: docs/)")


def settings() -> Settings:
    """The settings as the environment holds them now."""
    return Settings()
