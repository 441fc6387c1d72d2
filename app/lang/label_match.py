"""Whether a phrase from a question names a row label: 殡葬费减免 → 殡葬基本服务减免项目经费, 社保中心 →
无锡市社会保险基金管理中心. Every content word of the phrase, in order, each as printed or as its equivalent
(vocabulary ``label_equivalents``: 社保 ↔ 社会保险, 补贴 ↔ 补助)."""

from __future__ import annotations

import re

from app.lang import names, vocabulary
from ingest.tokens import words

_ITEM_ENDING = re.compile(r"(预算|支出|经费|费用|费|收入|数|拨款)+$")


def item_core(label: str) -> str:
    """An item without its money endings: 公务用车购置费, 公务用车购置预算支出 and 公务用车购置 are one item;
    政府性基金预算拨款收入 is the table's 政府性基金预算拨款."""
    return _ITEM_ENDING.sub("", label.replace("“", "").replace("”", ""))


_UNITS = names.load().units
# A row that names an institution (a budget unit of the department): 广州市老人院, 无锡市社会保险基金管理中心
UNIT_NAME = re.compile(rf"({'|'.join(_UNITS['row_endings'])})"
                       r"(?:[(（][^()（）]{1,30}[)）])?$")  # 杭州市气象服务中心（杭州市预警信息发布中心）, …（本级）


# A phrase of a question ending like an institution's name: 社保中心, 东郊监狱, 住房保障办
UNIT_PHRASE = re.compile(rf"[\u4e00-\u9fff]{{1,12}}?(?:{'|'.join(_UNITS['phrase_endings'])})")
_SEGMENT = re.compile(r"[^和与及、的，,？?。\s（）()“”]+")


def named_units(text: str, labels: list[str]) -> list[tuple[int, str, list[str]]]:
    """(position, phrase, labels) for each institution the text names by a run of words before its ending:
    the longest run that names one to three of the labels ("三公经费比东郊监狱" names 杭州市东郊监狱)."""
    out = []
    for seg in _SEGMENT.finditer(text):
        for m in UNIT_PHRASE.finditer(seg.group(0)):
            starts, at = [], 0
            for w in words(m.group(0)):  # a run starts at a word: 交警支队 never reads as …警支队
                starts.append(at)
                at += len(w)
            for k in (k for k in starts if len(m.group(0)) - k >= 3):
                phrase = m.group(0)[k:]
                named = [lab for lab in labels if names_label(phrase, lab)]
                if named and len(named) <= 3:
                    out.append((seg.start() + m.start() + k, phrase, named))
                    break
    return out


def phrase_parts(phrase: str) -> list[str]:
    equivalents = vocabulary.load().label_equivalents
    return [t for t in words(phrase) if len(t) >= 2 or t in equivalents]


def in_order(parts: list[str], label: str) -> bool:
    """Every part in the label, in order; a part may be printed as its equivalent (补贴 as 补助)."""
    equivalents = vocabulary.load().label_equivalents
    at = 0
    for p in parts:
        found = [(i, len(v)) for v in equivalents.get(p, (p,)) if (i := label.find(v, at)) >= 0]
        if not found:
            return False
        i, n = min(found)
        at = i + n
    return True


def names_label(phrase: str, label: str) -> bool:
    """The phrase is in the label, or all of its (two or more) content words are, in order."""
    if phrase in label:
        return True
    parts = phrase_parts(phrase)
    return len(parts) >= 2 and in_order(parts, label)
