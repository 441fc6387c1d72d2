"""Issue 12: a hostile corpus, generated per test, each file with its expected outcome.

Refused files name the limit or the reason in words and leave the store as it was; files that are read
warn about every cell they could not take (nothing is lost silently).
"""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import hostile_factory as hf
import pytest

from ingest.ledger import Ledger
from ingest.limits import LIMITS
from ingest.model import IngestError
from ingest.pipeline import ingest
from ingest.readers import read_file


def _store_state(store: Path) -> tuple:
    if not (store / "ledger.sqlite").exists():
        return ()
    ledger = Ledger(store)
    try:
        return tuple(ledger.counts().items()), ledger.get_meta("generation")
    finally:
        ledger.close()


def _bytes(data: bytes):  # type: ignore[no-untyped-def]
    def build(p: Path) -> Path:
        p.write_bytes(data)
        return p
    return build


# the cell and unpacked-size limits are lowered here so the bombs stay small and fast; the real limits are
# checked the same way (ingest.limits.LIMITS) and `many-rows-real` below runs one at full size
SMALL = {"max_cells": 20_000, "max_unzipped_bytes": 20 * 1024 * 1024}

REFUSED = {
    # name: (builder(tmp) -> path, words the refusal must contain)
    "far-cell.xlsx": (hf.far_cell_book, "over the limit of 2,000,000 cells"),
    "many-rows.xlsx": (lambda p: hf.many_rows_book(p, 12_000), "more than 20,000 non-empty cells"),
    "zip-bomb.xlsx": (lambda p: hf.zip_bomb_book(p, 30), "over the limit of 20 MB"),
    "many-merges.xlsx": (hf.many_merges_book, "over the limit of 2,000 ranges"),
    "encrypted.pdf": (_bytes(hf.encrypted_pdf()), "the PDF is encrypted (password-protected)"),
    "image-only.pdf": (_bytes(hf.image_only_pdf()), "no text layer"),
    "truncated.pdf": (_bytes(hf.text_pdf(["budget"])[:300]), "not a readable PDF"),
    "nul.txt": (_bytes(b"\x00\x01\x02binary\x00" * 100), "binary"),
    "huge.txt": (_bytes(b"a" * (LIMITS.max_bytes_txt + 1)), "over the 5 MB limit"),
    "empty.xlsx": (_bytes(b""), "empty"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_hostile_file_is_refused_in_words_and_store_unchanged(tmp_path: Path, name: str, monkeypatch) -> None:
    import ingest.readers.xlsx as xlsx

    monkeypatch.setattr(xlsx, "LIMITS", replace(LIMITS, **SMALL))
    monkeypatch.setenv("BUDGETQA_INGEST_WORKERS", "0")  # read here, where the limits are lowered
    build, words = REFUSED[name]
    path = build(tmp_path / name)
    store = tmp_path / "store"
    ingest([hf.SEED], store, index=False)
    before = _store_state(store)
    start = time.perf_counter()
    with pytest.raises(IngestError) as err:
        ingest([path], store, index=False)
    assert time.perf_counter() - start < 20
    message = str(err.value)
    assert words in message, message
    assert str(tmp_path) not in message  # no temp paths in what users see
    assert _store_state(store) == before


def test_workbook_over_the_real_cell_limit_is_refused_early(tmp_path: Path) -> None:
    path = hf.many_rows_book(tmp_path / "rows.xlsx", LIMITS.max_cells // 2 + 1)
    start = time.perf_counter()
    with pytest.raises(IngestError, match="more than 300,000 non-empty cells"):
        read_file(path)
    assert time.perf_counter() - start < 30


def test_size_is_checked_before_reading(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 40 MB on paper, nothing on disk
        fh.truncate(40 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read the whole file"))
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: pytest.fail("opened the file"))
    with pytest.raises(IngestError, match="over the 5 MB limit"):
        read_file(big)


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", True), ("utf-16-be", True), ("utf-16-le", False),
                                          ("utf-8", True), ("gb18030", False), ("gbk", False)])
def test_text_in_other_encodings_is_read(tmp_path: Path, encoding: str, bom: bool) -> None:
    path = tmp_path / f"antu-{encoding}-{bom}-2026-department-budget.txt"
    path.write_bytes(hf.text_disclosure(encoding, bom))
    parsed = read_file(path)
    housing = [f.value for f in parsed.facts if f.table_id == "01" and f.label == "住房保障支出"]
    assert Decimal("48.66") in housing


def test_formula_and_text_figures_warn_naming_the_cell(tmp_path: Path) -> None:
    def edit(ws):  # type: ignore[no-untyped-def]
        ws.append(["社会保障和就业支出", "1,2,3", "4.866E+1"])
        ws.append(["卫生健康支出", "=B4+B5", 3])
    parsed = read_file(hf.book(tmp_path / "cells.xlsx", edit=edit))
    text = "\n".join(parsed.warnings)
    assert "cell B7: '1,2,3' looks like a figure" in text
    assert "cell C7: '4.866E+1' looks like a figure" in text
    assert "cell B8: formula without a saved value" in text
    assert any(f.label == "卫生健康支出" and f.value == 3 for f in parsed.facts)


def test_overlapping_merges_keep_the_sheet_and_warn(tmp_path: Path) -> None:
    from openpyxl.worksheet.merge import MergedCellRange

    def edit(ws):  # type: ignore[no-untyped-def]
        ws.merged_cells.ranges.add(MergedCellRange(ws, "A1:C1"))
        ws.merged_cells.ranges.add(MergedCellRange(ws, "B1:C2"))
    parsed = read_file(hf.book(tmp_path / "merges.xlsx", edit=edit))
    assert any("overlap" in w and "A1:C1" in w for w in parsed.warnings), parsed.warnings
    assert any(f.label == "住房保障支出" and f.value == Decimal("48.66") for f in parsed.facts)


def test_sixty_digit_figure_is_refused_with_a_warning(tmp_path: Path) -> None:
    store = tmp_path / "store"
    rows = [["一般公共服务支出", 12.5, 10], ["住房保障支出", 10 ** 59, 40], ["支出合计", 61.16, 50]]
    report = ingest([hf.book(tmp_path / "digits.xlsx", rows=rows)], store, index=False)
    assert any("住房保障支出" in w and "outside the sane range" in w for w in report.warnings), report.warnings
    from app.engine import Engine

    engine = Engine.open(store, dense=False)
    assert all(f.value is None or abs(f.value) < LIMITS.max_abs_value for f in engine.ledger.facts())
    answer = engine.ask("住房保障支出本年预算是多少")  # the refused figure is a blank cell, never a number
    assert (answer.status, answer.value) == ("answered", None)
    assert "空白" in answer.answer
    assert [(c.row, c.column, c.value) for c in answer.citations] == [("住房保障支出", "本年预算", "")]
    share = engine.ask("一般公共服务支出占支出合计的比例")  # the row beside it still answers
    assert (share.status, share.unit) == ("answered", "%")
    assert share.value == (Decimal("12.5") / Decimal("61.16") * 100).quantize(Decimal("0.01"))
    assert [c.row for c in share.citations] == ["一般公共服务支出", "支出合计"]


def test_pdf_page_limit_is_checked_before_reading_pages(tmp_path: Path, monkeypatch) -> None:
    import ingest.limits as limits_mod

    monkeypatch.setattr(limits_mod, "LIMITS", replace(LIMITS, max_pages=0))
    monkeypatch.setattr("ingest.readers.pdf.read_pdf", lambda *a: pytest.fail("pages were read"))
    path = tmp_path / "one-page.pdf"
    path.write_bytes(hf.text_pdf(["2026 budget"]))
    with pytest.raises(IngestError, match="more than 0 pages"):
        read_file(path)


def test_text_table_cell_printed_like_a_figure_warns_naming_the_cell(tmp_path: Path) -> None:
    text = hf.SEED.read_text(encoding="utf-8")
    line = "二十、住房保障支出\t48.66\t48.66\t0.00"
    assert text.count(line) == 1
    path = tmp_path / "antu-typo-2026-department-budget.txt"
    path.write_text(text.replace(line, "二十、住房保障支出\t1,2,3\t48.66\t0.00"), encoding="utf-8")
    parsed = read_file(path)
    assert any(w.startswith("table 01 二十、住房保障支出 / 本年预算 (line 167): '1,2,3' looks like a figure")
               for w in parsed.warnings), parsed.warnings
