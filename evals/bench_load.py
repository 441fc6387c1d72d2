"""Load benchmark (not a test): every door side by side, 20 clients × 25 questions each, in one run.

Builds the sample store (corpus/ plus the sample PDFs when present) in a temporary folder. Per row it starts
`python -m app.cli serve --workers W` from this checkout on 127.0.0.1 over a fresh copy of the store — the
Gradio UI (and staff) in its own process, W read workers for /api/v1 behind one port — and drives one door:

- **HTTP API**: `POST /api/v1/ask` driven by `wrk` (C, its own process; `evals/wrk_ask.lua`: one connection
  per client, 25 questions back to back), so the client's cost is not the server's;
- **Gradio /ask**: 20 client processes, each its own gradio_client, as before;
- **Gradio floor**: the same clients against a Gradio app whose /ask returns a constant
  (`evals/gradio_floor.py`): what Gradio's queue and client cost before any engine runs.

With the upload beside, a staff member uploads sample PDFs while the clients ask — through the API's staff
route (bearer token) for the API rows, through Gradio's /upload for the Gradio row — read in a child
process on the UI's side; beside the floor app, which has no staff desk, the same child process reads the
files into a scratch store. The per-client request budget is switched off (BUDGETQA_API_RATE=0): all 20
clients come from 127.0.0.1. Prints errors, p50, p95, max, requests per second, the server's CPU time per
question (its processes: UI, workers, an upload's child) and the load average per row, then stops the
servers it started. Loopback only, bounded loops. `make bench-load`; the dated table is in the README.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import secrets
import shutil
import signal
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
START_TIMEOUT = 240.0
RUN_TIMEOUT = 900.0
SAMPLES = settings().samples
STAFF_HEADER = "x-budgetqa-staff"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_ask.lua"
FLOOR, GRADIO, API = "Gradio floor (constant /ask, gradio_client)", "Gradio /ask (gradio_client)", "HTTP API"


@dataclass
class Run:
    door: str
    ingest: str = "off"
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    load: float = 0.0
    # from wrk, which keeps its own histogram: (p50, p95, max) in seconds and the count of answers
    summary: tuple[float, float, float] | None = None
    answered: int = 0
    cpu: float = 0.0  # CPU seconds of the server's processes (UI, workers, an upload's child) during the run

    def row(self) -> str:
        if self.summary is not None:
            p50, p95, top = self.summary
            n = self.answered
        else:
            lat = sorted(self.latencies) or [0.0]
            p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
            p50, top = statistics.median(lat), lat[-1]
            n = len(self.latencies)
        rate = n / self.wall if self.wall else 0.0
        per = 1000 * self.cpu / (n + len(self.errors)) if n + len(self.errors) else 0.0
        return (f"| {self.door} | {self.ingest} | {n + len(self.errors)} | {len(self.errors)} | "
                f"{1000 * p50:.0f} ms | {1000 * p95:.0f} ms | {1000 * top:.0f} ms | {rate:.0f}/s | "
                f"{per:.1f} ms | {self.load:.1f} |")


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


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of every live process in a process group, from /proc."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # after the name: state, ppid, pgrp, …, utime (12th), stime (13th)
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wait_up(url: str, proc: subprocess.Popen) -> None:
    import urllib.request

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited early ({proc.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start in time")


def wait_synced(url: str, proc: subprocess.Popen) -> None:
    """Until the server's health says no background index sync (or model load) is running."""
    import urllib.request

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if not json.loads(r.read()).get("index", {}).get("syncing"):
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server's index did not finish syncing in time")


# ---- Gradio doors: client processes with gradio_client ------------------------------------------------

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


def gradio_upload(url: str, secret: str, files: list[Path], stop: threading.Event, log: list[str]) -> None:
    """Upload files one at a time through Gradio's /upload until the clients finish or the files run out."""
    from gradio_client import handle_file

    c = connect(url, headers={STAFF_HEADER: secret})
    for f in files:
        if stop.is_set():
            return
        t = time.perf_counter()
        try:
            _, status, *_ = c.predict([handle_file(str(f))], secret, api_name="/upload")
        except Exception as e:
            status = f"error: {type(e).__name__}"
        log.append(f"{f.name}: {time.perf_counter() - t:.1f} s, {str(status)[:60]}")


