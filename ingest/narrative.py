"""What the narrative states, as Facts: each statement of ingest/statements.py, tied to the tables' item.

A sentence leaves things open that the next one settles, and this module carries them across:
- the year a figure is of ("截至2025年…；…设备2台"): clauses ended by ； keep it, a full stop clears it;
- the item a bare clause is about: "（二）公务接待费。2026 年预算数 15.86 万元" (the passage's topic), "较上年
  增加 43.74 万元" after an amount (the item the last sentence stated);
- parts listed after "其中：" in the sentences that follow, enumerated ("（一）…（二）…") or up to the full stop;
- a reason in its own sentence ("…下降 1.97%。主要原因是…") explains the changes stated before it in the
  section; a purpose in its own sentence ("主要用于…") the item the sentence before was about;
- "本部门无政府性基金预算拨款": an explicit none.

Linear in the text length (a public upload can be one 100,000-character paragraph): each sentence is read
once, with windows bounded by its own length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ingest.flatten import fact_id
from ingest.labels import normalise_label
from ingest.model import Document, Fact, Passage
from ingest.statements import (
    COMPARISONS,
    Explanation,
    Sentence,
    Statement,
    attach,
    dangling_part,
    enumerator,
    explanation,
    prepare,
    read_sentence,
    years_of,
)
from ingest.subjects import OUT, clean_subject, items

_SENTENCE = re.compile(r"[^。；;！？\n]+[。；;！？]?")
_NONE = re.compile(r"(?:本(?:部门|单位)\s*(?:(?:20\d{2})\s*年)?(?:度)?(?:年初)?|(?:20\d{2})\s*年度?)\s*"
                   r"(?:没有|无|不编制|未编制|未安排)(?P<what>[^。；;，,（(]{2,40})")  # 本部门年初不编制…预算
# "比上年增加\n8,126.52万元", "共有车辆\n0 辆": a line wrapped between words and their figure is one clause
_WRAPPED = re.compile(
    r"(?<=[\u4e00-\u9fff])\n(?=\s*[+-]?\d[\d,]*(?:\.\d+)?\s*(?:亿元|万元|元|%|人|名|个|辆|平方米|台|套|家))")
_GAP = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")
_FLAT_NONE = re.compile(r"^[^\d]*持平")  # a none, then 持平 and no figure
_MONEY_OR_RATE = ("元", "万元", "亿元", "%")
_TOPIC_MAX = 24  # "（一）因公出国（境）费用。": a passage's opening words that name its item
_HEADING_ENDING = re.compile(r"(?:预算)?(?:安排)?(?:情况)?(?:说明)?$")  # "（二）机关运行经费说明"
_SITUATION = re.compile(r"(情况|说明|概况|部分|目标|措施|职责|职能|机构|名词|解释|总体|占用|绩效)")
_REASON_MAX = 600


def _section_topic(section: str) -> str:
    """"…> （二）公务接待费": the item an enumerated heading names, for a passage whose clauses name none
    ("2026 年预算安排 6.10 万元，比上年减少 0.10 万元"); a heading about a situation (…情况说明) names none."""
    tail = section.split(" > ")[-1].strip()
    if not enumerator(tail):
        return ""
    item = _HEADING_ENDING.sub("", clean_subject(tail))
    return item if 2 <= len(item) <= _TOPIC_MAX // 2 and not _SITUATION.search(item) else ""


def split_sentences(text: str) -> Iterable[tuple[int, str]]:
    text = _WRAPPED.sub(" ", text)  # same length: offsets still point into the passage
    for m in _SENTENCE.finditer(text):
        if m.group(0).strip():
            yield m.start(), m.group(0)


@dataclass
class _Level:
    """An open list of parts: its whole, and the enumerator its parts start with ("" until the first)."""

    whole: str
    style: str | None = None  # None: no part yet; "": parts not enumerated (they end at the full stop)
    parts: int = 0
    unit: str = ""


@dataclass
class _Said:
    statement: Statement
    passage: Passage
    offset: int
    source: str


@dataclass
class Reading:
    """One document's narrative, read passage by passage (see the module note)."""

    doc: Document
    said: list[_Said] = field(default_factory=list)
    nones: list[Fact] = field(default_factory=list)
    section: str | None = None
    levels: list[_Level] = field(default_factory=list)
    pending: list[Statement] = field(default_factory=list)  # changes no reason has explained yet
    open_reason: list[Statement] = field(default_factory=list)  # "原因说明：1.…；2.…" goes on
    carried: str = ""  # the item the last sentence with an amount was about
    carried_unit: str = ""
    listing: str = ""  # the whole of the unenumerated parts the last sentence went on with
    kept: int | None = None  # the year named by clauses ended by ；
    pending_year: int | None = None  # the year named by clauses not yet ended (a line break)

    def passage(self, passage: Passage) -> None:
        if passage.section != self.section:
            self.section, self.levels, self.pending, self.open_reason = passage.section, [], [], []
            self.carried = ""
        self.kept = self.pending_year = None
        self._open_passage(passage.text)
        topic, previous = _section_topic(passage.section), []
        for n, (offset, raw) in enumerate(split_sentences(passage.text)):
            s = Sentence(prepare(raw), self.doc.year, self.doc.department, subject=self.carried,
                         unit=self.carried_unit, topic=topic)
            none = _NONE.search(s.text)
            if none and _FLAT_NONE.search(s.text):  # "本部门没有…安排的支出，与上年持平": the none is the subject
                s.subject = normalise_label(none.group("what").replace(OUT, "（境）"))
                s.unit = self.doc.default_unit
            if n == 0 and not any(ch.isdigit() for ch in s.text.lstrip("（(一二三四五六七八九十0123456789.、）)")):
                topic = s.clean(s.text) if len(s.text) <= _TOPIC_MAX else ""  # "（一）因公出国（境）费用。"
            level = self._level_for(s.text, n)
            if level is not None:
                s.whole, s.whole_unit = level.whole, level.unit
            statements = read_sentence(s, self.pending_year or self.kept)
            self._explain(s, statements, previous, _GAP.sub("", raw.strip()))
            self._after_sentence(s, raw, statements)
            self.said += [_Said(x, passage, offset, raw.strip()) for x in statements]
            self._nones(raw, passage, offset)
            self._carry(s, statements)
            previous = statements or previous

    def _carry(self, s: Sentence, statements: list[Statement]) -> None:
        """The item a bare "较上年增加 …" in the next sentence is about: this sentence's item, or the whole its
        listed parts belong to ("X …，主要包括：A …；B …。较上年增加 …" is X's change)."""
        amounts = [x for x in statements if x.kind == "amount"]
        if not amounts:
            return
        listed = s.whole and self.listing == s.whole
        self.carried = s.whole if listed else amounts[0].subject
        self.carried_unit = amounts[0].unit

    # ---- parts
    def _open_passage(self, text: str) -> None:
        """A paragraph that does not go on with an enumeration closes it ("（三）…" after "（二）…" goes on)."""
        style = enumerator(text)
        if not style and not text.lstrip().startswith("其中"):
            self.levels = [lv for lv in self.levels if not lv.style]

    def _level_for(self, text: str, n: int) -> _Level | None:
        """The open list this sentence's item is a part of: the one whose enumerator it starts with."""
        self.listing = ""
        if not self.levels:
            return None
        style = enumerator(text)
        for i in range(len(self.levels) - 1, -1, -1):
            if style and self.levels[i].style == style:
                del self.levels[i + 1:]
                return self.levels[i]
        top = self.levels[-1]
        if top.style is None:
            top.style = style  # the first part sets how the rest are enumerated
        self.listing = top.whole if not top.style else ""
        return top if not top.style or n > 0 or top.style == style else None

    def _after_sentence(self, s: Sentence, raw: str, statements: list[Statement]) -> None:
        for x in statements:
            if x.part_of and self.levels and x.part_of == self.levels[-1].whole:
                self.levels[-1].parts += 1
        if dangling_part(s) and (s.subject or s.topic):
            self.levels.append(_Level(s.subject or s.topic, unit=s.unit if s.subject else ""))
        elif s.whole and s.whole != (self.levels[-1].whole if self.levels else "") and \
                raw.rstrip()[-1:] in "；;":
            self.levels.append(_Level(s.whole, "", unit=s.whole_unit))  # "其中：A …；B …。": on past the ；
        years = years_of(s.text)
        last = years[-1][1] if years else None
        end = raw.rstrip()[-1:]
        if end in "；;":
            self.kept, self.pending_year = last or self.pending_year or self.kept, None
        elif end in "。！？":
            self.kept = self.pending_year = None
            self.levels = [lv for lv in self.levels if lv.style or lv.style is None and not lv.parts]
        else:
            self.pending_year = last or self.pending_year

    # ---- reasons and purposes
    def _explain(self, s: Sentence, statements: list[Statement], previous: list[Statement],
                 printed: str) -> None:
        self.pending += [x for x in statements if x.kind in COMPARISONS]
        ex = explanation(s.text, statements, printed)
        if ex is not None and ex.kind == "reason":  # "主要是我办现有在编车辆 2 辆…": the reason's own words
            statements[:] = [x for x in statements if x.at < ex.at or x.unit in _MONEY_OR_RATE]
        if ex is None:
            self._go_on(printed, statements)
            return
        given = attach(ex, statements)
        if not given:
            given = self._attach_loose(ex, previous)
        if ex.kind == "reason":
            self.pending = [x for x in self.pending if not x.reason]
            ended = printed.rstrip()[-1:] in "。！？"  # "主要原因：一是…，二是…。" is the whole list
            self.open_reason = given if ex.opens_list and not ended else []

    def _attach_loose(self, ex: Explanation, previous: list[Statement]) -> list[Statement]:
        """A reason in its own sentence explains the section's unexplained changes; a purpose, the item the
        sentence before was about."""
        if ex.kind == "reason":
            for x in self.pending:
                x.reason = ex.text
            return list(self.pending)
        amounts = [x for x in previous if x.kind == "amount"]
        if amounts and not amounts[0].purpose:
            amounts[0].purpose = ex.text
            return amounts[:1]
        return []

    def _go_on(self, text: str, statements: list[Statement]) -> None:
        """"原因说明：1.…；2.…；3.…。": the reason's list goes on to its full stop."""
        if not self.open_reason or statements:
            self.open_reason = []
            return
        for x in self.open_reason:
            if len(x.reason) < _REASON_MAX:
                x.reason = (x.reason + text.rstrip("。；;")).strip()
        if text.rstrip()[-1:] in "。！？":
            self.open_reason = []

    def _nones(self, raw: str, passage: Passage, offset: int) -> None:
        for m in _NONE.finditer(prepare(raw)):
            what = normalise_label(m.group("what").replace(OUT, "（境）"))
            fid = fact_id(self.doc.id, "narrative-none", passage.id, offset, m.start())
            none = Statement("none", what, None, "", self.doc.year, 0)
            self.nones.append(_fact(self.doc, passage, fid, none, what, raw.strip()))

    def facts(self) -> list[Fact]:
        names = items()
        out = []
        for said in self.said:
            x = said.statement
            label = names.name(x.subject, x.part_of)
            fid = fact_id(self.doc.id, "narrative", said.passage.id, said.offset, x.index)
            fact = _fact(self.doc, said.passage, fid, x, label, said.source)
            whole = names.canonical(x.part_of) if x.part_of and not names.is_total(label) else ""
            out.append(replace(fact, part_of=whole if whole != label else ""))
        return out + self.nones


