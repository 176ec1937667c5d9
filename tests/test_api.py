"""The HTTP API driven over real HTTP against a server process on the bundled corpus."""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph as ox
import pytest

from api.settings import BUNDLED_CORPUS
from tests.conftest import Server

PROPOSALS = "PREFIX pkg: <https://w3id.org/policykg/ns#> SELECT ?p WHERE { ?p a pkg:Proposal } ORDER BY ?p"


def sparql(client, query: str, accept: str = "application/sparql-results+json", method: str = "GET"):
    if method == "GET":
        return client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    return client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query", "Accept": accept})


def test_select_json_lists_every_proposal(client):
    response = sparql(client, PROPOSALS)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    rows = response.json()["results"]["bindings"]
    assert len(rows) == len(list(BUNDLED_CORPUS.glob("*.txt")))
    assert all(r["p"]["type"] == "uri" for r in rows)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_in_xml_csv_tsv_agree_with_json(client, method):
    expected = [r["p"]["value"] for r in sparql(client, PROPOSALS).json()["results"]["bindings"]]
    xml = sparql(client, PROPOSALS, "application/sparql-results+xml", method)
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert [u for u in expected if f"<uri>{u}</uri>" in xml.text] == expected
    table = list(csv.reader(io.StringIO(sparql(client, PROPOSALS, "text/csv", method).text)))
    assert table[0] == ["p"] and [row[0] for row in table[1:]] == expected
    tsv = sparql(client, PROPOSALS, "text/tab-separated-values", method).text.strip().split("\n")
    assert tsv[0] == "?p" and tsv[1:] == [f"<{u}>" for u in expected]


def test_form_post_and_ask(client):
    response = client.post("/sparql", data={"query": "ASK { ?s a <https://w3id.org/policykg/ns#Measure> }"})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_construct_returns_turtle_that_parses(client):
    query = (
        "PREFIX pkg: <https://w3id.org/policykg/ns#> CONSTRUCT { ?m pkg:funds ?s } WHERE { ?m pkg:funds ?s } LIMIT 20"
    )
    response = sparql(client, query, "text/turtle")
    assert response.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    assert triples and all(t.predicate.value.endswith("#funds") for t in triples)


def test_update_is_refused(client):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    for response in (
        client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
        client.post("/sparql", data={"update": update}),
        sparql(client, update),
    ):
        assert response.status_code == 403
        assert "read-only" in response.json()["error"]
    assert sparql(client, "ASK { <urn:a> <urn:b> <urn:c> }").json()["boolean"] is False


def test_malformed_query_quotes_the_parser(client):
    response = sparql(client, "SELECT ?s WHERE { ?s ?p }")
    assert response.status_code == 400
    assert response.json()["error"].startswith("malformed SPARQL query: error at 1:")


