"""Language is data: the Chinese string literals in the question path's Python may only become fewer.

Words the code recognises live in app/lang/vocabulary.toml, app/lang/names.toml, app/lang/lexicon.tsv,
app/lang/places.tsv and corpus/glossary.tsv; the template's names (funds, measures, parts, sides) in
ingest/template.toml. Every literal with a Chinese character in app/pipeline, app/ops
and app/lang (docstrings aside: they explain with examples) is counted; moving words out lowers CEILING.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app/pipeline", "app/ops", "app/lang")
# 220 before the name model replaced the institution lists, then 164 (2026-12-07); 98 once the column,
# total, side, fund and part words moved to app/lang/vocabulary.toml and ingest/template.toml (2026-12-07)
CEILING = 98
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def cjk_literals() -> dict[str, int]:
    counts = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            n = sum(1 for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in skip and _CJK.search(node.value))
            if n:
                counts[str(path.relative_to(ROOT))] = n
    return counts


def test_chinese_literals_in_python_do_not_grow():
    counts = cjk_literals()
    total = sum(counts.values())
    worst = sorted(counts.items(), key=lambda x: -x[1])[:5]
    assert total <= CEILING, f"{total} Chinese literals (ceiling {CEILING}): move words to data; {worst}"


def test_the_counter_sees_literals_and_skips_docstrings(tmp_path):
    tree = ast.parse('"""模块"""\nX = "局"\ndef f():\n    """函数"""\n    return "中心"\n')
    skip = _docstrings(tree)
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and id(n) not in skip and _CJK.search(n.value)]
    assert found == ["局", "中心"]
