"""The eval set (evals/questions.jsonl): schema, coverage, and every expected figure re-derived from the
documents.

The expected answers were typed by hand from the disclosures; these tests read the raw documents again
(the seed's tab-separated lines, the sample PDFs through pdfplumber) so a typo in the set fails here,
independently of the engine under evaluation.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.labels import normalise_label, strip_spaces
from ingest.numbers import parse_number, to_halfwidth
from ingest.units import COUNT_UNITS, MONEY_FACTORS, convert, unit_from_caption

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "evals" / "questions.jsonl"
SEED_NAME = "antu-social-insurance-2026-department-budget.txt"
DEPT = "putuo-justice-bureau-2026-department-budget.pdf"
UNIT = "putuo-justice-bureau-2026-unit-budget.pdf"
FINAL = "putuo-finance-bureau-2024-final-accounts.pdf"
DOCS = {SEED_NAME, DEPT, UNIT, FINAL}

CATEGORIES = {
    "lookup", "paraphrase", "synonym", "share", "sum", "difference", "ratio", "prior_year", "per_unit",
    "ranking", "count", "unit_conversion", "zero_vs_blank", "descriptive", "refusal", "ambiguous",
}
STATUSES = {"answered", "not_found", "ambiguous"}
FORMULAS = {"sum", "difference", "share", "ratio", "per_unit", "decrease_pct"}
UNITS = set(MONEY_FACTORS) | COUNT_UNITS

# Sample PDF tables, numbered as in each document's contents: (pages, title printed on the first page).
PDF_TABLES: dict[str, dict[str, tuple[list[int], str]]] = {
    DEPT: {
        "01": ([10], "2026年部门财务收支预算总表"), "02": ([11], "2026年部门收入预算总表"),
        "03": ([12, 13], "2026年部门支出预算总表"), "04": ([14], "2026年部门财政拨款收支预算总表"),
        "05": ([15, 16], "2026年部门一般公共预算支出功能分类预算表"),
        "06": ([17], "2026年部门政府性基金预算支出功能分类预算表"),
        "07": ([18], "2026年部门国有资本经营预算支出功能分类预算表"),
        "08": ([19, 20], "2026年部门一般公共预算基本支出部门预算经济分类预算表"),
        "09": ([21], "2026年部门“三公”经费和机关运行经费预算表"),
    },
    UNIT: {
        "01": ([8], "2026年预算单位财务收支预算总表"), "02": ([9, 10], "2026年预算单位收入预算总表"),
        "03": ([11, 12], "2026年预算单位支出预算总表"), "04": ([13], "2026年预算单位财政拨款收支预算总表"),
        "05": ([14, 15], "2026年预算单位一般公共预算支出功能分类预算表"),
        "06": ([16], "2026年预算单位政府性基金预算支出功能分类预算表"),
        "07": ([17], "2026年预算单位国有资本经营预算支出功能分类预算表"),
        "08": ([18, 19], "2026年预算单位一般公共预算基本支出部门预算经济分类预算表"),
        "09": ([20], "2026年单位“三公”经费和机关运行经费预算表"),
    },
    FINAL: {
        "01": ([6, 7], "收入支出决算总表"), "02": ([8, 9], "收入决算表"), "03": ([10, 11], "支出决算表"),
        "04": ([12, 13], "财政拨款收入支出决算总表"), "05": ([15], "一般公共预算财政拨款支出决算表"),
        "06": ([16, 17], "一般公共预算财政拨款基本支出决算表"), "07": ([18], "经费支出决算表"),
        "08": ([19], "政府性基金预算财政拨款收入支出决算表"), "09": ([20], "国有资本经营预算财政拨款收入支出决算表"),
    },
}

_SEED_CAPTION = re.compile(r"[（(]\s*(\d{2})\s*[)）]\s*$")
_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CJK = re.compile(r"[\u4e00-\u9fff]")


# ------------------------------------------------------------------ loading the set
def load_questions() -> list[dict]:
    with QUESTIONS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


QS = load_questions()


def figure_checks(q: dict) -> list[tuple[dict, Decimal | None, str, Decimal]]:
    """(source, expected value in `unit`, unit, tolerance) for every figure a question relies on."""
    exp = q["expected"]
    if exp["formula_operands"]:
        return [(src, Decimal(op), src["unit"], Decimal(0))
                for op, src in zip(exp["formula_operands"], exp["operand_sources"], strict=True)]
    if exp.get("source"):
        value = None if exp["value"] is None else Decimal(exp["value"])
        tol = Decimal(exp["tolerance"]) if exp["tolerance"] is not None else Decimal(0)
        return [(exp["source"], value, exp["unit"], tol)]
    return []


# ------------------------------------------------------------------ reading the documents again
def _key(text: str | None) -> str:
    return to_halfwidth(strip_spaces(text or ""))


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=1)
def seed_text() -> str:
    return (ROOT / "corpus" / SEED_NAME).read_text(encoding="utf-8")


def seed_tables() -> dict[str, list[str]]:
    """The seed's table sections by number: the lines after a "…表 (01)" caption up to the next one."""
    tables: dict[str, list[str]] = {}
    current = None
    for line in seed_text().splitlines():
        s = line.strip()
        m = _SEED_CAPTION.search(s)
        if m and "\t" not in s and "表" in s:
            current = m.group(1)
            tables[current] = []
            continue
        if s.startswith("第三部分"):
            current = None
        if current:
            tables[current].append(line)
    return tables


