"""Shared fixtures: a store built from the bundled corpus, and a real server process over it."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.settings import BUNDLED_CORPUS
from graph.loading import ensure_reference, load_paths
from graph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
TEST_KEY = "test-write-key"  # every test server is started with it (POLICYKG_API_KEY); writes send WRITE_AUTH
WRITE_AUTH = {"Authorization": f"Bearer {TEST_KEY}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rocksdb_option(store_path, name: str) -> str:
    """An option as RocksDB recorded it in the newest OPTIONS file of a store it opened for writing."""
    newest = max(store_path.glob("OPTIONS-*"), key=lambda p: int(p.name.split("-")[1]))
    return next(
        line.split("=", 1)[1] for line in newest.read_text().splitlines() if line.strip().startswith(name + "=")
    )


def build_store(path: Path) -> None:
    """Load the bundled corpus into an on-disk store, then close it so a server can open it."""
    store = EmbeddedStore(path)
    ensure_reference(store)
    load_paths(store, [BUNDLED_CORPUS])
    store.flush()
    del store
    gc.collect()


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "db"
    build_store(path)
    return path


class Server:
    """A `policykg serve` subprocess on a free loopback port, accepting writes with TEST_KEY."""

    def __init__(self, store: Path, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cli = [sys.executable, "-m", "api.cli", "serve", "--store", str(store), "--port", str(self.port)]
        self.process = subprocess.Popen(
            cli,
            cwd=ROOT,
            env={**os.environ, "POLICYKG_API_KEY": TEST_KEY, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.wait()

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode()}")
            try:
                if httpx.get(self.url + "/", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("server did not start within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def server(store_dir):
    srv = Server(store_dir, {"POLICYKG_QUERY_TIMEOUT": "5", "POLICYKG_MAX_RESULTS": "5000"})
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http
