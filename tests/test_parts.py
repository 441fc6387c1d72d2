"""A part asked of a whole by its kind is its own statement; a part the document does not state is not
disclosed, never answered with the whole (app/pipeline/parts.py)."""

from __future__ import annotations

import tiny_ledger as tiny

from app.pipeline.context import Ctx
from app.pipeline.link import link_subjects
from app.pipeline.understand import understand
from ingest.glossary import Glossary
from ingest.ledger import Ledger
from ingest.model import ParsedDocument

SENTENCE = "2026年政府采购预算总额120.00万元，其中：政府采购货物预算20.00万元。"


def _procurement() -> ParsedDocument:
    doc = tiny._doc("p26", tiny.SOCIAL, 2026)
    facts = [tiny._said(doc, "政府采购", "120.00", "万元", "amount", SENTENCE),
             tiny._said(doc, "政府采购货物", "20.00", "万元", "amount", SENTENCE, part_of="政府采购")]
    return ParsedDocument(doc, [], facts)


def _subjects(tmp_path, question: str) -> list[tuple[str, str]]:
    glossary = Glossary.load()
    ledger = Ledger(tmp_path / "store")
    ledger.put([_procurement()])
    try:
        view = tiny.view_of(ledger, glossary)
        subjects, _ = link_subjects(view, Ctx(understand(question, glossary), view.documents, named=True))
        return [(s.label, s.via) for s in subjects]
    finally:
        ledger.close()


def test_a_stated_part_is_its_row(tmp_path) -> None:
    assert _subjects(tmp_path, f"{tiny.SOCIAL}政府采购预算里买货物的钱是多少？") == [("政府采购货物", "part")]


def test_a_part_not_stated_is_not_its_whole(tmp_path) -> None:
    assert _subjects(tmp_path, f"{tiny.SOCIAL}政府采购预算里买服务的钱是多少？") == [("", "unknown")]


def test_the_whole_asked_alone_is_the_whole(tmp_path) -> None:
    assert _subjects(tmp_path, f"{tiny.SOCIAL}政府采购预算是多少？") == [("政府采购", "exact")]
