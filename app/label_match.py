"""Whether a phrase from a question names a row label: 殡葬费减免 → 殡葬基本服务减免项目经费, 社保中心 →
无锡市社会保险基金管理中心. Every content word of the phrase, in order, each as printed or as its equivalent
(vocabulary ``label_equivalents``: 社保 ↔ 社会保险, 补贴 ↔ 补助)."""

from __future__ import annotations

import re

from app import vocabulary
from ingest.tokens import words

# A row that names an institution (a budget unit of the department): 广州市老人院, 无锡市社会保险基金管理中心
UNIT_NAME = re.compile(r"(院|中心|局|所|站|学校|学院|大学|中学|小学|幼儿园|馆|处|队|会|社|台|团|室|厅|办|委|监狱)"
                       r"(?:[(（][^()（）]{1,30}[)）])?$")  # 杭州市气象服务中心（杭州市预警信息发布中心）, …（本级）


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
