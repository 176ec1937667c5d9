"""Characters a conversion writes in place of plain ones, made plain for every format: composed letters (NFC: "å",
not "a" and a combining ring), typographic ligatures spelled out ("ﬁ" → "fi"), every kind of space a space, hyphen
look-alikes a hyphen, invisible format characters (zero-width spaces, joiners, direction marks) dropped, trailing
spaces dropped; a soft hyphen ending a line is the hyphen of a word broken there, elsewhere it is dropped. Without
this a party name, a hospital or a thousands group written with one such character is not recognised
(docs/evaluation-changelog.md)."""

from __future__ import annotations

import unicodedata
from functools import cache

SOFT_HYPHEN = "\u00ad"
HYPHENS = "\u2010\u2011"  # HYPHEN, NON-BREAKING HYPHEN; the en and em dashes are punctuation of their own
LIGATURES = range(0xFB00, 0xFB07)  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ


@cache
def plain_table() -> dict[int, str | None]:
    """str.translate table: spaces (Unicode Zs) → " ", format characters (Cf) → nothing, hyphens → "-", ligatures →
    their letters."""
    table: dict[int, str | None] = {}
    for code in [*range(0x10000), *range(0xE0000, 0xE0080)]:  # every space and format character but a few rare ones
        category = unicodedata.category(chr(code))
        if category == "Zs" and code != 0x20:
            table[code] = " "
        elif category == "Cf" and chr(code) != SOFT_HYPHEN:
            table[code] = None
    table |= {ord(h): "-" for h in HYPHENS}
    table |= {code: unicodedata.normalize("NFKC", chr(code)) for code in LIGATURES}
    return table


def plain_line(line: str) -> str:
    text = unicodedata.normalize("NFC", line).translate(plain_table())
    stripped = text.rstrip()
    if stripped.endswith(SOFT_HYPHEN):
        text = stripped[:-1] + "-"
    return text.replace(SOFT_HYPHEN, "").rstrip(" ")  # trailing spaces say nothing and skew line widths


def plain_lines(lines: list[str]) -> list[str]:
    """Every line with its characters made plain; the count of lines is kept, so line numbers stay those of the
    source."""
    return [plain_line(line) for line in lines]
