"""What an operation is: a key, when it applies, how it runs, which answer templates it says.

An operation is one object a module in app/ops/ lists in its ``OPERATIONS``; app/ops/registry.py finds
them, the planner (app/pipeline/plan.py) asks the registry which one a question needs, and ``app.ops.run``
asks it which object runs a Plan (the way datasette's filters.py keeps each filter as one object looked up
by key). When an operation applies is read from the question's operation as the vocabulary named it
(``Query.operation``, an ``[[operation]]`` entry of app/lang/vocabulary.toml), never from words in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from app.pipeline.context import Ctx, Subject
from app.pipeline.factview import FactView
from app.pipeline.result import Result


@dataclass(frozen=True)
class Plan:
    """One operation to run: its name, the question context, the subjects it runs over."""

    op: str  # an Op member (app/ops/registry.py): the operation that runs
    ctx: Ctx
    subjects: tuple[Subject, ...] = ()
    operation: str = ""  # the operation as read (lookup, share, growth, rank_max …)
    across: bool = False  # several departments named: try the cross-document form first
    item: str = ""  # for "not_found": the words that named what is not there
    debug: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Asked:
    """A question read and linked, before an operation is chosen: what each operation's ``applies`` sees."""

    ctx: Ctx
    op: str  # the operation as read ([[operation]] name, "lookup", or "prior" for last year's figure)
    subjects: tuple[Subject, ...]
    left: str = ""  # glossary words no row answers
    across: bool = False
    debug: dict = field(default_factory=dict)

    @property
    def named(self) -> list[Subject]:
        """The subjects that name a row (a word read as an item not disclosed has no label)."""
        return [x for x in self.subjects if x.label]


@runtime_checkable
class Operation(Protocol):
    """One operation. ``order``: the registry tries operations in this order and the first that applies
    runs; ``asks``: the operations as read that it answers (every ``[[operation]]`` name is asked by one);
    ``keys``: the app/pipeline/answers.toml keys its Results say."""

    name: str
    order: int
    asks: frozenset[str]
    keys: frozenset[str]

    def applies(self, asked: Asked, view: FactView) -> bool:
        """Whether this operation answers the question, given what linked."""
        ...

    def unanswered(self, asked: Asked) -> str | None:
        """For an operation asked of what did not link: the words to name in the refusal ("" for none),
        or None when it can run."""
        ...

    def run(self, plan: Plan, view: FactView) -> Result:
        """The answer before it has words (app/pipeline/result.py)."""
        ...
