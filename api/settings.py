"""Configuration from environment variables (POLICYKG_*) with CLI overrides."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from graph.store import MIN_OPEN_FILES

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_CORPUS = ROOT / "data" / "corpus"
DEFAULT_STORE = ROOT / "var" / "store"
DEFAULT_WORKERS = min(4, max(2, os.cpu_count() or 2))
N = TypeVar("N", int, float)


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _number(name: str, default: str, cast: Callable[[str], N]) -> N:
    """A numeric variable; a value that is not a number is named in the error, not left to a bare int() message."""
    value = os.environ.get(name, default)
    try:
        return cast(value)
    except ValueError:
        kind = "a whole number" if cast is int else "a number"
        raise ValueError(f"{name} must be {kind}, not {value!r}") from None


@dataclass
class Settings:
    store: Path = field(default_factory=lambda: Path(os.environ.get("POLICYKG_STORE", DEFAULT_STORE)))
    store_url: str = field(default_factory=lambda: os.environ.get("POLICYKG_STORE_URL", ""))
    read_only: bool = field(default_factory=lambda: os.environ.get("POLICYKG_READ_ONLY", "") == "1")
    store_open_files: int = field(default_factory=lambda: _number("POLICYKG_STORE_OPEN_FILES", "0", int))
    query_timeout: float = field(default_factory=lambda: _number("POLICYKG_QUERY_TIMEOUT", "10", float))
    max_results: int = field(default_factory=lambda: _number("POLICYKG_MAX_RESULTS", "10000", int))
    cors_origins: list[str] = field(default_factory=lambda: _list(os.environ.get("POLICYKG_CORS_ORIGINS", "")))
    # writes (uploads, removals) need one of these bearer keys; none: writes are off (see api/security.py)
    api_keys: list[str] = field(default_factory=lambda: _list(os.environ.get("POLICYKG_API_KEY", "")))
    allow_anonymous_writes: bool = field(
        default_factory=lambda: os.environ.get("POLICYKG_ALLOW_ANONYMOUS_WRITES", "") == "1"
    )
    max_upload_bytes: int = field(default_factory=lambda: _number("POLICYKG_MAX_UPLOAD", str(5 * 2**20), int))
    # SPARQL worker processes (0: threads, not killable), the queue for a free one, and each client's share of both
    query_workers: int = field(default_factory=lambda: _number("POLICYKG_QUERY_WORKERS", str(DEFAULT_WORKERS), int))
    query_queue: int = field(default_factory=lambda: _number("POLICYKG_QUERY_QUEUE", "-1", int))
    query_per_client: int = field(default_factory=lambda: _number("POLICYKG_QUERY_PER_CLIENT", "-1", int))
    query_memory_mb: int = field(default_factory=lambda: _number("POLICYKG_QUERY_MEMORY_MB", "1024", int))  # per worker

    def __post_init__(self) -> None:
        if self.store_open_files and self.store_open_files < MIN_OPEN_FILES:
            raise ValueError(f"POLICYKG_STORE_OPEN_FILES must be 0 (pyoxigraph's choice) or at least {MIN_OPEN_FILES}")
        slots = self.query_workers or DEFAULT_WORKERS
        if self.query_queue < 0:
            self.query_queue = slots  # unset: as many may wait as run
        if self.query_per_client < 0:
            self.query_per_client = max(1, slots - 1)  # unset: one client never holds every worker
