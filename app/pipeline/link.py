"""Which items a question names: glossary terms, quoted labels, what items pay for, retrieval."""

from __future__ import annotations

import re

from app.lang.label_match import UNIT_NAME, item_core, named_units, names_label
from app.pipeline.budget_units import unit_rows
from app.pipeline.context import _STOP_AFTER, _TOTAL_WORDS, _VOCAB, COLUMN_TERMS, Ctx, Subject
from app.pipeline.factview import FactPool, FactView
from app.pipeline.parts import parts_asked
from app.pipeline.purpose import purpose_of
from app.pipeline.residual import unlinked_words
from ingest import template
from ingest.glossary import Match, Term
from ingest.labels import longest_first, normalise_label, shortest_first
from ingest.model import Fact
from ingest.units import MONEY_FACTORS, convert

_OPERANDS = ("share", "ratio", "difference", "sum", "per_unit", "rank_max", "rank_min")  # take several items


def link_subjects(view: FactView, ctx: Ctx) -> tuple[list[Subject], dict]:
    """The items a question names, in question order, and how they were found (for --debug)."""
    debug: dict = {}
    facts = view.pool(ctx.docs)  # for a question naming no department: ledger queries, not every fact
    labels = facts.labels()
    quoted = quoted_label(ctx, labels)
    if quoted is not None:
        return [quoted], debug
    found, measures = glossary_subjects(view, ctx, facts, labels)
    operands = ctx.q.operation in _OPERANDS
    found = _items_asked(ctx, found, measures, operands)
    found = _in_fund(ctx, facts, found, debug)
    if not found:
        found = unnamed_subjects(view, ctx, facts, debug)
    if ctx.q.zh:  # the rows the question names in the document's own words
        bare_text = without_department(view, ctx)  # once per question, for the three below
        found = _verbatim_rows(view, ctx, facts, found, bare_text, operands, debug)
        found = _unit_rows(view, ctx, facts, found, bare_text, debug)
        found = _own_rows(view, ctx, facts, found, bare_text, operands, debug)
    found = fund_as_lead(found, one_fund(ctx.q.norm), ctx.q.norm)
    found = _fund_then_appropriation(found, ctx.q.norm)
    found = _within_part(found)
    found = parts_asked(view.glossary, ctx, facts, found, debug)
    if ctx.q.operation == "difference":
        found = compared_pair(found, ctx.q.norm)
    return _once(found), debug


def quoted_label(ctx: Ctx, labels: set[str]) -> Subject | None:
    """The label, quoted by the asker in brackets ("差旅费（差旅费）")."""
    for m in re.finditer(r"[(（]([\u4e00-\u9fff“”\"]{2,30})[)）]", ctx.q.norm):
        if normalise_label(m.group(1)) in labels:
            return Subject(normalise_label(m.group(1)), m.group(1), via="quoted", start=m.start())
    return None


def glossary_subjects(view: FactView, ctx: Ctx, facts: FactPool,
                      labels: set[str]) -> tuple[list[Subject], list[Subject]]:
    """Each glossary term's row, in question order: items, and measures (columns such as 基本支出) apart. A
    short word that goes on into words no row prints is an item not disclosed (a Subject with no label)."""
    found: list[Subject] = []
    measures: list[Subject] = []
    distinct = {m.term.zh: m for m in ctx.q.terms}.values()  # "travel expenses (差旅费)" is one item
    all_names = [[n for n in (m.term.zh, *m.term.synonyms_zh, normalise_label(m.surface)) if len(n) >= 2]
                 for m in distinct]
    for m in ctx.q.terms:
        subject = term_subject(view, ctx, m, facts, labels, all_names)
        if subject is None:
            if _goes_on(ctx, m):
                found.append(_not_disclosed(ctx, m))
            continue
        subject.start = m.start
        if _names_more(ctx, m, subject, labels):
            found.append(_not_disclosed(ctx, m))
            continue
        subject.measure = m.term.zh in COLUMN_TERMS
        (measures if subject.measure else found).append(subject)
    return found, measures


def term_subject(view: FactView, ctx: Ctx, m: Match, facts: FactPool, labels: set[str],
                 all_names: list[list[str]]) -> Subject | None:
    """The row one glossary term names: its label, a stated change of it, or a column of a total row."""
    t = m.term
    names = [n for n in dict.fromkeys([t.zh, *t.synonyms_zh, normalise_label(m.surface)]) if n]
    subject = resolve_term(view, t, names, facts, labels, m.surface, all_names)
    narrative_only = subject is not None and facts.narrative_only(subject.label)
    if ctx.q.operation in ("change", "growth"):
        subject = stated_change(subject, names, facts, m.surface, t)
    stated = subject is not None and subject.via == "stated_change"
    # 项目支出 is a column, not 为老服务项目经费, nor the item whose narrative says it pays for projects
    loose = subject is not None and subject.via in ("contains", "pays_for")
    if (subject is None or narrative_only or loose) and t.zh in COLUMN_TERMS and not stated:
        return column_of_total(facts, names, m) or subject
    if subject is None and t.kind == "measure":
        return column_group_of_total(facts, names, m)
    return subject


