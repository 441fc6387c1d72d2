"""Document identity shared by every reader: who published it, which year, which kind."""

from __future__ import annotations

import hashlib
import re
import tomllib
from functools import cache
from pathlib import Path

from ingest.model import Document
from ingest.numbers import CN_DIGITS, cn_number, to_halfwidth

KINDS = ("部门预算", "单位预算", "部门决算", "单位决算")
_KIND = re.compile(r"(部门预算|单位预算|部门决算|单位决算)")
_YEAR_KIND = re.compile(r"(20\d{2})\s*年\s*(?:度)?\s*(?:区级|县级|市级|省级)?\s*(部门预算|单位预算|部门决算|单位决算)")
_YEAR = re.compile(r"(20\d{2})")
_DEPT_CAPTION = re.compile(r"(?:预算单位|预算主管部门|编制部门|编制单位|部门名称|单位名称|决算单位)\s*[:：]\s*([^\s\t:：]+)")
# How institution and place names end is language data shared with the question side (app/lang/names.toml,
# which also says how names are shortened); ingest reads the file, it never imports app.
NAME_WORDS = Path(__file__).resolve().parents[2] / "app" / "lang" / "names.toml"


@cache
def name_words() -> dict[str, tuple[str, ...]]:
    """endings: what an institution's name ends with; province / city / county / zone: what a place's name
    ends with; levels: 省市区县; party: the 委 of a party committee (市委); all longest first."""
    with NAME_WORDS.open("rb") as fh:
        data = tomllib.load(fh)
    places = data["places"]
    out = {"endings": tuple(data["endings"]), "province": tuple(places["province"]),
           "city": tuple(places["city"]), "county": tuple(places["county"]), "zone": tuple(places["zones"]),
           "levels": tuple(places["levels"]), "party": (data["words"]["party"],)}
    return {k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in out.items()}


def alternation(kind: str, but: str = "") -> str:
    """A regex alternation of one list of name words (escaped, longest first), less those of list ``but``."""
    skip = set(name_words()[but]) if but else set()
    return "|".join(re.escape(w) for w in name_words()[kind] if w not in skip)


_INSTITUTION = re.compile(rf"^\S{{2,40}}?({alternation('endings')})$")
_REGION = re.compile(rf"^((?:\S{{2,4}}?(?:{alternation('province')}))?"
                     rf"(?:\S{{2,6}}?(?:{alternation('city')}))?"
                     rf"(?:\S{{1,6}}?(?:{alternation('county')})))")
_CN_DATE = re.compile(r"([零〇一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_DATE = re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def content_id(data: bytes) -> tuple[str, str]:
    """(document id, full sha256): identical bytes are the same document."""
    digest = hashlib.sha256(data).hexdigest()
    return digest[:16], digest


def detect_date(text: str) -> str:
    """The publication date as ISO text, from 二零二六年四月二十四日 or 2026年4月24日."""
    m = _CN_DATE.search(text)
    if m:
        year = "".join(str(CN_DIGITS[c]) for c in m.group(1))
        return f"{year}-{cn_number(m.group(2)):02d}-{cn_number(m.group(3)):02d}"
    m = _DATE.search(to_halfwidth(text))
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""


def detect_year_kind(text: str) -> tuple[int | None, str]:
    """Year and kind from a cover or title ("2026 年部门预算"; "年度部门决算 … 2024")."""
    t = to_halfwidth(text)
    m = _YEAR_KIND.search(t)
    if m:
        return int(m.group(1)), m.group(2)
    k = _KIND.search(t)
    y = _YEAR.search(t[k.start():] if k else t) or _YEAR.search(t)
    return (int(y.group(1)) if y else None), (k.group(1) if k else "")


def detect_department(lines: list[str]) -> str:
    """The publishing department: a 预算单位/编制部门 caption, else an institution-looking cover line."""
    for line in lines:
        m = _DEPT_CAPTION.search(line)
        if m:
            return m.group(1).strip()
    for line in lines:
        s = line.strip()
        if _INSTITUTION.match(s) and not _KIND.search(s):
            return s
    return ""


def detect_region(department: str) -> str:
    m = _REGION.match(department or "")
    return m.group(1) if m else ""


def level_of(kind: str) -> str:
    return "unit" if kind.startswith("单位") else "department"


def make_document(path: Path, data: bytes, head: list[str], **overrides: object) -> Document:
    """Build a Document from the cover lines; readers override what they know better."""
    doc_id, digest = content_id(data)
    head_text = "\n".join(head)
    year, kind = detect_year_kind(head_text)
    department = detect_department(head)
    fields: dict[str, object] = {
        "id": doc_id,
        "source_key": path.name,
        "path": str(path.resolve()),  # where it came from: identity is location, not bare name
        "sha256": digest,
        "title": f"{department} {year or ''}年{kind}".strip() if department else path.stem,
        "department": department,
        "region": detect_region(department),
        "year": year,
        "kind": kind or "部门预算",
        "level": level_of(kind),
        "date": detect_date(head_text),
    }
    fields.update(overrides)
    return Document(**fields)  # type: ignore[arg-type]
