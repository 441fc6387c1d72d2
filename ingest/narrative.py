"""Figures stated in narrative sentences become Facts, with subject, measure and comparison base.

"基本支出631.55万元，占55.81%" gives an amount and a share of 基本支出;
"本年预算比2025年当年预算减少32.12万元" gives a change of 本年预算 against
"2025年当年预算"; "本部门无政府性基金预算拨款" gives an explicit none.

Linear time in the text length (a public upload can be one 100,000-character paragraph): the year a
figure refers to is carried forward in one pass instead of re-scanning the text before every figure,
and the patterns anchored at a clause's end look only at its last ``_TAIL`` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.flatten import fact_id
from ingest.labels import normalise_label
from ingest.model import Document, Fact, Passage
from ingest.numbers import parse_number, to_halfwidth
from ingest.units import canonical_unit

_MENTION = re.compile(  # starts only at the start of a digit run: no quadratic retries inside one
    r"(?<![\d,])(?P<num>[+-]?\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<unit>亿元|万元|元|%|批次|人次|人|名|个|辆|平方米|台/套|台（套）|台\(套\)|台|套|家)"
)
_SENTENCE = re.compile(r"[^。；;！？\n]+[。；;！？]?")
_CATEGORY_MARK = re.compile(  # (类) marks, (含)/(不含车辆) and （以合同签订为准） notes
    r"[(（]\s*(?:[类款项]|含|不含[^）)]{0,8}|以[^（）()\d]{1,10}为准)\s*[)）]"
)
_CLAUSE_BREAK = re.compile(r"[，,。；;：:、（）()]")
_CHANGE = re.compile(
    r"(?P<subj>[^，,；;。]*?)比\s*(?:(?P<year>20\d{2})\s*年|(?P<last>上年|上一年|去年|上年度))\s*(?P<base>[^，,；;。]*?)"
    r"(?P<dir>增加|减少|增长|下降|持平)\s*$"
)
# "社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）": the item is the 项, not the chain
_CHAIN = re.compile(  # bounded parts: linear in the text length
    r"(?:[^\s，,。；;：:（）()]{1,30}?[（(]\s*[类款]\s*[)）]){1,2}(?=[^\s，,。；;：:（）()]{1,30}?[（(]\s*项\s*[)）])")
_BASE = re.compile(r"与\s*(?:(20\d{2})\s*年|上一?年)(度)?\s*相比")
_COMPARED = re.compile(r"与\s*(?:20\d{2}\s*年|上一?年)度?\s*相比")
# "一般公共预算拨款安排的会议费预算支出": the item is 会议费
_ARRANGED = re.compile(r"^.*?安排的")
_BUDGET_SUFFIX = re.compile(r"(?<=费)(?:预算)?(?:支出)?(?:预算)?数?$")
_OUT = "〔境〕"  # 出国（境）keeps its brackets through clause splitting
_NONE = re.compile(r"(?:本(?:部门|单位)\s*(?:(?:20\d{2})\s*年)?(?:度)?(?:年初)?|(?:20\d{2})\s*年度?)\s*"
                   r"(?:没有|无|不编制|未编制|未安排)(?P<what>[^。；;，,（(]{2,40})")  # 本部门年初不编制…预算
_YEAR_PREFIX = re.compile(r"^(?:截至)?\s*20\d{2}\s*年(?:\d{1,2}月(?:底|末)?)?(?:度)?")
_FILLER = re.compile(
    r"^(?:其中|部门本级和所属各预算单位|部门本级|本部门的?|本单位的?|共有|核定|安排|使用|计划新增|计划|涉及|合计|"
    r"主要用于|以上|全年|当年|部门|的|为|是|约|共)+"
)
_TRAILING = re.compile(r"(?:为|是|共计|合计|达到|约|共)$")
_TAIL = 200  # a clause's end patterns (比…增加, 增长 …) never need more than this
_COUNT_UNITS = {"人", "名", "个", "辆", "台", "套", "台/套", "家", "批次", "人次"}
_UP = {"增加", "增长"}
_DOWN = {"减少", "下降"}


@dataclass
class _Mention:
    start: int
    end: int
    value: str
    unit: str


def _clean_label(text: str, department: str = "") -> str:
    s = to_halfwidth(text).strip()
    if department and department in s:
        s = s[s.index(department) + len(department) :]
    s = _YEAR_PREFIX.sub("", s).strip()
    s = _COMPARED.sub("", s).strip()
    prev = None
    while prev != s:
        prev = s
        s = _FILLER.sub("", s).strip()
        s = _TRAILING.sub("", s).strip()
    s = _BUDGET_SUFFIX.sub("", _ARRANGED.sub("", s)).strip()
    return normalise_label(s.replace(_OUT, "（境）"))


_YEAR_AT = re.compile(r"(?<![比与较同和])(20\d{2})\s*年(?!度?\s*(?:相比|持平))")
_NOT_OF = "比与较同和"


def _year_of(text: str, start: int) -> bool:
    """A year at ``start`` is what a figure is *of* unless 比/与/较/同/和 comes just before it."""
    i = start - 1
    while i >= 0 and start - i < 50 and text[i].isspace():
        i -= 1
    return not (i >= 0 and text[i] in _NOT_OF)


def _years(text: str) -> list[tuple[int, int]]:
    """(end offset, year) of every year in the text that a figure can be *of*, in order."""
    return [(m.end(), int(m.group(1))) for m in _YEAR_AT.finditer(text) if _year_of(text, m.start(1))]


def _ref_year(text: str, default: int | None) -> int | None:
    """The last year named in the text that a figure is *of* (not "比2025年", "与2025年…持平")."""
    years = _years(to_halfwidth(text))
    return years[-1][1] if years else default


def _mentions(sentence: str) -> list[_Mention]:
    found = []
    for m in _MENTION.finditer(sentence):
        after = sentence[m.end() : m.end() + 2]
        threshold = after.startswith(("以上", "以下"))  # "单价50万元以上设备": not a figure
        found.append(_Mention(m.start(), m.end(), m.group("num"), "" if threshold else m.group("unit")))
    return found


def _clause_before(sentence: str, start: int, floor: int) -> str:
    cut = floor
    for m in _CLAUSE_BREAK.finditer(sentence, floor, start):
        cut = m.end()
    return sentence[cut:start]


_NOUN = re.compile(r"([^\d，,。；;：:、（）()\s的]{2,12})")


def _noun_after(sentence: str, end: int) -> str:
    m = _NOUN.match(sentence, end)
    return m.group(1) if m else ""


def _fact(doc: Document, passage: Passage, fid: str, label: str, value, unit: str, source: str, measure: str,
          year: int | None, compared: str) -> Fact:
    return Fact(id=fid, document_id=doc.id, department=doc.department, year=doc.year, doc_kind=doc.kind,
                table_id=None, table_title="", side="", row_label=label, label=label, code=None,
                column=passage.section, value=value, unit=unit, from_narrative=True, page=passage.page,
                line=passage.line, source_text=source, measure=measure, ref_year=year, compared_with=compared)


def sentence_facts(sentence: str, doc: Document, passage: Passage, offset: int, context: str = "",
                   context_year: int | None = None, carried: str = "") -> list[Fact]:
    """All figures one sentence states, each tied to its subject.

    ``context_year`` is the year the sentence's earlier clauses name (see ``narrative_facts``);
    ``carried`` the item the previous sentence stated an amount for, which a bare "比上年执行数增加43.74万元"
    is a change of.
    """
    original = sentence.strip()
    sentence = _CATEGORY_MARK.sub("", _CHAIN.sub("", sentence)).replace("（境）", _OUT).replace("(境)", _OUT)
    facts: list[Fact] = []
    subject = carried
    first_subject = ""
    half = to_halfwidth(sentence)
    base = _BASE.search(half)  # "与2023年度相比，…减少56.95万元"
    if context and context_year is None:
        context_year = _ref_year(context, None)
    years = _years(half)
    k = 0
    year = context_year or doc.year
    floor = 0
    for i, mention in enumerate(_mentions(sentence)):
        value = parse_number(mention.value)
        before = _clause_before(sentence, mention.start, floor)[-_TAIL:]
        while k < len(years) and years[k][0] <= mention.start:  # "截至2025年…；…设备2台" shares the year
            year = years[k][1]
            k += 1
        floor = mention.end
        if value is None or not mention.unit:
            continue
        unit = canonical_unit(mention.unit)
        measure, compared, label, noun = "amount", "", "", ""
        change = _CHANGE.search(to_halfwidth(before))
        if change:
            direction = change.group("dir")
            measure = "change_pct" if unit == "%" else "change"
            if direction in _DOWN:
                value = -value
            ref = change.group("year") or (str(doc.year - 1) if doc.year else "上")
            compared = f"{ref}年{normalise_label(change.group('base'))}"
            label = _clean_label(change.group("subj")) or subject
        elif base and unit != "%" and re.search(r"(增长|下降|增加|减少)\s*$", before):
            measure = "change"
            direction = re.search(r"(增长|下降|增加|减少)\s*$", before).group(1)
            if direction in _DOWN:
                value = -value
            label = _clean_label(re.sub(r"(增长|下降|增加|减少)\s*$", "", before), doc.department) or subject
            compared = f"{base.group(1) or (doc.year - 1 if doc.year else '上')}年{base.group(2) or ''}"
            subject = label
        elif unit == "%" and re.search(r"(增长|下降|增加|减少)\s*$", before):
            measure = "change_pct"
            if re.search(r"(下降|减少)\s*$", before):
                value = -value
            label = subject
            compared = facts[-1].compared_with if facts else ""
        elif unit == "%":
            measure = "share"
            label = subject
            compared = first_subject if first_subject != subject else ""
        else:
            if unit in _COUNT_UNITS:
                measure = "count"
                if mention.unit == "个" and re.search(r"(设|下设|共有|有)\s*$", before):
                    noun = _noun_after(sentence, mention.end)  # "司法局设12个内设机构"
            elif unit == "平方米":
                measure = "area"
            if mention.unit in ("名", "家"):
                noun = _noun_after(sentence, mention.end)
            elif not (mention.unit == "个" and re.search(r"(设|下设|共有|有)\s*$", before)):
                noun = ""
            label = _clean_label(noun or before, doc.department)
            if len(label) < 2:
                continue
            subject = label
            first_subject = first_subject or label
        if not label:
            continue
        facts.append(_fact(doc, passage, fact_id(doc.id, "narrative", passage.id, offset, i), label, value,
                           unit, original, measure, year, compared))
    for m in _NONE.finditer(sentence):
        what = normalise_label(m.group("what").replace(_OUT, "（境）"))
        facts.append(_fact(doc, passage, fact_id(doc.id, "narrative-none", passage.id, offset, m.start()),
                           what, None, "", original, "none", doc.year, ""))
    return facts


# "比上年增加\n8,126.52万元", "共有车辆\n0 辆": a line wrapped between words and their figure is one clause
_WRAPPED_CHANGE = re.compile(
    r"(?<=[\u4e00-\u9fff])\n(?=\s*[+-]?\d[\d,]*(?:\.\d+)?\s*(?:亿元|万元|元|%|人|名|个|辆|平方米|台|套|家))")


def split_sentences(text: str) -> Iterable[tuple[int, str]]:
    text = _WRAPPED_CHANGE.sub(" ", text)  # same length: offsets still point into the passage
    for m in _SENTENCE.finditer(text):
        if m.group(0).strip():
            yield m.start(), m.group(0)


def narrative_facts(passages: list[Passage], doc: Document) -> list[Fact]:
    """Every figure and every explicit "本部门无…" in the narrative, as Facts.

    A figure's year may come from an earlier clause of the same sentence ("截至2025年…；…设备2台"):
    clauses ended by ； are kept as context, a full stop clears it. The last year the kept clauses
    name is carried forward, so each sentence costs its own length only.
    """
    facts: list[Fact] = []
    for passage in passages:
        kept: int | None = None  # the year named by clauses ended by ；
        pending: int | None = None  # the year named by clauses not yet ended (a line break)
        carried = ""  # the item the last sentence gave an amount for
        for offset, sentence in split_sentences(passage.text):
            context_year = pending or kept
            found = sentence_facts(sentence, doc, passage, offset, context_year=context_year, carried=carried)
            facts.extend(found)
            amounts = [f.label for f in found if f.measure == "amount"]
            carried = amounts[-1] if amounts else carried
            years = _years(to_halfwidth(sentence))
            last = years[-1][1] if years else None
            end = sentence.rstrip()[-1:]
            if end in "；;":
                kept = last or pending or kept
                pending = None
            elif end in "。！？":
                kept = pending = None
            else:
                pending = last or pending
    return facts
