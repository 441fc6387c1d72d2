"""Load benchmark (not a test): the served app under 20 clients × 25 questions through gradio_client.

Starts `budgetqa serve` on 127.0.0.1 itself (a free port, the sample store built in a temporary folder:
corpus/ plus the sample PDFs when present), drives /ask from concurrent clients, prints errors, p50, p95
and max latency per Gradio concurrency setting, then stops the server it started. Loopback only, bounded
loops. `make bench-load`; `--concurrency 1,2,4` compares settings; the result is in docs/guard.md.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from app import config
from evals.runner import load_questions

CLIENTS, PER_CLIENT = 20, 25
START_TIMEOUT = 180.0


@dataclass
class Run:
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0

    def row(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        rate = len(self.latencies) / self.wall if self.wall else 0.0
        return (f"| {self.concurrency} | {len(self.latencies) + len(self.errors)} | {len(self.errors)} | "
                f"{statistics.median(lat):.2f} s | {p95:.2f} s | {lat[-1]:.2f} s | {rate:.1f}/s |")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(store: Path) -> None:
    from ingest.pipeline import ingest

    samples = Path(os.environ.get("BUDGETQA_SAMPLES", config.PROJECT.parent / "shared" / "samples"))
    files = sorted(config.CORPUS.glob("*.txt")) + (sorted(samples.glob("*.pdf")) if samples.is_dir() else [])
    ingest(files, store)


def wait_up(url: str, proc: subprocess.Popen) -> None:
    import urllib.request

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited early ({proc.returncode})")
        try:
            with urllib.request.urlopen(url + "config", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start in time")


def drive(url: str, questions: list[str], concurrency: int) -> Run:
    from gradio_client import Client

    run = Run(concurrency)
    lock = threading.Lock()

    def client(k: int) -> None:
        try:
            c = Client(url, verbose=False)
        except Exception as e:  # counted, not raised: the table reports it
            with lock:
                run.errors.extend([f"connect: {type(e).__name__}"] * PER_CLIENT)
            return
        for i in range(PER_CLIENT):
            q = questions[(k * PER_CLIENT + i) % len(questions)]
            t = time.perf_counter()
            try:
                out = c.predict(q, "", api_name="/ask")
                ok = isinstance(out, dict) and "status" in out
            except Exception as e:
                ok, out = False, f"{type(e).__name__}"
            with lock:
                (run.latencies.append(time.perf_counter() - t) if ok else run.errors.append(str(out)[:80]))

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=900)
    run.wall = time.perf_counter() - start
    return run


def serve_and_drive(store: Path, questions: list[str], concurrency: int) -> Run:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "BUDGETQA_CONCURRENCY": str(concurrency)}
    env.pop("BUDGETQA_STAFF_PASSWORD", None)  # the bench never opens the staff door
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--store", str(store), "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(url, proc)
        return drive(url, questions, concurrency)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--concurrency", default="1,2,4,8", help="Gradio concurrency limits to compare")
    args = ap.parse_args(argv)
    questions = [q["question"] for q in load_questions()]
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        t = time.perf_counter()
        build_store(store)
        print(f"sample store built in {time.perf_counter() - t:.0f} s; {CLIENTS} clients × {PER_CLIENT} questions",
              flush=True)
        print("| concurrency | questions | errors | p50 | p95 | max | throughput |")
        print("|---|---|---|---|---|---|---|")
        for n in (int(x) for x in args.concurrency.split(",") if x.strip()):
            print(serve_and_drive(store, questions, n).row(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
