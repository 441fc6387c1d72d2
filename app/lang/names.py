"""How Chinese institution names are built and shortened: a model, not a list of institutions.

Why: each new city's first contact found an institution type a list did not have. A stored name is places
and a core; the core is words of a few kinds — content words, generic words (管理, 事务 …), function words
(和), a parent institution (公安局 of 公安局交通管理局) and an ending (局, 委员会 …). People shorten a name
by keeping the place and picking characters in order: the first character of kept words, whole short words,
dropping generic and function words and the parent (公安局交通管理局 → 交管局, 福利彩票发行中心 → 福彩中心,
人力资源和社会保障局 → 人社局). ``align`` scores a question's phrase against a core by that alignment; the
English side maps a question's words to the Chinese words they translate (lexicon.tsv), whatever the order.
The word kinds are data (names.toml); this module only knows how names are put together.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pypinyin import lazy_pinyin

from ingest.labels import longest_first
from ingest.tokens import words as jieba_words

DATA = Path(__file__).with_name("names.toml")
LEXICON = Path(__file__).with_name("lexicon.tsv")

# What each way of saying a word costs (an alignment above MAX_COST is no match).
WHOLE, INITIAL, PREFIX, SHORT_ENDING = 0.0, 0.05, 0.1, 0.05
DROP = {"function": 0.0, "generic": 0.1, "ending": 0.1, "content": 0.3}
LAST_PART_DROP = 0.5  # 城市管理和综合执法局 → 城管局: the words after 和 left out
BARE = 0.3  # 广州民政: the ending left out (only right after the place)
VARIANT = 0.1  # 交警局 for 交通管理局: another spelling
MAX_COST = 1.2
TIE = 0.15  # two departments this close are asked back, never chosen between


@dataclass(frozen=True)
class Words:
    """names.toml and lexicon.tsv, checked and loaded once."""

    endings: dict[str, tuple[str, ...]]  # an ending → the short endings people say for it
    naming_endings: tuple[str, ...]
    generic: frozenset[str]
    function: frozenset[str]
    organ_drop: tuple[str, ...]
    organ_keep: dict[str, str]
    party: str
    variants: dict[str, tuple[str, ...]]
    county: tuple[str, ...]
    levels: str
    zones: dict[str, tuple[str, ...]]
    place_english: dict[str, tuple[str, ...]]
    not_after_bare: tuple[str, ...]
    leads: tuple[str, ...]
    not_names: tuple[str, ...]
    en_inside: frozenset[str]
    en_loose: frozenset[str]
    lexicon: dict[str, tuple[str, ...]]  # Chinese (no spaces) → English forms, lower case
    pieces: frozenset[str]  # the words a core is cut into
    ending_forms: frozenset[str]  # every ending and short ending
    units: dict[str, tuple[str, ...]]  # how a row and a phrase naming a budget unit end



@cache
def load() -> Words:
    with DATA.open("rb") as fh:
        data = tomllib.load(fh)
    lexicon: dict[str, tuple[str, ...]] = {}
    pieces: set[str] = set()
    with LEXICON.open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for row in rows:
            zh = row["zh"].strip()
            pieces |= set(zh.split())
            en = tuple(e.strip().lower() for e in (row["en"] or "").split("|") if e.strip())
            lexicon[zh.replace(" ", "")] = tuple(dict.fromkeys([*lexicon.get(zh.replace(" ", ""), ()), *en]))
    words, places, question, english = data["words"], data["places"], data["question"], data["english"]
    endings = {k: tuple(v) for k, v in data["endings"].items()}
    pieces |= set(endings) | set(words["generic"]) | set(words["function"])
    return Words(
        endings=endings, naming_endings=tuple(question["naming_endings"]),
        generic=frozenset(words["generic"]), function=frozenset(words["function"]),
        organ_drop=tuple(words["organ_drop"]), organ_keep=dict(words["organ_keep"]), party=words["party"],
        variants={k: tuple(v) for k, v in data["variants"].items()},
        county=tuple(places["county"]), levels="".join(places["levels"]),
        zones={k: tuple(v) for k, v in places["zones"].items()},
        place_english={k: tuple(v) for k, v in places["english"].items()},
        not_after_bare=tuple(sorted(question["not_after_bare"], key=longest_first)),
        leads=tuple(question["leads"]), not_names=tuple(question["not_names"]),
        en_inside=frozenset(english["inside"]), en_loose=frozenset(english["loose"]),
        lexicon=lexicon, pieces=frozenset(pieces),
        ending_forms=frozenset(endings) | {s for v in endings.values() for s in v},
        units={k: tuple(v) for k, v in data["units"].items()})


# ---- Chinese: a core as words ---------------------------------------------------------------------------


def cut(text: str) -> list[str]:
    """The core's words: the lexicon's words where they fit (fewest words), jieba for the rest."""
    known = load().pieces
    longest = max(map(len, known))
    best: list[tuple[float, list[tuple[str, bool]]] | None] = [(0.0, [])] + [None] * len(text)
    for i in range(len(text)):
        here = best[i]
        if here is None:
            continue
        for n in range(1, min(longest, len(text) - i) + 1):
            w = text[i:i + n]
            if n > 1 and w not in known:
                continue
            cost = here[0] + (1.0 if w in known else 1.6)
            there = best[i + n]
            if there is None or cost < there[0]:
                best[i + n] = (cost, [*here[1], (w, w in known)])
    out: list[str] = []
    unknown = ""
    for w, ok in (best[-1] or (0.0, []))[1]:
        if ok:
            out += jieba_words(unknown) if unknown else []
            unknown = ""
            out.append(w)
        else:
            unknown += w
    return out + (jieba_words(unknown) if unknown else [])


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str  # content | generic | function | ending (an ending inside the name: 局 of 公安局)
    part: int  # -1: the parent institution; 0, 1 …: the conjuncts of the core's own words (和 between)


@dataclass(frozen=True)
class Form:
    """One spelling of a core, cut into words; ``ending`` is its last word ("" when it has none).

    The rules of saying it shorter are precomputed: ``need`` are the parts that must keep a character (each
    conjunct with a content word; the parent only when the core has no content word of its own), ``counts``
    which words keep their part when a character of them is said, ``drop_from`` the word where a last
    conjunct that may go unsaid starts (-1: none)."""

    pieces: tuple[Piece, ...]
    ending: str
    cost: float = 0.0
    need: frozenset[int] = frozenset()
    counts: tuple[bool, ...] = ()
    drop_from: int = -1

    @property
    def body(self) -> tuple[Piece, ...]:
        return self.pieces[:-1] if self.ending else self.pieces

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    @property
    def own_content(self) -> bool:
        return any(p.kind == "content" and p.part >= 0 for p in self.body)


def _rules(pieces: tuple[Piece, ...], ending: str, cost: float) -> Form:
    body = pieces[:-1] if ending else pieces
    own = any(p.kind == "content" and p.part >= 0 for p in body)
    with_content = {p.part for p in body if p.kind == "content"}
    need = {p.part for p in body if p.part >= 0 and p.part in with_content}
    if not own and any(p.part < 0 for p in body):
        need.add(-1)
    counts = tuple(p.kind == "content" or (p.kind != "function" and p.part not in with_content) for p in body)
    last = max((p.part for p in body), default=0)
    first = next((k for k, p in enumerate(body) if p.part == last), -1)
    drop_from = first if last in need and len(need - {-1}) >= 2 else -1
    return Form(pieces, ending, cost, frozenset(need), counts, drop_from)


def _kind(word: str) -> str:
    data = load()
    if word in data.function:
        return "function"
    if word in data.generic:
        return "generic"
    if word in data.endings or (len(word) == 2 and word.endswith(data.party)):
        return "ending"
    return "content"


def ending_of(core: str, words: list[str]) -> int:
    """How many of the core's last words make its ending (人民 政府 → 2), 0 if it has none."""
    for end in sorted(load().endings, key=longest_first):
        if not core.endswith(end):
            continue
        joined = ""
        for n in range(1, len(words) + 1):
            joined = words[-n] + joined
            if joined == end:
                return n
            if len(joined) >= len(end):
                break
    return 0


