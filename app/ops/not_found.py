"""The refusal the planner names when an item did not link: what is not disclosed, and the closest items.

Never chosen by ``applies``: the planner (app/pipeline/plan.py) plans it with the unlinked words, and the
registry plans it for an operation asked of what did not link (``Operation.unanswered``).
"""

from __future__ import annotations

from app.ops.base import Asked, Plan
from app.pipeline import refusals
from app.pipeline.factview import FactView
from app.pipeline.result import Result


class NotFound:
    name = "not_found"
    order = 0
    asks: frozenset[str] = frozenset()
    keys = frozenset({"not_found.item", "not_found.any", "not_found.closest", "not_found.absent_table"})

    def applies(self, asked: Asked, view: FactView) -> bool:
        return False

    def unanswered(self, asked: Asked) -> str | None:
        return None

    def run(self, plan: Plan, view: FactView) -> Result:
        return refusals.not_found_item(view, plan.ctx, plan.item)


OPERATIONS = (NotFound(),)
