"""Document records → RDF quads in the proposal's named graph. The only place records become RDF."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from loaders.measures import confidence_of
from loaders.records import Actor, Document, Goal, Measure, Stance, Target
from loaders.version import EXTRACTOR_VERSION
from ontology.terms import DCTERMS, ORG, PKG, QB, RDF, RDFS, RELATIONS, XSD, Term, graph_iri

Triple = tuple[str, str, Term]


def lit(value: object, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
    return ox.Literal(str(value))


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def evidence(subject: str, quote: str, line: int) -> Iterator[Triple]:
    yield subject, PKG + "quote", lit(quote)
    yield subject, PKG + "sourceLine", lit(line, "positiveInteger")


def proposal_triples(doc: Document) -> Iterator[Triple]:
    s = doc.iri
    yield s, RDF + "type", iri(PKG + "Proposal")
    yield s, DCTERMS + "title", lit(doc.title)
    yield s, RDFS + "label", lit(doc.title)
    yield s, PKG + "sourceFile", lit(doc.source_file)
    yield s, PKG + "contentHash", lit(doc.content_hash)
    yield s, PKG + "extractorVersion", lit(EXTRACTOR_VERSION)
    yield s, PKG + "lineCount", lit(len(doc.lines), "integer")
    yield from evidence(s, doc.lines[doc.title_line - 1].strip(), doc.title_line)
    if doc.region:
        yield s, PKG + "region", iri(doc.region.iri)
    if doc.period:
        yield s, PKG + "periodStart", lit(doc.period[0], "gYear")
        yield s, PKG + "periodEnd", lit(doc.period[1], "gYear")
    for actor in doc.authors + doc.co_authors:
        yield s, DCTERMS + "creator", iri(actor.iri)
    for person in doc.signatories:
        yield s, PKG + "signatory", iri(person.iri)


def actor_triples(doc: Document, actor: Actor) -> Iterator[Triple]:
    """Parties live in the reference graph; coalitions and persons are described per proposal."""
    s = actor.iri
    if actor.kind == "Coalition":
        yield s, RDF + "type", iri(PKG + "Coalition")
        yield s, RDF + "type", iri(PKG + "Actor")
        yield s, RDFS + "label", lit(actor.label)
        for member in actor.members:
            yield s, ORG + "hasMember", iri(member)
    elif actor.kind in ("Committee", "Region"):  # described in the reference graph; as an author it acts
        yield s, RDF + "type", iri(PKG + "Actor")
    elif actor.kind == "Person":
        yield s, RDF + "type", iri(PKG + "Person")
        yield s, RDF + "type", iri(PKG + "Actor")
        yield s, RDFS + "label", lit(actor.label)
        if actor.member_of:
            yield s, ORG + "memberOf", iri(actor.member_of)
        for role in actor.roles:
            yield s, PKG + "role", lit(role)
        yield from evidence(s, doc.lines[actor.line - 1].strip(), actor.line)


def goal_triples(doc: Document, goal: Goal) -> Iterator[Triple]:
    s = goal.iri
    yield s, RDF + "type", iri(PKG + "Goal")
    yield s, RDFS + "label", lit(goal.label)
    yield s, PKG + "goalLevel", lit(goal.level)
    yield s, PKG + "statedIn", iri(doc.iri)
    if goal.parent:
        yield s, PKG + "parentGoal", iri(goal.parent)
    yield from evidence(s, goal.label, goal.line)


def target_triples(target: Target) -> Iterator[Triple]:
    """Minted services (not in reference data) need their own type and label."""
    if target.kind == "Service":
        yield target.iri, RDF + "type", iri(PKG + "Service")
        yield target.iri, RDFS + "label", lit(target.label)


def measure_triples(doc: Document, m: Measure) -> Iterator[Triple]:
    s = m.iri
    yield s, RDF + "type", iri(PKG + "Measure")
    yield s, RDFS + "label", lit(m.text if len(m.text) <= 120 else m.text[:117] + "…")
    yield s, PKG + "statedIn", iri(doc.iri)
    yield s, PKG + "text", lit(m.text)
    yield s, PKG + "measureKind", lit(m.kind)
    yield s, PKG + "extractedFrom", lit(m.source)
    yield s, PKG + "confidence", lit(confidence_of(m.source), "decimal")
    yield from evidence(s, m.quote or m.text, m.line)
    for actor in m.actors:
        yield s, PKG + "proposedBy", iri(actor)
    relation = PKG + RELATIONS.get(m.relation, "affects")
    yield s, PKG + "effect", iri(relation)
    for target in m.targets:
        yield s, relation, iri(target.iri)
        yield from target_triples(target)
    for place in m.places:
        yield s, PKG + "place", iri(place.iri)
    if m.amount is not None:
        yield s, PKG + "amount", lit(f"{m.amount:.6f}".rstrip("0").rstrip("."), "decimal")
        if m.amount_period:
            yield s, PKG + "amountPeriod", lit(m.amount_period)
    for year, value in m.yearly:
        y = f"{s}/{year}"
        yield s, PKG + "yearlyAmount", iri(y)
        yield y, RDF + "type", iri(PKG + "YearAmount")
        yield y, PKG + "year", lit(year, "gYear")
        yield y, PKG + "amount", lit(f"{value:.6f}".rstrip("0").rstrip("."), "decimal")
    if m.part_of:
        yield s, PKG + "partOf", iri(m.part_of)
    if m.committee:
        yield s, PKG + "committee", iri(m.committee.iri)
    if m.goal:
        yield s, PKG + "servesGoal", iri(m.goal)
        yield s, PKG + "goalLinkMethod", lit(m.goal_method)


def frame_triples(doc: Document, frame) -> Iterator[Triple]:
    """A qb:Observation of a committee's frame for one year, as the proposal states it."""
    committee = frame.committee.iri.rsplit("/", 1)[-1]
    s = f"{doc.iri.replace('/proposal/', '/frame/')}-{committee}-{frame.year}-l{frame.line}"
    yield s, RDF + "type", iri(PKG + "BudgetFrame")
    yield s, RDF + "type", iri(QB + "Observation")
    yield s, QB + "dataSet", iri(doc.iri.replace("/proposal/", "/frames/"))
    yield s, PKG + "statedIn", iri(doc.iri)
    yield s, PKG + "committee", iri(frame.committee.iri)
    yield s, PKG + "year", lit(frame.year, "gYear")
    yield s, PKG + "amount", lit(f"{frame.amount:.6f}".rstrip("0").rstrip("."), "decimal")
    yield from evidence(s, frame.quote, frame.line)


