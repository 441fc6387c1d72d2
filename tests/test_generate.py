"""The disclosure generator: deterministic, ingestible, and its answer key agrees with the ledger."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from evals.gen.names import departments
from evals.gen.text import render_text
from evals.generate import build, write
from ingest.ledger import Ledger
from ingest.pipeline import ingest


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    write(build(5, seed=7), tmp_path / "a")
    write(build(5, seed=7), tmp_path / "b")
    write(build(5, seed=8), tmp_path / "c")
    a, b, c = (_files(tmp_path / x) for x in "abc")
    assert len(a) == 6 and a == b  # 5 documents and the key, byte for byte
    assert a.keys() == c.keys() and a != c


def test_department_names_vary_in_place_and_form() -> None:
    depts = departments(300, random.Random(1))
    names = [d.name for d in depts]
    assert len(set(names)) == 300
    assert len({d.province for d in depts}) >= 20 and len({d.type_name for d in depts}) >= 20
    assert any(n.startswith("中共") and n.endswith("宣传部") for n in names)
    assert any("人民政府" in n and n.endswith("街道办事处") for n in names)


def test_tables_and_narrative_agree() -> None:
    for b in build(6, seed=3).budgets.values():
        assert sum(b.categories.values()) == b.total
        assert b.basic + b.project == b.total and b.personnel + b.public == b.basic
        text = render_text(b)
        assert f"收入总计\t{b.total:.2f}" in text and f"人员经费{b.personnel:.2f}万元" in text


def test_generated_documents_ingest_with_the_answer_keys_facts(tmp_path: Path) -> None:
    corpus = build(5, seed=11)
    write(corpus, tmp_path)
    report = ingest([tmp_path / "text"], tmp_path / "store", index=False)
    assert len(report.documents) == 5
    ledger = Ledger(tmp_path / "store")
    try:
        docs = {d.source_key: d for d in ledger.documents()}
        assert docs.keys() == corpus.budgets.keys()
        for name, b in corpus.budgets.items():
            doc = docs[name]
            assert (doc.department, doc.year, doc.kind) == (b.department.name, b.year, "部门预算")
        facts = {doc.source_key: ledger.facts(document_id=doc.id) for doc in docs.values()}
        categories = {item.category for item in corpus.key}
        assert categories == {"named", "unnamed", "cross"}
        for item in corpus.key:
            values = []
            for op in item.operands:
                hits = [f for f in facts[op.document] if (f.table_id or "narrative") == op.table
                        and op.label in f.label and f.value == Decimal(op.value)]
                assert hits, f"{item.id}: {op} not in the ledger"
                values.append(Decimal(op.value))
            ops = {"lookup": values[0], "sum": sum(values, Decimal(0)), "max": max(values)}
            combined = ops[item.operation]
            assert Decimal(item.expected) == combined, item.id
    finally:
        ledger.close()


def test_pdf_form_reads_to_the_same_facts_as_the_text_form() -> None:
    from evals.gen.pdf import render_pdf
    from ingest.readers.pdf import read_pdf
    from ingest.readers.text import read_text

    name, b = next(iter(build(1, seed=3).budgets.items()))
    data = render_pdf(b)
    assert data == render_pdf(b)  # deterministic bytes too
    pdf = read_pdf(Path(name.replace(".txt", ".pdf")), data)
    text = read_text(Path(name), render_text(b).encode())
    assert (pdf.document.department, pdf.document.year) == (b.department.name, b.year)

    def cells(doc):
        return {(f.table_id, f.label, f.column, f.value) for f in doc.facts}

    assert len(cells(text)) > 250 and cells(pdf) == cells(text)
