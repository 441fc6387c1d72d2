"""The vocabulary file's schema: every section present, every pattern compiles, every operation is one a
registered operation answers. A broken data file fails here, with the section named, not deep inside an
answer."""

from __future__ import annotations

import copy
import re
import tomllib

import pytest

from app.lang import vocabulary
from app.ops import registry


@pytest.fixture(scope="module")
def raw() -> dict:
    with open(vocabulary.DEFAULT_PATH, "rb") as fh:
        return tomllib.load(fh)


def _patterns(node) -> list[str]:
    """Every string under a 'patterns'/'pattern' key or in a list of strings: what the loader compiles."""
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("numerals", "months", "names_en", "short", "name", "unit", "kind", "word", "default"):
                continue
            out += _patterns(value)
    elif isinstance(node, list):
        for item in node:
            out += [item] if isinstance(item, str) else _patterns(item)
    elif isinstance(node, str):
        out.append(node)
    return out


def test_every_section_present(raw) -> None:
    assert set(vocabulary.SECTIONS) <= set(raw)


def test_every_pattern_compiles(raw) -> None:
    patterns = _patterns(raw)
    assert len(patterns) > 300
    for p in patterns:
        re.compile(p)


def test_every_operation_named_is_answered_by_a_registered_operation(raw) -> None:
    named = {e["name"] for e in raw["operation"]}
    asked = registry.asked_names()
    assert named <= asked, f"no operation answers {sorted(named - asked)}"
    # and every registered operation that answers a question's operation is reachable from the vocabulary
    # (or is the lookup every question falls back to, or last year's figure the planner asks for)
    assert asked - named == {"lookup", "prior"}


def test_loads_and_is_cached() -> None:
    v = vocabulary.load()
    assert v is vocabulary.load()
    assert [r.name for r in v.operations][0] == "reason"  # "why …" before describe's "explain"
    assert v.kind_names_en["部门决算"] == "final accounts"
    assert v.numerals["〇"] == 0 and v.numerals["九"] == 9


def test_missing_section_is_named(raw) -> None:
    broken = copy.deepcopy(raw)
    del broken["direction"]
    with pytest.raises(vocabulary.VocabularyError, match="direction"):
        vocabulary.parse(broken)


def test_unknown_operation_is_refused(raw) -> None:
    broken = copy.deepcopy(raw)
    broken["operation"].append({"name": "median", "patterns": ["中位数"]})
    with pytest.raises(vocabulary.VocabularyError, match="median"):
        registry.check(vocabulary.parse(broken))
    registry.check(vocabulary.parse(raw))  # the shipped file passes


def test_bad_pattern_is_named(raw) -> None:
    broken = copy.deepcopy(raw)
    broken["subjects"]["total_words"].append("总(")
    with pytest.raises(vocabulary.VocabularyError, match=r"总\("):
        vocabulary.parse(broken)


def test_empty_list_is_refused(raw) -> None:
    broken = copy.deepcopy(raw)
    broken["direction"]["up"] = []
    with pytest.raises(vocabulary.VocabularyError, match="direction.up"):
        vocabulary.parse(broken)


def test_a_file_path_loads(tmp_path, raw) -> None:
    src = vocabulary.DEFAULT_PATH.read_text(encoding="utf-8").replace("'加起来', ", "'加起来', '合在一块', ")
    path = tmp_path / "v.toml"
    path.write_text(src, encoding="utf-8")
    v = vocabulary.load(path)
    assert next(r for r in v.operations if r.name == "sum").pattern.search("两项合在一块")
    assert not next(r for r in vocabulary.load().operations if r.name == "sum").pattern.search("两项合在一块")
