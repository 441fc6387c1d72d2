"""Two figures of one document: a share, a ratio, a difference, or a sum of the items named.

Returns a Result (app/pipeline/result.py): the figure, its formula and citations, and the phrase keys that
say it; the wording is in app/pipeline/answers.toml.
"""

from __future__ import annotations

from app.ops import lookup
from app.ops.base import Asked, Plan
from app.ops.figures import cite, in_target, row_name
from app.pipeline import calculate as calc
from app.pipeline import link, refusals
from app.pipeline.context import _VOCAB, Ctx, Subject
from app.pipeline.factview import FactView
from app.pipeline.link import is_grand_total
from app.pipeline.result import Item, Result, say
from app.pipeline.understand import Query
from ingest.model import Fact
from ingest.units import MONEY_FACTORS, convert


def column_pair(facts: list[Fact], subjects: list[Subject]) -> tuple[Fact, Fact] | None:
    """"基本支出和项目支出哪个多", "基本支出里人员经费占多少": two columns of one total row (a group's 合计 stands
    for the group), read from the first table printing both."""
    a_sub, b_sub = subjects[0], subjects[1]
    if not (a_sub.column and b_sub.column and a_sub.label == b_sub.label and a_sub.column != b_sub.column):
        return None
    rows: dict[tuple, dict[str, Fact]] = {}
    for f in facts:
        if f.table_id and f.value is not None:
            cols = rows.setdefault((f.table_id, f.document_id, f.row_index, f.side), {})
            *groups, leaf = f.column.split(" / ")
            for want in (a_sub.column, b_sub.column):  # the column itself, or the 合计 under its group
                if want not in cols and (leaf.endswith(want) or leaf in _VOCAB.group_totals
                                         and any(g.endswith(want) for g in groups)):
                    cols[want] = f
    both = [k for k, cols in rows.items() if len(cols) == 2]
    if not both:
        return None
    cols = rows[min(both)]
    return cols[a_sub.column], cols[b_sub.column]


def binary(view: FactView, ctx: Ctx, subjects: list[Subject], op: str) -> Result:
    a_sub = subjects[0]
    docs = view.docs_with(ctx, a_sub)
    if view.several(docs):
        return refusals.ambiguous(view, ctx, docs)
    hint = link.column_hint(view, ctx, a_sub)
    a = view.pick(view.facts_for(ctx, a_sub, docs), hint)
    pair = column_pair(view.facts_for(ctx, a_sub, docs), subjects) if len(subjects) > 1 else None
    if pair is not None:
        a = pair[0]
    if a is None or a.value is None:
        return refusals.not_found_item(view, ctx, a_sub.surface)
    if op == "share" and len(subjects) < 2:
        b = whole_of(view, ctx, a, a_sub, docs)
    else:
        b = second_operand(view, ctx, subjects, a, docs, pair, hint)
    if isinstance(b, Result):
        return b
    if a.id == b.id:  # both words read as one cell: no share or difference of a figure with itself
        return refusals.not_found_item(view, ctx, subjects[1].surface if len(subjects) > 1 else a_sub.surface)
    if a.unit != b.unit and not (a.unit in MONEY_FACTORS and b.unit in MONEY_FACTORS):
        return refusals.not_found_item(view, ctx, a_sub.surface)
    if op in ("share", "ratio") and b.value is not None and a.value is not None:
        b_in_a = convert(b.value, b.unit, a.unit) if b.unit != a.unit else b.value
        if (op == "share" and a.value > b_in_a) or (op == "ratio" and a.value < b_in_a):
            a, b = b, a  # a share is of the larger figure; "几倍" compares the larger with the smaller
    if op == "sum":
        return listed_sum(view, ctx, subjects, docs, hint, a, b)
    return two_figures(view, ctx.q, op, a, b)


def whole_of(view: FactView, ctx: Ctx, a: Fact, a_sub: Subject, docs: list) -> Fact | Result:
    """"X占多少": the total X's row belongs to, or a total row's own 合计 for a column of it; a unit's row of a
    by-unit table is a share of the whole department's row; else the share the narrative states."""
    whole = [f for f in view.facts_of(a.document_id) if a.entity and f.table_id == a.table_id
             and f.column == a.column and f.is_total and not f.entity and f.value is not None]
    if whole:  # 深圳市人力资源和社会保障局（本级） of 深圳市人力资源和社会保障局: never the bureau as the whole
        return whole[0]
    row_total = bool(a_sub.column) and a.is_total  # a column of a total row: its share of the row's own 合计
    b = view.total_for(ctx, a) if a.table_id and not row_total else None  # a unit's row: of the table's total
    if row_total and a.table_id:
        row = [f for f in view.facts_of(a.document_id) if f.table_id == a.table_id
               and f.row_index == a.row_index and f.side == a.side and f.value is not None
               and f.id != a.id]
        totals = [f for f in row if f.column.endswith("合计") or f.column in _VOCAB.bare_totals]
        b = totals[0] if totals else None
    if b is None and row_total:  # no 合计 of the row itself: a part of spending is a share of the budget
        b = _grand_total(view, ctx, a)
    if b is not None:
        return b
    shares = [f for f in view.facts_for(ctx, a_sub, docs) if f.measure == "share"]
    if shares:
        return lookup.narrative_value(view, ctx, shares[0])
    return refusals.not_found_item(view, ctx, a_sub.surface)


