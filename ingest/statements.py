"""One grammar for the statements a narrative sentence makes, each tied to its subject.

"2026 年度收入预算 9,626.78 万元，比 2025 年年初预算数 9,819.98 万元减少 193.20 万元，下降 1.97%。" states
an amount, the prior figure it is compared with, the change with its sign and the rate: four statements
about one subject. A figure's role is read from the words just before it (比…, 增加, 占, 设 …) and just after
it (相比, 减少 …); the words are data (ingest/statements.toml). Rules are tried in order and the first that
reads a figure wins (``RULES``). Reasons (主要原因是…) and purposes (主要用于…) are attached to the statement
they follow; parts (其中：…) name their whole. ingest/narrative.py carries what one sentence leaves open
(the passage's topic, an open list of parts, a reason in the next sentence) across sentences.

Linear in the sentence length: every pattern looks at a bounded window before or after one figure.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ingest.labels import normalise_label
from ingest.numbers import cn_number, parse_number
from ingest.subjects import OUT, clean_subject, compact, items, own_subject
from ingest.template import measure_named
from ingest.units import canonical_unit

WORDS_PATH = Path(__file__).with_name("statements.toml")
COMPARISONS = ("prior", "change", "change_pct")
_TAIL = 200  # a figure's role never depends on more than this many characters before it

_MENTION = re.compile(  # starts only at the start of a digit run: no quadratic retries inside one
    r"(?<![\d.])(?<!\d,)(?P<num>[+-]?\d[\d,]*(?:\.\d+)?)\s*"  # "，0 名工勤编制": a comma after words
    r"(?P<unit>亿元|万元|元|%|批次|人次|人|名|个|辆|平方米|台/套|台（套）|台\(套\)|台|套|家)"
)
_CLAUSE_BREAK = re.compile(r"[，,。；;：:、（）()]")
_YEAR_AT = re.compile(r"(20\d{2})年(?!度?(?:相比|持平))")
_NOT_OF = "比与较同和"  # "比2025年…": a year a figure is compared with, not the year it is of
_NOUN = re.compile(r"[^\d，,。；;：:、（）()\s的]{2,12}")
_NOUN_AFTER_UNITS = ("名", "家")  # "11 家事业单位": the noun follows
_WHOLE_BUDGET = ("预算", "部门预算")
_CONJUNCTION_END = re.compile(r"(?:和|及|与|以及)$")
_ENUMERATOR = {
    "（一）": re.compile(r"^[(（][一二三四五六七八九十]+[)）]"),
    "一、": re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    "（1）": re.compile(r"^[(（]\d{1,2}[)）]"),
    "1.": re.compile(r"^\d{1,2}(?:[.．](?!\d)|[、)）])"),
    "一是": re.compile(r"^[一二三四五六七八九十]是"),
}


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Words:
    """The statement words (ingest/statements.toml), compiled once."""

    raw: dict
    base: re.Pattern  # 比 2025 年年初预算数 / 较上年 / 与 2025 年 … (相比)
    closer: re.Pattern  # 相比 after a base
    implicit: re.Pattern  # 同比: compared with the year before, no base named
    direction_end: re.Pattern  # 增加 / 减少 … just before a figure
    rate_end: re.Pattern  # 增幅 / 下降 … just before a rate
    flat: re.Pattern  # 持平
    prior_after: re.Pattern  # after a prior figure: 相比，增加 / 减少
    share: re.Pattern  # 占 … just before a rate
    explain: re.Pattern  # 主要原因是 / 主要用于 …
    part: re.Pattern  # 其中 / 包括 …
    lead_verb_end: re.Pattern  # 下设 / 共有 … just before a count
    lead_verb_start: re.Pattern  # a verb inside the words before a count ("…宣传部共有车辆")
    qualifier_end: re.Pattern  # 下属 / 所属 just before a count: part of the noun it counts
    generic: frozenset[str]
    up_words: tuple[str, ...]

    def listed(self, section: str, key: str) -> list[str]:
        return self.raw[section][key]


@lru_cache(maxsize=1)
def words() -> Words:
    raw = tomllib.loads(WORDS_PATH.read_text(encoding="utf-8"))
    c = raw["comparison"]
    year = rf"(?:(?P<year>20\d{{2}})年(?:度)?|(?P<last>{_alternatives(c['last_year'])}))"
    direction = _alternatives(c["up"] + c["down"])
    closer = _alternatives(c["closers"])
    flat = _alternatives(c["flat"])
    lead = _alternatives(raw["count"]["lead_verbs"])
    return Words(
        raw=raw,
        base=re.compile(rf"(?P<marker>{_alternatives(c['markers'])}){year}(?P<base>[^，,；;。：:]{{0,40}}?)"
                        rf"(?=(?:{closer})|(?:{direction})|(?:{flat})|[，,]|$|[+-]?\d)"),
        closer=re.compile(rf"(?:{closer})[，,]?"),
        implicit=re.compile(r"同比"),
        direction_end=re.compile(rf"(?P<dir>{direction})(?:为|是)?[:：]?$"),
        rate_end=re.compile(rf"(?P<dir>{_alternatives(c['rate_up'] + c['rate_down'] + c['up'] + c['down'])})"
                            rf"(?:率)?(?:为|是|了)?[:：]?$"),
        flat=re.compile(flat),
        prior_after=re.compile(rf"(?:{closer})?[，,]?(?:{direction}|{flat}|{closer})"),
        share=re.compile(rf"(?:{_alternatives(raw['share']['markers'])})(?P<whole>[^，,；;。]{{0,40}}?)"
                         r"(?:的)?(?:比重|比例|份额)?(?:为|是|达|约)?$"),
        explain=re.compile(_alternatives(raw["reason"]["markers"] + raw["purpose"]["markers"])),
        part=re.compile(rf"(?:{_alternatives(raw['part']['markers'])})[:：]?"),
        lead_verb_end=re.compile(rf"(?:{lead})$"),
        lead_verb_start=re.compile(rf"(?:{_alternatives(raw['count']['verbs'])})(?=..)"),
        qualifier_end=re.compile(rf"(?:{_alternatives(raw['count']['qualifiers'])})$"),
        generic=frozenset(normalise_label(x) for x in raw["subject"]["generic"]),
        up_words=tuple(c["up"] + c["rate_up"]),
    )


@dataclass
class Statement:
    """One thing a sentence states. ``subject`` is the item as the sentence names it (ingest/subjects.py
    names the item as the tables do); a part names its whole, a comparison its base, a share its whole."""

    kind: str  # amount | prior | change | change_pct | share | count | area
    subject: str
    value: Decimal
    unit: str
    year: int | None
    index: int  # the figure's place in the sentence (a stable id)
    at: int = 0  # where in the sentence it is stated
    compared: str = ""
    part_of: str = ""
    reason: str = ""
    purpose: str = ""
    basis: str = ""  # the measure its words name ("年初预算为 X" in a 决算: the budget, not the outturn)


@dataclass
class Comparison:
    base: str  # "2025年年初预算数"
    subject: str


@dataclass
class Figure:
    """One figure of a sentence and the words around it."""

    index: int
    start: int
    end: int
    value: Decimal
    unit: str  # as printed
    seg: str  # the text since the previous figure (at most _TAIL characters)
    before: str  # the same, within its clause
    after: str  # the text just after it


@dataclass
class Sentence:
    """A sentence being read (spaces inside Chinese removed) and what it has said so far."""

    text: str
    doc_year: int | None
    department: str = ""
    year: int | None = None  # the year the current figure is of
    subject: str = ""  # the item the last amount was of (the previous sentence's, at first)
    unit: str = ""  # that amount's unit
    topic: str = ""  # the item the passage is about ("（二）公务接待费。")
    whole: str = ""  # the item the figures are parts of
    whole_unit: str = ""  # its unit ("" when not known)
    comparison: Comparison | None = None
    statements: list[Statement] = field(default_factory=list)

    def last_year(self) -> str:
        return str(self.doc_year - 1) if self.doc_year else "上"

    def own(self, text: str) -> str:
        said = list(words().explain.finditer(text))  # "主要原因是基本支出增加": the words after the marker
        text = text[said[-1].end():] if said else text
        return own_subject(text, words().generic, self.department, words().part)

    def clean(self, text: str) -> str:
        return clean_subject(text, self.department, words().part)


# "社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）": the item is the 项, not the chain
_CHAIN = re.compile(  # bounded parts: linear in the text length; "（204类）" may carry the code
    r"(?:[^\s，,。；;：:（）()]{1,30}?[（(]\s*\d{0,7}\s*[类款]\s*[)）]){1,2}"
    r"(?=[^\s，,。；;：:（）()]{1,30}?[（(]\s*\d{0,7}\s*项\s*[)）])")
_NOTE = re.compile(  # (类) marks, (含)/(不含车辆) and （以合同签订为准） notes
    r"[(（]\s*(?:\d{0,7}\s*[类款项]|含|不含[^）)]{0,8}|以[^（）()\d]{1,10}为准)\s*[)）]"
)
_OUT = re.compile(r"[(（]境[)）]")
_BARE_ZERO = re.compile(r"(?<=[为是])0(?=[，,。；;]|$)")  # "因公出国（境）费为0，与2025年预算持平": zero in any unit
_BRACKETED_PARTS = re.compile(r"(?<=元)[(（](?=[^()（）]{0,30}?\d)")  # "210.39万元（公务用车购置费40万元；…）"


def prepare(sentence: str) -> str:
    """The sentence as the grammar reads it: spaces inside Chinese, category marks and notes taken out;
    出国（境）keeps its brackets out of the way of clause breaks (ingest/subjects.py puts them back); a count
    said in Chinese numerals ("七个处室") and a noun with a bracketed character ("处（室）") read as written
    with digits ("7个处室")."""
    text = _BARE_ZERO.sub("0万元", _OUT.sub(OUT, _NOTE.sub("", _CHAIN.sub("", compact(sentence)))))
    text = _COUNT_NUMERAL.sub(lambda m: str(cn_number(m.group(1))), text)
    return _BRACKETED_CHAR.sub(r"\1\2", text)


# 二 … 九十九 before a counting unit; 一 is left alone ("一个重要任务" counts nothing)
_COUNT_NUMERAL = re.compile(r"(?<![第一二两三四五六七八九十百千万亿\d])"
                            r"([二两三四五六七八九]?十[一二三四五六七八九]?|[二两三四五六七八九])"
                            r"(?=(?:个|名|家|辆|台|套|所|人))")
_BRACKETED_CHAR = re.compile(r"(处)[（(](室)[)）]")  # "5 个处（室）": 处室



def figures(text: str) -> list[Figure]:
    out: list[Figure] = []
    prev = 0
    for i, m in enumerate(_MENTION.finditer(text)):
        value = parse_number(m.group("num"))
        after = text[m.end():m.end() + 12]
        seg = text[max(prev, m.start() - _TAIL):m.start()]
        prev = m.end()
        if value is None or after.startswith(("以上", "以下", "以内")):  # "单价50万元以上设备": not a figure
            continue
        cut = 0
        for b in _CLAUSE_BREAK.finditer(seg):
            cut = b.end()
        out.append(Figure(i, m.start(), m.end(), value, m.group("unit"), seg, seg[cut:], after))
    return out


def years_of(text: str) -> list[tuple[int, int]]:
    """(end, year) of each year the text names that a figure can be *of* (not "比2025年")."""
    return [(m.end(), int(m.group(1))) for m in _YEAR_AT.finditer(text)
            if not (m.start() > 0 and text[m.start() - 1] in _NOT_OF)]


# ---------------------------------------------------------------- comparisons


def comparison_in(s: Sentence, text: str) -> tuple[Comparison, int, int] | None:
    """The last "比/较/与 + year + base (相比)" in a stretch of text: the comparison, its start and end."""
    w = words()
    found = _last(w.base, text)
    if found is None:
        implicit = w.implicit.search(text)
        if implicit is None:
            return None
        return Comparison(f"{s.last_year()}年", ""), implicit.start(), implicit.end()
    year = found.group("year") or s.last_year()
    closer = w.closer.match(text, found.end())
    end = closer.end() if closer else found.end()
    return Comparison(f"{year}年{normalise_label(found.group('base'))}", ""), found.start(), end


def _last(pattern: re.Pattern, text: str) -> re.Match | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last match is wanted
        pass
    return found


def _last_clause(text: str) -> str:
    cut = 0
    for b in _CLAUSE_BREAK.finditer(text):
        cut = b.end()
    return text[cut:]


def _signed(value: Decimal, direction: str) -> Decimal:
    return value if direction.startswith(words().up_words) else -value


def read_prior(s: Sentence, f: Figure) -> Statement | None:
    """"比 2025 年年初预算数 943,200.43 万元减少 …": the figure the current one is compared with."""
    found = comparison_in(s, f.seg)
    if found is None or found[2] < len(f.seg) or not words().prior_after.match(f.after):
        return None
    comparison, start, _ = found
    subject = s.own(_last_clause(f.seg[:start])) or s.subject
    s.comparison = Comparison(comparison.base, subject)
    year = re.match(r"(20\d{2})", comparison.base)
    return Statement("prior", subject, f.value, canonical_unit(f.unit), int(year.group(1)) if year else None,
                     f.index, f.start, compared=comparison.base)


def read_change(s: Sentence, f: Figure) -> Statement | None:
    """"…减少 7,753.64 万元" / "增长 6.4%" after a comparison: the change, signed, or its rate."""
    w = words()
    direction = (w.rate_end if f.unit == "%" else w.direction_end).search(f.before)
    if direction is None:
        return None
    head = f.seg[:len(f.seg) - len(f.before) + direction.start()]
    found = comparison_in(s, head)
    if found is not None:
        comparison, start, end = found
        subject = s.own(_last_clause(head[:start])) or s.own(head[end:]) or s.subject
        s.comparison = Comparison(comparison.base, subject)
    elif s.comparison is None:
        if f.unit != "%" or not s.statements:
            return None  # "新增 5 个": a count, not a change
        s.comparison = Comparison("", s.subject)  # "增长 5%" after an amount: its rate, the base unnamed
    else:  # "…主要原因是基本支出增加 49.12 万元": a clause naming its own item
        own = s.own(f.before[:direction.start()])
        if own:
            s.comparison = Comparison(s.comparison.base, own)
    subject = s.comparison.subject or s.subject  # "" when nothing names it: no statement, and no amount
    kind = "change_pct" if f.unit == "%" else "change"
    return Statement(kind, subject, _signed(f.value, direction.group("dir")), canonical_unit(f.unit),
                     s.year, f.index, f.start, compared=s.comparison.base)


def read_flat(s: Sentence) -> list[Statement]:
    """"与 2025 年预算持平": a change of zero, in the unit of the amount it is about."""
    out = []
    for m in words().flat.finditer(s.text):
        amounts = [x for x in s.statements if x.kind in ("amount", "count") and x.at < m.start()]
        found = comparison_in(s, s.text[max(0, m.start() - 60):m.start()])
        if found is None and (s.comparison is None or not amounts):
            continue
        if any(x.kind == "change" and (not amounts or x.at > amounts[-1].at)
               for x in s.statements if x.at < m.start()):
            continue  # "增加 0.00 万元，与上年持平": the change is stated
        base = found[0].base if found else s.comparison.base
        subject, unit = (amounts[-1].subject, amounts[-1].unit) if amounts else (s.subject, s.unit)
        if len(subject) >= 2 and unit:  # "与上年执行数持平。" after an amount: that item's
            out.append(Statement("change", subject, Decimal(0), unit, s.year, 1000 + m.start(), m.start(),
                                 compared=base))
    return out


# ---------------------------------------------------------------- shares, counts, amounts


def read_share(s: Sentence, f: Figure) -> Statement | None:
    """"占本年支出预算 34.27%": the share of the current subject in a whole."""
    if f.unit != "%" or len(s.subject) < 2:
        return None
    m = words().share.search(f.before)
    whole = normalise_label(m.group("whole")) if m else ""
    first = next((x.subject for x in s.statements if x.kind == "amount"), "")
    return Statement("share", s.subject, f.value, "%", s.year, f.index, f.start,
                     compared=whole or (first if first != s.subject else ""))


def read_count(s: Sentence, f: Figure) -> Statement | None:
    """"内设机构 12 个", "下设 39 个预算单位", "车辆 37 台": the number and what it counts."""
    unit = canonical_unit(f.unit)
    w = words()
    if f.unit not in w.listed("count", "units") and unit not in w.listed("count", "units"):
        return None
    before = s.clean(f.before)
    after = _NOUN.match(s.text, f.end)
    noun_after = after.group(0) if after else ""
    lead = w.lead_verb_end.search(f.before) is not None
    if noun_after and (lead or not before or f.unit in _NOUN_AFTER_UNITS):
        noun = _CONJUNCTION_END.sub("", s.clean(noun_after))  # "1 家行政单位和 11 家事业单位"
        qualifier = w.qualifier_end.search(f.before)  # "下属18个预算单位": the subordinate ones
        noun = qualifier.group(0) + noun if qualifier and not noun.startswith(qualifier.group(0)) else noun
    else:  # "…宣传部共有车辆 37 台": 车辆; "内设机构 12 个" is a name in itself
        verb = _last(w.lead_verb_start, before)
        noun = before if items().known(before) or verb is None else before[verb.end():]
    if len(noun) < 2:
        return None
    return Statement("count", noun, f.value, unit, s.year, f.index, f.start)


def read_area(s: Sentence, f: Figure) -> Statement | None:
    if f.unit != "平方米":
        return None
    subject = s.clean(f.before)
    return Statement("area", subject, f.value, "平方米", s.year, f.index, f.start) if len(subject) >= 2 else None


def read_amount(s: Sentence, f: Figure) -> Statement | None:
    """"基本支出预算 295,485.11 万元"; "2026 年预算数 15.86 万元" under "（二）公务接待费。" is the topic's."""
    if f.unit not in ("元", "万元", "亿元"):
        return None
    own = s.own(f.before)
    if not own and s.doc_year and s.year and s.year < s.doc_year and (s.topic or s.subject):
        return Statement("prior", s.topic or s.subject, f.value, f.unit, s.year, f.index, f.start,
                         compared=f"{s.year}年{s.clean(_YEAR_AT.split(f.before)[-1])}")  # "2025年执行数为 X"
    subject = own or s.topic or s.subject or s.clean(f.before)
    if subject in _WHOLE_BUDGET:  # "深圳市…办公室预算 55,884.67 万元": the budget the department names
        subject = "支出总计" if s.department and s.department in compact(f.before) else ""
    if len(subject) < 2:
        return None
    basis = measure_named(_last_clause(f.before), s.doc_year)
    return Statement("amount", subject, f.value, f.unit, s.year, f.index, f.start, basis=basis)


