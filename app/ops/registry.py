"""The operations, found once in the modules of app/ops/ and looked up by key.

A module in app/ops/ that lists Operation objects in ``OPERATIONS`` is registered by being there: adding
an operation is that module, its ``[[operation]]`` entries in app/lang/vocabulary.toml and its templates
in app/pipeline/answers.toml. ``Op`` is the enum of their names. Every operation the vocabulary names must
be asked by a registered operation, checked here when the engine starts.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from app.lang import vocabulary
from app.ops.base import Asked, Operation
from app.pipeline.factview import FactView


def discover(name: str) -> tuple[Operation, ...]:
    """Every ``OPERATIONS`` entry of a package's modules, in the order they are tried."""
    package = importlib.import_module(name)
    found: list[Operation] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{name}.{info.name}")
        for op in getattr(module, "OPERATIONS", ()):
            if not isinstance(op, Operation):
                raise TypeError(f"{info.name}: {op!r} is not an Operation")
            found.append(op)
    names = [op.name for op in found]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"operations registered twice: {', '.join(twice)}")
    return tuple(sorted(found, key=lambda op: (op.order, op.name)))


ORDERED = discover(__package__)
Op = StrEnum("Op", {op.name.upper(): op.name for op in ORDERED})  # type: ignore[misc]
BY_NAME: Mapping[str, Operation] = MappingProxyType({Op(op.name): op for op in ORDERED})


def asked_names() -> frozenset[str]:
    """Every operation as read that some registered operation answers."""
    return frozenset(a for op in ORDERED for a in op.asks)


def check(vocab: vocabulary.Vocabulary) -> None:
    """Raise VocabularyError when the vocabulary names an operation no registered operation answers."""
    known = asked_names()
    for rule in vocab.operations:
        if rule.name not in known:
            raise vocabulary.VocabularyError(f"operation {rule.name!r} is not an operation the engine knows")


def get(name: str) -> Operation:
    return BY_NAME[Op(name)]


def choose(asked: Asked, view: FactView) -> Operation:
    """The first operation, in order, that applies (lookup applies to anything)."""
    return next(op for op in ORDERED if op.applies(asked, view))


def unanswered(asked: Asked) -> str | None:
    """What the operations asked say did not link, when the operation asked cannot run on what did."""
    return next((item for op in ORDERED if asked.op in op.asks
                 for item in [op.unanswered(asked)] if item is not None), None)


check(vocabulary.load())
