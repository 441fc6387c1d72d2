"""What reaches a terminal or a user: control characters escaped, errors without paths or reprs.

Why: document names, questions and cell text come from the public and from uploaded files; an escape
sequence in a file name must not drive the staff member's terminal, and an error message must not tell a
visitor where the server keeps its temporary files or how its objects look inside.
"""

from __future__ import annotations

import re
import sqlite3

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_KEEP_CR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:/|\\\\)(?:[^\s'\"():;,]+(?:/|\\\\))+[^\s'\"():;,]*")
_REPR = re.compile(r"<[\w.]+(?: object)? at 0x[0-9a-fA-F]+>|<[\w.]+ object>")
# "(PdfminerException)", "(KeyError: 'x')"
_CLASS = re.compile(r"\s*\((?:[\w.]+\.)?\w+(?:Error|Exception)\b[^)]*\)")


def escape_controls(text: str, keep_cr: bool = False) -> str:
    """C0/C1 controls and bidi overrides as \\uXXXX (valid inside JSON strings too); \\n and \\t kept."""
    pattern = _CONTROL_KEEP_CR if keep_cr else _CONTROL
    return pattern.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


_BREAKS = str.maketrans({"\r": "\\r", "\n": "\\n", "\x85": "\\u0085", "\u2028": "\\u2028",
                        "\u2029": "\\u2029"})


def one_line(text: str) -> str:
    """A record printed as exactly one line: a line break inside it (a file name may hold one) is shown
    escaped, so no name can forge a line of output."""
    return str(text).translate(_BREAKS)


class SafeStream:
    """A text stream wrapper escaping control characters in everything written (tqdm's \\r kept on stderr)."""

    def __init__(self, stream, keep_cr: bool = False):  # type: ignore[no-untyped-def]
        self._stream = stream
        self._keep_cr = keep_cr

    def write(self, text: str) -> int:
        return self._stream.write(escape_controls(text, self._keep_cr))

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._stream, name)


def public_error(error: BaseException, limit: int = 300) -> str:
    """One line for a user: the reason in words, no file system paths, no object reprs."""
    if isinstance(error, OSError) and error.errno == 28 or "disk is full" in str(error).lower():
        return "the disk is full; nothing was changed (free some space and retry)"
    if isinstance(error, sqlite3.OperationalError) and "readonly" in str(error).replace(" ", "").lower():
        return "the store is read-only: it can answer questions but not change"
    if isinstance(error, PermissionError):
        return "permission denied: the store or file cannot be written or read"
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    text = _CLASS.sub("", _REPR.sub("<object>", text))
    text = _PATH.sub(lambda m: m.group(0).replace("\\", "/").rsplit("/", 1)[-1] or "<path>", text)
    return escape_controls(text)[:limit]
