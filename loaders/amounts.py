"""Swedish money expressions → signed MSEK: "155 miljoner kronor", "22,5 mnkr", "(14 miljoner kr)", "-0,8"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.structure.blocks import SIGN

NUMBER = rf"{SIGN}?\d{{1,3}}(?:[ \u00a0]\d{{3}}){{1,2}}(?:,\d+)?(?!\d)|{SIGN}?\d+(?:[,.]\d+)?"
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
MIN_CLAUSE_SUM = 0.1  # MSEK: smaller sums are fees and per-person figures, stated inside one proposal
CLAUSE_BREAK = re.compile(r"[.,;]\s+|\s(?:och|samt)\s+|\s(?=vilket\s)", re.I)
PART_OPENING = re.compile(r"vilket\s", re.I)  # a clause about the sum before it: a part of that sum
# a breakdown of one sum: "varav …", "(1,9 mkr FOU samt 2,6 mkr …)"
BREAKDOWN = re.compile(r"(?<![\wåäö])varav(?![\wåäö])|\([^)]*\d[^)]*\d[^)]*\)", re.I)
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


def sum_clauses(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that each state one sum of their own: two or more sums (0.1 MSEK and up), the later ones in
    a sentence or clause that names an action before its sum ("… med 55 miljoner kronor. I tillägg satsas 5
    miljoner kronor på …"). A breakdown ("varav", "(1,9 mkr FOU samt 2,6 mkr …)"), a schedule ("7,1 miljoner
    kronor för år 2020 samt 11,7 miljoner kronor för år 2021") and an effect ("vilket motsvarar 6,4 mnkr") stay
    with the sum they belong to."""
    sums = [a for a in money(text) if abs(a.msek) >= MIN_CLAUSE_SUM]
    if len(sums) < 2 or BREAKDOWN.search(text):
        return [(0, len(text))]
    cuts = [0]
    for before, after in zip(sums, sums[1:], strict=False):
        end = before.start + len(before.text)
        breaks = list(CLAUSE_BREAK.finditer(text, end, after.start))
        if breaks and names_action(text[breaks[-1].end() : after.start]):
            cuts.append(breaks[-1].end())
    return list(zip(cuts, [*cuts[1:], len(text)], strict=True))


def names_action(opening: str) -> bool:
    """The words of a clause before its sum name what is done ("I tillägg satsas …"), not only when or how much."""
    from loaders.relations import any_cue, without_non_cues

    return bool(any_cue().search(without_non_cues(opening)))


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


CELL = re.compile(rf"^{SIGN}?\d+(?:[,.]\d+)?%?$")


def cells(text: str) -> tuple[str, list[str]]:
    """Split a table row into its label and trailing numeric cells: "Chefer 451 503 10,34%" → 3 cells.

    A group of exactly three digits after a short group is a thousands group ("3 770" is one cell).
    """
    tokens = text.split()
    found: list[str] = []
    while tokens and CELL.match(tokens[-1]):
        token = tokens.pop()
        if found and re.fullmatch(r"\d{3}(?:,\d+)?", found[-1]) and re.fullmatch(rf"{SIGN}?\d{{1,3}}", token):
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
