"""Benchmark (not a test): ingest time per document, cold start to first answer, warm latency, peak memory.

Run with `make bench`; paste the table into the README with the date and machine.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app import config
from app.engine import Engine
from evals.runner import load_questions
from ingest.pipeline import ingest
from ingest.settings import settings


def main() -> int:
    samples = settings().samples
    files = sorted(config.CORPUS.glob("*.txt")) + (sorted(samples.glob("*.pdf")) if samples.is_dir() else [])
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"

        for f in files:
            t = time.perf_counter()
            report = ingest([f], store)
            rows.append((f"ingest {f.name}", f"{time.perf_counter() - t:.2f} s ({report.facts} facts)"))
        t = time.perf_counter()
        cold = subprocess.run([sys.executable, "-m", "app.cli", "ask", "--store", str(store),
                               "--scope", files[0].name, "--json", "what is the housing security spend?"],
                              capture_output=True, text=True, check=True)
        rows.append(("cold start to first answer (new process)", f"{time.perf_counter() - t:.2f} s"))
        assert '"answered"' in cold.stdout, cold.stdout

        engine = Engine.open(store)
        questions = load_questions()
        lat = []
        for q in questions:
            t = time.perf_counter()
            engine.ask(q["question"], scope=q["scope"] or None)
            lat.append((time.perf_counter() - t) * 1000)
        lat.sort()
        rows.append((f"warm latency p50 ({len(lat)} questions)", f"{statistics.median(lat):.1f} ms"))
        rows.append(("warm latency p95", f"{lat[int(0.95 * len(lat)) - 1]:.1f} ms"))
        rows.append(("peak memory (this process)",
                     f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"))
    print(f"bench {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print("| measure | value |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
