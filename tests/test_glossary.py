"""The glossary against the printed subjects of the seed and the Shanghai samples, plus lookup rules."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest

from ingest.glossary import DEFAULT_PATH, Glossary
from ingest.labels import normalise_label


@pytest.fixture(scope="module")
def g() -> Glossary:
    return Glossary.load()


def _codes(matches) -> list[str | None]:
    return [m.term.code for m in matches]


# ---- exact lookups ---------------------------------------------------------------------------------------


def test_housing_code_name_english_round_trip(g):
    t = g.by_code("221")
    assert (t.kind, t.zh, t.en, t.level) == ("function", "住房保障支出", "housing security expenditure", "类")
    assert g.by_zh("住房保障支出") is t
    assert g.by_zh("二十、住房保障支出") is t
    assert g.by_en("Housing Security Expenditure") is t
    assert g.by_code("221 02 01").zh == "住房公积金"


def test_question_about_housing_finds_221(g):
    [m] = g.find("how much goes to housing?")
    assert (m.term.code, m.surface, m.start, m.end) == ("221", "housing", 17, 24)


def test_housing_provident_fund_is_paid_for_by_housing(g):
    [m] = g.find("住房公积金")
    assert (m.term.code, m.term.level, m.term.pays_for_parent) == ("2210201", "项", "住房保障支出")
    assert [t.code for t in g.candidates("住房公积金")] == ["2210201", "30113"]
    assert g.by_code("30113").pays_for_parent == "住房保障支出"
    for name in ("提租补贴", "购房补贴"):
        assert g.by_zh(name).pays_for_parent == "住房保障支出"


@pytest.mark.parametrize(
    "name, parent",
    [
        ("职工医疗保险费", "卫生健康支出"),
        ("职工基本医疗保险缴费", "卫生健康支出"),
        ("行政单位医疗", "卫生健康支出"),
        ("工伤保险费", "卫生健康支出"),
        ("机关事业单位基本养老保险缴费", "社会保障和就业支出"),
        ("机关事业单位基本养老保险缴费支出", "社会保障和就业支出"),
        ("职业年金", "社会保障和就业支出"),
        ("普法宣传", "公共安全支出"),
    ],
)
def test_pays_for_links(g, name, parent):
    assert g.by_zh(name).pays_for_parent == parent


def test_english_gloss_of_row_labels(g):
    assert g.english("二十、住房保障支出") == "housing security expenditure"
    assert g.english("社会保障和就业（类）支出") == "social security and employment expenditure"
    assert g.english("（1）公务用车运行维护费") == "official vehicle operation and maintenance costs"
    assert g.english("302 13 维修(护)费".split()[-1]) == "repair and maintenance costs"
    assert g.english("上海市普陀区司法局") == "Shanghai Putuo District Justice Bureau"
    assert g.english("安图县社会保险事业管理局") == "Antu County Social Insurance Administration"
    assert g.english("局") == "bureau"
    assert g.english("完全陌生的标签") == ""


def test_shared_item_name_resolves_to_a_function_item(g):
    t = g.by_zh("行政运行")
    assert (t.kind, t.level, t.code) == ("function", "项", "2010101")
    codes = [c.code for c in g.candidates("行政运行")]
    assert {"2010601", "2040601", "2080101"} <= set(codes)
    assert all(c.endswith("01") and len(c) == 7 for c in codes)
    assert g.by_code("2040601").pays_for_parent == "公共安全支出"


# ---- find: short synonyms, longest-first, folding -----------------------------------------------------


@pytest.mark.parametrize(
    "text, codes",
    [
        ("What is the Health budget?", ["210"]),
        ("healthcare and education", ["210", "205"]),
        ("教育支出多少", ["205"]),
        ("教育", ["205"]),
        ("pensions and social security", ["208", "208"]),
        ("housing provident fund", ["2210201"]),
        ("其他社会保障缴费", ["30112"]),
        ("维修(护)费", ["30213"]),
        ("社会保障和就业（类）支出1051.38万元", ["208"]),
        ("healthy rehousing", []),
        ("公共安全支出（204类）司法（06款）", ["204", "20406"]),
    ],
)
def test_find(g, text, codes):
    assert _codes(g.find(text)) == codes


def test_find_spans_and_measures(g):
    text = "卫生健康（类）支出31.51万元，主要用于支付职工医疗保险费、工伤保险费支出。"
    got = [(m.surface, m.term.zh) for m in g.find(text)]
    assert got == [
        ("卫生健康（类）支出", "卫生健康支出"),
        ("职工医疗保险费", "职工基本医疗保险缴费"),
        ("工伤保险费", "工伤保险费"),
    ]
    got = [(m.term.zh, m.term.kind)
           for m in g.find("How much were the three public expenses of the Justice Bureau?")]
    assert got == [("“三公”经费", "measure"), ("司法局", "institution")]
    assert [m.term.zh for m in g.find("三公经费和机关运行经费")] == ["“三公”经费", "机关运行经费"]


# ---- data integrity ---------------------------------------------------------------------------------------


def test_data_is_consistent(g):
    terms = g.terms()
    codes = [t.code for t in terms if t.code]
    assert len(codes) == len(set(codes))
    lei = {t.zh for t in g.terms("function") if t.level == "类"}
    assert len(lei) == 30
    for t in terms:
        assert t.en and t.zh == normalise_label(t.zh)
        assert all(s == s.lower() for s in t.synonyms_en)
        assert t.pays_for_parent is None or t.pays_for_parent in lei
        if t.kind == "function" and len(t.code) > 3:
            assert g.by_code(t.code[:-2]) is not None, t.code
            assert t.pays_for_parent == g.by_code(t.code[:3]).zh
    assert len(g.terms("function")) + len(g.terms("economic")) >= 200
    assert {t.zh for t in g.terms("place")} >= {"安图县", "吉林省", "上海市", "普陀区", "万里街道"}


def test_load_is_cached_and_path_overridable(tmp_path: Path):
    assert Glossary.load() is Glossary.load(DEFAULT_PATH)
    small = tmp_path / "g.tsv"
    small.write_text(
        "kind\tcode\tlevel\tzh\ten\tsynonyms_zh\tsynonyms_en\tpays_for\n"
        "function\t221\t类\t住房保障支出\thousing security expenditure\t住房保障\tHousing\t\n"
        "economic\t30113\t款\t住房公积金\thousing provident fund\t\t\t住房保障支出\n",
        encoding="utf-8",
    )
    mini = Glossary.load(small)
    assert len(mini.terms()) == 2 and mini.by_code("30113").pays_for_parent == "住房保障支出"
    assert mini.by_code("221").synonyms_en == ("housing",)
    assert mini.by_code("210") is None


# ---- printed subjects: the seed and the Shanghai samples ------------------------------------------------

_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、(.+)$")


def test_every_class_in_seed_table_01(g, seed_path):
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if "收支预算总表 (01)" in ln)
    end = next(i for i, ln in enumerate(lines) if i > start and ln.startswith("收入总计"))
    names = []
    for ln in lines[start:end]:
        for cell in ln.split("\t"):
            m = _NUMBERED.match(cell.strip())
            if m and (m.group(1).endswith("支出") or m.group(1) == "预备费"):
                names.append(m.group(1))
    assert len(names) == 30
    for name in names:
        t = g.by_zh(name)
        assert t is not None and (t.kind, t.level) == ("function", "类"), name


@lru_cache(maxsize=4)
def _pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


_CODE_LINE = re.compile(r"^([23]\d{2})(?: (\d{2}))?(?: (\d{2}))?(?: (.*))?$")
_LEAD_NAME = re.compile(r"^([\u4e00-\u9fff（）()]+)")
_NAME_ONLY = re.compile(r"^([\u4e00-\u9fff（）()]+)(?:\s+[\d,.]+)*$")


def printed_subjects(pages: list[str], first_digit: str) -> dict[str, str]:
    """Code → name for rows like "204 06 01 行政运行 …" and the final accounts' name-above-code layout."""
    found: dict[str, str] = {}
    for text in pages:
        lines = [ln.strip() for ln in text.splitlines()]
        for i, ln in enumerate(lines):
            m = _CODE_LINE.match(ln)
            if not m or not m.group(1).startswith(first_digit):
                continue
            head = _LEAD_NAME.match(m.group(4) or "")
            name = head.group(1) if head else ""
            above = _NAME_ONLY.match(lines[i - 1]) if i else None
            if above:  # final accounts print the name (or its first part) on the line above the code
                name = above.group(1) + name
            if name:
                found["".join(g for g in m.groups()[:3] if g)] = normalise_label(name)
    return found