def api_upload(url: str, secret: str, files: list[Path], stop: threading.Event, log: list[str]) -> None:
    """Upload files one at a time through POST /api/v1/documents (bearer token) until told to stop."""
    import requests

    for f in files:
        if stop.is_set():
            return
        t = time.perf_counter()
        try:
            with f.open("rb") as fh:
                r = requests.post(url + "api/v1/documents", files={"file": (f.name, fh)}, timeout=RUN_TIMEOUT,
                                  headers={"Authorization": f"Bearer {secret}"})
            status = r.json().get("summary") or r.json().get("error", {}).get("message", "")
        except Exception as e:
            status = f"error: {type(e).__name__}"
        log.append(f"{f.name}: {time.perf_counter() - t:.1f} s, {str(status)[:60]}")


def child_upload(_url: str, _secret: str, files: list[Path], stop: threading.Event, log: list[str]) -> None:
    """For the floor app, which has no staff desk: the staff upload's own work beside it — each file read and
    embedded by `ingest.process` in a child process at nice 10, as an upload's child does — into a scratch
    store."""
    from ingest.process import ingest_in_child

    with tempfile.TemporaryDirectory() as scratch:
        for f in files:
            if stop.is_set():
                return
            t = time.perf_counter()
            try:
                status = ingest_in_child([f], Path(scratch) / "store").summary()
            except Exception as e:
                status = f"error: {type(e).__name__}"
            log.append(f"{f.name}: {time.perf_counter() - t:.1f} s, {str(status)[:60]}")


FLOOD = 40  # anonymous page renders at once beside the clients (issue 22: 120 page.png requests, 40 at once)


def render_flood(url: str, stop: threading.Event, log: list[str]) -> None:
    """Anonymous visitors asking for rendered source pages, 40 at a time, each a page not asked before (no
    cache hit), until the clients finish: what the render pool, cache and per-client budget must absorb."""
    import requests

    docs = [d for d in requests.get(url + "api/v1/documents", timeout=30).json()
            if str(d.get("source", "")).lower().endswith(".pdf")]
    pages = [(d["id"], n) for n in range(1, 40) for d in docs]
    counts: dict[str, int] = {}
    lock = threading.Lock()

    def visitor(k: int) -> None:
        for doc_id, page in pages[k::FLOOD]:
            if stop.is_set():
                return
            try:
                r = requests.get(url + "bq/source/page.png", params={"document": doc_id, "page": page},
                                 timeout=30)
                code = str(r.status_code)
            except Exception as e:
                code = type(e).__name__
            with lock:
                counts[code] = counts.get(code, 0) + 1

    threads = [threading.Thread(target=visitor, args=(k,), daemon=True) for k in range(FLOOD)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=RUN_TIMEOUT)
    log.append("page renders by status: " + ", ".join(f"{c} × {n}" for c, n in sorted(counts.items())))


def drive_gradio(url: str, questions: list[str], run: Run) -> None:
    """All client processes at once; fills run."""
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(CLIENTS + 1), ctx.Queue()
    procs = [ctx.Process(target=client_process, args=(url, k, questions, start, out), daemon=True)
             for k in range(CLIENTS)]
    for p in procs:
        p.start()
    start.wait(timeout=START_TIMEOUT)
    t0 = time.perf_counter()
    for _ in procs:
        lat, errors = out.get(timeout=RUN_TIMEOUT)
        run.latencies.extend(lat)
        run.errors.extend(errors)
    run.wall, run.load = time.perf_counter() - t0, os.getloadavg()[0]
    for p in procs:
        p.join(timeout=30)


# ---- the HTTP API door: wrk -------------------------------------------------------------------------

def drive_wrk(url: str, questions: list[str], run: Run, workdir: Path) -> None:
    """wrk with one connection per client; stopped (SIGINT) once every client has had its answers."""
    bodies = workdir / "bodies.jsonl"
    bodies.write_text("".join(json.dumps({"question": q}, ensure_ascii=False) + "\n" for q in questions),
                      encoding="utf-8")
    env = {**os.environ, "BQ_BODIES": str(bodies), "BQ_PER_CLIENT": str(PER_CLIENT)}
    cmd = ["wrk", "-t", str(CLIENTS), "-c", str(CLIENTS), "-d", f"{int(RUN_TIMEOUT)}s", "--timeout", "30s",
           "-s", str(WRK_SCRIPT), url.rstrip("/")]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = 0
    for line in proc.stderr:  # type: ignore[union-attr]
        done += line.startswith("done ")
        if done == CLIENTS:
            break
    run.wall, run.load = time.perf_counter() - t0, os.getloadavg()[0]
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    m = re.search(r"BQ requests=(\d+) non200=(\d+) socket=(\d+) timeout=(\d+) p50=(\d+) p95=(\d+) "
                  r"max=(\d+)", out)
    if not m:
        raise SystemExit(f"wrk printed no summary:\n{out}")
    requests_, non200, sockets, timeouts, p50, p95, top = (int(x) for x in m.groups())
    run.errors = ["non-200"] * non200 + ["socket"] * sockets + ["timeout"] * timeouts
    run.answered = requests_ - non200
    run.summary = (p50 / 1e6, p95 / 1e6, top / 1e6)


