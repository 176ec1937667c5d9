"""Structural facts about the party reference data, and that shared aliases still resolve by region."""

from __future__ import annotations

from collections import defaultdict

import pytest

from loaders.metadata import parties_in
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
