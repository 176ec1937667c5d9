"""One loader for the word lists and patterns in loaders/lexicon/*.toml, one file per pipeline step."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent / "lexicon"


@cache
def lexicon(name: str) -> dict:
    """The parsed loaders/lexicon/{name}.toml; read once per process."""
    return tomllib.loads((FOLDER / f"{name}.toml").read_text("utf-8"))
