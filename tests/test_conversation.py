"""Follow-ups read against the earlier questions: the engine, the CLI's --conversation and the web chat's
history."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from app import cli
from app.engine import Engine
from app.web.messages import asked_before, render_question
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "antu-social-insurance-2026-department-budget.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("conv")
    other = SEED.read_text(encoding="utf-8").replace("安图县社会保险事业管理局", "安图县医疗保障局").replace(
        "二十、住房保障支出\t48.66\t48.66", "二十、住房保障支出\t12.34\t12.34")
    (folder / "medical.txt").write_text(other, encoding="utf-8")
    court = SEED.read_text(encoding="utf-8").replace("安图县社会保险事业管理局", "安图县人民法院")
    (folder / "court.txt").write_text(court, encoding="utf-8")
    ingest([SEED, folder / "medical.txt", folder / "court.txt"], folder / "store", index=False)
    return folder / "store"


@pytest.fixture(scope="module")
def engine(store: Path) -> Engine:
    return Engine.open(store, dense=False)


@pytest.mark.parametrize(("history", "question", "value"), [
    (["安图社保局2026年住房保障支出是多少？"], "那卫生健康支出呢？", "31.51"),
    (["安图社保局2026年住房保障支出是多少？"], "what about health?", "31.51"),
    (["What is the Antu social insurance bureau's housing spend?"], "And health?", "31.51"),
    (["安图社保局2026年住房保障支出是多少？"], "那医保局呢？", "12.34"),
    (["安图社保局2026年住房保障支出是多少？", "那医保局呢？"], "那卫生健康支出呢？", "31.51"),
    # the department's own name holds a glossary word (法院): only the item is swapped, not the name
    (["安图县人民法院2026年住房保障支出是多少？"], "那卫生健康支出呢？", "31.51"),
])
def test_follow_up_keeps_the_department_and_swaps_what_it_names(engine, history, question, value):
    a = engine.ask(question, history=history)
    assert a.status == "answered" and a.value == Decimal(value), (a.read_as, a.answer)
    assert a.read_as and not ("人民法院" in history[0] and "人民法院" not in a.read_as), a.read_as


def test_without_history_the_same_follow_up_is_not_answered_with_a_figure(engine):
    a = engine.ask("那卫生健康支出呢？")
    assert a.status != "answered" or a.value is None


def test_follow_up_answers_in_its_own_language(engine):
    a = engine.ask("what about health?", history=["安图社保局2026年住房保障支出是多少？"])
    assert a.lang == "en" and "health" in a.answer.lower()


def test_cli_conversation_reads_stdin_as_one_conversation(store, monkeypatch, capsys):
    lines = "安图社保局2026年住房保障支出是多少？\n那卫生健康支出呢？\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode("utf-8")), encoding="utf-8"))
    assert cli.main(["ask", "--conversation", "--json", "--store", str(store)]) == 0
    answers = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert [a["value"] for a in answers] == [48.66, 31.51]
    assert answers[1]["read_as"]


def test_web_chat_passes_its_own_questions_as_history():
    history = [{"role": "user", "content": render_question("安图社保局<b>住房</b>？")},
               {"role": "assistant", "content": "…"}, {"role": "user", "content": render_question("那去年呢？")}]
    assert asked_before(history) == ["安图社保局<b>住房</b>？"]


@pytest.fixture(scope="module")
def putuo_engine(tmp_path_factory) -> Engine:
    """The corpus and the three Putuo samples: what the chat was tried on when follow-ups glued."""
    from conftest import SAMPLE_FILES, samples_dir

    folder = tmp_path_factory.mktemp("putuo")
    ingest([SEED, *(samples_dir() / f for f in SAMPLE_FILES.values())], folder / "store", index=False)
    return Engine.open(folder / "store", dense=False)


def test_a_new_question_across_documents_is_read_alone(putuo_engine):
    """"哪个文件的支出总计最大？" after a 社保局 question asks across the documents, not about 社保局."""
    alone = putuo_engine.ask("哪个文件的支出总计最大？")
    after = putuo_engine.ask("哪个文件的支出总计最大？", history=["社保局的卫生健康支出是多少？"])
    assert not after.read_as and not after.reading["used_history"], after.read_as
    assert (after.status, after.value, after.answer) == (alone.status, alone.value, alone.answer)
    assert "社会保障和就业支出" not in after.answer  # the 社保局's own largest category was the glued answer


@pytest.mark.parametrize(("history", "question", "inherited"), [
    (["普陀区司法局2026年部门预算的住房保障支出是多少？"], "那卫生健康支出呢？", "普陀区司法局"),
    (["普陀区司法局2026年部门预算的住房保障支出是多少？"], "哪个部门最多？", ""),
])
def test_a_follow_up_inherits_only_the_fields_it_lacks(putuo_engine, history, question, inherited):
    a = putuo_engine.ask(question, history=history)
    assert a.reading["used_history"] and a.read_as
    assert (inherited in a.read_as) if inherited else ("司法局" not in a.read_as), a.read_as


def test_a_share_of_which_is_of_the_earlier_item(engine: Engine) -> None:
    # "其中人员经费占多大比例？" after 基本支出: 555.95 of the seed's 631.55 (both in its narrative), not of the total
    first = "安图社保局2026年基本支出是多少？"
    a = engine.ask("其中人员经费占多大比例？", history=[first])
    assert "基本支出" in a.read_as and a.value == Decimal("88.03"), a.answer
