"""Who may change the store: the staff password, per-address back-off, and staff sessions.

Why: the chat and the API are public; only staff may add or remove documents. Every door that can
store bytes (Gradio's upload route, the upload and remove events) asks this gate. Without
BUDGETQA_STAFF_PASSWORD set nothing opens it. Wrong guesses are counted per client address and each
address backs off exponentially (5 misses: 1 min, then 2, 4 … up to an hour), so guessing is slow; but
nobody can lock the staff out: misses from everywhere only raise an alarm (a log line and a counter the
staff desk shows), and a correct password from an address that is not backing off always works. The
address is the connection's own; a proxy's X-Forwarded-For is believed only from the addresses in
BUDGETQA_TRUSTED_PROXIES (``trust_proxies``), so forged headers cannot spread one client over many.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from ingest.settings import settings

PASSWORD_ENV = "BUDGETQA_STAFF_PASSWORD"
HEADER = "x-budgetqa-staff"
COOKIE = "bq_staff"
log = logging.getLogger("budgetqa.staff")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""  # shown to the person: why not, in words


def trust_proxies() -> None:
    """Tell the HTTP server (uvicorn) whose X-Forwarded-For to believe: only BUDGETQA_TRUSTED_PROXIES.

    uvicorn believes loopback by default, so 40 forged headers from one local client were 40 clients."""
    os.environ["FORWARDED_ALLOW_IPS"] = settings().trusted_proxies


def client_of(request) -> str:  # type: ignore[no-untyped-def]
    """A Gradio or Starlette request's client address ("" when none): the server's, which believes
    X-Forwarded-For only from the trusted proxies."""
    return getattr(getattr(request, "client", None), "host", "") or ""


@dataclass
class Backoff:
    """One address's misses in the window, and how long it must wait after its last lockout."""

    misses: deque = field(default_factory=deque)
    lockouts: int = 0
    until: float = 0.0


@dataclass
class StaffGate:
    """Checks the staff password; ``max_failures`` misses from one address in ``window`` s make that address
    wait ``lockout`` s, doubling with each further lockout up to ``max_lockout``."""

    max_failures: int = 5
    alarm_failures: int = 50  # misses from everyone in ``window`` that raise the alarm (never a lock)
    window: float = 600.0
    lockout: float = 60.0
    max_lockout: float = 3600.0
    session_seconds: float = 8 * 3600.0
    _addresses: dict[str, Backoff] = field(default_factory=dict)
    _all_misses: deque = field(default_factory=deque)
    alarms: int = 0  # how often the alarm was raised since start (shown to staff)
    _sessions: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def enabled() -> bool:
        secret = settings().staff_password
        return secret is not None and bool(secret.get_secret_value())

    def check(self, given: str | None, client: str = "") -> Verdict:
        """The password's verdict for this client address, counting a miss toward its back-off."""
        secret = settings().staff_password
        expected = secret.get_secret_value() if secret else ""
        if not expected:
            return Verdict(False, f"uploads are disabled on this server ({PASSWORD_ENV} is not set)")
        now = time.monotonic()
        with self._lock:
            state = self._addresses.setdefault(client, Backoff())
            if state.until > now:
                minutes = max(1, round((state.until - now) / 60))
                return Verdict(False, f"too many wrong staff passwords from this address; "
                                      f"try again in {minutes} min")
            if hmac.compare_digest((given or "").encode(), expected.encode()):
                self._addresses.pop(client, None)
                return Verdict(True)
            self._miss(state, now)
        return Verdict(False, "wrong staff password")

    def _miss(self, state: Backoff, now: float) -> None:
        for q in (state.misses, self._all_misses):
            q.append(now)
            while q and q[0] < now - self.window:
                q.popleft()
        if len(state.misses) >= self.max_failures:
            state.until = now + min(self.max_lockout, self.lockout * 2 ** state.lockouts)
            state.lockouts += 1
            state.misses.clear()
        if len(self._all_misses) >= self.alarm_failures:
            self.alarms += 1
            self._all_misses.clear()
            log.warning("staff sign-in alarm: %d wrong passwords within %.0f s from %d addresses",
                        self.alarm_failures, self.window, len(self._addresses))

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
            self._addresses.clear()
            self._all_misses.clear()
