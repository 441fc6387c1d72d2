"""Plan: from a read question and its documents to one operation over named subjects.

Pure decisions, no I/O beyond reading the FactView: which year's document answers ("去年" against a
2026 budget is the prior-year figure of that budget), which items were named, which operation runs.
A question whose item did not link ends here as a refusal naming the unlinked words.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.ops import registry
from app.ops.base import Asked, Plan
from app.ops.registry import Op
from app.pipeline import link, refusals
from app.pipeline.context import _VOCAB, COLUMN_TERMS, Ctx, Subject
from app.pipeline.factview import FactView
from app.pipeline.link import is_grand_total
from app.pipeline.residual import unlinked_words
from app.pipeline.result import Result, refusal, say
from app.pipeline.scope import Scope
from app.pipeline.understand import Query

_SUM_CUE = re.compile(r"(合计|共|总和|加|\bplus\b|\bcombined\b|\btogether\b|\bsum\b|\bboth\b|和|与|、|,|，)", re.I)


_EN_BREAK = re.compile(r"^(on|for|of|in|to|from|at|by|with|and|or|than|its|their|his|her|the|a|an|as|into)$",
                       re.I)


def except_phrase(q: Query, subjects: list) -> str:
    """"other than government appropriations" / "除了财政拨款": the words, when every item named follows them."""
    named = [x for x in subjects if x.label]
    hits = [m for x in named for m in [_last(_VOCAB.except_words, q.norm[max(0, x.start - 14):x.start])] if m]
    if not named or len(hits) != len(named):
        return ""
    x = named[0]
    return q.norm[max(0, x.start - 14) + hits[0].start():x.start + len(x.surface)].strip()


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = list(pattern.finditer(text))
    return found[-1] if found else None


def longer_english_phrase(q: Query, subjects: list, spans: list[tuple[int, int]]) -> str:
    """An English item named by one word inside a longer noun phrase the glossary does not know ("cloud
    customer service outsourcing"): the phrase, so the answer says it is not disclosed instead of answering
    the one-word item. Two or more content words right before or after the word make the phrase."""
    named = [x for x in subjects if x.label and x.term is not None]
    if q.zh or len(named) != 1 or named[0].via != "exact" or " " in named[0].surface.strip() \
            or not named[0].surface:  # a row found by the word inside its label is already narrower
        return ""
    x = named[0]
    filler = _VOCAB.filler_en
    before: list[str] = []
    for m in reversed(list(re.finditer(r"[A-Za-z][\w'-]*", q.norm[:x.start]))):
        if (_EN_BREAK.match(m.group()) or any(a <= m.start() < b for a, b in spans)
                or q.norm[m.end():x.start].strip(" ")
                and not re.fullmatch(r"[\s\w'-]*", q.norm[m.end():x.start])):
            break
        if m.group().lower() not in filler:
            before.insert(0, m.group())
        if len(before) == 3:
            break
    after: list[str] = []
    end = x.start + len(x.surface)
    for m in re.finditer(r"[A-Za-z][\w'-]*|[^\sA-Za-z]", q.norm[end:]):
        if not re.match(r"[A-Za-z]", m.group()) or _EN_BREAK.match(m.group()) or len(after) == 3 \
                or any(a <= end + m.start() < b for a, b in spans):
            break
        if m.group().lower() not in filler:
            after.append(m.group())
    return " ".join([*before, x.surface, *after]) if len(before) + len(after) >= 2 else ""


def defaults_to_total(operation: str, prior: bool) -> bool:
    """Operations that fall back to the grand total when no item is named."""
    return prior or operation in ("lookup", "change", "growth", "prior", "sum", "reason")


def states_date(view: FactView, doc, when) -> bool:
    """The document says something as of that month ("截至2025年8月31日…", "截至2025年8月底…")."""
    year_end = _VOCAB.year_end if when.month == 12 else ""  # "截至2025年底" is the end of December
    pattern = re.compile(_VOCAB.stated_month.format(year=when.year, month=when.month, year_end=year_end))
    return any(pattern.search(p.text) for p in view.passages_of(doc.id))


_LOOKUPISH = ("lookup", "sum")  # "去年总共多少": a one-item sum is a lookup (two items are refused below)


def _by_year(q: Query, docs: list, view: FactView | None = None) -> tuple[list, bool] | str:
    """The documents of the year asked, and whether the prior-year figure is wanted; or the years not held."""
    if q.as_of and view is not None:  # "截至2025年8月底": the documents stating that date, whatever their year
        stating = [d for d in docs if states_date(view, d, q.as_of)]
        if stating:
            return stating, False
    if q.years:
        years = {d.year for d in docs}
        asked = [y for y in q.years if y in years]
        base = _base_year(q, years)
        if base is not None:  # "根据2026年预算说明，2025年年初的三公经费预算是多少": the base it was compared with
            return [d for d in docs if d.year == base + 1], True
        if asked:
            return [d for d in docs if d.year in asked], False
        if any(y + 1 in years for y in q.years) and q.operation in ("lookup", "change", "growth"):
            return [d for d in docs if d.year in {y + 1 for y in q.years}], q.operation == "lookup"
        return "、".join(str(y) for y in q.years)
    if q.relative is not None and len({d.year for d in docs}) > 1:
        latest = max(d.year or 0 for d in docs)  # 今年/去年 against the newest document in scope
        wanted = latest + q.relative
        if any(d.year == wanted for d in docs) and q.operation == "lookup":
            return [d for d in docs if d.year == wanted], False
        if q.relative == -1 and q.operation in _LOOKUPISH:
            return [d for d in docs if d.year == latest], True
        if q.operation in ("change", "growth"):  # 比上年: against the year before, never a year further back
            return [d for d in docs if d.year in (latest, wanted)], False
        return docs, False
    prior = q.relative == -1 and q.operation in _LOOKUPISH
    return newest_of_each(docs, q.operation in ("change", "growth")), prior


def _base_year(q: Query, held: set) -> int | None:
    """A year not held named as the base a held budget states itself against ("2025年年初预算"), beside that
    budget's own year: the prior-year figure of the budget held."""
    if q.operation != "lookup":
        return None
    return next((y for y in q.years if y not in held and y + 1 in held
                 and re.search(_VOCAB.base_start.format(year=y), q.norm)), None)


def newest_of_each(docs: list, with_year_before: bool = False) -> list:
    """No year asked: each department's newest disclosure answers for it (江苏高院 with 2017 and 2019 held is
    the 2019 budget; the answer names its year), never two years of one department added or asked back. A
    change
    or growth rate keeps the year before too, when it is held (2025 → 2026), never a year further back."""
    newest: dict[str, int] = {}
    for d in docs:
        newest[d.department] = max(newest.get(d.department, 0), d.year or 0)
    keep = {0, 1} if with_year_before else {0}
    return [d for d in docs if newest[d.department] - (d.year or 0) in keep]


def plan(q: Query, scope: Scope, view: FactView) -> Plan | Result:
    """The operation a question asks over the items it names, or a refusal saying why there is none."""
    dated = _dated(q, scope, view)
    if isinstance(dated, Result):  # the years asked are not held: never another year's figure
        return dated
    ctx, prior = dated
    unlinked = _before_linking(q, ctx, view)
    if unlinked is not None:
        return unlinked
    subjects, debug = link.link_subjects(view, ctx)
    debug = {**debug, "subjects": [(s.label, s.via) for s in subjects]}
    if q.operation == "describe":
        return _purpose(ctx, subjects, debug)
    if subjects and subjects[0].via == "unknown":
        return Plan(Op.NOT_FOUND, ctx, item=subjects[0].surface, debug=debug)
    left = _left_words(q, scope, subjects)
    refused = _not_linked(q, ctx, scope, subjects, prior, left, debug)
    if refused is not None:
        return refused
    asked = _asked(q, scope, view, ctx, _outside_asides(q, subjects), prior, left, debug)
    return asked if isinstance(asked, Plan | Result) else _choose(_unnamed_total(asked, view), view)


def _dated(q: Query, scope: Scope, view: FactView) -> tuple[Ctx, bool] | Result:
    """The question's context over the documents of the year asked, and whether last year's figure is
    wanted; or the refusal naming the years not held."""
    by_year = _by_year(q, scope.documents, view)
    if isinstance(by_year, str):
        return refusal(say("refuse.year", years=by_year), refusals.held(view))
    docs, prior = by_year
    years = {d.year for d in docs}
    ctx = Ctx(q, docs, named=scope.named, siblings=tuple(d for d in scope.siblings if d.year in years))
    return ctx, prior


def _before_linking(q: Query, ctx: Ctx, view: FactView) -> Plan | None:
    """A table the contents list but the file does not print, or a question asking what something is."""
    absent = refusals.absent_table(view, ctx)
    if absent is not None:
        return Plan(Op.NOT_FOUND, ctx, item=absent[0].title)
    purpose = bool(_VOCAB.purpose.search(q.norm)) and bool(q.terms or q.amounts)
    if q.operation == "describe" and not purpose:
        return Plan(Op.DESCRIBE, ctx)
    return None


def _purpose(ctx: Ctx, subjects: list[Subject], debug: dict) -> Plan:
    """"X是用来干什么的": X's figure with what the narrative says it pays for."""
    named = [x for x in subjects if x.label and x.via != "unknown"]
    if len(named) != 1:
        return Plan(Op.DESCRIBE, ctx, debug=debug)
    return Plan(Op.LOOKUP, ctx, subjects=(named[0],), operation="purpose", debug=debug)


def _left_words(q: Query, scope: Scope, subjects: list[Subject]) -> str:
    """The question's words that neither named the department nor linked to a row."""
    linked = [(m.start, m.end) for m in q.terms
              if any(m.start <= x.start < m.end for x in subjects if x.label)
              or m.term.zh in COLUMN_TERMS or is_grand_total(m.term.zh)]
    linked += [(x.start, x.start + len(x.surface)) for x in subjects  # units named as rows (技师学院)
               if x.label and x.surface and q.norm[x.start:x.start + len(x.surface)] == x.surface]
    return unlinked_words(q.norm, scope.spans + linked)  # a glossary word no row answers is still unanswered


def _not_linked(q: Query, ctx: Ctx, scope: Scope, subjects: list[Subject], prior: bool, left: str,
                debug: dict) -> Plan | None:
    """An item asked that did not link: never answered with the grand total or a broader row."""
    if left and defaults_to_total(q.operation, prior) and \
            all(is_grand_total(s.label) or s.via == "total" for s in subjects if s.label):
        # an item that did not link is not the grand total
        return Plan(Op.NOT_FOUND, ctx, item=left, debug=debug)
    missed = _item_of_unit_missed(q, subjects)
    if missed:  # "本级的办公费" where no row of the unit prints 办公费: never the unit's total instead
        return Plan(Op.NOT_FOUND, ctx, item=missed, debug=debug)
    excepted = except_phrase(q, subjects)
    if excepted:  # "income other than appropriations" asks for what is not 财政拨款
        return Plan(Op.NOT_FOUND, ctx, item=excepted, debug=debug)
    loose = longer_english_phrase(q, subjects, scope.spans)
    if loose:  # "the weather facility maintenance project" names more than 维修（护）费
        return Plan(Op.NOT_FOUND, ctx, item=loose, debug=debug)
    return None


def _item_of_unit_missed(q: Query, subjects: list[Subject]) -> str:
    """A budget item named beside a unit that linked to nothing, when only the unit's row answers."""
    named = [x for x in subjects if x.label]
    if not named or any(x.via != "unit" for x in named):
        return ""
    spans = [(x.start, x.start + len(x.surface)) for x in named]
    for m in q.terms:
        inside = any(a <= m.start < b or m.start <= a < m.end for a, b in spans)
        if not inside and m.term.zh not in COLUMN_TERMS and not is_grand_total(m.term.zh) \
                and m.term.kind in ("economic", "function"):
            return m.surface
    return ""


def _outside_asides(q: Query, subjects: list[Subject]) -> list[Subject]:
    """The items named outside brackets, unless the bracket names the one item more exactly."""
    asides = [m.span() for m in re.finditer(r"[(（][^()（）]*[)）]", q.norm)]
    outside = [x for x in subjects if not any(a < x.start < b for a, b in asides)]
    inside = [x for x in subjects if x not in outside and x.label]
    if len(inside) == 1 and not q.zh and all(len(inside[0].surface.split()) > len(x.surface.split())
                                               for x in outside if x.label):
        # "turning research results into use (tech transfer)": the aside names it more exactly
        return inside
    if outside and len(outside) < len(subjects):  # "三公经费 (overseas trips, cars and hospitality)" explains
        return outside
    return subjects


def _asked(q: Query, scope: Scope, view: FactView, ctx: Ctx, subjects: list[Subject], prior: bool, left: str,
           debug: dict) -> Asked | Plan | Result:
    """The operation as read, settled against what linked: last year's figure, a total named beside an
    item, two items named without a word that adds them."""
    named = [x for x in subjects if x.label]
    if prior and len(named) >= 2:  # "去年A和B一共多少": a prior-year sum is not derived; never this year's instead
        return refusal(say("refuse.year", years=str(max(d.year or 0 for d in ctx.docs) - 1)),
                       refusals.held(view))
    op = "prior" if prior else q.operation
    # "spend in total on pensions": total is no item
    if op in ("lookup", "sum") and len(named) >= 2 and any(is_grand_total(x.label) for x in named) \
            and any(not is_grand_total(x.label) for x in named):
        subjects = [x for x in subjects if not is_grand_total(x.label)]
        named = [x for x in subjects if x.label]
        op = "lookup" if len(named) == 1 else op
    if op == "lookup" and len(named) >= 2:
        # "defence research funding" names one narrower item, not two categories
        if not _SUM_CUE.search(q.norm):
            return Plan(Op.NOT_FOUND, ctx, item=" ".join(x.surface for x in named), debug=debug)
        op = "sum"
    one_name = (scope.named and len({d.department for d in ctx.docs}) > 1  # several departments bear it
                and not scope.names_several(q.norm))
    if one_name and op == "sum" and len(named) <= 1:
        op = "lookup"  # "市民政局一共多少": one name several departments bear is asked back, never added up
    across = (scope.named and view.several(ctx.docs) and len(named) <= 1
              and (op in ("rank_max", "rank_min") or not one_name))
    return Asked(ctx, op, tuple(subjects), left=left, across=across, debug=debug)


_UNNAMED_IS_TOTAL = ("change", "growth", "prior", "sum", "reason")


def _unnamed_total(asked: Asked, view: FactView) -> Asked:
    """"the budget in total", "how did the budget change": no item named is the grand total."""
    if asked.subjects or asked.op not in _UNNAMED_IS_TOTAL:
        return asked
    total = view.grand_total(asked.ctx.docs)
    subjects = (Subject(total, total, via="total"),) if total else ()
    return replace(asked, subjects=subjects, op="lookup" if asked.op == "sum" else asked.op)


def _choose(asked: Asked, view: FactView) -> Plan:
    """The registered operation that answers, or the refusal the operation asked gives for what did not
    link."""
    one = dict(ctx=asked.ctx, across=asked.across, debug=asked.debug, operation=asked.op)
    item = registry.unanswered(asked)
    if item is not None:
        return Plan(Op.NOT_FOUND, item=item, **one)
    return Plan(Op(registry.choose(asked, view).name), subjects=asked.subjects, **one)
