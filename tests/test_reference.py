"""Structural facts about the party and committee reference data, and that shared aliases still resolve by region."""

from __future__ import annotations

from collections import defaultdict

import pytest

from loaders.frames import committee_named, squashed
from loaders.morphology import stems
from loaders.parties import parties_in
from ontology.reference import party_by_notation, rows, split

PARTIES = rows("parties.csv")
REGIONS = {r["slug"] for r in rows("regions.csv")}
REGIONAL = [p for p in PARTIES if p["kind"] == "regional"]


def test_parties_file_has_the_documented_columns():
    assert PARTIES
    assert list(PARTIES[0]) == ["slug", "name", "abbr", "kind", "region_slug", "aliases"]


def test_slugs_are_unique_lowercase_ascii():
    slugs = [p["slug"] for p in PARTIES]
    assert len(slugs) == len(set(slugs))
    assert all(s.isascii() and s == s.lower() and " " not in s for s in slugs)


def test_abbreviations_are_unique_across_all_parties():
    """party_by_notation() is one table for the whole country, so a repeated abbreviation would shadow another."""
    abbrs = [p["abbr"].upper() for p in PARTIES]
    assert len(abbrs) == len(set(abbrs))
    assert len(party_by_notation()) == len(PARTIES)


def test_abbreviations_can_be_found_as_bare_abbreviations():
    """The bare-abbreviation readers take one capital and at most four more letters ("(SJVP)", "C, DSP och KD")."""
    for p in PARTIES:
        assert p["abbr"].isupper() and 1 <= len(p["abbr"]) <= 5, p["slug"]


def test_kinds_and_regions():
    assert {p["kind"] for p in PARTIES} == {"riksdag", "regional"}
    assert len([p for p in PARTIES if p["kind"] == "riksdag"]) == 8
    for p in PARTIES:
        if p["kind"] == "riksdag":
            assert p["region_slug"] == "", p["slug"]
        else:
            assert p["region_slug"] in REGIONS, p["slug"]


def test_a_region_has_at_most_one_party_per_name():
    """An alias shared by regional parties (Sjukvårdspartiet) must point to one party per region."""
    holders: dict[str, list[str]] = defaultdict(list)
    for p in REGIONAL:
        for name in {p["name"], *split(p["aliases"])}:
            holders[name.lower()].append(p["region_slug"])
    for name, regions in holders.items():
        assert len(regions) == len(set(regions)), name


def test_regional_names_never_shadow_riksdag_parties():
    riksdag = {
        n.lower() for p in PARTIES if p["kind"] == "riksdag" for n in (p["name"], p["abbr"], *split(p["aliases"]))
    }
    for p in REGIONAL:
        for name in (p["name"], p["abbr"], *split(p["aliases"])):
            assert name.lower() not in riksdag, (p["slug"], name)


SJUKVARDSPARTIET = {p["region_slug"]: p["abbr"] for p in REGIONAL if "Sjukvårdspartiet" in split(p["aliases"])}


def test_sjukvardspartiet_is_shared_by_several_regions():
    assert {"vasternorrland", "norrbotten", "varmland", "gavleborg", "dalarna"} <= set(SJUKVARDSPARTIET)


@pytest.mark.parametrize("region", sorted(SJUKVARDSPARTIET))
def test_sjukvardspartiet_resolves_to_the_local_party(region):
    found = parties_in("Sjukvårdspartiet och Sjukvårdspartiets förslag", region)
    assert [e.notation for e in found] == [SJUKVARDSPARTIET[region]]


def test_sjukvardspartiet_is_no_party_in_a_region_without_one():
    assert parties_in("Sjukvårdspartiet vill", "skane") == []


def test_renamed_and_abbreviated_forms():
    assert [e.notation for e in parties_in("Vårddemokraterna vill", "jonkoping")] == ["BA"]
    assert [e.notation for e in parties_in("Vård för Pengarna och VfP", "sormland")] == ["VFP"]
    # "SiV" is left out on purpose: its stem is the first name Siv
    assert [e.notation for e in parties_in("Siv Andersson (S)", "varmland")] == ["S"]
    # Demokraterna (Västra Götaland) is a whole word, never the tail of another party's name
    assert [e.notation for e in parties_in("Socialdemokraterna och Sverigedemokraterna", "vastra-gotaland")] == [
        "S",
        "SD",
    ]


# --- committees.csv ------------------------------------------------------------------------------

