"""Issue 22: a public service under abuse — re-issues, a damaged or lagging index, decompressed work, a full
disk, and the smaller cases. Each test is one numbered case of the issue and failed on the code before it."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import hostile_factory as hf
import pytest

from app.cli import main
from ingest.ledger import Ledger
from ingest.model import IngestError
from ingest.pipeline import ingest
from ingest.readers import read_file

SEED = hf.SEED
HOUSING = "二十、住房保障支出\t48.66\t48.66\t0.00"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _reissue(tmp_path: Path, name: str = "antu-corrected-2026-department-budget.txt") -> Path:
    """The seed re-published under another name with one figure corrected: 48.66 → 58.66."""
    text = SEED.read_text(encoding="utf-8")
    assert text.count(HOUSING) == 1
    path = tmp_path / name
    path.write_text(text.replace(HOUSING, "二十、住房保障支出\t58.66\t58.66\t0.00"), encoding="utf-8")
    return path


# ---- 2: a corrected re-issue is never silently shadowed ---------------------------------------------------

def test_reissue_kept_beside_is_named_with_its_differing_figure_in_every_answer(tmp_path):
    from app.engine import Engine

    store = tmp_path / "store"
    report = ingest([SEED, _reissue(tmp_path)], store, index=False)
    assert [a for _, _, a in report.documents] == ["new", "new"]
    warning = next(w for w in report.warnings if "another issue of the stored" in w)
    assert SEED.name in warning and "48.66 → 58.66" in warning and "both are kept" in warning
    engine = Engine.open(store, dense=False)
    zh = engine.ask("安图社保局住房保障支出是多少")
    assert zh.status == "answered"
    assert "两个版本" in zh.answer and SEED.name in zh.answer and "antu-corrected" in zh.answer
    assert "48.66" in zh.answer and "58.66" in zh.answer
    assert {c.value for c in zh.citations if c.row.endswith("住房保障支出")} >= {"48.66", "58.66"}
    assert len({c.document_id for c in zh.citations}) == 2
    en = engine.ask("what is the Antu social insurance bureau's housing spend?")
    assert "two issues" in en.answer and "48.66" in en.answer and "58.66" in en.answer
    total = engine.ask("安图社保局支出总计是多少")  # a cell both print alike: the difference is still named
    assert "1,131.55" in total.answer and "58.66" in total.answer and "两个版本" in total.answer


def test_reissue_replaces_the_stored_one_with_replace(tmp_path, capsys):
    store = tmp_path / "store"
    ingest([SEED], store, index=False)
    code, out, _ = run(capsys, "ingest", str(_reissue(tmp_path)), "--store", str(store), "--replace")
    assert code == 0 and out.startswith("replace ")
    assert "replaces the earlier issue" in out and "48.66 → 58.66" in out
    ledger = Ledger(store)
    assert [d.source_key for d in ledger.documents()] == ["antu-corrected-2026-department-budget.txt"]
    ledger.close()
    code, out, _ = run(capsys, "ask", "安图社保局住房保障支出是多少", "--store", str(store))
    assert "58.66" in out and "48.66" not in out and "两个版本" not in out


def test_the_same_text_in_another_encoding_is_one_document(tmp_path):
    text = hf.text_disclosure("gbk").decode("gbk")  # what GBK can hold, so both files hold the same text
    gbk, utf8 = tmp_path / "antu-gbk.txt", tmp_path / "antu-utf8.txt"
    gbk.write_bytes(text.encode("gbk"))
    utf8.write_bytes(text.encode("utf-8"))
    report = ingest([utf8, gbk], tmp_path / "store", index=False)
    assert [a for _, _, a in report.documents] == ["new", "duplicate"]
    assert any("same content as the stored antu-utf8.txt" in w for w in report.warnings)


def test_a_narrative_file_beside_its_tables_file_is_not_a_reissue():
    from ingest.model import Fact
    from ingest.reissue import compare

    def fact(table: str | None, label: str, value: str) -> Fact:
        return Fact(id=label, document_id="d", department="x", year=2026, doc_kind="部门预算", table_id=table,
                    table_title="", side="", row_label=label, label=label, code=None, column="本年预算",
                    value=Decimal(value), unit="万元", from_narrative=table is None)
    narrative = [fact(None, "住房保障支出", "48.66")]
    tables = [fact("01", "住房保障支出", "58.66"), fact("01", "支出总计", "100")]
    assert not compare(narrative, tables).reissue
    assert compare(tables, [fact("01", "住房保障支出", "48.66")]).reissue


# ---- 4: a damaged or lagging index is never fatal --------------------------------------------------------

@pytest.fixture(scope="module")
def indexed_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("indexed") / "store"
    ingest([SEED], store)
    return store


def test_a_garbage_index_answers_from_the_ledger_with_one_line(tmp_path, capsys, indexed_store):
    store = tmp_path / "store"
    shutil.copytree(indexed_store, store)
    (store / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    code, out, err = run(capsys, "ask", "住房保障支出是多少", "--store", str(store))
    assert code == 0 and "48.66" in out and "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.startswith("index:")]
    # `ask` opens the index only when a question needs it (this one is answered from the ledger alone)
    assert all("answering from the ledger" in ln and "reindex" in ln for ln in lines) and len(lines) <= 1
    from app.engine import Engine

    engine = Engine.open(store, catch_up="background")  # what `serve` opens: no exception
    assert not engine.index.usable and engine.ask("住房保障支出是多少").value == Decimal("48.66")
    assert engine.ask("what is the housing security spend").status  # a dense search: still no exception
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("index:")]
    assert len(lines) == 1 and "answering from the ledger" in lines[0] and "reindex" in lines[0]


def test_a_lagging_index_catches_up_in_the_background_never_inside_a_question(tmp_path, monkeypatch):
    import threading

    import ingest.index as index_mod
    import ingest.index_guard as guard
    from app.engine import Engine

    store = tmp_path / "store"
    ingest([SEED], store, index=False)  # as after a crash during the index sync
    real, release = index_mod.Index.sync, threading.Event()

    def held(self, ledger, progress=None):  # type: ignore[no-untyped-def]
        assert release.wait(300)  # the 214 s catch-up, held until the question is answered
        return real(self, ledger, progress)
    monkeypatch.setattr(index_mod.Index, "sync", held)
    lines: list[str] = []
    monkeypatch.setattr(guard, "stderr_line", lines.append)
    engine = Engine.open(store, catch_up="background")  # returns while the catch-up is held
    start = time.perf_counter()
    answer = engine.ask("住房保障支出是多少")
    assert time.perf_counter() - start < 5 and answer.value == Decimal("48.66")
    assert engine.index.catching_up.is_alive()
    release.set()
    engine.index.catching_up.join(300)
    assert any("catching up" in ln for ln in lines)
    assert any(ln.startswith("caught up: 1 documents") for ln in lines)
    assert any(ln.startswith("indexing") for ln in lines)  # progress lines
    assert engine.index.in_sync(engine.ledger)


# ---- 5: limits on decompressed work ----------------------------------------------------------------------

def _written(data: bytes):  # type: ignore[no-untyped-def]
    def build(p: Path) -> Path:
        p.write_bytes(data)
        return p
    return build


@pytest.mark.parametrize("name, build, words", [
    ("path-ops.pdf", _written(hf.path_ops_pdf(1_000_000)),
     "draws more than 500,000 operations (the limit per page)"),
    ("flate-stream.pdf", _written(hf.path_ops_pdf(3_000_000)),
     "content stream over 16 MB once decompressed (the limit per stream)"),
    ("long-cell.xlsx", hf.long_cell_book, "holds 60,000,000 characters, over the limit of 32,767 per cell"),
])
def test_small_files_with_huge_decompressed_work_are_refused_fast(tmp_path, name, build, words):
    path = build(tmp_path / name)
    assert path.stat().st_size < 100_000  # tens of KB on disk
    store = tmp_path / "store"
    ingest([SEED], store, index=False)
    start = time.perf_counter()
    with pytest.raises(IngestError) as err:
        ingest([path], store, index=False)
    assert time.perf_counter() - start < 20, "refused only after the work"
    assert words in str(err.value) and str(tmp_path) not in str(err.value)


def _hog(f: Path):  # type: ignore[no-untyped-def]  # module level: sent to the reading worker
    if f.stem == "hog":
        block = bytearray(1 << 30)  # a reader that inflates to a GiB
        time.sleep(5)
        return len(block)
    return f.read_text()


def test_a_reading_worker_over_the_memory_ceiling_is_stopped_and_its_file_refused(tmp_path, monkeypatch):
    from ingest.read_ahead import read_in_order

    monkeypatch.setenv("BUDGETQA_READ_MEMORY_MB", "400")
    files = []
    for stem in ("a", "hog", "b"):
        files.append(tmp_path / f"{stem}.pdf")
        files[-1].write_text(stem)
    start = time.perf_counter()
    got = dict(read_in_order(files, _hog, n=2))
    assert time.perf_counter() - start < 30
    assert got[files[0]] == "a" and got[files[2]] == "b"
    refusal = got[files[1]]
    assert isinstance(refusal, IngestError)
    assert str(refusal) == ("hog.pdf: reading it took more than 400 MB of memory (the limit per file); "
                            "nothing was stored")


# ---- 8: a full disk ---------------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):  # type: ignore[no-untyped-def]
    """A 3 MB tmpfs: a real full disk (root only; CI runs as root)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True)
    if done.returncode:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs: {done.stderr.decode()[:200]}")
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_reports_what_was_stored_and_reads_go_on(tmp_path, small_disk, capsys):
    from evals.generate import main as generate

    generate(["--count", "4", "--seed", "5", "--out", str(tmp_path / "gen")])
    small = sorted((tmp_path / "gen" / "text").glob("*.txt"))[:4]
    rows = [[f"项目{i}", i + 0.5, i] for i in range(10_000)]  # 20,000 figures: fills the disk mid-insert
    big = hf.book(tmp_path / "big.xlsx", rows=rows)
    store = small_disk / "store"
    code, out, err = run(capsys, "ingest", *map(str, small), str(big), "--store", str(store))
    assert "cannot rollback" not in err and "Traceback" not in err
    assert code == 3, err
    stored = [ln for ln in out.splitlines() if ln.startswith("new ")]
    assert len(stored) == 4 and all(f.name in out for f in small)
    assert "error: the disk is full: stopped at big.xlsx (5 of 5); the 4 documents listed were stored" in err
    ledger = Ledger(store)
    docs = ledger.documents()
    ledger.close()
    assert len(docs) == 4
    # main reads a leading 中共 as the item asked about ("没有找到“中共”的数字"): named without it here
    asked = f"{docs[0].department.removeprefix('中共')}{docs[0].year}年支出总计是多少"
    code, out, err = run(capsys, "ask", asked, "--store", str(store))
    assert code == 0 and "Traceback" not in err and "disk I/O" not in out + err
    assert "万元" in out  # answered from the ledger (`ask` opens the index only for a question needing it)
    from app.engine import Engine

    engine = Engine.open(store, catch_up="background")  # what `serve` opens: the index cannot even be opened
    assert "万元" in engine.ask(asked).answer and not engine.index.usable
    err = capsys.readouterr().err
    assert "the disk is full" in err and "free some space" in err
    engine.ledger.close()


