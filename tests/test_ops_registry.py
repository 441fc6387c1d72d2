"""The operations as registered objects: every module's operations are found, each says the templates it
declares, every template belongs to an operation or to the stages before them, and a new operation is a
module the registry finds by itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from app.ops import Op, base, compare, registry
from app.pipeline import answers

OPS = Path(registry.__file__).parent


def _keys(node: ast.expr) -> set[str]:
    """The keys a say() argument can name: a constant, or either branch of a conditional."""
    if isinstance(node, ast.IfExp):
        return _keys(node.body) | _keys(node.orelse)
    return {node.value} if isinstance(node, ast.Constant) and isinstance(node.value, str) else set()


def _said(path: Path) -> set[str]:
    """The template keys a module's say(...) calls name."""
    return set().union(*(_keys(node.args[0]) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                         if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                         and node.func.id == "say"))


def test_every_operation_module_is_registered_and_named_in_the_enum() -> None:
    modules = {op.__class__.__module__.rsplit(".", 1)[1] for op in registry.ORDERED}
    assert modules == {"binary", "change", "compare", "count", "describe", "lookup", "not_found", "reason",
                       "units"}
    assert [m.value for m in Op] == [op.name for op in registry.ORDERED]
    assert all(isinstance(op, base.Operation) for op in registry.ORDERED)
    assert registry.ORDERED[-1].name == "lookup"  # what answers when nothing else applies


@pytest.mark.parametrize("op", registry.ORDERED, ids=lambda op: op.name)
def test_operation_declares_existing_templates(op) -> None:
    missing = op.keys - set(answers.load())
    assert not missing, f"{op.name}: no template {sorted(missing)} in app/pipeline/answers.toml"


@pytest.mark.parametrize("module", sorted({op.__class__.__module__ for op in registry.ORDERED}))
def test_module_says_only_what_its_operations_declare(module: str) -> None:
    mod = sys.modules[module]
    declared = set().union(*(op.keys for op in mod.OPERATIONS))
    if mod is compare:
        declared |= compare.ACROSS.keys
    said = _said(Path(mod.__file__))
    assert said <= declared, f"{module} says {sorted(said - declared)} without declaring them"


def test_every_template_belongs_to_an_operation_or_an_earlier_stage() -> None:
    declared = set().union(*(op.keys for op in registry.ORDERED)) | compare.ACROSS.keys
    app = OPS.parent
    elsewhere = set().union(*(_said(p) for p in app.rglob("*.py") if p.parent != OPS))
    assert set(answers.load()) - declared - elsewhere == set()


def test_a_new_operation_is_one_module_the_registry_finds(tmp_path: Path, monkeypatch) -> None:
    package = tmp_path / "more_ops"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "median.py").write_text(
        "from app.ops.base import Asked, Plan\n"
        "class Median:\n"
        "    name = 'median'\n    order = 70\n    asks = frozenset({'median'})\n"
        "    keys = frozenset({'figure.amount'})\n"
        "    def applies(self, asked, view): return asked.op in self.asks\n"
        "    def unanswered(self, asked): return None\n"
        "    def run(self, plan, view): raise NotImplementedError\n"
        "OPERATIONS = (Median(),)\n", encoding="utf-8")
    (package / "helpers.py").write_text("X = 1\n", encoding="utf-8")  # no OPERATIONS: not an operation
    monkeypatch.syspath_prepend(str(tmp_path))
    found = registry.discover("more_ops")
    assert [op.name for op in found] == ["median"]
    assert isinstance(found[0], base.Operation)


def test_a_module_listing_something_else_is_refused(tmp_path: Path, monkeypatch) -> None:
    package = tmp_path / "bad_ops"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "half.py").write_text("class Half:\n    name = 'half'\nOPERATIONS = (Half(),)\n",
                                     encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(TypeError, match="half"):
        registry.discover("bad_ops")
