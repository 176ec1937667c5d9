"""Document metadata from the text: title, region, planning period, authoring parties, signatories."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from itertools import pairwise

from loaders.frames import committee_named
from loaders.gazetteer import gazetteer
from loaders.lexicons import lexicon as load
from loaders.parties import parties_in, party_spans
from loaders.read import slug_for
from loaders.records import Actor, Document, Target
from loaders.structure.blocks import cell_texts, ends_dangling, has_cells
from ontology.reference import Entry, party_by_notation
from ontology.terms import entity_iri

PLAN_NAME = re.compile(
    r"(?i)(?:förslag till )?(?:regionplan|budget|verksamhetsplan)(?: och budget)?(?: för)?(?: år)? "
    r"20\d\d(?:\s*[–-]\s*20\d\d)?(?: (?:samt|och|med) (?:budget|plan)(?: för)? 20\d\d(?:\s*[–-]\s*20\d\d)?)?"
)
SUBTITLE = re.compile(r"^[-–—]\s+")
MAX_STRATEGY_YEARS = 20  # a strategy or vision may span this long; a plan or budget period spans at most five
YEAR_RANGE = re.compile(r"\b(20\d\d)\s*[–—-]\s*(20\d\d)\b")
BUDGET_WITH_PLAN = re.compile(r"\b(20\d\d)\b[^.\n]{0,40}?\bplan\w*\s+(?:för\s+)?(?:år\s+)?(20\d\d)\s*[–—-]\s*(20\d\d)")
NAME = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:[- ][A-ZÅÄÖÉ][a-zåäöéü]+){1,3}"
NAME_PARTY = re.compile(rf"(?P<name>{NAME})\s*\((?P<abbr>[A-ZÅÄÖa-z]{{1,5}})\)")
# "Anna Ek (M)", perhaps with her role after it on the same line ("Anna Ek (M) regionstyrelsens ordförande")
NAME_WITH_PARTY = re.compile(rf"^\s*{NAME_PARTY.pattern}\s*(?P<role>[a-zåäö].{{2,80}})?$")
NAME_ONLY = re.compile(rf"^\s*(?P<name>{NAME})\s*$")
# a row of four or more capitalised words and nothing else: perhaps two-word names side by side over their parties
NAME_WORD = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖÉ][a-zåäöéü]+)?"
NAME_ROW = re.compile(rf"^\s*{NAME_WORD}(?: {NAME_WORD}){{3,}}\s*$")
NAME_WITH_ROLE = re.compile(rf"^\s*(?P<name>{NAME}),\s*(?P<role>[a-zåäö0-9].{{2,80}})$")
GROUP_HEADER = re.compile(r"^\s*(?P<party>[A-ZÅÄÖ][a-zåäö]+(?:\s[A-ZÅÄÖ][a-zåäö]+)?)\s+i\s+\w+:\s*$")


@cache
def lexicon() -> dict:
    return load("metadata")


def title_area(doc: Document) -> list[tuple[int, str]]:
    """The first lines, up to the first numbered chapter after line 1 (the body starts there)."""
    body = next((sec.line for sec in doc.sections if sec.number and sec.line > 1), len(doc.lines) + 1)
    lines = [(n, t.strip()) for n, t in enumerate(doc.lines, start=1) if t.strip() and n < body]
    return lines[: lexicon()["title_area_lines"]]


def detect_title(doc: Document) -> None:
    """A title-area line naming a plan or budget with its years; else the plan's name anywhere in
    the text ("förslag till regionplan 2025-2027 samt budget 2025"); else the first such line."""
    candidates = [
        (n, t) for n, t in title_lines(title_area(doc)) if names_document(t) and len(t) < 160 and not t.endswith(".")
    ]
    dated = [(n, t) for n, t in candidates if YEAR_RANGE.search(t) or re.search(r"20\d\d", t)]
    names = [(n, m.group()) for n, line in enumerate(doc.lines, 1) if (m := PLAN_NAME.search(line))]
    named = max(names, key=lambda pair: len(pair[1]), default=None)  # the fullest naming of the plan
    first = doc.sections[0] if doc.sections else None
    fallback = (first.line, first.title) if first else (1, doc.source_file)
    number, title = (dated or ([named] if named else []) or candidates or [fallback])[0]
    if not dated and not named and first and title in first.title and len(first.title) < 160:
        number, title = fallback  # a heading set over several lines holds the undated title line: take it whole
    doc.title, doc.title_line = shorten_title(title), number


def title_lines(area: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Title-area lines, a title broken before its years joined again ("Regionplan och budget" over "2026–2028"), and
    a title over a subtitle that opens with a dash ("Vårt Gotland 2040" over "- regional utvecklingsstrategi …")."""
    joined = []
    for (number, text), (_, following) in pairwise([*area, (0, "")]):
        named = names_document(text) and not re.search(r"20\d\d", text)
        undated = bool(named) and len(following) < 40
        if undated and (YEAR_RANGE.fullmatch(following) or re.fullmatch(r"20\d\d", following)):
            joined.append((number, f"{text} {following}"))
        elif undated and YEAR_RANGE.search(following):
            joined.append((number, f"{text} – {following}"))
        elif SUBTITLE.match(following) and names_document(following):
            joined.append((number, f"{text} – {SUBTITLE.sub('', following)}"))
        elif named and (ends_dangling(text) or text.endswith("-")) and following[:1].islower():
            joined.append((number, f"{text} {following}"))  # "Målbild och strategi för hälso- och" / "sjukvården 2040"
        joined.append((number, text))
    return joined


