"""Reports of wrong answers: question, answer and an optional comment, kept in the store for staff to review.

Why a table of its own (reports.sqlite beside the ledger): a reader's complaint must never touch the system of
record. Entries are short text, capped in length and number, so an anonymous visitor cannot fill the disk.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from pathlib import Path

MAX_TEXT = 2000
MAX_COMMENT = 500
MAX_ROWS = 10_000
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, at TEXT NOT NULL, question TEXT NOT NULL, "
    "answer TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '')"
)
COLUMNS = ("id", "at", "question", "answer", "comment")


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
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(self.all())
        return out.getvalue()
