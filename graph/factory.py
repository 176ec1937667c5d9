"""Open the configured store: the embedded on-disk store by default, a remote SPARQL server by URL."""

from __future__ import annotations

from pathlib import Path

from graph.store import EmbeddedStore


def open_store(path: Path | None, url: str = "", read_only: bool = False, open_files: int = 0):
    if url:
        from graph.remote import RemoteStore

        return RemoteStore(url)
    return EmbeddedStore(path, read_only=read_only, open_files=open_files)
