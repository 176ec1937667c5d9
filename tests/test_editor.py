"""The SPARQL editor page, its no-JavaScript table, the saved examples and the graph page, over real HTTP."""

from __future__ import annotations

import re

import pytest

from api.web.editor import QUERIES, examples, vocabulary
from ontology.terms import PKG
from tests.test_stances import THREE_EMERGENCY_HOSPITALS

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SJVP_QUOTE = "Region Västernorrlands ska ha tre akutsjukhus – i Sundsvall, Sollefteå och Örnsköldsvik."


def test_a_browser_without_a_query_gets_the_editor_with_the_three_hospitals_example_first(client):
    response = client.get("/sparql", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    titles = re.findall(r'<a href="/sparql\?example=([\w-]+)"', response.text)
    assert titles[0] == "three-hospitals" and set(titles) == {e.name for e in examples()}
    assert "pkg:Supports" in response.text  # the three-hospitals query is in the form's textarea
    assert '<form id="sparql-form" method="post" action="/sparql/table">' in response.text


@pytest.mark.parametrize("accept", ["*/*", "", "application/sparql-results+json", "application/json, text/html;q=0.5"])
def test_api_clients_without_a_query_still_get_400(client, accept):
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 400
    assert "missing SPARQL query" in response.json()["error"]


def test_a_query_asking_only_for_html_is_still_refused_406(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/html"})
    assert response.status_code == 406


def test_example_parameter_chooses_the_query_and_unknown_names_are_404(client):
    response = client.get("/sparql", params={"example": "solleftea-stances"}, headers=BROWSER)
    assert response.status_code == 200
    assert "hospital/solleftea-sjukhus" in response.text
    assert 'href="/sparql?example=solleftea-stances" aria-current="true"' in response.text
    missing = client.get("/sparql", params={"example": "nope"}, headers=BROWSER)
    assert missing.status_code == 404 and "three-hospitals" in missing.json()["error"]


def test_a_shared_editor_link_loads_its_query_and_stays_a_400_for_programs(client):
    shared = "ASK { ?h a pkg:Hospital }"
    body = client.get("/sparql", params={"edit": shared}, headers=BROWSER).text
    assert f'spellcheck="false">{shared}</textarea>' in body and "aria-current" not in body
    assert client.get("/sparql", params={"edit": shared}).status_code == 400


def test_the_saved_three_hospitals_query_is_the_readme_query():
    saved = examples()[0]
    assert saved.name == "three-hospitals" and saved.query == THREE_EMERGENCY_HOSPITALS
    assert (QUERIES / "three-hospitals.rq").read_text("utf-8").endswith(THREE_EMERGENCY_HOSPITALS)


def test_the_editor_speaks_english_when_asked(client):
    body = client.get("/sparql", params={"lang": "en"}, headers=BROWSER).text
    assert "Which parties want three emergency hospitals in their region?" in body and "Run the query" in body


@pytest.mark.parametrize("name", [e.name for e in examples()])
def test_every_example_answers_with_rows(client, name):
    query = next(e.query for e in examples() if e.name == name)
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"]


def test_the_form_renders_the_three_hospitals_answer_as_an_html_table(client):
    response = client.post("/sparql/table", data={"query": THREE_EMERGENCY_HOSPITALS}, headers=BROWSER)
    assert response.status_code == 200
    table = response.text[response.text.index('<table id="results">') :]
    header = re.findall(r'<th scope="col">(\w+)</th>', table)
    assert header == ["region", "file", "period", "parties", "hospitals", "line", "quote"]
    assert table.count("<tr><td>") == 6
    assert f"<td>{SJVP_QUOTE}</td>" in table


def test_the_form_shows_refusals_and_construct_answers(client):
    malformed = client.post("/sparql/table", data={"query": "SELECT WHERE"}, headers=BROWSER)
    assert malformed.status_code == 400 and 'class="error"' in malformed.text and "malformed" in malformed.text
    update = client.post("/sparql/table", data={"query": "DELETE WHERE { ?s ?p ?o }"}, headers=BROWSER)
    assert update.status_code == 403
    empty = client.post("/sparql/table", data={"query": " "}, headers=BROWSER)
    assert empty.status_code == 400
    construct = "CONSTRUCT { ?p a pkg:Party } WHERE { ?p a pkg:Party } LIMIT 2"
    graph = client.post("/sparql/table", data={"query": construct}, headers=BROWSER)
    assert graph.status_code == 200 and '<pre id="graph-result">' in graph.text and "pkg:Party" in graph.text


def test_the_editor_completes_the_vocabularys_classes_and_properties():
    words = vocabulary()
    assert {PKG + "Hospital", PKG + "Measure", PKG + "Stance"} <= set(words["classes"])
    assert {PKG + "funds", PKG + "about", PKG + "amount"} <= set(words["properties"])


def test_graph_page_names_the_entity_for_the_widget(client):
    response = client.get("/graph", params={"id": "hospital/solleftea-sjukhus"})
    assert response.status_code == 200
    assert 'data-graph-id="hospital/solleftea-sjukhus"' in response.text
    assert '<a href="/id/hospital/solleftea-sjukhus">Sollefteå sjukhus</a></h1>' in response.text
    assert '<script src="/static/graph.js"></script>' in response.text
    assert client.get("/static/graph.js").status_code == 200
    assert client.get("/graph", params={"id": "hospital/nowhere"}).status_code == 404


def test_static_files_go_gzipped_to_clients_that_accept_it(client):
    response = client.get("/static/sparql.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
    assert "Yasgui" in response.text