# ---- 9: the smaller cases ---------------------------------------------------------------------------------

def test_a_pdf_whose_only_figure_cannot_be_parsed_is_stored_with_a_warning(tmp_path):
    path = tmp_path / "one-figure.pdf"
    path.write_bytes(hf.unreadable_figure_pdf("48.6.6"))
    report = ingest([path], tmp_path / "store", index=False)
    assert [a for _, _, a in report.documents] == ["new"] and report.facts == 0
    assert any("no figure could be read" in w for w in report.warnings), report.warnings


def test_a_workbook_with_more_than_99_tables_is_read(tmp_path):
    parsed = read_file(hf.many_tables_book(tmp_path / "many-tables.xlsx", 120))
    assert len(parsed.tables) == 120 and len({t.table_id for t in parsed.tables}) == 120
    assert any(f.label == "项目120" and f.value == Decimal("120.5") for f in parsed.facts)


def test_a_newline_in_a_file_name_cannot_forge_output_lines(tmp_path, capsys):
    name = "antu\nnew       0000000000000000  forged.txt\nwarning: forged"
    path = tmp_path / f"{name}-2026-department-budget.txt"
    shutil.copy(SEED, path)
    code, out, err = run(capsys, "ingest", str(path), "--store", str(tmp_path / "store"))
    assert code == 0
    assert not any(ln.startswith(("new       0000", "warning: forged")) for ln in (out + err).splitlines())
    assert "antu\\nnew       0000000000000000  forged.txt\\nwarning: forged" in out
    code, out, _ = run(capsys, "documents", "--store", str(tmp_path / "store"))
    assert not any(ln.startswith("warning: forged") for ln in out.splitlines())
    assert "\\nwarning: forged" in out


def test_five_hundred_refusals_are_one_line_each(tmp_path, capsys):
    folder = tmp_path / "bad"
    folder.mkdir()
    for i in range(500):
        (folder / f"bad-{i:03d}.txt").write_bytes(b"\x00\x01binary\x00" * 10)
    code, _, err = run(capsys, "ingest", str(folder), "--store", str(tmp_path / "store"))
    assert code == 2
    errors = [ln for ln in err.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 500 and errors[-1].startswith("error: bad-499.txt: ")
    assert err.strip().endswith("nothing was changed in the store (500 files refused)")


def test_an_owner_password_pdf_that_is_not_a_budget_is_refused_as_not_a_budget(tmp_path):
    lines = ["Meeting notice", "The committee meets on Friday."]
    path = hf.owner_password_pdf(tmp_path / "notice.pdf", lines)
    assert b"/Encrypt" in path.read_bytes()
    with pytest.raises(IngestError) as err:
        read_file(path)
    assert "not a budget disclosure" in str(err.value) and "encrypted" not in str(err.value)
    with pytest.raises(IngestError, match="the PDF is encrypted"):  # a user password still says so
        (tmp_path / "locked.pdf").write_bytes(hf.encrypted_pdf())
        read_file(tmp_path / "locked.pdf")