# ---- one row -------------------------------------------------------------------------------------------

def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def serve_and_drive(store: Path, questions: list[str], door: str, ingest_beside: bool, workers: int,
                    flood: bool = False) -> Run:
    """A fresh copy of the store, the servers from this checkout, one measured run (``flood``: anonymous page
    renders beside the clients); the servers stopped."""
    port = free_port()
    api_port = free_port()
    ui, api = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{api_port}/"
    secret = secrets.token_urlsafe(16)
    env = {**os.environ, "BUDGETQA_API_RATE": "0"}
    env.pop("BUDGETQA_STAFF_PASSWORD", None)
    if ingest_beside:
        env["BUDGETQA_STAFF_PASSWORD"] = env["BUDGETQA_STAFF_TOKEN"] = secret
    run = Run(door, ("upload" if ingest_beside else "off") + (" + page-render flood" if flood else ""))
    stop, log = threading.Event(), []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "store"
        shutil.copytree(store, copy)
        cmd = (["-m", "evals.gradio_floor", str(port)] if door == FLOOR else
               ["-m", "app.cli", "serve", "--store", str(copy), "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(workers), "--api-port", str(api_port)])
        proc = subprocess.Popen([sys.executable, *cmd], env=env, cwd=config.PROJECT, process_group=0,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_up(ui + "config", proc)
            if door != FLOOR:  # the UI syncs its index and loads the model in the background: measure after
                wait_synced(ui + "api/v1/health", proc)
            if door == API:
                wait_up(api + "api/v1/health", proc)
            upload = {API: api_upload, FLOOR: child_upload}.get(door, gradio_upload)
            staff = threading.Thread(target=upload, args=(ui, secret, ingest_files(), stop, log), daemon=True)
            if ingest_beside:
                staff.start()
            renders = threading.Thread(target=render_flood, args=(ui, stop, log), daemon=True)
            if flood:
                renders.start()
            cpu = group_cpu(proc.pid)
            if door == API:
                drive_wrk(api, questions, run, Path(tmp))
            else:
                drive_gradio(ui, questions, run)
            run.cpu = group_cpu(proc.pid) - cpu
            stop.set()
            if ingest_beside:
                staff.join(timeout=RUN_TIMEOUT)
            if flood:
                renders.join(timeout=RUN_TIMEOUT)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)  # the serve command, its UI process and its workers
            stop_server(proc)
    for line in log:
        print(f"  beside the {door} run: {line}", file=sys.stderr, flush=True)
    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ingest", choices=("off", "on", "both"), default="both",
                    help="a staff upload of sample PDFs beside the clients")
    ap.add_argument("--doors", default="floor,gradio,api", help="which doors to drive (floor, gradio, api)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="read workers for the API")
    ap.add_argument("--store", type=Path, help="a sample store built before (copied per run, never changed)")
    ap.add_argument("--flood", choices=("off", "on", "both"), default="off",
                    help="anonymous page renders (40 at a time) beside the clients")
    args = ap.parse_args(argv)
    doors = {"floor": FLOOR, "gradio": GRADIO, "api": API}
    chosen = [doors[d.strip()] for d in args.doors.split(",") if d.strip()]
    if API in chosen and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk; `make bench-load` installs it "
                         "as root)")
    questions = [q["question"] for q in load_questions()]
    ingests = {"off": [False], "on": [True], "both": [False, True]}[args.ingest]
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "store"
        t = time.perf_counter()
        if not args.store:
            build_store(store)
        print(f"bench-load {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores; sample store built in "
              f"{time.perf_counter() - t:.0f} s; {CLIENTS} clients × {PER_CLIENT} questions; API: "
              f"{args.workers} read workers, driven by wrk; load average {os.getloadavg()[0]:.1f}",
              flush=True)
        print("| door | upload beside | questions | errors | p50 | p95 | max | throughput "
              "| server CPU / question | load |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        floods = {"off": [False], "on": [True], "both": [False, True]}[args.flood]
        for flood in floods:
            for ingest_beside in ingests:
                for door in (d for d in (FLOOR, API, GRADIO) if d in chosen and not (flood and d == FLOOR)):
                    name = f"{API} /api/v1/ask (wrk, {args.workers} workers)" if door == API else door
                    run = serve_and_drive(store, questions, door, ingest_beside, args.workers, flood)
                    run.door = name
                    print(run.row(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
