"""The answer templates' schema: the file parses, every key has zh and en, every key the code says exists
and gets every placeholder its texts use, and no template is left unused. A broken or mistyped wording fails
here, naming the key, not inside an answer."""

from __future__ import annotations

import ast
import tomllib
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.pipeline import answers
from app.pipeline.render import column_name, render
from app.pipeline.result import Column, Item, Result, say
from ingest.model import Document

APP = Path(answers.__file__).parent.parent


def _keys(node: ast.expr) -> list[str] | None:
    """The template keys a say() call can name: a constant, or either branch of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _keys(node.body), _keys(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _say_calls() -> list[tuple[str, int, list[str] | None, set[str], bool]]:
    """Every say(...) in app/: file, line, the keys it can name, its keyword names, whether it splats."""
    out = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "say":
                keys = _keys(node.args[0]) if len(node.args) == 1 else None
                names = {k.arg for k in node.keywords if k.arg}
                out.append((path.name, node.lineno, keys, names, any(k.arg is None for k in node.keywords)))
    return out


def test_file_parses_and_every_key_has_both_languages() -> None:
    with open(answers.DEFAULT_PATH, "rb") as fh:
        raw = tomllib.load(fh)
    templates = answers.parse(raw)
    assert len(templates) >= 60
    assert templates == dict(answers.load())
    for key, t in templates.items():
        assert t.zh.strip() and t.en.strip(), key


def test_every_call_names_a_template_and_fills_its_placeholders() -> None:
    templates = answers.load()
    calls = _say_calls()
    assert len(calls) > 50
    for file, line, keys, names, splat in calls:
        where = f"{file}:{line}"
        assert keys is not None, f"{where}: the key must be a literal (or a conditional of literals)"
        assert not splat, f"{where}: pass parameters by name, so this test can check them"
        used: set[str] = set()
        for key in keys:
            assert key in templates, f"{where}: no template {key!r} in app/pipeline/answers.toml"
            for lang in answers.LANGS:
                wanted = answers.fields(templates[key].text(lang))
                assert wanted <= names, f"{where}: {key}.{lang} needs {sorted(wanted - names)}"
                used |= wanted
        assert names <= used, f"{where}: parameters no template uses: {sorted(names - used)}"


def test_every_template_is_used() -> None:
    named = {k for _, _, keys, _, _ in _say_calls() for k in keys or []}
    assert set(answers.load()) - named == set()


@pytest.mark.parametrize("data, error", [
    ({"a": {"zh": "一"}}, "needs exactly a zh and an en"),
    ({"a": {"zh": "一", "en": "one", "fr": "un"}}, "needs exactly a zh and an en"),
    ({"a": {"b": {"zh": "{x", "en": "x"}}}, "a.b.zh: template does not parse"),
    ({"a": "text"}, "expected a table"),
])
def test_a_broken_file_names_the_key(data: dict, error: str) -> None:
    with pytest.raises(answers.AnswersError, match=error):
        answers.parse(data)


def test_render_names_documents_items_lists_and_figures_per_language() -> None:
    doc = Document(id="d1", source_key="f.pdf", path="/f.pdf", sha256="", title="t", department="安图县社保局",
                   region="", year=2026, kind="部门预算", level="department")
    view = SimpleNamespace(catalog=SimpleNamespace(english_name=lambda d: "Antu Social Insurance"),
                           glossary=SimpleNamespace(
                               english=lambda label: {"住房保障支出": "housing"}.get(label, "")))
    result = Result("answered", (
        say("lookup.table", doc=doc, item=Item("住房保障支出"), value=Decimal("486600.5"), unit="元",
            column=Column("本年预算"), table_id="01", table_title="收支预算总表"),
        say("lookup.same_figure", docs=(doc, doc)),
        say("change.presumption", actual=say("dir.decrease"), presumed=say("dir.increase")),
    ), value=Decimal("486600.5"), unit="元", candidates=(doc, "住房保障支出"))
    zh, en = render(result, "zh", view), render(result, "en", view)
    assert zh.answer == ("安图县社保局2026年部门预算：住房保障支出（本年预算）为 486,600.5 元（表01收支预算总表）。"
                         " 安图县社保局2026年部门预算、安图县社保局2026年部门预算列出相同数字。注意：实际是减少，不是增加。")
    assert en.answer == ("housing (住房保障支出) — current-year budget: 486,600.5 元, per Antu Social Insurance "
                         "(安图县社保局) 2026 department budget (table 01 收支预算总表). The same figure is printed "
                         "in Antu Social Insurance (安图县社保局) 2026 department budget; Antu Social Insurance "
                         "(安图县社保局) 2026 department budget. Note: it is a decrease, not an increase.")
    assert zh.candidates == ["安图县社保局2026年部门预算", "住房保障支出"]
    assert (zh.lang, en.lang, zh.value, zh.unit) == ("zh", "en", Decimal("486600.5"), "元")


def test_english_answers_name_columns_in_english() -> None:
    """A column header is worded in the answer's language, part by part; a part nobody knows stays as
    printed."""
    words = {"财政拨款": "fiscal appropriations"}
    view = SimpleNamespace(glossary=SimpleNamespace(english=lambda p: words.get(p, "")))
    assert column_name(view, "en", "财政拨款 / 合计") == "fiscal appropriations / total"
    assert column_name(view, "en", "预算数") == "budget"
    assert column_name(view, "en", "2026年执行数（预计）") == "2026年执行数（预计）"
    assert column_name(view, "zh", "财政拨款 / 合计") == "财政拨款 / 合计"
