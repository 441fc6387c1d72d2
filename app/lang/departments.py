"""Which department a question names, linked against the departments the store holds.

Any department, not a list: a stored name is split into its places (江苏省, 普陀区 …) and a core
(高级人民法院, 司法局); short forms come from the vocabulary's institutions (data) and generic
abbreviations; Chinese text is matched by alias, then fuzzily (rapidfuzz); English by an
institution phrase plus a place. A department or place the question names that the store does
not hold is reported as ``unknown`` — never mapped to a neighbour with the same core.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from app.lang import gazetteer, vocabulary
from app.lang.vocabulary import InstitutionType
from ingest.labels import longest_first
from ingest.model import Document

_PREFIXES = ("中国共产党", "中共", "中国人民政治协商会议", "政协")
_PLACE_SUFFIX = r"(?:省|自治区|自治州|地区|市|区|县|旗|镇|乡|经济技术开发区|开发区|高新区|新区)"
_LEADING_PLACE = re.compile(rf"^([\u4e00-\u9fff]{{2,7}}?{_PLACE_SUFFIX})(?![场])")
_PARTY_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(省|市|区|县)(?=委)")
_GENERIC = {"局", "委", "办", "办公室", "办公厅", "中心", "街道", "政府", "人民政府", "委员会", "部门", "单位", "本级",
            "区委", "市委", "县委", "省委", "州委"}
_INSTITUTION_END = re.compile(r"(局|委|办|院|厅|部|中心|所|站|会|处|街道|政协)$")
_LEVELS = "省市区县"  # 市司法局 names a city's bureau
_NAME_GOES_ON = re.compile(r"[\u4e00-\u9fff]{0,5}?(局|委|办|院|厅|部(?!门)|中心|所|站|会|处|队|校|馆)")
# A phrase in a question that names an institution: what stands before one of these endings.
_ZH_PHRASE = re.compile(
    r"([\u4e00-\u9fff]{1,14}?(?:局|委员会|委(?![托员])|办公室|办公厅|中心|法院|检察院|街道办事处|街道|人民政府|政府办|"
    r"宣传部|统战部|组织部|支队|大队|总队))")
_PLACEISH = re.compile(rf"([\u4e00-\u9fff]{{2,6}}?{_PLACE_SUFFIX})")
_EN_FILLER = {"the", "of", "s", "'s", "city", "municipal", "county", "district", "province", "provincial",
              "a", "in", "for", "at", "and", "what", "how", "much", "does", "did", "is", "was", "its",
              "their", "by", "which", "on", "to", "from", "with", "this", "that", "year", "budget",
              "spend", "total"}


def load_institutions() -> tuple[InstitutionType, ...]:
    return vocabulary.load().institutions


def split_name(name: str, region: str = "") -> tuple[list[str], str]:
    """(places, core): 中共江苏省委办公厅 → (['江苏省'], '省委办公厅'); 上海市普陀区司法局 → (['上海市', '普陀区'], '司法局')."""
    rest = re.sub(r"\s*[（(]\s*本级\s*[)）]\s*$", "", name.strip())  # 无锡市教育局(本级): the department itself
    for p in _PREFIXES:
        if rest.startswith(p):
            rest = rest[len(p):]
            break
    places: list[str] = []
    while True:
        party = _PARTY_PLACE.match(rest)
        if party:
            places.append(party.group(1) + party.group(2))
            rest = rest[len(party.group(1)):]
            break
        m = _LEADING_PLACE.match(rest)
        if not m or len(rest) - len(m.group(1)) < 2:
            break
        t = _type_of(rest)
        if t is not None and len(rest) - len(t.zh) < len(m.group(1)):
            break  # 住房和城乡建设局: 城乡 is part of the institution's name, not a township
        places.append(m.group(1))
        rest = rest[len(m.group(1)):]
    for token in _PLACEISH.findall(region or ""):
        if token not in places:
            places.append(token)
    return places, rest


def place_words(place: str) -> set[str]:
    """杭州市 → {杭州市, 杭州, hangzhou}; 福州经济技术开发区 → also 福州, 经开区, 福州经开区."""
    words = {place}
    stem = re.sub(rf"{_PLACE_SUFFIX}$", "", place)
    if "经济技术开发区" in place:
        head = place.split("经济技术开发区")[0]
        words |= {head, f"{head}经开区", "经开区", f"{head}开发区", "etdz", "development zone"}
        stem = head
    if len(stem) >= 2:
        words.add(stem)
        words.add("".join(lazy_pinyin(stem)).lower())
    return {w for w in words if len(w) >= 2}


def _type_of(core: str) -> InstitutionType | None:
    return next((t for t in load_institutions() if core.endswith(t.zh)), None)


def short_forms(core: str) -> set[str]:
    """The usual short names of a core: lexicon short forms, 委员会→委, …和…局 without 和."""
    forms = {core}
    t = _type_of(core)
    if t is not None:
        head = core[: len(core) - len(t.zh)]
        forms |= {head + s for s in t.short}
        if re.search(r"(局|委员会|委)$", head):  # 公安局交通警察支队 is also just 交警支队
            forms |= {t.zh, *t.short}
        if head.endswith("局") and len(head) >= 3:  # 公安局治安管理支队 is also 公安治安支队
            forms |= {head[:-1] + x for x in (t.zh, *t.short)}
    if core.endswith("委员会"):
        forms.add(core[:-3] + "委")
    if "和" in core:
        forms.add(core.replace("和", ""))
    if core.startswith("人民政府") and len(core) > 6:
        forms |= {f.removeprefix("人民政府") for f in forms}
    elif core.startswith("人民政府"):
        forms.add(core[2:])
    return {f for f in forms if len(f) >= 2 and f not in _GENERIC}


@dataclass(frozen=True)
class DepartmentNames:
    """Every way a stored department is named, in Chinese and English."""

    department: str
    places: tuple[str, ...]
    core: str
    place_words: frozenset[str]
    aliases: tuple[str, ...]  # Chinese, longest first
    english: tuple[str, ...]  # institution phrases, lower case
    english_name: str
    heads: tuple[str, ...] = ()  # place + core without its ending (广州民政, 福州医保): only before no other name
    heads_en: tuple[str, ...] = ()  # the same in English: "fuzhou civil affairs", "wuxi commerce"

    @classmethod
    def of(cls, department: str, region: str = "") -> DepartmentNames:
        places, core = split_name(department, region)
        pw: set[str] = set()
        for p in places:
            pw |= place_words(p)
        shorts = short_forms(core)
        aliases = {department, department.removeprefix("中共")} | shorts
        for p in places:
            for w in place_words(p):
                if re.search(r"[\u4e00-\u9fff]", w):
                    aliases |= {w + s for s in shorts}
        t = _type_of(core)
        english = set(t.en) if t else set()
        named_places = split_name(department)[0] or places
        en_places = [min(ascii_, key=lambda w: (w in ("etdz", "development zone"), w)).capitalize()
                     for p in named_places for ascii_ in [[w for w in place_words(p) if w.isascii()]]
                     if ascii_]
        en_type = re.sub(r"\b(Cppcc|Npc|Sasac)\b", lambda m: m.group(1).upper(),
                         _title(t.en[0] if t and t.en else ""))
        name = " ".join(dict.fromkeys(en_places[-1:] + [en_type])) if en_type else ""
        keep = [a for a in aliases if len(a) >= 2 and a not in _GENERIC]
        bare = {f[:-1] for f in shorts if re.search(r"[局委厅]$", f) and len(f) >= 3}  # 民政局 → 民政, 医保局 → 医保
        zh_places = [w for p in places for w in place_words(p) if re.search(r"[\u4e00-\u9fff]", w)]
        heads = {w + b for w in zh_places for b in bare}
        bare_en = {_EN_ENDING.sub("", e) for e in english} - {""}
        heads_en = {f"{p.lower()} {b}" for p in en_places for b in bare_en
                    if len(b.split()) >= 1 and len(b) >= 5}
        return cls(department, tuple(places), core, frozenset(pw), tuple(sorted(keep, key=longest_first)),
                   tuple(sorted(english, key=longest_first)), name.strip(),
                   tuple(sorted(heads - set(keep), key=longest_first)),
                   tuple(sorted(heads_en, key=longest_first)))


@dataclass
class Linked:
    """What the question says about departments: the documents it names, what it named that is not held."""

    documents: list[Document] = field(default_factory=list)
    unknown: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)  # text consumed by naming the department


class Catalog:
    """The departments the store holds, for linking question text to documents."""

    def __init__(self, documents: list[Document]):
        self.documents = documents
        self.names: dict[str, DepartmentNames] = {}
        for d in documents:
            if d.department and d.department not in self.names:
                self.names[d.department] = DepartmentNames.of(d.department, d.region)
        self.all_places = set().union(*(n.place_words for n in self.names.values())) if self.names else set()

    def english_name(self, department: str) -> str:
        n = self.names.get(department)
        return n.english_name if n else ""

    def _docs(self, departments: set[str]) -> list[Document]:
        return [d for d in self.documents if d.department in departments]

    # ---- Chinese -------------------------------------------------------

    def _foreign_place(self, prefix: str, names: DepartmentNames) -> str:
        """A place named before a department that is not one of its places (敦化市 before 社会保险事业管理局)."""
        rest = prefix
        for w in sorted(names.place_words, key=longest_first):
            rest = rest.replace(w, "")
        for w in self.all_places:
            if w in rest and len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w):
                return w
        m = _PLACEISH.search(rest)
        if m:
            return m.group(1)
        return gazetteer.load().foreign(prefix, set(names.place_words))  # 厦门 before 交警支队

    def _link_zh(self, text: str) -> Linked:
        hits: dict[str, tuple[int, int]] = {}
        for dep, names in self.names.items():
            for alias in names.aliases:
                i = text.find(alias)
                if i < 0:
                    continue
                if not _INSTITUTION_END.search(alias) and not any(w in text for w in names.place_words):
                    continue  # a bare short form (社保) names the department only beside its place
                if dep not in hits or alias_len(hits[dep]) < len(alias):
                    hits[dep] = (i, i + len(alias))
                break
        for dep, names in self.names.items():
            if dep in hits:
                continue
            for head in names.heads:  # 广州民政今年…, but not 无锡教育考试院 (another institution)
                i = text.find(head)
                if i >= 0 and not _NAME_GOES_ON.match(text[i + len(head):]):
                    hits[dep] = (i, i + len(head))
                    break
        asked_places = {w for w in self.all_places if w in text and re.search(r"[\u4e00-\u9fff]", w)}
        if asked_places and hits:  # 杭州司法局: not the Putuo justice bureau
            kept = {d: s for d, s in hits.items() if asked_places & self.names[d].place_words}
            hits = kept if kept else hits
        if len(hits) > 1 and not asked_places:  # "市司法局": the city's bureau, not a district's (区司法局)
            level = {d: text[s[0] - 1] for d, s in hits.items() if s[0] > 0 and text[s[0] - 1] in _LEVELS}
            at_level = {d: s for d, s in hits.items() if d in level and self.names[d].places
                        and self.names[d].places[-1].endswith(level[d])}
            hits = at_level or hits
        if hits:  # a shorter alias inside a longer one's match does not count
            longest = max(alias_len(s) for s in hits.values())
            hits = {d: s for d, s in hits.items()
                    if alias_len(s) == longest or not any(o[0] <= s[0] and s[1] <= o[1] and o != s
                                                          for o in hits.values())}
        for m in _ZH_PHRASE.finditer(text):
            phrase, start = m.group(1), m.start(1)
            inside = [d for d, s in hits.items() if start <= s[0] < m.end(1) + 1]
            if inside:
                for d in inside:
                    s = hits[d]
                    foreign = self._foreign_place(text[start:s[0]], self.names[d])
                    if foreign:
                        return Linked(unknown=text[text.find(foreign, start):s[1]])
                continue
            if any(s[0] <= start < s[1] for s in hits.values()):
                continue
            core = phrase
            for lead in ("请问", "我想知道", "想问", "查一下", "告诉我"):
                core = core.split(lead)[-1]
            if len(core) < 3 or core in _GENERIC or re.fullmatch(r"[本该这那各每此其]\S{0,3}", core):
                continue
            fuzzy = self._fuzzy(core)
            if fuzzy:
                hits[fuzzy] = (start, m.end(1))
                continue
            if _PLACEISH.search(core) or _type_of(core[-6:]) is not None or len(core) >= 4:
                if not hits:
                    return Linked(unknown=core)
        if not hits and asked_places:
            places = {d for d, n in self.names.items() if asked_places & n.place_words}
            spans = [(text.find(w), text.find(w) + len(w)) for w in asked_places]
            return Linked(self._docs(places), spans=spans)
        if not hits:
            m = _PLACEISH.search(text)
            if m and m.group(1) not in self.all_places and not re.search(r"(本|该|这个)", m.group(1)):
                if re.search(r"(市|县|区|省)$", m.group(1)) and len(m.group(1)) >= 3 and \
                        not re.search(r"(城市|地区|社区|园区|辖区|市区|城区|小区|景区|校区)$", m.group(1)):
                    return Linked(unknown=m.group(1))
        spans = list(hits.values())
        own = set().union(*(self.names[d].place_words for d in hits)) if hits else set()
        for w in asked_places | set(gazetteer.load().own(text, own)):  # 吉林 in 吉林安图社保局 too
            i = text.find(w)
            spans.append((i, i + len(w)))
        return Linked(self._docs(set(hits)), spans=spans)

    def _fuzzy(self, phrase: str) -> str:
        """A near-miss spelling of a stored core (规划资源局 for 规划和自然资源局), above a threshold."""
        best, score = "", 0.0
        for dep, names in self.names.items():
            for alias in names.aliases:
                if len(alias) < 3:
                    continue
                s = fuzz.ratio(phrase[-len(alias) - 2:], alias)
                if s > score:
                    best, score = dep, s
        if score < 86:
            return ""
        names = self.names[best]
        if self._foreign_place(phrase, names):
            return ""
        return best

    # ---- English -------------------------------------------------------

    def _link_en(self, text: str) -> Linked:
        low = " " + re.sub(r"[^a-z0-9' -]", " ", text.lower()).replace("'s ", " ") + " "
        asked_places = {w for w in self.all_places if w.isascii() and f" {w} " in low}
        scored: dict[str, int] = {}
        spans: list[tuple[int, int]] = []
        for dep, names in self.names.items():
            phrase = next((e for e in names.english
                           if f" {_plain(e)} " in low or f" {_plain(e)}s " in low), "")
            at = None if phrase else next((m for h in names.heads_en if f" {h} " in low for m in [re.search(
                r"(?:'s)?[\s-]+".join(map(re.escape, h.split())) + r"(?![\w-])", text, re.I)] if m), None)
            if at and not _EN_NAME_GOES_ON.match(text[at.end():]):
                # "At Fuzhou civil affairs": the place and the bare institution, read as one name (not the
                # start of a longer one: "Guangzhou Housing Provident Fund Management Center")
                scored[dep] = len(at.group()) + 100
                spans.append(at.span())
                continue
            if not phrase:
                continue
            place = bool(asked_places & names.place_words)
            if asked_places and not place:
                continue
            before = re.search(rf"([A-Za-z]+)(?:'s)?\s+(?:(?:city|county|district|municipal|provincial)\s+)?"
                               rf"{re.escape(phrase)}", text, re.I)
            if (not place and before and before.group(1)[0].isupper()
                    and before.group(1).lower() not in _EN_FILLER):
                return Linked(unknown=f"{before.group(1)} {phrase}")  # "Dunhua social insurance bureau"
            scored[dep] = len(phrase) + (100 if place else 0)
            i = text.lower().find(phrase)
            if i >= 0:
                spans.append((i, i + len(phrase)))
        if scored:
            top = max(scored.values())
            keep = {d for d, s in scored.items() if s >= 100} if top >= 100 else set(scored)
            for w in asked_places:
                i = text.lower().find(w)
                spans.append((i, i + len(w)))
            return Linked(self._docs(keep), spans=spans)
        for t in load_institutions():
            for e in t.en:
                m = re.search(rf"((?:\b[a-z]+\b[ ']+){{0,2}})\b{re.escape(e)}s?\b", text.lower())
                if m and len(e.split()) >= 2:
                    words = [w for w in re.findall(r"[a-z]+", m.group(1)) if w not in _EN_FILLER]
                    return Linked(unknown=" ".join([*words, e]).strip())
        named = _EN_PROPER_NAME.search(text)
        # "the Fuzhou Civil Affairs Lottery Management Center": a named body the store does not hold
        if named:
            return Linked(unknown=named.group(0))
        for w in asked_places:  # "the Guangzhou NDRC": an acronym after the place names a body, not the city
            acronym = re.search(rf"\b(?i:{re.escape(w)})(?:'s)?\s+([A-Z]{{2,6}})\b", text)
            if acronym:
                return Linked(unknown=acronym.group(0))
        if asked_places:
            places = {d for d, n in self.names.items() if asked_places & n.place_words}
            spans = [m.span() for w in asked_places
                     for m in [re.search(rf"\b{re.escape(w)}\b", text, re.I)] if m]
            return Linked(self._docs(places), spans=spans)
        return Linked()

    def link(self, text: str) -> Linked:
        if re.search(r"[\u4e00-\u9fff]", text):
            zh = self._link_zh(text)
            if zh.documents or zh.unknown or not re.search(r"[A-Za-z]{3,}", text):
                return zh
        return self._link_en(text)


_EN_NAME_GOES_ON = re.compile(r"\s+(?:[A-Z][a-z]|(?:center|centre|office|bureau|station|institute|team|"
                              r"fund|management|commission|department|committee)\b)")
_EN_PROPER_NAME = re.compile(r"\b(?:[A-Z][a-z]+(?:'s)?\s+){2,7}(?:Center|Centre|Office|Bureau|Commission|"
                             r"Institute|Station|Team|Committee|Department|Administration|Agency|Court|"
                             r"Hospital|School)\b")
_EN_ENDING = re.compile(r"^(bureau|office|department|commission|administration) of (the )?|"
                        r" (bureau|office|department|commission|administration)$")


def _plain(phrase: str) -> str:
    """An English phrase as the question text is folded: "high people's court" → "high people court"."""
    return phrase.replace("'s ", " ").replace("'s", "")


def _title(phrase: str) -> str:
    """"women's federation" → "Women's Federation" (str.title would write Women'S and And)."""
    small = {"and", "of", "for", "the"}
    return " ".join(w if w in small and i else w[:1].upper() + w[1:] for i, w in enumerate(phrase.split()))


def alias_len(span: tuple[int, int]) -> int:
    return span[1] - span[0]
