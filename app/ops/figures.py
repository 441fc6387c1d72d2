"""What every operation needs besides its own logic: citations, the unit asked for, a row's printed name."""

from __future__ import annotations

import re
from decimal import Decimal

from app.lang import vocabulary
from app.pipeline import calculate as calc
from app.pipeline.answer import Citation
from app.pipeline.factview import FactView
from app.pipeline.understand import Query
from ingest.model import Fact
from ingest.units import MONEY_FACTORS

_VOCAB = vocabulary.load()


def row_name(f: Fact) -> str:
    """A total row read by column says which column ("项目支出（合计）"), not just "合计"."""
    if f.label in _VOCAB.bare_totals and f.column:
        *groups, leaf = [c.strip() for c in f.column.split(" / ")]
        named = next((g for g in reversed(groups) if g), leaf) if leaf in _VOCAB.group_totals else leaf
        return f"{re.sub(r'^本年(财政拨款|一般公共预算)?', '', named) or named}（{f.label}）"  # 基本支出（合计）
    leaf = f.column.split(" / ")[-1].strip()
    if leaf and re.search(r"[\u4e00-\u9fff]", leaf) and leaf not in _VOCAB.generic_columns:
        return f"{f.label}（{f.column}）"  # a unit's row read in one item's column: 西郊监狱（“三公”经费合计）
    return f.label


def cite(view: FactView, *facts: Fact | None) -> tuple[Citation, ...]:
    """Each fact once, in order, as the cell it was read from."""
    seen, out = set(), []
    for f in facts:
        if f and f.id not in seen:
            seen.add(f.id)
            out.append(Citation.of(f, view.doc(f)))
    return tuple(out)


def value_in(q: Query, fact: Fact) -> tuple[Decimal, str, str | None]:
    """The fact's value in the unit the question asks for, with the conversion formula."""
    assert fact.value is not None
    if q.target_unit and fact.unit in MONEY_FACTORS and q.target_unit != fact.unit:
        r = calc.in_unit(fact.value, fact.unit, q.target_unit)
        return r.value, r.unit, r.formula
    return fact.value, fact.unit, None


def in_target(q: Query, r: calc.Result) -> calc.Result:
    """A calculated result in the unit the question asks for, the conversion added to its formula."""
    if q.target_unit and r.unit in MONEY_FACTORS and q.target_unit != r.unit:
        conv = calc.in_unit(r.value, r.unit, q.target_unit)
        return calc.Result(conv.value, conv.unit, f"{r.formula}; {conv.formula}")
    return r
