"""English words of a question read as the words of institution names (app/lang/lexicon.tsv) and places
(the gazetteer's pinyin): runs of such words, whether a run names a body, and how well it names a core.

English word order differs from Chinese ("Bureau of Justice", "Shanghai's ocean monitoring and forecasting
centre"), so a run is scored by which of a core's words it translates, not by their order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from app.lang import names
from app.lang.names import Form

if TYPE_CHECKING:  # the catalog imports this module; a department's names are only read here
    from app.lang.departments import DepartmentNames


@dataclass(frozen=True)
class Item:
    """A word or phrase of the question read as a name word, a place, or a word allowed inside a name."""

    kind: str  # lex | place | inside
    zh: frozenset[str]  # the Chinese words (lex) or places (place) it stands for
    start: int
    end: int
    capital: bool = False
    words: str = ""  # the English, lower case


def match(toks: list[tuple[str, int, int]], i: int, lex: dict, places: dict,
          own: set[str]) -> tuple[tuple[str, frozenset[str]] | None, int]:
    """The longest lexicon word or place starting at token i (a plural read as its singular)."""
    for n in range(min(6, len(toks) - i), 0, -1):
        words = [t[0] for t in toks[i:i + n]]
        plural = words[-1].endswith("s") and len(words[-1]) >= 4
        for key in (tuple(words), tuple(words[:-1] + [words[-1][:-1]]) if plural else ()):
            if not key:
                continue
            phrase = " ".join(key)
            held = next((w for w in (phrase, phrase.replace(" ", "")) if w in own), "")
            if key in lex and not held and not (n == 1 and key[0] in names.load().en_inside):
                return ("lex", lex[key]), n  # a held place's words are its place ("development zone")
            if phrase in places or held:
                found = set(places.get(phrase, ())) | set(places.get(phrase.replace(" ", ""), ()))
                return ("place", frozenset(found or {held})), n
    return None, 0


def runs_of(items: list[Item | None], text: str) -> list[list[Item]]:
    """Stretches of name words (lexicon words and places, with "and", "of" … inside); punctuation ends one
    ("office, water, electricity")."""
    out: list[list[Item]] = []
    run: list[Item] = []
    for it in [*items, None]:
        gap = re.sub(r"['’]s\b", "", text[run[-1].end:it.start]) if run and it is not None else ""
        if it is not None and not re.search(r"[^\s'’-]", gap):
            run.append(it)
            continue
        while run and run[-1].kind == "inside":
            run.pop()
        while run and run[0].kind == "inside":
            run.pop(0)
        if run:
            out.append(run)
        run = [it] if it is not None else []
    return out


def names_a_body(run: list[Item], loose: bool = False, text: str = "") -> bool:
    """A stretch that names an institution: name words, then an ending ("petition office"), or an ending
    then "of" / "for" and name words ("Bureau of Justice", "Administration for Market Regulation").

    ``loose`` (a stretch to read as a held department): it ends there, and says more than the ending or
    its place; a place and name words also do ("Fuzhou civil affairs"). Otherwise (naming one the store may
    not hold) the ending may come anywhere after a name word, and the stretch needs a place or a capital."""
    lex = [it for it in run if it.kind == "lex"]
    placed = any(it.kind == "place" for it in run)
    ends = [i for i, it in enumerate(run) if is_ending(it)]
    linked = [i for i in ends if i + 1 < len(run) and run[i + 1].words in ("of", "for")]
    if loose:
        ordered = bool(ends) and (ends[-1] == len(run) - 1 or bool(linked))
        return bool(lex) and ((ordered and (len(lex) >= 2 or placed)) or (placed and not ends))
    ordered = bool(linked) or any(x.kind in ("lex", "place") for i in ends for x in run[:i])
    named = placed or any(text[it.start:it.start + 1].isupper() for it in lex)
    return ordered and (len(lex) >= 2 or placed) and named


def name_text(run: list[Item], text: str) -> str:
    """The words of a run that name the body: up to its last ending, unless "of"/"for" follows it
    ("Antu County Education Bureau" of "… Education Bureau's housing security")."""
    ends = [i for i, it in enumerate(run) if is_ending(it)]
    last = ends[-1] if ends and not (ends[-1] + 1 < len(run) and run[ends[-1] + 1].words in ("of", "for")) \
        else len(run) - 1
    return text[run[0].start:run[last].end]


def is_ending(it: Item) -> bool:
    """English words that name a kind of body: an ending, or a name ending with one (general office)."""
    ends = names.load().endings
    long = tuple(e for e in ends if len(e) >= 2)
    return it.kind == "lex" and any(k in ends or k.endswith(long) for k in it.zh)


def core_score(lex: list[Item], n: DepartmentNames) -> float | None:
    """The English words against a department's core: its ending said (or one of the same loose family,
    or the body whose office it is), and the share of its content they translate (best spelling)."""
    said = [it for it in lex if is_ending(it)]
    cost = 0.0
    if said and not any(ends_as(it, n) for it in said):
        if not any(loose_ending(it, n) or names_parent(it, n) for it in said):
            return None  # "Fuzhou Public Security Bureau" is not a detachment
        cost = 0.2  # "the Shenzhen petition office" (a 信访局); "the NPC standing committee" (its office)
    scores = [c for f in n.forms for c in [coverage(lex, f)] if c is not None]
    return max(scores) - cost if scores else None


def ends_as(it: Item, n: DepartmentNames) -> bool:
    """The English names the department's own ending (人民政府办公厅 ends as 办公厅 does)."""
    return any(k == e or (len(e) >= 2 and k.endswith(e)) for k in it.zh for e in n.endings)


