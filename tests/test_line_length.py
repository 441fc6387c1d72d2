"""Lines ≤ 110 characters; ruff's E501 counts a CJK character as two columns, so the project counts itself."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 110


def test_no_tracked_python_line_is_longer_than_110_characters():
    if shutil.which("git") is None:
        pytest.skip("git is not available")
    listed = subprocess.run(["git", "ls-files", "-z", "*.py"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip(f"not a git checkout: {listed.stderr.strip()}")
    long = [f"{path}:{i}" for path in filter(None, listed.stdout.split("\0"))
            for i, line in enumerate((ROOT / path).read_text(encoding="utf-8").split("\n"), 1)
            if len(line) > LIMIT]
    assert not long, f"lines over {LIMIT} characters: " + ", ".join(long)
