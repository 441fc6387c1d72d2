"""Reports of wrong answers: question, answer and an optional comment, kept in the store for staff to review.

Why a table of its own (reports.sqlite beside the ledger): a reader's complaint must never touch the system of
record. Entries are short text, capped in length and number, so an anonymous visitor cannot fill the disk.
Reports are a public input (issue 22: 100 forged reports in 4.3 s; the 10,000 cap full in 7 minutes), so each
client (the server's address for it: X-Forwarded-For only from BUDGETQA_TRUSTED_PROXIES) may send
BUDGETQA_REPORT_RATE a minute and BUDGETQA_REPORT_DAILY a day (``ReportLimits``): one client cannot fill the
table for everyone. Their text reaches the staff desk as plain table cells (no HTML, no Markdown), and the CSV
export neutralises cells a spreadsheet would run as a formula (``csv_safe``).
"""

from __future__ import annotations

import csv
import html
import io
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.quota import DailyCap, RequestBudget
from ingest.model import csv_safe
from ingest.settings import settings

MAX_TEXT = 2000
MAX_COMMENT = 500
MAX_ROWS = 10_000
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, at TEXT NOT NULL, question TEXT NOT NULL, "
    "answer TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '')"
)
COLUMNS = ("id", "at", "question", "answer", "comment")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:])")
REFUSED = {  # why a report was not stored, in the page's language
    "minute": ("报告太频繁，请一分钟后再试。", "Too many reports from here; try again in a minute."),
    "day": ("今天从这里发出的报告已达上限，请明天再试。", "Today's reports from here are at their limit; try "
                                                   "again tomorrow."),
}


def inert(text: str) -> str:
    """Visitor text for a Markdown component, shown as typed: no link, image, heading or HTML, one line."""
    return html.escape(_MARKDOWN.sub(r"\\\1", " ".join(str(text or "").split())), quote=False)


class Reports:
    """The wrong-answer reports of one store."""

    def __init__(self, store: Path, readonly: bool = False):
        self.path = Path(store) / "reports.sqlite"
        self.readonly = readonly  # a replica's snapshot takes no reports: nothing may change its folder

    def _db(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5)
        db.execute(SCHEMA)
        return db

    def add(self, question: str, answer: str, comment: str = "") -> bool:
        """Store one report; False (nothing stored) when there is no question or the table is full."""
        question = (question or "").strip()[:MAX_TEXT]
        if not question or self.readonly:
            return False
        with self._db() as db:
            if db.execute("SELECT COUNT(*) FROM reports").fetchone()[0] >= MAX_ROWS:
                return False
            db.execute(
                "INSERT INTO reports (at, question, answer, comment) VALUES (?, ?, ?, ?)",
                (
                    time.strftime("%Y-%m-%d %H:%M:%S"),
                    question,
                    (answer or "")[:MAX_TEXT],
                    (comment or "").strip()[:MAX_COMMENT],
                ),
            )
        return True

    def all(self) -> list[tuple]:
        if not self.path.exists() or self.readonly:
            return []
        with self._db() as db:
            return db.execute(f"SELECT {', '.join(COLUMNS)} FROM reports ORDER BY id DESC").fetchall()

    def csv(self) -> str:
        """Every report as CSV; a cell starting = + - @ (or tab/CR) gets a leading ' so no spreadsheet runs
        it."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(csv_safe(dict(zip(COLUMNS, row, strict=True))) for row in self.all())
        return out.getvalue()


def _per_minute(rate: float) -> RequestBudget:
    """``rate`` reports a minute, all of them at once if the client likes (0: no limit)."""
    return RequestBudget(rate=rate / 60, burst=max(1.0, rate))


@dataclass
class ReportLimits:
    """Per client: ``minute`` reports a minute (a token bucket) and ``day`` reports a day."""

    minute: RequestBudget = field(default_factory=lambda: _per_minute(settings().report_rate))
    day: DailyCap = field(default_factory=lambda: DailyCap(settings().report_daily))

    def refusal(self, client: str) -> str:
        """"" when ``client`` may send a report now (and it is counted), else "minute" or "day"."""
        if self.minute.take(client):
            return "minute"
        return "" if self.day.take(client) else "day"