RULES: tuple[Callable[[Sentence, Figure], Statement | None], ...] = (
    read_prior, read_change, read_share, read_count, read_area, read_amount)


# ---------------------------------------------------------------- reasons and purposes


@dataclass(frozen=True)
class Explanation:
    kind: str  # reason | purpose
    at: int
    text: str
    opens_list: bool  # "主要原因说明：1.…" — the list goes on in the next sentences


def explanation(text: str, statements: list[Statement], printed: str = "") -> Explanation | None:
    """The first "主要原因是…" or "主要用于…" of a sentence; 主要是 explains a change, else says what for.

    ``printed`` is the sentence as printed (spaces taken out): the explanation is quoted from it.
    """
    found = words().explain.search(text)
    if found is None:
        return None
    marker = found.group(0)
    printed = printed or text
    start = printed.find(marker)
    said = printed[start + len(marker):] if start >= 0 else text[found.end():]
    said = said.lstrip("：:是为，, ").rstrip("。；;")
    before = [x for x in statements if x.at < found.start()]
    if any(w in marker for w in ("原因", "由于", "因为")) or marker == "主要系":
        kind = "reason"
    elif "用于" in marker or "包括" in marker:
        kind = "purpose"
    else:  # 主要是: why after a change, what for after an amount
        kind = "reason" if before and before[-1].kind in COMPARISONS else "purpose"
    opens = bool(re.match(r"[：:]", text[found.end():])) and (not said or bool(enumerator(said)))
    if not said and not opens:
        return None
    return Explanation(kind, found.start(), said, opens)


