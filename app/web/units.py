"""One unit per view (元 / 万元 / 亿元) and the English gloss of 万元 / 亿元.

Why: documents disclose in 元 or 万元; cards side by side in different units invite a 10,000× misreading, and an
English reader does not know 万元. Conversion is Decimal and exact before the final rounding to cents.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FACTOR = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
UNITS = tuple(FACTOR)


def convert(value: Decimal | None, unit: str, target: str) -> Decimal | None:
    """`value` in `unit` expressed in `target`, rounded to 2 decimals; None when either unit is not money."""
    if value is None or unit not in FACTOR or target not in FACTOR:
        return None
    exact = value * FACTOR[unit] / FACTOR[target]
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def gloss_en(value: Decimal | None, unit: str) -> str:
    """ "≈ 11.3 million yuan" for 1,131.55 万元; "" when the unit is not 万元 or 亿元."""
    if value is None or unit not in ("万元", "亿元"):
        return ""
    yuan = value * FACTOR[unit]
    if abs(yuan) >= 100_000_000:
        return (
            f"≈ {yuan / Decimal(1_000_000_000):,.2f} billion yuan"
            if abs(yuan) >= 1_000_000_000
            else f"≈ {yuan / Decimal(1_000_000):,.1f} million yuan"
        )
    if abs(yuan) >= 1_000_000:
        return f"≈ {yuan / Decimal(1_000_000):,.1f} million yuan"
    return f"≈ {yuan:,.0f} yuan"