def test_service_is_refused(client):
    response = sparql(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert response.status_code == 403
    assert "SERVICE" in response.json()["error"]
    quoted = sparql(client, 'SELECT * WHERE { ?s ?p "SERVICE" } LIMIT 1')
    assert quoted.status_code == 200
    named = sparql(client, "SELECT ?service WHERE { ?service a pkg:Service } LIMIT 1")
    assert named.status_code == 200 and named.json()["results"]["bindings"]


def test_result_limit_is_enforced(client):
    response = sparql(client, "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 413
    assert "LIMIT" in response.json()["error"]


def test_unacceptable_media_type(client):
    assert sparql(client, PROPOSALS, "image/png").status_code == 406


def test_party_to_measures_to_services(client):
    """Traverse: a party → the measures it proposes → the services they fund."""
    parties = client.get("/api/entities", params={"type": "Party", "q": "Sjukvårdspartiet"}).json()["items"]
    party = next(p for p in parties if p["id"] == "party/sjukvardspartiet-vasternorrland")
    measures = client.get("/api/measures", params={"actor": party["id"], "relation": "funds", "limit": 200})
    assert measures.status_code == 200
    items = measures.json()["items"]
    assert items, "SJVP should fund something"
    for item in items:
        assert any(a["id"] == "party/sjukvardspartiet-vasternorrland" for a in item["actors"])
        assert item["relation"] == "funds" and all(e["relation"] == "funds" for e in item["effects"])
        assert item["evidence"]["quote"] and item["evidence"]["line"] >= 1
    funded = {e["target"]["label"] for i in items for e in i["effects"] if e["relation"] == "funds"}
    assert funded
    first = items[0]
    target = next(e["target"] for e in first["effects"] if e["relation"] == "funds")
    hood = client.get("/api/neighbours", params={"id": first["id"], "depth": 1}).json()
    node_ids = {n["id"] for n in hood["nodes"]}
    assert target["id"] in node_ids and "party/sjukvardspartiet-vasternorrland" in node_ids


def test_neighbours_share_the_room_and_say_when_cut(client):
    """A capped neighbourhood keeps every first-level neighbour and some of each one's own: a hub cannot crowd
    out its siblings. Uncapped, a measure's depth-1 neighbourhood is whole and says so."""
    measure = client.get("/api/measures", params={"actor": "party/moderaterna", "limit": 1}).json()["items"][0]["id"]
    whole = client.get("/api/neighbours", params={"id": measure, "depth": 1}).json()
    assert whole["truncated"] is False and len(whole["nodes"]) > 2
    first = {n["id"] for n in whole["nodes"]}
    capped = client.get("/api/neighbours", params={"id": measure, "depth": 2, "max_nodes": 40}).json()
    assert capped["truncated"] is True and len(capped["nodes"]) <= 40
    assert first <= {n["id"] for n in capped["nodes"]}
    depth = {n["iri"]: n["depth"] for n in capped["nodes"]}
    grew = {a for e in capped["edges"] for a, b in ((e["source"], e["target"]), (e["target"], e["source"]))
            if depth[a] == 1 and depth[b] == 2}  # fmt: skip
    assert len(grew) >= 2  # more than one first-level node got room to grow
    party = client.get("/api/neighbours", params={"id": "party/moderaterna", "max_nodes": 10}).json()
    assert party["truncated"] is True and len(party["nodes"]) == 10


def test_neighbours_relation_filter(client):
    item = client.get("/api/measures", params={"relation": "funds", "limit": 1}).json()["items"][0]
    hood = client.get("/api/neighbours", params={"id": item["id"], "relation": "funds"}).json()
    assert hood["edges"] and all(e["relation"] == "pkg:funds" for e in hood["edges"])
    blank = client.get("/api/neighbours", params={"id": item["id"], "relation": ["", "funds"]}).json()
    assert blank["edges"] == hood["edges"]  # an empty relation= is no filter of its own, never a 500
    unfiltered = client.get("/api/neighbours", params={"id": item["id"], "relation": ""})
    assert unfiltered.status_code == 200 and len(unfiltered.json()["edges"]) >= len(hood["edges"])


def test_path_between_party_and_hospital(client):
    party, hospital = "party/sjukvardspartiet-vasternorrland", "hospital/solleftea-sjukhus"
    response = client.get("/api/paths", params={"source": party, "target": hospital})
    assert response.status_code == 200
    body = response.json()
    assert body["nodes"][0]["id"] == party and body["nodes"][-1]["id"] == hospital
    assert body["length"] == len(body["edges"]) >= 2
    itself = client.get("/api/paths", params={"source": party, "target": party}).json()
    assert itself["length"] == 0 and [n["id"] for n in itself["nodes"]] == [party]


def test_entity_has_labelled_edges_both_ways(client):
    body = client.get("/api/entities/party/sjukvardspartiet-vasternorrland").json()
    assert body["label"].startswith("Sjukvårdspartiet")
    assert "pkg:Party" in body["types"]
    proposed = [e for e in body["incoming"] if e["property"] == "pkg:proposedBy"]
    assert proposed and all(e["label"] for e in proposed)
    assert body["incoming_counts"]["pkg:proposedBy"] >= len(proposed)


def test_unknown_ids_are_404_with_a_message(client):
    odd = "/api/neighbours?id=party/no%20such%3Eparty"  # no IRI can name it: still a 404, never a 500
    for path in ("/api/entities/party/no-such-party", "/api/proposals/nope", "/api/neighbours?id=measure/missing", odd):
        response = client.get(path)
        assert response.status_code == 404
        assert "unknown" in response.json()["error"]


def test_bad_parameters_are_422(client):
    assert client.get("/api/measures", params={"relation": "explodes"}).status_code == 422
    assert client.get("/api/entities", params={"limit": 0}).status_code == 422
    assert client.get("/api/entities", params={"type": "Spaceship"}).status_code == 422
    assert client.get("/api/entities", params={"cursor": "%%%"}).status_code == 400
    for cursor in ("\u0095\u00bb", "__4"):  # not ASCII; base64 of bytes that are no UTF-8 (found by schemathesis)
        for path in ("/api/entities", "/api/proposals"):
            bad = client.get(path, params={"cursor": cursor})
            assert bad.status_code == 400 and "cursor" in bad.json()["error"], (path, cursor)


def test_a_label_search_with_control_characters_is_a_search_not_a_500(client):
    """A carriage return broke the SPARQL string the search text went into (found by schemathesis)."""
    wanted = client.get("/api/entities", params={"type": "Party", "q": "Sjukvårdspartiet Västernorrland"}).json()
    assert wanted["items"]
    for q in ("Sjukvårdspartiet\rVästernorrland", "Sjukvårdspartiet\r\n Västernorrland", 'a"\\b\u0085c'):
        found = client.get("/api/entities", params={"type": "Party", "q": q})
        assert found.status_code == 200, (q, found.text)
        assert found.json()["items"] == (wanted["items"] if q.startswith("Sjuk") else [])


def test_a_cursor_that_decodes_to_no_iri_is_a_400_not_a_query(client):
    """A cursor decoding to a double quote ("Ip") or to "> > " ("Pj4g") once broke the SPARQL it went into: a 500."""
    for cursor in ("Ip", "Pj4g"):
        for path in ("/api/goals", "/api/measures", "/api/frames"):
            bad = client.get(path, params={"cursor": cursor})
            assert bad.status_code == 400 and "cursor" in bad.json()["error"], (path, cursor, bad.text)
    for path in ("/api/conflicts", "/api/stance-changes"):  # pair cursors ("a b") are compared as quoted strings
        assert client.get(path, params={"cursor": "IiB8fCB0cnVlIHx8ICI"}).status_code == 200  # '" || true || "'


def test_an_empty_id_is_a_400_that_says_what_to_pass(client):
    for path, params in (("/api/neighbours", {"id": ""}), ("/api/paths", {"source": "", "target": ""})):
        response = client.get(path, params=params)
        assert response.status_code == 400 and "missing" in response.json()["error"], path


def walk(client, path: str, **params) -> list[dict]:
    """Every item of a paged listing, following next_cursor."""
    items, cursor = [], None
    while True:
        body = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})}).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


