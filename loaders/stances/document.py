"""A document's stances: stated and reported from its sentences, derived from its measures, and its majority."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from loaders.attribution import section_authors
from loaders.collective import lexicon
from loaders.metadata import doc_region
from loaders.records import Actor, Document, Stance, Target
from loaders.stances.binding import analyse
from loaders.stances.patterns import compiled
from loaders.stances.records import Context
from loaders.stances.sentences import sentence_units
from loaders.stances.voices import is_past, majority_members
from loaders.structure.blocks import dehyphenate_text
from ontology.reference import party_by_notation
from ontology.terms import entity_iri


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
