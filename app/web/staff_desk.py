"""The Upload tab: staff add and remove disclosures and read the wrong-answer reports.

Why it says so much: staff check an upload by what each file was recognised as ("安图县社会保险事业管理局，
2026年，部门预算，8 张有数字的表") or why it was refused, in the words the CLI prints, and by the time it
really took; while it runs, the status changes at least every second so a long indexing never looks stuck.
Only staff (BUDGETQA_STAFF_PASSWORD) see an upload widget at all; every write asks the gate again.
"""

from __future__ import annotations

import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from app.terminal import public_error
from app.web.limits import MAX_UPLOAD_BYTES, UPLOAD_TYPES
from app.web.scope import ALL, scope_choices
from app.web.site import Site, Top
from app.web.staff import recognised
from app.web.staff_auth import PASSWORD_ENV, StaffGate, client_of
from app.web.text import REPORT_COLUMNS, columns, page_lang, staff_reason, t
from ingest import limits
from ingest.maintenance import remove_document
from ingest.model import AllRefused, IngestError
from ingest.readers import reader_for, types_in_words

TICK = 0.5  # seconds between progress updates while an ingest runs (staff see a change at least every 2 s)


def check_upload(files: list[str] | None, password: str | None, gate: StaffGate,
                 client: str = "") -> tuple[list[Path], str]:
    """The files to ingest, or a one-line refusal (the password check counts toward the lockout)."""
    verdict = gate.check(password, client)
    if not verdict.ok:
        return [], f"refused: {verdict.reason}"
    return check_files(files)


def check_files(files: list[str] | None) -> tuple[list[Path], str]:
    """A staff caller's files to ingest, or a one-line refusal: a supported type within its size limit."""
    paths = [Path(f) for f in (files or [])]
    if not paths:
        return [], f"refused: choose a {types_in_words()} file first"
    for p in paths:
        reader = reader_for(p)
        if reader is None:
            return [], f"refused: {p.name}: only {types_in_words('and')} disclosures are accepted"
        limit = min(MAX_UPLOAD_BYTES, reader.max_bytes)
        if p.stat().st_size > limit:
            return [], f"refused: {p.name}: larger than {limits.words(limit)}"
    return paths, ""


def safe_name(name: str) -> str:
    """An uploaded file's name as stored: no folders, no control characters, not hidden."""
    base = Path(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '/\\:*?"<>|').strip(" .")
    return base[:120] or "upload"


def keep_uploads(engine, paths: list[Path]) -> list[Path]:  # type: ignore[no-untyped-def]
    """Staff uploads move into the store's uploads/ folder: a changed file under the same name replaces
    the earlier upload (identity is the location), and Gradio's temporary copies are deleted."""
    folder = Path(engine.ledger.store) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    for p in paths:
        target = folder / safe_name(p.name)
        shutil.copyfile(p, target)
        kept.append(target)
    return kept


def discard(paths: list[str]) -> None:
    """Delete Gradio's temporary copies of uploaded files (refused or kept, they are not needed)."""
    for f in paths:
        try:
            Path(f).unlink(missing_ok=True)
        except OSError:
            pass


def refused_line(name: str, reason: str, lang: str) -> str:
    """A refused file in the CLI's words ("not a budget disclosure: …"), named once."""
    reason = reason.removeprefix(f"{name}: ").removeprefix(f"{name}：")
    return f"{name}: refused — {reason}" if lang == "en" else f"{name}：未导入 — {reason}"


