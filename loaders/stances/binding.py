"""Binding cues to the mentions they govern, sentence by sentence: the findings of one sentence."""

from __future__ import annotations

import bisect
import re

from loaders.collective import lexicon
from loaders.morphology import tokens
from loaders.parties import party_spans
from loaders.stances.cues import find_cues
from loaders.stances.mentions import find_mentions
from loaders.stances.patterns import FLIP, HARD_BOUNDARY, compiled
from loaders.stances.records import Context, Cue, Finding, Mention
from loaders.stances.voices import find_voices
from loaders.structure.blocks import dehyphenate_text


class Sentence:
    """One sentence with its word positions, for word distances and clause boundaries."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [s for _, s, _ in tokens(text)]

    def distance(self, a: int, b: int) -> int:
        """Words starting between character positions a and b."""
        return bisect.bisect_left(self.starts, b) - bisect.bisect_left(self.starts, a)

    def boundary(self, a: int, b: int) -> bool:
        between = self.text[a:b]
        pats = compiled()
        return any(p.search(between) for p in (HARD_BOUNDARY, pats["clause"], pats["unbinding"]))


def governing_cue(sentence: Sentence, mention: Mention, cues: list[Cue], chains: dict[int, int]) -> Cue | None:
    """The nearest cue that reaches the mention, or None.

    `chains` holds, per cue, where the last mention it bound ends: an object or nominal cue goes on to bind a list
    that continues it ("återöppna akutkirurgi, akutortopedi samt BB vid sjukhuset i X").
    """
    lex = lexicon()["binding"]
    before = sentence.text[: mention.start].split()
    shielded = bool(before) and before[-1].lower() in lex["non_binding_before"]
    located = bool(before) and before[-1].lower() in lex["location_prepositions"]
    is_hospital = mention.target.kind == "Hospital"
    best: tuple[int, int, Cue] | None = None
    for index, cue in enumerate(cues):
        if cue.start < mention.end and mention.start < cue.end:  # overlap
            if cue.form == "attributive" and mention.via == "collective":
                distance = 0
            else:
                continue
        elif cue.end <= mention.start:
            if sentence.boundary(cue.end, mention.start):
                continue
            distance = sentence.distance(cue.end, mention.start)
            reach = {
                "attributive": lex["attributive_window"],
                "nominal": lex["nominal_window"],
                "object": lex["object_window"],
            }.get(cue.form, -1)
            if cue.form == "passive" and is_hospital and located:
                reach = lex["location_window"]
            direct = distance <= reach and (
                cue.form not in ("object", "nominal") or noun_phrase_start(sentence.text[cue.end : mention.start])
            )
            if not direct and not continues(sentence, chains.get(index), mention.start):
                continue
        else:  # the cue follows the mention: only passive verbs look back
            if cue.form != "passive" or shielded:
                continue
            distance = sentence.distance(mention.end, cue.start)
            if distance > lex["passive_window"] or sentence.boundary(mention.end, cue.start):
                continue
        if best is None or distance < best[0]:
            best = (distance, index, cue)
    if best is None:
        return None
    if best[2].form in ("object", "nominal"):
        chains[best[1]] = max(chains.get(best[1], 0), mention.end)
    return best[2]


def noun_phrase_start(gap: str) -> bool:
    """Only determiners and adjective-like words between an object cue and its mention ("minska den centrala
    administrationen"), not another noun ("avskaffa remisstvånget till X", "minska skillnaderna i X")."""
    lex = lexicon()["binding"]
    for word, _, _ in tokens(gap):
        word = word.lower()
        if word in lex["np_words"]:
            continue
        if not word.endswith(("a", "e", "s", "t")) or word.endswith(tuple(lex["np_noun_endings"])):
            return False
    return True


def continues(sentence: Sentence, chain_end: int | None, start: int) -> bool:
    """The mention follows the cue's last bound mention closely, as the next item of a list."""
    if chain_end is None or chain_end > start:
        return False
    gap = sentence.text[chain_end:start]
    return sentence.distance(chain_end, start) <= lexicon()["binding"]["chain_gap"] and bool(
        compiled()["chain_gap"].match(gap)
    )


def analyse(text: str, ctx: Context, item: bool = False) -> list[Finding]:
    """The stances one sentence expresses: stated by the authors, or reported about another actor.

    `item`: the sentence is a list item, where "Att …" proposes; in running text "Att avskaffa X var …" judges.
    """
    text = dehyphenate_text(text)
    if compiled()["non_assertive"].search(text):
        return []
    cues = find_cues(text, True)
    weak = [c for c in cues if compiled()["weak"].match(text[c.start : c.end])]
    if weak and not normative(text, ctx):
        cues = [c for c in cues if c not in weak]
    if not cues:
        return []
    mentions = find_mentions(text, ctx.region)
    if not mentions:
        return []
    sentence = Sentence(text)
    voices = find_voices(text, ctx)
    harms = [m.start() for m in compiled()["harm"].finditer(text)]
    findings: list[Finding] = []
    chains: dict[int, int] = {}
    for mention in mentions:
        cue = governing_cue(sentence, mention, cues, chains)
        if cue is None:
            continue
        polarity = cue.polarity
        if cue.negated:
            polarity = FLIP[polarity]
        if mention.problem:
            polarity = FLIP[polarity]
        voice = next((v for v in voices if v.start <= mention.start < v.end and v.start <= cue.start < v.end), None)
        if voice:
            findings.append(Finding(mention.target, polarity, "reported", voice.holders, ctx.authors, mention.via))
            if voice.rejected or any(h >= voice.end for h in harms):
                findings.append(Finding(mention.target, FLIP[polarity], "stated", ctx.authors, [], mention.via))
            continue
        if any(v.start <= cue.start < v.end for v in voices):
            continue  # a cue of someone else's proposal does not speak for the authors
        judged = cue.form == "nominal" or (not item and re.match(r"^\W*att\b", text[: cue.start], re.IGNORECASE))
        if judged and any(h > cue.end for h in harms):
            polarity = FLIP[polarity]
        findings.append(Finding(mention.target, polarity, "stated", ctx.authors, [], mention.via))
    return merge_findings(findings)


def normative(text: str, ctx: Context) -> bool:
    """The sentence proposes rather than describes: a modal or proposing verb, "Att …", or the authors as subject."""
    if compiled()["normative"].search(text):
        return True
    return any(entry.iri in ctx.author_parties for _, _, entry in party_spans(text, ctx.region))


def merge_findings(findings: list[Finding]) -> list[Finding]:
    """One finding per target, kind and holders; both directions in one sentence make it mixed."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.target.iri, f.kind, tuple(f.holders))
        if key in merged:
            if merged[key].polarity != f.polarity:
                merged[key].polarity = "mixed"
            if merged[key].via != "mention" and f.via == "mention":
                merged[key].via = f.via
            continue
        merged[key] = f
    return list(merged.values())
