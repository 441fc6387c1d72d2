"""The Gradio web app: a cited chat for citizens, an overview, a fact browser and an upload desk for staff.

Why this shape: the chat, the `/ask` API and the CLI all call the same Engine, so a figure on the page is
the figure `budgetqa ask` prints. Every string that comes from a question or a document is HTML-escaped
before it reaches the page, and the chat's own HTML is written on one line so Markdown never re-reads it.
Nothing is fetched from the internet: analytics are off (app.config), fonts are the system's, no share link.
"""

from __future__ import annotations

# isort: off
# isort: on
import hashlib
import html
import queue
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import gradio as gr
import pandas as pd

from app.lang.departments import Catalog
from app.pipeline.answer import Answer
from app.terminal import public_error
from app.web.chart import CHART_CSS, CHART_JS, bars_html, chart_html
from app.web.chips import chips as next_questions
from app.web.compare import item_facts, shared_items
from app.web.examples import Examples, welcome_html
from app.web.format import esc, filter_facts, fmt_amount
from app.web.http_guard import csv_link
from app.web.lang import Labels
from app.web.reports import Reports
from app.web.share import COPY_JS, permalink, plain_text
from app.web.source import source_link
from app.web.staff import group_digits, recognised, rule_name
from app.web.staff_auth import PASSWORD_ENV, StaffGate, trust_proxies
from app.web.text import FACT_COLUMNS, REPORT_COLUMNS, TOTALS_EN, columns, doc_name, staff_reason, t
from app.web.units import UNITS, convert, gloss_en
from ingest.audit import audit
from ingest.glossary import Glossary
from ingest.maintenance import remove_document
from ingest.model import AllRefused, Document, Fact, IngestError
from ingest.settings import settings
from ingest.snapshot import dense_available

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_TYPES = (".txt", ".pdf", ".xlsx")
ALL = ""  # the scope selector's value for "all documents"
MAX_ROWS_SHOWN = 1000
N_CHIPS = 8  # clickable next questions under the chat (examples, completed ask-backs, follow-ups)
TOTAL_LABELS = ("收入总计", "支出总计", "本年收入合计", "本年支出合计", "总计")
FONT = [gr.themes.Font("system-ui"), gr.themes.Font("PingFang SC"), gr.themes.Font("Microsoft YaHei"),
        gr.themes.Font("WenQuanYi Micro Hei"), gr.themes.Font("Noto Sans CJK SC"), "sans-serif"]
FONT_MONO = [gr.themes.Font("ui-monospace"), gr.themes.Font("DejaVu Sans Mono"), "monospace"]

CSS = """
.gradio-container { max-width: 1100px !important; margin: 0 auto !important; }
/* subdued text at ≥ 4.5:1 on white (the theme's default grey measured 2.0–2.56:1) */
:root, .gradio-container { --body-text-color-subdued: #4b5563 !important;\
 --block-info-text-color: #4b5563 !important;
  --input-placeholder-color: #5b6472 !important; --block-label-text-color: #374151 !important;
  --button-primary-background-fill: #1d4ed8 !important;\
 --button-primary-background-fill-hover: #1e40af !important;
  --color-accent: #1d4ed8 !important; }
.bq-formula, .bq-status, details.bq-sources summary, .bq-card .bq-k, .bq-card .bq-s {\
 color: #374151 !important; }
.tab-wrapper button.selected { color: #1d4ed8 !important; }
#bq-header h1 { font-size: 1.55rem; margin: 0.2rem 0 0.1rem 0; }
#bq-header p { margin: 0; color: var(--body-text-color-subdued); }
.bq-q { white-space: pre-wrap; }
.bq-answer .bq-text { white-space: pre-wrap; line-height: 1.55; }
.bq-figure { margin-top: 0.45rem; }
.bq-value { display: inline-block; font-weight: 600; font-size: 1.05rem; padding: 0.1rem 0.55rem;
  border-radius: 6px; background: var(--color-accent-soft); color: var(--body-text-color); }
.bq-formula { margin-top: 0.35rem; font-family: var(--font-mono); font-size: 0.88rem;
  color: var(--body-text-color-subdued); }
.bq-tools { font-size: 0.8rem; margin-top: 0.35rem; } .bq-plain { display: none; }
.bq-status { font-size: 0.8rem; color: var(--body-text-color-subdued); margin-top: 0.3rem; }
details.bq-sources { margin-top: 0.5rem; font-size: 0.86rem; border-left: 3px solid var(--color-accent);
  padding-left: 0.6rem; }
details.bq-sources summary { cursor: pointer; color: var(--body-text-color-subdued); }
details.bq-sources ol { margin: 0.3rem 0 0 1.1rem; padding: 0; }
details.bq-sources li { margin-bottom: 0.35rem; }
.bq-quote { display: block; margin-top: 0.15rem; padding: 0.2rem 0.45rem;
  background: var(--background-fill-secondary); border-radius: 4px; font-family: var(--font-mono);
  font-size: 0.8rem; white-space: pre-wrap; }
.bq-cards { display: flex; flex-wrap: wrap; gap: 0.75rem; }
.bq-card { flex: 1 1 200px; border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.6rem 0.8rem; }
.bq-card .bq-k { font-size: 0.85rem; color: var(--body-text-color-subdued); }
.bq-card .bq-v { font-size: 1.3rem; font-weight: 600; }
#bq-chips { flex-wrap: wrap; gap: 0.4rem; }
#bq-chips .bq-chip { flex: 0 1 auto !important; min-width: 0 !important; max-width: 100% !important;
  text-align: left; white-space: normal !important; overflow-wrap: anywhere; height: auto !important; }
.bq-value, .bq-bar-v, .bq-card .bq-v { white-space: nowrap; }

/* the fact table keeps its px columns and scrolls sideways in its own box; its width never widens the page */
#bq-facts { contain: inline-size; max-width: 100%; }
.bq-docs { margin: 0.2rem 0 0.4rem 1.1rem; padding: 0; } .bq-docs ul { margin: 0 0 0.3rem 1rem; }
.bq-kinds { font-size: 0.88rem; }
@media (max-width: 640px) {
  .tab-wrapper { height: auto !important; flex-wrap: wrap !important; }
  .tab-wrapper .overflow-menu { flex: 1 1 100%; min-width: 0; }
  .overflow-menu > button[aria-label="More tabs"] { display: none !important; }
  .gradio-container .row { flex-wrap: wrap !important; }
  .gradio-container .row > * { min-width: min(100%, 150px) !important; }
  .overflow-dropdown.hide { display: flex !important; position: static !important; flex-wrap: wrap;
    border: 0 !important; box-shadow: none !important; background: none !important; padding: 0 !important;
    min-width: 0 !important; max-width: 100%; flex-direction: row !important; gap: 0.25rem; }
}
.bq-card .bq-s { font-size: 0.75rem; color: var(--body-text-color-subdued); }
"""


