"""The operations: one object per operation, registered by the module that defines it.

Each operation (app/ops/base.py: its name, when it applies, ``run(plan, view) -> Result``, its answer
keys) returns a Result (app/pipeline/result.py): the figure, its citations and the phrases that say it,
never prose; app/pipeline/render.py words it in the question's language. app/ops/registry.py finds them;
the planner asks it which operation applies and ``run`` asks it which object runs a Plan.

May import app.lang, app.pipeline (not app.pipeline.plan, which imports this package) and ingest.
"""

from __future__ import annotations

from app.ops.base import Plan
from app.ops.compare import ACROSS
from app.ops.registry import Op, get
from app.pipeline.factview import FactView
from app.pipeline.result import Result

__all__ = ["Op", "Plan", "run"]


def run(plan: Plan, view: FactView) -> Result:
    """The planned operation's Result; a question naming several departments is first tried as one item
    across their documents (compare, total, rank), and runs as planned when that does not apply."""
    if plan.across:
        across = ACROSS.attempt(plan, view)
        if across is not None:
            return across
    return get(plan.op).run(plan, view)