COMMITTEES = rows("committees.csv")
KINDS = {"fullmäktige", "styrelse", "nämnd", "beredning", "revision"}
# all-caps names of five letters or fewer are matched case-sensitively anywhere in a text (gazetteer.exact);
# only abbreviations in common use may be aliases, the project's own `abbr` values stay out of the aliases
SHORT_ALIASES = {"LF", "LS", "HSN", "HSS", "RUN", "RSAU", "RS AU", "RS-AU"}


def committee_names(row: dict[str, str]) -> list[str]:
    return [row["name"], *split(row["aliases"])]


def test_committees_file_has_the_documented_columns():
    assert COMMITTEES
    assert list(COMMITTEES[0]) == ["slug", "name", "abbr", "kind", "aliases"]


def test_committee_slugs_are_unique_lowercase_ascii():
    slugs = [c["slug"] for c in COMMITTEES]
    assert len(slugs) == len(set(slugs))
    assert all(s.isascii() and s == s.lower() and " " not in s for s in slugs)


def test_committee_abbreviations_are_unique_and_kinds_known():
    abbrs = [c["abbr"].upper() for c in COMMITTEES]
    assert all(abbrs) and len(abbrs) == len(set(abbrs))
    assert {c["kind"] for c in COMMITTEES} <= KINDS


def test_a_committee_name_belongs_to_one_committee():
    """committee_named() takes the first row whose name fits, so a name on two rows would hide the second."""
    holders: dict[str, set[str]] = defaultdict(set)
    for c in COMMITTEES:
        for name in committee_names(c):
            holders[squashed(name)].add(c["slug"])
    assert {name: slugs for name, slugs in holders.items() if len(slugs) > 1} == {}


def test_no_committee_name_is_a_service_or_hospital_name():
    """A committee alias equal to a service or a hospital ("Kultur", "Tandvård") would make every table row and
    target with that name a committee; compared case-insensitively and by stems, so inflected forms count too."""
    others: dict[tuple[str, ...], str] = {}
    for s in rows("services.csv"):
        for name in (s["pref_label_sv"], *split(s["alt_labels_sv"])):
            others[stems(name)] = f"service {s['slug']}"
    for h in rows("hospitals.csv"):
        for name in (h["name"], *split(h["aliases"])):
            others[stems(name)] = f"hospital {h['slug']}"
    clashes = [(c["slug"], n, others[stems(n)]) for c in COMMITTEES for n in committee_names(c) if stems(n) in others]
    assert clashes == []


def test_short_all_caps_committee_aliases_are_the_established_abbreviations():
    short = {n for c in COMMITTEES for n in split(c["aliases"]) if n.isupper() and len(n) <= 5}
    assert short <= SHORT_ALIASES


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("Inköpsnämnden", "inkopsnamnden"),
        ("Varuförsörjningsnämnden", "varuforsorjningsnamnden"),
        ("Ambulansdirigeringsnämnden", "ambulansdirigeringsnamnden"),
        ("Gemensamma patientnämnden", "patientnamnden"),
        ("Hjälpmedelsnämnden", "hjalpmedelsnamnden"),
        ("Nämnden för kultur, utbildning och friluftsverksamhet", "kulturnamnden"),
        ("Kultur- och fritidsnämnden", "kulturnamnden"),
        ("Nämnden för primärvård, rättspsykiatri och Dammsdalskolan", "primarvardsnamnden"),
        ("Nämnden för samverkan kring socialtjänst och vård", "namnden-for-samverkan-kring-socialtjanst-och-vard"),
        ("Trafik- och samhällsplaneringsnämnden", "kollektivtrafiknamnden"),
        ("Nämnd för trafik, infrastruktur och miljö", "kollektivtrafiknamnden"),
        ("Nämnd för folkhälsa och sjukvård", "halso-och-sjukvardsnamnden"),
        ("Nämnden för hållbar utveckling", "regionala-utvecklingsnamnden"),
        ("Klimat- och regionutvecklingsnämnden", "regionala-utvecklingsnamnden"),
        ("Patientnämnd-Etisk nämnd", "patientnamnden"),
        ("Samverkansberedning hälsa och vård, omsorg och skola", "samverkansberedningen"),
        ("Sjukhusstyrelsen", "driftnamnd"),
        ("Regional  utvec kl ingsnämnd", "regionala-utvecklingsnamnden"),  # a PDF table's split words
    ],
)
def test_regional_committee_names_resolve(label, slug):
    entry = committee_named(label)
    assert entry is not None and entry.iri.rsplit("/", 1)[-1] == slug


def test_common_words_and_services_are_no_committees():
    for label in (
        "Kultur",
        "Tandvård",
        "Kollektivtrafik",
        "Hjälpmedel",
        "Gemensamma nämnder",
        "Regionala kollektivtrafikmyndigheten",
    ):
        assert committee_named(label) is None, label
