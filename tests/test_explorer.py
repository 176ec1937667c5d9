"""The web explorer over real HTTP: every page is HTML for a browser and JSON (its twin) for a program, with what the
JSON API says; search stems Swedish and follows loads and removals; unknown ids are 404 with a message."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import WRITE_AUTH, Server

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PROPOSAL = "sjvp-vasternorrland-2025"
HOSPITAL = "hospital/solleftea-sjukhus"
PARTY = "party/sjukvardspartiet-vasternorrland"


def page(client, path: str, **params) -> str:
    response = client.get(path, params=params, headers=BROWSER)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return html.unescape(response.text)


def twin(client, path: str, **params) -> dict:
    """The page's JSON by suffix, checked equal to the same path asked for with Accept: application/json."""
    by_suffix = client.get(path + ".json", params=params)
    by_accept = client.get(path, params=params, headers={"Accept": "application/json"})
    assert by_suffix.status_code == by_accept.status_code == 200, by_suffix.text[:500]
    assert by_suffix.json() == by_accept.json()
    return by_suffix.json()


def csv_rows(client, path: str, **params) -> list[dict]:
    response = client.get(path + ".csv", params=params)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_home_lists_every_proposal_with_its_authors_and_keeps_the_json_index(client):
    proposals = client.get("/api/proposals").json()["items"]
    body = page(client, "/")
    for p in proposals:
        assert f'href="/id/{p["id"]}"' in body and p["title"] in body
        assert all(a["label"] in body for a in p["authors"])
    assert 'href="/sparql?example=three-hospitals"' in body and 'id="search-q"' in body
    index = client.get("/").json()  # programs keep the index they always had
    assert (
        index["sparql"] == "/sparql" and "/api/measures" in index["endpoints"] and "/api/search" in index["endpoints"]
    )
    data = client.get("/index.json").json()
    assert data["proposal_count"] == len(proposals)
    assert sum(len(r["proposals"]) for r in data["regions"]) == len(proposals)
    assert "Example questions" in page(client, "/", lang="en")
    english = client.get("/", headers={**BROWSER, "Accept-Language": "en-GB,en;q=0.9,sv;q=0.5"}).text
    assert "Example questions" in english and 'lang="en"' in english


def test_proposal_page_has_metadata_goal_tree_measures_and_source_links(client):
    meta = client.get(f"/api/proposals/{PROPOSAL}").json()
    measures = client.get("/api/measures", params={"proposal": PROPOSAL, "limit": 1000}).json()["items"]
    goals = client.get("/api/goals", params={"proposal": PROPOSAL, "limit": 1000}).json()["items"]
    body = page(client, f"/id/proposal/{PROPOSAL}")
    assert meta["title"] in body and meta["region"]["label"] in body
    assert all(a["label"] in body for a in meta["authors"])
    assert all(f'id="{g["id"]}"' in body for g in goals)
    for m in measures:
        line = m["evidence"]["line"]
        assert f'id="{m["id"]}"' in body and f"/id/proposal/{PROPOSAL}/text?hl={line}#L{line}" in body
    data = twin(client, f"/id/proposal/{PROPOSAL}")
    assert data["proposal"]["title"] == meta["title"]
    assert {r["id"] for r in csv_rows(client, f"/id/proposal/{PROPOSAL}")} == {m["id"] for m in measures}


def test_proposal_page_tabulates_its_budget_frames_per_committee_and_year(client):
    slug = "alliansen-vasterbotten-2025"
    frames = client.get("/api/frames", params={"proposal": slug, "limit": 1000}).json()["items"]
    body = page(client, f"/id/proposal/{slug}")
    assert frames and all(f'href="/id/{f["committee"]["id"]}"' in body for f in frames)
    assert all(f"text?hl={f['evidence']['line']}#L{f['evidence']['line']}" in body for f in frames)
    assert all(f'<th class="num">{year}</th>' in body for year in {f["year"] for f in frames})


def test_source_text_numbers_lines_and_highlights_the_quoted_one(client):
    measure = client.get("/api/measures", params={"proposal": PROPOSAL, "limit": 1}).json()["items"][0]
    line = measure["evidence"]["line"]
    text = client.get(f"/api/proposals/{PROPOSAL}/text", params={"start": line, "end": line}).json()
    body = page(client, f"/id/proposal/{PROPOSAL}/text", hl=line)
    assert f'<li id="L{line}" value="{line}" class="hl">{text["lines"][0]["text"]}</li>' in body
    assert len(twin(client, f"/id/proposal/{PROPOSAL}/text")["lines"]) == text["line_count"]