def form_of(core: str, cost: float = 0.0) -> Form:
    """The core cut into words with their kinds: 公安局交通管理局 → 公安 局 | 交通 管理 | 局."""
    words = cut(core)
    n_end = ending_of(core, words)
    body, ending = words[: len(words) - n_end], "".join(words[len(words) - n_end:])
    parent = max((i for i, w in enumerate(body) if _kind(w) == "ending"), default=-1)
    pieces: list[Piece] = []
    part = 0
    for i, w in enumerate(body):
        kind = _kind(w)
        pieces.append(Piece(w, kind, -1 if i <= parent else part))
        if kind == "function" and i > parent:
            part += 1
    if ending:
        pieces.append(Piece(ending, "ending", part))
    return _rules(tuple(pieces), ending, cost)


@cache
def forms_of(core: str) -> tuple[Form, ...]:
    """The core and its other spellings (names.toml variants: 交通管理 → 交通警察)."""
    out = [form_of(core)]
    for stretch, others in load().variants.items():
        if stretch in core:
            out += [form_of(core.replace(stretch, o), VARIANT) for o in others]
    return tuple(out)


# ---- Chinese: aligning a phrase with a core ---------------------------------------------------------------


def _ways(piece: Piece) -> list[tuple[str, float]]:
    """How a word may be said in a short form, with what it costs."""
    t = piece.text
    ways = [(t, WHOLE), ("", DROP[piece.kind])]
    if piece.kind == "ending":
        return ways + [(s, SHORT_ENDING) for s in load().endings.get(t, ())]
    if piece.kind != "function" and len(t) >= 2:
        ways.append((t[0], INITIAL))
    if piece.kind == "content":
        ways += [(t[:n], PREFIX) for n in range(2, len(t))]
    return ways


