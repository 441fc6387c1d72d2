"""Shared fixtures: the seed in corpus/, the Shanghai samples beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.settings import settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "antu-social-insurance-2026-department-budget.txt"
SAMPLES = settings().samples
SAMPLE_FILES = {
    "dept": "putuo-justice-bureau-2026-department-budget.pdf",
    "unit": "putuo-justice-bureau-2026-unit-budget.pdf",
    "final": "putuo-finance-bureau-2024-final-accounts.pdf",
}


def samples_dir() -> Path:
    """The sample PDFs; skipped when absent outside CI, a failure in CI."""
    if SAMPLES.is_dir() and all((SAMPLES / f).exists() for f in SAMPLE_FILES.values()):
        return SAMPLES
    if settings().require_samples:
        pytest.fail(f"BUDGETQA_REQUIRE_SAMPLES=1 but the sample PDFs are missing from {SAMPLES}")
    pytest.skip(f"sample PDFs not found at {SAMPLES} (they live in ../shared/samples)")


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def samples() -> dict[str, Path]:
    base = samples_dir()
    return {k: base / v for k, v in SAMPLE_FILES.items()}


def engine_on(tmp_path_factory, name: str, files: list[str]):
    """An engine over real sample files (paths under ../shared/samples), read without the dense index."""
    from app.engine import Engine
    from ingest.pipeline import ingest

    base = samples_dir()
    store = tmp_path_factory.mktemp(name) / "store"
    ingest([base / f for f in files], store, index=False)
    return Engine.open(store, dense=False)


def answered(engine, question: str, history: list[str] | None = None):
    """Ask and require a figure-bearing answer (the message shows the answer when it is not)."""
    a = engine.ask(question, history=history)
    assert a.status == "answered", a.answer
    return a


@pytest.fixture
def chroma_url(tmp_path):
    """A real `chroma run` on a free loopback port, its data in the test's temp folder, stopped afterwards."""
    from evals.chroma_server import ChromaServer

    server = ChromaServer(tmp_path / "chroma-server")
    try:
        url = server.start()
    except RuntimeError as e:
        pytest.fail(str(e))
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    """One Chromium per browser test module (Debian's /usr/bin/chromium, no download), closed after it."""
    from playwright.sync_api import sync_playwright
    from test_browser import ARGS, CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