def _fact(doc: Document, passage: Passage, fid: str, x: Statement, label: str, source: str) -> Fact:
    return Fact(id=fid, document_id=doc.id, department=doc.department, year=doc.year, doc_kind=doc.kind,
                table_id=None, table_title="", side="", row_label=x.subject, label=label, code=None,
                column=passage.section, value=x.value, unit=x.unit, from_narrative=True, page=passage.page,
                line=passage.line, source_text=source, measure=x.kind, ref_year=x.year,
                compared_with=x.compared, reason=x.reason, purpose=x.purpose, basis=x.basis)


def narrative_facts(passages: list[Passage], doc: Document) -> list[Fact]:
    """Every statement and every explicit "本部门无…" of the narrative, as Facts (see the module note)."""
    reading = Reading(doc)
    for passage in passages:
        reading.passage(passage)
    return reading.facts()


# A sentence that compares a figure with another year's (found by these words alone, not by the grammar):
# what `comparison_coverage` counts, so the grammar's misses show in bench-readers.
_COMPARING = re.compile(
    r"(?:(?:比|较|与|同)\s*(?:20\d{2}\s*年|上一?年|去年)|同比)[^。；;！？]{0,80}?"
    r"(?:(?:增加|减少|增长|下降|上升|降低|提高|压减|增|减)\s*了?\s*[+-]?\d|持平)")


def comparison_coverage(passages: list[Passage], facts: list[Fact]) -> dict:
    """Sentences that compare with another year, and how many of them became a prior/change/rate fact."""
    read = {f.source_text for f in facts if f.from_narrative and f.measure in COMPARISONS}
    found = [raw.strip() for p in passages for _, raw in split_sentences(p.text) if _COMPARING.search(raw)]
    return {"comparisons_found": len(found), "comparisons_read": sum(1 for s in found if s in read)}
