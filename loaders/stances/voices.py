"""Who speaks in a sentence: the authors, a party or coalition named, or the majority ("majoriteten")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.collective import lexicon
from loaders.gazetteer import gazetteer
from loaders.parties import party_spans
from loaders.stances.patterns import HARD_BOUNDARY, compiled
from loaders.stances.records import Context, Voice
from ontology.reference import party_by_notation


@dataclass
class ActorSpan:
    start: int
    end: int
    holders: list[str]


LIST_GAP = re.compile(r"^\s*(?:,|och|samt|eller|&)?\s*(?:,|och|samt)?\s*$", re.IGNORECASE)


def party_lists(text: str, region: str) -> list[ActorSpan]:
    """Consecutive party names ("Socialdemokraterna, Moderaterna och Centerpartiet") as one span."""
    lists: list[ActorSpan] = []
    for start, end, entry in party_spans(text, region):
        if lists and LIST_GAP.match(text[lists[-1].end : start]):
            lists[-1].end = end
            if entry.iri not in lists[-1].holders:
                lists[-1].holders.append(entry.iri)
        else:
            lists.append(ActorSpan(start, end, [entry.iri]))
    return lists


def coalition_members(text: str) -> list[str]:
    for m in gazetteer(("Coalition",)).find(text):
        members = [party_by_notation().get(n.upper()) for n in m.entry.fields.get("members", "").split("|")]
        return [p.iri for p in members if p]
    return []


def majority_members(text: str, match: re.Match[str], region: str) -> list[str]:
    """The parties a majority word names: its coalition ("den rödgröna majoriteten") or a list right after it."""
    named = coalition_members(match.group(0))
    if named:
        return named
    gap = lexicon()["actors"]["member_gap"]
    for span in party_lists(text[match.end() :], region):
        if len(text[match.end() : match.end() + span.start].split()) <= gap:
            return span.holders
        break
    return []


def is_past(sentence: str, match: re.Match[str], period_start: int | None) -> bool:
    """A majority of earlier mandate periods ("den dåvarande majoriteten", "… 2014 – 2018")."""
    if compiled()["past"].search(sentence[max(0, match.start() - 40) : match.end()]):
        return True
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", sentence)]
    return bool(period_start and years and min(years) < period_start - 1)


def majority_spans(text: str, ctx: Context) -> list[ActorSpan]:
    """Mentions of the majority that are not the authors speaking of themselves."""
    out = []
    for match in compiled()["majority"].finditer(text):
        if compiled()["first_person"].search(text[: match.start()]):
            continue
        named = majority_members(text, match, ctx.region)
        end = match.end()
        if named and not coalition_members(match.group(0)):
            lists = party_lists(text[match.end() :], ctx.region)
            end = match.end() + lists[0].end if lists else end
        if named and set(named) <= ctx.author_parties:
            continue
        if is_past(text, match, ctx.period_start) or named and ctx.majority and set(named) != set(ctx.majority.members):
            holders = named
        else:
            holders = [ctx.majority.iri] if ctx.majority else named
        if ctx.majority and set(ctx.majority.members) and set(ctx.majority.members) <= ctx.author_parties:
            continue  # the authors are the majority
        if holders:
            out.append(ActorSpan(match.start(), end, holders))
    return out


def other_actors(text: str, ctx: Context) -> list[ActorSpan]:
    """Majorities, coalitions and parties named in the sentence that are not the authors."""
    spans = majority_spans(text, ctx)

    def covered(start: int) -> bool:
        return any(s.start <= start < s.end for s in spans)

    for m in gazetteer(("Coalition",)).find(text):
        if covered(m.start):
            continue
        members = coalition_members(m.text)
        if members and set(members) <= ctx.author_parties:
            continue
        spans.append(ActorSpan(m.start, m.end, [m.entry.iri]))
    for span in party_lists(text, ctx.region):
        if covered(span.start):
            continue
        others = [p for p in span.holders if p not in ctx.author_parties]
        if others:
            spans.append(ActorSpan(span.start, span.end, others))
    return sorted(spans, key=lambda s: s.start)


def find_voices(text: str, ctx: Context) -> list[Voice]:
    """Stretches where another actor's proposal is reported: "X föreslår att …", "Xs förslag om …"."""
    pats = compiled()
    voices = []
    for actor in other_actors(text, ctx):
        after = text[actor.end :]
        start = None
        if match := pats["proposal_after"].match(after):
            start = actor.end + match.end()
        elif pats["proposal_before"].search(text[: actor.start]):
            tail = re.match(r"^\W*(?:om|att|till)\b", after, re.IGNORECASE)
            start = actor.end + (tail.end() if tail else 0)
        elif match := pats["report_verb"].match(after):
            start = actor.end + match.end()
        if start is None:
            continue
        end = clause_end(text, start)
        rejected = bool(pats["rejection"].search(text[max(0, actor.start - 40) : actor.start]))
        voices.append(Voice(start, end, actor.holders, rejected))
    return voices


def clause_end(text: str, start: int) -> int:
    pats = compiled()
    ends = [m.start() for m in pats["clause"].finditer(text, start)]
    ends += [m.start() for m in HARD_BOUNDARY.finditer(text, start)]
    return min(ends, default=len(text))