def loose_ending(it: Item, n: DepartmentNames) -> bool:
    """An English ending of the same loose family as the department's (office, bureau, administration …)."""
    data = names.load()
    mine = {e for end in n.endings for e in data.lexicon.get(end, ())}
    return it.words in data.en_loose and bool(mine & data.en_loose)


def names_parent(it: Item, n: DepartmentNames) -> bool:
    """The English names the body whose office the department is (人大常委会 of 人大常委会办公厅)."""
    form = n.forms[0]
    parent = "".join(p.text for p in form.body if p.part < 0)
    return bool(parent) and not form.own_content and any(k in parent for k in it.zh)


def coverage(lex: list[Item], form: Form) -> float | None:
    """The share of a core's content the English words translate (its last conjunct may go unsaid:
    "Beijing's housing commission"), plus half the share of all its own words, less unexplained words."""
    data = names.load()
    covered: set[int] = set()
    cost = form.cost
    for it in lex:
        keys = [k for k in it.zh if k in form.text]
        if not keys:
            if is_ending(it) or it.zh <= set(data.organ_drop):
                continue  # the ending (checked by the caller), or 中共 of 中共广州市委宣传部
            if all(k in data.generic or k in data.function for k in it.zh):
                cost += 0.1
                continue
            return None  # a word of another institution
        for k in keys:
            for m in re.finditer(re.escape(k), form.text):
                covered |= set(range(m.start(), m.end()))
    parts = content_positions(form)
    content = set().union(*parts.values()) if parts else set()
    if not content or not covered & content:
        return None
    share = len(covered & content) / len(content)
    if form.drop_from >= 0:
        last = parts.get(form.body[form.drop_from].part, set())
        head = content - last
        if head and last and not covered & last:
            share = max(share, len(covered & head) / len(head) - 0.3)
    if share < 0.5:
        return None
    own = {i for i, k in positions(form) if form.body[k].part >= 0} or content
    return share + 0.5 * len(covered & own) / len(own) - cost


def positions(form: Form) -> list[tuple[int, int]]:
    """(character position, word index) for the core's words before its ending."""
    out, at = [], 0
    for k, p in enumerate(form.body):
        out += [(at + i, k) for i in range(len(p.text))]
        at += len(p.text)
    return out


def content_positions(form: Form) -> dict[int, set[int]]:
    """Where each needed part's content words are (the parent's when the core has none): what an English
    name must say, by part."""
    out: dict[int, set[int]] = {}
    for i, k in positions(form):
        p = form.body[k]
        if form.counts[k] and p.part in form.need:
            out.setdefault(p.part, set()).add(i)
    return out


@cache
def proper_name() -> re.Pattern[str]:
    """Capitalised words ending with an English institution ending: a named body."""
    data = names.load()
    ends = {e for zh in data.endings for e in data.lexicon.get(zh, ()) if " " not in e}
    alt = "|".join(sorted((e.capitalize() for e in ends), key=len, reverse=True))
    return re.compile(rf"\b(?:[A-Z][a-z]+(?:'s)?\s+){{2,7}}(?:{alt})\b")
