"""Scale benchmark (not a test): generated disclosures at 1, 100 and 1,000 documents, side by side.

    python -m evals.bench_scale [--sizes 1,100] [--full] [--per-category 30] [--seed 13]
                                [--chroma embedded,server]

Each size runs in two child processes: one generates (untimed) and ingests
into ledger + index (timed); a fresh one, like a server that never ingested,
runs Engine.open(store), a warm-up, then the sampled answer-key questions,
timed one by one (a process that has just ingested 1,000 documents holds
~700k objects, and its garbage-collector pauses would be counted as latency).
Named questions say department and year; unnamed ones are asked within
their document (scope, as the web app's scope picker does); cross ones name
two departments. Each size runs twice: with the embedded Chroma and with a
Chroma server the bench starts itself (`chroma run` on a free loopback port,
data in the temp folder, stopped afterwards), so the columns compare the two
deployments on the same corpus. Prints one markdown table; `make bench-scale`
runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from app.engine import Engine
from evals.chroma_server import ChromaServer
from evals.generate import build, write
from evals.runner import value_matches
from ingest.pipeline import ingest

CATEGORIES = ("named", "unnamed", "cross")


@dataclass
class SizeResult:
    """What one corpus size measured; latencies in milliseconds."""

    documents: int
    chroma: str = "embedded"
    ingest_s: float = 0.0
    index_s: float = 0.0
    facts: int = 0
    store_mib: float = 0.0
    embedded_texts: int = 0
    latency: dict[str, list[float]] = field(default_factory=dict)
    correct: dict[str, int] = field(default_factory=dict)
    repeat: list[float] = field(default_factory=list)
    peak_ingest_mib: float = 0.0
    peak_answer_mib: float = 0.0
    peak_server_mib: float = 0.0
    server_mib: float = 0.0


def _dir_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def _sample(key: list[dict], per_category: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out: list[dict] = []
    for cat in CATEGORIES:
        items = [q for q in key if q["category"] == cat]
        out += rng.sample(items, min(per_category, len(items)))
    return out


def _correct(answer, item: dict) -> bool:

    expected = {"value": item["expected"], "unit": item["unit"], "tolerance": "0.005"}
    return answer.status == "answered" and value_matches(answer.value, answer.unit, expected)


def run_ingest(n: int, seed: int, work: Path) -> SizeResult:
    """Generate (untimed) and ingest one corpus of n documents into work/store, in this process."""

    write(build(n, seed), work)
    store = work / "store"
    res = SizeResult(documents=n)
    marks: list[float] = []

    def progress(message: str) -> None:
        if message.startswith("indexing") and not marks:
            marks.append(time.perf_counter())

    start = time.perf_counter()
    report = ingest([work / "text"], store, progress=progress)
    end = time.perf_counter()
    res.ingest_s = end - start
    res.index_s = end - marks[0] if marks else 0.0
    res.facts = report.facts
    res.store_mib = _dir_mib(store)
    res.peak_ingest_mib = _peak_mib()
    return res


def run_questions(res: SizeResult, seed: int, per_category: int, work: Path) -> SizeResult:
    """Open the store as a server does (a process that never ingested) and time the sampled questions."""
    import jieba


    engine = Engine.open(work / "store")
    res.embedded_texts = engine.index.facts.count() + engine.index.passages.count() if engine.index else 0
    key = [json.loads(line) for line in (work / "answer_key.jsonl").read_text(encoding="utf-8").splitlines()]
    questions = _sample(key, per_category, seed)
    jieba.initialize()  # Engine.open leaves jieba's dictionary (~1 s) to the first question that needs it
    if engine.index is not None:  # and the model, when its warm-up text is already in the embedding cache
        engine.index.embedder.warm()
    for cat in CATEGORIES:  # warm-up: the model and caches loaded by one question of each kind
        item = next((q for q in questions if q["category"] == cat), None)
        if item:
            engine.ask(item["question"], item["scope"] or None)
    for item in questions:
        t = time.perf_counter()
        answer = engine.ask(item["question"], item["scope"] or None)
        res.latency.setdefault(item["category"], []).append((time.perf_counter() - t) * 1000)
        res.correct[item["category"]] = res.correct.get(item["category"], 0) + _correct(answer, item)
    for item in questions:  # the same questions again: every document they touch has been read once
        t = time.perf_counter()
        engine.ask(item["question"], item["scope"] or None)
        res.repeat.append((time.perf_counter() - t) * 1000)
    res.peak_answer_mib = _peak_mib()
    return res


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pcts(xs: list[float]) -> str:
    if not xs:
        return "n/a"
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]
    return f"{statistics.median(xs):.1f} / {p95:.1f} / {xs[-1]:.1f}"


def render(results: list[SizeResult]) -> str:
    head = "| measure | " + " | ".join(f"{r.documents:,} docs, {r.chroma}" for r in results) + " |"
    rows = [head, "|---|" + "---|" * len(results)]

    def row(name: str, cells: list[str]) -> None:
        rows.append(f"| {name} | " + " | ".join(cells) + " |")

    row("ingest (ledger + index)", [f"{r.ingest_s:.1f} s" for r in results])
    row("of which indexing (embed + Chroma)", [f"{r.index_s:.1f} s" for r in results])
    row("documents / hour", [f"{r.documents / r.ingest_s * 3600:,.0f}" for r in results])
    row("facts", [f"{r.facts:,}" for r in results])
    row("distinct texts embedded (index records)", [f"{r.embedded_texts:,}" for r in results])
    row("store size (ledger + index)", [f"{r.store_mib + r.server_mib:.1f} MiB" for r in results])
    row("of which on the Chroma server", [f"{r.server_mib:.1f} MiB" if r.chroma == "server" else "n/a"
                                          for r in results])
    for cat in CATEGORIES:
        row(f"{cat} latency p50 / p95 / max (ms)", [_pcts(r.latency.get(cat, [])) for r in results])
    row("all asked again p50 / p95 / max (ms)", [_pcts(r.repeat) for r in results])
    for cat in CATEGORIES:
        cells = []
        for r in results:
            n = len(r.latency.get(cat, []))
            cells.append(f"{r.correct.get(cat, 0) / n:.0%} ({r.correct.get(cat, 0)}/{n})" if n else "n/a")
        row(f"{cat} accuracy", cells)
    row("peak memory, ingest process", [f"{r.peak_ingest_mib:.0f} MiB" for r in results])
    row("peak memory, answering process", [f"{r.peak_answer_mib:.0f} MiB" for r in results])
    row("peak memory, Chroma server", [f"{r.peak_server_mib:.0f} MiB" if r.peak_server_mib else "n/a"
                                       for r in results])
    return "\n".join(rows)


def _child(n: int, seed: int, per_category: int, chroma: str) -> SizeResult:
    """One size in two fresh Pythons, ingest then answering, so each peak memory and cache is its own."""
    with tempfile.TemporaryDirectory(prefix=f"bench-scale-{n}-") as tmp:
        env = os.environ.copy()
        env.pop("BUDGETQA_CHROMA_URL", None)
        server = ChromaServer(Path(tmp) / "chroma-server") if chroma == "server" else None
        if server:
            env["BUDGETQA_CHROMA_URL"] = server.start()
        try:
            data: dict = {"documents": n, "chroma": chroma}
            for phase in ("ingest", "ask"):
                cmd = [sys.executable, "-m", "evals.bench_scale", "--one", str(n), "--phase", phase,
                       "--seed", str(seed), "--per-category", str(per_category), "--work", tmp]
                Path(tmp, "result.json").write_text(json.dumps(data))
                run = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
                data = json.loads(run.stdout.strip().splitlines()[-1])
            if server:
                data["peak_server_mib"], data["server_mib"] = server.peak_mib(), _dir_mib(server.path)
        finally:
            if server:
                server.stop()
    return SizeResult(**data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="scale benchmark over generated disclosures")
    ap.add_argument("--sizes", default="1,100")
    ap.add_argument("--full", action="store_true", help="add the 1,000-document size (about 10 minutes)")
    ap.add_argument("--per-category", type=int, default=30)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--chroma", default="embedded,server", help="embedded, server or both (comma-separated)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--phase", choices=("ingest", "ask"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        if args.phase == "ingest":
            res = run_ingest(args.one, args.seed, args.work)
            res.chroma = json.loads((args.work / "result.json").read_text()).get("chroma", "embedded")
        else:
            res = SizeResult(**json.loads((args.work / "result.json").read_text()))
            res = run_questions(res, args.seed, args.per_category, args.work)
        print(json.dumps(asdict(res)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.full and 1000 not in sizes:
        sizes.append(1000)
    results = []
    for n in sizes:
        for chroma in [c for c in args.chroma.split(",") if c]:
            print(f"bench-scale: {n} documents, {chroma} Chroma …", file=sys.stderr, flush=True)
            results.append(_child(n, args.seed, args.per_category, chroma))
    print(f"bench-scale {date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, seed {args.seed}, "
          f"{args.per_category} questions per category\n")
    print(render(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