def count(client, where: str) -> int:
    select = f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ {where} }}"
    total = sparql(client, f"PREFIX pkg: <https://w3id.org/policykg/ns#> {select}")
    return int(total.json()["results"]["bindings"][0]["n"]["value"])


def test_pagination_walks_every_measure_once(client):
    seen = [m["iri"] for m in walk(client, "/api/measures", limit=100)]
    assert len(seen) == len(set(seen)) == count(client, "?m a pkg:Measure")


def test_confidence_keeps_list_items_and_table_rows_and_drops_running_text(client):
    """Every measure says where it stands and how far to trust it; min_confidence filters on that."""
    every = walk(client, "/api/measures", limit=1000)
    assert {m["source"] for m in every} >= {"list", "table", "running_text"}
    trust = {m["source"]: m["confidence"] for m in every}
    assert trust["running_text"] < trust["list"] and trust["running_text"] < trust["table"]
    firm = walk(client, "/api/measures", min_confidence=trust["list"], limit=1000)
    assert firm and all(m["confidence"] >= trust["list"] for m in firm)
    assert len(firm) == sum(m["confidence"] >= trust["list"] for m in every) < len(every)
    assert client.get("/api/measures", params={"min_confidence": 2}).status_code == 422


def test_measure_pages_are_in_document_order_under_every_filter(client):
    """Small pages over a filtered listing give the same measures, in order, as one big page."""
    for params in ({"actor": "party/moderaterna"}, {"actor": "party/moderaterna", "relation": "funds"},
                   {"relation": "cuts"}, {"target": "concept/primarvard"}):  # fmt: skip
        whole = client.get("/api/measures", params={**params, "limit": 1000}).json()["items"]
        assert whole, params
        assert [m["iri"] for m in walk(client, "/api/measures", **params, limit=3)] == [m["iri"] for m in whole]
        keys = [(m["proposal"]["iri"], m["evidence"]["line"], m["iri"]) for m in whole]
        assert keys == sorted(keys), params
    stale = client.get("/api/measures", params={"cursor": "aHR0cHM6Ly9leGFtcGxlLm9yZy9ubw"})
    assert stale.status_code == 400 and "cursor" in stale.json()["error"]


