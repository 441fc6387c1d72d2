"""China's places by adcode (app/lang/places.tsv), in Chinese and in English (pinyin, or names.toml).

Why: a question may name a place the store does not hold with no 市 for a pattern to see ("厦门交警支队",
"Xi'an's finance bureau"); answering it from the one 交警支队 the store has would be a neighbour's figure.
A place is the department's own when it is one of its place words or contains them (延边 for 安图县, 福建
for 福州市). A stored name's leading places are read here too (上海市普陀区司法局 → 上海市, 普陀区).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pypinyin import lazy_pinyin

from app.lang import names
from ingest.labels import longest_first

PLACES = Path(__file__).with_name("places.tsv")


@dataclass(frozen=True)
class Place:
    name: str  # as printed: 上海市, 普陀区, 福州经济技术开发区
    short: str  # what people say without its ending: 上海, 普陀, 福州
    level: str  # province | city | county | zone


@dataclass(frozen=True)
class Gazetteer:
    codes: dict[str, frozenset[str]]  # a name (full, or short for provinces and cities) → its adcodes
    rows: dict[str, Place] = field(default_factory=dict)  # a full name → its place
    names_by_code: dict[str, frozenset[str]] = field(default_factory=dict)  # an adcode → its Chinese names
    by_short: dict[str, Place] = field(default_factory=dict)  # a province's or city's short name → its place

    def ancestors(self, words: set[str]) -> set[str]:
        """The adcodes of these places and of every place that contains them (city, province)."""
        out: set[str] = set()
        for w in words:
            for c in self.codes.get(w, ()):
                out |= {c, c[:4] + "00", c[:2] + "0000"}
        return out

    def foreign(self, text: str, own: set[str]) -> str:
        """The first place named in ``text`` that is neither one of ``own`` nor contains one; "" if none."""
        allowed = self.ancestors(own)
        for name in sorted((n for n in self.codes if n in text), key=longest_first):
            if not self.codes[name] & allowed and not any(name in w for w in own):
                return name
        return ""

    def own(self, text: str, own: set[str]) -> list[str]:
        """The places named in ``text`` that contain or are one of ``own`` (吉林, 延边 before 安图县社保局): words
        that named the department, for scope to consume."""
        if not own:  # no department linked: nothing to consume, and no scan of 3,000 names per question
            return []
        allowed = self.ancestors(own)
        return [n for n in self.codes if n in text and self.codes[n] & allowed]

    def around(self, places: list[str]) -> set[str]:
        """The Chinese names of these places and of the places containing them (安图县 → 延边, 吉林省 …).

        A name two places share (普陀区 of Shanghai and of Zhoushan) is read under the places said with it."""
        codes: set[str] = set()
        for p in places:
            mine = set(self.codes.get(p, ()))
            under = {c for c in mine if any(c[:2] == o[:2] for o in codes)} if codes else mine
            codes |= under or mine
        out: set[str] = set()
        for c in codes:
            for up in {c, c[:4] + "00", c[:2] + "0000"}:
                out |= self.names_by_code.get(up, frozenset())
        return out | set(places)

    def leading(self, text: str, after_place: bool) -> Place | None:
        """The place a name starts with (上海市 of 上海市普陀区司法局), if what follows is still a name.

        A county's name is read only after its city or province (和县, 城区 are also words), a province's or
        city's short name only when no ending follows (上海交通职业技术学院)."""
        for n in range(min(len(text) - 2, 12), 1, -1):
            head = text[:n]
            place = self.rows.get(head)
            if place and (place.level != "county" or after_place or n >= 3):
                return _with_zone(place, text[n:])
        for n in range(min(len(text) - 2, 4), 1, -1):
            full = self.by_short.get(text[:n])
            if full:
                return _with_zone(Place(full.short, full.short, full.level), text[n:])
        return None


def _with_zone(place: Place, rest: str) -> Place:
    """福州 + 经济技术开发区: the zone is the place (its short name stays the city's)."""
    zone = next((z for z in sorted(names.load().zones, key=longest_first) if rest.startswith(z)), "")
    if zone and place.level != "county":
        return Place(place.name + zone, place.short, "zone")
    return place


def short_of(place: str) -> str:
    """A place without its ending: 上海市 → 上海, 普陀区 → 普陀, 福州经济技术开发区 → 福州 ("" if too short)."""
    data = names.load()
    row = load().rows.get(place)
    if row and row.short:
        return row.short
    for zone in sorted(data.zones, key=longest_first):
        if place.endswith(zone) and len(place) > len(zone):
            return short_of(place[: -len(zone)]) or place[: -len(zone)]
    for end in data.county:
        if place.endswith(end) and len(place) - len(end) >= 2:
            return place[: -len(end)]
    return ""


@cache
def english(place: str) -> tuple[str, ...]:
    """English names of a place, lower case: 上海市 → (shanghai,), 西安市 → (xian, xi an), 陕西 → (shaanxi,)."""
    data = names.load()
    short = short_of(place) or place
    given = data.place_english.get(place) or data.place_english.get(short)
    if given:
        return tuple(given)
    return ("".join(lazy_pinyin(short)).lower(),) if len(short) >= 2 else ()


@cache
def english_index() -> dict[str, frozenset[str]]:
    """An English place name (lower case, its words joined by one space) → the Chinese names it stands for."""
    out: dict[str, set[str]] = {}
    for name, place in load().rows.items():
        for en in english(name):
            out.setdefault(en, set()).add(place.short or name)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def load() -> Gazetteer:
    codes: dict[str, set[str]] = {}
    rows: dict[str, Place] = {}
    by_code: dict[str, set[str]] = {}
    with PLACES.open(encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            rows.setdefault(row["name"], Place(row["name"], row["short"] or "", row["level"]))
            for name in (row["name"], row["short"]):
                if len(name) >= 2:
                    codes.setdefault(name, set()).add(row["adcode"])
                    by_code.setdefault(row["adcode"], set()).add(name)
    county_ends = names.load().county
    for name, place in list(rows.items()):
        if place.level == "county" and not place.short:
            stem = next((name[: -len(e)] for e in county_ends
                         if name.endswith(e) and len(name) - len(e) >= 2), "")
            rows[name] = Place(name, stem, "county")
    shorts = {p.short: p for p in rows.values() if p.short and p.level != "county"}
    return Gazetteer({n: frozenset(c) for n, c in codes.items()}, rows,
                     {c: frozenset(n) for c, n in by_code.items()}, shorts)
