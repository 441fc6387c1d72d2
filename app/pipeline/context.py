"""What the engine's parts share: the per-question context, subjects and the wording constants."""


from __future__ import annotations

import re
from dataclasses import dataclass

from app.lang.vocabulary import load as _load_vocabulary
from app.pipeline.understand import Query
from ingest.glossary import Term
from ingest.model import Document, Fact

# The word lists live in app/lang/vocabulary.toml; these names stay for the modules that import them.
_VOCAB = _load_vocabulary()
COLUMN_TERMS = _VOCAB.column_terms  # [columns] terms: glossary terms naming a column, not an item
COLUMN_PREF = _VOCAB.column_pref  # [columns] preferred: (header ending, weight)
_STOP_AFTER = _VOCAB.stop_after
_TOTAL_WORDS = _VOCAB.total_words
_DEPT_WORDS = _VOCAB.department_words
_KIND_EN = _VOCAB.kind_names_en


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
    # a pattern on the caption of the table the row is read from (a 合计 row names no item alone)
    table: str = ""
    # the budget unit whose rows answer (a by-unit table's block: 本级's 办公费), "" for any
    entity: str = ""


@dataclass(frozen=True)
class Ctx:
    """One question's reading and the documents it is answered from; read-only for every stage."""

    q: Query
    docs: list[Document]
    named: bool = False  # the question itself named the department
    siblings: tuple[Document, ...] = ()  # the 单位预算 beside a 部门预算 answering (mentioned, never added)



def _is_zh(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))
