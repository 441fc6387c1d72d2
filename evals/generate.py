"""Generate realistic budget disclosures and their answer key, deterministic from a seed number.

    python -m evals.generate --count N --seed S --out DIR [--pdf]

Writes DIR/text/*.txt (the seed's text form), with --pdf also DIR/pdf/*.pdf
(same content, same stems), and DIR/answer_key.jsonl. Departments get two
years each (2026 grows from 2025, so "比上年" sentences agree across years).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from evals.gen.budget import Budget, draw
from evals.gen.key import KeyItem, cross_items, document_items
from evals.gen.names import departments
from evals.gen.text import render_text

YEARS = (2026, 2025)


@dataclass
class Corpus:
    """What one generation produced: budgets by file name (text form) and the answer key."""

    budgets: dict[str, Budget] = field(default_factory=dict)
    key: list[KeyItem] = field(default_factory=list)


def file_name(index: int, year: int) -> str:
    return f"gen-{index:04d}-{year}-department-budget.txt"


def build(count: int, seed: int) -> Corpus:
    """The budgets and key for ``count`` documents; the same (count, seed) always gives the same corpus."""
    rng = random.Random(seed)
    corpus = Corpus()
    depts = departments((count + len(YEARS) - 1) // len(YEARS), rng)
    by_year: dict[int, list[tuple[str, Budget]]] = {y: [] for y in YEARS}
    for i, dept in enumerate(depts):
        prior = draw(dept, YEARS[1], rng)
        current = draw(dept, YEARS[0], rng, prior=prior)
        for b in (current, prior):
            if len(corpus.budgets) < count:
                name = file_name(i, b.year)
                corpus.budgets[name] = b
                by_year[b.year].append((name, b))
                corpus.key.extend(document_items(b, name, rng))
    pairs = by_year[YEARS[0]]
    for n in range(0, len(pairs) - 1, 2):
        (doc_a, a), (doc_b, b) = pairs[n], pairs[n + 1]
        corpus.key.extend(cross_items(a, b, doc_a, doc_b, n // 2))
    return corpus


def write(corpus: Corpus, out: Path, pdf: bool = False) -> None:
    (out / "text").mkdir(parents=True, exist_ok=True)
    for name, b in corpus.budgets.items():
        (out / "text" / name).write_text(render_text(b), encoding="utf-8")
    if pdf:
        from evals.gen.pdf import render_pdf

        (out / "pdf").mkdir(parents=True, exist_ok=True)
        for name, b in corpus.budgets.items():
            (out / "pdf" / name.replace(".txt", ".pdf")).write_bytes(render_pdf(b))
    with open(out / "answer_key.jsonl", "w", encoding="utf-8") as fh:
        for item in corpus.key:
            fh.write(json.dumps(item.as_json(), ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pdf", action="store_true", help="also write PDFs (reportlab, STSong-Light)")
    args = ap.parse_args(argv)
    corpus = build(args.count, args.seed)
    write(corpus, args.out, args.pdf)
    print(f"{len(corpus.budgets)} documents, {len(corpus.key)} questions in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
