"""Which department a question names, linked against the departments the store holds.

Any department, not a list: a stored name is split into its places (上海市, 普陀区 …, from the gazetteer)
and a core, and the core is read by the name model (app/lang/names.py): a phrase of the question is scored
against every stored core by an in-order character alignment anchored on the place (深圳交管局 →
深圳市公安局交通管理局), English by which stored words its words translate ("Shanghai's ocean monitoring and
forecasting centre"). The best department above the threshold is linked; near ties are all linked, so the
question is asked back. A department or place the question names that the store does not hold is reported as
``unknown`` — never mapped to a neighbour with the same core (广州信访局 is never 深圳市信访局).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from app.lang import gazetteer, names
from app.lang import phrases_en as en
from app.lang import phrases_zh as zh
from app.lang.names import TIE, Form
from ingest.labels import longest_first
from ingest.model import Document

_CJK = re.compile(r"[\u4e00-\u9fff]")
_OWN_LEVEL = 0.2  # "市司法局": the city's bureau before a district's


def _leading_places(text: str) -> tuple[list[str], str]:
    gaz = gazetteer.load()
    places: list[str] = []
    while True:
        place = gaz.leading(text, after_place=bool(places))
        if place is None:
            return places, text
        places.append(place.name)
        text = text[len(place.name):]


def _with_organ(text: str, start: int, end: int) -> tuple[int, int]:
    """A name's span with the organ said before it (中共 of 中共正定县委组织部): the organ names no item."""
    before = next((w for w in names.load().organ_drop if text[:start].endswith(w)), "")
    return start - len(before), end


def _organ(name: str) -> tuple[str, str]:
    """(organ kept in the core, the rest): 中共 is dropped (its seat 省委 says it), 政协 is kept."""
    data = names.load()
    for prefix in sorted([*data.organ_drop, *data.organ_keep], key=longest_first):
        if name.startswith(prefix):
            return data.organ_keep.get(prefix, ""), name[len(prefix):]
    return "", name


def split_name(name: str, region: str = "") -> tuple[list[str], str]:
    """(places, core): 中共江苏省委办公厅 → (['江苏省'], '省委办公厅'); 上海市普陀区司法局 → (['上海市', '普陀区'], '司法局')."""
    data = names.load()
    organ, rest = _organ(re.sub(r"\s*[（(]\s*本级\s*[)）]\s*$", "", name.strip()))  # 无锡市教育局(本级): itself
    places, core = _leading_places(rest)
    if places and len(core) < 2:  # 北京市 alone names no body
        core = places.pop() + core
    council = tuple(e for e in data.endings if e.startswith(data.party) and e != data.party)  # 委员会
    if places and core.startswith(data.party) and not organ and not core.startswith(council):
        core = places[-1][-1] + core  # 中共江苏省委办公厅: the 省委's general office
    for place in _leading_places(region or "")[0]:
        if place not in places:
            places.append(place)
    return places, organ + core


@lru_cache(maxsize=8192)
def place_words(place: str) -> frozenset[str]:
    """杭州市 → {杭州市, 杭州, hangzhou}; 福州经济技术开发区 → also 福州经开区, 经开区, etdz, development zone."""
    data = names.load()
    words = {place}
    short = gazetteer.short_of(place)
    if short:
        words.add(short)
    for zone, shorts in data.zones.items():
        if place.endswith(zone) and len(place) > len(zone):
            head = place[: -len(zone)]
            words |= {head + s for s in shorts} | set(shorts) | set(data.lexicon.get(zone, ()))
            break
    words |= set(gazetteer.english(place))
    return frozenset(w for w in words if len(w) >= 2)


