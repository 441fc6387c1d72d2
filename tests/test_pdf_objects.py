"""The lighter object conversion (ingest/readers/pdf_objects.py) gives pdfplumber's own dicts, exactly."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from pdf_factory import continued_table_pdf, unruled_tables_pdf
from pdfplumber.page import Page

from ingest.readers import pdf_objects

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"


def _both(data: bytes) -> int:
    """Every object of every page, converted by pdfplumber's method and by ours, compared key by key."""
    n = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            layout = page.layout
            theirs = [pdf_objects.ORIGINAL(page, o) for o in _leaves(layout._objs)]
            ours = [pdf_objects.process_object(page, o) for o in _leaves(layout._objs)]
            for a, b in zip(theirs, ours, strict=True):
                assert list(a) == list(b) and a == b
            n += len(ours)
    return n


def _leaves(objs):  # type: ignore[no-untyped-def]
    for o in objs:
        if hasattr(o, "_objs"):
            yield from _leaves(o._objs)
        else:
            yield o


def test_generated_pages_convert_to_the_same_dicts() -> None:
    assert _both(continued_table_pdf()) > 100
    assert _both(unruled_tables_pdf(with_cover=True)) > 100


@pytest.mark.samples
@pytest.mark.parametrize("name", ["putuo-finance-bureau-2024-final-accounts.pdf",
                                  "cities/008_杭州__2026年杭州市气象局部门预算.pdf"])
def test_sample_pages_convert_to_the_same_dicts(name: str) -> None:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip("../shared/samples is absent")
    assert _both(path.read_bytes()) > 10_000


def test_installed_for_the_pinned_pdfplumber_only(monkeypatch) -> None:
    import ingest.readers.pdf  # noqa: F401 - reading a PDF installs it

    assert Page.process_object is pdf_objects.process_object
    monkeypatch.setattr(Page, "process_object", pdf_objects.ORIGINAL)
    monkeypatch.setattr(pdfplumber, "__version__", "0.12.0")
    assert not pdf_objects.install() and Page.process_object is pdf_objects.ORIGINAL
