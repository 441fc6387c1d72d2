"""Why an item is what it is: the reason the narrative gives beside the change it states, or what it pays for.

"北京卫健委2026年支出预算为什么比去年少了？" is answered with the reason attached to the stated change of that
item (ingest/statements.py reads "主要原因是…" into the change's ``reason``), with the change itself; an item
stated with no change but with what it pays for ("主要用于…") is answered with that. When the document states
the change but no reason, the answer says so: never a sentence about another item.
"""

from __future__ import annotations

from app.ops.base import Asked, Plan
from app.ops.change import change_fact, presumption_note
from app.ops.figures import cite, value_in
from app.pipeline import link, refusals
from app.pipeline.context import _VOCAB, Ctx, Subject
from app.pipeline.factview import FactView
from app.pipeline.purpose import purpose_of
from app.pipeline.result import Item, Result, refusal, say
from ingest.model import Fact

_COMPARED = ("change", "change_pct", "prior")


def stated_change(view: FactView, ctx: Ctx, subject: Subject) -> Fact | None:
    """The subject's stated change (its rate, or the prior figure, when no amount of change is stated), the
    one a reason is attached to first."""
    for measure in ("change", "change_pct"):
        ch, _ = change_fact(view, ctx, subject, measure)
        if ch is not None:
            return ch
    return None


def reason_of(view: FactView, change: Fact) -> str:
    """The reason attached to a change, or to another statement of the same comparison (its rate, its prior
    figure) in the same sentence."""
    if change.reason:
        return change.reason
    same = [f for f in view.facts_of(change.document_id) if f.measure in _COMPARED and f.reason
            and f.label == change.label and f.source_text == change.source_text]
    return same[0].reason if same else ""


def purpose_stated(view: FactView, ctx: Ctx, subject: Subject) -> tuple[Fact, str] | None:
    """The subject's amount and what the narrative says it pays for."""
    amounts = [f for f in view.facts_for(ctx, subject) if f.measure == "amount" and f.value is not None]
    said = [f for f in amounts if f.from_narrative and f.purpose]
    if said:
        return said[0], said[0].purpose
    names = [subject.label, *((subject.term.zh, *subject.term.synonyms_zh) if subject.term else ())]
    found = purpose_of(view, ctx.docs, [n for n in names if n])
    amount = view.pick(amounts)
    if found is None or amount is None:
        return None
    return amount, found[0]


def reason(view: FactView, ctx: Ctx, subject: Subject) -> Result:
    q = ctx.q
    if view.several(ctx.docs) and not ctx.named:
        return refusals.ambiguous(view, ctx, ctx.docs)
    ch = stated_change(view, ctx, subject)
    name = Item(subject.label if link.is_grand_total(subject.label) or ch is None else ch.label)
    if ch is not None and reason_of(view, ch):
        doc = view.doc(ch)
        falling = ch.value < 0
        value = abs(ch.value) if q.presumed_direction == (-1 if falling else 1) else ch.value
        said = say("reason.stated", doc=doc, item=name, compared=ch.compared_with,
                   dir=say("dir.decrease" if falling else "dir.increase"), size=abs(ch.value), unit=ch.unit,
                   reason=reason_of(view, ch))
        return Result("answered", (said, *presumption_note(q, falling)), value=value, unit=ch.unit,
                      citations=cite(view, ch))
    if ch is None:
        pays = purpose_stated(view, ctx, subject) if q.amounts or _VOCAB.purpose.search(q.norm) else None
        if pays is not None:  # "why does X have 128.7 million yuan — what is it for?"
            fact, text = pays
            value, unit, formula = value_in(q, fact)
            said = say("reason.purpose", doc=view.doc(fact), item=name, value=value, unit=unit, said=text)
            return Result("answered", (said,), value=value, unit=unit, formula=formula,
                          citations=cite(view, fact))
        return refusal(say("reason.no_change", item=name))
    return refusal(say("reason.unstated", doc=view.doc(ch), item=name, compared=ch.compared_with,
                       dir=say("dir.decrease" if ch.value < 0 else "dir.increase"), size=abs(ch.value),
                       unit=ch.unit))


class Reason:
    """Why an item changed (or what it pays for), as the narrative says."""

    name = "reason"
    order = 39  # before the change operations: "为什么比去年少了" asks why, not how much
    asks = frozenset({"reason"})
    keys = frozenset({"reason.stated", "reason.purpose", "reason.unstated", "reason.no_change",
                      "dir.increase", "dir.decrease", "change.presumption"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return asked.op in self.asks

    def unanswered(self, asked: Asked) -> str | None:
        return None if asked.subjects else ""

    def run(self, plan: Plan, view: FactView) -> Result:
        return reason(view, plan.ctx, plan.subjects[0])


OPERATIONS = (Reason(),)
