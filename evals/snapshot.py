"""Every eval question's whole answer, one JSON line each, to compare two versions of the code.

A refactor must leave answers byte-identical: run this before and after on the same store and
``cmp`` the two files. Latency is left out (it is never the same twice). Usage:

    python -m evals.snapshot --store DIR [--build] --out answers.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.engine import Engine
from evals.runner import FIRST_CONTACT, QUESTIONS, build_store, load_questions


def snapshot(store: Path, questions: list[dict]) -> list[str]:

    engine = Engine.open(store)
    lines = []
    for q in questions:
        answer = engine.ask(q["question"], scope=q["scope"] or None, history=q.get("history") or None)
        data = answer.to_dict()
        data.pop("latency_ms", None)
        lines.append(json.dumps({"id": q["id"], **data}, ensure_ascii=False, sort_keys=True))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", required=True)
    ap.add_argument("--build", action="store_true", help="ingest the eval's documents into the store first")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    questions = load_questions(QUESTIONS) + load_questions(FIRST_CONTACT)
    if args.build:
        build_store(Path(args.store), include_samples=True, questions=questions)
    lines = snapshot(Path(args.store), questions)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} answers written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
