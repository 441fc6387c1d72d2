"""Department linking measured on a table written by someone who never saw the code: for every department
in ../shared/samples, the stored name, short forms people use, English forms, and questions naming
institutions the store does not hold. At least 98% must link to the right department, none to another one.

tests/data/names_departments.txt: the stored names; tests/data/names_table.jsonl: question, lang, expect (the
stored name, or null: must link to no department), kind (full | short | english | negative)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.lang.departments import Catalog
from ingest.model import Document
from ingest.readers.identity import region_of

DATA = Path(__file__).with_name("data")
ROWS = [json.loads(line) for line in (DATA / "names_table.jsonl").read_text(encoding="utf-8").splitlines()
        if line]
HELD = [n.strip() for n in (DATA / "names_departments.txt").read_text(encoding="utf-8").splitlines()
        if n.strip()]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog([Document(id=f"d{i}", source_key=f"{n}.pdf", path="", sha256="", title=n, department=n,
                             region=region_of(n), year=2026, kind="部门预算", level="department")
                    for i, n in enumerate(HELD)])


def _linked(catalog: Catalog, question: str) -> list[str]:
    return sorted({d.department for d in catalog.link(question).documents})


def test_the_table_covers_every_stored_department():
    assert {r["expect"] for r in ROWS if r["expect"]} == set(HELD)
    assert len(ROWS) >= 300


@pytest.mark.parametrize("row", ROWS, ids=[f"{i}-{r['kind']}" for i, r in enumerate(ROWS)])
def test_never_linked_to_another_department(catalog: Catalog, row: dict):
    got = _linked(catalog, row["question"])
    if row["expect"] is None:
        assert not got, f"{row['question']!r} names no held department, linked to {got}"
    else:
        assert not got or row["expect"] in got, f"{row['question']!r} linked to {got}, not {row['expect']}"


def test_at_least_98_percent_linked_to_the_right_department(catalog: Catalog):
    named = [r for r in ROWS if r["expect"]]
    right = [r for r in named if _linked(catalog, r["question"]) == [r["expect"]]]
    missed = [r["question"] for r in named if r not in right]
    assert len(right) / len(named) >= 0.98, f"{len(right)}/{len(named)}; missed: {missed}"
