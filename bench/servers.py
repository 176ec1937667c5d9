"""Server subprocesses on free loopback ports: the PolicyKG API under uvicorn, with one or more workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float, exited=lambda: None) -> None:
    """Poll until the server answers; `exited()` returns the server's last words if it died meanwhile."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (last_words := exited()) is not None:
            raise RuntimeError(f"{url} exited: {last_words}")
        try:
            if httpx.get(url + "/", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds:g} s")


class Process:
    """A server we started; stopped by its own pid only, never by name."""

    def __init__(self, cmd: list[str], url: str, env: dict[str, str] | None = None, wait: float = 600):
        self.url = url
        self.log = open(os.devnull, "wb")  # noqa: SIM115 - lives as long as the process
        self.process = subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=self.log, stderr=subprocess.PIPE
        )
        self.wait_until_up(wait)

    def wait_until_up(self, seconds: float) -> None:
        def exited() -> str | None:
            if self.process.poll() is None:
                return None
            return self.process.stderr.read().decode(errors="replace")[-2000:]

        try:
            wait_for(self.url, seconds, exited)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self) -> Process:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def api_server(store: Path, workers: int = 1, stock: bool = False) -> Process:
    """The API over a read-only open of the store (so several workers can share it).

    One worker: `uvicorn --factory api.app:create_app`. Several: bench.workers (a SO_REUSEPORT TCP socket per
    worker), unless stock=True asks for `uvicorn --workers N` as shipped (see bench.workers for the difference).
    """
    port = free_port()
    if workers > 1 and not stock:
        cmd = [sys.executable, "-m", "bench.workers", "127.0.0.1", str(port), str(workers)]
    else:
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--host", "127.0.0.1"]
        cmd += ["--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    env = {
        "POLICYKG_STORE": str(store),
        "POLICYKG_READ_ONLY": "1",
        "POLICYKG_STORE_URL": "",
        "POLICYKG_QUERY_TIMEOUT": "600",
        "POLICYKG_MAX_RESULTS": "10000000",
    }
    return Process(cmd, f"http://127.0.0.1:{port}", env, wait=120)