def column_of_total(facts: FactPool, names: list[str], m: Match) -> Subject | None:
    """A measure word (基本支出) as the column of a total row that prints it."""
    totals = facts.where(lambda f, names=names: f.is_total and f.table_id and f.value is not None
                         and any(f.column.endswith(n) or f.column == n for n in names),
                         "is_total = 1 AND value IS NOT NULL AND ("
                         + (" OR ".join(["\"column\" LIKE '%' || ?"] * len(names)) or "0") + ")",
                         *names)
    if not totals:
        return None
    # the part's own table (公用经费: 基本支出表; 项目支出: 支出总表), all funds first (支出总表 over 一般公共预算支出表),
    # then a 合计 row over the department's own row
    home = template.part_home(m.term.zh)

    def canonical(f: Fact) -> tuple:
        at_home = f.table_type in home if f.table_type and home else True
        return (not at_home, f.fund not in (template.ALL_FUNDS, ""), f.label not in _VOCAB.bare_totals,
                f.table_id or "99")
    totals.sort(key=canonical)
    return Subject(totals[0].label, m.surface, m.term, via="column", column=m.term.zh)


def column_group_of_total(facts: FactPool, names: list[str], m: Match) -> Subject | None:
    """A measure no row names, printed as a column group of the total rows (Shenzhen's 支出总表: the
    department's row under 2026年政府采购项目 / 小计): the all-funds table first."""
    def group_total(f: Fact) -> bool:
        path = f.column.split(" / ")
        return len(path) > 1 and path[-1] in _VOCAB.group_totals and any(n in path[0] for n in names)

    totals = facts.where(lambda f: f.is_total and f.table_id and f.value is not None and group_total(f),
                         "is_total = 1 AND value IS NOT NULL")
    if not totals:
        return None
    totals.sort(key=lambda f: (f.fund not in (template.ALL_FUNDS, ""), f.label not in _VOCAB.bare_totals,
                               f.table_id or "99"))
    return Subject(totals[0].label, m.surface, m.term, via="column", column=totals[0].column)


def _goes_on(ctx: Ctx, m: Match) -> bool:
    """A short term that did not link and goes on into Chinese words: part of a longer item."""
    nxt = ctx.q.norm[m.end:]
    return len(m.surface) <= 3 and bool(re.match(r"[\u4e00-\u9fff]", nxt)) and not _STOP_AFTER.match(nxt)


def _names_more(ctx: Ctx, m: Match, subject: Subject, labels: set[str]) -> bool:
    """A short exact term followed by words that, with it, no row label holds ("培训费用于…" is, "培训基地" is
    not 培训费): the question names a narrower item than the row."""
    nxt = ctx.q.norm[m.end:]
    if not (ctx.q.zh and len(m.surface) <= 3 and subject.via == "exact"
            and re.match(r"[\u4e00-\u9fff]{2}", nxt)
            and not _STOP_AFTER.match(nxt) and not any(o.start == m.end for o in ctx.q.terms)):
        return False
    longer = normalise_label(ctx.q.norm[m.start:m.end + 2])
    return not any(longer in lab for lab in labels)


def _not_disclosed(ctx: Ctx, m: Match) -> Subject:
    return Subject("", ctx.q.norm[m.start:m.end + 4], m.term, via="unknown")


def _items_asked(ctx: Ctx, found: list[Subject], measures: list[Subject], operands: bool) -> list[Subject]:
    """Measures as operands or as the item, a listed sum without its total, an item without the class
    it belongs to."""
    if operands and len(found) == 1 and measures:  # "总支出是项目支出的几倍": measures are operands too
        found = sorted(found + measures, key=lambda x: x.start)
    if not found:
        found = measures
        if len(found) > 1 and ctx.q.operation == "lookup" and _VOCAB.within.search(ctx.q.norm):
            found = found[:1] if ctx.q.lang == "en" else found[-1:]  # "X within Y" / "Y中X"
    if operands and len([x for x in found if x.label]) > 2:  # a listed sum excludes the total row it names
        found = [x for x in found if not is_grand_total(x.label)] or found
    if ctx.q.operation in ("lookup", "sum"):
        found = without_ancestors(found)
    return found


