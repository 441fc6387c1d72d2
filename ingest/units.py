"""The one unit normaliser: units from captions, and exact conversion between them."""

from __future__ import annotations

import re
from decimal import Decimal

from ingest.numbers import to_halfwidth

MONEY_FACTORS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
COUNT_UNITS = {"人", "名", "个", "辆", "台", "套", "台/套", "平方米", "家", "%", "倍", "批次", "人次"}
_CAPTION = re.compile(r"单位\s*[:：]\s*(亿元|万元|千元|元)")
_UNIT_IN_HEADER = re.compile(r"[（(]\s*(亿元|万元|元)\s*[)）]")


def unit_from_caption(text: str) -> str | None:
    """The unit a table's own caption states ("单位：万元"), or None."""
    m = _CAPTION.search(to_halfwidth(text or ""))
    return m.group(1) if m else None


def unit_from_header(text: str) -> str | None:
    """A unit written into a column header ("年度资金总额 (万元)")."""
    m = _UNIT_IN_HEADER.search(to_halfwidth(text or ""))
    return m.group(1) if m else None


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Exact Decimal conversion between money units; other units only to themselves."""
    if from_unit == to_unit:
        return value
    if from_unit in MONEY_FACTORS and to_unit in MONEY_FACTORS:
        result = value * MONEY_FACTORS[from_unit] / MONEY_FACTORS[to_unit]
        return result.normalize() if result == result.to_integral() else result
    raise ValueError(f"cannot convert {from_unit} to {to_unit}")


def canonical_unit(unit: str) -> str:
    """名 counts people like 人; 台/套 stays itself."""
    return {"名": "人", "台（套）": "台/套", "台(套)": "台/套"}.get(unit, unit)