def _close(states: dict[tuple[int, bool], float], part: int, form: Form) -> dict[tuple[int, bool], float]:
    """A part ends: it kept a character that counts, or (unless it may go unsaid) there is no match."""
    out: dict[tuple[int, bool], float] = {}
    for (i, kept), c in states.items():
        if (kept or part not in form.need) and c < out.get((i, False), MAX_COST + 1):
            out[(i, False)] = c
    return out


def _step(text: str, piece: Piece, counts: bool, states: dict[tuple[int, bool], float],
          bare: bool = False) -> dict[tuple[int, bool], float]:
    """Every way of saying one more word after the phrase so far (said bare, no content word is left out)."""
    nxt: dict[tuple[int, bool], float] = {}
    for (i, kept), c in states.items():
        for said, cost in _ways(piece):
            if not said and bare and piece.kind == "content" and piece.part >= 0:
                continue
            if said and not text.startswith(said, i):
                continue
            key = (i + len(said), kept or (bool(said) and counts))
            if c + cost <= MAX_COST and c + cost < nxt.get(key, MAX_COST + 1):
                nxt[key] = c + cost
    return nxt


def _body_cost(text: str, form: Form, bare: bool) -> float | None:
    """The cheapest way ``text`` says the core's words before its ending, in order; None if it cannot."""
    body = form.body
    at: list[dict[tuple[int, bool], float]] = [{} for _ in range(len(body) + 1)]
    at[0] = {(0, False): form.cost}
    for k, piece in enumerate(body):
        if not at[k]:
            continue
        if k == form.drop_from and not bare:  # the last conjunct unsaid: 城市管理和综合执法局 → 城管局
            for (i, _), c in at[k].items():
                if c + LAST_PART_DROP < at[-1].get((i, False), MAX_COST + 1):
                    at[-1][(i, False)] = c + LAST_PART_DROP
        nxt = _step(text, piece, form.counts[k], at[k], bare)
        if k + 1 == len(body) or body[k + 1].part != piece.part:
            nxt = _close(nxt, piece.part, form)
        for key, c in nxt.items():
            if c < at[k + 1].get(key, MAX_COST + 1):
                at[k + 1][key] = c
    done = [c for (i, _), c in at[-1].items() if i == len(text)]
    return min(done) if done else None


def align(phrase: str, form: Form, bare: bool = False) -> float | None:
    """What saying ``phrase`` for this core costs (0: the core itself), None if it cannot stand for it.

    The phrase must end with the core's ending or one of its short forms (交管局 ends with 局, 卫健委 with the
    委 of 委员会); ``bare`` reads a phrase said without its ending (广州民政, 深圳交警)."""
    if bare:
        c = _body_cost(phrase, form, True)
        return None if c is None or not phrase else c + BARE
    if not form.ending:
        return form.cost if phrase == form.text else None
    best: float | None = None
    for end, cost in [(form.ending, 0.0), *((s, SHORT_ENDING) for s in load().endings.get(form.ending, ()))]:
        if not phrase.endswith(end):
            continue
        c = _body_cost(phrase[: len(phrase) - len(end)], form, False)
        if c is not None and (best is None or c + cost < best):
            best = c + cost
    return best


def score(phrase: str, forms: tuple[Form, ...], bare: bool = False) -> float | None:
    """The best alignment of a phrase with any spelling of a core."""
    costs = [c for f in forms for c in [align(phrase, f, bare)] if c is not None]
    return min(costs) if costs else None


@cache
def short_forms(core: str, limit: int = 120) -> tuple[str, ...]:
    """The usual short forms of a core, cheapest first: 公安局交通管理局 → 交通管理局, 交通局, 交管局 …

    Two ways people shorten, each a valid ``align`` reading: whole words with generic words, function words
    and the parent left out (退役军人局, 口岸办公室), or first characters (交管局, 人社局, 发改委)."""
    found: dict[str, float] = {}
    for form in forms_of(core):
        ends = [(form.ending, 0.0), *((s, SHORT_ENDING) for s in load().endings.get(form.ending, ()))]
        for said in _spellings(form):
            for end, _ in ends:
                phrase = said + end
                cost = align(phrase, form) if len(phrase) >= 2 else None
                if cost is not None and cost < found.get(phrase, MAX_COST + 1):
                    found[phrase] = cost
    return tuple(sorted(found, key=lambda p: (found[p], -len(p), p))[:limit])