def _in_fund(ctx: Ctx, facts: FactPool, found: list[Subject], debug: dict) -> list[Subject]:
    """One fund named: its spending total when no item is, else each item as that fund's table prints it."""
    asked_fund = one_fund(ctx.q.norm)
    found = fund_part_total(ctx, facts, found, asked_fund)
    fund = fund_total(facts, found, ctx.q.norm, asked_fund)
    if fund is not None:
        debug["fund_total"] = fund.table
        return [fund]
    if any(asked_fund and asked_fund in x.label and _VOCAB.income_source.search(x.label) for x in found):
        asked_fund = ""  # "财政拨款收入占收入总额": the fund names an income source, it scopes no other item
    return [in_fund_table(x, facts, asked_fund) for x in found]


_GLOSS_GAP = re.compile(r"\s*(?:[(（][^()（）]*[)）])?\s*")


def _fund_then_appropriation(found: list[Subject], text: str) -> list[Subject]:
    """"government fund (政府性基金) appropriation": a fund named, then the bare word for appropriations, is
    that fund's appropriation — one item, not the fund and all appropriations."""
    def funds(x: Subject) -> str:
        return one_fund(x.term.zh) if x.term else ""

    def restates(y: Subject) -> bool:
        return any(x is not y and funds(x) and funds(y) and funds(x) != funds(y) and x.start < y.start
                   and _GLOSS_GAP.fullmatch(text[x.start + len(x.surface):y.start]) for x in found)
    return [y for y in found if not restates(y)] if len(found) >= 2 else found


def _within_part(found: list[Subject]) -> list[Subject]:
    """"In the basic expenditure, how much more goes to personnel than to public costs": a part of spending
    named beside two or more of its own parts (the national template: 人员 and 公用 are printed by the 基本支出表)
    frames the question; it is no operand."""
    if len(found) < 3:
        return found

    def words(x: Subject) -> str:  # the Chinese names: the term's (an English question), the row's, as said
        return " ".join((x.term.zh if x.term else "", x.label, x.surface))

    def frames(x: Subject) -> bool:
        table = template.part_table(template.part_named(words(x)))
        return bool(table) and all(template.part_home(words(y)) == (table,) for y in found if y is not x)
    return [x for x in found if not frames(x)]


_LEAD_GAP = re.compile(_VOCAB.fund_lead)


def fund_as_lead(found: list[Subject], fund: str, text: str) -> list[Subject]:
    """"财政拨款“三公”经费总共多少": a fund said right before an item (quotes or 的 between) scopes that item;
    it is no second item to add to it ("财政拨款和三公经费" still names two)."""
    if not fund or len(found) < 2:
        return found

    def leads(x: Subject) -> bool:
        end = x.start + len(x.surface)
        return fund in (x.label, x.surface) and text[x.start:end] == x.surface and any(
            y is not x and y.start >= end and _LEAD_GAP.fullmatch(text[end:y.start]) for y in found)
    return [x for x in found if not leads(x)]


# a part of spending a table prints alone (ingest/template.toml: 基本支出, 项目支出), after a fund's name
_PART_OF_FUND = re.compile(_VOCAB.fund_part + "(" + "|".join(template.table_part_words()) + ")")


def fund_part_total(ctx: Ctx, facts: FactPool, found: list[Subject], fund: str) -> list[Subject]:
    """"一般公共预算基本支出中，工资福利支出占多大比例": a fund and a part named together are one whole, the
    total row the template types with that fund and part (not the income row named after the fund)."""
    m = re.search(re.escape(fund) + _PART_OF_FUND.pattern, ctx.q.norm) if fund else None
    if m is None:
        return found
    part = template.part_named(m.group(1))
    rows = facts.where(lambda f: f.is_total and f.table_id and f.value is not None and f.fund == fund
                       and f.part == part, "is_total = 1 AND value IS NOT NULL")
    if not rows:
        return found
    own = template.part_table(part)  # the part's own table (基本支出表)
    best = min(rows, key=lambda f: (f.table_type != own, f.table_id or "99", f.col_index or 0))
    whole = Subject(best.label, m.group(0), via="column", start=m.start(), column=best.column,
                    table=f"^{re.escape(best.table_title)}$")
    kept = [x for x in found if not m.start() <= x.start < m.end()]
    if kept and ctx.q.operation not in ("share", "ratio"):
        return kept  # "一般公共预算基本支出里，办公费": the whole frames the item, read in that fund's table
    return sorted([whole, *kept], key=lambda x: x.start)


