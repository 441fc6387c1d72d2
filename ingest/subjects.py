"""What a narrative clause is about: its subject as written, and the item the tables and glossary name it.

"2026 年北京市卫生健康委员会政府采购预算总额" is about 政府采购; "机关运行经费财政拨款预算" about 机关运行经费;
"货物类项目" after "政府采购…其中：" about 政府采购货物. The item is the subject's shortest form that is a
glossary name (what questions and tables use), or the subject itself when no form is.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.glossary import Glossary
from ingest.labels import normalise_label
from ingest.numbers import to_halfwidth

_GAP = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")  # "2026 年度" is "2026年度"
_LEAD_NOTE = re.compile(r"^[(（][^()（）]{1,12}[)）]")  # "（本级）部门预算收入"
_FILLER = re.compile(
    r"^(?:其中|部门本级和所属各预算单位|部门本级|本部门的?|本单位的?|共有|核定|安排|使用|计划新增|计划|涉及|合计|"
    r"主要用于|以上|全年|当年|部门|的|为|是|约|共|增减相抵后|纳入[^的，,]{0,12}的)+"
)
# "…共计", "…总计" after a subject add nothing, except where they are the name (收入支出总计, 本年收入合计)
_TRAILING = re.compile(r"(?:为|是|共计|(?<!收入)(?<!支出)合计|共有|达到|约|共|(?<!收入)(?<!支出)总计)$")
_ARRANGED = re.compile(r"^.*?安排的")  # "一般公共预算拨款安排的会议费预算支出": the item is 会议费
_BUDGET_SUFFIX = re.compile(r"(?<=费)(?:预算)?(?:支出)?(?:预算)?数?$")
_YEAR_PREFIX = re.compile(r"^(?:截至|截止)?20\d{2}年(?:\d{1,2}月(?:底|末)?)?(?:度)?")
_COMPARED = re.compile(r"与(?:20\d{2}年|上一?年)度?相比")
_YEAR = re.compile(r"20\d{2}年(?:度)?")
_TWICE = re.compile(r"(支出|收入)\1$")
_QUOTED = re.compile(r"^[“\"]([^“”\"]+)[”\"](?=科目$|$)")  # "“一般公共服务支出”科目"
OUT = "〔境〕"  # 出国（境）keeps its brackets through clause splitting


def compact(text: str) -> str:
    """Full-width folded, spaces inside Chinese text removed (a PDF spaces out "深 圳 市")."""
    return _GAP.sub("", to_halfwidth(text))


def clean_subject(text: str, department: str = "", part_words: re.Pattern | None = None) -> str:
    """The item a clause names: years, fillers and the department's own name taken off."""
    s = compact(text).strip().replace(OUT, "（境）")
    if part_words is not None:
        marker = part_words.match(s)
        s = s[marker.end():] if marker else s
    if department and department in s:
        s = s[s.index(department) + len(department):]
    prev = None
    while prev != s:
        prev = s
        s = _YEAR_PREFIX.sub("", s).strip()
        s = _COMPARED.sub("", s)
        s = _LEAD_NOTE.sub("", s)
        s = _FILLER.sub("", s).strip()
        s = _TRAILING.sub("", s).strip()
    s = _BUDGET_SUFFIX.sub("", _ARRANGED.sub("", s)).strip()
    s = _TWICE.sub(r"\1", s)  # "社会保障和就业支出（类）支出": the marks gone, 支出 once
    return _unbracketed(normalise_label(s))


def _unbracketed(s: str) -> str:
    """"）比上年" after a bracket closed in the sentence before: no subject, not "）"."""
    s = s.lstrip(")）、,，")
    if s[:1] in "(（" and not re.search(r"[)）]", s):
        s = s[1:]
    if s[-1:] in "(（":
        s = s[:-1]
    return s


