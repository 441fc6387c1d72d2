"""The eval: run the known-answer set against a fresh store and gate on accuracy.

Reports per-category accuracy, citation accuracy (the cited cell really holds
the figure), retrieval recall@5, refusal precision/recall and latency, plus
two baselines over the same store (BM25-only and dense-only top fact).
"""

from __future__ import annotations

import json
import statistics
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from app import config
from app.engine import Engine
from app.pipeline.context import Ctx
from app.pipeline.link import link_subjects
from app.pipeline.understand import understand
from ingest.labels import normalise_label
from ingest.pipeline import ingest
from ingest.settings import settings
from ingest.units import MONEY_FACTORS, convert

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "questions.jsonl"
FIRST_CONTACT = HERE / "first_contact.jsonl"  # written from one document alone, by someone who saw no code
GATE = HERE / "gate.json"


@dataclass
class Outcome:
    qid: str
    category: str
    lang: str
    expected_status: str
    status: str
    first_contact: bool
    correct: bool
    figure: bool  # the question expects a figure
    answered_with_figure: bool
    cited_ok: bool | None
    recall5: bool | None
    latency_ms: float
    detail: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    baselines: dict[str, float] = field(default_factory=dict)
    documents: int = 0

    def accuracy(self, subset: list[Outcome] | None = None) -> float:
        rows = self.outcomes if subset is None else subset
        return sum(o.correct for o in rows) / len(rows) if rows else 0.0


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


_SAME_COUNT = ({"人", "名"}, {"个", "家", "所"}, {"辆", "台"})  # units a count is said in, one meaning


def value_matches(value: Decimal | None, unit: str, expected: dict) -> bool:
    if expected.get("value") in (None, ""):
        return True
    if value is None:
        return False
    want = Decimal(str(expected["value"]))
    tol = Decimal(str(expected.get("tolerance") or "0.005"))
    exp_unit = expected.get("unit") or unit
    if unit != exp_unit:
        if unit in MONEY_FACTORS and exp_unit in MONEY_FACTORS:
            value = convert(value, unit, exp_unit)
        elif any({unit, exp_unit} <= same for same in _SAME_COUNT):
            pass  # "11 家事业单位" and "11 个" are one count
        else:
            return False
    return abs(value - want) <= tol


_DIRECTION_WORDS = {"增加", "减少", "增长", "下降", "持平", "增", "减", "increase", "decrease", "increased",
                    "decreased", "unchanged"}


def judge(answer, expected: dict) -> tuple[bool, str]:
    status = expected["status"]
    if answer.status != status:
        return False, f"status {answer.status} != {status}"
    if status != "answered":
        return True, ""
    if not value_matches(answer.value, answer.unit, expected):
        # "fell by 32.12" is the signed change -32.12 said with its direction word, which keywords check:
        # a change is right signed or as a size, as long as the answer says the direction the key names
        directed = any(k in _DIRECTION_WORDS for k in expected.get("keywords") or [])
        size = dict(expected, value=str(abs(Decimal(str(expected["value"]))))) if directed else None
        got = abs(answer.value) if answer.value is not None else None
        if not (size and value_matches(got, answer.unit, size)):
            return False, (f"value {answer.value} {answer.unit} != "
                           f"{expected.get('value')} {expected.get('unit')}")
    text = answer.answer + " " + " ".join(c.text for c in answer.citations)
    plain = text.replace(",", "")  # a figure named as a keyword matches however its digits are grouped
    missing = [k for k in expected.get("keywords") or [] if k.lower() not in text.lower() and k not in plain]
    if missing:
        return False, f"missing keywords {missing}"
    return True, ""


def citation_ok(engine, answer) -> bool | None:
    """Every cited cell, re-read from the ledger, holds the value the citation shows."""
    if answer.status != "answered" or answer.value is None or not answer.citations:
        return None
    for c in answer.citations:
        if c.table == "narrative" and not c.value:
            continue  # a quoted passage (what an item pays for), not a cell
        facts = [f for f in engine.facts_of(c.document_id)
                 if (f.table_id or "narrative") == c.table and f.row_label == c.row and f.column == c.column
                 and ("" if f.value is None else str(f.value)) == c.value]
        if not facts:
            return False
    return True