POLARITY = {"supports": "Supports", "opposes": "Opposes", "mixed": "Mixed"}
POLARITY_LABEL = {"supports": "för", "opposes": "emot", "mixed": "blandad"}


def majority_triples(doc: Document, actor: Actor) -> Iterator[Triple]:
    """The majority a proposal speaks of, with the parties it names for it (none when unresolved)."""
    yield actor.iri, RDF + "type", iri(PKG + "Majority")
    yield actor.iri, RDF + "type", iri(PKG + "Actor")
    yield actor.iri, RDFS + "label", lit(actor.label)
    for member in actor.members:
        yield actor.iri, ORG + "hasMember", iri(member)
    if doc.region:
        yield actor.iri, PKG + "inRegion", iri(doc.region.iri)


def stance_triples(doc: Document) -> Iterator[Triple]:
    """Stances (stated, reported, derived) and the majority actors they name."""
    for actor in doc.actors.values():
        if actor.kind == "Majority":
            yield from majority_triples(doc, actor)
    for stance in doc.stances:
        yield from one_stance(doc, stance)


def one_stance(doc: Document, st: Stance) -> Iterator[Triple]:
    s = st.iri
    yield s, RDF + "type", iri(PKG + "Stance")
    yield s, RDFS + "label", lit(f"{POLARITY_LABEL[st.polarity]} {st.about.label} ({st.kind})")
    for holder in st.holders:
        yield s, PKG + "holder", iri(holder)
    yield s, PKG + "polarity", iri(PKG + POLARITY[st.polarity])
    yield s, PKG + "about", iri(st.about.iri)
    yield from target_triples(st.about)
    yield s, PKG + "statedIn", iri(doc.iri)
    yield s, PKG + "stanceKind", lit(st.kind)
    for reporter in st.reported_by:
        yield s, PKG + "reportedBy", iri(reporter)
    if st.derived_from:
        yield s, PKG + "derivedFrom", iri(st.derived_from)
    if st.via == "collective" and st.about.count is not None:
        yield s, PKG + "collectiveCount", lit(st.about.count, "integer")
    if st.via == "collective" and st.about.emergency is not None:
        yield s, PKG + "emergencyCare", lit(str(st.about.emergency).lower(), "boolean")
    yield from evidence(s, st.quote, st.line)


def document_triples(doc: Document) -> Iterator[Triple]:
    yield from proposal_triples(doc)
    for actor in doc.actors.values():
        yield from actor_triples(doc, actor)
    for goal in doc.goals:
        yield from goal_triples(doc, goal)
    for measure in doc.measures:
        yield from measure_triples(doc, measure)
    for frame in doc.frames:
        yield from frame_triples(doc, frame)
    yield from stance_triples(doc)


def to_quads(doc: Document) -> list[ox.Quad]:
    graph = ox.NamedNode(graph_iri(doc.slug))
    seen = set()
    quads = []
    for s, p, o in document_triples(doc):
        quad = ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graph)
        if quad not in seen:
            seen.add(quad)
            quads.append(quad)
    return quads
