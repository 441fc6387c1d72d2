"""The national template as the reading frame: each table's standard type, each figure's measure, fund, part.

Chinese budget disclosures all publish one national set of tables (收支总表, 收入总表, 支出总表, 财政拨款收支总表,
一般公共预算支出表, 基本支出表, 三公经费表, 政府性基金, 国有资本经营, 项目支出, 政府采购, 绩效目标 …), each region
wording and splitting them its own way. What the set is and how each table and column is recognised is data
(``ingest/template.toml``); this module applies it to a document as read, so the answering side and the audit
can ask for "the all-funds total" or "this year's budget of the 一般公共预算" instead of a title's wording.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ingest.labels import strip_spaces
from ingest.model import Fact, ParsedDocument, TableRecord
from ingest.numbers import to_halfwidth

PATH = Path(__file__).with_name("template.toml")
ALL_FUNDS = "合计"
TABLE_FUNDS = ("一般公共预算", "政府性基金", "国有资本经营", "财政拨款")  # the funds a title can scope a table to
_NUMBERING = re.compile(r"^(?:公开)?(?:表\s*\d{1,2}|\d{1,2}表|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]"
                        r"|\d{1,2}[.、．])[:：.、]?")
_YEAR = re.compile(r"20\d{2}\s*年度?")


@dataclass(frozen=True)
class TableType:
    key: str
    zh: str
    en: str
    title: re.Pattern
    scope: str
    part: str
    aside: bool
    sides: bool
    columns: tuple[str, ...]
    labels: tuple[str, ...]

    def fits(self, columns: list[str], labels: set[str], sides: set[str]) -> bool:
        """Whether an untitled table is laid out like this type (at least one structural cue, all of them
        met)."""
        if not (self.sides or self.columns or self.labels):
            return False
        if self.sides and not {"收入", "支出"} <= sides:
            return False
        if self.columns and not all(any(w in c for c in columns) for w in self.columns):
            return False
        return not self.labels or any(w in lab for w in self.labels for lab in labels)


@dataclass(frozen=True)
class Dims:
    """What one column's figures are: measure (本年预算 / 上年预算 / 决算 …), fund scope, part of spending."""

    measure: str
    fund: str
    part: str


@dataclass(frozen=True)
class Template:
    types: tuple[TableType, ...]
    measures: tuple[tuple[str, str], ...]  # (name, pattern with {prior} / {year})
    default_budget: str
    default_final: str
    funds: tuple[tuple[str, re.Pattern], ...]
    parts: tuple[tuple[str, re.Pattern], ...]
    part_homes: dict[str, tuple[str, ...]]
    breadth: dict[str, int]  # fund → how broad its scope is, for a question naming no fund
    prior_budget: str  # the measure of last year's budget printed beside this year's
    income: str  # the income side's word (收入)
    spending: str  # the spending side's word (支出)

    def type(self, key: str) -> TableType | None:
        return next((t for t in self.types if t.key == key), None)


def parse(raw: dict) -> Template:
    types = tuple(
        TableType(key=t["type"], zh=t["zh"], en=t["en"], title=re.compile(t["title"]),
                  scope=t.get("scope", ""), part=t.get("part", ""), aside=bool(t.get("aside")),
                  sides=bool(s.get("sides")),
                  columns=tuple(s.get("columns", ())), labels=tuple(s.get("labels", ())))
        for t in raw["table"] for s in (t.get("structure", {}),))
    m = raw["measure"]
    return Template(types=types, measures=tuple((r[0], r[1]) for r in m["rules"]),
                    default_budget=m["default_budget"], default_final=m["default_final"],
                    prior_budget=m["prior_budget"],
                    income=raw["side"]["income"], spending=raw["side"]["spending"],
                    breadth={f["name"]: int(f["breadth"]) for f in raw["fund"] if "breadth" in f},
                    funds=tuple((f["name"], re.compile(f["words"])) for f in raw["fund"]),
                    parts=tuple((p["name"], re.compile(p["words"])) for p in raw["part"]),
                    part_homes={p["name"]: tuple(p.get("home", ())) for p in raw["part"]})


@lru_cache(maxsize=1)
def load() -> Template:
    with PATH.open("rb") as fh:
        return parse(tomllib.load(fh))


def title_key(title: str) -> str:
    """A title as the rules read it: half-width, no spaces, no year, no numbering (表1：, 公开03表, 一、)."""
    s = _YEAR.sub("", strip_spaces(to_halfwidth(title or "")))
    return _NUMBERING.sub("", s)


def table_type(title: str, columns: list[str] = (), labels: set[str] = frozenset(),
               sides: set[str] = frozenset()) -> str:
    """The standard type of a table: by its title, else by how it is laid out; "" when neither tells."""
    tpl = load()
    key = title_key(title)
    if key:
        for t in tpl.types:
            if t.title.search(key):
                return t.key
    for t in tpl.types:
        if t.fits(list(columns), set(labels), set(sides)):
            return t.key
    return ""