def recall_at_5(engine, q: dict, doc_ids: list[str] | None) -> bool | None:
    src = (q["expected"].get("source") or {})
    row = src.get("row")
    if q["expected"]["status"] != "answered" or not row or src.get("table") == "narrative":
        return None

    query = understand(q["question"], engine.glossary)
    scope = engine.scope.resolve(query, doc_ids)

    subjects, _ = link_subjects(engine.view, Ctx(query, scope.documents))
    labels = [s.label for s in subjects if s.label]
    fused = engine.retriever.labels(query.norm, [d.id for d in scope.documents], k=5)
    ranked = list(dict.fromkeys(labels + [lab for lab, _ in fused.labels]))[:5]
    want = normalise_label(row)
    return any(want == normalise_label(lab) for lab in ranked)


def baseline(engine, q: dict, doc_ids: list[str] | None, kind: str) -> bool:
    """Top fact of one retriever alone: never refuses, no calculator."""
    exp = q["expected"]
    if exp["status"] != "answered" or exp.get("value") in (None, ""):
        return False
    docs = [d.id for d in engine.documents() if not doc_ids or d.id in doc_ids or d.source_key in doc_ids]
    if kind == "bm25":
        top = engine.ledger.search_labels(q["question"], docs, 1)
    else:
        top = engine.index.search_labels(q["question"], docs, 1) if engine.index else []
    if not top:
        return False
    facts = [f for d in docs for f in engine.facts_of(d) if f.label == top[0][0]]
    fact = engine.view.pick(facts)
    return fact is not None and value_matches(fact.value, fact.unit, exp)


def samples_dir() -> Path:
    return settings().samples


def build_store(store: Path, include_samples: bool, questions: list[dict] | None = None) -> list[Path]:
    """The corpus, the top-level sample PDFs, and every sample file a question names in ``docs``."""

    paths = [config.CORPUS]
    samples = samples_dir()
    if include_samples and samples.is_dir():
        paths += sorted(samples.glob("*.pdf"))
        named = dict.fromkeys(d for q in questions or [] for d in q.get("docs") or [])
        paths += [samples / d for d in named if (samples / d).is_file()]
    ingest(paths, store, progress=None)
    return paths


def first_contact(q: dict) -> bool:
    return str(q.get("set", "")).startswith("first-contact")


def askable(q: dict, names: set[str]) -> bool:
    """A question the store can answer: its sample files exist, or the documents it scopes and cites are held
    (a question about a document the store lacks is not asked)."""
    if q.get("docs"):
        return all((samples_dir() / d).is_file() for d in q["docs"])
    cited = (q["expected"].get("source") or {}).get("doc", "").split()
    return all(s in names for s in q["scope"]) and all(s in names for s in cited if s)


def run(store: Path, questions: list[dict], baselines: bool = True, engine=None) -> Report:

    engine = engine or Engine.open(store)
    names = {d.source_key for d in engine.documents()}
    report = Report(documents=len(names))
    bm25_ok = dense_ok = 0
    for q in questions:
        if not askable(q, names):
            continue
        scope = q["scope"] or None
        answer = engine.ask(q["question"], scope=scope, history=q.get("history") or None)
        ok, detail = judge(answer, q["expected"])
        exp = q["expected"]
        report.outcomes.append(Outcome(
            qid=q["id"], category=q["category"], lang=q["lang"], expected_status=exp["status"],
            status=answer.status, first_contact=first_contact(q),
            correct=ok, figure=exp["status"] == "answered" and exp.get("value") not in (None, ""),
            answered_with_figure=answer.status == "answered" and answer.value is not None,
            cited_ok=citation_ok(engine, answer), recall5=recall_at_5(engine, q, scope),
            latency_ms=answer.latency_ms, detail=detail))
        if baselines:
            bm25_ok += baseline(engine, q, scope, "bm25")
            dense_ok += baseline(engine, q, scope, "dense")
    n = len(report.outcomes) or 1
    if baselines:
        report.baselines = {"bm25-only": bm25_ok / n, "dense-only": dense_ok / n}
    return report


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def render(report: Report) -> str:
    rows = report.outcomes
    lines = [f"eval: {len(rows)} questions over {report.documents} documents", "",
             "| category | n | accuracy |", "|---|---|---|"]
    for cat in sorted({o.category for o in rows}):
        sub = [o for o in rows if o.category == cat]
        lines.append(f"| {cat} | {len(sub)} | {_pct(report.accuracy(sub))} |")
    for lang in ("zh", "en"):
        sub = [o for o in rows if o.lang == lang]
        lines.append(f"| (language {lang}) | {len(sub)} | {_pct(report.accuracy(sub))} |")
    lines.append(f"| **all** | {len(rows)} | **{_pct(report.accuracy())}** |")
    tuned = [o for o in rows if not o.first_contact]
    fc = [o for o in rows if o.first_contact]
    lines.append(f"| (tuned set) | {len(tuned)} | {_pct(report.accuracy(tuned))} |")
    if fc:
        lines.append(f"| (first-contact sets, now) | {len(fc)} | {_pct(report.accuracy(fc))} |")
    cited = [o.cited_ok for o in rows if o.cited_ok is not None]
    rec = [o.recall5 for o in rows if o.recall5 is not None]
    exp_ref = [o for o in rows if o.expected_status == "not_found"]
    got_ref = [o for o in rows if o.status == "not_found"]
    tp = sum(1 for o in got_ref if o.expected_status == "not_found")
    lat = sorted(o.latency_ms for o in rows)
    p50 = statistics.median(lat) if lat else 0
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else 0
    lines += ["", "| measure | value |", "|---|---|",
              f"| citation accuracy (cited cell holds the figure) | "
              f"{_pct(sum(cited) / len(cited)) if cited else '-'} |",
              f"| retrieval recall@5 | {_pct(sum(rec) / len(rec)) if rec else '-'} |",
              f"| refusal precision | {_pct(tp / len(got_ref)) if got_ref else '-'} |",
              f"| refusal recall | {_pct(tp / len(exp_ref)) if exp_ref else '-'} |",
              f"| latency p50 / p95 | {p50:.0f} ms / {p95:.0f} ms |"]
    if report.baselines:
        lines += ["", "| system | accuracy | engine margin |", "|---|---|---|",
                  f"| engine | {_pct(report.accuracy())} | |"]
        for name, acc in report.baselines.items():
            lines.append(f"| {name} (top fact) | {_pct(acc)} | +{_pct(report.accuracy() - acc)} |")
    wrong = [o for o in rows if not o.correct]
    if wrong:
        lines += ["", f"{len(wrong)} wrong:"] + [f"  {o.qid}: {o.detail}" for o in wrong]
    return "\n".join(lines)


