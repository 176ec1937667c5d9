"""Stances: who is for or against which hospital, service or concept, with the sentence that says so.

Three kinds, never mixed up:
- stated: the authors' own position, from a sentence of their proposal ("Regionen ska ha tre akutsjukhus …");
- reported: what the authors say another actor wants ("majoritetens förslag om nedläggning av …"); the holder is
  the actor spoken about, pkg:reportedBy the authors. "majoriteten" becomes a pkg:Majority actor of the proposal,
  with the parties the document names for it (or none, labelled as not named);
- derived: implied by a measure that funds/reopens/establishes (for) or cuts/closes (against) something.

Polarity comes from cue words in loaders/lexicon/stances.toml. A cue binds the mentions it governs: an object cue
the mentions after it ("återöppna X"), a passive verb the mentions before it ("X ska återöppnas"), an attributive
adjective the noun right after it ("robusta akutsjukhus"). A negation before a cue flips it; so do the authors'
harm words after a nominal cue ("en nedläggning av X skulle leda till …"): they argue against it, so for X.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from loaders.attribution import section_authors
from loaders.collective import collective_references, hospital_in_town, hospital_services, lexicon
from loaders.gazetteer import gazetteer
from loaders.metadata import doc_region
from loaders.morphology import tokens
from loaders.records import Actor, Document, Stance, Target
from loaders.structure.blocks import dehyphenate_text
from ontology.reference import Entry, party_by_notation
from ontology.terms import entity_iri

FLIP = {"supports": "opposes", "opposes": "supports", "mixed": "mixed"}
HARD_BOUNDARY = re.compile(r"[;:!?()\[\]•–—]|\.(?=\s|$)")


# --- patterns -------------------------------------------------------------------------------------------


def words(patterns: list[str]) -> str:
    return r"\b(?:" + "|".join(patterns) + r")\b"


@cache
def compiled() -> dict[str, re.Pattern[str]]:
    lex = lexicon()
    flags = re.IGNORECASE
    out = {
        "negation": re.compile(words(lex["negation"]["words"]), flags),
        "negation_exception": re.compile(words(lex["negation"]["exceptions"]), flags),
        "harm": re.compile(words(lex["harm"]["words"]), flags),
        "rejection": re.compile(words(lex["harm"]["rejection"]), flags),
        "majority": re.compile(lex["actors"]["majority"], flags),
        "past": re.compile(words(lex["actors"]["past_markers"]), flags),
        "report_verb": re.compile(
            r"^\W*(?:\w+\W+){0,N}?".replace("N", str(lex["actors"]["report_window"]))
            + words(lex["actors"]["report_verbs"]),
            flags,
        ),
        "proposal_after": re.compile(lex["actors"]["proposal_after"], flags),
        "proposal_before": re.compile(lex["actors"]["proposal_before"], flags),
        "first_person": re.compile(words(lex["actors"]["first_person"]) + r"\W*$", flags),
        "clause": re.compile(
            r",\s*" + words(lex["binding"]["clause_words"]) + "|" + words(lex["binding"]["clause_openers"]), flags
        ),
        "abbreviation": re.compile(
            r"(?:^|\s)(?:" + "|".join(re.escape(a.rstrip(".")) for a in lex["sentences"]["abbreviations"]) + r")$",
            flags,
        ),
    }
    mood = lex["mood"]
    out["weak"] = re.compile(r"^(?:" + "|".join(mood["weak_cues"]) + r")\b", flags)
    out["exclude_mention"] = re.compile(r"^(?:" + "|".join(lex["mentions"]["exclude"]) + ")", flags)
    out["normative"] = re.compile(words(mood["normative_words"]) + r"|^\W*" + words(mood["normative_openers"]), flags)
    out["non_assertive"] = re.compile(r"^\W*" + words(mood["non_assertive_openers"]) + r"|\?\s*$", flags)
    out["unbinding"] = re.compile(words(lex["binding"]["unbinding_words"]), flags)
    out["chain_gap"] = re.compile(r"^[\s,/&-]*(?:" + words(lex["binding"]["chain_words"]) + r"[\s,/&-]*)*$", flags)
    for polarity in ("supports", "opposes"):
        for form in ("object", "nominal", "passive", "attributive"):
            patterns = lex["cues"][polarity].get(form, [])
            if patterns:
                out[f"{polarity}.{form}"] = re.compile(words(patterns), flags)
    return out


def is_problem(mention: str) -> bool:
    """ "överbeläggningar", "köerna": a mention that names the lack of what its concept stands for."""
    word = mention.split()[-1].lower() if mention.split() else ""
    return any(word.startswith(term) for term in lexicon()["problems"]["terms"])


# --- sentences ------------------------------------------------------------------------------------------

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')]*\s+(?=[\"”(]?[A-ZÅÄÖÉ0-9•])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; a period after an abbreviation ("t.ex.", "ca.") does not end one."""
    out: list[str] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        head = text[start : match.start()].rstrip("\"”')").rstrip(".!?")
        if compiled()["abbreviation"].search(head) or re.search(r"(?:^|\s)\w$", head):
            continue
        out.append(text[start : match.start()].strip())
        start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def locate(lines: list[str], first: int, sentence: str) -> int:
    """The 1-based physical line a sentence starts on, searching from line `first` onward (a sentence may start at
    the end of a line and go on after a line break, or after blank lines)."""
    prefix = squash(sentence)[:30]
    for j in range(first - 1, min(len(lines), first + 400)):
        if prefix in lines[j]:
            return j + 1
        following = next((lines[k] for k in range(j + 1, min(len(lines), j + 4)) if lines[k]), "")
        joined = lines[j] + " " + following
        at = joined.find(prefix)
        if 0 <= at < len(lines[j]):
            return j + 1
    return first