def unnamed_subjects(view: FactView, ctx: Ctx, facts: FactPool, debug: dict) -> list[Subject]:
    """No glossary item named: the grand total asked in words, the row printing an amount quoted, what a
    counting word counts, or a label retrieval finds printed in the question."""
    if ctx.q.operation != "count" and _TOTAL_WORDS.search(ctx.q.norm):  # 一共有多少个: no money total
        total = view.grand_total(ctx.docs)
        if total:
            return [Subject(total, total, via="total")]
    if ctx.q.amounts:  # "那1800万元主要用来干什么": the row printing that amount
        found = by_amount(view, ctx, facts)
        if found:
            return found
    if ctx.q.operation == "count":
        found = subject_by_unit(view, ctx, facts)
        if found:
            return found
    return [] if ctx.q.terms else by_retrieval(view, ctx, debug)


def by_retrieval(view: FactView, ctx: Ctx, debug: dict) -> list[Subject]:
    """A label retrieval ranks high that the question prints, outside the department's names."""
    cands = view.retriever.labels(ctx.q.norm, [d.id for d in ctx.docs], k=8)
    debug["retrieval"] = cands.debug()
    bm25 = dict(cands.bm25)
    bare = normalise_label(ctx.q.norm)
    for d in ctx.docs:  # a department's name is not an item ("司法局" is not the 司法 row)
        for alias in view.aliases.get(d.id, []):
            bare = bare.replace(alias, " ")
    for label, _ in cands.labels[:3]:
        if label in bm25 and len(label) >= 2 and normalise_label(label) in bare:
            return [Subject(label, label, via="retrieval")]
    return []


def _verbatim_rows(view: FactView, ctx: Ctx, facts: FactPool, found: list[Subject], bare_text: str,
                   operands: bool, debug: dict) -> list[Subject]:
    """A label printed in full in the question is that row, not a shorter one inside it; labels printed
    beside the items found are operands too."""
    printed = verbatim_labels(view, ctx, facts, bare_text)
    for x in found:
        at = x.start if x.via != "retrieval" else ctx.q.norm.find(x.label)
        longer = [v for v in printed
                  if v.start <= at < v.start + len(v.label)
                  and len(v.label) > len(x.label if x.via == "retrieval" else x.surface)]  # more words
        if longer and x.label and not x.column:
            x.label, x.via = longer[0].label, "verbatim"
    spans = [(x.start if x.via != "retrieval" else ctx.q.norm.find(x.label), len(x.surface)) for x in found]
    extra = [v for v in printed if not any(a <= v.start < a + n or v.start <= a < v.start + len(v.label)
                                           for a, n in spans)]
    if extra and (operands or not found):
        debug["verbatim"] = [v.label for v in extra]
        return sorted(found + extra, key=lambda x: x.start)
    return found


def _unit_rows(view: FactView, ctx: Ctx, facts: FactPool, found: list[Subject], bare_text: str,
               debug: dict) -> list[Subject]:
    """The unit's row, instead of any glossary item read inside its name."""
    units = unit_subjects(view, ctx, facts, bare_text)
    if not units:
        return found
    covered = [(u.start, u.start + len(u.surface)) for u in units]
    kept = [x for x in found if not any(a <= x.start < b for a, b in covered) or x.via == "total"]
    added = [u for u in units if u.label not in {x.label for x in found}]
    debug["units"] = [u.label for u in units]
    return _item_of_units(sorted(kept + added, key=lambda x: x.start), facts)


def _own_rows(view: FactView, ctx: Ctx, facts: FactPool, found: list[Subject], bare_text: str,
              operands: bool, debug: dict) -> list[Subject]:
    """"行政运行经费和气象事业机构经费哪个多": an item (or the second one) in the document's own row words."""
    named = [x for x in found if x.label]
    only_total = bool(found) and all(x.via == "total" or is_grand_total(x.label) for x in found)
    if found and not only_total and not (operands and len(named) == 1 and len(found) == 1):
        return found
    own = [x for x in by_own_labels(view, ctx, facts, bare_text) if x.label not in {n.label for n in named}]
    if own and not operands:
        own = own[:1]  # one item asked: the longest words that name a row
    if not own:
        return found
    debug["own_label"] = own[0].label
    return sorted(named + own, key=lambda x: x.start)


