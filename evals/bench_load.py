"""Load benchmark (not a test): the served app under 20 clients × 25 questions through gradio_client.

Builds the sample store (corpus/ plus the sample PDFs when present) in a temporary folder and, per setting,
starts `python -m app.cli serve` from this checkout on 127.0.0.1 (a free port, a fresh copy of the store).
Each client is its own process with its own gradio_client, so the clients' Python does not share a GIL
with each other or with the bench; they all start together and ask their questions back to back. With
`--ingest on` a staff member uploads sample PDFs through the app's own /upload route (the staff queue,
limit 1) while the clients ask, as in production. Prints errors, p50, p95, max, throughput and the load
average per row, then stops the server it started. Loopback only, bounded loops. `make bench-load`;
the result is in docs/guard.md.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import secrets
import shutil
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
from ingest.pipeline import ingest
from ingest.settings import settings

CLIENTS, PER_CLIENT = 20, 25
START_TIMEOUT = 180.0
RUN_TIMEOUT = 900.0
SAMPLES = settings().samples
STAFF_HEADER = "x-budgetqa-staff"


@dataclass
class Run:
    concurrency: int
    ingest: str = "off"
    app: str = "BudgetQA"
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    load: float = 0.0

    def row(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        rate = len(self.latencies) / self.wall if self.wall else 0.0
        return (f"| {self.app} | {self.concurrency} | {self.ingest} | "
                f"{len(self.latencies) + len(self.errors)} | "
                f"{len(self.errors)} | {1000 * statistics.median(lat):.0f} ms | {1000 * p95:.0f} ms | "
                f"{1000 * lat[-1]:.0f} ms | {rate:.1f}/s | {self.load:.1f} |")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(store: Path) -> None:

    files = sorted(config.CORPUS.glob("*.txt")) + (sorted(SAMPLES.glob("*.pdf")) if SAMPLES.is_dir() else [])
    ingest(files, store)


def ingest_files() -> list[Path]:
    """PDFs the sample store does not hold, for the staff upload beside the clients (smallest first)."""
    found = sorted(SAMPLES.glob("*/*.pdf")) if SAMPLES.is_dir() else []
    return sorted(found, key=lambda p: p.stat().st_size)


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


def connect(url: str, headers: dict | None = None):  # type: ignore[no-untyped-def]
    """A gradio_client; ssl_verify=False because the URL is plain-HTTP loopback and, verified, gradio_client
    loads the CA bundle again for every call (~60 ms of client CPU per question measured on 2 cores)."""
    from gradio_client import Client

    return Client(url, verbose=False, ssl_verify=False, headers=headers)


def client_process(url: str, k: int, questions: list[str],  # type: ignore[no-untyped-def]
                   start, out) -> None:
    """One client: connect, wait for the others, ask PER_CLIENT questions back to back, report."""
    lat: list[float] = []
    errors: list[str] = []
    try:
        c = connect(url)
    except Exception as e:  # counted, not raised: the table reports it
        c, errors = None, [f"connect: {type(e).__name__}"] * PER_CLIENT
    start.wait(timeout=START_TIMEOUT)
    for i in range(PER_CLIENT if c else 0):
        q = questions[(k * PER_CLIENT + i) % len(questions)]
        t = time.perf_counter()
        try:
            out_ = c.predict(q, "", api_name="/ask")
            ok = isinstance(out_, dict) and "status" in out_
        except Exception as e:
            ok, out_ = False, type(e).__name__
        (lat.append(time.perf_counter() - t) if ok else errors.append(str(out_)[:80]))
    out.put((lat, errors))


def staff_ingest(url: str, password: str, files: list[Path], stop: threading.Event, log: list[str]) -> None:
    """Upload files one at a time through /upload until the clients finish or the files run out."""
    from gradio_client import handle_file

    c = connect(url, headers={STAFF_HEADER: password})
    for f in files:
        if stop.is_set():
            return
        t = time.perf_counter()
        try:
            _, status, *_ = c.predict([handle_file(str(f))], password, api_name="/upload")
        except Exception as e:
            status = f"error: {type(e).__name__}"
        log.append(f"{f.name}: {time.perf_counter() - t:.1f} s, {str(status)[:60]}")


def drive(url: str, questions: list[str], run: Run, password: str = "") -> list[str]:
    """All client processes (and the staff upload when asked) at once; fills run, returns the ingest log."""
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(CLIENTS + 1), ctx.Queue()
    procs = [ctx.Process(target=client_process, args=(url, k, questions, start, out), daemon=True)
             for k in range(CLIENTS)]
    for p in procs:
        p.start()
    stop, log = threading.Event(), []
    staff = threading.Thread(target=staff_ingest, args=(url, password, ingest_files(), stop, log),
                             daemon=True)
    start.wait(timeout=START_TIMEOUT)
    t0 = time.perf_counter()
    if password:
        staff.start()
    for _ in procs:
        lat, errors = out.get(timeout=RUN_TIMEOUT)
        run.latencies.extend(lat)
        run.errors.extend(errors)
    run.wall, run.load = time.perf_counter() - t0, os.getloadavg()[0]
    stop.set()
    for p in procs:
        p.join(timeout=30)
    if password:
        staff.join(timeout=RUN_TIMEOUT)
    return log


def serve_and_drive(store: Path, questions: list[str], concurrency: int, ingest: bool,
                    floor: bool = False) -> Run:
    """A fresh copy of the store, a server from this checkout, one measured run; the server is stopped.

    With floor, the server is `evals.gradio_floor` (a constant /ask) instead of BudgetQA: Gradio's own
    cost."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    password = secrets.token_urlsafe(16) if ingest else ""
    env = {**os.environ, "BUDGETQA_CONCURRENCY": str(concurrency)}
    env.pop("BUDGETQA_STAFF_PASSWORD", None)
    if password:
        env["BUDGETQA_STAFF_PASSWORD"] = password
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "store"
        shutil.copytree(store, copy)
        cmd = (["-m", "evals.gradio_floor", str(port)] if floor else
               ["-m", "app.cli", "serve", "--store", str(copy), "--host", "127.0.0.1", "--port", str(port)])
        proc = subprocess.Popen([sys.executable, *cmd], env=env, cwd=config.PROJECT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_up(url, proc)
            run = Run(concurrency, "on" if ingest else "off",
                      "Gradio floor (constant /ask)" if floor else "BudgetQA")
            log = drive(url, questions, run, password)
        finally:
            stop_server(proc)
    for line in log:
        print(f"  staff upload during the run: {line}", file=sys.stderr, flush=True)
    return run


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv: list[str] | None = None) -> int:
    from app.web.app import CONCURRENCY

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--concurrency", default=str(CONCURRENCY),
                    help="Gradio answer concurrency limits to compare")
    ap.add_argument("--ingest", choices=("off", "on", "both"), default="both",
                    help="a staff upload of sample PDFs beside the clients")
    ap.add_argument("--store", type=Path, help="a sample store built before (copied per run, never changed)")
    ap.add_argument("--floor", choices=("on", "off"), default="on",
                    help="also drive a Gradio app whose /ask returns a constant (the served path's floor)")
    args = ap.parse_args(argv)
    questions = [q["question"] for q in load_questions()]
    ingests = {"off": [False], "on": [True], "both": [False, True]}[args.ingest]
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "store"
        t = time.perf_counter()
        if not args.store:
            build_store(store)
        print(f"sample store built in {time.perf_counter() - t:.0f} s; {CLIENTS} client processes × "
              f"{PER_CLIENT} questions; load average {os.getloadavg()[0]:.1f}", flush=True)
        print("| app | answer concurrency | ingest beside | questions | errors | p50 | p95 | max | "
              "throughput | load |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        if args.floor == "on":
            print(serve_and_drive(store, questions, CONCURRENCY, False, floor=True).row(), flush=True)
        for n in (int(x) for x in args.concurrency.split(",") if x.strip()):
            for ingest in ingests:
                print(serve_and_drive(store, questions, n, ingest).row(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
