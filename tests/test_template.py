"""The national template as the reading frame (issue 24 item 4, issue 21 item 8): every table typed, every
figure's measure, fund scope and part named, the audit comparing like with like — on real disclosures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.audit import audit, tables_disagree
from ingest.pipeline import ingest, read_one
from ingest.template import column_dims, coverage, table_type, title_fund
from tests.conftest import ROOT, SEED, samples_dir

SHENZHEN_HRSS = "cities-2/003_深圳__2026年深圳市人力资源和社会保障局部门预算.pdf"
# its cover and contents, 表1 收支总表 and 表2 收入总表 (the department, its 本级 and 20 units), the first page of
# 表3 支出总表, and 表9 三公 (a row per unit and year): 20 of its 262 pages, as printed
HRSS_PAGES = [0, 1, 2, *range(56, 66), *range(251, 258)]


def shenzhen_hrss_pages(folder: Path) -> Path:
    """The pages of the Shenzhen HR bureau's budget these tests read, cut from the published PDF (same file
    name, text layer untouched), so a test reads 20 pages instead of 262."""
    import pypdfium2 as pdfium

    src = samples_dir() / SHENZHEN_HRSS
    out = folder / src.name
    if not out.exists():
        whole = pdfium.PdfDocument(str(src))
        part = pdfium.PdfDocument.new()
        part.import_pages(whole, HRSS_PAGES)
        part.save(str(out))
    return out


@pytest.fixture(scope="module")
def hrss(tmp_path_factory):
    return read_one(shenzhen_hrss_pages(tmp_path_factory.mktemp("hrss")))


@pytest.fixture(scope="module")
def final():
    return read_one(samples_dir() / "putuo-finance-bureau-2024-final-accounts.pdf")


# ---- titles and structure ---------------------------------------------------------------------------------

# How regions title the same standard table (as printed in ../shared/samples: Antu, Putuo, Jiangsu, Guangzhou,
# Hangzhou, Fuzhou, Shanghai units, Shenzhen, the 决算 set).
TITLES = [
    ("收支预算总表", "summary", "合计"), ("2026年部门财务收支预算总表", "summary", "合计"),
    ("表1：2026年市级部门收支预算总表", "summary", "合计"), ("收支总体情况表", "summary", "合计"),
    ("收入支出决算总表", "summary", "合计"), ("一、2017年度江苏省高级人民法院部门收支预算总表", "summary", "合计"),
    ("2026年预算单位收入预算总表", "income", "合计"), ("收入决算表", "income", "合计"),
    ("本年支出总体情况表", "spending", "合计"), ("支出总表", "spending", "合计"),
    ("财政拨款收支总表", "appropriation_summary", "财政拨款"),
    ("财政拨款收入支出决算总表", "appropriation_summary", "财政拨款"),
    ("2026 年度一般公共预算拨款支出预算表", "function", "一般公共预算"),
    ("财政拨款支出表（功能科目）", "function", "财政拨款"),
    ("一般公共预算支出表（按经济分类）", "economic", "一般公共预算"),
    ("一般公共预算基本支出情况表（按经济分类科目）", "basic", "一般公共预算"),
    ("部门预算基本支出预算表", "basic", "合计"), ("基本支出总表", "basic", "合计"),
    ("部门预算项目支出及其他支出预算表", "project", "合计"),
    ("财政拨款“三公”经费支出表", "three_public", "财政拨款"),
    ("2026年单位“三公”经费和机关运行经费预算表", "three_public", "财政拨款"),
    ("一般公共预算“三公”经费、会议费、培训费支出表", "three_public", "一般公共预算"),
    ("政府性基金预算财政拨款收入支出决算表", "gov_fund", "政府性基金"),
    ("2026年部门国有资本经营预算支出功能分类预算表", "state_capital", "国有资本经营"),
    ("一般公共预算机关运行经费支出预算表", "operating_costs", "一般公共预算"),
    ("政府采购支出表", "procurement", "合计"), ("财政拨款政府购买服务明细表", "services", "财政拨款"),
    ("e福州留守困境儿童关爱帮扶专栏项目绩效目标表", "performance", ""),
]


@pytest.mark.parametrize(("title", "kind", "fund"), TITLES)
def test_each_regions_wording_is_one_standard_table(title, kind, fund):
    from ingest.template import table_scope

    assert table_type(title) == kind
    assert table_scope(title, kind) == fund


def test_an_untitled_table_is_typed_by_its_layout():
    assert table_type("", sides={"收入", "支出"}) == "summary"
    assert table_type("", columns=["基本支出 / 人员经费", "基本支出 / 公用经费"]) == "basic"
    assert table_type("", columns=["合计", "公务接待费"]) == "three_public"
    assert table_type("", columns=["合计"], labels={"行政运行"}) == ""
    assert title_fund("2026年预算单位财政拨款项目支出预算表") == "财政拨款"


def test_what_a_column_measures():
    # columns as printed in the samples; the document's year decides what 2025年 is
    assert column_dims("2025年预算数", "收支总表", "summary", 2026, "部门预算").measure == "上年预算"
    assert column_dims("2026年预算数", "收支总表", "summary", 2026, "部门预算").measure == "本年预算"
    carried = column_dims("上年结余、结转", "收入总表", "income", 2026, "部门预算")
    assert (carried.measure, carried.fund) == ("本年预算", "上年结转")  # money carried over, not last year's
    gp = column_dims("本年收入 / 财政拨款 / 一般公共预算拨款", "收入总表", "income", 2026, "部门预算")
    assert gp.fund == "一般公共预算"
    staff = column_dims("本年一般公共预算基本支出 / 人员经费", "一般公共预算基本支出表", "basic", 2026, "部门预算")
    assert (staff.fund, staff.part) == ("一般公共预算", "人员")
    assert column_dims("合计", "部门预算基本支出预算表", "basic", 2026, "部门预算").part == "基本"
    budget = column_dims("预算数", "财政拨款“三公”经费支出决算表", "three_public", 2024, "部门决算")
    assert budget.measure == "本年预算"  # a 决算 table's budget column beside its 决算数
    assert column_dims("决算数", "收入支出决算总表", "summary", 2024, "部门决算").measure == "决算"
    assert column_dims("增减变化金额 / 一般公共预算", "财政拨款“三公”经费支出表", "three_public", 2026,
                       "部门预算").measure == "增减"


# ---- documents as read ------------------------------------------------------------------------------------

def test_the_seed_and_the_final_accounts_are_typed(final):
    seed = read_one(SEED)
    for parsed in (seed, final):
        typed, printed = coverage(parsed.tables)
        assert printed and typed == printed, [(t.table_id, t.title) for t in parsed.tables if not t.type]
    kinds = {t.table_id: (t.type, t.fund) for t in final.tables}
    assert kinds["01"] == ("summary", "合计") and kinds["04"] == ("appropriation_summary", "财政拨款")
    assert kinds["07"] == ("three_public", "财政拨款")
    cell = next(f for f in final.facts if f.table_id == "01" and f.label == "本年收入合计")
    assert (cell.table_type, cell.fund, cell.basis) == ("summary", "合计", "决算")
    narrow = next(f for f in final.facts if f.table_id == "04" and f.label == "本年收入合计")
    assert narrow.fund == "财政拨款"


def test_the_audit_compares_like_with_like(final):
    # 01 (all funds) prints 本年收入合计 2,946.25; 04 (appropriations only) prints 2,940.05: a consistent
    # disclosure, not a contradiction; income by function (02) is not spending by function (03) either
    assert tables_disagree(final.facts) == []
    assert audit(final.facts) == []


def test_a_slip_between_two_cells_of_one_scope_is_still_found(final):
    from dataclasses import replace

    cell = next(f for f in final.facts if f.table_id == "03" and f.label == "行政运行" and f.part == "基本")
    twin = next(f for f in final.facts if f.table_id == "05" and f.label == "行政运行" and f.part == "基本")
    assert (cell.fund, twin.fund) == ("合计", "一般公共预算")  # different scopes: never compared
    slipped = replace(twin, id="slip", table_id="06", fund="合计", table_type="spending",
                      value=cell.value + Decimal("0.01"))
    findings = tables_disagree([cell, slipped])
    assert len(findings) == 1 and "表03" in findings[0].says("zh") and "table 03" in findings[0].says("en")


def test_a_by_unit_income_table_keeps_its_rows(hrss):
    # 收入总表 lists the department (the whole), its 本级 and 20 units; read as a one-row table it used to keep
    # only the last unit (大鹏分局 1,788.76) under 收入总计
    income = [f for f in hrss.facts if f.table_id == "02" and f.column == "收入总计"]
    assert len(income) == 22
    whole = [f for f in income if f.is_total]
    assert [(f.label, f.value, f.entity) for f in whole] == [("深圳市人力资源和社会保障局", Decimal("571347.93"), "")]
    own = next(f for f in income if f.label.endswith("（本级）") and f.label.startswith("深圳市人力"))
    assert own.value == Decimal("156491.01") and own.entity == own.label and not own.is_total
    assert {t.table_id: t.type for t in hrss.tables}["02"] == "income"


def test_the_three_public_table_by_unit_and_year_is_read_item_by_item(hrss):
    rows = [f for f in hrss.facts if f.table_id == "09" and f.label == "公务接待费"
            and f.column == "2026年 / 一般公共预算"]
    whole = next(f for f in rows if f.entity == "")
    assert whole.value == Decimal("24.23") and (whole.basis, whole.fund) == ("本年预算", "一般公共预算")
    own = next(f for f in rows if f.entity == "深圳市人力资源和社会保障局（本级）")
    assert own.value == Decimal("14.92")
    last = next(f for f in hrss.facts if f.table_id == "09" and f.entity == "" and f.label == "公务接待费"
                and f.column == "2025年 / 一般公共预算")
    assert last.basis == "上年预算" and last.value == Decimal("24.23")


def test_documents_json_reports_each_tables_type(tmp_path):
    store = tmp_path / "store"
    ingest([SEED], store, index=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "app.cli", "documents", "--json", "--store", str(store)],
                         capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout
    doc = json.loads(out)[0]
    assert doc["template"]["typed"] == doc["template"]["printed"] > 0
    types = {t["id"]: (t["type"], t["fund"]) for t in doc["tables"]}
    assert types["01"] == ("summary", "合计") and types["04"] == ("appropriation_summary", "财政拨款")


def test_a_department_listing_only_its_own_level_is_the_whole(hrss):
    # Shenzhen's science bureau prints 支出总表 with one unit, 深圳市科技创新局（本级）, and no 合计 row: that row is
    # the department (its 基本支出 5,957.43 answers "科创局的基本支出"), and the items under it are the department's
    sci = read_one(samples_dir() / "cities-2/003_深圳__2026年深圳市科技创新局部门预算.pdf")
    spending = [f for f in sci.facts if f.table_id == "03"]
    basic = [f for f in spending if f.column == "基本支出" and f.is_total]
    assert [(f.label, f.value, f.entity) for f in basic] == [("深圳市科技创新局（本级）", Decimal("5957.43"), "")]
    assert all(f.entity == "" for f in spending)
    assert len({f.entity for f in hrss.facts if f.table_id == "02"} - {""}) == 21  # its 本级 and 20 units apart