def split_reasons(message: str, names: list[str]) -> list[tuple[str, str]]:
    """An all-files-refused message ("a.pdf: …; b.txt: …") cut back into (file, reason) by the names."""
    starts = sorted((message.find(f"{n}:"), n) for n in names if message.find(f"{n}:") >= 0)
    if not starts:
        return [(n, message) for n in names]
    out = []
    for i, (at, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(message)
        out.append((name, message[at:end].rstrip("; ").strip()))
    return out


def elapsed_words(seconds: float, lang: str) -> str:
    return f"{seconds:.1f} s" if lang == "en" else f"用时 {seconds:.1f} 秒"


@dataclass
class Outcome:
    report: Any = None
    error: str = ""
    refused: list[tuple[str, str]] | None = None  # every file refused: (file name, reason) each


def _worker(engine, paths: list[Path], messages: queue.Queue,  # type: ignore[no-untyped-def]
            replace: bool = False) -> tuple[threading.Thread, Outcome]:
    outcome = Outcome()

    def work() -> None:
        try:
            outcome.report = engine.ingest(paths, progress=messages.put, child=True, replace=replace)
        except AllRefused as e:  # every file on its own line of the log, the status says how many
            outcome.refused = e.refused
            outcome.error = (f"refused: all {len(e.refused)} files (each reason below); nothing was changed"
                             if len(e.refused) > 1 else
                             f"refused: {public_error(e, limit=4000)}; nothing was changed")
        except IngestError as e:
            outcome.error = f"refused: {public_error(e, limit=4000)}; nothing was changed"
        except Exception as e:  # shown as one line; the ledger write is one transaction
            outcome.error = f"failed: {public_error(e)}; nothing was changed"

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    return worker, outcome


def run_ingest(engine, paths: list[Path], describe: Callable | None = None, lang: str = "zh",  # type: ignore
               started: float | None = None, replace: bool = False) -> Iterator[tuple[str, str, bool]]:
    """Ingest in a worker thread, yielding (log so far, status line, finished) every half second;
    the final status names every file (recognised as, or refused and why) and the true elapsed time.
    ``replace``: a re-issue of a stored disclosure takes its place (else both stay, answers name both)."""
    started = time.monotonic() if started is None else started
    messages: queue.Queue[str] = queue.Queue()
    worker, outcome = _worker(engine, paths, messages, replace)
    log: list[str] = []
    while worker.is_alive() or not messages.empty():
        try:
            log.append(messages.get(timeout=TICK / 2))
        except queue.Empty:
            pass
        ticking = t("ingesting", lang).format(s=f"{time.monotonic() - started:.1f}")
        yield "\n".join(log), f"{ticking} · {log[-1]}" if log else ticking, False
    took = elapsed_words(time.monotonic() - started, lang)
    if outcome.error:
        names = [p.name for p in paths]
        said = outcome.error.split(": ", 1)[1].removesuffix("; nothing was changed")
        reasons = [(n, public_error(IngestError(r), limit=1000)) for n, r in outcome.refused or []]
        lines = [refused_line(n, r, lang) for n, r in reasons or split_reasons(said, names)]
        yield "\n".join([*log, *lines, took]), f"{outcome.error} · {took}", True
        return
    report = outcome.report
    report.seconds = time.monotonic() - started  # the summary's time is the time the person waited
    stored = describe(report) if describe is not None else \
        [f"{action:9s} {doc_id}  {key}" for key, doc_id, action in report.documents]
    refused = [refused_line(n, r, lang) for n, r in report.refused]
    per_file = stored[:len(report.documents)] + refused
    yield ("\n".join([*log, *stored, *refused]), f"{report.summary()} — {'; '.join(per_file)}", True)


class StaffDesk:
    def __init__(self, site: Site):
        self.site = site

    def choices(self, lang: str) -> list[tuple[str, str]]:
        return scope_choices(self.site.docs(), page_lang(lang), self.site.english)

    def describe(self, lang: str):  # type: ignore[no-untyped-def]
        site = self.site
        lang = page_lang(lang)
        return lambda report: recognised(report, site.docs(), site.engine.tables_of, site.english, lang)

    def upload(self, files, password: str, lang: str, replace: bool,  # type: ignore[no-untyped-def]
               request: gr.Request):
        started = time.monotonic()
        engine = self.site.engine
        names = [str(f) for f in files or []]
        verdict = self.site.gate.check(password, client_of(request))  # counts toward the lockout
        same = gr.update()
        if not verdict.ok:  # anyone can name any of Gradio's temporary files: a refusal never deletes them
            yield "", f"refused: {verdict.reason}", same, same, same
            return
        paths, refusal = check_files(names)
        if not refusal and engine.ledger.readonly:  # a replica's snapshot: staff ingest on the writer
            refusal = "refused: the store is read-only: it can answer questions but not change"
        if refusal:
            discard(names)  # staff's own uploads
            yield "", refusal, same, same, same
            return
        paths = keep_uploads(engine, paths)
        discard(names)
        for log, status, done in run_ingest(engine, paths, self.describe(lang), page_lang(lang), started,
                                            replace=bool(replace)):
            if not done:
                yield log, status, same, same, same
                continue
            choices = self.choices(lang)
            yield (log, status, gr.update(choices=choices), gr.update(choices=choices),
                   gr.update(choices=choices[1:]))

    def remove(self, doc_id: str, password: str, lang: str, request: gr.Request):  # type: ignore
        engine = self.site.engine
        verdict = self.site.gate.check(password, client_of(request))
        same = gr.update()
        if not verdict.ok:
            return f"refused: {verdict.reason}", same, same, same
        try:
            removed = remove_document(engine.ledger, doc_id or "", engine.index)
        except IngestError as e:
            return f"refused: {public_error(e)}", same, same, same
        engine.refresh()
        choices = self.choices(lang)
        d = removed.document
        return (f"removed {d.source_key} ({d.id}, {removed.facts} facts; {removed.index_note})",
                gr.update(choices=choices, value=ALL), gr.update(choices=choices, value=ALL),
                gr.update(choices=choices[1:], value=None))

    def unlock(self, password: str, lang: str, request: gr.Request):  # type: ignore[no-untyped-def]
        verdict = self.site.gate.check(password, client_of(request))
        return gr.update(visible=verdict.ok), staff_reason(verdict.reason, lang)

    def reports(self, password: str, lang: str, request: gr.Request):  # type: ignore[no-untyped-def]
        verdict = self.site.gate.check(password, client_of(request))
        if not verdict.ok:
            return gr.update(), staff_reason(verdict.reason, lang)
        frame = pd.DataFrame(self.site.reports.all(), columns=columns(REPORT_COLUMNS, lang))
        return gr.update(value=frame, visible=True), self.site.reports.csv()


def desk_layout(site: Site) -> dict:
    """The signed-in desk: sign-in row, upload, remove, reports, and the result and progress boxes."""
    words = site.words
    words.add(gr.Markdown(t("staff_intro", "zh")), value="staff_intro")
    c: dict = {}
    with gr.Row():
        c["password"] = words.add(gr.Textbox(label=t("password", "zh"), type="password", scale=3,
                                             elem_id="bq-password"), label="password")
        c["unlock"] = words.add(gr.Button(t("unlock", "zh"), scale=1, elem_id="bq-unlock"), value="unlock")
    c["lock_msg"] = gr.Markdown(elem_id="bq-lock-msg")
    with gr.Group(visible=False) as c["panel"]:
        c["files"] = words.add(gr.File(label=t("files", "zh"), file_count="multiple",
                                       file_types=list(UPLOAD_TYPES)), label="files")
        c["replace"] = words.add(gr.Checkbox(label=t("replace_issue", "zh"), value=False,
                                             elem_id="bq-replace"), label="replace_issue")
        c["ingest"] = words.add(gr.Button(t("ingest", "zh"), variant="primary", elem_id="bq-ingest"),
                                value="ingest")
        with gr.Row():
            c["remove_doc"] = words.add(gr.Dropdown(scope_choices(site.docs(), "zh", site.english)[1:],
                                                    label=t("remove_doc", "zh"), scale=4,
                                                    allow_custom_value=True), label="remove_doc")
            c["remove"] = words.add(gr.Button(t("remove", "zh"), variant="stop", scale=1), value="remove")
        c["reports"] = words.add(gr.Button(t("reports", "zh"), elem_id="bq-reports-btn"), value="reports")
        c["frame"] = gr.Dataframe(visible=False, interactive=False, wrap=True, elem_id="bq-reports",
                                  datatype="str")  # visitors' text: plain cells, never Markdown or HTML
        c["csv"] = gr.Textbox(label="CSV", lines=4, max_lines=12, interactive=False, buttons=["copy"],
                              elem_id="bq-reports-csv")
    c["status"] = words.add(gr.Textbox(label=t("result", "zh"), interactive=False, lines=1, max_lines=12,
                                       elem_id="bq-upload-status"), label="result")
    c["log"] = words.add(gr.Textbox(label=t("progress", "zh"), interactive=False, lines=8, max_lines=20,
                                    elem_id="bq-upload-log"), label="progress")
    return c


def build(site: Site, top: Top, data_doc: Any) -> None:
    """The Upload tab: without the staff password only a line saying so (no upload widget at all)."""
    words = site.words
    with words.add(gr.Tab(t("upload", "zh"), id="upload"), label="upload"):
        if not site.staff:
            off = (lambda lang: t("uploads_off", lang).format(env=PASSWORD_ENV))  # noqa: E731
            words.add(gr.Markdown(off("zh")), value=off)
            return
        c = desk_layout(site)
    desk, lang, scope = StaffDesk(site), top.lang, top.scope
    c["reports"].click(desk.reports, [c["password"], lang], [c["frame"], c["csv"]], api_visibility="private")
    for trigger in (c["unlock"].click, c["password"].submit):
        trigger(desk.unlock, [c["password"], lang], [c["panel"], c["lock_msg"]], api_visibility="private",
                js=UNLOCK_JS)
    # staff writes queue on their own, one at a time, so an ingest never holds up the chat; the language
    # and the replace box default to "zh" and off, so `/upload(files, password)` still works
    c["ingest"].click(desk.upload, [c["files"], c["password"], lang, c["replace"]],
                      [c["log"], c["status"], scope, data_doc, c["remove_doc"]],
                      api_name="upload", concurrency_id="staff", concurrency_limit=1)
    c["remove"].click(desk.remove, [c["remove_doc"], c["password"], lang],
                      [c["status"], scope, data_doc, c["remove_doc"]],
                      api_name="remove", concurrency_id="staff", concurrency_limit=1)


# a staff sign-in also opens a session (cookie) so the page's own uploads pass the upload guard
UNLOCK_JS = """async (pw, lang) => {
  try { await fetch('bq/staff/session', {method: 'POST', headers: {'x-budgetqa-staff': pw},
                                         credentials: 'same-origin'}); } catch (e) {}
  return [pw, lang];
}"""
