"""Plan: from a read question and its documents to one operation over named subjects.

Pure decisions, no I/O beyond reading the FactView: which year's document answers ("去年" against a
2026 budget is the prior-year figure of that budget), which items were named, which operation runs.
A question whose item did not link ends here as a refusal naming the unlinked words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.pipeline import link, refusals
from app.pipeline.context import _DEPT_WORDS, _VOCAB, COLUMN_TERMS, Ctx, Subject
from app.pipeline.factview import FactView
from app.pipeline.link import is_grand_total
from app.pipeline.residual import unlinked_words
from app.pipeline.result import Result, refusal, say
from app.pipeline.scope import Scope
from app.pipeline.understand import Query

_SUM_CUE = re.compile(r"(合计|共|总和|加|\bplus\b|\bcombined\b|\btogether\b|\bsum\b|\bboth\b|和|与|、|,|，)", re.I)


@dataclass(frozen=True)
class Plan:
    """One operation to run: its name, the question context, the subjects it runs over."""

    op: str
    ctx: Ctx
    subjects: tuple[Subject, ...] = ()
    operation: str = ""  # the operation as read (lookup, share, growth, rank_max …)
    across: bool = False  # several departments named: try the cross-document form first
    item: str = ""  # for "not_found": the words that named what is not there
    debug: dict = field(default_factory=dict)


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
    return prior or operation in ("lookup", "change", "growth", "prior", "sum")


def states_date(view: FactView, doc, when) -> bool:
    """The document says something as of that month ("截至2025年8月31日…", "截至2025年8月底…")."""
    pattern = re.compile(rf"{when.year}\s*年\s*0?{when.month}\s*月")
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
    by_year = _by_year(q, scope.documents, view)
    if isinstance(by_year, str):  # the years asked are not held: never another year's figure
        return refusal(say("refuse.year", years=by_year), refusals.held(view))
    docs, prior = by_year
    years = {d.year for d in docs}
    ctx = Ctx(q, docs, named=scope.named, siblings=tuple(d for d in scope.siblings if d.year in years))
    absent = refusals.absent_table(view, ctx)
    if absent is not None:
        return Plan("not_found", ctx, item=absent[0].title)
    purpose = bool(_VOCAB.purpose.search(q.norm)) and bool(q.terms or q.amounts)
    if q.operation == "describe" and not purpose:
        return Plan("describe", ctx)
    subjects, debug = link.link_subjects(view, ctx)
    debug = {**debug, "subjects": [(s.label, s.via) for s in subjects]}
    if q.operation == "describe":  # "X是用来干什么的": X's figure with what the narrative says it pays for
        named = [x for x in subjects if x.label and x.via != "unknown"]
        if len(named) != 1:
            return Plan("describe", ctx, debug=debug)
        return Plan("lookup", ctx, subjects=(named[0],), operation="purpose", debug=debug)
    if subjects and subjects[0].via == "unknown":
        return Plan("not_found", ctx, item=subjects[0].surface, debug=debug)
    linked = [(m.start, m.end) for m in q.terms
              if any(m.start <= x.start < m.end for x in subjects if x.label)
              or m.term.zh in COLUMN_TERMS or is_grand_total(m.term.zh)]
    linked += [(x.start, x.start + len(x.surface)) for x in subjects  # units named as rows (技师学院)
               if x.label and x.surface and q.norm[x.start:x.start + len(x.surface)] == x.surface]
    left = unlinked_words(q.norm, scope.spans + linked)  # a glossary word no row answers is still unanswered
    if left and defaults_to_total(q.operation, prior) and \
            all(is_grand_total(s.label) or s.via == "total" for s in subjects if s.label):
        # an item that did not link is not the grand total
        return Plan("not_found", ctx, item=left, debug=debug)
    excepted = except_phrase(q, subjects)
    if excepted:  # "income other than appropriations" asks for what is not 财政拨款
        return Plan("not_found", ctx, item=excepted, debug=debug)
    loose = longer_english_phrase(q, subjects, scope.spans)
    if loose:  # "the weather facility maintenance project" names more than 维修（护）费
        return Plan("not_found", ctx, item=loose, debug=debug)
    asides = [m.span() for m in re.finditer(r"[(（][^()（）]*[)）]", q.norm)]
    outside = [x for x in subjects if not any(a < x.start < b for a, b in asides)]
    inside = [x for x in subjects if x not in outside and x.label]
    if len(inside) == 1 and not q.zh and all(len(inside[0].surface.split()) > len(x.surface.split())
                                               for x in outside if x.label):
        # "turning research results into use (tech transfer)": the aside names it more exactly
        subjects = inside
    elif outside and len(outside) < len(subjects):  # "三公经费 (overseas trips, cars and hospitality)" explains
        subjects = outside
    named = [x for x in subjects if x.label]
    if prior and len(named) >= 2:  # "去年A和B一共多少": a prior-year sum is not derived; never this year's instead
        return refusal(say("refuse.year", years=str(max(d.year or 0 for d in docs) - 1)), refusals.held(view))
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
            return Plan("not_found", ctx, item=" ".join(x.surface for x in named), debug=debug)
        op = "sum"
    across = scope.named and view.several(ctx.docs) and len(named) <= 1
    one = dict(ctx=ctx, across=across, debug=debug, operation=op)
    if op == "count" or op == "per_unit":
        return Plan(op, subjects=tuple(subjects), **one)
    if op in ("rank_max", "rank_min"):
        by_dept = _DEPT_WORDS.search(q.norm) or (len({d.id for d in ctx.docs}) > 1 and subjects)
        if _DEPT_WORDS.search(q.norm) and ctx.docs and not view.several(ctx.docs) and \
                not [s for s in subjects if s.label and s.via not in ("retrieval", "total") and not s.measure
                     and not is_grand_total(s.label)]:
            return Plan("rank_units", subjects=tuple(subjects), **one)  # "下属单位里哪个单位最多": its units
        return Plan("rank_documents" if by_dept else "rank", subjects=tuple(subjects), **one)
    if not subjects and op in ("change", "growth", "prior", "sum"):
        total = view.grand_total(ctx.docs)  # "the budget in total", "how did the budget change"
        subjects = [Subject(total, total, via="total")] if total else []
        op = "lookup" if op == "sum" else op
        one["operation"] = op
    if not subjects:
        return Plan("not_found", **one)
    if op in ("change", "growth") and len({d.year for d in ctx.docs}) > 1:
        return Plan("across_years", subjects=tuple(subjects), **one)
    if op in ("change", "growth", "prior"):
        return Plan("change", subjects=tuple(subjects), **one)
    if op in ("ratio", "difference", "sum") and left and any(is_grand_total(x.label) for x in named):
        return Plan("not_found", item=left, **one)  # an operand that did not link is not the grand total
    if op == "share" and named and all(is_grand_total(x.label) for x in named):
        return Plan("not_found", item=left, **one)  # the total's share of itself answers nothing asked
    if op in ("share", "ratio", "difference", "sum") and (len(subjects) >= 2 or op == "share"):
        return Plan("binary", subjects=tuple(subjects), **one)
    if op in ("ratio", "difference") and left:  # the second item did not link: not a lookup of the first
        return Plan("not_found", item=left, **one)
    if op == "sum" and view.several(ctx.docs):
        return Plan("sum_documents", subjects=tuple(subjects), **one)
    return Plan("lookup", subjects=tuple(subjects), **one)
