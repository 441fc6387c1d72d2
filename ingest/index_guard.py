"""The dense index as the engine uses it: derived from the ledger, so its damage or lag is never fatal.

Why: one garbage ``chroma.sqlite3`` made ``ask`` and ``serve`` exit with a traceback although the ledger and
its keyword search could answer every question; after a crash during an index sync or a full disk, the
first question waited 214-234 s while the index caught up inside it. Here an index that cannot be opened or
searched logs one line and answers from the ledger (keyword path); an index behind its ledger catches up in
a background thread at low priority, with progress lines, while questions are answered from what it
already holds and the ledger — or, in a one-shot command, is left for ``serve`` or ``budgetqa reindex``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Literal

from ingest.ledger import Ledger

CatchUp = Literal["now", "background", "off"]
Log = Callable[[str], None]


def stderr_line(message: str) -> None:
    print(f"index: {message}", file=sys.stderr, flush=True)


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0][:160] if str(error) else ""
    if "disk is full" in text.lower() or getattr(error, "errno", None) == 28:
        return "the disk is full"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class GuardedIndex:
    """An Index behind a guard: ``opener`` builds it (without syncing); failures disable it with one log
    line; ``catch_up`` says what happens when it lags the ledger — ``now`` (sync before returning, for
    builds and tests), ``background`` (a server: Index.sync_in_background, at low priority), ``off`` (a
    one-shot command: say so and go on). ``warm`` loads the embedding model once the index is in line (in
    the background thread with ``background``). Built on first use when wrapped in ingest.index's
    OnDemandIndex (app.engine), so a question answered from the ledger alone opens nothing."""

    def __init__(self, opener: Callable[[], object], ledger: Ledger, catch_up: CatchUp = "now",
                 log: Log | None = None, warm: bool = False):
        self._ledger = ledger
        self._log = log or (lambda message: stderr_line(message))
        self._warm = warm
        self.broken = ""  # why the index is not used (empty while it is)
        self.catching_up: threading.Thread | None = None
        self.index = self._open(opener, catch_up)

    def _open(self, opener: Callable[[], object], catch_up: CatchUp):  # type: ignore[no-untyped-def]
        try:
            index = opener()
            readonly = getattr(index, "readonly", False)  # a replica never syncs
            lagging = not readonly and not index.in_sync(self._ledger)  # type: ignore[attr-defined]
        except Exception as e:  # a damaged or unreadable index: the ledger answers alone
            self._fail("cannot be opened", e)
            return None
        if catch_up == "background":
            self._in_background(index, lagging)
            return index
        if lagging and catch_up == "now":
            self._sync(index, self._log)
        elif lagging:
            self._log("the search index is behind the ledger; answering from the ledger for the documents it "
                      "lacks (budgetqa serve catches up in the background, or run budgetqa reindex)")
        self._warm_model(index)
        return index

    def _in_background(self, index, lagging: bool) -> None:  # type: ignore[no-untyped-def]
        """Main's background sync (its status and ``wait``), with the guard's lines and failure handling; an
        index in line only loads the model there."""
        if lagging:
            self._log("catching up with the ledger in the background; questions are answered meanwhile")

        def done(result: dict[str, int]) -> None:
            if lagging:
                self._log(f"caught up: {result['added']} documents added, {result['removed']} removed")
            self._warm_model(index)
        self.catching_up = index.sync_in_background(
            self._ledger, self._log if lagging else None, then=done,
            failed=lambda e: self._fail("could not catch up with the ledger", e))

    def _warm_model(self, index) -> None:  # type: ignore[no-untyped-def]
        if not self._warm or self.broken:
            return
        try:
            index.embedder.warm()
        except Exception as e:  # no model: the dense search cannot run; the ledger's keyword search answers
            self._fail("cannot load its embedding model", e)

    def _fail(self, what: str, error: BaseException) -> None:
        if not self.broken:  # one line, however many questions meet it
            self.broken = _short(error)
            full = self.broken == "the disk is full"
            fix = "free some space" if full else "run budgetqa reindex to rebuild it"
            self._log(f"the search index {what} ({self.broken}); answering from the ledger (keyword search) "
                      f"— {fix}")

    def _sync(self, index, progress: Log | None) -> dict[str, int]:  # type: ignore[no-untyped-def]
        try:
            return index.sync(self._ledger, progress)
        except Exception as e:
            self._fail("could not catch up with the ledger", e)
            return {"added": 0, "removed": 0}

    # ---- what the engine and staff desk call -----------------------------------------------------

    @property
    def usable(self) -> bool:
        return self.index is not None and not self.broken

    def search_labels(self, text: str, doc_ids: list[str] | None, k: int = 20) -> list[tuple[str, float]]:
        return self._search("search_labels", text, doc_ids, k)

    def search_passages(self, text: str, doc_ids: list[str] | None, k: int = 10) -> list[tuple[str, float]]:
        return self._search("search_passages", text, doc_ids, k)

    def _search(self, name: str, text: str, doc_ids: list[str] | None, k: int) -> list[tuple[str, float]]:
        if not self.usable:
            return []
        try:
            return getattr(self.index, name)(text, doc_ids, k)
        except Exception as e:  # damaged on disk, or the Chroma server gone: keyword search answers
            self._fail("failed", e)
            return []

    def sync(self, ledger: Ledger, progress: Log | None = None) -> dict[str, int]:
        """After staff change the ledger (upload, remove); waits for a catch-up under way. Raises when the
        index is not in use or fails (the caller says the index was not updated; the ledger is right)."""
        if not self.usable:
            raise RuntimeError(f"the search index is not in use ({self.broken or 'not opened'})")
        try:
            return self.index.sync(ledger, progress)  # type: ignore[union-attr]
        except Exception as e:
            self._fail("could not be updated", e)
            raise

    def sync_in_background(self, ledger: Ledger, progress: Log | None = None) -> threading.Thread:
        """The same after an upload on a server: in a thread; a failure disables the index (one line)."""
        if not self.usable:
            raise RuntimeError(f"the search index is not in use ({self.broken or 'not opened'})")
        return self.index.sync_in_background(  # type: ignore[union-attr]
            ledger, progress, failed=lambda e: self._fail("could not be updated", e))

    def in_sync(self, ledger: Ledger) -> bool:
        return self.usable and self.index.in_sync(ledger)  # type: ignore[union-attr]

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background sync; True when none is running any more."""
        return self.index is None or self.index.wait(timeout)  # type: ignore[union-attr]

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        """Everything else (state, embedder, collections) is the index's own; AttributeError when unusable."""
        index = self.__dict__.get("index")
        if index is None:
            raise AttributeError(name)
        return getattr(index, name)