def sentence_units(doc: Document) -> Iterator[tuple[str, int, bool, int]]:
    """(verbatim sentence, 1-based start line, from a list item, section) for every paragraph, item, heading, row."""
    lines = [squash(line) for line in doc.lines]
    limit = lexicon()["sentences"]["max_words"]
    for block in doc.blocks:
        raw = block.raw or block.text
        line = block.line
        for sentence in split_sentences(raw):
            if len(sentence.split()) > limit:
                continue
            line = locate(lines, line, sentence)
            yield sentence, line, block.kind == "item", block.section


# --- records of one sentence ------------------------------------------------------------------------------


@dataclass
class Cue:
    start: int
    end: int
    polarity: str
    form: str  # object | nominal | passive | attributive
    negated: bool = False


@dataclass
class Mention:
    start: int
    end: int
    target: Target
    via: str = "mention"  # mention | collective | place
    problem: bool = False


@dataclass
class Voice:
    """A stretch of a sentence that reports another actor's proposal."""

    start: int
    end: int
    holders: list[str]
    rejected: bool = False  # the authors reject it before naming it ("nej till majoritetens förslag")


@dataclass
class Finding:
    target: Target
    polarity: str
    kind: str
    holders: list[str]
    reported_by: list[str] = field(default_factory=list)
    via: str = "mention"


@dataclass
class Context:
    """What a sentence needs to know about its document."""

    region: str
    authors: list[str]
    author_parties: set[str]
    majority: Actor | None = None
    period_start: int | None = None


# --- cues -------------------------------------------------------------------------------------------------


def find_cues(text: str, normative: bool | None = None) -> list[Cue]:
    """Polarity cues; descriptive ones ("ökar", "fler") only in a normative sentence."""
    pats = compiled()
    window = lexicon()["negation"]["window"]
    if normative is None:
        normative = bool(pats["normative"].search(text))
    cues = []
    for polarity in ("supports", "opposes"):
        for form in ("object", "nominal", "passive", "attributive"):
            pattern = pats.get(f"{polarity}.{form}")
            if pattern is None:
                continue
            for match in pattern.finditer(text):
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


# --- mentions ---------------------------------------------------------------------------------------------


