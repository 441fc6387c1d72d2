"""The first-contact sets (evals/first_contact.jsonl): questions written from one document alone.

Their answers were written by someone who saw neither code nor eval; these checks keep the file usable:
the schema, unscoped questions, files that exist, and a direction word on every change question.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import samples_dir

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "evals" / "first_contact.jsonl"
DIRECTION = re.compile(r"(增加|减少|增长|下降|上升|increase|decrease|up|down|rise|fall|more|less)", re.I)


def _rows() -> list[dict]:
    return [json.loads(line) for line in FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_schema_and_no_scope():
    rows = _rows()
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["scope"] == [] and r["set"].startswith("first-contact:"), r["id"]
        assert r["lang"] in ("zh", "en") and isinstance(r["history"], list), r["id"]
        assert all(isinstance(h, str) and h for h in r["history"]), r["id"]
        exp = r["expected"]
        assert exp["status"] in ("answered", "not_found", "ambiguous"), r["id"]
        if exp["value"] is not None:
            Decimal(exp["value"])
        if r["lang"] == "en":  # English, perhaps with a Chinese term or gloss as people write ("(政府性基金)")
            latin, cjk = (len(re.findall(p, r["question"])) for p in (r"[A-Za-z]", r"[\u4e00-\u9fff]"))
            assert latin > 3 * cjk, f"{r['id']}: mostly Chinese in an English question"


def test_change_questions_check_the_direction_word():
    for r in _rows():
        if r["category"] == "change" and r["expected"]["status"] == "answered":
            assert any(DIRECTION.search(k) for k in r["expected"]["keywords"]), r["id"]


def test_every_named_file_is_a_sample():
    base = samples_dir()
    missing = {d for r in _rows() for d in r["docs"] if not (base / d).is_file()}
    assert not missing, missing


@pytest.mark.parametrize("name", ["hz-weather", "gz-petition", "wx-stats", "fz-eco", "js-court-2019",
                                  "js-party-2018", "sz-audit", "js-cppcc-2018", "fz-medical", "wx-education",
                                  "gz-civil", "js-npc-2019", "hz-police", "sz-data", "wx-hrss", "gz-housing",
                                  "sz-transport", "fz-commerce", "gz-health", "wx-emergency", "hz-justice",
                                  "sz-water", "wx-water", "js-court-2017", "gz-transport", "gz-science",
                                  "sz-emergency", "hz-transport", "wx-commerce", "fz-civil", "gz-devreform",
                                  "gz-stats", "sz-science", "wx-housing", "fz-police", "wx-devreform",
                                  "gz-market", "gz-water", "sz-landplan", "wx-petition", "fz-sci",
                                  "fz-traffic"])
def test_each_new_document_has_twenty_questions(name):
    assert sum(r["set"] == f"first-contact:{name}" for r in _rows()) >= 20
