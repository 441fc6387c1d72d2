"""Who published a PDF disclosure, for which year, of which kind — read from its content.

The cover ("2026年度 / 福州市公安局治安管理 / 支队 / 单位预算") is read with its
lines joined, so names that wrap stay whole; page headers ("部门：…  单位：万元")
and the cover's 预算单位 line name the department of a tables-only file or of a
unit budget. Each source is checked against the others and against how the
narrative prints the name. A unit budget records its parent department, as the
narrative says it ("X是上海市水务局所属…"). The file name is a last resort and
says so in a warning: crawled files are often misnamed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.numbers import to_halfwidth
from ingest.readers.common import alternation, name_words

_KIND = re.compile(r"(部门预算|单位预算|部门决算|单位决算)")
_YEAR_WORDS = re.compile(r"(?:20\d{2}\s*年度?|年度|20\d{2}|(?:区级|县级|市级|省级))")
_CAPTION = re.compile(
    r"(?:^|\s)(预算主管部门|预算单位|编制部门|编制单位|部门名称|决算单位|部门)\s*[:：]\s*(\S+)"
)
_SUFFIX = re.compile(rf"({alternation('endings')}|（本级）|\(本级\))$")
_LEVELS = "".join(name_words()["levels"])
_NOT_LEVEL = rf"[^\s{_LEVELS}]"
_REGION = re.compile(
    rf"^((?:{_NOT_LEVEL}{{2,3}}(?:{alternation('province')}))?"
    rf"(?:{_NOT_LEVEL}{{2,4}}?(?:{alternation('city')}))?"
    rf"(?:{_NOT_LEVEL}{{1,4}}?(?:{alternation('county', but='city')})"
    rf"|{_NOT_LEVEL}{{2,8}}?(?:{alternation('zone')}))?)"
)
_NAMED = ("预算单位", "单位名称", "部门名称", "预算主管部门", "编制单位", "决算单位")  # a line that names a unit
_NAME = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff（）()]{3,40}$")  # a name as such a line prints it
_PARENT = re.compile(  # "上海市海洋监测预报中心是上海市水务局（上海市海洋局）所属公益一类事业单位"
    r"(?:是|系|隶属于?|归属于?)\s*([\u4e00-\u9fff]{3,30}?(?:局|委员会|委|办公室|办公厅|厅|部|院|中心|政府))"
    r"(?:[（(][^）)]{1,20}[）)])?\s*(?:所属|下属|直属|管理|主管|领导)"
)
_CPC_LONG = re.compile(r"^中国共产党(\S+?)委员会(\S+)$")
_CPC_SHORT = re.compile(rf"^(\S{{2,8}}?[{_LEVELS}]){alternation('party')}(?!员)(\S+)$")
_FILE_YEAR = re.compile(r"(20\d{2})")
_FILE_KIND = {"department-budget": "部门预算", "unit-budget": "单位预算", "final-accounts": "部门决算"}
_NON_BUDGET = (
    (re.compile(r"信息公开申请表|申请人签名"), "an information-request form"),
    (re.compile(r"流程图"), "a process chart"),
    (re.compile(r"〔20\d{2}〕\s*\d+\s*号|关于印发|的通知"), "a notice"),
)
_BUDGET_TERMS = ("财政拨款", "一般公共预算", "基本支出", "项目支出", "收支", "预算表", "决算表", "三公", "预算总表",
                 "决算总表")


@dataclass
class Identity:
    """What the content says about a disclosure; ``warnings`` says what was guessed and from where."""

    department: str = ""
    region: str = ""
    year: int | None = None
    kind: str = ""
    parent: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        return "unit" if self.kind.startswith("单位") else "department"


def squash(text: str) -> str:
    """Half-width, no spaces: cover words are often letter-spaced ("部 门")."""
    return re.sub(r"\s+", "", to_halfwidth(text or ""))


def official_name(name: str) -> str:
    """One spelling per party office: 中国共产党X委员会Y and X委Y are both printed as 中共X委Y; punctuation never
    starts a name (".上海市…" is 上海市…), and "X局部门" (Beijing's covers) is X局."""
    s = re.sub(r"^[^\u4e00-\u9fff]+", "", squash(name)).strip("：:，,。")
    if s.endswith(("部门", "单位")) and _SUFFIX.search(s[:-2]):
        s = s[:-2]
    m = _CPC_LONG.match(s)
    if m:
        return f"中共{m.group(1)}委{m.group(2)}"
    if not s.startswith("中共"):
        m = _CPC_SHORT.match(s)
        if m:
            return f"中共{m.group(1)}委{m.group(2)}"
    return s


def region_of(department: str) -> str:
    """The place a department belongs to: 上海市普陀区, 江苏省, 广州市, 吉林省安图县."""
    s = department.removeprefix("中共")
    m = _REGION.match(s)
    return m.group(1) if m else ""


def _looks_like_institution(name: str) -> bool:
    return 3 <= len(name) <= 40 and bool(_SUFFIX.search(name)) and not re.search(r"[，。；、]", name)


def cover_identity(lines: list[str]) -> tuple[str, int | None, str]:
    """(department, year, kind) from the cover's first lines joined (wrapped names stay whole)."""
    head: list[str] = []
    for ln in lines[:8]:
        s = squash(ln)
        if re.fullmatch(r"目录", s) or s.startswith("第一部分") or len(s) > 60:
            break
        head.append(s)
    text = "".join(head)
    year = _FILE_YEAR.search(text)
    kind = _KIND.search(text)
    department = ""
    if kind:
        before = _YEAR_WORDS.sub("", text[: kind.start()])
        for cand in (before, before.split("公开")[-1]):
            name = official_name(cand)
            if _looks_like_institution(name):
                department = name
                break
    return department, (int(year.group(1)) if year else None), (kind.group(1) if kind else "")


def caption_department(page_texts: list[str]) -> tuple[str, str]:
    """(department, caption key) from page headers like 部门：X 单位：万元; the most printed full name wins."""
    seen: Counter[str] = Counter()
    keys: dict[str, str] = {}
    for text in page_texts:
        for line in to_halfwidth(text).splitlines():
            line = re.sub(r"部\s+门", "部门", line)
            m = _CAPTION.search(line)
            if not m:
                continue
            name = official_name(re.split(r"单位[:：]|金额单位", m.group(2))[0])
            if _looks_like_institution(name) or (m.group(1) in _NAMED and _NAME.match(name)):
                seen[name] += 1
                keys.setdefault(name, m.group(1))
    if not seen:
        return "", ""
    best = max(seen, key=lambda n: (seen[n], len(n)))
    return best, keys[best]


def _year_from_titles(page_texts: list[str]) -> int | None:
    years: Counter[int] = Counter()
    for text in page_texts:
        for line in text.splitlines():
            s = squash(line)
            if re.search(r"(预算|决算)\S*表$|部门预算|单位预算|部门决算", s):
                m = re.search(r"(20\d{2})年", s)
                if m:
                    years[int(m.group(1))] += 1
    return years.most_common(1)[0][0] if years else None


def not_a_disclosure(full_text: str) -> str:
    """The reason a text is not a budget disclosure, or "" when it looks like one."""
    s = squash(full_text)
    terms = sum(1 for t in _BUDGET_TERMS if t in s)
    if terms >= 3 or (_KIND.search(s[:2000]) and terms >= 1):
        return ""
    for pattern, what in _NON_BUDGET:
        if pattern.search(s):
            return f"not a budget disclosure: {what}"
    return "not a budget disclosure: no budget table or budget heading found"


def department_from_file_name(stem: str) -> str:
    """Last resort: "005_广州__信访局_2026年部门预算" → 广州市信访局 (the crawler's city prefix added)."""
    m = re.search(r"([^_\s]{2,40}?)(?:_?20\d{2}年度?)?_?(?:部门预算|单位预算|部门决算)", stem)
    if not m:
        return ""
    name = official_name(_YEAR_WORDS.sub("", m.group(1)))
    city = re.search(r"^\d{3}_([^_\s]{2,4})__", stem)
    if city and not re.search(r"[省市县区]", name[:8]):
        name = f"{city.group(1)}市{name}"
    return name if _looks_like_institution(name) else ""


def printed_form(name: str, text: str) -> str:
    """How the document itself prints a department named from elsewhere: the same place and core with the
    ending it uses (无锡市发展和改革局 → 无锡市发展和改革委员会 when only that is printed), else the name."""
    if not name or name in text:
        return name
    core = _SUFFIX.sub("", name)
    if len(core) < 4:
        return name
    found = Counter(m.group(0) for m in re.finditer(re.escape(core) + _SUFFIX.pattern.rstrip("$"), text))
    return found.most_common(1)[0][0] if found else name


def parent_of(department: str, page_texts: list[str], city: str = "") -> str:
    """The department a unit belongs to, as its own narrative says it (… 是上海市水务局所属 …), or "";
    "市商务委" is given its city (the unit's, else the file's)."""
    text = squash("\n".join(page_texts[:8]))
    for m in _PARENT.finditer(text):
        name = official_name(m.group(1))
        if name.startswith("市") and city:
            name = city + name
        if name != department and _looks_like_institution(name) and name not in department:
            return name
    cap = re.search(r"预算主管部门[:：]([\u4e00-\u9fff（）()]{4,40})", text)
    return official_name(cap.group(1)) if cap and official_name(cap.group(1)) != department else ""


def _department(path: Path, cover_dept: str, page_texts: list[str], ident: Identity) -> str:
    """The department from the cover, else the tables' naming lines, else the file name; checked against how
    the document prints it, with a warning when two sources disagree."""
    cap_dept, _ = caption_department(page_texts)
    text = squash("\n".join(page_texts))
    dept = cover_dept or cap_dept
    if cover_dept and cap_dept and squash(cover_dept) != squash(cap_dept) \
            and not cap_dept.startswith(cover_dept) and not cover_dept.startswith(cap_dept):
        ident.warnings.append(f"the cover names {cover_dept}, the tables name {cap_dept}: the cover is used")
    if dept:
        return dept
    name = department_from_file_name(path.stem)
    if not name:
        ident.warnings.append("department not found in the document")
        return ""
    printed = printed_form(name, text)
    if printed == name and name in text:
        ident.warnings.append(f"department read from the file name ({name}), as the document prints it")
        return name
    if printed != name:
        ident.warnings.append(f"department read from the file name ({name}), as the document prints it: "
                              f"{printed}")
        return printed
    ident.warnings.append(f"department read from the file name ({name}): not printed in the document")
    return name


def read_identity(path: Path, cover: list[str], page_texts: list[str]) -> Identity:
    """Identity from the cover, then page headers and table titles; the file name only as a last resort."""
    ident = Identity()
    dept, year, kind = cover_identity(cover)
    _, cap_key = caption_department(page_texts)
    # "…局(本级)" names the department's own office: the same department (the kind says 单位预算)
    ident.department = re.sub(r"\s*[（(]\s*本级\s*[)）]\s*$", "",
                              _department(path, dept, page_texts, ident))
    ident.year = year or _year_from_titles(page_texts)
    ident.kind = kind
    if not ident.kind:
        joined = squash("\n".join(page_texts[:3]))
        m = _KIND.search(joined)
        if m:
            ident.kind = m.group(1)
        elif cap_key in ("预算单位", "编制单位", "决算单位"):
            ident.kind = "单位决算" if "决算" in joined else "单位预算"
        elif re.search(r"预算", joined):
            ident.kind = "部门预算"
    stem = path.stem
    if ident.year is None:
        m = _FILE_YEAR.search(stem)
        if m:
            ident.year = int(m.group(1))
            ident.warnings.append(f"year read from the file name ({ident.year}): not printed in the document")
        else:
            ident.warnings.append("year not found in the document")
    if not ident.kind:
        guess = next((k for tag, k in _FILE_KIND.items() if tag in stem), "")
        guess = guess or next((k for k in ("部门预算", "单位预算", "部门决算") if k in stem), "")
        ident.kind = guess or "部门预算"
        how = "the file name" if guess else "default, nothing in the document or its name says"
        ident.warnings.append(f"kind {ident.kind} from {how}")
    if ident.level == "unit" and ident.department:
        place = (re.match(r"^([\u4e00-\u9fff]{2,3}?)市", ident.department)
                 or re.search(r"^\d{3}_([^_\s]{2,4})__", stem))
        ident.parent = parent_of(ident.department, page_texts, place.group(1) if place else "")
    ident.region = region_of(ident.department)
    return ident