@lru_cache(maxsize=3)
def pdf_pages(path: str) -> tuple[list[str], list[list[list[str | None]]]]:
    """Each page's text and its tables' rows (extract_tables keeps blank cells)."""
    import pdfplumber

    texts, tables = [], []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            tables.append([row for t in page.extract_tables() for row in t])
    return texts, tables


def table_cell(rows: list[list[str | None]], row_label: str, column: str) -> str | None:
    """The printed cell at (row label, column path); an empty row label means the table's only data row.

    Header rows are those before the first row holding a number. The column path ("公务接待费/预算数")
    is matched segment by segment, left to right, starting just right of the row's label cell.
    """
    first = next(i for i, r in enumerate(rows) if any(parse_number(c) is not None for c in r if c))
    header, data = rows[:first], rows[first:]
    want = normalise_label(row_label)
    for r in data:
        if want:
            idx = next((i for i, c in enumerate(r) if c and normalise_label(c) == want), None)
            if idx is None:
                continue
            pos = idx + 1
        else:
            pos = 0
        for seg in column.split("/"):
            pos = next(j for j in range(pos, len(r))
                       if any(j < len(h) and _key(h[j]) == _key(seg) for h in header))
        return r[pos]
    raise AssertionError(f"row {row_label!r} not found")


def narrative_value(text: str, phrase: str, nth: int = 1) -> Decimal | None:
    """The nth number printed after the first occurrence of `phrase` (whitespace-collapsed text)."""
    body, p = _collapse(text), _collapse(phrase)
    at = body.find(p)
    assert at >= 0, f"phrase {phrase!r} not in document"
    tokens = _TOKEN.findall(body[at + len(p):])
    return parse_number(tokens[nth - 1])


class Documents:
    """Raw text and table rows of the four documents, keyed by source_key."""

    def __init__(self, samples: dict[str, Path] | None = None):
        self.paths = {p.name: p for p in (samples or {}).values()}

    def text(self, doc: str) -> str:
        if doc == SEED_NAME:
            return seed_text()
        return "\n".join(pdf_pages(str(self.paths[doc]))[0])

    def rows_and_caption(self, doc: str, table: str) -> tuple[list[list[str | None]], str | None]:
        if doc == SEED_NAME:
            lines = seed_tables()[table]
            return [line.split("\t") for line in lines if "\t" in line], unit_from_caption("\n".join(lines))
        texts, tables = pdf_pages(str(self.paths[doc]))
        pages, title = PDF_TABLES[doc][table]
        assert title in texts[pages[0] - 1], f"{doc} table {table}: title {title!r} not on page {pages[0]}"
        rows = [row for p in pages for row in tables[p - 1]]
        return rows, unit_from_caption(texts[pages[0] - 1])

    def value(self, src: dict) -> Decimal | None:
        if src["table"] == "narrative":
            return narrative_value(self.text(src["doc"]), src["row"], src.get("nth", 1))
        rows, caption_unit = self.rows_and_caption(src["doc"], src["table"])
        if caption_unit is not None:
            assert caption_unit == src["unit"], f"table {src['table']} is printed in {caption_unit}"
        return parse_number(table_cell(rows, src["row"], src["column"]))


def _in_unit(value: Decimal, unit: str, target: str) -> Decimal:
    if unit != target and unit in MONEY_FACTORS and target in MONEY_FACTORS:
        return convert(value, unit, target)
    return value