def _once(found: list[Subject]) -> list[Subject]:
    """Each row and column once (an item not disclosed every time it is named)."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for s in found:
        if (s.label, s.column) not in seen or s.via == "unknown":
            seen.add((s.label, s.column))
            unique.append(s)
    return unique

_NUMERALS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5}
_HOW_MANY = re.compile(r"^(?:这|那)?([两二三四五])[个项笔类]")


def by_own_labels(view: FactView, ctx: Ctx, facts: FactPool, text: str | None = None) -> list[Subject]:
    """Words the glossary does not know, found inside the document's own row labels ("离退休" → 行政单位离退休).

    What is left of the question once the department, the year, glossary terms and filler are taken out is
    matched against the labels the tables print; the shortest label holding the words wins, and only when
    few labels hold them (else the words are too vague to name one row).
    """
    text = without_department(view, ctx) if text is None else text
    left = unlinked_words(text, [(m.start, m.end) for m in ctx.q.terms])
    labels = sorted({lab for lab in facts.labels("valued") if lab}, key=shortest_first)
    out: list[Subject] = []
    candidates = (w for w in left.split() if re.fullmatch(r"[\u4e00-\u9fff]{2,16}", w))
    for word in sorted(candidates, key=longest_first):
        counted = _HOW_MANY.match(word)  # "两个信息化运维项目": that many rows holding the rest
        phrase = word[counted.end():] if counted else word
        if len(phrase) < 2:
            continue
        holding = [lab for lab in labels if phrase in lab]
        if not holding:  # 殡葬费减免 → 殡葬基本服务减免项目经费: every content word of the phrase, in order
            holding = [lab for lab in labels if names_label(phrase, lab)]
        at = ctx.q.norm.find(word)
        if counted and len(holding) == _NUMERALS.get(counted.group(1), 0):
            out += [Subject(lab, phrase, via="own_label", start=at) for lab in holding]
        elif holding and len(holding) <= 4 and holding[0] not in {x.label for x in out}:
            out.append(Subject(holding[0], phrase, via="own_label", start=at))
    return out  # longest words first; "社保中心和技师学院相差多少": each word its own row




def unit_subjects(view: FactView, ctx: Ctx, facts: FactPool, text: str | None = None) -> list[Subject]:
    """Budget units the question names by a short name ("社保中心", "住房保障办", "气象服务中心"): rows of the
    document's tables that name an institution, matched word by word. A unit is a row, never a glossary item
    inside its name (住房保障办 is not 住房保障支出)."""
    if not ctx.docs or view.several(ctx.docs):
        return []  # units are rows of one disclosure
    summary = {f.label: f for f in unit_rows(view, ctx)}  # a unit's figure is its row in the summary table
    units = sorted({lab for lab in facts.labels("valued") if UNIT_NAME.search(lab)},
                   key=lambda lab: (lab not in summary, len(lab)))
    if not units:
        return []
    text = without_department(view, ctx) if text is None else text
    out: list[Subject] = []
    for at, phrase, named in named_units(text, units):
        row = summary.get(named[0])
        out.append(Subject(named[0], phrase, via="unit", start=at, column=row.column if row else ""))
    # "信访局本级和人民来访接待中心": in a department budget, the bureau's own row beside its units (a unit
    # budget of its own, when the store holds one, was already chosen by scope for 本级)
    own = _VOCAB.own_unit.search(text)
    mine = [lab for lab in units if _VOCAB.own_row_word in lab]
    if len(mine) > 1:  # the department's own 本级, not a subordinate bureau's (社会保险基金管理局（本级）)
        names = {d.department for d in ctx.docs}
        mine = [lab for lab in mine if _VOCAB.own_row.sub("", lab) in names]
    if own and len(mine) == 1 and all(x.label != mine[0] for x in out) \
            and all(d.level == "department" for d in ctx.docs):
        row = summary.get(mine[0])
        out.append(Subject(mine[0], own.group(0), via="unit", start=own.start(),
                           column=row.column if row else ""))
        out.sort(key=lambda x: x.start)
    return out


def _item_of_units(found: list[Subject], facts: FactPool) -> list[Subject]:
    """"西郊监狱的三公经费": one item asked of named units is the item's column in the units' rows."""
    units = [x for x in found if x.via == "unit"]
    items = [x for x in found
             if x.via not in ("unit", "total") and x.label and not is_grand_total(x.label)]
    if not units or len(items) != 1:
        return found
    item = items[0]
    names = {item.label, *((item.term.zh, *item.term.synonyms_zh) if item.term else ())}
    cores = {c for c in (item_core(n) for n in names)
             if len(c) >= 2}
    columns = [f.column for f in facts.labelled(*{u.label for u in units}) if f.value is not None
               and any(c in f.column.replace("“", "").replace("”", "") for c in cores)]
    if not columns:
        return _item_in_unit_block(found, units, item, facts)
    # 小计, not 其中：预留给中小企业…
    whole = [c for c in columns if not c.split(" / ")[-1].startswith(_VOCAB.of_which)]
    columns = whole or columns
    column = max(sorted(set(columns)), key=columns.count)
    for u in units:
        u.column = column
    return units


def _item_in_unit_block(found: list[Subject], units: list[Subject], item: Subject,
                        facts: FactPool) -> list[Subject]:
    """"深圳人社局本级的办公费": a by-unit table prints the item as a row of the unit's own block (its entity)."""
    if len(units) != 1:
        return found
    rows = [f for f in facts.labelled(item.label) if f.entity == units[0].label and f.value is not None]
    if not rows:
        return found
    return [Subject(item.label, item.surface, item.term, via=item.via, start=item.start, table=item.table,
                    entity=units[0].label)]


