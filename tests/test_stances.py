"""Stances, claims about others, collective hospital references, conflicts and stance changes.

Unit tests run on sentences and a small proposal written for these tests (Region Dalarna and Gävleborg, which the
bundled corpus does not cover); the corpus tests go through a real server (HTTP API and /sparql).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import BUNDLED_CORPUS
from graph.inference import StanceRow, changes, conflicts, positions
from graph.loading import ensure_reference, load_bytes, remove_proposal
from graph.store import EmbeddedStore
from loaders.collective import collective_references
from loaders.pipeline import extract
from loaders.records import Actor
from loaders.stances.binding import analyse
from loaders.stances.records import Context
from loaders.structure.sentences import split
from ontology.terms import PKG, entity_iri, inferred_graph, is_inferred_graph

ID = "https://w3id.org/policykg/id/"
PARTY = {
    abbr: f"{ID}party/{slug}"
    for abbr, slug in [
        ("S", "socialdemokraterna"),
        ("M", "moderaterna"),
        ("C", "centerpartiet"),
        ("L", "liberalerna"),
        ("KD", "kristdemokraterna"),
        ("V", "vansterpartiet"),
        ("MP", "miljopartiet"),
        ("SJVP", "sjukvardspartiet-vasternorrland"),
    ]
}
HOSPITAL = {
    name: f"{ID}hospital/{slug}"
    for name, slug in [
        ("Falun", "falu-lasarett"),
        ("Mora", "mora-lasarett"),
        ("Avesta", "avesta-lasarett"),
        ("Ludvika", "ludvika-lasarett"),
        ("Sollefteå", "solleftea-sjukhus"),
        ("Sundsvall", "sundsvalls-sjukhus"),
        ("Örnsköldsvik", "ornskoldsviks-sjukhus"),
        ("NUS", "nus"),
        ("Skellefteå", "skelleftea-lasarett"),
        ("Lycksele", "lycksele-lasarett"),
    ]
}
AKUTSJUKHUS = f"{ID}concept/akutsjukhus"
CORPUS = {p.name[:3]: p.name for p in sorted(BUNDLED_CORPUS.glob("*.txt"))}


# --- collective references ---------------------------------------------------------------------------------


def hospitals_of(text: str, region: str) -> list[tuple[int | None, bool, set[str]]]:
    return [(r.count, r.emergency, {h.iri for h in r.hospitals}) for r in collective_references(text, region)]


def test_count_of_emergency_hospitals_picks_the_emergency_ones():
    # Dalarna has four hospitals, three with a 24-hour emergency department
    found = hospitals_of("Vi kräver att länets tre akutsjukhus får behålla sina ambulanser.", "dalarna")
    assert found == [(3, True, {HOSPITAL["Falun"], HOSPITAL["Mora"], HOSPITAL["Avesta"]})]


def test_count_of_all_hospitals_and_emergency_from_context():
    assert hospitals_of("Alla fyra sjukhusen behöver nya tak.", "dalarna") == [
        (4, False, {HOSPITAL[t] for t in ("Falun", "Mora", "Avesta", "Ludvika")})
    ]
    found = hospitals_of("De tre sjukhusen ska ha öppen akutmottagning dygnet runt.", "dalarna")
    assert found == [(3, True, {HOSPITAL["Falun"], HOSPITAL["Mora"], HOSPITAL["Avesta"]})]


def test_places_resolve_to_the_hospitals_in_those_towns():
    found = collective_references("Sjukhusen i Gävle, Hudiksvall och Bollnäs får nya röntgenapparater.", "gavleborg")
    assert len(found) == 1 and found[0].count == 3
    assert {h.label for h in found[0].hospitals} == {"Gävle sjukhus", "Hudiksvalls sjukhus", "Bollnäs sjukhus"}
    spread = collective_references("Länet har ett sjukhus på tre orter.", "gavleborg")
    assert spread[0].count == 3 and len(spread[0].hospitals) == 3


def test_a_count_that_does_not_match_reference_data_stays_unresolved():
    found = collective_references("Regionen klarar sig med två akutsjukhus.", "dalarna")
    assert found[0].count == 2 and found[0].emergency and found[0].hospitals == []
    assert collective_references("Vi vill införa tre sjukhuschefer med eget mandat.", "dalarna") == []


# --- polarity and attribution on single sentences ------------------------------------------------------------

AUTHORS = [PARTY["V"]]
MAJORITY = Actor(
    entity_iri("majority", "test"),
    "Majoriteten i Region Dalarna (S, C, L)",
    "Majority",
    members=[PARTY["S"], PARTY["C"], PARTY["L"]],
)
CTX = Context(region="dalarna", authors=AUTHORS, author_parties=set(AUTHORS), majority=MAJORITY, period_start=2031)


def stances(sentence: str, item: bool = False) -> dict[tuple[str, str], str]:
    """{(target IRI, kind): polarity} for one sentence."""
    return {(f.target.iri, f.kind): f.polarity for f in analyse(sentence, CTX, item)}


def test_support_and_opposition_cues():
    found = stances("Regionen ska återöppna förlossningen vid Mora lasarett.")
    assert found[(HOSPITAL["Mora"], "stated")] == "supports"
    assert found[(f"{ID}concept/forlossningsvard", "stated")] == "supports"
    closed = stances("Barnavdelningen på Avesta lasarett ska stängas.")
    assert closed[(HOSPITAL["Avesta"], "stated")] == "opposes"


def test_negation_flips_the_cue():
    found = stances("Vi vill aldrig lägga ned akutmottagningen i Ludvika.")
    assert found[(HOSPITAL["Ludvika"], "stated")] == "supports"
    assert stances("Vi vill inte stänga BB i Mora.")[(HOSPITAL["Mora"], "stated")] == "supports"


def test_problem_words_and_harm_words_turn_the_stance_around():
    # reducing overcrowding is for more beds, not against them
    assert stances("Regionen ska minska överbeläggningarna.")[(f"{ID}concept/vardplatser", "stated")] == "supports"
    # the authors argue against a closure by its consequences
    found = stances("En stängning av BB i Mora skulle leda till längre resor och ökade risker för de födande.")
    assert found[(HOSPITAL["Mora"], "stated")] == "supports"


def test_descriptions_and_conditions_are_no_stances():
    assert stances("Antalet vårdplatser ökar i hela länet.") == {}
    assert stances("Om akutmottagningen i Avesta stängs behöver fler patienter åka till Falun.") == {}


def test_claims_about_the_majority_are_reported_with_the_authors_as_source():
    found = analyse("Den styrande majoriteten föreslår att akutmottagningen på Avesta lasarett stängs.", CTX)
    reported = [f for f in found if f.kind == "reported" and f.target.iri == HOSPITAL["Avesta"]]
    assert len(reported) == 1
    assert reported[0].polarity == "opposes"
    assert reported[0].holders == [MAJORITY.iri] and reported[0].reported_by == AUTHORS
    assert not [f for f in found if f.kind == "stated"]  # nothing here is the authors' own view


def test_a_named_party_as_subject_is_reported_and_the_authors_rebuttal_is_stated():
    found = analyse("Moderaterna vill lägga ned BB i Mora, vilket skulle leda till längre resor för de födande.", CTX)
    by_kind = {(f.kind, f.target.iri): f for f in found}
    assert by_kind[("reported", HOSPITAL["Mora"])].holders == [PARTY["M"]]
    assert by_kind[("reported", HOSPITAL["Mora"])].polarity == "opposes"
    assert by_kind[("stated", HOSPITAL["Mora"])].holders == AUTHORS
    assert by_kind[("stated", HOSPITAL["Mora"])].polarity == "supports"


def test_collective_reference_gives_a_stance_per_hospital_and_about_emergency_hospitals():
    found = stances("Länets tre akutsjukhus ska vara kvar och erbjuda akutvård dygnet runt.")
    for town in ("Falun", "Mora", "Avesta"):
        assert found[(HOSPITAL[town], "stated")] == "supports"
    assert (HOSPITAL["Ludvika"], "stated") not in found
    assert found[(AKUTSJUKHUS, "stated")] == "supports"


def test_sentences_split_but_not_after_abbreviations():
    text = "Regionen ska bl.a. stärka BB. Vi vill t.ex. ha fler barnmorskor i Mora. Ca. 40 mnkr behövs."
    found = split(text)
    assert [sentence for sentence, _ in found] == [
        "Regionen ska bl.a. stärka BB.",
        "Vi vill t.ex. ha fler barnmorskor i Mora.",
        "Ca. 40 mnkr behövs.",
    ]
    assert all(text[offset:].startswith(sentence) for sentence, offset in found)


# --- a whole proposal written for the tests --------------------------------------------------------------------

PROPOSAL = """Budgetförslag för Region Dalarna 2031 med plan för 2032–2033

