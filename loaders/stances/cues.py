"""Polarity cues in a sentence ("återöppna", "nedläggning av", "robusta"), nested ones dropped."""

from __future__ import annotations

from loaders.collective import lexicon
from loaders.lexicons import lowered
from loaders.stances.patterns import compiled
from loaders.stances.records import Cue


def find_cues(text: str, normative: bool | None = None) -> list[Cue]:
    """Polarity cues; descriptive ones ("ökar", "fler") only in a normative sentence."""
    pats = compiled()
    window = lexicon()["negation"]["window"]
    if normative is None:
        normative = bool(pats["normative"].search(text))
    cues = []
    low = lowered(text)
    for polarity in ("supports", "opposes"):
        for form in ("object", "nominal", "passive", "attributive"):
            pattern = pats.get(f"{polarity}.{form}")
            if pattern is None:
                continue
            for match in pattern.finditer(low):
                if not normative and pats["weak"].match(match.group(0)):
                    continue
                before = " ".join(text[: match.start()].split()[-window:])
                negated = bool(pats["negation"].search(before)) and not pats["negation_exception"].search(
                    before + " " + match.group(0)
                )
                cues.append(Cue(match.start(), match.end(), polarity, form, negated))
    return drop_nested(cues)


def drop_nested(cues: list[Cue]) -> list[Cue]:
    """A cue inside a longer cue of the same form is the same cue ("nej till" in "säga nej till"); of another form
    it is another reading ("minska" in "ska minska": object forward, or passive backward), so both stay."""
    kept = []
    for cue in cues:
        inside = any(
            o is not cue
            and o.form == cue.form
            and o.start <= cue.start
            and cue.end <= o.end
            and (o.end - o.start) > (cue.end - cue.start)
            for o in cues
        )
        if not inside:
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)