def find_mentions(text: str, region: str) -> list[Mention]:
    """Hospitals and concepts named in the sentence, collective references, and hospital services "i <ort>"."""
    refs = collective_references(text, region)
    out: list[Mention] = []
    for ref in refs:
        for hospital in ref.hospitals:
            out.append(
                Mention(
                    ref.start,
                    ref.end,
                    Target(hospital.iri, hospital.label, "Hospital", ref.text, ref.count, ref.emergency),
                    "collective",
                )
            )
        if ref.emergency:
            slug = lexicon()["collective"]["emergency_concept"]
            concept = concept_entry(slug)
            if concept:
                out.append(
                    Mention(ref.start, ref.end, Target(concept.iri, concept.label, "Concept", ref.text), "collective")
                )
    seen = {(m.start, m.target.iri) for m in out}
    places = []
    for m in gazetteer(("Hospital", "Concept", "Municipality")).find(text):
        if any(r.start <= m.start < r.end or m.start <= r.start < m.end for r in refs):
            continue
        if (m.start, m.entry.iri) in seen or compiled()["exclude_mention"].match(text[m.start :]):
            continue
        seen.add((m.start, m.entry.iri))
        if m.entry.kind == "Municipality":
            places.append(m)
            continue
        if m.entry.kind == "Hospital" and m.entry.region != region and not names_hospital(m.text):
            continue  # "akademisk" is not Akademiska sjukhuset of another region
        problem = is_problem(m.text)
        out.append(
            Mention(m.start, m.end, Target(m.entry.iri, m.entry.label, m.entry.kind, m.text), "mention", problem)
        )
    out += place_hospitals(text, region, places, out)
    return sorted(out, key=lambda m: (m.start, m.target.iri))


def names_hospital(text: str) -> bool:
    nouns = lexicon()["collective"]["nouns"]
    return bool(re.search(r"(?:" + "|".join(nouns) + r")\b", text, re.IGNORECASE)) or text.isupper()


@cache
def concept_entry(slug: str) -> Entry | None:
    from ontology.reference import concepts

    return next((c for c in concepts() if c.iri.endswith("/" + slug)), None)


def place_hospitals(text: str, region: str, places, mentions: list[Mention]) -> list[Mention]:
    """ "BB och kvinnosjukvården i Sollefteå" → the hospital in Sollefteå, when the region has one there."""
    lex = lexicon()
    services = hospital_services()
    out = []
    for place in places:
        before = text[: place.start].split()
        if not before or before[-1].lower() not in lex["binding"]["location_prepositions"]:
            continue
        hospital = hospital_in_town(region, place.entry.label)
        if hospital is None:
            continue
        window = lex["collective"]["place_window"]
        near = [
            m
            for m in mentions
            if m.target.iri in services and m.end <= place.start and len(text[m.end : place.start].split()) <= window
        ]
        if near:
            out.append(
                Mention(place.start, place.end, Target(hospital.iri, hospital.label, "Hospital", place.text), "place")
            )
    return out


# --- who speaks ---------------------------------------------------------------------------------------------


@dataclass
class ActorSpan:
    start: int
    end: int
    holders: list[str]


def party_spans(text: str, region: str) -> list[tuple[int, int, Entry]]:
    """Parties named in the text with their positions (names, and bare abbreviations such as "S, V och Mp")."""
    found = []
    for m in gazetteer(("Party",)).find(text):
        if not m.entry.region or not region or m.entry.region == region:
            found.append((m.start, m.end, m.entry))
    for match in re.finditer(r"(?<![\wÅÄÖåäö-])([A-ZÅÄÖ][A-ZÅÄÖa-z]{0,4})(?=[\s,):]|:s|$)", text):
        abbr = match.group(1)
        entry = party_by_notation().get(abbr.upper())
        if entry and (abbr.isupper() or abbr == "Mp") and not any(s <= match.start() < e for s, e, _ in found):
            found.append((match.start(), match.end(), entry))
    found.sort(key=lambda f: f[0])
    unique = []
    for span in found:
        if unique and span[0] < unique[-1][1]:
            continue
        unique.append(span)
    return unique


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


# --- binding cues to mentions ------------------------------------------------------------------------------


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


# --- the document ------------------------------------------------------------------------------------------


def author_parties(doc: Document) -> set[str]:
    parties: set[str] = set()
    for actor in doc.authors:
        parties |= set(actor.members) or {actor.iri}
    return parties


