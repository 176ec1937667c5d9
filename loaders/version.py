"""Which code made a graph: a digest of everything that turns text into triples, so a store re-extracts an
unchanged document once the code, a lexicon or the reference data has changed (inference keeps its own digest)."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (
    "loaders/**/*.py",
    "loaders/lexicon/*.toml",
    "ontology/reference/*.csv",
    "ontology/reference.py",
    "ontology/terms.py",
)


def source_digest(patterns: tuple[str, ...]) -> str:
    """16 hex digits over the names and bytes of the project files matching the glob patterns."""
    digest = hashlib.sha256()
    for path in sorted({p for pattern in patterns for p in ROOT.glob(pattern)}):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


EXTRACTOR_VERSION = source_digest(SOURCES)