def own_subject(text: str, generic: frozenset[str], department: str = "",
                part_words: re.Pattern | None = None) -> str:
    """The subject a clause names itself, or "" when it names none ("2026 年预算数" is the topic's figure).

    "公务用车购置费 2026 年预算数": the item stands before the year, the rest is generic.
    """
    flat = compact(text)
    years = list(_YEAR.finditer(flat))
    if years and years[-1].start() > 0:
        tail = clean_subject(flat[years[-1].start():], department, part_words)
        head = clean_subject(flat[:years[-1].start()], department, part_words)
        if (not tail or tail in generic) and head and head not in generic:
            return head
    subject = clean_subject(flat, department, part_words)
    return subject if subject and subject not in generic else ""


class Items:
    """Names narrative subjects as the glossary (and so the tables and questions) name the item."""

    def __init__(self, glossary: Glossary, words: dict):
        self.glossary = glossary
        s = words["subject"]
        self.endings = sorted(s["endings"], key=len, reverse=True)
        self.leads = sorted(s["leads"], key=len, reverse=True)
        self.appropriation_items = {normalise_label(x) for x in s["appropriation_items"]}
        self.appropriation_leads = sorted(s["appropriation_leads"], key=len, reverse=True)
        self.totals = {normalise_label(k): v for k, v in s["totals"].items()}

    def known(self, name: str) -> bool:
        return len(name) >= 2 and any(t.kind != "place" and t.kind != "institution"
                                      for t in self.glossary.candidates(name))

    def name(self, subject: str, whole: str = "") -> str:
        """The item a subject is about (see the module note); a part named by its kind alone is its whole's
        part of that kind."""
        if not subject:
            return subject
        subject = _QUOTED.sub(r"\1", subject)
        if subject in self.totals:
            return self.totals[subject]
        known = []
        for form in self._forms(subject):
            if form in self.totals:
                return self.totals[form]
            if self.known(form):
                known.append(form)
        if known:
            return min(known, key=len)
        if whole:
            part = self._kind_part(subject, self.name(whole))
            if part:
                return part
        return subject

    def canonical(self, name: str) -> str:
        """The glossary's own name for an item (政府采购支出 → 政府采购), else the name: how a part names its
        whole."""
        name = self.name(name)
        term = self.glossary.by_zh(name) if self.known(name) else None
        return term.zh if term is not None else name

    def is_total(self, name: str) -> bool:
        """收入总计 / 支出总计: a budget's whole, never a part of anything."""
        return name in self.totals.values()

    def _forms(self, subject: str):
        yield subject
        stems = [subject] + [subject[len(lead):] for lead in self.leads if subject.startswith(lead)]
        for stem in stems:
            yield stem
            for ending in self.endings:
                if stem.endswith(ending) and len(stem) > len(ending) + 1:
                    yield stem[:-len(ending)]
        for lead in self.appropriation_leads:
            if subject.startswith(lead):
                rest = subject[len(lead):]
                for form in (rest, *(rest[:-len(e)] for e in self.endings if rest.endswith(e))):
                    if form in self.appropriation_items or any(t.zh in self.appropriation_items
                                                               for t in self.glossary.candidates(form)):
                        yield form

    def _kind_part(self, subject: str, whole: str) -> str:
        """"服务类项目" or "拟采购服务支出" of 政府采购 is 政府采购服务: the glossary item named by the whole's
        name and a kind the subject names."""
        term = self.glossary.by_zh(whole)
        if term is None or len(subject) > 12:
            return ""
        kinds = [t.zh for t in self.glossary.terms(term.kind)
                 if t.zh.startswith(term.zh) and len(t.zh) > len(term.zh) and t.zh[len(term.zh):] in subject]
        return max(kinds, key=len) if len(kinds) == 1 else ""


@lru_cache(maxsize=1)
def items() -> Items:
    import tomllib

    from ingest.statements import WORDS_PATH  # the same data file

    return Items(Glossary.load(), tomllib.loads(WORDS_PATH.read_text(encoding="utf-8")))
