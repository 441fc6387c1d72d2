"""HTML from jinja2 templates with autoescape: a value from a question or a document is escaped by the
template engine, never by hand.

Why compacted: the chat's messages go through Gradio's Markdown, which would re-read an indented or
multi-line fragment as code or paragraphs. Each template is squeezed to one line when it is loaded: a
line break between two tags (or template blocks) disappears, any other becomes one space (words and
attributes stay apart). A value's own newlines become <br> when it is printed.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

FOLDER = Path(__file__).with_name("templates")


class _OneLine(FileSystemLoader):
    """Templates as one line (see the module note)."""

    def get_source(self, environment, template):  # type: ignore[no-untyped-def]
        source, filename, uptodate = super().get_source(environment, template)
        return one_line(source), filename, uptodate


def one_line(source: str) -> str:
    """A line break with its indentation: nothing between tags or blocks (`>`/`}` then `<`/`{`), else a
    space."""

    def join(m: re.Match) -> str:
        before, after = source[m.start() - 1:m.start()], source[m.end():m.end() + 1]
        return "" if (before in (">", "}") and after in ("<", "{")) or not before or not after else " "

    return re.sub(r"[ \t]*\n[ \t]*", join, source).strip()


def _finalize(value: object) -> object:
    """Every printed value escaped (autoescape) with its newlines as <br>; markup made here passes."""
    if isinstance(value, Markup):
        return value
    return escape("" if value is None else str(value)).replace("\r", "").replace("\n", Markup("<br>"))


ENV = Environment(loader=_OneLine(str(FOLDER)), autoescape=True, finalize=_finalize,
                  undefined=StrictUndefined, keep_trailing_newline=False)


def render(template: str, /, **values: object) -> str:
    """The template (a file under app/web/templates) filled with `values`, as one line of HTML."""
    return str(ENV.get_template(template).render(**values))