def verify_sources(docs: Documents, wanted: set[str]) -> list[str]:
    """Every source (and operand source) in documents `wanted`, re-derived; returns the mismatches."""
    errors = []
    for q in QS:
        for src, expected, unit, tol in figure_checks(q):
            if src["doc"] not in wanted:
                continue
            try:
                if expected is None and src["table"] == "narrative":
                    assert _collapse(src["row"]) in _collapse(docs.text(src["doc"])), "phrase not in document"
                    continue
                got = docs.value(src)
            except (AssertionError, StopIteration, IndexError, KeyError) as exc:
                errors.append(f"{q['id']}: {src} -> {exc!r}")
                continue
            if expected is None:
                continue  # a "无" answer from a table: nothing to compare
            if got is None:
                errors.append(f"{q['id']}: {src} is blank in the document, expected {expected}")
            elif abs(_in_unit(got, src["unit"], unit) - expected) > tol:
                errors.append(f"{q['id']}: {src} reads {got} {src['unit']}, expected {expected} {unit}")
    return errors


def compute(formula: str, operands: list[tuple[Decimal, str]], target: str) -> Decimal:
    """The calculation a derived question asks for, over the typed operands."""
    if formula == "sum":
        return sum((_in_unit(v, u, target) for v, u in operands), Decimal(0))
    (a, ua), (b, ub) = operands
    if formula == "difference":
        return _in_unit(a, ua, target) - _in_unit(b, ub, target)
    if formula == "share":
        return _in_unit(a, ua, ub) / b * 100
    if formula == "ratio":
        return _in_unit(a, ua, ub) / b
    if formula == "per_unit":
        return _in_unit(a, ua, target) / b
    if formula == "decrease_pct":
        return b / (a + _in_unit(b, ub, ua)) * 100
    raise AssertionError(formula)


# ------------------------------------------------------------------ schema and coverage
def test_every_line_follows_the_schema():
    for q in QS:
        assert set(q) == {"id", "question", "lang", "category", "scope", "expected"}, q["id"]
        exp = q["expected"]
        assert q["lang"] in {"zh", "en"}, q["id"]
        assert q["category"] in CATEGORIES, q["id"]
        assert isinstance(q["scope"], list) and set(q["scope"]) <= DOCS, q["id"]
        assert exp["status"] in STATUSES, q["id"]
        assert isinstance(exp["keywords"], list) and isinstance(exp["formula_operands"], list), q["id"]
        if exp["value"] is not None:
            Decimal(exp["value"])
            assert Decimal(exp["tolerance"]) >= 0, q["id"]
            assert exp["unit"] in UNITS, q["id"]
        if exp["status"] != "answered":
            assert exp["value"] is None and exp["source"] is None, q["id"]
        for src in [exp["source"], *exp.get("operand_sources", [])]:
            if src is None:
                continue
            assert src["doc"] in DOCS, q["id"]
            assert src["table"] == "narrative" or re.fullmatch(r"\d{2}", src["table"]), q["id"]
            if src["table"] != "narrative":
                assert "column" in src and src["row"] == normalise_label(src["row"]), q["id"]
            if q["scope"]:
                assert src["doc"] in q["scope"], f"{q['id']}: source outside the question's scope"


def test_ids_and_questions_are_unique():
    ids = [q["id"] for q in QS]
    assert len(ids) == len(set(ids))
    texts = [q["question"] for q in QS]
    assert len(texts) == len(set(texts))
    for q in QS:
        assert re.fullmatch(rf"(seed|sample)-{q['category']}-\d{{3}}", q["id"]), q["id"]


def test_enough_seed_and_sample_questions():
    seed = [q for q in QS if q["id"].startswith("seed-")]
    sample = [q for q in QS if q["id"].startswith("sample-")]
    assert len(seed) >= 150
    assert len(sample) >= 60
    # seed questions need only the seed; sample questions rely on a sample PDF or on all documents
    for q in seed:
        assert all(src["doc"] == SEED_NAME for src, *_ in figure_checks(q)), q["id"]
    for q in sample:
        docs = ({src["doc"] for src, *_ in figure_checks(q)} | set(q["scope"])
                | set(q["expected"].get("candidates", [])))
        assert docs & {DEPT, UNIT, FINAL} or not q["scope"], q["id"]


def test_both_languages_in_every_category():
    for group in ("seed-", "sample-", ""):
        langs: dict[str, set[str]] = defaultdict(set)
        for q in QS:
            if q["id"].startswith(group):
                langs[q["category"]].add(q["lang"])
        assert all(v == {"zh", "en"} for v in langs.values()), (group, dict(langs))
    assert {q["category"] for q in QS} == CATEGORIES


