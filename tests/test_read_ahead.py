"""Files read in worker processes come back in the order given; a refusal or a dead worker
refuses one file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ingest.model import IngestError
from ingest.read_ahead import read_in_order


def _read(f: Path) -> str:  # module level: sent to the worker processes
    if f.stem == "die":
        os._exit(3)  # a reader killed mid-file (out of memory)
    if f.stem == "slow":
        time.sleep(0.5)  # still reading when another worker dies
    if f.stem.startswith("f"):
        time.sleep(0.1)  # a file takes a while, so both workers get some
    if f.stem == "bad":
        raise IngestError(f"{f.name}: not a budget disclosure")
    return f"{os.getpid()}:{f.read_text()}"


def _files(tmp_path: Path, stems: list[str]) -> list[Path]:
    out = []
    for s in stems:
        p = tmp_path / f"{s}.pdf"
        p.write_text(s)
        out.append(p)
    return out


def test_order_kept_and_work_shared(tmp_path):
    files = _files(tmp_path, [f"f{i}" for i in range(9)] + ["bad"])
    got = list(read_in_order(files, _read, n=2))
    assert [f for f, _ in got] == files
    assert [o.split(":")[1] for _, o in got[:-1]] == [f.stem for f in files[:-1]]
    assert isinstance(got[-1][1], IngestError)
    assert len({o.split(":")[0] for _, o in got[:-1]} - {str(os.getpid())}) == 2  # two reading processes


def test_dead_worker_refuses_its_file_only(tmp_path):
    files = _files(tmp_path, ["a", "slow", "die", "c", "d", "e", "f"])
    got = dict(read_in_order(files, _read, n=2))
    assert list(got) == files
    assert isinstance(got[files[2]], IngestError) and "reading process stopped" in str(got[files[2]])
    assert got[files[1]].endswith(":slow")  # its pool broke under it: read again, not refused
    assert all(isinstance(got[f], str) for f in files if f.stem != "die")


def test_text_files_are_read_here_and_one_pdf_in_a_worker(tmp_path):
    """A worker costs ~50 ms (forked), and only a worker can be stopped at the memory ceiling."""
    texts = []
    for s in ("a", "b"):
        texts.append(tmp_path / f"{s}.txt")
        texts[-1].write_text(s)
    assert {o.split(":")[0] for _, o in read_in_order(texts, _read, n=2)} == {str(os.getpid())}
    (one,) = _files(tmp_path, ["c"])
    assert {o.split(":")[0] for _, o in read_in_order([one], _read, n=2)} != {str(os.getpid())}


def test_a_script_without_a_main_guard_reads_in_workers(tmp_path):
    """A plain script calling ingest is not run again by each worker (spawn would: every file refused)."""
    files = _files(tmp_path, ["f1", "f2", "f3", "f4"])
    script = tmp_path / "plain.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from pathlib import Path\n"
        "from ingest.read_ahead import read_in_order\n"
        "from test_read_ahead import _read\n"
        f"files = [Path(p) for p in {[str(f) for f in files]!r}]\n"
        "print(sorted(type(o).__name__ for _, o in read_in_order(files, _read, n=2)))\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).parents[1])
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip() == "['str', 'str', 'str', 'str']"