@dataclass(frozen=True)
class DepartmentNames:
    """Every way a stored department is named, in Chinese and English."""

    department: str
    places: tuple[str, ...]
    core: str
    place_words: frozenset[str]  # its places in Chinese and English: 上海市, 上海, shanghai, 普陀 …
    aliases: tuple[str, ...]  # Chinese short forms, with and without the place, longest first
    english_name: str
    forms: tuple[Form, ...] = ()
    around: frozenset[str] = frozenset()  # its places and those containing them (吉林, 延边 for 安图县)
    level: str = ""  # 市, 区, 县 or 省: what its last place is ("市司法局" is a city's bureau)
    chars: frozenset[str] = frozenset()  # every character a phrase naming its core may hold
    endings: frozenset[str] = frozenset()  # its ending and the short endings people say for it
    seat: frozenset[str] = frozenset()  # its own place (普陀区, 普陀): 上海市财政局 is not Putuo's
    seat_en: frozenset[str] = frozenset()  # the same in English (putuo; etdz, not fuzhou)

    @property
    def bare(self) -> str:
        """The core without its ending: 民政 of 民政局 (广州民政: no part of an item)."""
        form = self.forms[0] if self.forms else None
        return "".join(p.text for p in form.body) if form and form.ending else ""

    @classmethod
    def of(cls, department: str, region: str = "") -> DepartmentNames:
        return _names_of(department, region)

    @property
    def zh_places(self) -> list[str]:
        return sorted((w for w in self.place_words if _CJK.search(w)), key=longest_first)

    @property
    def zh_around(self) -> list[str]:
        return _zh_sorted(self.around)


@lru_cache(maxsize=8192)
def _names_of(department: str, region: str) -> DepartmentNames:
    data = names.load()
    places, core = split_name(department, region)
    pw: set[str] = set()
    for p in places:
        pw |= place_words(p)
    forms = names.forms_of(core)
    shorts = set(names.short_forms(core)) | {core}
    zh_places = [w for w in pw if _CJK.search(w)]
    bare_name = next((department[len(p):] for p in data.organ_drop if department.startswith(p)), department)
    aliases = {department, bare_name} | shorts | {w + s for w in zh_places for s in shorts}
    aliases = {a for a in aliases if len(a) >= 3 and a not in data.ending_forms}
    named = split_name(department)[0] or places
    seat = named[-1] if named else ""
    en_place = next((e for e in gazetteer.english(seat)), "") if seat else ""
    english = names.english_name([names.title(en_place)] if en_place else [], forms[0])
    endings = {e for f in forms if f.ending for e in (f.ending, *data.endings.get(f.ending, ()))}
    chars = {c for f in forms for c in f.text} | {c for e in endings for c in e}
    gaz = gazetteer.load()
    around = gaz.around([p if p in gaz.codes else gazetteer.short_of(p) or p for p in places])
    return DepartmentNames(department, tuple(places), core, frozenset(pw),
                           tuple(sorted(aliases, key=longest_first)), english, forms,
                           frozenset(around | pw), seat[-1] if seat and seat[-1] in data.levels else "",
                           frozenset(chars), frozenset(endings),
                           _seat_words(seat), _seat_english(seat))


@lru_cache(maxsize=8192)
def _zh_sorted(words: frozenset[str]) -> list[str]:
    return sorted((w for w in words if _CJK.search(w)), key=longest_first)


def _seat_english(seat: str) -> frozenset[str]:
    """The English of the department's own place; a zone's, without its city's (福州经开区: etdz)."""
    if not seat:
        return frozenset()
    words = {w for w in place_words(seat) if w.isascii()}
    if seat not in gazetteer.load().rows:
        words -= set(gazetteer.english(seat))
    return frozenset(words)


def _seat_words(seat: str) -> frozenset[str]:
    """How the department's own place is said (普陀区, 普陀; 福州经开区 — not 福州, the city containing it)."""
    gaz = gazetteer.load()
    mine = gaz.codes.get(seat, frozenset())
    return frozenset(w for w in place_words(seat)
                     if _CJK.search(w) and (w not in gaz.codes or gaz.codes[w] & mine))


@dataclass
class Linked:
    """What the question says about departments: the documents it names, what it named that is not held."""

    documents: list[Document] = field(default_factory=list)
    unknown: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)  # text consumed by naming the department


