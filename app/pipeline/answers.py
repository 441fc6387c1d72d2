"""Answer and refusal wording, loaded from app/pipeline/answers.toml.

Operations decide what an answer says (a Result of Phrases, app/pipeline/result.py); how it reads in
Chinese and English is data, so a rewording is a line in the TOML, not a code change. This module only
reads and checks the file; app/pipeline/render.py fills the templates (docs/vocabulary.md says where each
kind of change goes).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

DEFAULT_PATH = Path(__file__).with_name("answers.toml")
LANGS = ("zh", "en")


class AnswersError(ValueError):
    """The data file lacks a language for a key, holds another field, or a template that does not parse."""


@dataclass(frozen=True)
class Template:
    """One wording in both languages, with ``str.format`` placeholders filled by app/pipeline/render.py."""

    key: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def fields(text: str) -> frozenset[str]:
    """The placeholder names a template uses ("{doc}：{value:num}" → doc, value)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def parse(data: dict, prefix: str = "") -> dict[str, Template]:
    """Flatten dotted TOML tables ([lookup.table]) into keys; raises AnswersError naming the bad key."""
    out: dict[str, Template] = {}
    for name, node in data.items():
        key = f"{prefix}{name}"
        if not isinstance(node, dict):
            raise AnswersError(f"{key}: expected a table with zh and en")
        texts = {k: v for k, v in node.items() if not isinstance(v, dict)}
        if texts:
            if set(texts) != set(LANGS) or not all(isinstance(v, str) for v in texts.values()):
                raise AnswersError(f"{key}: needs exactly a zh and an en string, has {sorted(texts)}")
            for lang in LANGS:
                try:
                    fields(texts[lang])
                except ValueError as e:
                    raise AnswersError(f"{key}.{lang}: template does not parse: {e}") from e
            out[key] = Template(key, texts["zh"], texts["en"])
        out.update(parse({k: v for k, v in node.items() if isinstance(v, dict)}, f"{key}."))
    return out


def load(path: Path | str | None = None) -> Mapping[str, Template]:
    """Read and check a templates file (the shipped one by default, cached)."""
    if path is None:
        return _default()
    with open(path, "rb") as fh:
        return parse(tomllib.load(fh))


@lru_cache(maxsize=1)
def _default() -> Mapping[str, Template]:
    with open(DEFAULT_PATH, "rb") as fh:
        return MappingProxyType(parse(tomllib.load(fh)))  # read-only: every question shares it