def test_entity_pages_list_each_labelled_entity_once_in_order(client):
    services = walk(client, "/api/entities", type="Service", limit=97)
    iris = [s["iri"] for s in services]
    assert iris == sorted(set(iris))
    assert all(s["type"] == "pkg:Service" and s["label"] for s in services)
    labelled = (
        '<http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STRSTARTS(STR(?m), "https://w3id.org/policykg/id/"))'
    )
    assert len(iris) == count(client, f"?m a pkg:Service ; {labelled}")
    found = walk(client, "/api/entities", q="SjukHUS", limit=20)
    assert found and all("sjukhus" in f["label"].lower() for f in found)
    assert {"pkg:Hospital", "pkg:Measure"} <= {f["type"] for f in found}


def test_proposals_and_goals(client):
    proposals = client.get("/api/proposals").json()["items"]
    assert len(proposals) == count(client, "?m a pkg:Proposal")
    assert walk(client, "/api/proposals", limit=2) == proposals  # three pages, IRI order, each proposal once
    for p in proposals:
        assert p["region"] and p["period"] and p["authors"], p["id"]
    goals = walk(client, "/api/goals", proposal=proposals[0]["id"], limit=7)
    assert len(goals) == count(client, f"?m a pkg:Goal ; pkg:statedIn <{proposals[0]['iri']}>")
    assert [g["line"] for g in goals] == sorted(g["line"] for g in goals)  # document order across pages
    served = next(g for g in goals if g["measures"])
    serving = count(client, f"?m pkg:servesGoal <{served['iri']}>")
    assert len(served["measures"]) == serving and all(m["label"] for m in served["measures"])
    everything = walk(client, "/api/goals", limit=1000)
    assert [g["proposal"]["iri"] for g in everything] == sorted(g["proposal"]["iri"] for g in everything)
    stale = client.get("/api/goals", params={"cursor": "aHR0cHM6Ly9leGFtcGxlLm9yZy9ubw"})
    assert stale.status_code == 400 and "cursor" in stale.json()["error"]


def test_stats_counts(client):
    stats = client.get("/api/stats").json()
    assert stats["classes"]["pkg:Proposal"] == len(list(BUNDLED_CORPUS.glob("*.txt")))
    assert sum(p["measures"] for p in stats["proposals"]) == stats["classes"]["pkg:Measure"]


def test_export_formats(client):
    trig = client.get("/api/export", params={"format": "nquads"})
    assert trig.status_code == 200
    graphs = {q.graph_name.value for q in ox.parse(trig.content, format=ox.RdfFormat.N_QUADS)}
    assert "https://w3id.org/policykg/graph/reference" in graphs and len(graphs) >= 6
    slug = client.get("/api/proposals").json()["items"][0]["id"].split("/", 1)[1]
    turtle = client.get("/api/export", params={"format": "turtle", "proposal": slug})
    assert len(list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))) > 50
    jsonld = client.get("/api/export", params={"format": "jsonld", "proposal": slug})
    assert json.loads(jsonld.content)
    assert client.get("/api/export", params={"format": "turtle"}).status_code == 422


def test_cors_header(client):
    response = client.get("/api/stats", headers={"Origin": "https://example.org"})
    assert response.headers.get("access-control-allow-origin") in ("*", "https://example.org")


def test_openapi_documents_the_endpoints(client):
    spec = client.get("/openapi.json").json()
    assert {"/sparql", "/api/measures", "/api/neighbours", "/api/paths", "/api/export"} <= set(spec["paths"])
    measure = spec["components"]["schemas"]["Measure"]["properties"]
    assert {"text", "amount_msek", "effects", "evidence", "actors", "goal"} <= set(measure)


