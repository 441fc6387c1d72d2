"""The question vocabulary, loaded from app/lang/vocabulary.toml.

Words people use change more often than the code that acts on them, so every phrasing lives in one data file
and this module only compiles it. A new phrasing is a line in the TOML, not a code change
(docs/vocabulary.md says where each kind of change goes).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("vocabulary.toml")

SECTIONS = ("operation", "describe_guard", "years", "relative", "dates", "direction", "unit_ask", "kinds",
            "subjects", "count_word", "fund_scope", "scope", "residual", "conversation",
            "describe", "totals", "columns")


class VocabularyError(ValueError):
    """The data file lacks a section, names an unknown operation or holds a pattern that does not compile
    (an operation no registered one answers is refused by app/ops/registry.py)."""


@dataclass(frozen=True)
class Rule:
    """One named list of patterns: an operation, a unit asked for, a document kind."""

    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Relative:
    """A year named relative to the newest document: 去年 is -1, 明年 +1."""

    offset: int
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class CountWord:
    """"多少辆车": the counting word, the ledger unit it counts in, the item counted when none is named."""

    word: str
    unit: str
    default: str
    only: re.Pattern[str] | None = None  # a row counted without being named must match (人员编制, not 培训人次)


@dataclass(frozen=True)
class Vocabulary:
    operations: tuple[Rule, ...]
    definition: re.Pattern[str]
    money_words: re.Pattern[str]
    figure_words: re.Pattern[str]
    purpose: re.Pattern[str]
    amount: re.Pattern[str]  # groups: num, zh (a Chinese unit) or scale + currency
    amount_factors: dict[str, Decimal]  # 万元 → 10000, million → 1000000
    year: re.Pattern[str]
    numeral_year: re.Pattern[str]
    numerals: dict[str, int]
    carry_over: re.Pattern[str]
    relative: tuple[Relative, ...]
    dates: tuple[re.Pattern[str], ...]
    months: dict[str, int]
    either: re.Pattern[str]
    up: re.Pattern[str]
    down: re.Pattern[str]
    size_words: re.Pattern[str]
    unit_asks: tuple[Rule, ...]
    kind_zh: re.Pattern[str]
    kind_short: dict[str, str]
    kind_en: tuple[Rule, ...]
    kind_names_en: dict[str, str]
    columns_en: dict[str, str]  # column headers in English answers (预算 → budget)
    stop_after: re.Pattern[str]
    total_words: re.Pattern[str]
    within: re.Pattern[str]
    count_words: tuple[CountWord, ...]
    department_words: re.Pattern[str]
    whole_department: re.Pattern[str]
    own_unit: re.Pattern[str]
    several_departments: re.Pattern[str]
    label_equivalents: dict[str, tuple[str, ...]]  # a word → every word of its group (itself first)
    home_tables: tuple[Rule, ...]  # name: a caption word; pattern: the row labels whose own table it names
    # name: a caption word of that fund's spending table; pattern: how it is asked
    fund_scopes: tuple[Rule, ...]
    narrow_tables: re.Pattern[str]  # one fund's table, or procurement: not what an item costs in all
    part_tables: re.Pattern[str]  # tables printing one part of a total, or income: never a theme's total
    spending_words: re.Pattern[str]  # a question about spending (a fund's spending total, not its income row)
    except_words: re.Pattern[str]  # "other than X": X is not the item asked
    income_words: re.Pattern[str]
    filler_zh: tuple[str, ...]  # longest first
    filler_en: frozenset[str]
    follow_filler: re.Pattern[str]
    follow_time: re.Pattern[str]
    follow_kind: re.Pattern[str]
    follow_pronoun: re.Pattern[str]
    follow_of_which: re.Pattern[str]
    follow_share_whole_at: re.Pattern[str]
    duties_question: re.Pattern[str]
    duties_section: re.Pattern[str]
    spending_totals: tuple[str, ...]  # preferred first
    income_totals: tuple[str, ...]
    bare_totals: tuple[str, ...]  # a total row with no item's name (合计, 总计)
    group_totals: tuple[str, ...]  # a column group's own total (… / 小计)
    income_source: re.Pattern[str]  # a row label naming an income source (财政拨款收入)
    fund_part: str  # a pattern: the words between a fund and a part named together
    fund_item: str  # a pattern: the words between a fund and an item in that fund's row label
    fund_lead: str  # a pattern: what stands between a fund said as a lead and the item it scopes
    base_start: str  # a pattern with {year}: the start of a base year (2025年年初)
    stated_month: str  # a pattern with {year}, {month}, {year_end}: a passage's month
    year_end: str  # the {year_end} of December
    column_terms: frozenset[str]  # glossary terms naming a column, not an item
    which_figure: frozenset[str]  # terms asking which figure of an item
    generic_columns: frozenset[str]  # headers an answer need not repeat
    column_pref: tuple[tuple[str, int], ...]  # (header ending, weight), first fit wins
    of_which: str  # a header starting with it prints a part of its group (其中)
    own_row_word: str  # a department's own row among its units' (本级)
    own_row: re.Pattern[str]  # that word as a label's suffix


def _amount_pattern(amounts: dict) -> re.Pattern[str]:
    zh = "|".join(sorted(amounts["zh"], key=len, reverse=True))
    scale = "|".join(amounts["en_scale"])
    cur = "|".join(amounts["en_currency"])
    return re.compile(rf"(?<![\d.,])(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?:(?P<zh>{zh})(?!\d)|"
                      rf"(?:(?P<scale>{scale})\s+)?(?:{cur})\b)", re.I)


def _compile(patterns: list[str] | str, where: str, prefix: str = "") -> re.Pattern[str]:
    items = [patterns] if isinstance(patterns, str) else list(patterns)
    if not items or not all(isinstance(p, str) and p for p in items):
        raise VocabularyError(f"{where}: expected a non-empty list of patterns")
    for p in items:  # one by one, so the error names the bad pattern
        try:
            re.compile(p)
        except re.error as e:
            raise VocabularyError(f"{where}: pattern {p!r} does not compile: {e}") from e
    return re.compile(prefix + "(" + "|".join(items) + ")", re.I)


def _raw(pattern: str, where: str, **fill: str) -> str:
    """A pattern kept as text, to be joined with others or filled in; checked with its placeholders filled."""
    try:
        re.compile(pattern.format(**fill) if fill else pattern)
    except (re.error, KeyError, IndexError) as e:
        raise VocabularyError(f"{where}: pattern {pattern!r} does not compile: {e}") from e
    return pattern


def parse(data: dict) -> Vocabulary:
    """Check and compile parsed TOML; raises VocabularyError naming what is wrong."""
    missing = [s for s in SECTIONS if s not in data]
    if missing:
        raise VocabularyError(f"missing sections: {', '.join(missing)}")
    ops = []
    for i, entry in enumerate(data["operation"]):
        name = entry.get("name", "")
        if not name:  # which names an operation answers is the registry's to check (app/ops/registry.py)
            raise VocabularyError(f"operation #{i + 1}: needs a name")
        ops.append(Rule(name, _compile(entry.get("patterns", []), f"operation {name}")))
    years, direction, kinds = data["years"], data["direction"], data["kinds"]
    numeral_year = re.compile(years["numeral_pattern"])
    if numeral_year.groups != 1 or re.compile(years["pattern"]).groups != 1:
        raise VocabularyError("years: pattern and numeral_pattern must each have exactly one group")
    dates = tuple(_compile(p, "dates") for p in data["dates"]["patterns"])
    if not all("y" in d.groupindex for d in dates):
        raise VocabularyError("dates: every pattern needs a (?P<y>…) group")
    return Vocabulary(
        operations=tuple(ops),
        definition=_compile(data["describe_guard"]["definition"], "describe_guard.definition"),
        money_words=_compile(data["describe_guard"]["money_words"], "describe_guard.money_words"),
        figure_words=_compile(data["describe_guard"]["figure_words"], "describe_guard.figure_words"),
        purpose=_compile(data["describe_guard"]["purpose"], "describe_guard.purpose"),
        amount=_amount_pattern(data["amounts"]),
        amount_factors={k: Decimal(v)
                        for k, v in {**data["amounts"]["zh"], **data["amounts"]["en_scale"]}.items()},
        year=re.compile(years["pattern"]),
        numeral_year=numeral_year,
        numerals={k: int(v) for k, v in years["numerals"].items()},
        carry_over=_compile(years["carry_over"], "years.carry_over"),
        relative=tuple(Relative(int(r["offset"]), _compile(r["patterns"], f"relative {r['offset']}"))
                       for r in data["relative"]),
        dates=dates,
        months={k.lower(): int(v) for k, v in data["dates"]["months"].items()},
        either=_compile(direction["either"], "direction.either"),
        up=_compile(direction["up"], "direction.up"),
        down=_compile(direction["down"], "direction.down"),
        size_words=_compile(direction["size_words"], "direction.size_words"),
        unit_asks=tuple(Rule(u["unit"], _compile(u["patterns"], f"unit_ask {u['unit']}"))
                        for u in data["unit_ask"]),
        kind_zh=_compile(kinds["zh"], "kinds.zh"),
        kind_short=dict(kinds["short"]),
        kind_en=tuple(Rule(k["kind"], _compile(k["pattern"], f"kinds.en {k['kind']}")) for k in kinds["en"]),
        kind_names_en=dict(kinds["names_en"]),
        columns_en=dict(data["columns_en"]),
        stop_after=_compile(data["subjects"]["stop_after"], "subjects.stop_after", prefix="^"),
        total_words=_compile(data["subjects"]["total_words"], "subjects.total_words"),
        within=_compile(data["subjects"]["within"], "subjects.within"),
        count_words=tuple(CountWord(c["word"], c["unit"], c.get("default", ""),
                                    re.compile(c["only"]) if c.get("only") else None)
                          for c in data["count_word"]),
        department_words=_compile(data["scope"]["department_words"], "scope.department_words"),
        whole_department=_compile(data["scope"]["whole_department"], "scope.whole_department"),
        own_unit=_compile(data["scope"]["own_unit"], "scope.own_unit"),
        several_departments=_compile(data["scope"]["several_departments"], "scope.several_departments"),
        label_equivalents={w: (w, *(x for x in g if x != w))
                           for g in data["subjects"]["label_equivalents"] for w in g},
        fund_scopes=tuple(Rule(f["title"], _compile(f["patterns"], "fund_scope.patterns"))
                          for f in data["fund_scope"]),
        narrow_tables=re.compile("|".join([*(re.escape(f["title"]) for f in data["fund_scope"]),
                                           *data["subjects"]["narrow_tables"]])),
        part_tables=_compile(data["subjects"]["part_tables"], "subjects.part_tables"),
        spending_words=_compile(data["subjects"]["spending_words"], "subjects.spending_words"),
        except_words=_compile(data["subjects"]["except_words"], "subjects.except_words"),
        income_words=_compile(data["subjects"]["income_words"], "subjects.income_words"),
        home_tables=tuple(Rule(h["title"], _compile([h["label"]], "home_table.label"))
                          for h in data["home_table"]),
        filler_zh=tuple(sorted(data["residual"]["filler_zh"], key=len, reverse=True)),
        filler_en=frozenset(w.lower() for w in data["residual"]["filler_en"]),
        follow_filler=_compile(data["conversation"]["filler"], "conversation.filler"),
        follow_time=_compile(data["conversation"]["time"], "conversation.time"),
        follow_kind=_compile(data["conversation"]["kind"], "conversation.kind"),
        follow_pronoun=_compile(data["conversation"]["pronoun"], "conversation.pronoun"),
        follow_of_which=_compile(data["conversation"]["of_which"], "conversation.of_which"),
        follow_share_whole_at=_compile(data["conversation"]["share_whole_at"], "conversation.share_whole_at"),
        duties_question=_compile(data["describe"]["duties_question"], "describe.duties_question"),
        duties_section=_compile(data["describe"]["duties_section"], "describe.duties_section"),
        spending_totals=tuple(data["totals"]["spending"]),
        income_totals=tuple(data["totals"]["income"]),
        bare_totals=tuple(data["totals"]["bare"]),
        group_totals=tuple(data["totals"]["group"]),
        income_source=_compile(data["subjects"]["income_source"], "subjects.income_source"),
        fund_part=_raw(data["subjects"]["fund_part"], "subjects.fund_part"),
        fund_item=_raw(data["subjects"]["fund_item"], "subjects.fund_item"),
        fund_lead=_raw(data["subjects"]["fund_lead"], "subjects.fund_lead"),
        base_start=_raw(years["base_start"], "years.base_start", year="2025"),
        stated_month=_raw(data["dates"]["stated_month"], "dates.stated_month", year="2025", month="8",
                          year_end=data["dates"]["year_end"]),
        year_end=_raw(data["dates"]["year_end"], "dates.year_end"),
        column_terms=frozenset(data["columns"]["terms"]),
        which_figure=frozenset(data["columns"]["which_figure"]),
        generic_columns=frozenset(data["columns"]["generic"]),
        column_pref=tuple((str(w), int(n)) for w, n in data["columns"]["preferred"]),
        of_which=data["columns"]["of_which"],
        own_row_word=data["scope"]["own_row_word"],
        own_row=re.compile(_raw(data["scope"]["own_row"], "scope.own_row")),
    )


def load(path: Path | str | None = None) -> Vocabulary:
    """Read and compile a vocabulary file (the shipped one by default, cached)."""
    if path is None:
        return _default()
    with open(path, "rb") as fh:
        return parse(tomllib.load(fh))


@lru_cache(maxsize=1)
def _default() -> Vocabulary:
    with open(DEFAULT_PATH, "rb") as fh:
        return parse(tomllib.load(fh))
