"""The eval gate can fail: a calculator with swapped operands must make it fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine import Engine
from app.pipeline import calculate
from evals import runner
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
SEED_KEY = "antu-social-insurance-2026-department-budget.txt"


@pytest.fixture(scope="module")
def seed_engine(tmp_path_factory):

    store = tmp_path_factory.mktemp("gate") / "store"
    ingest([ROOT / "corpus"], store)
    return Engine.open(store)


def _seed_questions() -> list[dict]:
    return [q for q in runner.load_questions()
            if q["scope"] == [SEED_KEY] or (q["id"].startswith("seed-") and not q["scope"])]


def test_gate_passes_with_the_real_calculator(seed_engine):
    report = runner.run(seed_engine.ledger.store, _seed_questions(), baselines=False, engine=seed_engine)
    assert len(report.outcomes) >= 150
    assert runner.gate(report) == [], runner.render(report)


def test_gate_fails_when_the_calculator_swaps_operands(seed_engine, monkeypatch):
    fresh = Engine.open(seed_engine.ledger.store)  # the shared engine remembers its answers: ask anew
    real_share, real_ratio = calculate.share, calculate.ratio
    monkeypatch.setattr(calculate, "share", lambda part, whole, unit: real_share(whole, part, unit))
    monkeypatch.setattr(calculate, "ratio", lambda a, b: real_ratio(b, a))
    monkeypatch.setattr(calculate, "prior_from_change",
                        lambda current, change, unit: calculate.Result(change - current, unit, "swapped"))
    report = runner.run(fresh.ledger.store, _seed_questions(), baselines=False, engine=fresh)
    failures = runner.gate(report)
    assert any("below the gate" in f for f in failures), runner.render(report)
    wrong = {o.category for o in report.outcomes if not o.correct}
    assert {"share", "ratio", "prior_year"} <= wrong