def title_fund(title: str) -> str:
    """The fund a table's title scopes it to (一般公共预算支出表 → 一般公共预算), or ""."""
    key = title_key(title)
    for name, pattern in load().funds:
        if name in TABLE_FUNDS and pattern.search(key):
            return name
    return ""


def table_scope(title: str, ttype: str) -> str:
    """A table's fund scope: its title's fund word, else its type's (收支总表: 合计, all funds together)."""
    t = load().type(ttype)
    return title_fund(title) or (t.scope if t else "")


def measure_named(text: str, year: int | None) -> str:
    """The measure a header (or the words before a narrative figure) names: "年初预算为" → 年初预算; "" if none."""
    for name, pattern in load().measures:  # no year known: the {prior} alternatives never match
        pattern = pattern.replace("{prior}", str(year - 1) if year else "(?!)")
        if re.search(pattern.replace("{year}", str(year) if year else "(?!)"), text):
            return name
    return ""


def own_measure(kind: str) -> str:
    """The measure a document of this kind prints as its own: a 决算's outturn, else this year's budget."""
    tpl = load()
    return tpl.default_final if "决算" in kind else tpl.default_budget


def column_dims(column: str, title: str, ttype: str, year: int | None, kind: str) -> Dims:
    """Measure, fund and part of one column's figures: its header path, then the table's title and type."""
    tpl = load()
    path = strip_spaces(to_halfwidth(column or ""))
    measure = measure_named(path, year) or own_measure(kind)
    if measure in (tpl.default_budget, tpl.default_final) and "决算" in title_key(title) and "决算" not in kind:
        measure = "决算"
    fund = next((name for name, pattern in tpl.funds if pattern.search(path)), "")
    fund = fund or table_scope(title, ttype)
    part = next((name for name, pattern in tpl.parts if pattern.search(path)), "")
    if not part:
        t = tpl.type(ttype)
        part = t.part if t else ""
    return Dims(measure, fund, part)


def is_aside(key: str) -> bool:
    """Whether a table type lists what spending buys or aims at (政府采购, 绩效目标) rather than the accounts."""
    t = load().type(key)
    return bool(t and t.aside)


def part_named(words: str) -> str:
    """The part of spending these words name (基本支出 → 基本, 公用经费 → 公用), or ""."""
    return next((name for name, pattern in load().parts if pattern.search(words)), "")


def part_home(words: str) -> tuple[str, ...]:
    """The table types that answer for the part of spending these words name (公用经费 → the 基本支出表), or ()."""
    return load().part_homes.get(part_named(words), ())


def part_table(part: str) -> str:
    """The table type printing this part of spending alone (基本 → the 基本支出表's type), or ""."""
    return next((t.key for t in load().types if part and t.part == part), "")


def table_part_words() -> tuple[str, ...]:
    """The words naming a part of spending a table prints alone (基本支出, 项目支出), in the template's order."""
    return tuple(pattern.pattern for name, pattern in load().parts if part_table(name))


def table_fund_words() -> tuple[str, ...]:
    """The words naming a fund a title can scope a table to (一般公共预算, 国有资本 …), in the template's order."""
    return tuple(pattern.pattern for name, pattern in load().funds if name in TABLE_FUNDS)


def _type_tables(tables: list[TableRecord], facts: list[Fact]) -> dict[str, TableRecord]:
    by_table: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.table_id:
            by_table[f.table_id].append(f)
    out: dict[str, TableRecord] = {}
    for t in tables:
        rows = by_table.get(t.table_id, [])
        ttype = table_type(t.title, sorted({f.column for f in rows}), {f.label for f in rows},
                           {f.side for f in rows if f.side})
        out[t.table_id] = replace(t, type=ttype, fund=table_scope(t.title, ttype))
    return out


def classify(parsed: ParsedDocument) -> ParsedDocument:
    """The document with every table typed and every table figure's measure, fund and part named."""
    doc = parsed.document
    typed = _type_tables(parsed.tables, parsed.facts)
    dims: dict[tuple[str, str], Dims] = {}
    facts: list[Fact] = []
    for f in parsed.facts:
        if not f.table_id:
            facts.append(f)
            continue
        table = typed.get(f.table_id)
        ttype = table.type if table else table_type(f.table_title)
        key = (f.table_id, f.column)
        if key not in dims:
            title = table.title if table else f.table_title
            dims[key] = column_dims(f.column, title, ttype, doc.year, doc.kind)
        d = dims[key]
        facts.append(replace(f, table_type=ttype, fund=d.fund, basis=d.measure, part=d.part))
    parsed.tables = [typed.get(t.table_id, t) for t in parsed.tables]
    parsed.facts = facts
    return parsed


def coverage(tables: list[TableRecord]) -> tuple[int, int]:
    """(typed, printed): how many of the tables a document prints (present or empty) have a standard type."""
    printed = [t for t in tables if t.status in ("present", "empty")]
    return sum(1 for t in printed if t.type), len(printed)


def type_name(key: str, lang: str = "zh") -> str:
    """How people name a table type (收支总表 / income and spending summary)."""
    t = load().type(key)
    return "" if t is None else (t.zh if lang == "zh" else t.en)