def resolve_majority(doc: Document) -> Actor | None:
    """A pkg:Majority for the proposal when it speaks of "majoriteten": with the parties it names most often for
    the present majority, or none (labelled "ej namngiven")."""
    region = doc_region(doc)
    pats = compiled()
    counts: Counter[tuple[str, ...]] = Counter()
    mentioned = False
    start = doc.period[0] if doc.period else None
    for sentence, _, _, _ in sentence_units(doc):
        text = dehyphenate_text(sentence)
        for match in pats["majority"].finditer(text):
            if pats["first_person"].search(text[: match.start()]):
                continue
            mentioned = True
            if is_past(text, match, start):
                continue
            members = majority_members(text, match, region)
            if members:
                counts[tuple(members)] += 1
    if not mentioned or not region:
        return None
    members = list(counts.most_common(1)[0][0]) if counts else []
    if members and set(members) <= author_parties(doc):
        return None  # the authors are the majority they speak of
    region_name = doc.region.label if doc.region else region
    order = {e.iri: n for n, e in party_by_notation().items()}
    notations = [order[m] for m in members if m in order]
    label = f"Majoriteten i Region {region_name}" + (f" ({', '.join(notations)})" if notations else " (ej namngiven)")
    return Actor(entity_iri("majority", doc.slug), label, "Majority", members=members)


def context(doc: Document, majority: Actor | None) -> Context:
    return Context(
        region=doc_region(doc),
        authors=[a.iri for a in doc.authors],
        author_parties=author_parties(doc),
        majority=majority,
        period_start=doc.period[0] if doc.period else None,
    )


def section_context(doc: Document, ctx: Context, section: int) -> Context:
    """Under a heading that names several parties ("C, SJVP och KD:s gemensamma …") those parties speak."""
    named = section_authors(doc, section) if section >= 0 else []
    if not named or set(named) == set(ctx.authors):
        return ctx
    return replace(ctx, authors=named, author_parties=ctx.author_parties | set(named))


def targets_of_line(doc: Document, line: int) -> list[Target]:
    return [t for m in doc.measures if m.line == line for t in m.targets]


def derived_stances(doc: Document, stated: set[tuple[int, str]]) -> list[Stance]:
    """Measures that fund/reopen/establish (for) or cut/close (against) a service imply a stance."""
    lex = lexicon()["derived"]
    out = []
    for measure in doc.measures:
        polarity = (
            "supports"
            if measure.relation in lex["supports"]
            else ("opposes" if measure.relation in lex["opposes"] else None)
        )
        if polarity is None:
            continue
        for target in measure.targets:
            if target.kind not in lex["target_kinds"] or (measure.line, target.iri) in stated:
                continue
            out.append(
                Stance(
                    "",
                    target,
                    polarity,
                    "derived",
                    measure.quote or measure.text,
                    measure.line,
                    list(measure.actors) or [a.iri for a in doc.authors],
                    [],
                    measure.iri,
                    "measure",
                )
            )
    return out


def extract_stances(doc: Document) -> Document:
    """Pipeline step: stated and reported stances from every sentence, then derived ones from the measures."""
    if not doc.authors:
        return doc
    majority = resolve_majority(doc)
    if majority:
        doc.actors[majority.iri] = majority
    ctx = context(doc, majority)
    stances: list[Stance] = []
    seen = set()
    contexts: dict[int, Context] = {}
    for sentence, line, item, section in sentence_units(doc):
        if section not in contexts:
            contexts[section] = section_context(doc, ctx, section)
        for f in analyse(sentence, contexts[section], item):
            key = (line, sentence, f.target.iri, f.kind, tuple(f.holders), f.polarity)
            if key in seen:
                continue
            seen.add(key)
            stances.append(
                Stance("", f.target, f.polarity, f.kind, sentence, line, f.holders, f.reported_by, "", f.via)
            )
    stated = {(s.line, s.about.iri) for s in stances}
    # a measure read from a sentence that reports another actor's proposal is not the authors' position
    stated |= {(s.line, m.iri) for s in stances if s.kind == "reported" for m in targets_of_line(doc, s.line)}
    stances += derived_stances(doc, stated)
    counters: Counter[int] = Counter()
    for stance in stances:
        counters[stance.line] += 1
        stance.iri = entity_iri("stance", f"{doc.slug}-l{stance.line}-{counters[stance.line]}")
    doc.stances = stances
    return doc