def test_hospital_page_shows_who_does_what_with_quotes_stances_and_conflicts(client):
    measures = client.get("/api/measures", params={"target": HOSPITAL, "limit": 1000}).json()["items"]
    stances = client.get("/api/stances", params={"about": HOSPITAL}).json()
    conflicts = client.get("/api/conflicts", params={"target": HOSPITAL, "limit": 100}).json()["items"]
    body = page(client, f"/id/{HOSPITAL}")
    assert measures and all(f'id="{m["id"]}"' in body for m in measures)
    quotes = [
        s["quote"] for g in stances["by_polarity"] for p in g["proposals"] for k in ("stated", "reported") for s in p[k]
    ]
    assert quotes and all(q in body for q in quotes)
    assert body.count('class="conflict"') == len(conflicts)
    data = twin(client, f"/id/{HOSPITAL}")
    assert {m["id"] for m in data["measures"]} == {m["id"] for m in measures}
    assert len(csv_rows(client, f"/id/{HOSPITAL}")) == len(measures)


def test_entity_iris_negotiate_turtle_and_json_ld(client):
    label = client.get(f"/api/entities/{HOSPITAL}").json()["label"]
    turtle = client.get(f"/id/{HOSPITAL}", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and f'"{label}"' in turtle.text
    assert client.get(f"/id/{HOSPITAL}.ttl").text == turtle.text
    jsonld = client.get(f"/id/{HOSPITAL}", headers={"Accept": "application/ld+json"})
    assert label in json.dumps(jsonld.json(), ensure_ascii=False)


def test_party_page_lists_its_proposals_positions_and_conflicts(client):
    positions = client.get(f"/api/actors/{PARTY}/positions").json()
    conflicts = client.get("/api/conflicts", params={"actor": PARTY, "limit": 100}).json()["items"]
    body = page(client, f"/id/{PARTY}")
    assert all(f'href="/id/{p["proposal"]["id"]}"' in body for p in positions["proposals"])
    assert all(e["about"]["label"] in body for e in positions["timeline"])
    assert body.count('class="conflict"') == len(conflicts)
    data = twin(client, f"/id/{PARTY}")
    assert data["timeline"] == positions["timeline"]


def test_measure_and_goal_pages(client):
    measure = client.get("/api/measures", params={"proposal": PROPOSAL, "relation": "funds", "limit": 1}).json()
    m = measure["items"][0]
    body = page(client, f"/id/{m['id']}")
    assert m["text"] in body and f'href="/id/{m["goal"]["id"]}"' in body
    assert twin(client, f"/id/{m['id']}")["measure"] == m
    goal = client.get("/api/goals", params={"proposal": PROPOSAL, "limit": 50}).json()["items"]
    g = next(g for g in goal if g["measures"])
    body = page(client, f"/id/{g['id']}")
    assert g["label"] in body and all(f'id="{s["id"]}"' in body for s in g["measures"])


def test_search_stems_swedish_highlights_and_filters(client):
    found = client.get("/api/search", params={"q": "primärvårdens"}).json()
    by_stem = [
        r for r in found["items"] if "primärvård" in r["text"].lower() and "primärvårdens" not in r["text"].lower()
    ]
    assert by_stem  # found by its stem, not by the string asked for
    assert all("<mark>primärvård" in r["highlighted"].lower() for r in by_stem)
    assert client.get("/search.json", params={"q": "primärvårdens"}).json() == found
    body = client.get("/search", params={"q": "primärvårdens"}, headers=BROWSER).text
    assert "<mark>" in body and f"<strong>{found['total']}</strong>" in body
    funds = client.get("/api/search", params={"q": "primärvård", "relation": "funds", "kind": "measure"}).json()
    assert funds["items"] and all(r["relation"] == "funds" and r["kind"] == "measure" for r in funds["items"])
    sjvp = client.get("/api/search", params={"q": "akutsjukhus", "party": "SJVP", "year": 2025}).json()
    assert sjvp["items"] and all(r["proposal"] == f"proposal/{PROPOSAL}" for r in sjvp["items"])
    assert client.get("/api/search", params={"q": "primärvård", "kind": "nonsense"}).status_code == 422
    huge = client.get("/api/search", params={"q": "primärvård", "offset": 2**72})  # past SQLite's 64-bit OFFSET
    assert huge.status_code == 422 and "offset" in huge.text


def test_search_finds_the_last_part_of_a_compound(client):
    found = client.get("/api/search", params={"q": "sjukvård", "offset": 0}).json()
    compounds = [r for r in found["items"] if re.search(r"\w{3,}sjukvård", r["text"].lower())]
    assert any(not re.search(r"\bsjukvård", r["text"].lower()) for r in compounds)  # "ambulanssjukvård" alone
    assert all(re.search(r"<mark>\w+sjukvård", r["highlighted"].lower()) for r in compounds)


def test_compare_puts_signed_amounts_side_by_side(client):
    slugs = [PROPOSAL, "kd-vasternorrland-2020"]
    data = client.get("/compare.json", params={"p": slugs}).json()
    assert [p["id"] for p in data["proposals"]] == [f"proposal/{s}" for s in slugs]
    assert data["per_committee"] or data["per_service"]
    expected = client.get(
        "/api/measures", params={"proposal": PROPOSAL, "target": "concept/primarvard", "limit": 1000}
    ).json()["items"]
    money = sum(m["amount_msek"] for m in expected if m["amount_msek"] is not None)
    row = next((r for r in data["per_service"] if r["key"]["id"] == "concept/primarvard"), None)
    if money:
        assert row["values"][f"https://w3id.org/policykg/id/proposal/{PROPOSAL}"]["msek"] == pytest.approx(money)
    body = page(client, "/compare", p=slugs)
    assert all(p["label"] in body for p in data["proposals"]) and 'class="bar"' in body
    assert csv_rows(client, "/compare", p=slugs)


def test_conflict_and_stance_change_pages_quote_both_sides(client):
    conflicts = client.get("/api/conflicts", params={"limit": 50}).json()["items"]
    body = page(client, "/conflicts")
    assert conflicts and all(s["quote"] in body for c in conflicts for s in c["sides"])
    assert twin(client, "/conflicts")["items"] == conflicts
    changes = client.get("/api/stance-changes", params={"limit": 50}).json()["items"]
    body = page(client, "/stance-changes")
    assert all(c["earlier"]["quote"] in body and c["later"]["quote"] in body for c in changes)
    assert len(csv_rows(client, "/stance-changes")) == len(changes)


def test_unknown_ids_are_404_with_a_helpful_message(client):
    for path in ("/id/party/no-such-party", "/id/proposal/no-such-proposal/text", "/id/"):
        response = client.get(path)
        assert response.status_code == 404 and "no " in response.json()["error"]
        in_browser = client.get(path, headers=BROWSER)
        assert in_browser.status_code == 404 and 'id="error-message"' in in_browser.text
        assert in_browser.headers["content-type"].startswith("text/html")


def test_existing_json_paths_still_answer_json(client):
    for path in ("/api/stats", "/api/proposals", f"/api/entities/{HOSPITAL}", "/api/conflicts"):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")


DOCUMENT = """Budgetförslag 2031 med plan för 2032–2033

Vänsterpartiet i Region Gävleborg

1. Vård i hela länet

Vi yrkar
• Att förlossningen i Hudiksvall återöppnas.
• Att glesbygdsmottagningarna tillförs 30 miljoner kronor under 2031.
"""


def test_search_follows_every_upload_and_removal(tmp_path):
    server = Server(tmp_path / "db")
    try:
        with httpx.Client(base_url=server.url, timeout=60, headers=WRITE_AUTH) as http:

            def hits() -> int:
                return http.get("/api/search", params={"q": "glesbygdsmottagningar"}).json()["total"]

            assert hits() == 0
            added = http.post("/api/proposals", files={"file": ("v.txt", DOCUMENT.encode(), "text/plain")}).json()
            assert hits() >= 1
            slug = added["slug"]
            assert http.get(f"/search?q={quote('glesbygdsmottagningarna')}", headers=BROWSER).text.count(slug) >= 1
            assert http.delete(f"/api/proposals/{slug}").status_code == 200
            assert hits() == 0
    finally:
        server.stop()


def test_a_measure_that_is_part_of_a_sum_links_its_whole_on_its_page(client):
    measures = client.get("/api/measures", params={"proposal": "hsn-varmland-2026", "limit": 1000}).json()["items"]
    part = next(m for m in measures if m["part_of"])
    body = page(client, f"/id/{part['id']}")
    assert f'href="/id/{part["part_of"]["id"]}"' in body.split('id="measure-part-of"')[1].split("</dd>")[0]
    assert twin(client, f"/id/{part['id']}")["measure"]["part_of"] == part["part_of"]


def test_who_does_what_sums_a_part_of_a_sum_once(client):
    care = twin(client, "/id/concept/primarvard")
    measures = client.get(
        "/api/measures", params={"proposal": "hsn-varmland-2026", "target": "concept/primarvard", "limit": 1000}
    ).json()["items"]
    assert any(m["part_of"] for m in measures)
    funds = [m for m in measures if m["relation"] == "funds"]
    row = next(
        r for r in care["by_relation"] if r["relation"] == "funds" and r["proposal"]["id"].endswith("varmland-2026")
    )
    assert row["measures"] == len(funds)
    assert row["msek"] == round(sum(m["amount_msek"] for m in funds if m["amount_msek"] and not m["part_of"]), 3)
