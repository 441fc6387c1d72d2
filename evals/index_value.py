"""What each dense index earns: the eval answered with and without the passage index and the label index.

Why: embedding is most of what ingest costs (issue 23), while Chinese matching rests on the ledger (FTS5
and the glossary). Each configuration answers every eval question on the same store; the table gives
accuracy per set (tuned / first contact) and language, the change against both indexes on, and how many
answers differ at all (any byte of the answer, not only its grading). Usage:

    python -m evals.index_value --store DIR [--build]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.engine import Engine
from evals.runner import (
    FIRST_CONTACT,
    QUESTIONS,
    askable,
    build_store,
    first_contact,
    judge,
    load_questions,
)

CONFIGS = {  # name: (dense labels, dense passages)
    "both indexes": (True, True),
    "no passage index": (True, False),
    "no label index": (False, True),
    "neither (ledger only)": (False, False),
}
GROUPS = [("tuned", "zh"), ("tuned", "en"), ("first contact", "zh"), ("first contact", "en")]


def _outcomes(engine: Engine, questions: list[dict]) -> list[tuple[dict, bool, str]]:
    """(question, graded right, whole answer as JSON) for every question the store can answer."""
    names = {d.source_key for d in engine.documents()}
    out = []
    for q in questions:
        if not askable(q, names):
            continue  # the runner's own rule: a question about a document the store lacks is not asked
        answer = engine.ask(q["question"], scope=q["scope"] or None, history=q.get("history") or None)
        data = answer.to_dict()
        data.pop("latency_ms", None)
        out.append((q, judge(answer, q["expected"])[0], json.dumps(data, ensure_ascii=False, sort_keys=True)))
    return out


def _groups(outcomes: list[tuple[dict, bool, str]]) -> dict[str, tuple[int, int]]:
    """(right, n) per set and language, and overall."""
    out: dict[str, tuple[int, int]] = {}
    for name, lang in GROUPS:
        rows = [ok for q, ok, _ in outcomes
                if first_contact(q) == (name == "first contact") and q["lang"] == lang]
        out[f"{name} {lang}"] = (sum(rows), len(rows))
    out["all"] = (sum(ok for _, ok, _ in outcomes), len(outcomes))
    return out


def measure(store: Path, questions: list[dict]) -> str:
    engine = Engine.open(store)
    results: dict[str, tuple[dict[str, tuple[int, int]], dict[str, bool], dict[str, str]]] = {}
    for name, (labels, passages) in CONFIGS.items():
        engine.retriever.dense_labels, engine.retriever.dense_passages = labels, passages
        outcomes = _outcomes(engine, questions)
        results[name] = (_groups(outcomes), {q["id"]: ok for q, ok, _ in outcomes},
                         {q["id"]: text for q, _, text in outcomes})
        print(f"{name}: {results[name][0]['all']}", file=sys.stderr, flush=True)
    base_groups, base_ok, base_answers = results["both indexes"]
    cols = list(base_groups)
    lines = ["| configuration | " + " | ".join(cols)
             + " | answers that differ | right → wrong | wrong → right |",
             "|---" * (len(cols) + 4) + "|"]
    for name, (groups, ok, answers) in results.items():
        cells = []
        for c in cols:
            right, n = groups[c]
            delta = 100 * (right - base_groups[c][0]) / n if n else 0.0
            cells.append(f"{100 * right / n:.1f}%" + ("" if name == "both indexes" else f" ({delta:+.1f})"))
        differ = sum(answers[q] != base_answers[q] for q in answers)
        lost = sorted(q for q in ok if base_ok.get(q) and not ok[q])
        won = sorted(q for q in ok if not base_ok.get(q) and ok[q])
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {differ} | {len(lost)} | {len(won)} |")
        if lost or won:
            lines.append(f"|   {name}: lost {', '.join(lost) or '-'}; won {', '.join(won) or '-'} |")
    n = {c: base_groups[c][1] for c in cols}
    return "\n".join(lines) + "\n\nquestions per group: " + ", ".join(f"{c} {k}" for c, k in n.items())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", required=True)
    ap.add_argument("--build", action="store_true", help="ingest the eval's documents into the store first")
    args = ap.parse_args(argv)
    questions = load_questions(QUESTIONS) + load_questions(FIRST_CONTACT)
    if args.build:
        build_store(Path(args.store), include_samples=True, questions=questions)
    print(measure(Path(args.store), questions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