def test_question_text_matches_its_language():
    for q in QS:
        if q["lang"] == "zh":
            assert _CJK.search(q["question"]), q["id"]
        else:
            ascii_share = sum(ch.isascii() for ch in q["question"]) / len(q["question"])
            assert q["question"][0].isascii() and ascii_share > 0.7, q["id"]


def test_every_expected_figure_has_a_source():
    for q in QS:
        exp = q["expected"]
        if exp["status"] == "answered":
            assert exp["source"] is not None, q["id"]
            assert exp["value"] is not None or exp["keywords"], (
                f"{q['id']}: answered needs a value or keywords")
        if exp["formula_operands"]:
            assert exp["formula"] in FORMULAS, q["id"]
            assert exp["source"] == exp["operand_sources"][0], f"{q['id']}: source must be the main operand"


def test_derived_values_follow_from_their_operands():
    for q in QS:
        exp = q["expected"]
        if not exp["formula_operands"]:
            continue
        operands = [(Decimal(v), s["unit"])
                    for v, s in zip(exp["formula_operands"], exp["operand_sources"], strict=True)]
        got = compute(exp["formula"], operands, exp["unit"])
        assert abs(got - Decimal(exp["value"])) <= Decimal(exp["tolerance"]), (
            f"{q['id']}: {got} vs {exp['value']}")


def test_refusals_and_ambiguous_questions_are_well_formed():
    for q in QS:
        exp = q["expected"]
        if exp["status"] == "ambiguous":
            assert q["scope"] == [] and len(exp["candidates"]) >= 2, q["id"]
        if exp["status"] == "not_found":
            assert not exp["keywords"] and not exp["formula_operands"], q["id"]


# ------------------------------------------------------------------ values re-derived from the documents
def test_seed_figures_match_the_seed_text():
    errors = verify_sources(Documents(), {SEED_NAME})
    assert not errors, "\n".join(errors)


def test_seed_keywords_occur_in_the_seed():
    body = strip_spaces(seed_text())
    for q in QS:
        exp = q["expected"]
        docs = {exp["source"]["doc"]} if exp["source"] else set(exp.get("candidates", []))
        if SEED_NAME in docs:
            for kw in exp["keywords"]:
                assert strip_spaces(kw) in body, f"{q['id']}: {kw!r}"


def test_a_typo_in_the_set_would_fail():
    """The checker itself: a value off by one cent, or a wrong row, is caught."""
    docs = Documents()
    src = {"doc": SEED_NAME, "table": "01", "row": "住房保障支出", "column": "本年预算", "unit": "万元"}
    assert docs.value(src) == Decimal("48.66")
    assert docs.value({**src, "column": "上年结转"}) == Decimal("0.00")
    assert docs.value({**src, "table": "04", "row": "卫生健康支出"}) == Decimal("31.51")
    assert narrative_value(seed_text(), "机关运行经费财政拨款预算") == Decimal("75.60")
    assert narrative_value(seed_text(), "核定人员编制", 3) == Decimal("0")
    with pytest.raises(AssertionError):
        docs.value({**src, "row": "国防科研经费"})


def test_sample_figures_match_the_pdfs(samples):
    docs = Documents(samples)
    errors = verify_sources(docs, {DEPT, UNIT, FINAL})
    assert not errors, "\n".join(errors)


def test_sample_pdf_reader_reads_known_cells(samples):
    docs = Documents(samples)
    house = {"doc": DEPT, "table": "01", "row": "住房保障支出", "column": "预算数", "unit": "元"}
    assert docs.value(house) == Decimal("4521559.00")
    assert docs.value({"doc": FINAL, "table": "07", "row": "", "column": "合计/预算数",
                       "unit": "万元"}) == Decimal("0.95")
    assert docs.value({"doc": FINAL, "table": "07", "row": "", "column": "合计/决算数", "unit": "万元"}) is None


def test_sample_keywords_and_candidates_occur_in_the_pdfs(samples):
    docs = Documents(samples)
    bodies = {d: strip_spaces(docs.text(d)) for d in DOCS}
    for q in QS:
        exp = q["expected"]
        targets = {exp["source"]["doc"]} if exp["source"] else set(exp.get("candidates", []))
        for doc in targets:
            for kw in exp["keywords"]:
                assert strip_spaces(kw) in bodies[doc], f"{q['id']}: {kw!r} not in {doc}"
