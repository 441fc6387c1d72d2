"""China's places by adcode (app/lang/places.tsv): which place words in a question are not a department's own.

Why: a question may name a place the store does not hold with no 市 for a pattern to see ("厦门交警支队");
answering it from the one 交警支队 the store has would be a neighbour's figure. A place is the department's
own when it is one of its place words or contains them (延边 for 安图县, 福建 for 福州市).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.labels import longest_first

PLACES = Path(__file__).with_name("places.tsv")


@dataclass(frozen=True)
class Gazetteer:
    codes: dict[str, frozenset[str]]  # a name (full, or short for provinces and cities) → its adcodes

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


@cache
def load() -> Gazetteer:
    codes: dict[str, set[str]] = {}
    with PLACES.open(encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            for name in (row["name"], row["short"]):
                if len(name) >= 2:
                    codes.setdefault(name, set()).add(row["adcode"])
    return Gazetteer({n: frozenset(c) for n, c in codes.items()})
