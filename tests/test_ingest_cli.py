"""`budgetqa ingest` refuses bad input with one error line and leaves the store untouched; `facts --csv`
lists cells."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.ledger import Ledger
from ingest.pipeline import ingest
from ingest.readers import read_file

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "antu-social-insurance-2026-department-budget.txt"


def budgetqa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def state(store: Path) -> tuple[dict[str, int], str]:
    """Row counts and a checksum of every stored row."""
    conn = sqlite3.connect(store / "ledger.sqlite")
    try:
        digest = hashlib.sha256()
        counts = {}
        for table in ("documents", "tables", "facts", "passages", "meta"):
            rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            counts[table] = len(rows)
            digest.update(repr(rows).encode("utf-8"))
    finally:
        conn.close()
    return counts, digest.hexdigest()


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("base") / "store"
    ingest([SEED], store, index=False)
    return store


@pytest.fixture
def store(base_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(base_store, copy)
    return copy


def _bad_inputs(folder: Path) -> dict[str, tuple[list[Path], str]]:
    """name → (paths given to ingest, text the error line must contain)."""
    folder.mkdir(parents=True, exist_ok=True)
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    blank = folder / "blank.txt"
    blank.write_text("\n \n\t\n", encoding="utf-8")
    binary = folder / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    docx = folder / "budget.docx"
    docx.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    nothing = folder / "no-disclosures"
    nothing.mkdir()
    (nothing / "notes.md").write_text("# 说明\n", encoding="utf-8")
    (nothing / "glossary.txt").write_text("住房保障支出\thousing\n", encoding="utf-8")
    notables = folder / "prose.txt"
    notables.write_text("安图县社会保险事业管理局\n\n2026 年部门预算\n\n第一部分 部门概况\n\n一、主要职能\n\n"
                        "负责社会保险经办，全年预算 1131.55 万元。\n", encoding="utf-8")
    return {
        "empty file": ([empty], "empty.txt: the file is empty"),
        "whitespace-only file": ([blank], "blank.txt: the file is empty"),
        "binary .txt": ([binary], "image.txt: binary data, not a text disclosure"),
        "unsupported extension": ([docx], "budget.docx: unsupported file type '.docx'"),
        "folder with no disclosures": ([nothing], "no .txt, .pdf or .xlsx disclosure found in"),
        "text without tables": ([notables], "prose.txt: no recognisable budget tables"),
        "nonexistent path": ([folder / "missing.txt"], "missing.txt: no such file or folder"),
    }


CASES = ["empty file", "whitespace-only file", "binary .txt", "unsupported extension",
         "folder with no disclosures", "text without tables", "nonexistent path"]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_and_store_untouched(case: str, store: Path, tmp_path: Path) -> None:
    paths, message = _bad_inputs(tmp_path / "input")[case]
    before = state(store)
    result = budgetqa("ingest", "--store", str(store), *map(str, paths))
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert state(store) == before
    assert before[0]["documents"] == 1


def test_folder_with_bad_files_stores_the_good_ones_and_exits_3(tmp_path: Path) -> None:
    """Each file is its own transaction: the bad ones are reported one per line, the good one is stored."""
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    store = tmp_path / "store"
    result = budgetqa("ingest", "--store", str(store), str(folder))
    assert result.returncode == 3, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2
    assert any("empty.txt: the file is empty" in e for e in errors)
    assert any("broken.pdf: not a readable PDF" in e for e in errors)
    assert "new       " in result.stdout and SEED.name in result.stdout
    assert "2 files refused" in result.stdout
    ledger = Ledger(store)
    try:
        assert [d.source_key for d in ledger.documents()] == [SEED.name]
    finally:
        ledger.close()


def test_documents_json_lists_identity_tables_and_reading(tmp_path: Path) -> None:
    from pdf_factory import unruled_tables_pdf

    pdf = tmp_path / "tables-only.pdf"
    pdf.write_bytes(unruled_tables_pdf())
    store = tmp_path / "store"
    assert budgetqa("ingest", "--store", str(store), str(pdf), str(SEED)).returncode == 0
    result = budgetqa("documents", "--store", str(store), "--json")
    assert result.returncode == 0, result.stderr
    docs = {d["source"]: d for d in json.loads(result.stdout)}
    d = docs["tables-only.pdf"]
    assert (d["department"], d["region"], d["year"], d["kind"], d["level"]) == (
        "中共江苏省委测试办公厅", "江苏省", 2031, "部门预算", "department")
    assert [(t["id"], t["unit"], t["unit_source"]) for t in d["tables"]] == [
        ("05", "万元", "caption"), ("06", "万元", "caption")]
    assert d["tables"][0]["facts"] > 0 and d["facts"] >= d["tables"][0]["facts"]
    assert d["reading"]["tables_found"] == 2 and d["reading"]["coverage_pct"] == 100.0
    assert isinstance(d["warnings"], list) and "passages" in d
    assert docs[SEED.name]["department"] == "安图县社会保险事业管理局"


def test_refusal_does_not_create_a_store(tmp_path: Path) -> None:
    paths, _ = _bad_inputs(tmp_path / "input")["empty file"]
    result = budgetqa("ingest", "--store", str(tmp_path / "fresh"), *map(str, paths))
    assert result.returncode == 2
    assert not (tmp_path / "fresh").exists()


def test_gb18030_copy_reads_like_the_utf8_seed(tmp_path: Path) -> None:
    gb = tmp_path / "antu-gb18030.txt"
    gb.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    assert gb.read_bytes() != SEED.read_bytes()
    parsed = read_file(gb)
    assert (parsed.document.department, parsed.document.year) == ("安图县社会保险事业管理局", 2026)
    utf8 = read_file(SEED)
    assert len(parsed.facts) == len(utf8.facts) and len(parsed.passages) == len(utf8.passages)

    store = tmp_path / "store"
    report = ingest([gb], store, index=False)
    assert [a for _, _, a in report.documents] == ["new"]
    ledger = Ledger(store)
    try:
        housing = [f for f in ledger.facts(table_id="01", labels=["住房保障支出"]) if f.column == "本年预算"]
        assert [(f.value, f.unit) for f in housing] == [(Decimal("48.66"), "万元")]
        assert ledger.documents()[0].department == "安图县社会保险事业管理局"
    finally:
        ledger.close()


def test_facts_csv_after_ingesting_corpus(tmp_path: Path) -> None:
    store = tmp_path / "store"
    report = ingest([ROOT / "corpus"], store, index=False)  # glossary.tsv is not a disclosure
    assert [key for key, _, _ in report.documents] == [SEED.name]

    result = budgetqa("facts", "--csv", "--store", str(store))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == report.facts
    housing = [r for r in rows if r["table"] == "01" and r["label"] == "住房保障支出" and r["column"] == "本年预算"]
    assert [(r["value"], r["unit"], r["side"], r["line"], r["row"]) for r in housing] == [
        ("48.66", "万元", "支出", "167", "二十、住房保障支出")]
    totals = {r["label"]: r["value"] for r in rows
              if r["table"] == "01" and r["total"] == "1" and r["column"] == "本年预算"}
    assert totals == {"本年收入合计": "1131.55", "收入总计": "1131.55", "本年支出合计": "1131.55",
                      "支出总计": "1131.55"}
    blank = [r for r in rows if r["table"] == "01" and r["label"] == "结转下年支出" and r["column"] == "上年结转"]
    assert [r["value"] for r in blank] == [""]  # blank stays blank in the CSV, not 0

    only01 = budgetqa("facts", "--csv", "--table", "1", "--store", str(store))
    rows01 = list(csv.DictReader(io.StringIO(only01.stdout)))
    assert len(rows01) == 138 and {r["table"] for r in rows01} == {"01"}