def attach(ex: Explanation, statements: list[Statement]) -> list[Statement]:
    """Give the explanation to the statements it follows in its sentence; the ones it was given to."""
    before = [x for x in statements if x.at < ex.at]
    if ex.kind == "reason":
        targets = [x for x in before if x.kind in COMPARISONS and not x.reason]
        for x in targets:
            x.reason = ex.text
        return targets
    amounts = [x for x in before if x.kind == "amount"]
    if amounts:
        amounts[-1].purpose = ex.text
    return amounts[-1:]


# ---------------------------------------------------------------- parts and the sentence


def enumerator(text: str) -> str:
    """The style of enumerator a sentence starts with ("（一）", "1." …), or ""."""
    s = compact(text).lstrip()
    return next((style for style, pattern in _ENUMERATOR.items() if pattern.match(s)), "")


def dangling_part(s: Sentence) -> bool:
    """"…。其中：" — the parts are listed in the sentences that follow."""
    last = _last(words().part, s.text)
    return last is not None and not any(x.at >= last.end() for x in s.statements) and \
        not s.text[last.end():].strip("：:。；; ")


def _alike(unit: str, whole_unit: str) -> bool:
    money = ("元", "万元", "亿元")
    return not whole_unit or unit == whole_unit or (unit in money and whole_unit in money)


