"""The chat's messages as HTML, and the chat's history read back as text.

Why templates: every string that comes from a question or a document reaches the page through
jinja2's autoescape (app/web/templates.py), one line per message, so Markdown never re-reads it. The
answer's own text is in the question's language; the words around it (sources, copy, link, report, how
the question was read) are in the page's language.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal

from app.pipeline.answer import Answer, Citation
from app.terminal import public_error
from app.web.format import fmt_amount
from app.web.reading import Reading, permalink, standalone
from app.web.share import plain_text
from app.web.source import source_link
from app.web.templates import render
from app.web.text import ANSWER_WORDS, page_lang, words
from app.web.units import gloss_en


@dataclass(frozen=True)
class Outside:
    """A scoped question that is about documents outside the scope: what to say and what to widen to."""

    text: str
    question: str
    href: str


def render_question(question: str) -> str:
    """The user's message as inert text."""
    return render("question.html", question=question)


def _citation(c: Citation, lang: str, back: str) -> dict:
    w = words(ANSWER_WORDS, lang)
    table = f"表{c.table} {c.table_title}" if c.table != "narrative" else w["narrative"]
    where = " ".join(x for x in (w["page"].format(n=c.page) if c.page else "",
                                 w["line"].format(n=c.line) if c.line else "") if x)
    value = fmt_amount(Decimal(c.value), c.unit) if c.value else ""
    parts = [p for p in (table, " / ".join(x for x in (c.row, c.column) if x), where, value) if p]
    href = source_link(c.document_id, c.page, c.line, c.row, column=c.column, value=c.value, lang=lang,
                       back=back)
    return {"document": c.document, "parts": parts, "href": href, "quote": c.text}


def render_answer(answer: Answer, lang: str | None = None, reading: Reading | None = None,
                  outside: Outside | None = None, scope: list[str] | None = None) -> str:
    """The answer, its figure, formula, sources (collapsed), how it was read and its tools, as one line."""
    lang = page_lang(lang or answer.lang)
    first = answer.citations[0] if answer.citations else None
    brief = "" if first is None else (
        f"表{first.table} {first.table_title}" if first.table != "narrative" else first.document)
    alone = standalone(answer)
    return render(
        "answer.html", w=words(ANSWER_WORDS, lang), outside=outside, reading=reading,
        text="" if outside else answer.answer,  # "no document in the scope" is not the whole truth
        figure=fmt_amount(answer.value, answer.unit) if answer.value is not None else "",
        gloss=gloss_en(answer.value, answer.unit) if answer.value is not None and lang == "en" else "",
        formula=answer.formula or "", candidates="；".join(answer.candidates),
        citations=[_citation(c, lang, alone) for c in answer.citations], brief=brief,
        answered=answer.status == "answered", permalink=permalink(alone, scope),
        plain=plain_text(answer).split("\n"))


def render_error(question: str, error: Exception) -> str:
    """The reason in words only: no class names, paths or reprs reach a visitor."""
    text = f"出错了，请换个问法。 Sorry, this question could not be answered ({public_error(error)})."
    return render("error.html", text=text)


def _content(turn: object) -> str:
    """A message's content as one string (Gradio 6 hands messages back as lists of text parts)."""
    content = turn.get("content") if isinstance(turn, dict) else None
    if isinstance(content, list):
        content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


def asked_before(history: list[dict]) -> list[str]:
    """The questions earlier in this chat, as typed (the chat keeps them rendered as inert text)."""
    out = []
    for turn in history or []:
        if isinstance(turn, dict) and turn.get("role") == "user":
            content = _content(turn)
            m = re.fullmatch(r'<div class="bq-q">(.*)</div>', content, re.S)
            out.append(html.unescape(m.group(1) if m else content))
    return out[:-1] if out else out  # the last one is the question being answered


def text_of(content: object) -> str:
    """A chat message's visible text without its tools (copy, link, report, open, ask again)."""
    raw = _content({"content": content}) if isinstance(content, list) else str(content or "")
    raw = re.sub(r"<br\s*/?>", "\n", raw)
    raw = re.sub(r'<a class="bq-[^"]*"[^>]*>.*?</a>|<span class="bq-plain">.*?</span>', "", raw)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw)).strip().rstrip("· ").strip()


def exchanges(history: list[dict]) -> list[tuple[str, str]]:
    """Every (question, answer) of the chat as text, in order; a question still waiting has answer ""."""
    out: list[tuple[str, str]] = []
    question = ""
    for turn in history or []:
        if not isinstance(turn, dict):
            continue
        if turn.get("role") == "user":
            question = text_of(turn.get("content"))
        elif turn.get("role") == "assistant":
            out.append((question, text_of(turn.get("content"))))
    return out


def exchange(history: list[dict], index: int | None = None) -> tuple[str, str]:
    """The `index`-th answered exchange (0 = first), else the latest; ("", "") when there is none."""
    found = exchanges(history)
    if not found:
        return "", ""
    if index is None or not 0 <= index < len(found):
        return found[-1]
    return found[index]


def last_exchange(history: list[dict]) -> tuple[str, str]:
    """The latest question and its answer, as text."""
    return exchange(history)
