"""First contact: questions written from one document alone, by someone who saw neither code nor eval.

Converts a writer's questions file into eval lines (no scope, history kept) and runs them once
against a store holding the corpus and every sample document named, so the score is what a new
user would see. Usage:

    python -m evals.first_contact --store DIR --set hz-weather=cities/008_…pdf FOLDER/questions.jsonl …
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app import config
from app.engine import Engine
from evals.runner import judge
from ingest.pipeline import ingest

SAMPLES = config.PROJECT.parent / "shared" / "samples"
_STATUS = {"answered": "answered", "refused": "not_found", "refusal": "not_found"}  # writers' words, engine's


def to_eval(raw: dict, docs: list[str], set_name: str) -> dict:
    """One writer's line as an eval question: unscoped, with the files it needs and its conversation."""
    exp = raw["expected"]
    src = raw.get("source") or {}
    value = exp.get("value")
    return {
        "id": raw["id"], "question": raw["question"], "lang": raw.get("lang") or "zh",
        "category": raw.get("category") or "lookup", "scope": [], "history": raw.get("history") or [],
        "set": f"first-contact:{set_name}", "docs": docs,
        "expected": {"status": _STATUS.get(exp.get("status") or "answered", exp.get("status")),
                     "value": None if value in (None, "", "null") else str(value).replace(",", ""),
                     "unit": exp.get("unit") or "", "tolerance": str(exp.get("tolerance") or "0.005"),
                     "keywords": exp.get("keywords") or [],
                     "source": {"doc": " ".join(Path(d).name for d in docs), "page": src.get("page"),
                                "table": src.get("table") or "", "row": src.get("row") or "",
                                "column": src.get("column") or ""},
                     "formula": raw.get("formula") or ""},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="+", help="writers' questions.jsonl files, in --set order")
    ap.add_argument("--set", action="append", default=[], help="NAME=sample/path.pdf[,other.pdf]")
    ap.add_argument("--store", required=True)
    ap.add_argument("--out", help="write the converted eval lines here")
    ap.add_argument("--ingest", action="store_true", help="ingest the corpus and the named files first")
    args = ap.parse_args(argv)
    sets = [s.split("=", 1) for s in args.set]
    questions: list[dict] = []
    for (name, docs), path in zip(sets, args.files, strict=True):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(to_eval(json.loads(line), docs.split(","), name))
    if args.out:
        Path(args.out).write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions),
                                  encoding="utf-8")
    store = Path(args.store)
    if args.ingest:

        files = [config.CORPUS] + sorted(SAMPLES.glob("*.pdf"))
        files += [SAMPLES / d for _, docs in sets for d in docs.split(",")]
        for f in files:  # one file at a time: a reader crash costs that file only
            try:
                ingest([f], store, progress=None)
            except Exception as e:  # noqa: BLE001 - first contact records what a user would meet
                print(f"refused {Path(f).name}: {e}", file=sys.stderr)

    engine = Engine.open(store)
    by_set: dict[str, list[bool]] = {}
    for q in questions:
        try:
            answer = (engine.ask(q["question"], history=q["history"]) if q["history"]
                      else engine.ask(q["question"]))
        except TypeError:  # an engine without conversations asks the follow-up on its own
            answer = engine.ask(q["question"])
        ok, detail = judge(answer, q["expected"])
        by_set.setdefault(q["set"], []).append(ok)
        mark = "ok " if ok else "BAD"
        print(f"{mark} {q['id']}: {q['question']} -> {answer.status} {answer.value} {answer.unit} {detail}")
    print("\n| set | n | first contact |\n|---|---|---|")
    for name, oks in by_set.items():
        print(f"| {name} | {len(oks)} | {100 * sum(oks) / len(oks):.1f}% |")
    allok = [o for oks in by_set.values() for o in oks]
    print(f"| all | {len(allok)} | {100 * sum(allok) / max(1, len(allok)):.1f}% |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
