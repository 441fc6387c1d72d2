"""The HTTP API's request and response models (pydantic): what the OpenAPI schema and the docs page show.

The answer model is the JSON of ``budgetqa ask --json`` (``Answer.to_dict``) field for field; facts are
the rows of ``budgetqa facts --csv`` (``fact_record``); documents are ``budgetqa documents --json``.
Request bounds live here so the schema states them: a question (and each earlier question of its history) is
at most ``MAX_QUESTION`` characters, the history at most ``MAX_HISTORY`` questions; over them: 422 naming the
field and the bound, never a silent cut.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_QUESTION = 500  # the engine reads no further
MAX_HISTORY = 6  # earlier questions the engine reads
MAX_SCOPE = 50  # documents one question may be limited to


class ErrorDetail(BaseModel):
    code: str = Field(description="stable, for programs: not_found, too_many_requests, unauthorized …")
    message: str = Field(description="what went wrong, in words")


class ErrorBody(BaseModel):
    """Every error: ``{"error": {"code": …, "message": …}}``."""

    error: ErrorDetail

    @classmethod
    def of(cls, code: str, message: str) -> ErrorBody:
        return cls(error=ErrorDetail(code=code, message=message))


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "杭州气象局2026年支出总计是多少？"},
        {"question": "那去年呢？", "history": ["杭州气象局2026年支出总计是多少？"]},
        {"question": "what is the housing spend?", "lang": "en",
         "scope": ["antu-social-insurance-2026-department-budget.txt"]}]})

    question: str = Field(min_length=1, max_length=MAX_QUESTION, description="in Chinese or English")
    scope: list[str] | None = Field(None, max_length=MAX_SCOPE,
                                    description="document ids or file names; none: every document")
    history: list[Annotated[str, Field(max_length=MAX_QUESTION)]] = Field(
        default_factory=list, max_length=MAX_HISTORY,
        description=f"the earlier questions of this conversation, oldest first (at most {MAX_HISTORY}, each "
                    f"at most {MAX_QUESTION} characters)")
    lang: Literal["zh", "en"] | None = Field(None, description="answer language; default: the question's")


class CitationOut(BaseModel):
    document: str = Field(description="the document's title")
    document_id: str
    department: str
    year: int | None
    table: str = Field(description='"01" … as numbered in the document, or "narrative"')
    table_title: str
    row: str
    column: str
    value: str = Field(description="the cell as disclosed; empty for a blank cell")
    unit: str
    page: int | None
    line: int | None
    text: str = Field(description="the quoted source line")


class AnswerOut(BaseModel):
    """The same JSON as ``budgetqa ask --json``."""

    question: str
    status: str = Field(description="answered | not_found | ambiguous")
    answer: str = Field(description="the answer in words, in the question's language")
    lang: str
    value: int | float | None = Field(description="the figure, when the answer is one")
    value_text: str | None = Field(description="the figure as exact decimal text")
    unit: str | None
    formula: str | None = Field(description="the arithmetic behind a calculated figure")
    citations: list[CitationOut]
    candidates: list[str] = Field(description="documents or items to choose from (ask-backs, misses)")
    read_as: str | None = Field(description="a follow-up, as the standalone question it was answered as")
    reading: dict | None = Field(description="how the question was read: department, year, document, item, "
                                             "operation, used_history, scope")
    latency_ms: float


class DocumentSummary(BaseModel):
    id: str
    source: str = Field(description="the file's name")
    title: str
    department: str
    region: str
    year: int | None
    kind: str = Field(description="部门预算 | 单位预算 | 部门决算 | 单位决算")
    level: str


class TableOut(BaseModel):
    id: str
    title: str
    status: str = Field(description="present | empty | absent")
    unit: str
    unit_source: str
    facts: int
    page: int | None


class DocumentDetail(BaseModel):
    """Identity, counts, warnings, tables and the reading report (``budgetqa documents --json``)."""

    id: str
    source: str
    department: str
    region: str
    year: int | None
    kind: str
    level: str
    facts: int
    passages: int
    default_unit: str
    default_unit_note: str
    warnings: list[str]
    tables: list[TableOut]
    reading: dict = Field(description="tables listed and found, printed figures read (coverage)")


class FactOut(BaseModel):
    """One fact: the columns of ``budgetqa facts --csv``."""

    document: str
    department: str
    year: int | None
    kind: str
    table: str
    table_title: str
    side: str
    row: str
    label: str
    code: str
    column: str
    value: str
    unit: str
    measure: str
    ref_year: int | str
    compared_with: str
    total: int
    page: int | str
    line: int | str
    source: str
    id: str


class FactsPage(BaseModel):
    document: str
    table: str | None
    q: str | None
    page: int
    per_page: int
    total: int = Field(description="facts matching the filter, over all pages")
    facts: list[FactOut]


class IndexHealth(BaseModel):
    dense: bool = Field(description="questions also search the embedded or Chroma-server index")
    opened: bool = Field(description="the index has been opened in this process")
    in_sync: bool | None = Field(description="every document of the ledger is indexed (None: not known)")
    syncing: bool = Field(False, description="a background sync (and the model's load after it) is running")


class Health(BaseModel):
    status: Literal["ok"]
    generation: str | None = Field(description="the ledger generation answers are read from")
    documents: int
    read_only: bool = Field(description="a published snapshot or read-only store: no staff changes here")
    snapshot: str | None = Field(description="when the snapshot was published, if this store is one")
    index: IndexHealth


class StoredDocument(BaseModel):
    id: str
    source: str
    action: str = Field(description="new | replaced | unchanged")


class UploadResult(BaseModel):
    summary: str
    documents: list[StoredDocument]
    warnings: list[str]
    refused: list[str]


class RemoveResult(BaseModel):
    removed: str
    source: str
    facts: int
    index: str
