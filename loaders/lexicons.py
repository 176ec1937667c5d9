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


def lowered(text: str) -> str:
    """Text in lower case with every offset kept (a character whose lower case is longer stays as it is): lexicon
    words are lower case, and a pattern compiled without IGNORECASE runs two to three times faster in `re`."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