def names_document(text: str) -> bool:
    """Whether a line names a kind of steering document ("budget", "regionplan", "utvecklingsstrategi")."""
    return any(word in text.lower() for word in lexicon()["title_words"])


def shorten_title(text: str) -> str:
    """A long title line ends after its year range ("… 2020–2022 har inriktningen att …")."""
    match = YEAR_RANGE.search(text)
    text = text[: match.end()] if match and len(text) > 80 else text
    return text.strip(" :")[0].upper() + text.strip(" :")[1:]


def detect_region(doc: Document) -> None:
    """The region mentioned most, counting hospitals and municipalities as votes for theirs."""
    votes: dict[str, float] = defaultdict(float)
    weights = {"Region": 3.0, "Hospital": 1.0, "Municipality": 0.5}
    finder = gazetteer(("Region", "Hospital", "Municipality"))
    for block in doc.blocks:
        for mention in finder.find(block.text):
            votes[mention.entry.region] += weights[mention.entry.kind]
    if votes:
        slug = max(votes, key=votes.__getitem__)  # the first of equal votes, as mentioned first
        doc.region = Target(entity_iri("region", slug), region_label(slug), "Region")


def region_label(slug: str) -> str:
    from ontology.reference import region_entry

    entry = region_entry(slug)
    return entry.label if entry else slug


def detect_period(doc: Document) -> None:
    """The year range written next to plan/budget words; the title area counts most."""
    scores: Counter[tuple[int, int]] = Counter()
    cues = lexicon()["period_cues"]
    for number, line in enumerate(doc.lines, start=1):
        weight = 5 if number <= 15 else 1
        covered = []
        for match in BUDGET_WITH_PLAN.finditer(line):
            first, last = int(match.group(1)), int(match.group(3))
            if 0 <= int(match.group(2)) - first <= 1 and last - first <= 5:
                scores[(first, last)] += 5 * weight
                covered.append(match.span())
        for match in YEAR_RANGE.finditer(line):
            if any(start <= match.start() < end for start, end in covered):
                continue
            first, last = int(match.group(1)), int(match.group(2))
            near = line[max(0, match.start() - 60) : match.start()].lower()
            if 1 <= last - first <= 5:
                scores[(first, last)] += weight * max((w for cue, w in cues.items() if cue in near), default=0)
            elif last - first <= MAX_STRATEGY_YEARS and number <= 15 and match.group() == line.strip():
                scores[(first, last)] += 1  # a long-term strategy's years alone under its title ("2020 – 2030")
    if scores:
        doc.period = scores.most_common(1)[0][0]
    years = [int(y) for y in re.findall(r"\b20\d\d\b", doc.title)]
    annual = any(word in doc.title.lower() for word in lexicon()["annual_title_words"])
    if annual and len(set(years)) == 1 and not YEAR_RANGE.search(doc.title):
        doc.period = (years[0], years[0])  # an annual plan ("Årsplan och budget 2026") covers its year; a strategy
        # named for the year it aims at ("Vårt Gotland 2040") does not


