"""Readers are registered objects: every place that names the file types asks the registry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.web.limits import UPLOAD_TYPES
from app.web.staff_auth import StaffGate
from app.web.staff_desk import check_upload
from app.web.text import t
from ingest import read_ahead
from ingest.limits import LIMITS
from ingest.model import IngestError
from ingest.pipeline import expand
from ingest.readers import HEAVY, READERS, SUPPORTED, read_file, reader_for, types_in_words
from tests.xlsx_factory import SEED, build_budget_workbook, legacy_xls_bytes

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared" / "samples" / \
    "putuo-justice-bureau-2026-department-budget.pdf"


def test_the_supported_types_are_the_readers_suffixes() -> None:
    assert SUPPORTED == tuple(s for r in READERS for s in r.suffixes)
    assert {".txt", ".pdf", ".xlsx"} <= set(SUPPORTED)
    assert all(reader_for(f"budget{s.upper()}") is not None for s in SUPPORTED)  # any case
    assert reader_for("budget.docx") is None
    assert UPLOAD_TYPES == SUPPORTED
    assert read_ahead.HEAVY == HEAVY and ".txt" not in HEAVY and ".pdf" in HEAVY


def test_every_type_is_named_in_the_refusals_and_the_staff_text(tmp_path: Path) -> None:
    docx = tmp_path / "budget.docx"
    docx.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(IngestError) as err:
        read_file(docx)
    assert str(err.value).endswith(f"(supported: {', '.join(SUPPORTED)})")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IngestError, match=f"no {types_in_words()} disclosure found"):
        expand([tmp_path / "empty"])
    for lang in ("zh", "en"):
        assert all(s in t("staff_intro", lang) for s in SUPPORTED)


def test_upload_limit_is_the_readers_own_when_smaller(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BUDGETQA_STAFF_PASSWORD", "pw")
    gate = StaffGate()
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 6 MB on paper, over the text reader's 5 MB
        fh.truncate(LIMITS.max_bytes_txt + 1024 * 1024)
    paths, message = check_upload([str(big)], "pw", gate)
    assert not paths and message == "refused: big.txt: larger than 5 MB"
    paths, message = check_upload([str(tmp_path / "budget.docx")], "pw", gate)
    assert not paths and message == "refused: budget.docx: only .txt, .pdf and .xlsx disclosures are accepted"
    ok = tmp_path / SEED.name
    shutil.copy(SEED, ok)
    assert check_upload([str(ok)], "pw", gate) == ([ok], "")


def test_a_workbook_saved_under_a_text_name_is_read_by_its_content(tmp_path: Path) -> None:
    book = build_budget_workbook(tmp_path / "antu-2026-department-budget.xlsx")
    renamed = tmp_path / "antu-2026-department-budget.txt"
    shutil.copy(book, renamed)
    parsed, misnamed = read_file(book), read_file(renamed)
    assert [f.value for f in misnamed.facts] == [f.value for f in parsed.facts] and parsed.facts
    assert misnamed.warnings[0] == ("its name ends in .txt but it holds Excel workbook content; "
                                    "read as Excel workbook")


def test_a_legacy_workbook_under_a_text_name_is_refused_as_one(tmp_path: Path) -> None:
    xls = tmp_path / "budget.txt"
    xls.write_bytes(legacy_xls_bytes())
    with pytest.raises(IngestError, match="legacy Excel 97-2003"):
        read_file(xls)


@pytest.mark.samples
def test_a_pdf_saved_under_a_text_name_is_read_as_the_pdf(tmp_path: Path) -> None:
    if not SAMPLE.is_file():
        pytest.skip("../shared/samples is absent")
    renamed = tmp_path / "putuo-justice-bureau-2026-department-budget.txt"
    shutil.copy(SAMPLE, renamed)
    parsed, misnamed = read_file(SAMPLE), read_file(renamed)
    assert [(f.label, f.value) for f in misnamed.facts] == [(f.label, f.value) for f in parsed.facts]
    assert len(parsed.facts) > 100
    assert misnamed.warnings[0].endswith("holds PDF content; read as PDF")
