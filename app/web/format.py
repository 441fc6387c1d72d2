"""Formatting shared by every web module: amounts and the fact filter (HTML escaping is jinja2's autoescape,
app/web/templates.py). Imports nothing of app.web."""

from __future__ import annotations

from decimal import Decimal

from ingest.model import Fact


def fmt_amount(value: Decimal | None, unit: str = "") -> str:
    """A disclosed figure with thousands separators; the digits are the disclosed ones."""
    if value is None:
        return "(blank)"
    text = f"{value:,f}"  # "f" never prints an exponent (4.866E+5 → 486,600)
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "％") else f"{text} {unit}"


def filter_facts(facts: list[Fact], text: str) -> list[Fact]:
    needle = (text or "").strip()
    if not needle:
        return facts
    return [f for f in facts
            if needle in f.label or needle in f.row_label or (f.code or "").startswith(needle)]
