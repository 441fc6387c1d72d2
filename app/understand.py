"""Question understanding: language, years, document kind, operation, unit asked for, glossary terms.

Pure: text in, Query out. Which documents and facts the terms point to is
decided later, against the store (app.scope, app.engine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.glossary import Glossary, Match
from ingest.numbers import to_halfwidth

_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)(?!\s*(?:万元|元|人|个|%))")

_OPS: list[tuple[str, re.Pattern[str]]] = [
    ("describe", re.compile(r"(\bglossary\b|名词解释|主要包括|包括哪些|包含哪些|有哪些|哪些内容|\bwhat is included\b|\bwhat are the\b.*\b(divisions|items|components)\b|是什么|什么是|指什么|含义|什么意思|是指|职能|职责|做什么|干什么|负责什么|负责哪些|用于|用途|用在|"
                            r"\bmean(s|ing)?\b|\bdefin|\bresponsib|\bfunctions?\b|\bused for\b|\bpurpose\b|\bwhat does\b.*\bdo\b|"
                            r"\bexplain\b|\bdescribe\b|\bwhat kind of\b)", re.I)),
    ("per_unit", re.compile(r"(人均|每人|每个编制|每名|平均每|\bper (post|capita|person|head|staff|employee|authori[sz]ed|internal|division|unit of staff)|"
                            r"\bper-capita\b|\baverage per\b)", re.I)),
    ("growth", re.compile(r"(\bin percentage terms\b|\bby what percentage\b|增长率|增幅|降幅|下降.*百分|增长.*百分|百分之几|\bgrowth rate\b|\bby what percent|\bpercent(age)? change\b|"
                          r"\bby how many percent)", re.I)),
    ("change", re.compile(r"(比上年|比去年|较上年|较去年|同比|增减|增加了?多少|减少了?多少|变化|变动|比20\d\d年|"
                          r"\bchange[ds]?\b|\bincrease[ds]?\b|\bdecrease[ds]?\b|\bcompared (with|to)\b|\byear[- ]on[- ]year\b|"
                          r"\bthan last year\b|\bvs\.? last year\b|\bfell\b|\bgrew\b|\bcut\b)", re.I)),
    ("ratio", re.compile(r"(几倍|倍数|多少倍|\btimes\b|\bratio\b|\bmultiple of\b)", re.I)),
    ("share", re.compile(r"(占比|比例|比重|占.{0,20}(多少|百分|几成|%)|份额|百分之|\bshare\b|\bpercent(age)?\b|\bproportion\b|"
                         r"\bwhat fraction\b|%)", re.I)),
    ("difference", re.compile(r"(\bhow much (more|less|higher|lower|larger|bigger|smaller|greater)\b|多多少|少多少|差多少|相差|差额|差距|多出|高出|低多少|\bmore than\b|\bless than\b|\bdifference\b|"
                              r"\bhigher than\b|\blower than\b|\bexceed|\bgap\b)", re.I)),
    ("rank_max", re.compile(r"(\bwhich\b[^?]*\b(more|larger|bigger|higher)\b|哪个.{0,12}(更多|多|大|高)[？?]?$|哪一?个.{0,12}更(多|大|高)|最多|最大|最高|最主要|排名第一|第[二三四五2-5]大|第[二三四五2-5]多|哪个多|哪个更多|哪个大|\bwhich is (larger|bigger|more|greater)\b|\branks? second\b|\blargest\b|\bbiggest\b|\bmost\b|\bhighest\b|\btop\b)", re.I)),
    ("rank_min", re.compile(r"(\bwhich\b[^?]*\b(less|smaller|lower)\b|哪个.{0,12}(更少|少|小|低)[？?]?$|哪一?个.{0,12}更(少|小|低)|最少|最小|最低|哪个少|哪个更少|哪个小|\bwhich is (smaller|less|lower)\b|\bsmallest\b|\bleast\b|\blowest\b|\bfewest\b)", re.I)),
    ("sum", re.compile(r"(加起来|一共|总共|之和|总和|共计|合起来|加在一起|\bcombined\b|\bsum\b|\btogether\b|\badd(ed)? up\b|"
                       r"\bplus\b|\bin total\b|\btotal of\b)", re.I)),
    ("count", re.compile(r"(多少人|几个|多少个|多少辆|几辆|多少名|几名|多少家|几家|多少平方米|面积|\bhow many\b|\bnumber of\b|"
                         r"\bcount\b|\bheadcount\b|\bfloor area\b|\bsquare met)", re.I)),
]
_PRIOR = re.compile(r"(去年|上年(?!结转)|上一年|\blast year\b|\bprevious year\b|\bprior year\b|\bthe year before\b)", re.I)
_THIS = re.compile(r"(今年|本年|当年|\bthis year\b|\bcurrent year\b)", re.I)
_UNIT_ASKS: list[tuple[str, re.Pattern[str]]] = [
    ("亿元", re.compile(r"(亿元|\b100 million yuan\b|\bhundred million yuan\b|\byi yuan\b)", re.I)),
    ("万元", re.compile(r"(多少万元|以万元|万元为单位|按万元|\b10,?000 yuan\b|\bten thousand yuan\b|\bwan yuan\b)", re.I)),
    ("元", re.compile(r"((?<![万亿])元为单位|多少元|几元|[以按用折合换算成]+元(?![^，。？?]*万)|(?<![万亿])元[？?]?$|"
                     r"\bin yuan\b|\bhow many yuan\b|\bin rmb\b|\bplain yuan\b)", re.I)),
]
_KIND = re.compile(r"(部门预算|单位预算|部门决算|单位决算|决算|预算)")
_KIND_EN = [("单位预算", re.compile(r"\bunit budget\b", re.I)), ("部门决算", re.compile(r"\bfinal accounts?\b", re.I)),
            ("部门预算", re.compile(r"\bdepartment(al)? budget\b", re.I))]


@dataclass
class Query:
    text: str
    norm: str
    lang: str
    years: list[int] = field(default_factory=list)
    relative: int | None = None  # 0 this year, -1 last year
    kind: str = ""
    kinds: list[str] = field(default_factory=list)  # every document kind the question names
    operation: str = "lookup"
    target_unit: str = ""
    terms: list[Match] = field(default_factory=list)  # subject/measure terms, in question order
    places: list[Match] = field(default_factory=list)
    institutions: list[Match] = field(default_factory=list)

    @property
    def zh(self) -> bool:
        return self.lang == "zh"


def detect_language(text: str) -> str:
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk and cjk * 3 >= latin else ("zh" if cjk and not latin else "en" if latin else "zh")


_MONEY_WORDS = re.compile(r"(\bhow much\b|\bhow many\b|\bspend|\bbudget|\bamount\b|\bcost|\bfigure\b|\btotal\b|\bfund|"
                          r"\bpaid\b|\bworth\b|\bvalue\b|\bin yuan\b|\ballocat|\d)", re.I)


def detect_operation(text: str) -> str:
    if re.match(r"\s*what (is|are) ", text, re.I) and not _MONEY_WORDS.search(text) and "(" in text:
        return "describe"  # "What is project expenditure (项目支出)?" asks for the definition
    for name, pattern in _OPS:
        if pattern.search(text):
            if name == "describe" and re.search(r"(多少|几|\bhow much\b|\bhow many\b)", text, re.I):
                continue  # "用于…的支出是多少" asks for a figure
            return name
    return "lookup"


def detect_unit(text: str) -> str:
    for unit, pattern in _UNIT_ASKS:
        if pattern.search(text):
            return unit
    return ""


def understand(question: str, glossary: Glossary | None = None) -> Query:
    glossary = glossary or Glossary.load()
    norm = to_halfwidth(question).strip()
    q = Query(text=question, norm=norm, lang=detect_language(norm))
    q.years = [int(y) for y in _YEAR.findall(norm)]
    if _PRIOR.search(norm) and not re.search(r"(结转|carried over|carry-over|carryover)", norm, re.I):
        q.relative = -1
    elif _THIS.search(norm):
        q.relative = 0
    for kind, pattern in _KIND_EN:
        if pattern.search(norm):
            q.kind = kind
            break
    m = _KIND.search(norm)
    if m and not q.kind and m.group(1) in ("部门预算", "单位预算", "部门决算", "单位决算"):
        q.kind = m.group(1)
    elif m and not q.kind and m.group(1) == "决算":
        q.kind = "部门决算"
    q.kinds = [k for k, pattern in _KIND_EN if pattern.search(norm)]
    for found in _KIND.findall(norm):
        k = {"决算": "部门决算", "预算": ""}.get(found, found)
        if k and k not in q.kinds:
            q.kinds.append(k)
    q.operation = detect_operation(norm)
    q.target_unit = detect_unit(norm)
    for match in glossary.find(norm):
        if match.term.kind == "place":
            q.places.append(match)
        elif match.term.kind == "institution":
            q.institutions.append(match)
        elif match.term.zh in ("部门预算", "单位预算", "部门决算"):
            continue
        else:
            q.terms.append(match)
    return q
