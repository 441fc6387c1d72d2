"""Who may change the store: the staff password, rate-limited with a lockout, and staff sessions.

Why: the chat and the API are public; only staff may add or remove documents. Every door that can
store bytes (Gradio's upload route, the upload and remove events) asks this gate. Without
BUDGETQA_STAFF_PASSWORD set nothing opens it. Wrong guesses are counted per client and overall, so
guessing is slow (a lockout after a few misses) instead of nine guesses a second.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from ingest.settings import settings

PASSWORD_ENV = "BUDGETQA_STAFF_PASSWORD"
HEADER = "x-budgetqa-staff"
COOKIE = "bq_staff"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""  # shown to the person: why not, in words


@dataclass
class StaffGate:
    """Checks the staff password; ``max_failures`` misses per client in ``window`` s lock it out."""

    max_failures: int = 10
    global_failures: int = 50  # misses from everyone in ``window`` before staff sign-in closes for all
    window: float = 600.0
    lockout: float = 900.0
    session_seconds: float = 8 * 3600.0
    _misses: dict[str, deque] = field(default_factory=dict)
    _all_misses: deque = field(default_factory=deque)
    _locked: dict[str, float] = field(default_factory=dict)
    _sessions: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def enabled() -> bool:
        return settings().staff_password is not None and bool(settings().staff_password.get_secret_value())

    def check(self, given: str | None, client: str = "") -> Verdict:
        """The password's verdict for this client, counting a miss toward the lockout."""
        expected = (settings().staff_password.get_secret_value() if settings().staff_password else "")
        if not expected:
            return Verdict(False, f"uploads are disabled on this server ({PASSWORD_ENV} is not set)")
        now = time.monotonic()
        with self._lock:
            locked = max(self._locked.get(client, 0.0), self._locked.get("*", 0.0))
            if locked > now:
                minutes = max(1, round((locked - now) / 60))
                return Verdict(False, f"too many wrong staff passwords; try again in {minutes} min")
            if hmac.compare_digest((given or "").encode(), expected.encode()):
                self._misses.pop(client, None)
                return Verdict(True)
            misses = self._misses.setdefault(client, deque())
            for q in (misses, self._all_misses):
                q.append(now)
                while q and q[0] < now - self.window:
                    q.popleft()
            if len(misses) >= self.max_failures:
                self._locked[client] = now + self.lockout
            if len(self._all_misses) >= self.global_failures:
                self._locked["*"] = now + self.lockout
        return Verdict(False, "wrong staff password")

    def open_session(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            self._sessions = {t: exp for t, exp in self._sessions.items() if exp > now}
            self._sessions[token] = now + self.session_seconds
        return token

    def session_ok(self, token: str | None) -> bool:
        if not token or not self.enabled():
            return False
        with self._lock:
            expiry = self._sessions.get(token, 0.0)
        return expiry > time.monotonic()

    def reset(self) -> None:
        """Forget misses and lockouts (a restart does the same)."""
        with self._lock:
            self._misses.clear()
            self._all_misses.clear()
            self._locked.clear()
