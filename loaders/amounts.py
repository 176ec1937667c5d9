"""Swedish money expressions → signed MSEK: "155 miljoner kronor", "22,5 mnkr", "(14 miljoner kr)", "-0,8"."""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER = r"[-−–]?\d{1,3}(?:[ \u00a0]\d{3}){1,2}(?:,\d+)?(?!\d)|[-−–]?\d+(?:[,.]\d+)?"
UNITS = {
    "miljarder": 1000.0,
    "miljard": 1000.0,
    "mdkr": 1000.0,
    "mdr": 1000.0,
    "mrd": 1000.0,
    "miljoner": 1.0,
    "miljon": 1.0,
    "mnkr": 1.0,
    "mkr": 1.0,
    "msek": 1.0,
    "mnkr.": 1.0,
    "mn": 1.0,
    "tkr": 0.001,
    "tusen": 0.001,
    "kr": 0.000001,
    "kronor": 0.000001,
}
MONEY = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>miljarder|miljard|mdkr|mdr|mrd|miljoner|miljon|mnkr|mkr|msek|mn|tkr|tusen|kronor|kr)\b"
    r"(?:\s+(?:kronor|kr))?",
    re.I,
)
PERIOD = re.compile(r"\b(?:under|för|år|per år|till)?\s*(20\d\d)(?:\s*[–—-]\s*(20\d\d))?")
PER_YEAR = re.compile(r"per år|årligen|/år", re.I)


@dataclass(frozen=True)
class Amount:
    msek: float  # signed as written
    text: str
    start: int


def to_float(text: str) -> float:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return float(cleaned.replace("−", "-").replace("–", "-"))


def money(text: str) -> list[Amount]:
    """Every money expression with a unit, converted to MSEK."""
    found = []
    for match in MONEY.finditer(text):
        unit = match.group("unit").lower()
        if unit in ("kr", "kronor") and re.match(r"\s*per\s+skattekrona", text[match.end() :]):
            continue
        value = to_float(match.group("num")) * UNITS[unit]
        found.append(Amount(round(value, 6), match.group(), match.start()))
    return found


def main_amount(text: str) -> Amount | None:
    """The amount a measure is about: a parenthesised or "totalt" figure beats a per-person one."""
    found = money(text)
    if not found:
        return None
    for amount in found:
        before = text[max(0, amount.start - 12) : amount.start].lower()
        if "(" in before[-2:] or "total" in before:
            return amount
    plain = [a for a in found if "per " not in text[a.start : a.start + len(a.text) + 20].lower()]
    return (plain or found)[0]


def sign_hint(text: str, amount: Amount) -> int:
    """-1 or +1 when the words just before the amount say saving or spending, else 0."""
    from loaders.relations import lexicon

    before = text[max(0, amount.start - 45) : amount.start].lower()
    signs = lexicon()["amount_signs"]
    if any(cue in before for cue in signs["negative"]):
        return -1
    return 1 if any(cue in before for cue in signs["positive"]) else 0


CELL = re.compile(r"^[-−–]?\d+(?:[,.]\d+)?%?$")


def cells(text: str) -> tuple[str, list[str]]:
    """Split a table row into its label and trailing numeric cells: "Chefer 451 503 10,34%" → 3 cells.

    A group of exactly three digits after a short group is a thousands group ("3 770" is one cell).
    """
    tokens = text.split()
    found: list[str] = []
    while tokens and CELL.match(tokens[-1]):
        token = tokens.pop()
        if found and re.fullmatch(r"\d{3}(?:,\d+)?", found[-1]) and re.fullmatch(r"[-−–]?\d{1,3}", token):
            found[-1] = token + found[-1]
        else:
            found.append(token)
    return " ".join(tokens), list(reversed(found))


def period_near(text: str, start: int) -> str:
    """The year or year range written after an amount ("under planperioden 2025 – 2027")."""
    match = PERIOD.search(text, start, start + 90)
    if not match:
        return "per year" if PER_YEAR.search(text[start : start + 60]) else ""
    return f"{match.group(1)}-{match.group(2)}" if match.group(2) else match.group(1)