def by_amount(view: FactView, ctx: Ctx, facts: FactPool) -> list[Subject]:
    """The item whose printed figure is the amount the question quotes; the narrative's row first when it says
    what the item pays for (主要用于), then a table row, then the shortest label."""
    near = [(min(a, b), max(a, b)) for a, b in  # each amount in each money unit, give or take rounding
            ((float(x / k) * (1 - 1e-9), float(x / k) * (1 + 1e-9)) for x in ctx.q.amounts
             for k in MONEY_FACTORS.values())]
    rows = facts.where(lambda f: f.value is not None and f.unit in MONEY_FACTORS and f.measure == "amount"
                       and convert(f.value, f.unit, "元") in ctx.q.amounts and f.label and not f.is_total,
                       "measure = 'amount' AND value IS NOT NULL AND ("
                       + (" OR ".join(["CAST(value AS REAL) BETWEEN ? AND ?"] * len(near)) or "0") + ")",
                       *(x for pair in near for x in pair))
    if not rows:
        return []
    said = {lab for lab in {f.label for f in rows} if purpose_of(view, ctx.docs, [lab])}
    tabled = {f.label for f in rows if f.table_id}
    depth = {f.label: len(f.code or "") for f in rows}  # 2120815 农村社会事业支出 before its 类 城乡社区支出
    best = min({f.label for f in rows},
               key=lambda lab: (lab not in said, -depth[lab], lab not in tabled, len(lab), lab))
    return [Subject(best, best, via="amount")]


def without_department(view: FactView, ctx: Ctx) -> str:
    """The question with its department's names and places blanked (same length: offsets still hold)."""
    text = ctx.q.norm
    for d in ctx.docs:
        names = view.catalog.names.get(d.department)
        places = [w for w in (names.place_words if names else ()) if re.search(r"[\u4e00-\u9fff]", w)]
        places += [names.bare] if names and len(names.bare) >= 2 else []  # 民政(局)
        for alias in sorted([*view.aliases.get(d.id, []), *places], key=longest_first):
            text = text.replace(alias, " " * len(alias))  # 广州民政: the place is no part of an item
    return text


def verbatim_labels(view: FactView, ctx: Ctx, facts: FactPool, text: str | None = None) -> list[Subject]:
    """Row labels the question prints in full ("其他商业流通事务支出比其他涉外发展服务支出多多少"), longest first,
    not overlapping, outside the words naming the department."""
    text = without_department(view, ctx) if text is None else text
    labels = sorted({lab for lab in facts.labels("valued") if len(lab) >= 4 and lab in text},
                    key=longest_first)
    taken: list[tuple[int, int]] = []
    out: list[Subject] = []
    for lab in labels:
        for m in re.finditer(re.escape(lab), text):
            a, b = m.span()
            if not any(a < y and x < b for x, y in taken):
                taken.append((a, b))
                out.append(Subject(lab, lab, via="verbatim", start=a))
    return sorted(out, key=lambda x: x.start)


def is_grand_total(label: str) -> bool:
    vocab = _VOCAB
    return label in vocab.spending_totals or label in vocab.income_totals


def subject_by_unit(view: FactView, ctx: Ctx, facts: FactPool) -> list[Subject]:
    """"几家下属预算单位", "多少辆车": the counting word names what is counted."""
    for c in _VOCAB.count_words:
        if c.word not in ctx.q.norm:
            continue
        pick = counted_label(facts, c.unit, c.default, ctx.q.norm, c.only)
        if pick:
            return [Subject(pick, pick, via="unit")]
    return []