def test_every_function_subject_in_the_samples(g, samples):
    printed: dict[str, str] = {}
    for path in samples.values():
        printed.update(printed_subjects(_pages(path), "2"))
    assert sorted(printed) == sorted([
        "201", "20106", "2010601", "2010602", "2010607", "2010608",
        "204", "20406", "2040601", "2040604", "2040605", "2040607", "2040613", "2040699",
        "208", "20805", "2080501", "2080505", "2080506", "2080599",
        "210", "21011", "2101101", "221", "22102", "2210201", "2210203",
    ])
    for code, name in printed.items():
        t = g.by_code(code)
        assert t is not None and t.zh == name, (code, name)
        assert t.en and t.kind == "function"


def test_every_economic_subject_in_the_justice_samples(g, samples):
    printed: dict[str, str] = {}
    for key in ("dept", "unit"):
        printed.update(printed_subjects(_pages(samples[key]), "3"))
    assert len(printed) == 29
    for code, name in printed.items():
        t = g.by_code(code)
        assert t is not None and t.zh == name and t.kind == "economic", (code, name)


def test_every_numbered_class_in_the_samples(g, samples):
    item = r"[一二三四五六七八九十]+、[\u4e00-\u9fff（）]+(?:\s+[\d,.]+)*"
    names = set()
    for path in samples.values():
        for text in _pages(path):
            for ln in text.splitlines():
                if re.fullmatch(rf"\s*{item}(?:\s+{item})*\s*", ln):
                    for m in re.finditer(r"[一二三四五六七八九十]+、([\u4e00-\u9fff（）]+)", ln):
                        if m.group(1).endswith("支出"):
                            names.add(m.group(1))
    assert len(names) >= 20
    for name in names:
        t = g.by_zh(name)
        assert t is not None and (t.kind, t.level) == ("function", "类"), name
