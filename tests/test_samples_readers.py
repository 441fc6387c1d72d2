"""Smoke test of the readers on a few real sample files beyond Putuo (Jiangsu, Guangzhou, Jinan)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from conftest import samples_dir

from ingest.model import IngestError, ParsedDocument
from ingest.readers import read_file

pytestmark = pytest.mark.samples


@cache
def _read(name: str) -> ParsedDocument:
    return read_file(samples_dir() / name)


def test_jiangsu_narrative_and_tables_files_are_one_disclosure() -> None:
    narrative = _read("jiangsu/jiangsu-party-office-2018-department-budget.pdf").document
    tables = _read("jiangsu/jiangsu-party-office-2018-department-budget-tables.pdf")
    key = ("department", "region", "year", "kind", "level")
    assert [getattr(narrative, k) for k in key] == [getattr(tables.document, k) for k in key] == [
        "中共江苏省委办公厅", "江苏省", 2018, "部门预算", "department"]
    assert tables.report["tables_found"] >= 12 and tables.report["coverage_pct"] >= 95
    assert all(t.unit == "万元" for t in tables.tables if t.status == "present")


def test_jiangsu_tables_only_file_year_from_a_table_title_not_the_file_name() -> None:
    parsed = _read("jiangsu/jiangsu-party-office-2017-department-budget-tables.pdf")
    assert (parsed.document.department, parsed.document.year) == ("中共江苏省委办公厅", 2017)
    assert not any("file name" in w for w in parsed.warnings)  # "2017年政府采购预算表" prints it
    codes = {f.code for f in parsed.facts if f.code}
    assert "2013101" in codes  # 7-digit function code printed in one cell


def test_jiangsu_high_court_reads_without_a_crash() -> None:
    parsed = _read("jiangsu/jiangsu-high-court-2019-department-budget.pdf")
    assert parsed.document.department == "江苏省高级人民法院"
    assert parsed.report["tables_found"] == 12
    income = [f for f in parsed.facts if f.table_id == "02" and f.label == "收入总计" and f.value is not None]
    assert {f.value for f in income} == {Decimal("37188.34")}


def test_guangzhou_city_budget_every_listed_table() -> None:
    parsed = _read("cities/005_广州__2026年广州市气象局部门预算.pdf")
    d = parsed.document
    assert (d.department, d.region, d.year, d.kind) == ("广州市气象局", "广州市", 2026, "部门预算")
    assert parsed.report["tables_listed"] == parsed.report["tables_found"] == 12
    assert parsed.report["coverage_pct"] >= 95


def test_information_request_form_is_refused_with_the_reason() -> None:
    with pytest.raises(IngestError, match="not a budget disclosure: an information-request form"):
        read_file(samples_dir() / "cities" / "018_济南__2026年济南市审计局部门预算.pdf")


def test_hangzhou_notice_is_refused_with_the_reason() -> None:
    with pytest.raises(IngestError, match="not a budget disclosure: a notice"):
        read_file(samples_dir() / "cities" / "008_杭州__2026年杭州市政府办公厅部门预算.pdf")


def test_samples_folder_paths_exist() -> None:
    assert Path(samples_dir() / "jiangsu").is_dir() and Path(samples_dir() / "cities").is_dir()


def test_a_page_whose_box_starts_off_the_origin_has_its_tables_read() -> None:
    """Shanghai's unit budgets put the crop box at (-12, -12): cropping at (0, 0, width, height) fell off the
    page and every ruled table was reported unreadable."""
    parsed = _read("cities-2/001_上海__2026年上海市公安局_部门预算.pdf")
    assert not [w for w in parsed.warnings if "unreadable" in w], parsed.warnings
    assert parsed.report["coverage_pct"] >= 95 and len(parsed.facts) >= 250
