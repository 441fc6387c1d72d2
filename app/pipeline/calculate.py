"""The deterministic calculator: Decimal arithmetic over disclosed figures, each result with its formula.

Pure functions, no I/O. Every operand is a disclosed value; the formula
text shows the operands as disclosed so a reader can redo the sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ingest.numbers import format_number
from ingest.units import convert


@dataclass(frozen=True)
class Result:
    value: Decimal
    unit: str
    formula: str


def q2(value: Decimal, places: int = 2) -> Decimal:
    """Round half up, as budget tables print shares and ratios."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    return format_number(value)


def share(part: Decimal, whole: Decimal, unit: str) -> Result:
    if whole == 0:
        raise ZeroDivisionError("the total is zero")
    value = q2(part / whole * 100)
    return Result(value, "%", f"{fmt(part)} ÷ {fmt(whole)} × 100% = {value}%")


def total(values: list[Decimal], unit: str) -> Result:
    value = sum(values, Decimal(0))
    return Result(value, unit, " + ".join(fmt(v) for v in values) + f" = {fmt(value)} {unit}")


def difference(a: Decimal, b: Decimal, unit: str) -> Result:
    value = a - b
    return Result(value, unit, f"{fmt(a)} − {fmt(b)} = {fmt(value)} {unit}")


def ratio(a: Decimal, b: Decimal) -> Result:
    if b == 0:
        raise ZeroDivisionError("the divisor is zero")
    value = q2(a / b)
    return Result(value, "倍", f"{fmt(a)} ÷ {fmt(b)} = {value}")


def prior_from_change(current: Decimal, change: Decimal, unit: str) -> Result:
    """The prior-year figure a stated change implies: current − change."""
    value = current - change
    sign = "−" if change >= 0 else "+"
    return Result(value, unit, f"{fmt(current)} {sign} {fmt(abs(change))} = {fmt(value)} {unit}")


def growth_rate(current: Decimal, prior: Decimal) -> Result:
    if prior == 0:
        raise ZeroDivisionError("the prior figure is zero")
    value = q2((current - prior) / prior * 100)
    return Result(value, "%", f"({fmt(current)} − {fmt(prior)}) ÷ {fmt(prior)} × 100% = {value}%")


def per_unit(amount: Decimal, count: Decimal, unit: str, per: str) -> Result:
    if count == 0:
        raise ZeroDivisionError("the count is zero")
    value = q2(amount / count)
    return Result(value, unit, f"{fmt(amount)} {unit} ÷ {fmt(count)} {per} = {value} {unit}/{per}")


def in_unit(value: Decimal, unit: str, target: str) -> Result:
    converted = convert(value, unit, target)
    return Result(converted, target, f"{fmt(value)} {unit} = {fmt(converted)} {target}")
