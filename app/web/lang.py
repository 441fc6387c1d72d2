"""The language switch's updates for every labelled part of the page: tabs, labels, buttons, placeholders.

Why a register: a component is listed once, with the properties that carry words, so switching language
updates all of them in one response; a label added to the page without an entry here stays untranslated,
and `tests/test_browser_chat.py` looks for Chinese left on the English page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from app.web.text import t

Words = Callable[[str], str]  # a text computed from the language ("zh" / "en")


@dataclass
class Labels:
    """Components and, per component, the properties that carry words: a TEXT key or a function of
    the language."""

    entries: list[tuple[Any, dict[str, str | Words]]] = field(default_factory=list)

    def add(self, component: Any, **props: str | Words) -> Any:
        self.entries.append((component, props))
        return component

    @property
    def components(self) -> list[Any]:
        return [c for c, _ in self.entries]

    def updates(self, lang: str) -> list[dict]:
        """One update per registered component, every property in `lang`."""
        lang = "en" if lang == "en" else "zh"
        out = []
        for _, props in self.entries:
            words = {k: (v(lang) if callable(v) else t(v, lang)) for k, v in props.items()}
            out.append(gr.update(**words))
        return out
