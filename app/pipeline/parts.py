"""Parts asked of a whole: "其中买服务的采购预算", "买服务的钱比买货物的多多少", "how much of it is for services".

A whole the question links (政府采购) whose glossary names its parts by kind (政府采购货物 / 工程 / 服务) is asked
for a part when the question names that kind; the part is then the row the narrative states for it (its own
"其中" statement, ingest/statements.py), and the whole is never the answer for a part: a part the document
does not state is not disclosed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.pipeline.context import Ctx, Subject
from app.pipeline.factview import FactPool
from ingest.glossary import Glossary, Term

_EN_STOP = {"of", "the", "and", "for", "on", "in", "to", "a", "an", "from", "with", "by", "under", "other",
            "than"}
_SHARE_OPS = ("share", "ratio")  # a part's share is of its whole: both are operands


@lru_cache(maxsize=256)
def kinds_of(glossary: Glossary, whole: Term) -> tuple[tuple[str, Term], ...]:
    """The parts the glossary names by the whole's name and a kind: (kind, part term), longest kind first. A
    whole is divided into kinds when it has two or more (政府采购: 货物, 工程, 服务); one longer name alone
    (财政拨款 → 财政拨款支出) is another item, not a part."""
    out = [(t.zh[len(whole.zh):], t) for t in glossary.terms(whole.kind)
           if t.zh.startswith(whole.zh) and len(t.zh) - len(whole.zh) >= 2]
    return tuple(sorted(out, key=lambda kt: -len(kt[0]))) if len(out) >= 2 else ()


def _stem(word: str) -> str:
    return re.sub(r"(ies|es|s)$", "", word.lower())


def _english_kinds(whole: Term, part: Term) -> list[str]:
    """"procurement of services" against "government procurement": services (a word of the whole's own names,
    in any number, is no kind: "appropriation expenditure" is no part of "fiscal appropriations")."""
    own = {_stem(w) for name in (whole.en, *whole.synonyms_en) for w in name.split()}
    return sorted({w for name in (part.en, *part.synonyms_en) for w in name.lower().split()
                   if _stem(w) not in own and w not in _EN_STOP and len(w) >= 4})


def _named_at(ctx: Ctx, whole: Subject, kind: str, part: Term) -> int:
    """Where the question names the kind, outside the words that named the whole (-1 when it does not)."""
    text = ctx.q.norm
    spans = [(m.start, m.end) for m in ctx.q.terms]
    if ctx.q.zh:
        hits = [m.start() for m in re.finditer(re.escape(kind), text)]
    else:
        hits = [m.start() for w in _english_kinds(whole.term, part)
                for m in re.finditer(rf"\b{re.escape(_stem(w))}", text, re.I)]
    return next((at for at in hits if not any(a <= at < b for a, b in spans)), -1)


def parts_asked(glossary: Glossary, ctx: Ctx, facts: FactPool, found: list[Subject],
                debug: dict) -> list[Subject]:
    """Each whole the question names a part of, replaced by that part's row (or by the part, not disclosed);
    a share keeps the whole as the second operand."""
    out: list[Subject] = []
    for x in found:
        parts = _parts(glossary, ctx, facts, x) if x.label and x.term is not None else []
        if not parts:
            out.append(x)
            continue
        debug["parts"] = [p.label or p.surface for p in parts]
        out += parts
        if ctx.q.operation in _SHARE_OPS and len(parts) == 1:
            out.append(x)
    return out


def _parts(glossary: Glossary, ctx: Ctx, facts: FactPool, whole: Subject) -> list[Subject]:
    named = []
    for kind, part in kinds_of(glossary, whole.term):
        at = _named_at(ctx, whole, kind, part)
        if at >= 0 and all(not (p.start <= at < p.start + len(p.surface)) for p in named):
            named.append(_part_row(facts, part, kind, at))
    return sorted(named, key=lambda s: s.start)


def _part_row(facts: FactPool, part: Term, kind: str, at: int) -> Subject:
    names = [part.zh, *part.synonyms_zh]
    stated = [f.label for f in facts.labelled(*names) if f.value is not None and f.measure == "amount"]
    if stated:
        return Subject(stated[0], kind, part, via="part", start=at)
    return Subject("", kind, part, via="unknown", start=at)  # a part not stated: never its whole's figure