# --- actors -------------------------------------------------------------------------------------


def party_actor(entry: Entry, line: int = 0) -> Actor:
    return Actor(entry.iri, entry.label, "Party", entry.notation, line=line)


def doc_region(doc: Document) -> str:
    return doc.region.iri.rsplit("/", 1)[-1] if doc.region else ""


def person(name: str, party: Entry | None, role: str, line: int) -> Actor:
    role = role.strip(" ,")
    return Actor(
        entity_iri("person", slug_for(name)),
        name,
        "Person",
        roles=[role] if role else [],
        member_of=party.iri if party else "",
        line=line,
    )


def signatures(doc: Document) -> list[Actor]:
    """Signature blocks: "Name (M)" + role line; name row over party row; "Party i X:" + "Name, role"."""
    found: list[Actor] = []
    lines = doc.lines
    for i, line in enumerate(lines):
        if line.count("(") >= 2 and (row := row_signatures(line, i + 1)):
            found += row  # "Elin Norén (S) Sofia Jarl (C) Birgitta Sacrédeus (KD)"
        elif (match := NAME_WITH_PARTY.match(line)) and (not match["role"] or is_role(match["role"])):
            party = party_by_notation().get(match.group("abbr").upper())
            if party:
                found.append(person(match.group("name"), party, match["role"] or next_role(lines, i), i + 1))
        elif has_cells(line) and i + 1 < len(lines):
            found += column_signatures(line, lines[i + 1], i + 1, doc_region(doc))
        elif NAME_ROW.match(line) and (spaced := spaced_signatures(line, next_line(lines, i), i + 1, doc_region(doc))):
            found += spaced
        elif match := GROUP_HEADER.match(line):
            found += group_signatures(match.group("party"), lines, i, doc_region(doc))
        elif (match := NAME_ONLY.match(line)) and (role := next_role(lines, i)):
            found.append(person(match.group("name"), None, role, i + 1))  # "Roger Byström" over "Gruppledare"
    return found


def first_of_each(people: list[Actor]) -> list[Actor]:
    """A person who signs twice (a party's block, then a joint one) is one signatory, as first named, with every
    role signed under."""
    seen: dict[str, Actor] = {}
    for actor in people:
        first = seen.setdefault(actor.iri, actor)
        first.roles += [r for r in actor.roles if r not in first.roles]
    return list(seen.values())


def next_role(lines: list[str], i: int) -> str:
    following = next((t.strip() for t in lines[i + 1 : i + 3] if t.strip()), "")
    return following if is_role(following) else ""


def is_role(text: str) -> bool:
    """A short text naming an office ("Gruppledare", "regionstyrelsens ordförande"); a role word starts a word ("vice"
    is not in "serviceverksamheter")."""
    return len(text) < 80 and bool(role_word().search(text.lower()))


@cache
def role_word() -> re.Pattern[str]:
    return re.compile(r"(?<![a-zåäö])(?:" + "|".join(map(re.escape, lexicon()["role_words"])) + ")")


def column_signatures(names_line: str, parties_line: str, line: int, region: str) -> list[Actor]:
    names = [n for n in cell_texts(names_line) if n]
    party_names = [p for p in cell_texts(parties_line) if p]
    if len(names) < 2 or len(names) != len(party_names):
        return []
    entries = [parties_in(p, region) for p in party_names]
    if not all(len(e) == 1 and re.fullmatch(NAME, n) for e, n in zip(entries, names, strict=True)):
        return []
    return [person(n, e[0], "", line) for n, e in zip(names, entries, strict=True)]


