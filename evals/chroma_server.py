"""A throwaway `chroma run` on a free loopback port, for the scale bench and the replica test.

Why its own module: the bench and the tests both need a real server, started in a temp folder and
stopped afterwards, and the bench also reads its peak memory (VmHWM) before stopping it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """Start with ``start()`` (returns the URL), stop with ``stop()``; data lives under ``path``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def start(self, timeout: float = 30.0) -> str:
        chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        port = free_port()
        self.proc = subprocess.Popen([chroma, "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1)
                return self.url
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the Chroma server did not start")

    def peak_mib(self) -> float:
        """The server process's peak resident memory (Linux VmHWM), 0 when unknown."""
        if self.proc is None:
            return 0.0
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