def counted_label(facts: FactPool, unit: str, default: str, text: str = "", only=None) -> str:
    """The row counted in ``unit``: one the question names, the default item (人员编制 printed as 编制), or the
    only one; a row the question does not name must match ``only`` (staff, not 培训人次)."""
    counted = [f.label for f in facts.where(lambda f: f.unit == unit and f.measure in ("count", "area"),
                                            "unit = ? AND measure IN ('count', 'area')", unit)]
    named = sorted({lab for lab in counted if lab in text}, key=longest_first)  # 下属预算单位, not 预算单位
    counted = [lab for lab in counted if only is None or only.search(lab)]
    near = sorted({lab for lab in counted if default and (default.endswith(lab) or lab.endswith(default))},
                  key=shortest_first)
    return named[0] if named else (default if default in counted else near[0] if near else
                                   (counted[0] if len(set(counted)) == 1 else ""))



def table_total(facts: FactPool, words: list[str], surface: str, t: Term | None = None,
                side: str = "") -> Subject | None:
    """The total row of the one table whose caption carries ``words`` (and no other table's own word: a 三公
    table that also holds 会议费 and 培训费 sums more than 三公), read inside that table only."""
    if not words:
        return None
    others = [r.name for r in _VOCAB.home_tables
              if r.name not in words and not any(r.name in w for w in words)]
    rows = facts.where(lambda f: f.table_id and f.is_total and all(w in (f.table_title or "") for w in words)
                       and (not side or side in f.table_title) and not any(o in f.table_title for o in others)
                       and not _VOCAB.part_tables.search(f.table_title),
                       "is_total = 1 AND " + " AND ".join(["instr(table_title, ?) > 0"] * len(words)), *words)
    if not rows:
        return None  # a printed total first; a blank one lets the narrative say "0万元"
    first = min(rows, key=lambda f: (f.value is None, f.table_id or "99", f.row_index or 0))
    return Subject(first.label, surface, t, via="table_total", table=f"^{re.escape(first.table_title)}$")


def without_ancestors(found: list[Subject]) -> list[Subject]:
    """"社会保障和就业支出中的行政单位离退休" / "retirees under social security": the item inside the other
    one named is asked; a class and its own line are never added together (that counts the line twice)."""
    codes = [(x, x.term.code) for x in found if x.label and x.term is not None and x.term.code]
    parents = {id(p) for p, pc in codes for c, cc in codes
               if c is not p and c.term.kind == p.term.kind and cc != pc and cc.startswith(pc)}
    return [x for x in found if id(x) not in parents]


def one_fund(text: str) -> str:
    """The one fund scope the question names (its table-title word), or "" for none or several."""
    funds = [r.name for r in _VOCAB.fund_scopes if r.pattern.search(text)]
    return funds[0] if len(funds) == 1 else ""


def fund_total(facts: FactPool, found: list[Subject], text: str, fund: str) -> Subject | None:
    """"政府性基金预算支出合计": a fund's spending asked with no item of its own is the total of that fund's
    spending table, not the income row named after the fund (政府性基金预算拨款) nor the grand total."""
    if not fund or not _VOCAB.spending_words.search(text) or _VOCAB.income_words.search(text):
        return None
    items = [x for x in found if x.label and not is_grand_total(x.label) and x.via != "total"
             and not _VOCAB.income_source.search(x.label)]
    return None if items else table_total(facts, [fund], fund, side=template.load().spending)


def in_fund_table(subject: Subject, facts: FactPool, fund: str) -> Subject:
    """"一般公共预算安排的公立医院支出" / "general public budget money for public hospitals": the item as that
    fund's own table prints it, not the all-funds figure, when such a table prints the row."""
    if not fund or not subject.label or subject.table or fund in subject.label:
        return subject
    stated = re.compile(rf"^{re.escape(fund)}{_VOCAB.fund_item}{re.escape(subject.label)}$")
    whole = sorted(lab for lab in facts.labels("amount") if stated.match(lab)
                   and any(f.value is not None for f in facts.labelled(lab)))
    if whole:  # "一般公共预算安排委托业务费13,311.93万元": the fund's whole figure, basic and project together
        return Subject(whole[0], subject.surface, subject.term, via="in_fund", start=subject.start)
    if not any(f.value is not None and fund in (f.table_title or "") for f in facts.labelled(subject.label)):
        return subject
    subject.table = re.escape(fund)
    return subject


def compared_pair(found: list[Subject], text: str) -> list[Subject]:
    """"三公经费中，A和B哪个多" / "of its basic spending, which is bigger, A or B": the two items compared,
    not the whole they are part of (in Chinese before 哪, in English after "which")."""
    named = [x for x in found if x.label]
    cue = re.search(r"哪|\bwhich\b", text, re.I)
    if len(named) <= 2 or cue is None:
        return found
    side = [x for x in named if x.start > cue.start()][:2] if re.match(r"w", cue.group(), re.I) else \
        [x for x in named if x.start < cue.start()][-2:]
    return side if len(side) == 2 else found


