"""What an operation computed, with no prose: the figure, its formula, citations and the phrases saying it.

An operation decides what an answer says — which template keys (app/pipeline/answers.toml) with which
documents, items and figures — and app/pipeline/render.py decides how that reads in the question's
language. Keeping prose out of the operations lets one wording change (or a new language) touch only data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType

from app.pipeline.answer import Citation
from ingest.model import Document


@dataclass(frozen=True)
class Column:
    """A column header as an answer names it: as printed in Chinese, part by part in English
    (render.column_name)."""

    text: str


@dataclass(frozen=True)
class Item:
    """A row label as an answer names it: printed as is in Chinese, glossed in English (render.item_name)."""

    label: str


@dataclass(frozen=True)
class Phrase:
    """One use of a template: its key in app/pipeline/answers.toml and the values of its placeholders."""

    key: str
    params: Mapping[str, object]


def say(key: str, **params: object) -> Phrase:
    """A phrase; keyword arguments only, so tests can check each call against its template."""
    return Phrase(key, MappingProxyType(params))


@dataclass(frozen=True)
class Result:
    """An answer before it has words: status, phrases in order, the figure and where it came from."""

    status: str  # answered | not_found | ambiguous
    phrases: tuple[Phrase, ...]
    value: Decimal | None = None
    unit: str = ""
    formula: str | None = None
    citations: tuple[Citation, ...] = ()
    candidates: tuple[str | Document, ...] = ()  # items to choose from, or documents (named by render)

    def plus(self, *phrases: Phrase, citations: tuple[Citation, ...] = ()) -> Result:
        """The same result with an aside and its citations added at the end."""
        return replace(self, phrases=self.phrases + phrases, citations=self.citations + citations)


def refusal(*phrases: Phrase, candidates: tuple[str | Document, ...] = ()) -> Result:
    """No figure: the phrases say why, the candidates what could be asked instead."""
    return Result("not_found", phrases, candidates=candidates)
