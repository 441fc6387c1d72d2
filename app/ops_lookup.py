"""Single-document figures: lookup, none/blank, shares, sums, differences, ratios, counts, per-unit."""

from __future__ import annotations

import re

from app import calculate as calc
from app import config  # noqa: F401 - sets the offline switches first
from app.answer import Answer
from app.context import Ctx, Subject
from ingest.model import Fact
from ingest.numbers import format_number
from ingest.units import MONEY_FACTORS, convert


class LookupMixin:
    """Part of Engine; relies on its ledger, glossary, retriever and helpers."""

    def _lookup(self, ctx: Ctx, subject: Subject) -> Answer:
        q = ctx.q
        docs = self._docs_with(ctx, subject.label)
        also: list[Fact] = []
        if self._several(docs):
            same = self._same_in_both(ctx, subject, docs)
            if same is None:
                return self._ambiguous(ctx, docs)
            docs, also = same
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
        if also:
            text += (" " + "、".join(f"{self._doc_name(q, self._doc(f))}" for f in also) + "列出相同数字。" if q.zh else
                     " The same figure is printed in " + "; ".join(self._doc_name(q, self._doc(f)) for f in also) + ".")
            citations += self._cite(*also)
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

    def _same_in_both(self, ctx: Ctx, subject: Subject, docs: list) -> tuple[list, list[Fact]] | None:
        """One department's 部门预算 and 单位预算 printing the same figure: answer it, citing both."""
        if len({(d.department, d.year) for d in docs}) != 1:
            return None
        hint = self._column_hint(ctx, subject)
        picks = [self._pick(self._candidates(ctx, subject.label, [d]), hint) for d in docs]
        if any(p is None or p.value is None for p in picks) or len({(p.value, p.unit) for p in picks}) != 1:
            return None
        order = sorted(range(len(docs)), key=lambda i: docs[i].kind != "部门预算")
        return [docs[order[0]]], [picks[i] for i in order[1:]]

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
        for t in self.tables_of(fact.document_id):
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
        if self._several(docs):
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

    def _narrative_value(self, ctx: Ctx, fact: Fact) -> Answer:
        q = ctx.q
        doc = self._doc(fact)
        text = (f"{self._doc_name(q, doc)}：{fact.label}为 {format_number(fact.value)}{fact.unit}（情况说明）。" if q.zh else
                f"{self._label(q, fact.label)}: {format_number(fact.value)}{fact.unit}, as stated in "
                f"{self._doc_name(q, doc)}.")
        return Answer(q.text, "answered", text, lang=q.lang, value=fact.value, unit=fact.unit,
                      citations=self._cite(fact), debug=ctx.debug)

    def _count(self, ctx: Ctx, subjects: list[Subject]) -> Answer:
        q = ctx.q
        if not subjects:
            if re.search(r"(多少人|几名|多少名|\bstaff\b|\bpeople\b|\bemployees\b|\bposts\b)", q.norm, re.I):
                subjects = [Subject("人员编制", "人员编制")]
            else:
                return self._not_found_item(ctx, "")
        subject = subjects[0]
        docs = self._docs_with(ctx, subject.label)
        if self._several(docs):
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

    def _per_unit(self, ctx: Ctx, subjects: list[Subject]) -> Answer:
        q = ctx.q
        if self._several(ctx.docs):
            return self._ambiguous(ctx, ctx.docs)
        doc = self._main_doc(ctx.docs)
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