def stated_change(subject: Subject | None, names: list[str], facts: FactPool, surface: str,
                  t: Term) -> Subject | None:
    """A change asked of an item the narrative states a change for ("一般公共预算机关运行经费…减少7.67万元"):
    that sentence's item, when the linked row has no stated change of its own."""
    changed = facts.labels("change")
    if subject is not None and (subject.label in changed or subject.via == "exact"):
        return subject  # an exact row: its table's prior-year column gives the change
    near = sorted((lab for lab in changed for n in names if len(n) >= 3 and n in lab), key=shortest_first)
    return Subject(near[0], surface, t, via="stated_change") if near else subject


def resolve_term(view: FactView, t: Term, names: list[str], facts: FactPool, labels: set[str],
                  surface: str, question_names: list[list[str]] | None = None) -> Subject | None:
    question_names = question_names or []
    exact = [n for n in names if n in labels]
    homes = [r.name for r in _VOCAB.home_tables if any(r.pattern.search(n) for n in names[:1])]
    printed = [f for f in facts.labelled(exact[0]) if f.table_id] if exact and homes else []  # read if homes
    at_home = any(h in (f.table_title or "") for f in printed for h in homes)
    if homes and (not exact or printed and not at_home):
        # a 三公 item printed in an economic table is read from the 三公 table's own row ("（三）公务接待费支出")
        in_home = " OR ".join(["instr(table_title, ?) > 0"] * len(homes))
        home = {f.label for f in facts.where(lambda f: f.table_id and f.value is not None and f.label
                                             and any(h in (f.table_title or "") for h in homes),
                                             in_home, *homes)}
        own = [lab for lab in home if item_core(lab) in {item_core(n) for n in names}]
        if own:
            return Subject(sorted(own, key=shortest_first)[0], surface, t)
        across = facts.where(lambda f: f.table_id and f.value is not None and f.is_total
                             and any(h in (f.table_title or "") for h in homes)
                             and any(f.column == n or re.match(rf"{re.escape(n)}\s*/\s*(小计|合计)$", f.column)
                                     for n in names), f"is_total = 1 AND ({in_home})", *homes)
        if across:  # the 三公 table prints 会议费 (or “三公”经费 / 小计) as a column of its 合计 row
            return Subject(across[0].label, surface, t, via="column", column=across[0].column)
        whole = table_total(facts, [h for h in homes if h in names[0]], surface, t)
        if whole is not None:  # “三公”经费 where the 三公 table prints its sum only as a 合计 row
            return whole
    if exact:
        return Subject(exact[0], surface, t)
    if t.code:
        coded = [f.label for f in facts.coded(t.code)]
        if coded:
            return Subject(coded[0], surface, t)
    long_names = [n for n in names if len(n) >= 3]
    in_tables = facts.labels("tabled")
    contains = sorted({lab for lab in labels for n in long_names if n in lab  # not "X及Y" for X
                       and not (re.search(rf"{re.escape(n)}[费]?(及|和|与)", lab)
                                and re.search(r"(费|支出)$", lab))
                       # nor one entry of a list ("绩效管理、审计、政府采购、财会检查咨询费" is no 政府采购)
                       and not re.search(rf"、{re.escape(n)}|{re.escape(n)}、", lab)},
                      key=lambda lab: (lab not in in_tables, not any(w in lab for w in ("总额", "合计", "总计")),
                                       len(lab), lab))
    amounts = facts.labels("amount")
    contains = [c for c in contains if c in amounts] or contains
    if contains:
        via = "none" if contains[0] not in amounts else "contains"  # every fact with the label states none
        return Subject(contains[0], surface, t, via=via)
    for marker in ("用于", "主要包括"):  # what the narrative says an item pays for, then what it includes
        said = facts.where(lambda f, m=marker: f.from_narrative and f.measure == "amount"
                           and m in f.source_text,
                           "from_narrative = 1 AND measure = 'amount' AND instr(source_text, ?) > 0", marker)
        for f in said:
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

def column_hint(view: FactView, ctx: Ctx, subject: Subject | None) -> str:
    if subject is not None and subject.column:
        return subject.column
    for m in ctx.q.terms:
        if m.term.zh in COLUMN_TERMS and (subject is None or m.term.zh != subject.label):
            return m.term.zh
    if re.search(r"编制预算", ctx.q.norm):
        return "编制预算"
    return ""