@dataclass(frozen=True)
class Hit:
    """A phrase of the question read as a department: where it is and what the reading cost."""

    department: str
    cost: float
    start: int
    end: int
    foreign: bool = False  # said with a place that is not the department's


_TWO_NAMES = re.compile(r"^(?P<first>.{4,}?)[（(](?P<second>[^（）()]{4,})[)）]$")


def two_names(department: str) -> tuple[str, ...]:
    """"上海市财务会计综合管理事务中心（上海市财政科学研究所）": one institution under two names, each said alone
    (a bracketed 本级 or a short note is no second name)."""
    m = _TWO_NAMES.match(department)
    return (m.group("first"), m.group("second")) if m else ()


class Catalog:
    """The departments the store holds, for linking question text to documents."""

    def __init__(self, documents: list[Document]):
        self.documents = documents
        self.names: dict[str, DepartmentNames] = {}
        self._alias: dict[str, str] = {}  # a department's other name → the department as stored
        for d in documents:
            if d.department and d.department not in self.names:
                self.names[d.department] = DepartmentNames.of(d.department, d.region)
                for alias in two_names(d.department):
                    if alias not in self.names:
                        self.names[alias] = DepartmentNames.of(alias, d.region)
                        self._alias[alias] = d.department
        self.all_places = set().union(*(n.place_words for n in self.names.values())) if self.names else set()
        self._by_core: dict[str, list[str]] = {}  # departments of one core (深圳市/广州市信访局) are read once
        self._by_ending: dict[str, set[str]] = {}
        for dep, n in self.names.items():
            self._by_core.setdefault(n.core, []).append(dep)
            for e in n.endings:
                self._by_ending.setdefault(e, set()).add(n.core)
        self._ending_lens = sorted({len(e) for e in self._by_ending}, reverse=True)
        self._zh_places = sorted((w for w in self.all_places if _CJK.search(w)), key=longest_first)
        self._places_by_last: dict[str, list[str]] = {}
        for w in self._zh_places:
            self._places_by_last.setdefault(w[-1], []).append(w)
        self._by_seat: dict[str, list[str]] = {}  # 广州 → the departments seated there
        self._by_level: dict[str, list[str]] = {}  # 市 → the departments of a city
        for dep, n in self.names.items():
            for w in sorted(n.seat, key=longest_first):
                self._by_seat.setdefault(w, []).append(dep)
            if n.level:
                self._by_level.setdefault(n.level, []).append(dep)

    def english_name(self, department: str) -> str:
        n = self.names.get(department)
        return n.english_name if n else ""

    def _docs(self, departments: set[str]) -> list[Document]:
        stored = {self._alias.get(x, x) for x in departments}
        return [d for d in self.documents if d.department in stored]

    def link(self, text: str) -> Linked:
        if _CJK.search(text):
            zh = self._link_zh(text)
            if zh.documents or zh.unknown or not re.search(r"[A-Za-z]{3,}", text):
                return zh
        return self._link_en(text)

    # ---- Chinese -------------------------------------------------------

    def _link_zh(self, text: str) -> Linked:
        found, foreign = self._named(text)
        if foreign:
            return Linked(unknown=foreign)
        found += self._bare(text, found)
        hits, unknown = self._choose(text, found)
        if unknown:
            return Linked(unknown=unknown)
        if hits:
            spans = [_with_organ(text, h.start, h.end) for h in hits]
            own = set().union(*(self.names[h.department].place_words for h in hits))
            for w in self._asked_places(text) | set(gazetteer.load().own(text, own)):  # 吉林 in 吉林安图社保局
                i = text.find(w)
                spans.append((i, i + len(w)))
            return Linked(self._docs({h.department for h in hits}), spans=spans)
        unknown = self._unknown_zh(text)
        if unknown:
            return Linked(unknown=unknown)
        asked = self._asked_places(text)
        if asked:  # "普陀区的预算": every department of that place
            places = {d for d, n in self.names.items() if asked & n.place_words}
            return Linked(self._docs(places), spans=[(text.find(w), text.find(w) + len(w)) for w in asked])
        return Linked()

    def _asked_places(self, text: str) -> set[str]:
        return {w for w in self._zh_places if w in text}

    def _named(self, text: str) -> tuple[list[Hit], str]:
        """Phrases that end with an institution ending and read as a stored department; a foreign place
        before one that no held department reads ("广州信访局" when Shenzhen's is held) is returned as not held."""
        hits: list[Hit] = []
        foreign: list[Hit] = []
        for j in range(1, len(text) + 1):
            cores: set[str] = set()
            for n in self._ending_lens:
                if n <= j and not zh.goes_on(text, j, n):
                    cores.update(self._by_ending.get(text[j - n:j], ()))
            for core in sorted(cores):
                starts = zh.phrases(text, j, core)
                for dep in self._by_core[core] if starts else ():
                    hit = self._at(text, j, starts, self.names[dep])
                    if hit:
                        (foreign if hit.foreign else hits).append(hit)
        for f in foreign:
            if not any(h.start < f.end and f.start < h.end for h in hits):
                return [], text[f.start:f.end]
        return hits, ""

    def _at(self, text: str, j: int, starts: list[tuple[int, float]], n: DepartmentNames) -> Hit | None:
        """The longest phrase ending at j that reads as the department, with the places said before it."""
        for s, cost in starts:
            start, bonus, foreign = self._places_before(text, s, n)
            if start == s and not bonus and zh.tail(text, s, j):
                continue  # 重庆市财|政局, 上海市规划|资源局, 安图县人|社局: the tail of another name
            return Hit(n.department, cost - bonus, start, j, bool(foreign))
        return None

    def _places_before(self, text: str, s: int, n: DepartmentNames) -> tuple[int, float, str]:
        """Where the department's own places said before ``s`` start, the bonus for a level said with it
        (市司法局), and a foreign place said there instead ("" if none): another place, or a place containing
        the department's said without its own (上海市财政局 is not 上海市普陀区财政局)."""
        own = n.zh_around
        p = zh.strip_places(text, s, own)
        foreign = zh.place_ending_at(text, p, self._places_by_last)
        if foreign and foreign not in n.around:
            return p - len(foreign), 0.0, foreign
        if p < s and n.seat and not any(w in text[p:s] for w in n.seat):
            return p, 0.0, text[p:s]
        if p == s and p > 0 and text[p - 1] == n.level:  # 市司法局: the city's own
            return zh.strip_places(text, p - 1, own), _OWN_LEVEL, ""
        return p, 0.0, ""

    def _bare(self, text: str, found: list[Hit]) -> list[Hit]:
        """A department said without its ending, right after its place or its level (广州民政今年…,
        深圳交警2026年…, 省人大常委会的…)."""
        taken = {h.department for h in found}
        out: list[Hit] = []
        for at, e, deps in self._anchors(text):
            for dep in deps:
                if dep in taken:
                    continue
                said = zh.bare_phrase(text, e, self.names[dep].core)
                if said and not any(h.start < said[0] and at < h.end for h in found):
                    out.append(Hit(dep, said[1], at, said[0]))
                    taken.add(dep)
        return out

    def _anchors(self, text: str) -> list[tuple[int, int, list[str]]]:
        """Where a department's own place (or its level, as a word of its own) is said: (start, end,
        departments)."""
        out = []
        for w, deps in self._by_seat.items():
            at = text.find(w)
            if at >= 0:
                out.append((at, at + len(w), deps))
        for level, deps in self._by_level.items():
            at = text.find(level)
            if at >= 0 and at in zh.boundaries(text) and at + 1 in zh.boundaries(text):
                out.append((at, at + 1, deps))
        return sorted(out, key=lambda a: (a[0], -a[1]))

    def _choose(self, text: str, found: list[Hit]) -> tuple[list[Hit], str]:
        """One reading per phrase: the longest; among departments read from the same words, the best and
        any within a tie (asked back). A phrase that goes on to name a unit (深圳市公安局治安支队), or a place
        the question names that no reading is in, is not held."""
        best: dict[str, Hit] = {}
        for h in found:
            old = best.get(h.department)
            if old is None or (h.end - h.start, -h.cost) > (old.end - old.start, -old.cost):
                best[h.department] = h
        hits = [h for h in best.values()
                if not any(o.start <= h.start and h.end <= o.end and (o.start, o.end) != (h.start, h.end)
                           for o in best.values())]
        kept = [h for h in hits
                if h.cost <= min(o.cost for o in hits if o.start < h.end and h.start < o.end) + TIE]
        for h in kept:
            unit = zh.unit_after(text, h.end, self._zh_places)
            if unit:
                return [], text[h.start:h.end + len(unit)]
        asked = self._asked_places(text)
        if asked and kept:  # 北京的市委宣传部: Beijing's, not Guangzhou's; 上海…数据局 with none of Shanghai's: not held
            placed = [h for h in kept if asked & self.names[h.department].place_words]
            if not placed:
                return [], max(asked, key=len)
            kept = placed
        return kept, ""

    def _unknown_zh(self, text: str) -> str:
        """An institution the question names that the store does not hold (敦化市社保局, 南京市审计局), or a
        place it names that no held department is in."""
        data = names.load()
        for phrase in zh.naming_phrases(text):
            core = phrase
            for lead in data.leads:
                core = core.split(lead)[-1]
            place = next((w for w in [*self._zh_places, *zh.gazetteer_names()] if w in core), "")
            core = core[core.find(place):] if place else core
            if len(core) < 3 or core in data.ending_forms or core.startswith(data.not_names):
                continue
            if place or zh.ends_with_word(core) or len(core) >= 4:
                return core
        held = set().union(*(n.around for n in self.names.values())) if self.names else set()
        for w in zh.gazetteer_names():
            if len(w) >= 3 and w in text and w not in held and w[-1] in data.levels:
                return w
        return ""

    # ---- English -------------------------------------------------------

    def _en_items(self, text: str) -> list[en.Item | None]:
        """The question's English words read as lexicon words, places and words inside names (None: other)."""
        toks = names.en_tokens(text.replace("-", " "))
        lex, places = names.english_lexicon(), gazetteer.english_index()
        own = {w for w in self.all_places if w.isascii()}
        inside = names.load().en_inside
        out: list[en.Item | None] = []
        i = 0
        while i < len(toks):
            item, n = en.match(toks, i, lex, places, own)
            if item is None:
                out.append(en.Item("inside", frozenset(), toks[i][1], toks[i][2], words=toks[i][0])
                           if toks[i][0] in inside else None)
                i += 1
                continue
            out.append(en.Item(item[0], item[1], toks[i][1], toks[i + n - 1][2], text[toks[i][1]].isupper(),
                               " ".join(t[0] for t in toks[i:i + n])))
            i += n
        return out

    def _en_score(self, run: list[en.Item]) -> dict[str, float]:
        """How well an English run names each held department: the share of its core's content words the
        run translates (whatever the order), less what it says that the name does not, plus its place;
        departments it names something else of (another place, kind of body or institution) are left out.
        A core is read once for all the departments that share it (广州市 and 深圳市信访局)."""
        lex = [it for it in run if it.kind == "lex"]
        out: dict[str, float] = {}
        for deps in self._by_core.values():
            base = en.core_score(lex, self.names[deps[0]])
            if base is None:
                continue
            for dep in deps:
                around = self.names[dep].around
                places = [it for it in run if it.kind == "place"]
                seat = self.names[dep].seat | self.names[dep].seat_en
                if all(it.zh & around for it in places) and (not places
                                                              or any(it.zh & seat for it in places)):
                    out[dep] = base + (0.2 if places else 0.0)
        return out

    def _link_en(self, text: str) -> Linked:
        items = self._en_items(text)
        asked = set().union(*(it.zh for it in items if it and it.kind == "place"))
        chosen: set[str] = set()
        spans: list[tuple[int, int]] = []
        unknown = ""
        runs = en.runs_of(items, text)
        found = [(run, scored, span) for run in runs for scored, span in self._en_run(run)]
        for run, scored, span in sorted(found, key=lambda f: not self._placed(f[0], f[2])):  # placed first
            if not self._placed(run, span) and asked:
                # "the justice bureau" after "the Putuo justice bureau": the place the question names
                scored = {d: v for d, v in scored.items() if d in chosen or self.names[d].around & asked}
            if scored:
                top = max(scored.values())
                chosen |= {d for d, v in scored.items() if v >= top - TIE}
                spans.append(span)
        for run in runs:
            if not any(f[0] is run for f in found) and en.names_a_body(run, text=text):
                unknown = unknown or en.name_text(run, text)
        if chosen:
            own = set().union(*(self.names[d].around for d in chosen))
            spans += [(it.start, it.end) for it in items if it and it.kind == "place" and it.zh & own]
            return Linked(self._docs(chosen), spans=spans)
        return self._en_unlinked(text, items, unknown)

    @staticmethod
    def _placed(run: list[en.Item], span: tuple[int, int]) -> bool:
        return any(it.kind == "place" and span[0] <= it.start < span[1] for it in run)

    def _en_run(self, run: list[en.Item]) -> list[tuple[dict[str, float], tuple[int, int]]]:
        """The departments the best stretches of a run name, each with its span: a name starts at the run
        or at a place in it, and may stop before words that are not an ending ("Bureau of Statistics health
        spending"); what is left on either side may name another ("the Antu … bureau and the Putuo …")."""
        best: tuple[float, int, dict[str, float], int, int] = (0.0, 0, {}, 0, 0)
        starts = [0, *(i for i, it in enumerate(run) if it.kind == "place" and i)]
        for a in starts:
            for b in range(len(run), a, -1):
                sub = run[a:b]
                if b < len(run) and en.is_ending(run[b]):
                    break  # "Party Committee's publicity department" is not the party committee
                if sub[-1].kind == "inside" or not en.names_a_body(sub, loose=True):
                    continue
                scored = self._en_score(sub)
                if scored and (max(scored.values()), b - a) > best[:2]:
                    best = (max(scored.values()), b - a, scored, a, b)
        if not best[2]:
            return []
        _, _, scored, a, b = best
        return [*self._en_run(run[:a]), (scored, (run[a].start, run[b - 1].end)), *self._en_run(run[b:])]

    def _en_unlinked(self, text: str, items: list[en.Item | None], unknown: str) -> Linked:
        """No run names a held department: one that names another is not held; a place alone picks its
        departments; a capitalised place the store does not hold is not held either."""
        if unknown:
            return Linked(unknown=unknown)
        named = en.proper_name().search(text)  # "the Fuzhou Civil Affairs Lottery Management Center"
        if named:
            return Linked(unknown=named.group(0))
        placed = [it for it in items if it and it.kind == "place"]
        held = [it for it in placed if any(it.zh & n.around for n in self.names.values())]
        for it in held:  # "the Guangzhou NDRC": an acronym after the place names a body, not the city
            acronym = re.match(r"(?:'s)?\s+([A-Z]{2,6})\b", text[it.end:])
            if acronym:
                return Linked(unknown=text[it.start:it.end + acronym.end()])
        if held:  # its own departments ("Putuo"), else those of the places in it ("Guangdong")
            mine = {d for d, n in self.names.items() if any(it.zh & n.place_words for it in held)}
            deps = mine or {d for d, n in self.names.items() if any(it.zh & n.around for it in held)}
            return Linked(self._docs(deps), spans=[(it.start, it.end) for it in held])
        foreign = next((it for it in placed if it.capital), None)
        if foreign:
            return Linked(unknown=text[foreign.start:foreign.end])
        return Linked()