def row_signatures(line: str, number: int) -> list[Actor]:
    """Two or more "Name (P)" side by side that end the line (a signature table flattened into one line, perhaps
    after a column's text): each name signs for its party."""
    found = list(NAME_PARTY.finditer(line))
    if len(found) < 2 or line[found[-1].end() :].strip():
        return []
    between = [line[a.end() : b.start()] for a, b in pairwise(found)]
    parties = [party_by_notation().get(m["abbr"].upper()) for m in found]
    if any(gap.strip() for gap in between) or not all(parties):
        return []
    return [person(m["name"], p, "", number) for m, p in zip(found, parties, strict=True)]


def next_line(lines: list[str], i: int) -> str:
    return lines[i + 1] if i + 1 < len(lines) else ""


def spaced_signatures(names_line: str, parties_line: str, line: int, region: str) -> list[Actor]:
    """A name row over a party row set with single spaces ("Anna Ek Per Berg" over "Moderaterna Liberalerna"): when
    the party row is nothing but N parties and the name row has 2N words, each pair of words is one party's signer."""
    spans = party_spans(parties_line, region)
    words = names_line.split()
    rest = parties_line
    for start, end, _ in reversed(spans):
        rest = rest[:start] + rest[end:]
    if len(spans) < 2 or len(words) != 2 * len(spans) or rest.strip(" ,"):
        return []
    names = [" ".join(words[k : k + 2]) for k in range(0, len(words), 2)]
    return [person(n, entry, "", line) for n, (_, _, entry) in zip(names, spans, strict=True)]


def group_signatures(party_text: str, lines: list[str], i: int, region: str) -> list[Actor]:
    """ "Kristdemokraterna i Regionfullmäktige:" over "Name, role" lines (wrapped roles between them): each signs for
    that party."""
    found = parties_in(party_text, region)
    if len(found) != 1:
        return []
    out = []
    for j in range(i + 1, min(i + 40, len(lines))):
        if match := NAME_WITH_ROLE.match(lines[j]):
            out.append(person(match.group("name"), found[0], wrapped_role(match.group("role"), lines, j), j + 1))
    return out


def wrapped_role(role: str, lines: list[str], i: int) -> str:
    """A role that ends in "och", "samt" or a comma goes on over the next line ("ledamot och" / "2:e vice ordf. …")."""
    if not re.search(r"(?:\boch|\bsamt|,)\s*$", role):
        return role
    following = next((t.strip() for t in lines[i + 1 : i + 3] if t.strip()), "")
    continues = following and len(following) < 80 and not NAME_WITH_ROLE.match(following)
    return f"{role.strip()} {following}" if continues else role


def detect_authors(doc: Document) -> None:
    """Authors: parties of the signatories, parties and coalitions named in the title area."""
    doc.signatories = first_of_each(signatures(doc))
    signed = [party_by_notation_iri(a.member_of) for a in doc.signatories]
    titled: list[Entry] = []
    coalitions: list[Entry] = []
    for _, text in title_area(doc) + signature_heading(doc):
        titled += parties_in(text, doc_region(doc)) if not doc.signatories else []
        coalitions += [m.entry for m in gazetteer(("Coalition",)).find(text)]
    parties = list(dict.fromkeys([p for p in signed if p] or titled))
    if coalitions:
        doc.authors = [coalition_actor(coalitions[0], parties, doc)]
    else:
        named = [party_actor(p) for p in parties]
        doc.authors = (
            named
            or presenting_authors(doc)
            or party_line_authors(doc)
            or committee_authors(doc)
            or fallback_authors(doc)
            or region_authors(doc)
        )
    doc.co_authors = co_authors(doc)
    for actor in doc.authors + doc.co_authors + doc.signatories:
        doc.actors[actor.iri] = actor