def _spellings(form: Form) -> set[str]:
    """The body said the ways people shorten: the parent whole or not at all; in each conjunct its content
    words all whole, or by first characters, some left out (人社局, 住建局); generic and function words
    whole, by first character or not at all (市场监管局, 市监局)."""
    parent = "".join(p.text for p in form.body if p.part < 0)
    out = {"", parent}
    for part in sorted({p.part for p in form.body if p.part >= 0}):
        said: set[str] = set()
        for initials in (False, True):
            forms = {("", False)}
            for p in (p for p in form.body if p.part == part):
                if p.kind == "content":
                    ways = [("", False), (p.text[:1], True)] if initials else [(p.text, True)]
                elif p.kind == "ending":
                    ways = [("", False), (p.text, False)]
                else:
                    ways = [(w, False) for w in dict.fromkeys(["", p.text[:1], p.text])]
                forms = {(f + w, kept or k) for f, kept in forms for w, k in ways}
            said |= {f for f, kept in forms if kept or not any(p.kind == "content" and p.part == part
                                                               for p in form.body)}
        if form.drop_from >= 0 and part == form.body[form.drop_from].part:
            said.add("")  # 城管局: the last conjunct unsaid
        out = {o + x for o in out for x in said}
        if len(out) > 5000:
            out = set(sorted(out, key=len)[:5000])
    return out


def words_of(form: Form) -> list[str]:
    """The core cut into lexicon words, longest first (for English: 社会保险事业管理局 is one name)."""
    lex = load().lexicon
    text = form.text
    best: list[tuple[int, list[str]] | None] = [(0, [])] + [None] * len(text)
    for i in range(len(text)):
        here = best[i]
        if here is None:
            continue
        for n in range(1, len(text) - i + 1):
            w = text[i:i + n]
            if w not in lex and n > 1:
                continue
            there = best[i + n]
            if there is None or here[0] + 1 < there[0]:
                best[i + n] = (here[0] + 1, [*here[1], w])
    return (best[-1] or (0, []))[1]


# ---- English ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def en_tokens(text: str) -> list[tuple[str, int, int]]:
    """English words, lower case, with where they are: "Xi'an's" → xian, "people's" → people."""
    out = []
    for m in _TOKEN.finditer(text):
        w = m.group().lower().replace("’", "'")
        end = m.end() - 2 if w.endswith("'s") else m.end()  # the name ends before its 's
        w = w[:-2] if w.endswith("'s") else w
        out.append((w.replace("'", ""), m.start(), end))
    return out


def en_key(phrase: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in en_tokens(phrase.replace("-", " ")))


@cache
def english_lexicon() -> dict[tuple[str, ...], frozenset[str]]:
    """English words → the Chinese words they translate (office → 办公室, 办, 办事处 …)."""
    out: dict[tuple[str, ...], set[str]] = {}
    for zh, ens in load().lexicon.items():
        spelled = ("".join(lazy_pinyin(zh)),) if len(zh) >= 2 else ()  # Jiaotong, Xinfang: names in pinyin
        for en in (*ens, *spelled):
            key = en_key(en)
            if key:
                out.setdefault(key, set()).add(zh)
    return {k: frozenset(v) for k, v in out.items()}


def english_name(places: list[str], form: Form) -> str:
    """The department's name in English from its words: 上海市海洋监测预报中心 → Shanghai Marine Monitoring …

    A unit's parent is named before it (Emergency Management Bureau Law Enforcement Corps) unless its name
    already says it (交通管理局 is the Traffic Police Bureau of a 公安局) or the parent is only a government or a
    party committee (口岸办公室 of the 人民政府: the Port Office)."""
    own = [p for p in form.pieces if p.part >= 0]
    if not any(p.kind == "content" for p in own):
        own = list(form.pieces)
    text = _english_of(own)
    parent = [p for p in form.pieces if p.part < 0]
    lex = load().lexicon
    said = {e for p in parent if p.kind == "content" for e in lex.get(p.text, ())}
    if parent and own != list(form.pieces) and said and not any(e in text for e in said):
        text = f"{_english_of(parent)} {text}"
    return " ".join([*places[-1:], title(text)]).strip() if text else ""


def _english_of(pieces: list[Piece]) -> str:
    lex = load().lexicon
    words = [lex.get(w, ("",))[0] for w in words_of(Form(tuple(pieces), ""))]
    return " ".join(w for w in words if w)


def title(phrase: str) -> str:
    """"women's federation" → "Women's Federation" (str.title would write Women'S and And); cppcc → CPPCC."""
    small = {"and", "of", "for", "the"}
    upper = {"cppcc", "npc", "sasac", "hr", "it", "ip", "cpc"}
    return " ".join(w.upper() if w in upper else w if w in small and i else w[:1].upper() + w[1:]
                    for i, w in enumerate(phrase.split()))