def read_sentence(s: Sentence, context_year: int | None = None) -> list[Statement]:
    """Every statement of one sentence in order; figures after 其中 are parts of the item before it."""
    marks = sorted([m.end() for m in words().part.finditer(s.text)] +
                   [m.end() for m in _BRACKETED_PARTS.finditer(s.text)])
    years = years_of(s.text)
    s.year = context_year or s.doc_year
    k = 0
    for f in figures(s.text):
        while k < len(years) and years[k][0] <= f.start:  # "截至2025年…；…设备2台" shares the year
            s.year = years[k][1]
            k += 1
        if marks and marks[0] <= f.start:
            s.whole, s.whole_unit = (s.subject, s.unit) if s.subject else (s.whole, s.whole_unit)
            marks = [m for m in marks if m > f.start]
        st = next((x for x in (rule(s, f) for rule in RULES) if x is not None), None)
        if st is None or len(st.subject) < 2:
            continue
        if st.kind in ("amount", "count"):
            s.subject, s.unit = st.subject, st.unit
            s.comparison = None
        if st.kind in ("amount", "count") and s.whole and st.subject != s.whole and \
                _alike(st.unit, s.whole_unit):
            st.part_of = s.whole  # a part is counted as its whole is: 辆 of 车辆, not 台 of 设备
        s.statements.append(st)
    s.statements += read_flat(s)
    s.statements.sort(key=lambda x: x.at)
    return s.statements