def co_authors(doc: Document) -> list[Actor]:
    """Parties a section heading names beside an author write that section with it ("C, SJVP och KD:s
    gemensamma utgångspunkter" in a KD plan), so they are authors too."""
    own = {a.iri for a in doc.authors if a.kind == "Party"}
    found: dict[str, Actor] = {}
    for section in doc.sections:
        named = parties_in(section.title, doc_region(doc))
        if len(named) >= 2 and own & {e.iri for e in named}:
            found |= {e.iri: party_actor(e, section.line) for e in named if e.iri not in own}
    return list(found.values())


def signature_heading(doc: Document) -> list[tuple[int, str]]:
    """The two lines above the first signature often name the signing group ("Allians för …")."""
    if not doc.signatories:
        return []
    first = min(a.line for a in doc.signatories)
    return [(n, doc.lines[n - 1].strip()) for n in range(max(1, first - 2), first)]


def party_by_notation_iri(iri: str) -> Entry | None:
    return next((e for e in party_by_notation().values() if e.iri == iri), None)


def coalition_actor(entry: Entry, members: list[Entry], doc: Document) -> Actor:
    """A coalition whose members come from the document (signatures) or else reference data."""
    if not members:
        members = [
            party_by_notation()[m] for m in entry.fields.get("members", "").split("|") if m in party_by_notation()
        ]
    for member in members:
        doc.actors[member.iri] = party_actor(member)
    return Actor(entry.iri, entry.label, "Coalition", members=[m.iri for m in members])


def presenting_authors(doc: Document) -> list[Actor]:
    """Parties that present the document in a sentence near its start ("S, KD och V presenterar härmed …")."""
    verbs = lexicon()["presenting_verbs"]
    for block in doc.blocks[: lexicon()["presenting_blocks"]]:
        for sentence in re.split(r"(?<=[.!?])\s+", block.text):
            if any(f" {verb} " in f" {sentence.lower()} " for verb in verbs):
                parties = parties_in(sentence, doc_region(doc))
                if parties:
                    return [party_actor(p, block.line) for p in parties]
    return []


def party_line_authors(doc: Document) -> list[Actor]:
    """A line that holds nothing but two or more party names signs the text above it, as under a
    foreword ("Socialdemokraterna, Vänsterpartiet och Centerpartiet")."""
    last = doc.blocks[min(len(doc.blocks), lexicon()["presenting_blocks"]) - 1].line if doc.blocks else 0
    for number, text in enumerate(doc.lines[:last], start=1):
        mentions = gazetteer(("Party",)).find(text)
        rest = text
        for mention in mentions:
            rest = rest.replace(mention.text, " ")
        if len(mentions) >= 2 and re.fullmatch(r"(?:[\s,&]|och|samt)*", rest):
            return [party_actor(p, number) for p in parties_in(text, doc_region(doc))]
    return []


def committee_authors(doc: Document) -> list[Actor]:
    """A document that names no party but a committee in its title area is that committee's ("Hälso- och
    sjukvårdsnämnd" under "Nämndens årsplan och budget 2026")."""
    for number, text in title_area(doc):
        entry = committee_named(text)
        if entry:
            return [Actor(entry.iri, entry.label, "Committee", entry.notation, line=number)]
    return []


def fallback_authors(doc: Document) -> list[Actor]:
    """With no signatures or title: the party that most often "vill/yrkar/föreslår" in the text."""
    counts: Counter[Entry] = Counter()
    for block in doc.blocks:
        for sentence in re.findall(r"[^.]*\b(?:yrkar|föreslår|vill|anser)\b", block.text):
            counts.update(parties_in(sentence[-80:], doc_region(doc)))
    return [party_actor(counts.most_common(1)[0][0])] if counts else []


def region_authors(doc: Document) -> list[Actor]:
    """A plan that names no party, committee or proposer is the region's own (adopted by its council)."""
    if not doc.region:
        return []
    return [Actor(doc.region.iri, f"Region {doc.region.label}", "Region", line=doc.title_line)]


def detect_metadata(doc: Document) -> Document:
    detect_title(doc)
    detect_region(doc)
    detect_period(doc)
    detect_authors(doc)
    return doc
