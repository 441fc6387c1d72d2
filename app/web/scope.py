"""The page's scope: which documents the chat and the overview use, shown in the chat with a way out.

Why shown in the chat: the scope is chosen above the tabs (often on the Overview) and silently limited
every answer; now the chat says which documents it answers from, offers to clear the scope, and a
question about a department outside it says so and offers to ask it of all documents instead.
"""

from __future__ import annotations

import re

from app.pipeline.answer import Answer
from app.web.messages import Outside
from app.web.reading import permalink, standalone
from app.web.templates import render
from app.web.text import OUTSIDE_WORDS, doc_name, t
from ingest.model import Document

ALL = ""  # the scope selector's value for "all documents"


def doc_label(doc: Document) -> str:
    year = f"{doc.year}" if doc.year else "?"
    return f"{doc.department} · {year} · {doc.kind}"


def scope_choices(docs: list[Document], lang: str = "", english=None) -> list[tuple[str, str]]:
    """The scope options; bilingual until a language is chosen, then in that language."""
    if lang not in ("zh", "en"):
        return [("全部文件 All documents", ALL)] + [(doc_label(d), d.id) for d in docs]
    name = english or (lambda _: "")
    return [(t("all_docs", lang), ALL)] + [(doc_name(d, name(d.department), lang), d.id) for d in docs]


def parse_scope(scope: str | None) -> list[str] | None:
    """"" → all documents; otherwise ids or file names separated by commas or spaces."""
    parts = [p for p in re.split(r"[,\s，]+", scope or "") if p]
    return parts or None


def scoped(docs: list[Document], ids: list[str] | None) -> list[Document]:
    """The documents a scope names (by id, file name or an 8-character id prefix, as the engine reads it)."""
    wanted = set(ids or [])
    return [d for d in docs if d.id in wanted or d.source_key in wanted or d.id[:8] in wanted]


def scope_note(names: list[str], lang: str) -> str:
    """The chat's line saying the scope is active ("" when it is not)."""
    if not names:
        return ""
    return render("scope_note.html", text=t("scope_active", lang).format(names="；".join(names)))


def outside(scoped_answer: Answer, wide: Answer, inside: list[Document], names: list[str],
            lang: str) -> Outside | None:
    """A scoped question the scope cannot answer but all documents can: it names what it is about."""
    if scoped_answer.status == "answered" or wide.status not in ("answered", "ambiguous"):
        return None
    inside_ids = {d.id for d in inside}
    cited = {c.document_id for c in wide.citations}
    if cited and cited <= inside_ids:
        return None
    held = {d.department for d in inside}
    about = [d for d in (wide.reading or {}).get("department") or [] if d not in held] or \
        list(dict.fromkeys(c.department for c in wide.citations if c.department not in held))
    zh_text, en_text = OUTSIDE_WORDS["named" if about else "none"]
    sep = ", " if lang == "en" else "、"
    text = (en_text if lang == "en" else zh_text).format(names=sep.join(about), scope="；".join(names))
    alone = standalone(wide)
    return Outside(text, alone, permalink(alone))