# ---- chat rendering ------------------------------------------------------------------------------

def header_html(lang: str) -> str:
    """The page title and what the site promises, in the page language."""
    return f'<div id="bq-header"><h1>{esc(t("title", lang))}</h1><p>{esc(t("tagline", lang))}</p></div>'


def render_question(question: str) -> str:
    """The user's message as inert text."""
    return f'<div class="bq-q">{esc(question)}</div>'


def asked_before(history: list[dict]) -> list[str]:
    """The questions earlier in this chat, as typed (the chat keeps them rendered as inert text)."""
    out = []
    for turn in history or []:
        content = turn.get("content") if isinstance(turn, dict) else None
        if isinstance(content, list):  # Gradio 6 hands messages back as [{"type": "text", "text": ...}]
            content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        if isinstance(turn, dict) and turn.get("role") == "user" and isinstance(content, str):
            m = re.fullmatch(r'<div class="bq-q">(.*)</div>', content, re.S)
            out.append(html.unescape(m.group(1) if m else content))
    return out[:-1] if out else out  # the last one is the question being answered


def _citation_html(c, zh: bool) -> str:
    table = f"表{c.table} {c.table_title}" if c.table != "narrative" else ("说明文字" if zh else "narrative")
    cell = " / ".join(x for x in (c.row, c.column) if x)
    where = []
    if c.page:
        where.append(f"第{c.page}页" if zh else f"page {c.page}")
    if c.line:
        where.append(f"第{c.line}行" if zh else f"line {c.line}")
    parts = [f"<b>{esc(c.document)}</b>", esc(table), esc(cell), esc(" ".join(where))]
    if c.value:
        parts.append(esc(fmt_amount(Decimal(c.value), c.unit)))
    head = " · ".join(p for p in parts if p)
    href = source_link(c.document_id, c.page, c.line, c.row)
    if href:
        word = "打开原文" if zh else "open the page"
        head += f' <a class="bq-open" href="{esc(href)}" target="_blank" rel="noopener">{word}</a>'
    quote = f'<span class="bq-quote">{esc(c.text)}</span>' if c.text else ""
    return f"<li>{head}{quote}</li>"


def render_answer(answer: Answer) -> str:
    """The answer, its figure, its formula and its sources (collapsed), as one line of escaped HTML."""
    zh = answer.lang == "zh"
    out = ['<div class="bq-answer">', f'<div class="bq-text">{esc(answer.answer)}</div>']
    if answer.value is not None:
        figure = esc(fmt_amount(answer.value, answer.unit))
        gloss = gloss_en(answer.value, answer.unit) if not zh else ""
        extra = f' <span class="bq-gloss">{esc(gloss)}</span>' if gloss else ""
        out.append(f'<div class="bq-figure"><span class="bq-value">{figure}</span>{extra}</div>')
    if answer.formula:
        out.append(f'<div class="bq-formula">{"计算：" if zh else "Formula: "}{esc(answer.formula)}</div>')
    if answer.candidates:
        label = "可选：" if zh else "Did you mean: "
        out.append(f'<div class="bq-status">{label}{esc("；".join(answer.candidates))}</div>')
    if answer.citations:
        first = answer.citations[0]
        brief = f"表{first.table} {first.table_title}" if first.table != "narrative" else first.document
        word = "来源" if zh else "Sources"
        items = "".join(_citation_html(c, zh) for c in answer.citations)
        out.append(f'<details class="bq-sources"><summary>{word} ({len(answer.citations)}): '
                   f"{esc(brief)}</summary><ol>{items}</ol></details>")
    elif answer.status != "answered":
        out.append(f'<div class="bq-status">{"未找到可引用的数据" if zh else "No citable figure found"}</div>')
    copy, done, link = ("复制文字", "已复制", "链接") if zh else ("Copy text", "Copied", "Link")
    plain = "".join(f'<span class="bq-plain">{esc(line)}</span>' for line in plain_text(answer).split("\n"))
    out.append(f'<div class="bq-tools"><a class="bq-copy" href="#" role="button" title="{done}">{copy}</a> · '
               f'<a class="bq-permalink" href="{esc(permalink(answer.question))}">{link}</a>{plain}</div>')
    out.append("</div>")
    return "".join(out)


def text_of(content: object) -> str:
    """A chat message's visible text: Gradio keeps it as a string or a list of {"type": "text"} parts."""
    if isinstance(content, list):
        content = " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    raw = re.sub(r"<br\s*/?>", "\n", str(content or ""))
    raw = re.sub(r'<a class="bq-(copy|permalink|open)"[^>]*>.*?</a>|'
                 r'<span class="bq-plain">.*?</span>', "", raw)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw)).strip()


def last_exchange(history: list[dict]) -> tuple[str, str]:
    """The latest question and its answer, as text."""
    question = answer = ""
    for turn in history or []:
        if not isinstance(turn, dict):
            continue
        if turn.get("role") == "user":
            question, answer = text_of(turn.get("content")), ""
        elif turn.get("role") == "assistant":
            answer = text_of(turn.get("content"))
    return question, answer


def render_error(question: str, error: Exception) -> str:
    """The reason in words only: no class names, paths or reprs reach a visitor."""
    text = f"出错了，请换个问法。 Sorry, this question could not be answered ({public_error(error)})."
    return f'<div class="bq-answer"><div class="bq-text">{esc(text)}</div></div>'


# ---- scope ---------------------------------------------------------------------------------------

def doc_label(doc: Document) -> str:
    year = f"{doc.year}" if doc.year else "?"
    return f"{doc.department} · {year} · {doc.kind}"


