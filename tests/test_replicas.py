"""Beyond one machine: two serving replicas on one published snapshot and one Chroma server.

Staff ingest on the writer and `budgetqa publish` a read-only snapshot; each replica runs
`budgetqa serve --store SNAPSHOT` with BUDGETQA_CHROMA_URL. Both must give the same figures and
citations, use the shared dense index, and leave every snapshot byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import SAMPLE_FILES, SEED, samples_dir

from app.cli import main as cli
from evals.chroma_server import free_port
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [  # named in Chinese, and in English (which leans on dense retrieval), over both documents
    ("安图县社保局住房保障支出本年预算是多少？", "48.66"),
    ("普陀区司法局2026年部门预算中住房保障支出是多少？", "4521559"),
    ("What is housing security expenditure in the Putuo District Justice Bureau's 2026 department budget?",
     "4521559"),
    ("安图县社会保险事业管理局社会保障和就业支出预算数是多少？", "1051.38"),
]


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _wait_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"a replica exited early: {log.read_text(errors='replace')[-800:]}")
        try:
            with urllib.request.urlopen(url + "config", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail("a replica did not start in 180 s")


def _key(answer: dict) -> tuple:
    cites = [(c["document_id"], c["table"], c["row"], c["column"], c["value"]) for c in answer["citations"]]
    return answer["status"], answer["value_text"], answer["unit"], cites


def test_two_replicas_on_one_snapshot_and_one_chroma_server_agree(tmp_path, chroma_url, monkeypatch):
    from gradio_client import Client

    pdf = samples_dir() / SAMPLE_FILES["dept"]
    writer, snapshot = tmp_path / "writer", tmp_path / "snapshot"
    ingest([SEED, pdf], writer, index=False)
    monkeypatch.setenv("BUDGETQA_CHROMA_URL", chroma_url)
    assert cli(["publish", "--store", str(writer), "--to", str(snapshot)]) == 0
    before = _hashes(snapshot)
    assert {"ledger.sqlite", "SNAPSHOT.json"} <= before.keys()
    assert cli(["publish", "--store", str(writer), "--to", str(snapshot)]) == 2  # never over a snapshot

    env = {**os.environ, "BUDGETQA_CHROMA_URL": chroma_url}
    env.pop("BUDGETQA_STAFF_PASSWORD", None)
    replicas = []
    try:
        for i in range(2):
            port, log = free_port(), tmp_path / f"replica{i}.log"
            with log.open("wb") as out:
                proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--store", str(snapshot),
                                         "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                                        stdout=out, stderr=subprocess.STDOUT)
            replicas.append((proc, f"http://127.0.0.1:{port}/", log))
        answers = []
        for proc, url, log in replicas:
            _wait_up(url, proc, log)
            assert "2 documents" in log.read_text() and "no dense index" not in log.read_text()
            client = Client(url, verbose=False)
            answers.append([client.predict(q, "", api_name="/ask") for q, _ in QUESTIONS])
    finally:
        for proc, _, _ in replicas:
            proc.terminate()
            proc.wait(timeout=20)
    first, second = answers
    assert [_key(a) for a in first] == [_key(a) for a in second]
    for (question, expected), answer in zip(QUESTIONS, first, strict=True):
        assert answer["status"] == "answered" and answer["value_text"].startswith(expected), question
        assert answer["citations"], question
    assert _hashes(snapshot) == before  # nothing written, no -wal/-shm, no reports, no uploads


def test_a_snapshot_without_a_chroma_server_answers_with_bm25_and_refuses_writes(
        tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("BUDGETQA_CHROMA_URL", raising=False)
    writer, snapshot = tmp_path / "writer", tmp_path / "snapshot"
    ingest([SEED], writer, index=False)
    assert cli(["publish", "--store", str(writer), "--to", str(snapshot)]) == 0
    before = _hashes(snapshot)
    capsys.readouterr()
    assert cli(["ask", "安图县社保局住房保障支出本年预算是多少？", "--json", "--store", str(snapshot)]) == 0
    out, err = capsys.readouterr()
    assert '"value_text": "48.66"' in out and "read-only" in err  # as root too: the marker, not file modes
    assert cli(["ingest", str(SEED), "--store", str(snapshot)]) != 0
    assert cli(["remove", "antu", "--store", str(snapshot)]) != 0
    assert cli(["reindex", "--store", str(snapshot)]) != 0
    assert _hashes(snapshot) == before
