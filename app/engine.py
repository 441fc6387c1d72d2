"""The answer engine: question → scope → subjects → facts → calculation → cited Answer.

Numbers come only from ledger facts (and Decimal arithmetic over them);
retrieval proposes which labels and passages are meant. When the store does
not hold what is asked, the answer says so and names what is there.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from app import calculate as calc
from app import config  # noqa: F401 - sets the offline switches first
from app.answer import Answer, Citation
from app.retrieve import Retriever
from app.scope import ScopeResolver
from app.understand import Query, understand
from ingest.glossary import Glossary, Term
from ingest.labels import normalise_label
from ingest.ledger import Ledger
from ingest.model import Document, Fact
from ingest.numbers import format_number
from ingest.units import MONEY_FACTORS, convert

COLUMN_TERMS = {"本年预算", "编制预算", "上年结转", "结转下年", "决算数", "预算数", "年初预算", "调整预算数", "基本支出",
                "项目支出", "人员经费", "公用经费", "财政拨款", "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款"}
COLUMN_PREF = [("本年预算", 30), ("合计", 22), ("决算数", 20), ("本年支出", 18), ("预算数", 15), ("小计", 10)]
_STOP_AFTER = re.compile(
    r"^(的|是|有|占|比|和|与|及|为|多|少|几|花|平均|每|人均|计算|算|预算|支出|经费|合计|总额|金额|一共|呢|吗|在|中|里|方面|上|加|共|总|用|相|差|跟|"
    r"同|对|给|分别|各|这|那|今年|去年|了|安排|情况|资金|费用|数|是|，|、|？|\?|。|$|\s|\d|（|\()"
)
_TOTAL_WORDS = re.compile(r"(总共|一共|总预算|总支出|预算总额|全年|\btotal\b|\boverall\b|\bin total\b|\baltogether\b)", re.I)
_DIRECTIONAL = re.compile(r"(减少|下降|降低|少多少|少了|增加|增长|多多少|多了|高出|超出|\bfall|\bfell\b|\bdecline|\bdecrease|"
                          r"\bdrop|\blower\b|\bless\b|\bincrease|\bgrow|\brise|\brose\b|\bmore\b|\bexceed|\blarger\b|"
                          r"\bhigher\b|\bcut\b)", re.I)
_DEPT_WORDS = re.compile(r"(哪个部门|哪个单位|哪家|哪一个部门|哪个局|\bwhich (department|bureau|unit|office|agency)\b)", re.I)
_KIND_EN = {"部门预算": "department budget", "单位预算": "unit budget", "部门决算": "final accounts",
            "单位决算": "unit final accounts"}
_MEASURE_EN = {"amount": "", "count": "", "area": ""}


@dataclass
class Subject:
    label: str
    surface: str
    term: Term | None = None
    via: str = "exact"  # exact | contains | pays_for | retrieval | none
    note: Fact | None = None  # the sentence that links an item to the subject paying for it
    start: int = 0
    column: str = ""  # a measure that is a column in this document ("基本支出" of the 合计 row)
    measure: bool = False  # a measure word (本年预算, 基本支出 …) rather than a classification subject


@dataclass
class Ctx:
    q: Query
    docs: list[Document]
    facts: list[Fact] = field(default_factory=list)
    debug: dict = field(default_factory=dict)


class Engine:
    """Load once, answer many: thread-safe ``ask``; ``ingest`` makes new documents answerable at once."""

    def __init__(self, ledger: Ledger, index, glossary: Glossary):
        self.ledger = ledger
        self.index = index
        self.glossary = glossary
        self.retriever = Retriever(ledger, index)
        self._lock = threading.RLock()
        self._generation: str | None = None
        self._facts: dict[str, list[Fact]] = {}
        self.refresh()

    @classmethod
    def open(cls, store: Path, dense: bool = True) -> Engine:
        from ingest.embeddings import Embedder
        from ingest.index import Index

        ledger = Ledger(store)
        index = None
        if dense:
            index = Index(store, Embedder(Path(store) / "embeddings.sqlite"))
            index.sync(ledger)
            index.embedder.embed(["warm up"])
        return cls(ledger, index, Glossary.load())

    # ---- store ---------------------------------------------------------
    def refresh(self) -> None:
        with self._lock:
            self._generation = self.ledger.get_meta("generation")
            self._docs = self.ledger.documents()
            self._by_id = {d.id: d for d in self._docs}
            self._facts = {}
            self.scope = ScopeResolver(self._docs, self.glossary)

    def _maybe_refresh(self) -> None:
        if self.ledger.get_meta("generation") != self._generation:
            self.refresh()

    def documents(self) -> list[Document]:
        self._maybe_refresh()
        return list(self._docs)

    def ingest(self, paths: list[Path], progress=None):
        from ingest.pipeline import ingest

        report = ingest(paths, self.ledger.store, progress=progress, index=False)
        if self.index is not None:
            self.index.sync(self.ledger, progress)
        self.refresh()
        return report

    def facts_of(self, doc_id: str) -> list[Fact]:
        with self._lock:
            if doc_id not in self._facts:
                self._facts[doc_id] = self.ledger.facts(document_id=doc_id)
            return self._facts[doc_id]

    # ---- entry ---------------------------------------------------------
    def ask(self, question: str, scope: list[str] | None = None, debug: bool = False) -> Answer:
        start = time.perf_counter()
        question = (question or "").strip()[:500]
        self._maybe_refresh()
        try:
            answer = self._answer(question, scope)
        except ZeroDivisionError as e:
            answer = Answer(question, "not_found", f"无法计算：{e}" if _is_zh(question) else f"Cannot calculate: {e}",
                            lang="zh" if _is_zh(question) else "en")
        answer.latency_ms = (time.perf_counter() - start) * 1000
        if not debug:
            answer.debug = {}
        return answer

    def _answer(self, question: str, restrict: list[str] | None) -> Answer:
        if not question:
            return Answer(question, "not_found", "请输入问题。 Please type a question.")
        q = understand(question, self.glossary)
        zh = q.zh
        if not self._docs:
            return self._refuse(q, "库中还没有任何文件。" if zh else "No documents have been loaded yet.")
        scope = self.scope.resolve(q, restrict)
        if scope.unknown:
            return self._refuse(q, (f"库中没有“{scope.unknown}”的文件。" if zh else
                                    f"There is no document for '{scope.unknown}' in the store.") + self._have(q))
        docs = scope.documents
        if not docs:
            return self._refuse(q, ("所选范围内没有文件。" if zh else "No document in the selected scope.") + self._have(q))
        ctx = Ctx(q, docs)
        prior = False
        if q.years:
            years = {d.year for d in docs}
            asked = [y for y in q.years if y in years]
            if asked:
                ctx.docs = [d for d in docs if d.year in asked]
            elif any(y + 1 in years for y in q.years) and q.operation in ("lookup", "change", "growth"):
                prior = q.operation == "lookup"
                ctx.docs = [d for d in docs if d.year in {y + 1 for y in q.years}]
            else:
                ystr = "、".join(str(y) for y in q.years)
                return self._refuse(q, (f"库中没有{ystr}年的相关文件，所以无法回答（不会用其他年份的数字代替）。" if zh else
                                        f"The store holds no {ystr} document for this, so it cannot be answered "
                                        f"(figures from other years are not substituted).") + self._have(q))
        elif q.relative is not None and len({d.year for d in docs}) > 1:
            latest = max(d.year or 0 for d in docs)  # 今年/去年 against the newest document in scope
            wanted = latest + q.relative
            if any(d.year == wanted for d in docs) and q.operation == "lookup":
                ctx.docs = [d for d in docs if d.year == wanted]
            elif q.relative == -1 and q.operation == "lookup":
                prior = True
                ctx.docs = [d for d in docs if d.year == latest]
        elif q.relative == -1 and q.operation in ("lookup",):
            prior = True
        absent = self._absent_table(ctx)
        if absent is not None:
            return self._not_found_item(ctx, absent[0].title)
        if q.operation == "describe":
            return self._describe(ctx)
        subjects = self._subjects(ctx)
        ctx.debug["subjects"] = [(s.label, s.via) for s in subjects]
        if subjects and subjects[0].via == "unknown":
            return self._not_found_item(ctx, subjects[0].surface)
        op = q.operation
        if prior:
            op = "prior"
        named = [x for x in subjects if x.label]
        if op == "lookup" and len(named) >= 2:
            if re.search(r"(合计|共|总和|加|\band\b|\bplus\b|和|与|、|,|，)", q.norm):
                op = "sum"
            else:  # "defence research funding" names one narrower item, not two categories
                return self._not_found_item(ctx, " ".join(x.surface for x in named))
        if scope.named and len(ctx.docs) > 1 and len(named) <= 1:
            across = self._across_documents(ctx, named, op)
            if across is not None:
                return across
        if op == "count":
            return self._count(ctx, subjects)
        if op in ("rank_max", "rank_min"):
            if _DEPT_WORDS.search(q.norm) or (len({d.id for d in ctx.docs}) > 1 and subjects):
                return self._rank_documents(ctx, subjects, op)
            return self._rank(ctx, subjects, op)
        if op == "per_unit":
            return self._per_unit(ctx, subjects)
        if not subjects and op in ("change", "growth", "prior"):
            subjects = [Subject(lab, lab) for lab in ("支出总计", "本年预算")
                        if any(f.label == lab for f in self._all_facts(ctx.docs))][:1]
        if not subjects:
            return self._not_found_item(ctx, "")
        if op in ("change", "growth") and len({d.year for d in ctx.docs}) > 1:
            return self._across_years(ctx, subjects[0], op)
        if op in ("change", "growth", "prior"):
            return self._change(ctx, subjects[0], op)
        if op in ("share", "ratio", "difference", "sum") and (len(subjects) >= 2 or op == "share"):
            return self._binary(ctx, subjects, op)
        if op == "sum" and len(ctx.docs) > 1:
            return self._sum_documents(ctx, subjects[0])
        return self._lookup(ctx, subjects[0])

    # ---- subjects ------------------------------------------------------
    def _all_facts(self, docs: list[Document]) -> list[Fact]:
        out: list[Fact] = []
        for d in docs:
            out.extend(self.facts_of(d.id))
        return out

    def _subjects(self, ctx: Ctx) -> list[Subject]:
        facts = self._all_facts(ctx.docs)
        labels = {f.label for f in facts}
        found: list[Subject] = []
        measure_only: list[Subject] = []
        for m in re.finditer(r"[(（]([\u4e00-\u9fff“”\"]{2,30})[)）]", ctx.q.norm):  # the label, quoted by the asker
            if normalise_label(m.group(1)) in labels:
                return [Subject(normalise_label(m.group(1)), m.group(1), via="quoted", start=m.start())]
        distinct = {m.term.zh: m for m in ctx.q.terms}.values()  # "travel expenses (差旅费)" is one item
        all_names = [[n for n in (m.term.zh, *m.term.synonyms_zh, normalise_label(m.surface)) if len(n) >= 2]
                     for m in distinct]
        for m in ctx.q.terms:
            t = m.term
            names = [n for n in dict.fromkeys([t.zh, *t.synonyms_zh, normalise_label(m.surface)]) if n]
            subject = self._resolve_term(t, names, facts, labels, m.surface, all_names)
            narrative_only = subject is not None and all(f.from_narrative for f in facts if f.label == subject.label)
            if (subject is None or narrative_only) and t.zh in COLUMN_TERMS:
                totals = [f for f in facts if f.is_total and f.table_id and f.value is not None
                          and any(f.column.endswith(n) or f.column == n for n in names)]
                if totals:
                    totals.sort(key=lambda f: (f.label not in ("合计", "总计"), f.table_id or "99"))
                    subject = Subject(totals[0].label, m.surface, t, via="column", column=t.zh)
            if subject is None:
                nxt = ctx.q.norm[m.end:]
                if len(m.surface) <= 3 and re.match(r"[\u4e00-\u9fff]", nxt) and not _STOP_AFTER.match(nxt):
                    found.append(Subject("", ctx.q.norm[m.start:m.end + 4], t, via="unknown"))
                continue
            subject.start = m.start
            nxt = ctx.q.norm[m.end:]
            if ctx.q.zh and len(m.surface) <= 3 and subject.via == "exact" and re.match(r"[\u4e00-\u9fff]{2}", nxt) \
                    and not _STOP_AFTER.match(nxt) and not any(o.start == m.end for o in ctx.q.terms):
                longer = normalise_label(ctx.q.norm[m.start:m.end + 2])
                if not any(longer in lab for lab in labels):
                    found.append(Subject("", ctx.q.norm[m.start:m.end + 4], t, via="unknown"))
                    continue
            subject.measure = t.zh in COLUMN_TERMS
            (measure_only if subject.measure else found).append(subject)
        binary = ctx.q.operation in ("share", "ratio", "difference", "sum", "per_unit", "rank_max", "rank_min")
        if binary and found and measure_only:  # "总支出是项目支出的几倍": measures are operands too
            found = sorted(found + measure_only, key=lambda x: x.start)
        if not found:
            found = measure_only
            if len(found) > 1 and ctx.q.operation == "lookup" and re.search(r"(中|其中|\bof which\b|\bwithin\b)", ctx.q.norm):
                found = found[:1] if ctx.q.lang == "en" else found[-1:]  # "X within Y" / "Y中X"
        if binary and len([x for x in found if x.label]) > 2:  # a listed sum excludes the total row it names
            found = [x for x in found if x.label not in ("支出总计", "本年支出合计", "收入总计")] or found
        if not found and _TOTAL_WORDS.search(ctx.q.norm):
            found = [Subject(lab, lab, via="total") for lab in ("支出总计", "本年支出合计")
                     if any(f.label == lab for f in facts)][:1]
        if not found and ctx.q.operation == "count":
            for unit, word in (("辆", "车辆"), ("平方米", "房屋"), ("人", "人员编制"), ("名", "人员编制")):
                if unit in ctx.q.norm and word in labels:
                    found = [Subject(word, word, via="unit")]
                    break
        if not found and not ctx.q.terms:
            cands = self.retriever.labels(ctx.q.norm, [d.id for d in ctx.docs], k=8)
            ctx.debug["retrieval"] = cands.debug()
            bm25 = dict(cands.bm25)
            bare = normalise_label(ctx.q.norm)
            for d in ctx.docs:  # a department's name is not an item ("司法局" is not the 司法 row)
                for alias in self.scope.aliases.get(d.id, []):
                    bare = bare.replace(alias, " ")
            for label, _ in cands.labels[:3]:
                strong = label in bm25 and len(label) >= 2 and normalise_label(label) in bare
                if strong:
                    found.append(Subject(label, label, via="retrieval"))
                    break
        seen: set[tuple[str, str]] = set()
        unique = []
        for s in found:
            if (s.label, s.column) not in seen or s.via == "unknown":
                seen.add((s.label, s.column))
                unique.append(s)
        return unique

    def _resolve_term(self, t: Term, names: list[str], facts: list[Fact], labels: set[str],
                      surface: str, question_names: list[list[str]] | None = None) -> Subject | None:
        question_names = question_names or []
        exact = [n for n in names if n in labels]
        if exact:
            return Subject(exact[0], surface, t)
        if t.code:
            coded = [f.label for f in facts if f.code == t.code]
            if coded:
                return Subject(coded[0], surface, t)
        long_names = [n for n in names if len(n) >= 3]
        in_tables = {f.label for f in facts if f.table_id}
        contains = sorted({lab for lab in labels for n in long_names if n in lab},
                          key=lambda lab: (lab not in in_tables, not any(w in lab for w in ("总额", "合计", "总计")),
                                           len(lab)))
        amounts = {f.label for f in facts if f.measure != "none"}
        contains = [c for c in contains if c in amounts] or contains
        if contains:
            via = "none" if all(f.measure == "none" for f in facts if f.label == contains[0]) else "contains"
            return Subject(contains[0], surface, t, via=via)
        for marker in ("用于", "主要包括"):  # what the narrative says an item pays for, then what it includes
            for f in facts:
                if f.from_narrative and f.measure == "amount" and marker in f.source_text:
                    used = f.source_text[f.source_text.index(marker):]
                    if not any(n in used for n in long_names) or f.label not in labels:
                        continue
                    # one component of a list is not the list's total: only several named items reach it
                    if marker == "主要包括" and sum(any(n in used for n in ns) for ns in question_names) < 2:
                        continue
                    return Subject(f.label, surface, t, via="pays_for", note=f)
        if t.pays_for_parent and t.kind == "economic" and t.pays_for_parent in labels:
            return Subject(t.pays_for_parent, surface, t, via="pays_for")
        return None

    # ---- picking facts -------------------------------------------------
    def _column_hint(self, ctx: Ctx, subject: Subject | None) -> str:
        if subject is not None and subject.column:
            return subject.column
        for m in ctx.q.terms:
            if m.term.zh in COLUMN_TERMS and (subject is None or m.term.zh != subject.label):
                return m.term.zh
        if re.search(r"编制预算", ctx.q.norm):
            return "编制预算"
        return ""

    def _candidates(self, ctx: Ctx, label: str, docs: list[Document] | None = None) -> list[Fact]:
        return [f for f in self._all_facts(docs or ctx.docs) if f.label == label]

    def _pick(self, facts: list[Fact], hint: str = "", measure: str | None = None) -> Fact | None:
        pool = [f for f in facts if f.measure not in ("none", "share", "change", "change_pct")]
        if measure:
            pool = [f for f in pool if f.measure == measure] or pool
        if not pool:
            return None

        def score(f: Fact) -> tuple:
            s = 0
            if hint and hint in f.column:
                s += 100
            if f.value is not None:
                s += 60
            if not f.from_narrative:
                s += 50
            for word, w in COLUMN_PREF:
                if f.column.endswith(word) or f.column == word:
                    s += w
                    break
            if f.label.endswith("收入") == (f.side == "收入"):
                s += 5
            return (s, -(int(f.table_id) if f.table_id and f.table_id.isdigit() else 99), -(f.line or 0))

        return max(pool, key=score)

    def _total_for(self, ctx: Ctx, fact: Fact) -> Fact | None:
        """The total a row belongs to: 支出总计/本年支出合计 (or 收入…) in the same table and column."""
        side_words = ["收入"] if fact.side == "收入" else ["支出"]
        names = [f"{w}总计" for w in side_words] + [f"本年{w}合计" for w in side_words] + ["合计", "总计"]
        same = [f for f in self.facts_of(fact.document_id)
                if f.table_id == fact.table_id and f.column == fact.column and f.side == fact.side and f.is_total]
        for n in names:
            for f in same:
                if f.label == n and f.value is not None:
                    return f
        return None

    # ---- formatting ----------------------------------------------------
    def _doc(self, fact: Fact) -> Document | None:
        return self._by_id.get(fact.document_id)

    def _doc_name(self, q: Query, doc: Document | None) -> str:
        if doc is None:
            return ""
        if q.zh:
            return f"{doc.department}{doc.year or ''}年{doc.kind}"
        dept = self.glossary.english(doc.department) or doc.department
        return f"{dept} ({doc.department}) {doc.year or ''} {_KIND_EN.get(doc.kind, doc.kind)}"

    def _label(self, q: Query, label: str) -> str:
        if q.zh:
            return label
        en = self.glossary.english(label)
        return f"{en} ({label})" if en else label

    @staticmethod
    def _name(f: Fact) -> str:
        """A total row read by column says which column ("项目支出（合计）"), not just "合计"."""
        if f.label in ("合计", "总计") and f.column:
            return f"{f.column.split(' / ')[-1]}（{f.label}）"
        return f.label

    def _cite(self, *facts: Fact) -> list[Citation]:
        seen, out = set(), []
        for f in facts:
            if f and f.id not in seen:
                seen.add(f.id)
                out.append(Citation.of(f, self._doc(f)))
        return out

    def _value_in(self, q: Query, fact: Fact) -> tuple[Decimal, str, str | None]:
        """The fact's value in the unit the question asks for, with the conversion formula."""
        assert fact.value is not None
        if q.target_unit and fact.unit in MONEY_FACTORS and q.target_unit != fact.unit:
            r = calc.in_unit(fact.value, fact.unit, q.target_unit)
            return r.value, r.unit, r.formula
        return fact.value, fact.unit, None

    # ---- refusals --------------------------------------------------------
    def _have(self, q: Query) -> str:
        names = "；".join(f"{d.department} {d.year}年{d.kind}" for d in self._docs[:6])
        return (f" 库中现有：{names}。" if q.zh else f" The store holds: {names}.")

    def _refuse(self, q: Query, text: str, candidates: list[str] | None = None) -> Answer:
        return Answer(q.text, "not_found", text, lang=q.lang, candidates=candidates or [])

    def _not_found_item(self, ctx: Ctx, item: str) -> Answer:
        q = ctx.q
        cands = self.retriever.labels(q.norm, [d.id for d in ctx.docs], k=5)
        close = [lab for lab, _ in cands.labels[:5]]
        absent = self._absent_table(ctx)
        if absent is not None:
            t, doc = absent
            text = (f"{doc.department}{doc.year}年{doc.kind}的目录列有“{t.title}”（表{t.table_id}），但文件中没有刊印该表，"
                    f"因此没有可引用的数字。" if q.zh else
                    f"The contents of {self._doc_name(q, doc)} list table {t.table_id} {t.title}, but the table is "
                    f"not printed in the document, so there is no figure to quote.")
            return Answer(q.text, "not_found", text, lang=q.lang, candidates=close)
        what = f"“{item}”" if item else "这个项目"
        text = (f"这些文件中没有披露{what}的数字。" if q.zh else
                f"These documents do not disclose a figure for {item or 'that item'}.")
        if close:
            text += (" 相近的项目有：" + "、".join(close) + "。") if q.zh else (" Closest items: " + ", ".join(close) + ".")
        return Answer(q.text, "not_found", text, lang=q.lang, candidates=close, debug=ctx.debug)

    def _absent_table(self, ctx: Ctx):
        for doc in ctx.docs:
            for t in self.ledger.tables(doc.id):
                if t.status == "absent" and (t.title in ctx.q.norm or re.search(rf"表\s*0?{int(t.table_id)}(?!\d)",
                                                                                   ctx.q.norm)):
                    return t, doc
        return None

    def _ambiguous(self, ctx: Ctx, docs: list[Document]) -> Answer:
        q = ctx.q
        names = [self._doc_name(q, d) for d in docs]
        text = ("有多个文件都有这个项目，请说明是哪一个：" + "；".join(names) if q.zh else
                "Several documents have this item; please say which one: " + "; ".join(names))
        return Answer(q.text, "ambiguous", text, lang=q.lang, candidates=names, debug=ctx.debug)

    def _docs_with(self, ctx: Ctx, label: str) -> list[Document]:
        return [d for d in ctx.docs if any(f.label == label for f in self.facts_of(d.id))]

    # ---- operations ----------------------------------------------------
    def _lookup(self, ctx: Ctx, subject: Subject) -> Answer:
        q = ctx.q
        docs = self._docs_with(ctx, subject.label)
        if len(docs) > 1:
            return self._ambiguous(ctx, docs)
        cands = self._candidates(ctx, subject.label, docs)
        none_facts = [f for f in cands if f.measure == "none"]
        fact = self._pick(cands, self._column_hint(ctx, subject))
        if fact is not None and not none_facts:
            none_facts = self._related_none(fact.document_id, subject.label)
        if fact is None or (none_facts and fact.value is None):
            if none_facts:
                return self._none(ctx, subject, none_facts[0], cands)
            return self._not_found_item(ctx, subject.surface)
        if fact.value is None:
            blank_note = self._blank_note(ctx, fact, subject)
            if blank_note is not None:
                return blank_note
            text = (f"{self._doc_name(q, self._doc(fact))}中，{fact.row_label}（{fact.column}）一栏是空白，未披露数字（空白不等于零）。"
                    if q.zh else f"In {self._doc_name(q, self._doc(fact))}, {self._label(q, fact.label)} "
                    f"({fact.column}) is printed blank: no figure is disclosed (blank is not zero).")
            return Answer(q.text, "answered", text, lang=q.lang, citations=self._cite(fact))
        value, unit, formula = self._value_in(q, fact)
        doc = self._doc(fact)
        where = f"表{fact.table_id}{fact.table_title}" if fact.table_id else "情况说明"
        col = f"（{fact.column}）" if fact.table_id else ""
        if q.zh:
            text = f"{self._doc_name(q, doc)}：{fact.label}{col}为 {format_number(value)} {unit}（{where}）。"
        else:
            text = (f"{self._label(q, fact.label)}{' — ' + fact.column if fact.table_id else ''}: "
                    f"{format_number(value)} {unit}, per {self._doc_name(q, doc)} "
                    f"({'table ' + fact.table_id + ' ' + fact.table_title if fact.table_id else 'narrative'}).")
        citations = self._cite(fact)
        if none_facts and fact.value == 0:
            text += (f" 文件另写明：“{none_facts[0].source_text}”" if q.zh else
                     f" The document also states: “{none_facts[0].source_text}”")
            citations += self._cite(none_facts[0])
        if subject.via == "pays_for":
            link = subject.note
            if q.zh:
                text += f" 说明：{subject.surface}由“{fact.label}”列支" + (f"（“{link.source_text}”）。" if link else "。")
            else:
                text += (f" Note: {subject.surface} is paid from {self._label(q, fact.label)}"
                         + (f" (the document says: “{link.source_text}”)." if link else "."))
            if link:
                citations += self._cite(link)
        total = self._total_for(ctx, fact) if fact.table_id and not fact.is_total and fact.side == "支出" else None
        if total is not None and total.value and fact.value is not None and not formula:
            r = calc.share(fact.value, total.value, fact.unit)
            formula = r.formula
            text += (f" 占{total.label} {format_number(total.value)} {fact.unit} 的 {r.value}%。" if q.zh else
                     f" That is {r.value}% of the {self._label(q, total.label)} of {format_number(total.value)} "
                     f"{fact.unit}.")
            citations += self._cite(total)
        return Answer(q.text, "answered", text, lang=q.lang, value=value, unit=unit, formula=formula,
                      citations=citations, debug=ctx.debug)

    def _related_none(self, doc_id: str, label: str) -> list[Fact]:
        """"本部门无…" sentences about the same item (sharing a specific run of 4+ characters)."""
        from difflib import SequenceMatcher

        out = []
        for f in self.facts_of(doc_id):
            if f.measure != "none":
                continue
            m = SequenceMatcher(None, label, f.label).find_longest_match(0, len(label), 0, len(f.label))
            common = label[m.a:m.a + m.size]
            if m.size >= 4 and common not in ("一般公共预算", "预算拨款", "财政拨款"):
                out.append(f)
        return out

    def _blank_note(self, ctx: Ctx, fact: Fact, subject: Subject) -> Answer | None:
        """A blank table whose emptiness the narrative explains (本部门无…): answer none, citing both."""
        for t in self.ledger.tables(fact.document_id):
            if t.table_id == fact.table_id and t.note:
                none = [f for f in self.facts_of(fact.document_id) if f.measure == "none" and f.source_text == t.note]
                if none:
                    return self._none(ctx, subject, none[0], [fact])
        return None

    def _none(self, ctx: Ctx, subject: Subject, none: Fact, cells: list[Fact]) -> Answer:
        q = ctx.q
        doc = self._doc(none)
        text = (f"{self._doc_name(q, doc)}没有这项支出：文件写明“{none.source_text}”" if q.zh else
                f"None: {self._doc_name(q, doc)} states that it has no such item — “{none.source_text}”")
        blank = [f for f in cells if f.table_id and f.value is None]
        if blank:
            text += ("；相应表格（表" + blank[0].table_id + "）为空白。" if q.zh else
                     f"; table {blank[0].table_id} is printed blank.")
        return Answer(q.text, "answered", text, lang=q.lang, citations=self._cite(none, *blank[:1]), debug=ctx.debug)

    def _binary(self, ctx: Ctx, subjects: list[Subject], op: str) -> Answer:
        q = ctx.q
        a_sub = subjects[0]
        docs = self._docs_with(ctx, a_sub.label)
        if len(docs) > 1:
            return self._ambiguous(ctx, docs)
        hint = self._column_hint(ctx, a_sub)
        a = self._pick(self._candidates(ctx, a_sub.label, docs), hint)
        if a is None or a.value is None:
            return self._not_found_item(ctx, a_sub.surface)
        if op == "share" and len(subjects) < 2:
            b = self._total_for(ctx, a) if a.table_id and not a_sub.column else None
            if a_sub.column and a.table_id:  # a column of a total row: its share of the row's own 合计
                row = [f for f in self.facts_of(a.document_id) if f.table_id == a.table_id
                       and f.row_index == a.row_index and f.side == a.side and f.value is not None and f.id != a.id]
                totals = [f for f in row if f.column.endswith("合计") or f.column in ("合计", "总计")]
                b = totals[0] if totals else None
            if b is None:
                shares = [f for f in self._candidates(ctx, a_sub.label, docs) if f.measure == "share"]
                if shares:
                    return self._narrative_value(ctx, shares[0])
                return self._not_found_item(ctx, a_sub.surface)
        else:
            b_sub = subjects[1]
            b_cands = self._candidates(ctx, b_sub.label, docs)
            if b_sub.column or a_sub.column:
                same_table = [f for f in b_cands if f.table_id == a.table_id] if b_sub.column else []
                b = self._pick(same_table or b_cands, b_sub.column)
            else:
                same_table = [f for f in b_cands if f.table_id == a.table_id and f.column == a.column]
                b = self._pick(same_table or b_cands, hint or (a.column if a.table_id else ""))
            if b is None or b.value is None:
                return self._not_found_item(ctx, b_sub.surface)
        if a.unit != b.unit and not (a.unit in MONEY_FACTORS and b.unit in MONEY_FACTORS):
            return self._not_found_item(ctx, a_sub.surface)
        if op in ("share", "ratio") and b.value is not None and a.value is not None:
            b_in_a = convert(b.value, b.unit, a.unit) if b.unit != a.unit else b.value
            if (op == "share" and a.value > b_in_a) or (op == "ratio" and a.value < b_in_a):
                a, b = b, a  # a share is of the larger figure; "几倍" compares the larger with the smaller
        bval = convert(b.value, b.unit, a.unit) if b.unit != a.unit else b.value
        unit = a.unit
        if op == "share":
            r = calc.share(a.value, bval, unit)
            text_zh = f"{self._name(a)}（{format_number(a.value)} {unit}）占{self._name(b)}（{format_number(bval)} {unit}）的 {r.value}%。"
            text_en = (f"{self._label(q, self._name(a))} ({format_number(a.value)} {unit}) is {r.value}% of "
                       f"{self._label(q, self._name(b))} ({format_number(bval)} {unit}).")
        elif op == "ratio":
            r = calc.ratio(a.value, bval)
            text_zh = f"{self._name(a)}（{format_number(a.value)} {unit}）是{self._name(b)}（{format_number(bval)} {unit}）的 {r.value} 倍。"
            text_en = (f"{self._label(q, self._name(a))} ({format_number(a.value)} {unit}) is {r.value} times "
                       f"{self._label(q, self._name(b))} ({format_number(bval)} {unit}).")
        elif op == "difference":
            if a.value < bval:
                a, b = b, a
                bval = convert(b.value, b.unit, a.unit) if b.unit != a.unit else b.value
            r = calc.difference(a.value, bval, unit)
            r = self._in_target(q, r)
            more = "多" if r.value >= 0 else "少"
            text_zh = f"{self._name(a)}比{self._name(b)}{more} {format_number(abs(r.value))} {r.unit}。"
            text_en = (f"{self._label(q, self._name(a))} is {format_number(abs(r.value))} {r.unit} "
                       f"{'more' if r.value >= 0 else 'less'} than {self._label(q, self._name(b))}.")
        else:
            facts = [a, b]
            if len(subjects) > 2:  # a listed sum excludes the total row it happens to name
                subjects = [x for x in subjects if x.label not in ("支出总计", "本年支出合计", "收入总计")] or subjects
                a = self._pick(self._candidates(ctx, subjects[0].label, docs), hint) or a
                b = self._pick(self._candidates(ctx, subjects[1].label, docs), hint) or b
                facts = [a, b]
            for extra in subjects[2:]:
                f = self._pick(self._candidates(ctx, extra.label, docs), hint)
                if f is not None and f.value is not None and f.unit == unit:
                    facts.append(f)
            r = self._in_target(q, calc.total([f.value for f in facts], unit))
            text_zh = "、".join(self._name(f) for f in facts) + f"合计 {format_number(r.value)} {r.unit}。"
            text_en = "Together " + ", ".join(self._label(q, self._name(f)) for f in facts) + \
                f" come to {format_number(r.value)} {r.unit}."
            return Answer(q.text, "answered", text_zh if q.zh else text_en, lang=q.lang, value=r.value, unit=r.unit,
                          formula=r.formula, citations=self._cite(*facts), debug=ctx.debug)
        prefix = self._doc_name(q, self._doc(a))
        text = f"{prefix}：{text_zh}" if q.zh else f"{text_en} Source: {prefix}."
        return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=r.unit, formula=r.formula,
                      citations=self._cite(a, b), debug=ctx.debug)

    def _in_target(self, q: Query, r: calc.Result) -> calc.Result:
        if q.target_unit and r.unit in MONEY_FACTORS and q.target_unit != r.unit:
            conv = calc.in_unit(r.value, r.unit, q.target_unit)
            return calc.Result(conv.value, conv.unit, f"{r.formula}; {conv.formula}")
        return r

    def _narrative_value(self, ctx: Ctx, fact: Fact) -> Answer:
        q = ctx.q
        doc = self._doc(fact)
        text = (f"{self._doc_name(q, doc)}：{fact.label}为 {format_number(fact.value)}{fact.unit}（情况说明）。" if q.zh else
                f"{self._label(q, fact.label)}: {format_number(fact.value)}{fact.unit}, as stated in "
                f"{self._doc_name(q, doc)}.")
        return Answer(q.text, "answered", text, lang=q.lang, value=fact.value, unit=fact.unit,
                      citations=self._cite(fact), debug=ctx.debug)

    def _change_fact(self, ctx: Ctx, subject: Subject, measure: str) -> tuple[Fact | None, Fact | None]:
        """The stated change for a subject and the current figure it is a change of."""
        for doc in ctx.docs:
            facts = self.facts_of(doc.id)
            changes = [f for f in facts if f.measure == measure]
            current = self._pick([f for f in facts if f.label == subject.label])
            direct = [f for f in changes if f.label == subject.label or subject.label in f.label
                      or (subject.surface and subject.surface in f.label)]
            if not direct and current is not None and current.value is not None:
                for ch in changes:
                    same = [f for f in facts if f.label == ch.label and f.measure == "amount" and f.value == current.value]
                    if same:
                        direct = [ch]
                        break
            if direct:
                ch = direct[0]
                amounts = [f for f in facts if f.label == ch.label and f.measure == "amount"
                           and f.source_text == ch.source_text]
                cur = amounts[0] if amounts else current
                if cur is None or cur.value is None:
                    cur = self._pick([f for f in facts if f.label == ch.label and f.measure == "amount"])
                return ch, cur
        return None, None

    def _stated_prior(self, ctx: Ctx, subject: Subject) -> Answer | None:
        """A prior-year figure the document states outright ("2025年当年预算执行数为60.41万元")."""
        q = ctx.q
        for doc in ctx.docs:
            year = next((y for y in q.years if doc.year and y < doc.year), (doc.year or 0) - 1)
            candidates = [f for f in self.facts_of(doc.id) if f.from_narrative and f.measure == "amount"
                          and f.ref_year == year and f.value is not None]
            if not candidates:
                continue
            about = {p.text for p in self.ledger.passages(document_id=doc.id) if subject.label in p.text}
            stated = [f for f in candidates if subject.label == f.label
                      or any(f.source_text in text and text.index(subject.label) < text.index(f.source_text)
                             for text in about)]
            if stated:
                f = stated[0]
                value, unit, formula = self._value_in(q, f)
                text = (f"{self._doc_name(q, doc)}写明：{year}年{subject.label}{f.label}为 {format_number(value)} {unit}。"
                        if q.zh else f"{self._doc_name(q, doc)} states the {year} figure for "
                        f"{self._label(q, subject.label)} ({f.label}): {format_number(value)} {unit}.")
                return Answer(q.text, "answered", text, lang=q.lang, value=value, unit=unit, formula=formula,
                              citations=self._cite(f), debug=ctx.debug)
        return None

    def _change(self, ctx: Ctx, subject: Subject, op: str) -> Answer:
        q = ctx.q
        if op == "prior":
            stated = self._stated_prior(ctx, subject)
            if stated is not None:
                return stated
        measure = "change_pct" if op == "growth" else "change"
        ch, cur = self._change_fact(ctx, subject, measure)
        if ch is None and op == "growth":
            ch2, cur2 = self._change_fact(ctx, subject, "change")
            if ch2 is not None and cur2 is not None and cur2.value is not None:
                prior = calc.prior_from_change(cur2.value, ch2.value, cur2.unit)
                r = calc.growth_rate(cur2.value, prior.value)
                if _DIRECTIONAL.search(q.norm):
                    r = calc.Result(abs(r.value), r.unit, r.formula)
                text = (f"{ch2.label}{cur2.ref_year or ''}年为 {format_number(cur2.value)} {cur2.unit}，比{ch2.compared_with}"
                        f"{'增长' if r.value >= 0 else '下降'} {abs(r.value)}%。" if q.zh else
                        f"{self._label(q, ch2.label)} changed by {r.value}% against {ch2.compared_with}.")
                return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit="%",
                              formula=f"{prior.formula}; {r.formula}", citations=self._cite(cur2, ch2), debug=ctx.debug)
        if ch is None:
            year = (ctx.docs[0].year or 0) - 1
            text = (f"文件没有说明{subject.label}与{year}年相比的变化，因此无法给出{year}年的数字。" if q.zh else
                    f"The document does not state how {self._label(q, subject.label)} compares with {year}, "
                    f"so no {year} figure can be given.")
            return Answer(q.text, "not_found", text, lang=q.lang, debug=ctx.debug)
        doc = self._doc(ch)
        if op == "prior":
            if cur is None or cur.value is None:
                return self._not_found_item(ctx, subject.surface)
            r = self._in_target(q, calc.prior_from_change(cur.value, ch.value, cur.unit))
            base_year = re.match(r"(20\d{2})", ch.compared_with)
            yr = base_year.group(1) if base_year else str((doc.year or 0) - 1)
            text = (f"{yr}年（{ch.compared_with}）的{ch.label}为 {format_number(r.value)} {r.unit}：{doc.year}年为 "
                    f"{format_number(cur.value)} {cur.unit}，比{ch.compared_with}{'减少' if ch.value < 0 else '增加'} "
                    f"{format_number(abs(ch.value))} {ch.unit}。" if q.zh else
                    f"{self._label(q, ch.label)} for {yr} ({ch.compared_with}) was {format_number(r.value)} {r.unit}: "
                    f"{doc.year} is {format_number(cur.value)} {cur.unit}, {format_number(abs(ch.value))} {ch.unit} "
                    f"{'less' if ch.value < 0 else 'more'} than {yr}.")
            return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=r.unit, formula=r.formula,
                          citations=self._cite(cur, ch), debug=ctx.debug)
        value = ch.value
        unit = ch.unit
        formula = None
        if _DIRECTIONAL.search(q.norm) and not re.search(r"(增减|变化|变动|\bchange)", q.norm, re.I):
            value = abs(value)  # "减少了多少" asks for the size of the cut
        if q.target_unit and unit in MONEY_FACTORS and q.target_unit != unit:
            conv = calc.in_unit(value, unit, q.target_unit)
            value, unit, formula = conv.value, conv.unit, conv.formula
        word_zh = "减少" if value < 0 else "增加"
        text = (f"{self._doc_name(q, doc)}：{ch.label}比{ch.compared_with}{word_zh} {format_number(abs(value))}{unit}"
                f"（变化值 {format_number(value)}{unit}）。" if q.zh else
                f"{self._label(q, ch.label)} changed by {format_number(value)}{unit} against {ch.compared_with} "
                f"({'a decrease' if value < 0 else 'an increase'}), per {self._doc_name(q, doc)}.")
        return Answer(q.text, "answered", text, lang=q.lang, value=value, unit=unit, formula=formula,
                      citations=self._cite(ch), debug=ctx.debug)

    def _count(self, ctx: Ctx, subjects: list[Subject]) -> Answer:
        q = ctx.q
        if not subjects:
            if re.search(r"(多少人|几名|多少名|\bstaff\b|\bpeople\b|\bemployees\b|\bposts\b)", q.norm, re.I):
                subjects = [Subject("人员编制", "人员编制")]
            else:
                return self._not_found_item(ctx, "")
        subject = subjects[0]
        docs = self._docs_with(ctx, subject.label)
        if len(docs) > 1:
            return self._ambiguous(ctx, docs)
        cands = self._candidates(ctx, subject.label, docs)
        fact = self._pick([f for f in cands if f.measure in ("count", "area")] or cands)
        if fact is None or fact.value is None:
            return self._lookup(ctx, subject)
        doc = self._doc(fact)
        text = (f"{self._doc_name(q, doc)}：{fact.label} {format_number(fact.value)} {fact.unit}"
                f"{'（截至' + str(fact.ref_year) + '年）' if fact.ref_year and fact.ref_year != doc.year else ''}。"
                if q.zh else
                f"{self._label(q, fact.label)}: {format_number(fact.value)} {fact.unit}"
                f"{' (as of ' + str(fact.ref_year) + ')' if fact.ref_year and fact.ref_year != doc.year else ''}, "
                f"per {self._doc_name(q, doc)}.")
        return Answer(q.text, "answered", text, lang=q.lang, value=fact.value, unit=fact.unit,
                      citations=self._cite(fact), debug=ctx.debug)

    def _category_rows(self, doc: Document, hint: str = "") -> list[Fact]:
        """Rows of the function classification (类) on the expenditure side, from the first table listing them."""
        rows = [f for f in self.facts_of(doc.id) if f.table_id and f.value is not None and not f.is_total
                and (f.code and len(f.code) == 3 or (self.glossary.by_zh(f.label) is not None
                     and self.glossary.by_zh(f.label).kind == "function" and self.glossary.by_zh(f.label).level == "类"))]
        if not rows:
            return []
        tables = sorted({f.table_id for f in rows})
        first = [f for f in rows if f.table_id == tables[0]]
        best: dict[str, Fact] = {}
        for f in first:
            chosen = self._pick([g for g in first if g.label == f.label], hint)
            if chosen is not None:
                best[f.label] = chosen
        return list(best.values())

    def _rank(self, ctx: Ctx, subjects: list[Subject], op: str) -> Answer:
        q = ctx.q
        if len(ctx.docs) > 1:
            return self._ambiguous(ctx, ctx.docs)
        doc = ctx.docs[0]
        named = [s for s in subjects if s.label]
        if len(named) >= 2:  # "基本支出和项目支出哪个多": rank the items the question names
            rows = [f for f in (self._pick(self._candidates(ctx, s.label), self._column_hint(ctx, s)) for s in named)
                    if f is not None and f.value is not None]
        else:
            rows = self._category_rows(doc, self._column_hint(ctx, None))
        rows = [f for f in rows if f.value is not None and f.value != 0]
        if not rows:
            return self._not_found_item(ctx, "")
        order = sorted(rows, key=lambda f: f.value, reverse=True)
        nth = re.search(r"(第([二三四五2345])|\b(second|third|fourth|fifth)\b)", q.norm, re.I)
        if nth:
            word_n = nth.group(2) or nth.group(3).lower()
            n = {"二": 1, "2": 1, "second": 1, "三": 2, "3": 2, "third": 2, "四": 3, "4": 3, "fourth": 3,
                 "五": 4, "5": 4, "fifth": 4}[word_n]
            if n >= len(order):
                return self._not_found_item(ctx, "")
            pick = order[n] if op == "rank_max" else order[-1 - n]
        else:
            pick = order[0] if op == "rank_max" else order[-1]
        listing = "；".join(f"{f.label} {format_number(f.value)}" for f in order) if q.zh else \
            "; ".join(f"{self._label(q, f.label)} {format_number(f.value)}" for f in order)
        word = ("最多" if op == "rank_max" else "最少（非零）") if q.zh else ("largest" if op == "rank_max" else
                                                                     "smallest non-zero")
        text = (f"{self._doc_name(q, doc)}中按功能分类（类），{word}的是{pick.label}，{format_number(pick.value)} {pick.unit}"
                f"（{pick.column}）。排序：{listing}。" if q.zh else
                f"In {self._doc_name(q, doc)}, the {word} function category is {self._label(q, pick.label)} with "
                f"{format_number(pick.value)} {pick.unit} ({pick.column}). Ranking: {listing}.")
        return Answer(q.text, "answered", text, lang=q.lang, value=pick.value, unit=pick.unit,
                      formula=("max" if op == "rank_max" else "min") + "(" + ", ".join(format_number(f.value) for f in order) + ")",
                      citations=self._cite(pick), debug=ctx.debug)

    def _rank_documents(self, ctx: Ctx, subjects: list[Subject], op: str) -> Answer:
        q = ctx.q
        if not subjects:
            return self._not_found_item(ctx, "")
        label = subjects[0].label
        picks = []
        for d in ctx.docs:
            f = self._pick([g for g in self.facts_of(d.id) if g.label == label], self._column_hint(ctx, subjects[0]))
            if f is not None and f.value is not None:
                picks.append(f)
        if len(picks) < 2:
            return self._lookup(ctx, subjects[0]) if picks else self._not_found_item(ctx, subjects[0].surface)
        base = picks[0].unit
        vals = [(convert(f.value, f.unit, base) if f.unit in MONEY_FACTORS and base in MONEY_FACTORS else f.value, f)
                for f in picks]
        best = max(vals, key=lambda v: v[0]) if op == "rank_max" else min(vals, key=lambda v: v[0])
        listing = "；".join(f"{self._doc_name(q, self._doc(f))} {format_number(v)} {base}" for v, f in
                           sorted(vals, key=lambda v: -v[0]))
        text = (f"{label}{'最多' if op == 'rank_max' else '最少'}的是{self._doc_name(q, self._doc(best[1]))}："
                f"{format_number(best[0])} {base}。比较：{listing}。" if q.zh else
                f"{self._doc_name(q, self._doc(best[1]))} has the {'largest' if op == 'rank_max' else 'smallest'} "
                f"{self._label(q, label)}: {format_number(best[0])} {base}. Compared: {listing}.")
        return Answer(q.text, "answered", text, lang=q.lang, value=best[0], unit=base,
                      citations=self._cite(*[f for _, f in vals]), debug=ctx.debug)

    def _across_documents(self, ctx: Ctx, named: list[Subject], op: str) -> Answer | None:
        """Operations over the same item in several named documents (compare, total, rank)."""
        q = ctx.q
        subject = named[0] if named else Subject("支出总计", "支出总计")
        if op == "difference":
            picks = [f for f in (self._pick([g for g in self.facts_of(d.id) if g.label == subject.label],
                                            self._column_hint(ctx, subject)) for d in ctx.docs)
                     if f is not None and f.value is not None]
            if len(picks) != 2:
                return None
            a, b = sorted(picks, key=lambda f: convert(f.value, f.unit, picks[0].unit), reverse=True)
            bval = convert(b.value, b.unit, a.unit)
            r = self._in_target(q, calc.difference(a.value, bval, a.unit))
            text = (f"{self._doc_name(q, self._doc(a))}的{a.label}（{format_number(a.value)} {a.unit}）比"
                    f"{self._doc_name(q, self._doc(b))}（{format_number(bval)} {a.unit}）多 {format_number(r.value)} {r.unit}。"
                    if q.zh else
                    f"{self._label(q, a.label)} in {self._doc_name(q, self._doc(a))} ({format_number(a.value)} {a.unit}) "
                    f"is {format_number(r.value)} {r.unit} more than in {self._doc_name(q, self._doc(b))} "
                    f"({format_number(bval)} {a.unit}).")
            return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=r.unit, formula=r.formula,
                          citations=self._cite(a, b), debug=ctx.debug)
        if op == "sum" or (op == "lookup" and re.search(r"(合计|总共|一共|加起来|\btogether\b|\bcombined\b|\bin total\b|"
                                                        r"\btotal of\b|\bsum\b)", q.norm, re.I)):
            return self._sum_documents(ctx, subject)
        if op in ("rank_max", "rank_min") and named:
            return self._rank_documents(ctx, named, op)
        return None

    def _across_years(self, ctx: Ctx, subject: Subject, op: str) -> Answer:
        """The same item in two years' documents of one department: change and growth rate."""
        q = ctx.q
        by_year: dict[int, Fact] = {}
        for d in sorted(ctx.docs, key=lambda d: d.year or 0):
            f = self._pick([g for g in self.facts_of(d.id) if g.label == subject.label], self._column_hint(ctx, subject))
            if f is not None and f.value is not None and d.year:
                by_year[d.year] = f
        if len(by_year) < 2 or len({f.department for f in by_year.values()}) > 1:
            return self._ambiguous(ctx, ctx.docs) if len(by_year) >= 2 else self._not_found_item(ctx, subject.surface)
        (y0, old), (y1, new) = sorted(by_year.items())[0], sorted(by_year.items())[-1]
        old_value = convert(old.value, old.unit, new.unit) if old.unit != new.unit else old.value
        if op == "growth":
            r = calc.growth_rate(new.value, old_value)
        else:
            r = self._in_target(q, calc.difference(new.value, old_value, new.unit))
        word = ("增加" if r.value >= 0 else "减少") if q.zh else ("up" if r.value >= 0 else "down")
        amount = f"{abs(r.value)}%" if op == "growth" else f"{format_number(abs(r.value))} {r.unit}"
        text = (f"{new.label}：{y1}年 {format_number(new.value)} {new.unit}，{y0}年 {format_number(old_value)} {new.unit}，"
                f"{word} {amount}。" if q.zh else
                f"{self._label(q, new.label)}: {format_number(new.value)} {new.unit} in {y1} against "
                f"{format_number(old_value)} {new.unit} in {y0}, {word} {amount}.")
        return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=r.unit, formula=r.formula,
                      citations=self._cite(new, old), debug=ctx.debug)

    def _sum_documents(self, ctx: Ctx, subject: Subject) -> Answer:
        q = ctx.q
        picks = []
        for d in ctx.docs:
            f = self._pick([g for g in self.facts_of(d.id) if g.label == subject.label])
            if f is not None and f.value is not None:
                picks.append(f)
        if not picks:
            return self._not_found_item(ctx, subject.surface)
        base = q.target_unit or picks[0].unit
        vals = [convert(f.value, f.unit, base) for f in picks]
        r = calc.total(vals, base)
        text = (f"{subject.label}在{len(picks)}个文件中合计 {format_number(r.value)} {base}。" if q.zh else
                f"{self._label(q, subject.label)} across {len(picks)} documents totals {format_number(r.value)} {base}.")
        return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=base, formula=r.formula,
                      citations=self._cite(*picks), debug=ctx.debug)

    def _per_unit(self, ctx: Ctx, subjects: list[Subject]) -> Answer:
        q = ctx.q
        if len(ctx.docs) > 1:
            return self._ambiguous(ctx, ctx.docs)
        doc = ctx.docs[0]
        facts = self.facts_of(doc.id)
        counts = [s for s in subjects if any(f.label == s.label and f.measure == "count" for f in facts)]
        count_label = counts[0].label if counts else "人员编制"
        count = self._pick([f for f in facts if f.label == count_label and f.measure == "count"])
        amount_subject = next((s for s in subjects if s.label != count_label), None)
        amount_label = amount_subject.label if amount_subject else "支出总计"
        amount = self._pick([f for f in facts if f.label == amount_label], self._column_hint(ctx, amount_subject))
        if count is None or count.value is None or amount is None or amount.value is None:
            return self._not_found_item(ctx, amount_label)
        unit = amount.unit
        r = calc.per_unit(amount.value, count.value, unit, count.unit)
        r = self._in_target(q, r)
        text = (f"{self._doc_name(q, doc)}：{amount.label} {format_number(amount.value)} {unit} ÷ {count.label} "
                f"{format_number(count.value)} {count.unit} = 每{count.unit} {format_number(r.value)} {r.unit}。" if q.zh else
                f"{self._label(q, amount.label)} {format_number(amount.value)} {unit} ÷ {format_number(count.value)} "
                f"{self._label(q, count.label)} = {format_number(r.value)} {r.unit} per {count.unit}, "
                f"per {self._doc_name(q, doc)}.")
        return Answer(q.text, "answered", text, lang=q.lang, value=r.value, unit=r.unit, formula=r.formula,
                      citations=self._cite(amount, count), debug=ctx.debug)

    # ---- descriptive ---------------------------------------------------
    def _describe(self, ctx: Ctx) -> Answer:
        q = ctx.q
        if len(ctx.docs) > 1 and not self.scope.resolve(q, None).named:
            return self._ambiguous(ctx, ctx.docs)
        doc_ids = [d.id for d in ctx.docs]
        terms = [m.term for m in q.terms]
        query = q.norm
        if q.lang == "en" or not re.search(r"[\u4e00-\u9fff]", q.norm):
            zh_words = [t.zh for t in terms]
            if re.search(r"\b(do|does|functions?|responsib|duties|role)\b", q.norm, re.I) and not terms:
                zh_words.append("主要职能 负责")
            if re.search(r"\b(mean|definition|define)\b", q.norm, re.I):
                zh_words.append("指")
            query = " ".join(zh_words) or q.norm
        if terms:
            for d in ctx.docs:
                for p in self.ledger.passages(document_id=d.id):
                    head = p.text[:40]
                    if any(re.search(rf"^\s*(?:[（(][一二三四五六七八九十]+[)）])?\s*[“\"]?{re.escape(n)}[”\"]?\s*[:：]", head)
                           for t in terms for n in (t.zh, *t.synonyms_zh) if len(n) >= 2):
                        return self._quote(ctx, p.text, None, p)
                    if any(t.zh in p.text[:60] for t in terms) and "主要包括" in p.text and \
                            re.search(r"(包括|包含|哪些|\binclude|\bcover)", q.norm, re.I):
                        return self._quote(ctx, p.text, None, p)
        if re.search(r"(内设机构|内部机构|机构设置|\binternal (divisions|departments|units)\b)", q.norm, re.I):
            for d in ctx.docs:
                heads = list(dict.fromkeys(p.section.split(" > ")[-1] for p in self.ledger.passages(document_id=d.id)
                                           if "机构设置" in p.section and p.section.count(" > ") >= 2))
                first = next((p for p in self.ledger.passages(document_id=d.id) if "机构设置" in p.section), None)
                if heads and first is not None:
                    return self._quote(ctx, "；".join(heads), None, first)
        passages = self.retriever.passages(query, doc_ids, k=5)
        ctx.debug["passages"] = passages
        if re.search(r"(职能|职责|做什么|干什么|负责什么|\bdo\b|\bfunctions?\b|\bresponsib|\bduties\b|\brole\b)",
                     q.norm, re.I) and not terms:
            duties = [p for d in ctx.docs[:1] for p in self.ledger.passages(document_id=d.id) if "职能" in p.section]
            if duties:
                text = ""
                for p in duties:  # the section's opening paragraphs, up to a readable length
                    if p.section != duties[0].section or len(text) > 300:
                        break
                    text += p.text
                return self._quote(ctx, text, None, duties[0])
        quoted = [m.group(1) for m in re.finditer(r"[(（]([\u4e00-\u9fff“”]{2,30})[)）]", q.norm)]
        names = [t.zh for t in terms] + quoted
        if re.search(r"(用于|用途|用在|used for|purpose|pay for|pays for)", q.norm, re.I) and names:
            for d in ctx.docs:
                for f in self.facts_of(d.id):
                    if f.from_narrative and "用于" in f.source_text and any(n in f.source_text or f.label == n
                                                                          for n in names):
                        return self._quote(ctx, f.source_text, f, None)
                for p in self.ledger.passages(document_id=d.id):
                    if "用于" in p.text and any(n in p.text for n in names):
                        return self._quote(ctx, p.text, None, p)
        if terms:  # a definition (名词解释) names the term and says 指/是
            for pid, _ in passages:
                p = self.ledger.passages(ids=[pid])[0]
                if any(t.zh in p.text or any(s in p.text for s in t.synonyms_zh) for t in terms) and \
                        re.search(r"[:：]\s*(指|是|为|反映)", p.text):
                    return self._quote(ctx, p.text, None, p)
        if not passages:
            return self._not_found_item(ctx, "")
        p = self.ledger.passages(ids=[passages[0][0]])[0]
        return self._quote(ctx, p.text, None, p)

    def _quote(self, ctx: Ctx, text: str, fact: Fact | None, passage) -> Answer:
        q = ctx.q
        if passage is not None and text.rstrip().endswith(("：", ":")):  # "主要用于：" — the list follows
            following = self.ledger.passages(document_id=passage.document_id)
            ids = [p.id for p in following]
            if passage.id in ids:
                for p in following[ids.index(passage.id) + 1:ids.index(passage.id) + 3]:
                    text += p.text
        doc_id = fact.document_id if fact else passage.document_id
        doc = self._by_id.get(doc_id)
        quote = text if len(text) <= 400 else text[:400] + "…"
        section = passage.section if passage else fact.column
        answer = (f"据{self._doc_name(q, doc)}（{section}）：“{quote}”" if q.zh else
                  f"From {self._doc_name(q, doc)} ({section}): “{quote}”")
        if fact is not None:
            cites = self._cite(fact)
        else:
            cites = [Citation(document=doc.title if doc else doc_id, document_id=doc_id,
                              department=doc.department if doc else "", year=doc.year if doc else None,
                              table="narrative", table_title="", row=passage.section, column="", value="", unit="",
                              page=passage.page, line=passage.line, text=quote)]
        return Answer(q.text, "answered", answer, lang=q.lang, citations=cites, debug=ctx.debug)


def _is_zh(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))