def scope_choices(docs: list[Document], lang: str = "", english=None) -> list[tuple[str, str]]:
    """The scope options; bilingual until a language is chosen, then in that language."""
    if lang not in ("zh", "en"):
        return [("全部文件 All documents", ALL)] + [(doc_label(d), d.id) for d in docs]
    name = english or (lambda _: "")
    return [(t("all_docs", lang), ALL)] + [(doc_name(d, name(d.department), lang), d.id) for d in docs]


def parse_scope(scope: str | None) -> list[str] | None:
    """"" → all documents; otherwise ids or file names separated by commas or spaces."""
    parts = [p for p in re.split(r"[,\s，]+", scope or "") if p]
    return parts or None


# ---- overview ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Overview:
    totals: list[Fact]
    categories: list[Fact]
    unit: str


def _is_category(fact: Fact, glossary: Glossary) -> bool:
    if fact.code and len(fact.code) == 3 and fact.code.isdigit():
        return True
    term = glossary.by_zh(fact.label) if fact.label.endswith("支出") else None
    return bool(term and term.kind == "function" and term.level == "类")


def _first_column(facts: list[Fact]) -> str | None:
    cols = {f.column for f in facts}
    if "本年预算" in cols:
        return "本年预算"
    ordered = sorted(facts, key=lambda f: (f.col_index if f.col_index is not None else 999, f.column))
    return ordered[0].column if ordered else None


def overview(facts: list[Fact], glossary: Glossary) -> Overview:
    """Key totals and spending by 功能分类 类 for one document, from table 01 (else the table coding most 类)."""
    t01 = [f for f in facts if f.table_id == "01"]
    cats = [f for f in t01 if f.side != "收入" and _is_category(f, glossary)]
    if not cats:
        coded = [f for f in facts if f.table_id and f.code and len(f.code) == 3 and f.code.isdigit()]
        by_table: dict[str, list[Fact]] = {}
        for f in coded:
            by_table.setdefault(f.table_id or "", []).append(f)
        cats = max(by_table.values(), key=len) if by_table else []
    column = _first_column(cats)
    seen: set[str] = set()
    categories = []
    for f in cats:
        if f.column == column and f.value is not None and f.value != 0 and f.label not in seen:
            seen.add(f.label)
            categories.append(f)
    totals_pool = [f for f in t01 if f.is_total and f.value is not None]
    totals = []
    for lab in TOTAL_LABELS:
        for side in ("收入", "支出", ""):
            same = [f for f in totals_pool if f.label == lab and f.side == side]
            column = _first_column(same)  # 本年预算, else the first column (预算数 / 合计, 决算数 …)
            totals.extend(f for f in same if f.column == column)
    if not totals:
        pool = [f for f in facts if f.is_total and f.value is not None and f.table_id]
        totals = sorted(pool, key=lambda f: -f.value)[:4]
    seen_keys: set[tuple[str, Decimal | None]] = set()
    unique = []
    for f in totals:  # 本年收入合计 equal to 收入总计 adds nothing
        if (f.side, f.value) not in seen_keys:
            seen_keys.add((f.side, f.value))
            unique.append(f)
    unit = (categories or unique or [None])[0]
    return Overview(unique[:4], categories, unit.unit if unit else "")


def total_name(fact: Fact, lang: str = "zh") -> str:
    """总计 printed on both sides of table 01 reads as 收入总计 / 支出总计; in English with the printed name."""
    name = f"{fact.side}总计" if fact.label == "总计" and fact.side else fact.label
    return f"{TOTALS_EN[name]} ({name})" if lang == "en" and name in TOTALS_EN else name


def in_unit(fact: Fact, target: str) -> str:
    """A card's figure in the view's unit; the disclosed figure when it is not money (人, %)."""
    converted = convert(fact.value, fact.unit, target)
    return fmt_amount(converted, target) if converted is not None else fmt_amount(fact.value, fact.unit)


def totals_html(ov: Overview, doc: Document, target: str = "万元", lang: str = "zh", heading: str = "") -> str:
    """The key totals of one document as cards, all in `target`, each citing its cell and the disclosed
    figure."""
    heading = heading or doc_label(doc)
    if not ov.totals:
        return f"<h3>{esc(heading)}</h3><p>{'未找到合计数' if lang == 'zh' else 'No totals found.'}</p>"
    cards = []
    for f in ov.totals:
        name = total_name(f, lang)
        src = f"表{f.table_id} {f.table_title} · {f.column}" + (f" · 第{f.line}行" if f.line else "") + (
            f" · 第{f.page}页" if f.page else "")
        disclosed = ("原文 " if lang == "zh" else "as disclosed: ") + fmt_amount(f.value, f.unit)
        cards.append(f'<div class="bq-card"><div class="bq-k">{esc(name)}</div>'
                     f'<div class="bq-v">{esc(in_unit(f, target))}</div>'
                     f'<div class="bq-s">{esc(disclosed)} · {esc(src)}</div></div>')
    return f'<h3>{esc(heading)}</h3><div class="bq-cards">{"".join(cards)}</div>'


# ---- data view -----------------------------------------------------------------------------------

# in px, not %: on a phone the table keeps readable columns and scrolls sideways inside its own box
FACT_WIDTHS = ["180px", "48px", "56px", "190px", "72px", "130px", "120px", "56px", "48px", "44px", "48px"]

def audit_html(findings, doc: Document | None, lang: str = "zh", name: str = "") -> str:
    """Where the selected disclosure contradicts itself: plain rule names, grouped digits, cells (escaped);
    `name` is the document's name in the page language."""
    en = lang == "en"
    if doc is None:
        return f"<p>{'Choose a document to see where it contradicts itself.' if en else '选择一个文件查看核对结果。'}</p>"
    if not findings:
        none = "no contradictions found" if en else "未发现自相矛盾之处"
        return f"<p>{'Audit' if en else '核对'}: {esc(name or doc_label(doc))} — {none}.</p>"
    items = []
    for f in findings:
        cells = "".join(f"<li>{esc(x.table_id or '说明')} · {esc(x.row_label)} / {esc(x.column)} = "
                        f"{esc(fmt_amount(x.value, x.unit))} "
                        f"({esc(f'第{x.page}页' if x.page else f'line {x.line}')})</li>"
                        for x in f.facts)
        items.append(f"<li><b>{esc(rule_name(f.kind, lang))}</b>: {esc(group_digits(f.message))}"
                     f"<ul>{cells}</ul></li>")
    count = f"{len(findings)} contradiction(s)" if en else f"{len(findings)} 处自相矛盾"
    return (f"<p>{'Audit' if en else '核对'}: {esc(name or doc_label(doc))} — {count}</p>"
            f"<ul class='bq-audit'>{''.join(items)}</ul>")