Vänsterpartiet i Dalarna

1. Inledning

Den styrande majoriteten, Socialdemokraterna, Centerpartiet och Liberalerna, har inte lyckats korta
väntetiderna. Majoriteten föreslår att akutmottagningen i Avesta stängs nattetid, vilket skulle leda
till längre resor för patienterna.

Länets tre akutsjukhus ska vara kvar och erbjuda akutvård dygnet runt.

Vänsterpartiet yrkar
• Att BB vid Mora lasarett återöppnas.

Anna Andersson (V)
Gruppledare
"""


@pytest.fixture(scope="module")
def proposal():
    return extract(PROPOSAL.encode(), "dalarna-test.txt")


def test_the_majority_is_resolved_to_the_parties_the_document_names(proposal):
    majority = [a for a in proposal.actors.values() if a.kind == "Majority"]
    assert len(majority) == 1
    assert set(majority[0].members) == {PARTY["S"], PARTY["C"], PARTY["L"]}
    assert "Dalarna" in majority[0].label


def test_stances_keep_the_line_where_their_sentence_starts(proposal):
    lines = PROPOSAL.split("\n")
    reported = [s for s in proposal.stances if s.kind == "reported" and s.about.iri == HOSPITAL["Avesta"]]
    assert reported and reported[0].line == 8  # the paragraph starts on line 7, this sentence on line 8
    assert lines[reported[0].line - 1].startswith("väntetiderna. Majoriteten föreslår")
    assert reported[0].quote.startswith("Majoriteten föreslår att akutmottagningen i Avesta stängs nattetid")
    stated = {(s.about.iri, s.polarity, s.line) for s in proposal.stances if s.kind == "stated"}
    assert (HOSPITAL["Mora"], "supports", 14) in stated
    assert (AKUTSJUKHUS, "supports", 11) in stated


def test_an_unnamed_majority_stays_an_explicit_unresolved_actor():
    text = PROPOSAL.replace(", Socialdemokraterna, Centerpartiet och Liberalerna,", "")
    doc = extract(text.encode(), "dalarna-unnamed.txt")
    majority = [a for a in doc.actors.values() if a.kind == "Majority"]
    assert len(majority) == 1 and majority[0].members == []
    assert majority[0].label == "Majoriteten i Region Dalarna (ej namngiven)"
    assert any(s.kind == "reported" and s.holders == [majority[0].iri] for s in doc.stances)


# --- conflicts are recomputed when proposals come and go --------------------------------------------------------


def conflict_pairs(store) -> set[tuple[str, str]]:
    rows = store.select("""SELECT ?a ?b WHERE { GRAPH ?g { ?a pkg:conflictsWith ?b }
        FILTER(STRSTARTS(STR(?g), "https://w3id.org/policykg/graph/inferred/")) }""")
    return {(r["a"].value, r["b"].value) for r in rows}


def test_conflicts_follow_loads_and_removals():
    store = EmbeddedStore(None)
    ensure_reference(store)
    sjvp = load_bytes(store, (BUNDLED_CORPUS / CORPUS["000"]).read_bytes(), CORPUS["000"])
    first = conflict_pairs(store)
    assert first and all((b, a) in first for a, b in first)  # symmetric
    kd = load_bytes(store, (BUNDLED_CORPUS / CORPUS["004"]).read_bytes(), CORPUS["004"])
    second = conflict_pairs(store)
    kd_graph = f"{ID}stance/{kd.slug}-"
    assert any(a.startswith(kd_graph) for a, _ in second) and first < second
    assert remove_proposal(store, kd.slug)
    assert conflict_pairs(store) == first
    assert remove_proposal(store, sjvp.slug)
    assert conflict_pairs(store) == set()


def inferred_members(store, majority: str) -> tuple[set[str], set[str]]:
    """The parties and the naming proposals the inferred graphs give a majority."""
    rows = store.select(f"""SELECT ?p ?o WHERE {{ GRAPH ?g {{ <{majority}> ?p ?o }}
        FILTER(STRSTARTS(STR(?g), "https://w3id.org/policykg/graph/inferred/")) }}""")
    by = {p: {r["o"].value for r in rows if r["p"].value.endswith(p)} for p in ("hasMember", "membersNamedIn")}
    return by["hasMember"], by["membersNamedIn"]


def test_an_unnamed_majority_is_named_by_the_majoritys_own_plan_of_the_same_years():
    """004 (KD, Västernorrland 2020–2022) speaks of "majoriteten" without naming it; 003 is the plan S, M and L wrote
    for the same years and speaks of no other majority: its authors name the majority, until it is removed."""
    store = EmbeddedStore(None)
    ensure_reference(store)
    kd = load_bytes(store, (BUNDLED_CORPUS / CORPUS["004"]).read_bytes(), CORPUS["004"])
    majority = f"{ID}majority/{kd.slug}"
    assert inferred_members(store, majority) == (set(), set())
    plan = load_bytes(store, (BUNDLED_CORPUS / CORPUS["003"]).read_bytes(), CORPUS["003"])
    assert inferred_members(store, majority) == ({PARTY["S"], PARTY["M"], PARTY["L"]}, {f"{ID}proposal/{plan.slug}"})
    sjvp = load_bytes(store, (BUNDLED_CORPUS / CORPUS["000"]).read_bytes(), CORPUS["000"])  # 2025–2027: not the same
    assert inferred_members(store, majority)[0] == {PARTY["S"], PARTY["M"], PARTY["L"]}
    assert inferred_members(store, f"{ID}majority/{sjvp.slug}") == (set(), set())  # it names its majority itself
    assert remove_proposal(store, plan.slug)
    assert inferred_members(store, majority) == (set(), set())


def row(iri: str, polarity: str, parties: set[str], start: int | None) -> StanceRow:
    return StanceRow(iri, "t", PKG + polarity, "stated", f"p-{iri}", "r", start, 1, parties=parties)


def links(rule, *rows: StanceRow) -> set[tuple[str, str]]:
    return rule(positions(list(rows)))


def test_each_position_meets_the_nearest_opposite_position_of_every_other_actor():
    found = links(
        conflicts,
        row("a", "Supports", {"S"}, 2018),
        row("b", "Supports", {"S"}, 2024),
        row("c", "Opposes", {"M"}, 2019),  # a's nearest M
        row("d", "Opposes", {"M"}, 2023),  # b's nearest M
        row("e", "Opposes", {"S", "C"}, 2021),  # S on both sides: no conflict
        row("f", "Supports", {"KD"}, None),
        row("g", "Opposes", {"V"}, None),  # undated meets undated only
        row("h", "Opposes", {"V"}, 2020),  # V's only dated position: nearest for both of S's
    )
    assert found == {("a", "c"), ("b", "d"), ("a", "h"), ("b", "h"), ("f", "g")}


def test_a_stance_change_links_a_partys_consecutive_periods_only():
    found = links(
        changes,
        row("a", "Supports", {"S"}, 2018),
        row("b", "Opposes", {"S", "M"}, 2020),
        row("c", "Opposes", {"S"}, 2022),  # no flip from b
        row("d", "Supports", {"S"}, 2024),
        row("e", "Supports", {"M"}, 2026),  # M: 2020 opposes → 2026 supports, nothing in between
        row("f", "Opposes", {"S"}, None),  # undated: no place in time
    )
    assert found == {("a", "b"), ("c", "d"), ("b", "e")}


def inferred_graphs(store) -> dict[str, set[str]]:
    return {g: {str(q) for q in store.quads(g)} for g in store.graphs() if is_inferred_graph(g)}


def test_a_load_recomputes_only_its_own_regions_inferred_graph():
    store = EmbeddedStore(None)
    ensure_reference(store)
    sjvp = load_bytes(store, (BUNDLED_CORPUS / CORPUS["000"]).read_bytes(), CORPUS["000"])
    norrland = inferred_graphs(store)
    assert len(sjvp.regions) == 1 and list(norrland) == [inferred_graph(r) for r in sjvp.regions]
    botten = load_bytes(store, (BUNDLED_CORPUS / CORPUS["002"]).read_bytes(), CORPUS["002"])
    assert botten.regions and botten.regions.isdisjoint(sjvp.regions)
    both = inferred_graphs(store)
    assert set(both) == set(norrland) | {inferred_graph(r) for r in botten.regions}
    assert {g: both[g] for g in norrland} == norrland  # the other region's graph is left as it was
    assert remove_proposal(store, botten.slug)
    assert inferred_graphs(store) == norrland  # the emptied region's graph is gone


# --- the bundled corpus over HTTP and SPARQL --------------------------------------------------------------------


def readme_query() -> str:
    """The documented query: the first ```sparql block of the README section "Stances and conflicts"."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = readme[readme.index("## Stances and conflicts") :]
    return section.split("```sparql\n", 1)[1].split("```", 1)[0]


THREE_EMERGENCY_HOSPITALS = readme_query()


def sparql_rows(client, query: str) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


@pytest.fixture(scope="module")
def proposals(client) -> dict[str, dict]:
    """Corpus file number ("000") → proposal as listed by the API."""
    items = client.get("/api/proposals").json()["items"]
    return {p["source_file"][:3]: p for p in items}


def test_three_emergency_hospitals_query_names_the_backers(client, proposals):
    rows = sparql_rows(client, THREE_EMERGENCY_HOSPITALS)
    by_file = {}
    for row in rows:
        by_file.setdefault(row["file"][:3], []).append(row)
    assert set(by_file) == {"000", "002"}  # not the 2020–2022 majority plan (003), nor anyone else
    sjvp = by_file["000"]
    assert {r["parties"] for r in sjvp} == {"SJVP"}
    assert all(r["region"] == "Västernorrland" for r in sjvp)
    assert any(
        set(r["hospitals"].split(", ")) == {"Sundsvalls sjukhus", "Sollefteå sjukhus", "Örnsköldsviks sjukhus"}
        for r in sjvp
    )
    assert any(
        r["quote"] == "Region Västernorrlands ska ha tre akutsjukhus – i Sundsvall, Sollefteå och Örnsköldsvik."
        and r["line"] == "19"
        for r in sjvp
    )
    alliance = by_file["002"]
    assert all(set(r["parties"].split()) == {"M", "C", "L", "KD"} for r in alliance)
    assert all(r["region"] == "Västerbotten" for r in alliance)
    assert any(
        set(r["hospitals"].split(", ")) == {"Norrlands universitetssjukhus", "Skellefteå lasarett", "Lycksele lasarett"}
        for r in alliance
    )
    assert any(r["quote"].startswith("TRE SJÄLVSTÄNDIGA OCH ROBUSTA AKUTSJUKHUS") for r in alliance)


def stance_list(groups: list[dict], polarity: str) -> list[tuple[str, dict]]:
    """(kind, stance) for every stance of one polarity, with its proposal's file number."""
    out = []
    for group in groups:
        if group["polarity"] == polarity:
            for p in group["proposals"]:
                for kind in ("stated", "reported", "derived"):
                    out += [(kind, {**s, "proposal": p["proposal"]}) for s in p[kind]]
    return out


def notations(stance: dict) -> set[str]:
    out = set()
    for holder in stance["holders"]:
        out |= {m["notation"] for m in holder.get("members", [])} or {holder["notation"]}
    return out


def test_stances_about_solleftea_supporters_and_the_reported_closure(client, proposals):
    response = client.get("/api/stances", params={"about": "hospital/solleftea-sjukhus"})
    assert response.status_code == 200
    body = response.json()
    assert body["filters"]["about"]["label"] == "Sollefteå sjukhus"
    supports = stance_list(body["by_polarity"], "supports")
    reopen = [
        s
        for kind, s in supports
        if kind == "stated"
        and "återöppna akutkirurgi, akutortopedi samt BB/förlossning vid Sjukhuset i Sollefteå" in s["quote"]
    ]
    assert reopen and notations(reopen[0]) == {"SJVP"} and reopen[0]["line"] == 231
    assert reopen[0]["proposal"]["id"] == proposals["000"]["id"] and reopen[0]["proposal"]["period"] == [2025, 2027]
    kd = [
        s
        for kind, s in supports
        if kind == "stated" and "BB- och kvinnosjukvården i Sollefteå återöppnas" in s["quote"]
    ]
    assert kd and notations(kd[0]) == {"KD"} and kd[0]["proposal"]["id"] == proposals["004"]["id"]
    opposes = stance_list(body["by_polarity"], "opposes")
    closure = [s for kind, s in opposes if "majoritetens förslag om nedläggning av Sollefteå sjukhus" in s["quote"]]
    assert closure, opposes
    assert all(s["kind"] == "reported" for s in closure)  # never presented as the majority's own words
    assert notations(closure[0]) == {"S", "M", "C"}
    assert closure[0]["holders"][0]["type"] == "Majority"
    assert [r["notation"] for r in closure[0]["reported_by"]] == ["SJVP"]
    assert closure[0]["line"] == 42
    assert not [s for kind, s in opposes if kind == "stated" and notations(s) & {"S", "M", "C"}]


def test_reported_stances_are_listed_apart(client):
    body = client.get("/api/stances", params={"about": "hospital/solleftea-sjukhus", "kind": "reported"}).json()
    assert body["kinds"] == {"stated": 0, "reported": body["count"], "derived": 0} and body["count"] >= 1
    for group in body["by_polarity"]:
        for p in group["proposals"]:
            assert p["stated"] == [] and p["derived"] == []


def test_conflicts_on_solleftea_name_both_sides_with_quotes(client):
    response = client.get("/api/conflicts", params={"target": "hospital/solleftea-sjukhus"})
    assert response.status_code == 200
    items = response.json()["items"]
    pairs = []
    for item in items:
        sides = {s["polarity"]: s for s in item["sides"]}
        assert set(sides) == {"supports", "opposes"} and item["region"]["label"] == "Västernorrland"
        assert all(s["quote"] and s["line"] and s["proposal"]["period"] for s in item["sides"])
        pairs.append(sides)
    sjvp_vs_majority = [
        p for p in pairs if notations(p["supports"]) == {"SJVP"} and notations(p["opposes"]) == {"S", "M", "C"}
    ]
    assert sjvp_vs_majority, pairs
    defence, closure = sjvp_vs_majority[0]["supports"], sjvp_vs_majority[0]["opposes"]
    assert (defence["kind"], closure["kind"]) == ("stated", "reported")
    assert "majoritetens förslag om nedläggning av Sollefteå sjukhus" in closure["quote"]
    assert [r["notation"] for r in closure["reported_by"]] == ["SJVP"]
    assert "Sollefteå" in defence["quote"] + " ".join(a["quote"] for a in defence["also"])
    # KD's 2020 proposal, which wants Sollefteå's BB reopened, conflicts with the reported closure too
    assert any(notations(p["supports"]) == {"KD"} and notations(p["opposes"]) == {"S", "M", "C"} for p in pairs)
    # the same conflict is found from the majority's member parties
    by_actor = client.get("/api/conflicts", params={"actor": "party/moderaterna"}).json()["items"]
    assert any(i["about"]["label"] == "Sollefteå sjukhus" for i in by_actor)


def test_conflicts_through_sparql_are_symmetric_and_between_different_actors(client):
    rows = sparql_rows(
        client,
        """
      PREFIX pkg: <https://w3id.org/policykg/ns#>
      PREFIX org: <http://www.w3.org/ns/org#>
      SELECT ?a ?b ?qa ?qb WHERE {
        GRAPH <https://w3id.org/policykg/graph/inferred/vasternorrland> { ?a pkg:conflictsWith ?b }
        ?a pkg:about <https://w3id.org/policykg/id/hospital/solleftea-sjukhus> ; pkg:quote ?qa .
        ?b pkg:quote ?qb .
        FILTER NOT EXISTS {
          GRAPH <https://w3id.org/policykg/graph/inferred/vasternorrland> { ?b pkg:conflictsWith ?a } }
      }""",
    )
    assert rows == []
    rows = sparql_rows(
        client,
        """
      PREFIX pkg: <https://w3id.org/policykg/ns#>
      SELECT ?qa ?qb ?ka ?kb WHERE {
        GRAPH <https://w3id.org/policykg/graph/inferred/vasternorrland> { ?a pkg:conflictsWith ?b }
        ?a pkg:about <https://w3id.org/policykg/id/hospital/solleftea-sjukhus> ; pkg:quote ?qa ; pkg:stanceKind ?ka ;
           pkg:polarity pkg:Opposes .
        ?b pkg:quote ?qb ; pkg:stanceKind ?kb ; pkg:polarity pkg:Supports .
      }""",
    )
    assert any(r["ka"] == "reported" and "majoritetens förslag" in r["qa"] for r in rows)


def test_actor_positions_across_proposals_and_years(client, proposals):
    response = client.get("/api/actors/party/moderaterna/positions", params={"about": "hospital/solleftea-sjukhus"})
    assert response.status_code == 200
    body = response.json()
    assert body["actor"]["label"] == "Moderaterna"
    assert body["kinds"]["reported"] >= 1
    timeline = {e["about"]["label"]: e["positions"] for e in body["timeline"]}
    solleftea = timeline["Sollefteå sjukhus"]
    assert [p["year"] for p in solleftea] == sorted(p["year"] for p in solleftea)
    assert ("reported", "opposes", 2025) in {(p["kind"], p["polarity"], p["year"]) for p in solleftea}
    # Sjukvårdspartiet's own 2025 proposal, and the section of KD's 2020 proposal written with C and SJVP
    sjvp = client.get("/api/actors/party/sjukvardspartiet-vasternorrland/positions").json()
    assert [p["proposal"]["id"] for p in sjvp["proposals"]] == [proposals["004"]["id"], proposals["000"]["id"]]
    assert [p["proposal"]["period"][0] for p in sjvp["proposals"]] == [2020, 2025]
    assert sjvp["kinds"]["stated"] > 50


def test_stance_changes_go_forward_in_time_and_name_the_party(client):
    items = client.get("/api/stance-changes").json()["items"]
    assert items
    for item in items:
        assert item["parties"]
        assert item["earlier"]["proposal"]["period"][0] < item["later"]["proposal"]["period"][0]
        assert item["earlier"]["polarity"] != item["later"]["polarity"]
        assert item["earlier"]["about"]["iri"] == item["later"]["about"]["iri"]
        assert item["earlier"]["proposal"]["region"] == item["later"]["proposal"]["region"]
    moderaterna = client.get("/api/stance-changes", params={"actor": "party/moderaterna"}).json()["items"]
    assert all("M" in {p["notation"] for p in i["parties"]} for i in moderaterna)


def test_stance_changes_page_through_every_pair_once(client):
    everything = client.get("/api/stance-changes", params={"limit": 500}).json()
    assert everything["next_cursor"] is None and len(everything["items"]) > 2
    keys, cursor = [], None
    while True:
        page = client.get("/api/stance-changes", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        keys += [i["key"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert keys == [i["key"] for i in everything["items"]]


@pytest.mark.parametrize(
    "url,status,word",
    [
        ("/api/stances?about=hospital/no-such-hospital", 404, "unknown target"),
        ("/api/stances?actor=party/no-such-party", 404, "unknown actor"),
        ("/api/stances?kind=rumoured", 422, "stated, reported, derived"),
        ("/api/actors/party/no-such-party/positions", 404, "unknown actor"),
        ("/api/conflicts?region=no-such-region", 404, "unknown region"),
        ("/api/stance-changes?target=concept/no-such-concept", 404, "unknown target"),
    ],
)
def test_unknown_ids_and_values_are_refused_with_a_message(client, url, status, word):
    response = client.get(url)
    assert response.status_code == status
    assert word in response.json()["error"]


def test_every_stance_quote_is_verbatim_at_its_line(client):
    """Lines count the proposal's stored normalised text (served at /api/proposals/{slug}/text)."""
    rows = sparql_rows(
        client,
        """
      PREFIX pkg: <https://w3id.org/policykg/ns#>
      SELECT ?p ?line ?quote ?kind WHERE {
        ?s a pkg:Stance ; pkg:quote ?quote ; pkg:sourceLine ?line ; pkg:stanceKind ?kind ; pkg:statedIn ?p }""",
    )
    assert len(rows) > 500 and {r["kind"] for r in rows} == {"stated", "reported", "derived"}
    texts = {p: client.get(f"/api/proposals/{p.rsplit('/', 1)[1]}/text").json() for p in {r["p"] for r in rows}}
    assert len(texts) == len(CORPUS)
    for row in rows:
        lines = [line["text"] for line in texts[row["p"]]["lines"]]
        start = int(row["line"]) - 1
        head = " ".join(row["quote"].split())[:30]
        if row["kind"] != "derived":  # stated and reported quotes start on their line
            assert head.split()[0] in lines[start], (row["p"], row["line"], head)
        window = " ".join(" ".join(lines[start : start + 40]).split())
        assert head.replace("-", "") in window.replace("-", "").replace("\u00ad", ""), (row["p"], row["line"])


def test_conflicts_page_with_a_cursor(client):
    first = client.get("/api/conflicts", params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = client.get("/api/conflicts", params={"limit": 1, "cursor": first["next_cursor"]}).json()
    assert second["items"] and second["items"][0]["key"] > first["items"][0]["key"]


def test_collective_references_keep_count_and_emergency_care(client):
    """The three-hospitals sentence keeps "tre" and that each hospital is to give emergency care."""
    query = """SELECT ?h ?n ?e WHERE { ?s pkg:about ?h ; pkg:collectiveCount ?n ; pkg:emergencyCare ?e ;
        pkg:sourceLine 19 ; pkg:statedIn ?p . ?p pkg:sourceFile ?f . FILTER(STRSTARTS(?f, "000_")) }"""
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    hospitals = {r["h"]["value"].rsplit("/", 1)[1] for r in rows}
    assert hospitals == {"sundsvalls-sjukhus", "solleftea-sjukhus", "ornskoldsviks-sjukhus"}
    assert {(r["n"]["value"], r["e"]["value"]) for r in rows} == {("3", "true")}
