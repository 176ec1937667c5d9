"""Configuration from environment variables (POLICYKG_*) with CLI overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_CORPUS = ROOT / "data" / "corpus"
DEFAULT_STORE = ROOT / "var" / "store"


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@dataclass
class Settings:
    store: Path = field(default_factory=lambda: Path(os.environ.get("POLICYKG_STORE", DEFAULT_STORE)))
    store_url: str = field(default_factory=lambda: os.environ.get("POLICYKG_STORE_URL", ""))
    read_only: bool = field(default_factory=lambda: os.environ.get("POLICYKG_READ_ONLY", "") == "1")
    query_timeout: float = field(default_factory=lambda: float(os.environ.get("POLICYKG_QUERY_TIMEOUT", "10")))
    max_results: int = field(default_factory=lambda: int(os.environ.get("POLICYKG_MAX_RESULTS", "10000")))
    cors_origins: list[str] = field(default_factory=lambda: _list(os.environ.get("POLICYKG_CORS_ORIGINS", "*")))
    max_upload_bytes: int = field(default_factory=lambda: int(os.environ.get("POLICYKG_MAX_UPLOAD", str(5 * 2**20))))