def facts_frame(facts: list[Fact], names: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """The Data tab's rows; `names` maps document ids to names in the page language."""
    narrative = "说明" if lang != "en" else "text"
    rows = [[names.get(f.document_id, f.document_id), f.table_id or narrative,
             f.side, f.row_label, f.code or "", f.column, "" if f.value is None else str(f.value), f.unit,
             "✓" if f.is_total else "", f.page or "", f.line or ""] for f in facts[:MAX_ROWS_SHOWN]]
    return pd.DataFrame(rows, columns=columns(FACT_COLUMNS, lang))


def download_html(doc_id: str, table_id: str, text: str, lang: str = "zh") -> str:
    """A link to the streamed CSV of what the Data view shows (no file is written per request)."""
    href = esc(csv_link(doc_id, table_id, text))
    return f'<a class="bq-download" href="{href}" download>{t("download_csv", lang)}</a>'


# ---- upload --------------------------------------------------------------------------------------

def check_upload(files: list[str] | None, password: str | None, gate: StaffGate,
                 client: str = "") -> tuple[list[Path], str, bool]:
    """The files to ingest, or a one-line refusal (the password check counts toward the back-off), and
    whether the caller is staff: only then may the files it names be touched at all."""
    verdict = gate.check(password, client)
    if not verdict.ok:
        return [], f"refused: {verdict.reason}", False
    paths = [Path(f) for f in (files or [])]
    if not paths:
        return [], "refused: choose a .txt, .pdf or .xlsx file first", True
    for p in paths:
        if p.suffix.lower() not in UPLOAD_TYPES:
            return [], f"refused: {p.name}: only .txt, .pdf and .xlsx disclosures are accepted", True
        if p.stat().st_size > MAX_UPLOAD_BYTES:
            return [], f"refused: {p.name}: larger than 20 MB", True
    return paths, "", True


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


def run_ingest(engine, paths: list[Path], describe=None,  # type: ignore[no-untyped-def]
               replace: bool = False) -> Iterator[tuple[str, str, bool]]:
    """Ingest in a worker thread, yielding (log so far, status line, finished); ``replace``: a re-issue of a
    stored disclosure takes its place (otherwise both stay, and answers name both)."""
    messages: queue.Queue[str] = queue.Queue()
    result: dict = {}

    def work() -> None:
        try:
            result["report"] = engine.ingest(paths, progress=messages.put, child=True, replace=replace)
        except AllRefused as e:  # every file on its own line of the log
            many = len(e.refused) > 1
            result["error"] = (f"refused: all {len(e.refused)} files (each reason below); nothing was changed"
                               if many else f"refused: {public_error(e)}; nothing was changed")
            result["lines"] = [f"error: {public_error(IngestError(reason))}" for _, reason in e.refused]
        except IngestError as e:
            result["error"] = f"refused: {public_error(e)}; nothing was changed"
        except Exception as e:  # shown as one line; the ledger write is one transaction
            result["error"] = f"failed: {public_error(e)}; nothing was changed"

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    log: list[str] = []
    while worker.is_alive() or not messages.empty():
        try:
            log.append(messages.get(timeout=0.3))
        except queue.Empty:
            pass
        yield "\n".join(log), "ingesting…", False
    if "error" in result:
        yield "\n".join(log + result.get("lines", [])), result["error"], True
        return
    report = result["report"]
    if describe is not None:  # in words: what each file was recognised as, then the warnings
        words = describe(report)
        yield ("\n".join([*log, *words]),
               f"{report.summary()} — {'; '.join(words[:len(report.documents)])}", True)
        return
    for key, doc_id, action in report.documents:
        log.append(f"{action:9s} {doc_id}  {key}")
    log.extend(f"warning: {w}" for w in report.warnings)
    yield "\n".join(log), report.summary(), True


# ---- the app -------------------------------------------------------------------------------------

def build_app(engine) -> gr.Blocks:
    """The Blocks app over an open Engine; launch it with `launch()` (theme, CSS and offline settings)."""
    glossary = Glossary.load()
    gate = StaffGate()
    staff = StaffGate.enabled()  # decided once: without the password the page holds no upload widget

    def docs() -> list[Document]:
        return engine.documents()

    def doc_by_id(doc_id: str) -> Document | None:
        return next((d for d in docs() if d.id == doc_id), None)

    examples = Examples(engine, glossary, overview)

    def english(department: str) -> str:

        return Catalog(docs()).english_name(department)

    def chip_update(questions: list[str]) -> list:
        """One update per chip button: the first questions shown (full text), the rest hidden."""
        shown = questions[:N_CHIPS]
        return [gr.update(value=q, visible=True) for q in shown] + \
            [gr.update(value="", visible=False)] * (N_CHIPS - len(shown))

    def example_questions(lang: str) -> list[str]:
        return [e.zh if lang == "zh" else e.en for d in docs() for e in examples.of(d, english(d.department))]

    def first_visit(lang: str):  # type: ignore[no-untyped-def]
        """The welcome panel, the example chips and the scope options in the page language."""
        lang = lang if lang in ("zh", "en") else "zh"
        found = docs()
        return (welcome_html(found, examples, english, lang), *chip_update(example_questions(lang)),
                gr.update(choices=scope_choices(found, lang, english)))

    # -- handlers --
    def ask_api(question: str, scope: str = "", history: list | None = None) -> dict:
        """Answer one question; scope is "" for all documents or document ids / file names; history holds the
        earlier questions of the conversation (oldest first) so follow-ups like "那去年呢？" resolve."""
        earlier = ([str(h) for h in history if isinstance(h, str | int | float)]
                   if isinstance(history, list) else [])
        return engine.ask(question or "", scope=parse_scope(scope), history=earlier).to_dict()

    def add_question(message: str, history: list[dict]) -> tuple[str, list[dict], str]:
        message = (message or "").strip()
        if not message:
            return "", history, ""
        return "", [*history, {"role": "user", "content": render_question(message)}], message

    def answer_question(pending: str, history: list[dict], scope: str):  # type: ignore[no-untyped-def]
        if not pending:
            return history, "", *[gr.update()] * N_CHIPS
        asks: list[str] = []
        lang = "zh"
        try:
            answer = engine.ask(pending, scope=parse_scope(scope), history=asked_before(history))
            content = render_answer(answer)
            asks, lang = next_questions(answer, docs(), english, glossary), answer.lang
        except Exception as e:  # the chat must keep working; the error is shown, escaped
            content = render_error(pending, e)
        # with nothing to follow up, the examples come back so there is always something to click
        chips = chip_update(asks or example_questions(lang))
        return [*history, {"role": "assistant", "content": content}], "", *chips

    def pick(question: str) -> str:
        return str(question or "")

    def from_link(request: gr.Request) -> str:
        """A permalink (?q=…) asks its question when the page opens."""
        params = getattr(request, "query_params", None) or {}
        return str(params.get("q", "") or "")[:500]

    def term_en(label: str) -> str:
        term = glossary.by_zh(label)
        return f"{term.en} ({label})" if term and term.en else label

    def compare_view(item: str, target: str, lang: str):  # type: ignore[no-untyped-def]
        """One item across every document: the item choices, the bars and the table (one unit)."""
        found = docs()
        cats = {d.id: overview(engine.ledger.facts(document_id=d.id), glossary).categories for d in found}
        items = shared_items(cats)
        item = item if item in items else (items[0] if items else "")
        name_of = (lambda x: x) if lang == "zh" else term_en
        choices = gr.update(choices=[(name_of(i), i) for i in items], value=item or None, visible=bool(items))
        hits = item_facts(found, cats, item)
        bars = [(doc_name(d, english(d.department), lang), convert(f.value, f.unit, target)) for d, f in hits]
        bars = [(n, a) for n, a in bars if a is not None]
        if not bars:
            return choices, gr.update(value="", visible=False), gr.update(visible=False)
        head = (f"{item}：各文件比较（{target}）" if lang == "zh"
                else f"{name_of(item)}: documents compared ({target})")
        doc_head = "文件" if lang == "zh" else "Document"
        code = next((f.code for _, f in hits if f.code), "") or hashlib.sha1(item.encode()).hexdigest()[:8]
        chart = chart_html(bars, target, head, lang, f"budgetqa-compare-{code}", doc_head)
        ordered = sorted(bars, key=lambda b: -b[1])
        amount_head = f"金额（{target}）" if lang == "zh" else f"Amount ({target})"
        table = pd.DataFrame({doc_head: [n for n, _ in ordered],
                              amount_head: [f"{a:,f}" for _, a in ordered]})
        return choices, gr.update(value=chart, visible=True), gr.update(value=table, visible=True, label=head,
                                                                        show_label=True)

    def show_overview(scope: str, target: str = "万元", lang: str = "zh",  # type: ignore[no-untyped-def]
                      item: str = ""):
        """Cards, bars and table of the selected document, all drawn from one response in one unit; with
        all documents selected, their totals and one item compared across them."""
        target = target if target in UNITS else "万元"
        lang = lang if lang in ("zh", "en") else "zh"
        doc = doc_by_id(scope) if scope else None
        if doc is None:
            cards = []
            for d in docs():
                ov = overview(engine.ledger.facts(document_id=d.id), glossary)
                spend = [f for f in ov.totals if f.side == "支出" and f.label in ("支出总计", "总计")]
                top = (spend or ov.totals or [None])[0]
                value = in_unit(top, target) if top else "—"
                name = total_name(top, lang) if top else ""
                cards.append('<div class="bq-card"><div class="bq-k">'
                             f'{esc(doc_name(d, english(d.department), lang))}'
                             f'</div><div class="bq-v">{esc(value)}</div><div class="bq-s">{esc(name)} · '
                             f'{esc(d.source_key)}</div></div>')
            intro = ("选择一个文件查看按功能分类的支出；下面比较各文件的同一项目。" if lang == "zh"
                     else "Choose one document in Scope to see its spending by function category; below, "
                     "one item compared across the documents.")
            head = f"{len(cards)} 个文件" if lang == "zh" else f"{len(cards)} documents"
            choices, chart, table = compare_view(item, target, lang)
            return (f'<h3>{esc(head)}</h3><p>{esc(intro)}</p><div class="bq-cards">{"".join(cards)}</div>',
                    chart, table, choices)
        name = doc_name(doc, english(doc.department), lang)
        ov = overview(engine.ledger.facts(document_id=doc.id), glossary)
        ranked = sorted(ov.categories, key=lambda f: -(f.value or 0))
        label = (lambda x: x) if lang == "zh" else term_en
        headers = ("类", f"金额（{target}）") if lang == "zh" else ("Function category", f"Amount ({target})")
        table = pd.DataFrame({headers[0]: [label(f.label) for f in ranked],
                              headers[1]: [in_unit(f, target).replace(f" {target}", "") for f in ranked]})
        source = ""
        if ov.categories:
            f = ov.categories[0]
            source = (f"{'来源' if lang == 'zh' else 'Source'}: 表{f.table_id} {f.table_title} · "
                      f"{f.column} · {ov.unit}")
        title = (f"{name}：按功能分类的支出（{target}）" if lang == "zh"
                 else f"{name}: spending by function category ({target})")
        chart = bars_html(ov.categories, target, title, None if lang == "zh" else term_en, lang,
                          f"budgetqa-{doc.id}")
        return (totals_html(ov, doc, target, lang, name), gr.update(value=chart, visible=bool(ov.categories)),
                gr.update(value=table, visible=bool(ov.categories), label=source, show_label=bool(source)),
                gr.update(visible=False))

    def table_choices(doc_id: str, lang: str) -> list[tuple[str, str]]:
        tables = [t for t in engine.ledger.tables(doc_id or None) if t.n_facts] if doc_id else []
        word = "表" if lang != "en" else "Table "
        return [(t("all_tables", lang), "")] + [(f"{word}{x.table_id} {x.title}", x.table_id) for x in tables]

    def tables_for(doc_id: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
        return gr.update(choices=table_choices(doc_id, lang), value="")

    def browse(doc_id: str, table_id: str, text: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
        facts = filter_facts(engine.ledger.facts(document_id=doc_id or None, table_id=table_id or None), text)
        names = {d.id: doc_name(d, english(d.department), lang) for d in docs()}
        shown = min(len(facts), MAX_ROWS_SHOWN)
        status = t("facts_count", lang).format(n=len(facts))
        status += t("facts_shown", lang).format(shown=shown) if shown < len(facts) else ""
        return facts_frame(facts, names, lang), status, download_html(doc_id, table_id, text, lang)

    def show_audit(doc_id: str, lang: str = "zh"):  # type: ignore[no-untyped-def]

        doc = doc_by_id(doc_id) if doc_id else None
        name = doc_name(doc, english(doc.department), lang) if doc else ""
        return audit_html(audit(engine.ledger.facts(document_id=doc.id)) if doc else [], doc, lang, name)

    def document_lists(lang: str = "zh"):  # type: ignore[no-untyped-def]
        """The Data tab's document and table lists in the page language (a page opened after an upload
        lists the new document too); the selection is kept."""
        choices = scope_choices(docs(), lang, english)
        return gr.update(choices=choices), gr.update(choices=table_choices("", lang))

    reports = Reports(Path(engine.ledger.store), readonly=engine.ledger.readonly)

    def report(history: list[dict], comment: str, lang: str):  # type: ignore[no-untyped-def]
        question, answer = last_exchange(history)
        zh = lang != "en"
        if not question:
            return comment, ("请先提问。" if zh else "Ask a question first.")
        if not reports.add(question, answer, comment):
            return comment, ("未能保存。" if zh else "Could not be stored.")
        return "", (f"已记录，谢谢：{question}" if zh else f"Reported, thank you: {question}")

    def staff_reports(password: str, lang: str, request: gr.Request):  # type: ignore[no-untyped-def]
        verdict = gate.check(password, client_of(request))
        if not verdict.ok:
            return gr.update(), staff_reason(verdict.reason, lang)
        rows = reports.all()
        frame = pd.DataFrame(rows, columns=columns(REPORT_COLUMNS, lang))
        return gr.update(value=frame, visible=True), reports.csv()

    def client_of(request: gr.Request | None) -> str:
        return getattr(getattr(request, "client", None), "host", "") or ""

    def unlock(password: str, lang: str, request: gr.Request):  # type: ignore[no-untyped-def]
        verdict = gate.check(password, client_of(request))
        return gr.update(visible=verdict.ok), staff_reason(verdict.reason, lang)

    def upload(files, password: str, lang: str, replace: bool,  # type: ignore[no-untyped-def]
               request: gr.Request):
        names = [str(f) for f in files or []]
        paths, refusal, staff_ok = check_upload(names, password, gate, client_of(request))
        if not refusal and engine.ledger.readonly:  # a replica's snapshot: staff ingest on the writer
            refusal = "refused: the store is read-only: it can answer questions but not change"
        same = gr.update()
        if refusal:
            if staff_ok:  # an anonymous caller can name any of Gradio's temporary files: never delete them
                discard(names)
            yield "", refusal, same, same, same
            return
        paths = keep_uploads(engine, paths)
        discard(names)

        def describe(report) -> list[str]:  # type: ignore[no-untyped-def]
            return recognised(report, docs(), engine.tables_of, english, lang if lang == "en" else "zh")

        for log, status, done in run_ingest(engine, paths, describe, replace=bool(replace)):
            if not done:
                yield log, status, same, same, same
                continue
            choices = scope_choices(docs(), lang if lang == "en" else "zh", english)
            yield (log, status, gr.update(choices=choices), gr.update(choices=choices),
                   gr.update(choices=choices[1:]))

    def remove(doc_id: str, password: str, lang: str, request: gr.Request):  # type: ignore[no-untyped-def]

        verdict = gate.check(password, client_of(request))
        same = gr.update()
        if not verdict.ok:
            return f"refused: {verdict.reason}", same, same, same
        try:
            removed = remove_document(engine.ledger, doc_id or "", engine.index)
        except IngestError as e:
            return f"refused: {public_error(e)}", same, same, same
        engine.refresh()
        choices = scope_choices(docs(), lang if lang == "en" else "zh", english)
        d = removed.document
        return (f"removed {d.source_key} ({d.id}, {removed.facts} facts; {removed.index_note})",
                gr.update(choices=choices, value=ALL), gr.update(choices=choices, value=ALL),
                gr.update(choices=choices[1:], value=None))

    # -- layout --
    words = Labels()  # every component whose words follow the language switch (app/web/lang.py)
    with gr.Blocks(title="BudgetQA 预算问答", analytics_enabled=False, delete_cache=(600, 3600)) as demo:
        words.add(gr.HTML(header_html("zh")), value=header_html)
        with gr.Row():
            scope = words.add(gr.Dropdown(scope_choices(docs(), "zh", english), value=ALL, scale=4,
                                          label=t("scope", "zh"), info=t("scope_info", "zh"),
                                          allow_custom_value=True, elem_id="bq-scope"),
                              label="scope", info="scope_info")
            # the switch's own label stays in both languages, so a reader of either can find it
            lang = gr.Radio([("中文", "zh"), ("English", "en")], value="zh", label="语言 Language", scale=1,
                            elem_id="bq-lang")
        with gr.Tabs():
            with words.add(gr.Tab(t("chat", "zh"), id="chat"), label="chat"):
                welcome = gr.HTML(elem_id="bq-welcome")
                chatbot = words.add(gr.Chatbot(
                    label=t("chat", "zh"), show_label=False, height=None, min_height=360, max_height=760,
                    sanitize_html=True, allow_tags=False, latex_delimiters=[],
                    render_markdown=True, line_breaks=False, feedback_options=None, buttons=[],
                    elem_id="bq-chat", placeholder=t("chat_placeholder", "zh"),
                ), label="chat", placeholder="chat_placeholder")
                with gr.Row():
                    box = words.add(gr.Textbox(placeholder=t("placeholder", "zh"), label=t("question", "zh"),
                                               show_label=False, scale=8, autofocus=True, elem_id="bq-input",
                                               max_length=500), label="question", placeholder="placeholder")
                    send = words.add(gr.Button(t("ask", "zh"), variant="primary", scale=1, elem_id="bq-send"),
                                     value="ask")
                with gr.Row(elem_id="bq-chips"):
                    first = [q for [q] in examples.builtin(docs(), english)]
                    chips = [gr.Button(first[i] if i < len(first) else "", visible=i < len(first), size="sm",
                                       elem_classes=["bq-chip"], variant="secondary") for i in range(N_CHIPS)]
                report_box = gr.Accordion(t("report", "zh"), open=False, elem_id="bq-report")
                with words.add(report_box, label="report"):
                    report_comment = words.add(gr.Textbox(label=t("report_comment", "zh"), max_length=500,
                                                          lines=2, elem_id="bq-report-comment"),
                                               label="report_comment")
                    report_btn = words.add(gr.Button(t("report_send", "zh"), size="sm",
                                                     elem_id="bq-report-send"), value="report_send")
                    report_msg = gr.Markdown(elem_id="bq-report-msg")
                # the question being answered; a gr.State would hide it from the /chat endpoint
                pending = gr.Textbox(value="", visible=False)
            with words.add(gr.Tab(t("overview", "zh"), id="overview"), label="overview"):
                unit = words.add(gr.Radio(list(UNITS), value="万元", label=t("unit", "zh"), elem_id="bq-unit"),
                                 label="unit")
                totals = gr.HTML()
                item = words.add(gr.Dropdown([], label=t("item", "zh"), info=t("item_info", "zh"),
                                             visible=False, elem_id="bq-item"),
                                 label="item", info="item_info")
                chart = gr.HTML(visible=False, elem_id="bq-chart")
                cat_table = gr.Dataframe(visible=False, interactive=False, wrap=True, elem_id="bq-cats")
            with words.add(gr.Tab(t("data", "zh"), id="data"), label="data"):
                with gr.Row():
                    data_doc = words.add(gr.Dropdown(scope_choices(docs(), "zh", english), value=ALL, scale=3,
                                                     label=t("document", "zh"), allow_custom_value=True,
                                                     elem_id="bq-data-doc"), label="document")
                    data_table = words.add(gr.Dropdown([(t("all_tables", "zh"), "")], value="", scale=2,
                                                       label=t("table", "zh"), allow_custom_value=True),
                                           label="table")
                    data_text = words.add(gr.Textbox(label=t("filter", "zh"), scale=2,
                                                     placeholder=t("filter_placeholder", "zh")),
                                          label="filter", placeholder="filter_placeholder")
                data_status = gr.Markdown(elem_id="bq-data-status")
                # fixed column widths wider than a phone: the table scrolls sideways in its own box (CSS)
                data_frame = gr.Dataframe(interactive=False, wrap=True, max_height=520,
                                          headers=columns(FACT_COLUMNS, "zh"), elem_id="bq-facts",
                                          column_widths=FACT_WIDTHS)
                download = gr.HTML(elem_id="bq-download")
                audit_box = gr.HTML(elem_id="bq-audit")
            with words.add(gr.Tab(t("upload", "zh"), id="upload"), label="upload"):
                if not staff:
                    off = (lambda lang: t("uploads_off", lang).format(env=PASSWORD_ENV))  # noqa: E731
                    words.add(gr.Markdown(off("zh")), value=off)
                else:  # only now does the page hold an upload widget (and Gradio's route still asks the gate)
                    words.add(gr.Markdown(t("staff_intro", "zh")), value="staff_intro")
                    with gr.Row():
                        password = words.add(gr.Textbox(label=t("password", "zh"), type="password", scale=3,
                                                        elem_id="bq-password"), label="password")
                        unlock_btn = words.add(gr.Button(t("unlock", "zh"), scale=1, elem_id="bq-unlock"),
                                               value="unlock")
                    lock_msg = gr.Markdown(elem_id="bq-lock-msg")
                    with gr.Group(visible=False) as upload_panel:
                        files = words.add(gr.File(label=t("files", "zh"), file_count="multiple",
                                                  file_types=list(UPLOAD_TYPES)), label="files")
                        replace_box = words.add(gr.Checkbox(label=t("replace_issue", "zh"), value=False,
                                                            elem_id="bq-replace"), label="replace_issue")
                        ingest_btn = words.add(gr.Button(t("ingest", "zh"), variant="primary",
                                                         elem_id="bq-ingest"), value="ingest")
                        with gr.Row():
                            remove_doc = words.add(gr.Dropdown(scope_choices(docs(), "zh", english)[1:],
                                                               label=t("remove_doc", "zh"), scale=4,
                                                               allow_custom_value=True), label="remove_doc")
                            remove_btn = words.add(gr.Button(t("remove", "zh"), variant="stop", scale=1),
                                                   value="remove")
                        reports_btn = words.add(gr.Button(t("reports", "zh"), elem_id="bq-reports-btn"),
                                                value="reports")
                        reports_frame = gr.Dataframe(visible=False, interactive=False, wrap=True,
                                                     elem_id="bq-reports")
                        reports_csv = gr.Textbox(label="CSV", lines=4, max_lines=12, interactive=False,
                                                 buttons=["copy"], elem_id="bq-reports-csv")
                    upload_status = words.add(gr.Textbox(label=t("result", "zh"), interactive=False, lines=1,
                                                         elem_id="bq-upload-status"), label="result")
                    upload_log = words.add(gr.Textbox(label=t("progress", "zh"), interactive=False, lines=8,
                                                      max_lines=20), label="progress")
            with gr.Tab("API", id="api"):  # for developers: the API's own names, in English
                gr.Markdown("`/ask`: `(question: str, scope: str = \"\", history: list[str] = [])` → "
                            "the answer as JSON.\n\n"
                            "`gradio_client.Client(url).predict(question, scope, history, "
                            "api_name=\"/ask\")`")
                with gr.Row():
                    api_q = gr.Textbox(label="question", value="", scale=3)
                    api_scope = gr.Textbox(label="scope (document id or file name; empty = all)", value="",
                                           scale=2)
                api_hist = gr.JSON(value=[], label="history (earlier questions, oldest first)")
                api_btn = gr.Button("Run /ask")
                api_out = gr.JSON(label="answer")

        # -- events --
        for trigger in (box.submit, send.click):
            trigger(add_question, [box, chatbot], [box, chatbot, pending], api_name="chat_question",
                    api_visibility="undocumented").then(
                answer_question, [pending, chatbot, scope], [chatbot, pending, *chips], api_name="chat",
                concurrency_id="answer", concurrency_limit=CONCURRENCY)
        for chip in chips:
            chip.click(pick, chip, box, api_visibility="private").then(
                add_question, [box, chatbot], [box, chatbot, pending], api_visibility="private").then(
                answer_question, [pending, chatbot, scope], [chatbot, pending, *chips],
                api_visibility="private", concurrency_id="answer", concurrency_limit=CONCURRENCY)
        lang.change(first_visit, lang, [welcome, *chips, scope], api_visibility="private", js=LANG_JS)
        lang.change(words.updates, lang, words.components, api_visibility="private")
        demo.load(from_link, None, box, api_visibility="private").then(
            add_question, [box, chatbot], [box, chatbot, pending], api_visibility="private").then(
            answer_question, [pending, chatbot, scope], [chatbot, pending, *chips], api_visibility="private",
            concurrency_id="answer", concurrency_limit=CONCURRENCY)
        demo.load(first_visit, lang, [welcome, *chips, scope], api_visibility="private", js=LANG_JS)
        api_btn.click(ask_api, [api_q, api_scope, api_hist], api_out, api_name="ask", concurrency_id="answer",
                      concurrency_limit=CONCURRENCY)
        overview_io = ([scope, unit, lang, item], [totals, chart, cat_table, item])
        for trigger in (scope.change, unit.change, lang.change, item.input):
            trigger(show_overview, *overview_io, api_visibility="private")
        demo.load(show_overview, *overview_io, api_visibility="private")
        for trigger in (demo.load, lang.change):
            trigger(document_lists, lang, [data_doc, data_table], api_visibility="private")
        data_doc.change(tables_for, [data_doc, lang], data_table, api_visibility="private")
        for trigger in (data_doc.change, lang.change):
            trigger(show_audit, [data_doc, lang], audit_box, api_visibility="private")
        browse_io = ([data_doc, data_table, data_text, lang], [data_frame, data_status, download])
        for trigger in (data_doc.change, data_table.change, data_text.submit, lang.change):
            trigger(browse, *browse_io, api_visibility="private")
        demo.load(browse, *browse_io, api_name="facts")
        report_btn.click(report, [chatbot, report_comment, lang], [report_comment, report_msg],
                         api_visibility="private", concurrency_id="report", concurrency_limit=1)
        if staff:
            reports_btn.click(staff_reports, [password, lang], [reports_frame, reports_csv],
                              api_visibility="private")
            for trigger in (unlock_btn.click, password.submit):
                trigger(unlock, [password, lang], [upload_panel, lock_msg], api_visibility="private",
                        js=UNLOCK_JS)
            # staff writes queue on their own, one at a time, so an ingest never holds up the chat
            # the language and the replace box default to "zh" and off: `/upload(files, password)` still works
            ingest_btn.click(upload, [files, password, lang, replace_box],
                             [upload_log, upload_status, scope, data_doc, remove_doc],
                             api_name="upload", concurrency_id="staff", concurrency_limit=1)
            remove_btn.click(remove, [remove_doc, password, lang],
                             [upload_status, scope, data_doc, remove_doc],
                             api_name="remove", concurrency_id="staff", concurrency_limit=1)
    demo.bq_engine, demo.bq_gate = engine, gate  # for launch(): the HTTP guard and routes share them
    return demo


# the page's lang attribute follows the language switch (screen readers and fonts pick the right voice/glyphs)
LANG_JS = """(lang) => { document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN'; return lang; }"""
# a staff sign-in also opens a session (cookie) so the page's own uploads pass the upload guard
UNLOCK_JS = """async (pw, lang) => {
  try { await fetch('bq/staff/session', {method: 'POST', headers: {'x-budgetqa-staff': pw},
                                         credentials: 'same-origin'}); } catch (e) {}
  return [pw, lang];
}"""
# the page's own scripts: Copy text (app/web/share.py) and the chart's PNG download (app/web/chart.py)
PAGE_JS = f"() => {{ ({COPY_JS})(); ({CHART_JS})(); }}"
# Answers (/ask and the chat, one shared queue) run one at a time: `make bench-load` on 2 cores measured
# concurrency 1 fastest (2, 4, 8 were slower: the work is CPU-bound Python under one GIL); 2026-12-02 p50
# 418 ms, p95 949 ms, 38 answers/s for 20 clients back to back; see docs/guard.md. BUDGETQA_CONCURRENCY
# overrides it.
CONCURRENCY = settings().concurrency
QUEUE_SIZE = 256


def theme() -> gr.themes.Base:
    """System fonts only: nothing is fetched from a font service."""
    return gr.themes.Default(primary_hue="blue", neutral_hue="slate", font=FONT, font_mono=FONT_MONO)


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    """Queue sized by `make bench-load`, bind locally, no share link, 20 MB staff-only uploads.

    The FastAPI app is made here so the upload guard (a middleware) and the CSV/session routes are in
    place before Gradio adds its own routes.
    """
    from gradio.routes import App

    from app.web.http_guard import add_routes
    from app.web.source import add_source_routes

    trust_proxies()
    app = App()
    add_routes(app, demo.bq_engine, demo.bq_gate)
    add_source_routes(app, demo.bq_engine)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.launch(_app=app, server_name=host, server_port=port, share=False, show_error=False,
                prevent_thread_lock=not block, js=PAGE_JS, max_file_size="20mb", theme=theme(),
                css=CSS + CHART_CSS,
                footer_links=["api"], quiet=not block, ssr_mode=False, pwa=False, mcp_server=False,
                inbrowser=False)
    return demo


def serve(store: Path, host: str = "127.0.0.1", port: int = 7860) -> None:
    """`budgetqa serve`: open the store (ingesting nothing) and serve until interrupted."""
    from app.engine import Engine

    dense = dense_available(Path(store))  # read-only: a Chroma server's index, else BM25 only
    engine = Engine.open(Path(store), dense=dense, catch_up="background")  # never inside a question
    note = "" if dense else " (read-only store: no dense index)"
    print(f"BudgetQA: {len(engine.documents())} documents from {store}{note}; http://{host}:{port}/",
          flush=True)
    launch(build_app(engine), host, port, block=True)
