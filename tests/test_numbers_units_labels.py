"""The one number parser, unit normaliser and label normaliser every reader and the engine share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.pipeline import calculate
from ingest.labels import is_total_label, normalise_label
from ingest.numbers import is_blank, parse_number
from ingest.units import convert, unit_from_caption, unit_from_header


@pytest.mark.parametrize("text,value", [
    ("1131.55", "1131.55"), ("1,202.95", "1202.95"), ("4,521,559.00", "4521559.00"), ("１２３．４５", "123.45"),
    ("-32.12", "-32.12"), ("(5.00)", "-5.00"), ("55.81%", "55.81"), (" 0.00 ", "0.00"), ("0", "0"),
])
def test_numbers(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", [None, "", "  ", "-", "—", "/", "合计", "2026 年预算数", "1,23,4", "12.3.4"])
def test_not_numbers(text):
    assert parse_number(text) is None


def test_blank_is_not_zero():
    assert is_blank("") and is_blank(None) and is_blank("—")
    assert not is_blank("0.00") and parse_number("0.00") == Decimal("0.00")


def test_units_come_from_captions_and_headers():
    assert unit_from_caption("预算单位：安图县社会保险事业管理局\t\t单位：万元") == "万元"
    assert unit_from_caption("编制单位：上海市普陀区司法局 单位:元") == "元"
    assert unit_from_caption("收支预算总表 (01)") is None
    assert unit_from_header("年度资金总额 (万元)") == "万元"


def test_exact_conversion():
    assert convert(Decimal("48.66"), "万元", "元") == Decimal("486600")
    assert convert(Decimal("4521559.00"), "元", "万元") == Decimal("452.1559")
    assert convert(Decimal("48.66"), "万元", "亿元") == Decimal("0.004866")
    with pytest.raises(ValueError):
        convert(Decimal("1"), "人", "元")


@pytest.mark.parametrize("raw,label", [
    ("二十、住房保障支出", "住房保障支出"), ("一、财政拨款收入", "财政拨款收入"), ("（1）公务用车运行维护费", "公务用车运行维护费"),
    ("社会保障和就业（类）支出", "社会保障和就业支出"), ("其中：基本支出", "基本支出"), ("合 计", "合计"),
    ("1、因公出国（境）费用", "因公出国（境）费用"),
])
def test_labels(raw, label):
    assert normalise_label(raw) == label


def test_total_labels():
    assert is_total_label("本年支出合计") and is_total_label("收入总计") and not is_total_label("住房保障支出")


def test_calculator_rounds_half_up_and_shows_its_formula():
    r = calculate.share(Decimal("48.66"), Decimal("1131.55"), "万元")
    assert r.value == Decimal("4.30") and r.formula == "48.66 ÷ 1,131.55 × 100% = 4.30%"
    assert calculate.ratio(Decimal("1051.38"), Decimal("48.66")).value == Decimal("21.61")
    assert (calculate.prior_from_change(Decimal("1131.55"), Decimal("-32.12"), "万元").value
            == Decimal("1163.67"))
    assert calculate.growth_rate(Decimal("48.66"), Decimal("50.00")).value == Decimal("-2.68")
    assert calculate.per_unit(Decimal("1131.55"), Decimal("48"), "万元", "人").value == Decimal("23.57")
    assert calculate.q2(Decimal("0.125")) == Decimal("0.13")
    with pytest.raises(ZeroDivisionError):
        calculate.share(Decimal("1"), Decimal("0"), "万元")