def test_budget_frames_compare_committees_across_proposals(client):
    rows = walk(client, "/api/frames", committee="regionstyrelsen", limit=3)
    assert rows and all(r["committee"]["id"] == "committee/regionstyrelsen" for r in rows)
    assert all(r["label"] == f"{r['committee']['label']} {r['year']}" for r in rows)
    assert len({r["proposal"]["id"] for r in rows}) >= 2
    assert all(r["amount_msek"] > 100 and r["evidence"]["line"] >= 1 for r in rows)
    assert [(r["year"], r["proposal"]["iri"]) for r in rows] == sorted((r["year"], r["proposal"]["iri"]) for r in rows)
    one_year = walk(client, "/api/frames", committee="regionstyrelsen", year=rows[0]["year"])
    assert {r["year"] for r in one_year} == {rows[0]["year"]}
    assert len(one_year) == sum(r["year"] == rows[0]["year"] for r in rows)
    one_proposal = walk(client, "/api/frames", proposal=rows[0]["proposal"]["id"], limit=1000)
    assert {r["proposal"]["id"] for r in one_proposal} == {rows[0]["proposal"]["id"]}
    assert len(walk(client, "/api/frames", limit=7)) == count(client, "?m a pkg:BudgetFrame")
    assert client.get("/api/frames", params={"committee": "nope"}).status_code == 404
    stale = client.get("/api/frames", params={"cursor": "aHR0cHM6Ly9leGFtcGxlLm9yZy9ubw"})
    assert stale.status_code == 400 and "cursor" in stale.json()["error"]


def test_project_prefixes_are_predeclared(client):
    response = sparql(client, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Proposal ; dcterms:title ?t }")
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == str(len(list(BUNDLED_CORPUS.glob("*.txt"))))


def test_a_query_at_the_time_limit_holds_up_no_other_request(store_dir, tmp_path):
    """A runaway POSTed query gets 503 at the limit; meanwhile the server keeps answering everyone else."""
    shutil.copytree(store_dir, tmp_path / "db")
    server = Server(tmp_path / "db", {"POLICYKG_QUERY_TIMEOUT": "3"})
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    try:
        with ThreadPoolExecutor(1) as pool, httpx.Client(base_url=server.url, timeout=60) as other:
            slow = pool.submit(
                httpx.post, server.url + "/sparql", content=cross, timeout=60,
                headers={"Content-Type": "application/sparql-query"},
            )  # fmt: skip
            time.sleep(0.5)
            started = time.monotonic()
            assert other.get("/api/proposals").status_code == 200
            assert time.monotonic() - started < 2
            refused = slow.result()
        assert refused.status_code == 503 and "time limit" in refused.json()["error"]
    finally:
        server.stop()


def test_budget_rows_carry_their_figure_per_year(client):
    """Every pkg:YearAmount in the store is served on its measure, in year order, beside the one amount."""
    stored = count(client, "?m pkg:yearlyAmount ?y")
    assert stored > 0
    proposals = [p["id"] for p in client.get("/api/proposals").json()["items"]]
    served = [m for p in proposals for m in walk(client, "/api/measures", proposal=p, limit=500) if m["yearly"]]
    assert len(served) == stored  # count() counts distinct ?m
    assert sum(len(m["yearly"]) for m in served) == count(client, "?m a pkg:YearAmount")
    for m in served:
        years = [y["year"] for y in m["yearly"]]
        assert years == sorted(years) and len(years) >= 2
        assert all(isinstance(y["amount_msek"], float | int) for y in m["yearly"])


def test_a_part_of_a_sum_names_its_whole_and_totals_count_it_once(client):
    """A clause about a list item's sum ("… 64 miljoner kronor vilket bland annat inkluderar … 20 miljoner") is a
    measure of its own that names the measure it is part of; the comparison's totals leave it out."""
    assert count(client, "?m pkg:partOf ?whole") >= 1
    proposal = "hsn-varmland-2026"
    measures = {m["id"]: m for m in walk(client, "/api/measures", proposal=proposal, limit=500)}
    parts = [m for m in measures.values() if m["part_of"]]
    assert parts and all(m["part_of"]["id"] in measures for m in parts)
    for part in parts:
        whole = measures[part["part_of"]["id"]]
        assert abs(whole["amount_msek"]) > abs(part["amount_msek"]) and not whole["part_of"]
        assert whole["evidence"]["line"] <= part["evidence"]["line"]
    data = client.get("/compare.json", params={"p": [proposal]}).json()
    care = next(r for r in data["per_service"] if r["key"]["id"] == "concept/primarvard")
    stated = [
        m["amount_msek"]
        for m in measures.values()
        if not m["part_of"]
        and m["amount_msek"]
        and any(e["target"]["id"] == "concept/primarvard" for e in m["effects"])
    ]
    assert next(iter(care["values"].values()))["msek"] == round(sum(stated), 3)