def gate(report: Report, threshold: float | None = None) -> list[str]:
    rules = json.loads(GATE.read_text())
    minimum = threshold if threshold is not None else rules["min_accuracy"]
    failures = []
    tuned = [o for o in report.outcomes if not o.first_contact]
    fc = [o for o in report.outcomes if o.first_contact]
    if report.accuracy(tuned) < minimum:
        failures.append(f"accuracy {_pct(report.accuracy(tuned))} on the tuned set is below the gate "
                        f"{_pct(minimum)}")
    fc_min = rules.get("min_accuracy_first_contact")
    if fc and fc_min is not None and report.accuracy(fc) < fc_min:
        failures.append(f"accuracy {_pct(report.accuracy(fc))} on the first-contact sets is below "
                        f"{_pct(fc_min)}")
    leaked = [o.qid for o in report.outcomes if o.expected_status == "not_found" and o.answered_with_figure]
    if len(leaked) > rules["max_refusals_answered_with_figure"]:
        failures.append(f"questions that must be refused got a figure: {', '.join(leaked)}")
    if not report.outcomes:
        failures.append("no question was run")
    return failures


def main(args) -> int:
    store = config.store_path(args.store)
    require = settings().require_samples
    questions = load_questions(Path(args.questions)) if args.questions else \
        load_questions(QUESTIONS) + (load_questions(FIRST_CONTACT) if FIRST_CONTACT.exists() else [])
    paths = build_store(store, include_samples=True, questions=questions)
    if require and len(paths) < 4:
        print("error: BUDGETQA_REQUIRE_SAMPLES=1 but the sample PDFs are missing", file=sys.stderr)
        return 2
    report = run(store, questions, baselines=not args.no_baselines)
    print(render(report))
    if args.report:
        Path(args.report).write_text(json.dumps([o.__dict__ for o in report.outcomes], ensure_ascii=False,
                                                indent=1))
    failures = gate(report, args.threshold)
    for f in failures:
        print(f"EVAL GATE FAILED: {f}", file=sys.stderr)
    if not failures:
        print("eval gate passed")
    return 1 if failures else 0


def parse(argv: list[str] | None = None):
    import argparse

    ap = argparse.ArgumentParser(prog="python -m evals.runner", description=__doc__)
    ap.add_argument("--store", help="a fresh store folder to build (default: $BUDGETQA_STORE or data/store)")
    ap.add_argument("--questions", help="questions file (default: questions.jsonl + first_contact.jsonl)")
    ap.add_argument("--threshold", type=float, help="override the accuracy gate")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--report", help="write the report as JSON here")
    return ap.parse_args(argv)


if __name__ == "__main__":
    raise SystemExit(main(parse()))
