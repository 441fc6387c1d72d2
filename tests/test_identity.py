"""Identity agrees with the document (issue 24 item 5): the department as the document names it — cover,
the tables' 预算单位 lines, the narrative — never the crawler's file name when the content says otherwise."""

from __future__ import annotations

import shutil

import pdfplumber
import pytest

from ingest.pipeline import read_one
from ingest.readers.identity import official_name, parent_of, printed_form
from ingest.readers.pdf_tables import Y_TOLERANCE
from tests.conftest import samples_dir

SH_UNIT = "cities-2/001_上海__2026年上海市国有资产监督管理委员会_部门预算.pdf"  # holds a unit's budget
SH_OCEAN = "cities-2/001_上海__2026年上海市水务局_部门预算.pdf"
BJ_EDU = "cities-2/002_北京__2026年北京市教育委员会部门预算.pdf"  # its cover wraps the name over two lines
WUXI_NDRC = "cities/014_无锡__发展和改革局_2026年部门预算.pdf"


def page_texts(name: str, pages: int = 8) -> list[str]:
    with pdfplumber.open(samples_dir() / name) as pdf:
        return [p.extract_text(y_tolerance=Y_TOLERANCE) or "" for p in pdf.pages[:pages]]


def test_a_unit_budget_is_stored_under_the_unit_not_the_bureau_the_file_names():
    doc = read_one(samples_dir() / SH_UNIT).document
    # the cover: 上海市2026年市级单位预算 / 预算单位：上海市花卉良种试验场 (the file name says 国资委)
    assert (doc.department, doc.kind, doc.level) == ("上海市花卉良种试验场", "单位预算", "unit")


def test_a_unit_budget_records_the_parent_its_narrative_names():
    doc = read_one(samples_dir() / SH_OCEAN).document
    assert doc.department == "上海市海洋监测预报中心"
    assert doc.parent == "上海市水务局"  # "…是上海市水务局（上海市海洋局）所属公益一类事业单位"
    # a department's own budget has no parent
    assert parent_of("上海市数据局", ["上海市数据局是主管全市数据工作的市政府组成部门。"]) == ""


def test_a_wrapped_cover_names_the_department_without_the_file_name(tmp_path):
    # "北京市教育委员会部门 / 2026 年度部门预算信息公开": copied under a name that says nothing
    plain = tmp_path / "budget-2026.pdf"
    shutil.copy(samples_dir() / BJ_EDU, plain)
    parsed = read_one(plain)
    assert parsed.document.department == "北京市教育委员会"
    assert not any("file name" in w for w in parsed.warnings if "department" in w)


def test_a_name_from_the_file_takes_the_form_the_document_prints():
    text = "".join(page_texts(WUXI_NDRC))
    assert "无锡市发展和改革委员会" in text and "无锡市发展和改革局" not in text
    assert printed_form("无锡市发展和改革局", text) == "无锡市发展和改革委员会"
    assert printed_form("无锡市发展和改革委员会", text) == "无锡市发展和改革委员会"


@pytest.mark.parametrize(("raw", "name"), [
    (".上海市教育委员会", "上海市教育委员会"), ("、北京市司法局", "北京市司法局"),
    ("北京市医疗保障局部门", "北京市医疗保障局"), ("中国共产党北京市委员会宣传部", "中共北京市委宣传部"),
])
def test_punctuation_never_starts_a_name(raw, name):
    assert official_name(raw) == name