def _grand_total(view: FactView, ctx: Ctx, a: Fact) -> Fact | None:
    """The spending total of the document printing ``a`` (支出总计 or however its template names it)."""
    doc = view.doc(a)
    label = view.grand_total([doc]) if doc else ""
    if not label:
        return None
    total = view.pick(view.facts_for(ctx, Subject(label, label, via="total"), [doc]))
    return total if total is not None and total.value is not None and total.id != a.id else None


def second_operand(view: FactView, ctx: Ctx, subjects: list[Subject], a: Fact, docs: list,
                   pair: tuple[Fact, Fact] | None, hint: str) -> Fact | Result:
    """The second item's cell: from the same table (and column) as the first when it prints there."""
    a_sub, b_sub = subjects[0], subjects[1]
    b_cands = view.facts_for(ctx, b_sub, docs)
    if pair is not None:
        b = pair[1]
    elif b_sub.column or a_sub.column:
        same_table = [f for f in b_cands if f.table_id == a.table_id] if b_sub.column else []
        b = view.pick(same_table or b_cands, b_sub.column)
    else:
        same_table = [f for f in b_cands if f.table_id == a.table_id and f.column == a.column]
        b = view.pick(same_table or b_cands, hint or (a.column if a.table_id else ""))
    if b is None or b.value is None:
        return refusals.not_found_item(view, ctx, b_sub.surface)
    return b


def two_figures(view: FactView, q: Query, op: str, a: Fact, b: Fact) -> Result:
    """A share, ratio or difference of two cells, in the first one's unit."""
    bval = convert(b.value, b.unit, a.unit) if b.unit != a.unit else b.value
    unit = a.unit
    if op == "share":
        r = calc.share(a.value, bval, unit)
        said = say("binary.share", a=Item(row_name(a)), a_value=a.value, b=Item(row_name(b)), b_value=bval,
                   unit=unit, rate=r.value, doc=view.doc(a))
    elif op == "ratio":
        r = calc.ratio(a.value, bval)
        said = say("binary.ratio", a=Item(row_name(a)), a_value=a.value, b=Item(row_name(b)), b_value=bval,
                   unit=unit, ratio=r.value, doc=view.doc(a))
    else:
        if a.value < bval:
            a, b = b, a
            bval = convert(b.value, b.unit, a.unit) if b.unit != a.unit else b.value
        r = in_target(q, calc.difference(a.value, bval, unit))
        said = say("binary.difference", a=Item(row_name(a)), b=Item(row_name(b)),
                   cmp=say("cmp.more" if r.value >= 0 else "cmp.less"), size=abs(r.value), unit=r.unit,
                   doc=view.doc(a))
    return Result("answered", (said,), value=r.value, unit=r.unit, formula=r.formula,
                  citations=cite(view, a, b))


def listed_sum(view: FactView, ctx: Ctx, subjects: list[Subject], docs: list, hint: str, a: Fact,
               b: Fact) -> Result:
    """The items named added up, in the first one's unit (a listed sum leaves out the total row it names)."""
    unit = a.unit
    facts = [a, b]
    if len(subjects) > 2:  # a listed sum excludes the total row it happens to name
        subjects = [x for x in subjects if not is_grand_total(x.label)] or subjects
        a = view.pick(view.facts_for(ctx, subjects[0], docs), hint) or a
        b = view.pick(view.facts_for(ctx, subjects[1], docs), hint) or b
        facts = [a, b]
    for extra in subjects[2:]:
        f = view.pick(view.facts_for(ctx, extra, docs), hint)
        if f is not None and f.value is not None and f.unit == unit:
            facts.append(f)
    r = in_target(ctx.q, calc.total([f.value for f in facts], unit))
    said = say("binary.sum", items=tuple(Item(row_name(f)) for f in facts), value=r.value, unit=r.unit)
    return Result("answered", (said,), value=r.value, unit=r.unit, formula=r.formula,
                  citations=cite(view, *facts))


class Binary:
    """A share, ratio, difference or sum of the items named in one document."""

    name = "binary"
    order = 50
    asks = frozenset({"share", "ratio", "difference", "sum"})
    keys = frozenset({"binary.share", "binary.ratio", "binary.difference", "binary.sum", "cmp.more",
                      "cmp.less"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return asked.op in self.asks and (len(asked.subjects) >= 2 or asked.op == "share")

    def unanswered(self, asked: Asked) -> str | None:
        if not asked.subjects:
            return ""
        totals = [is_grand_total(x.label) for x in asked.named]
        if asked.left and asked.op != "share" and any(totals):
            return asked.left  # an operand that did not link is not the grand total
        if asked.op == "share" and totals and all(totals):
            return asked.left  # the total's share of itself answers nothing asked
        if asked.left and asked.op in ("ratio", "difference") and len(asked.subjects) < 2:
            return asked.left  # the second item did not link: not a lookup of the first
        return None

    def run(self, plan: Plan, view: FactView) -> Result:
        return binary(view, plan.ctx, list(plan.subjects), plan.operation)


OPERATIONS = (Binary(),)
