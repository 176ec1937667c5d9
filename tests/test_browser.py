"""The pages as a person meets them: the real server, Debian's Chromium headless, no JavaScript errors anywhere."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from api.web.editor import CYTOSCAPE, YASGUI, vendored
from tests.browser import OPT_OUT, chromium, missing

SJVP_QUOTE = "Region Västernorrlands ska ha tre akutsjukhus – i Sundsvall, Sollefteå och Örnsköldsvik."
CSV_HEADER = "region,file,period,parties,hospitals,line,quote"


@pytest.fixture(scope="session")
def browser():
    if os.environ.get(OPT_OUT) == "1":
        pytest.skip(f"{OPT_OUT}=1: browser tests opted out")
    problem = missing()
    if problem:
        pytest.fail(problem, pytrace=False)
    with chromium() as running:
        yield running


@dataclass
class Tab:
    """A page and every JavaScript error it logged (console errors and uncaught exceptions)."""

    page: object
    errors: list[str] = field(default_factory=list)


def open_tab(browser, server, javascript: bool = True) -> Tab:
    context = browser.new_context(
        base_url=server.url, locale="sv-SE", java_script_enabled=javascript, accept_downloads=True
    )
    tab = Tab(context.new_page())
    tab.page.on("console", lambda m: m.type == "error" and tab.errors.append(f"{m.text} at {m.location}"))
    tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.page.set_default_timeout(20_000)
    return tab


@pytest.fixture
def tab(browser, server):
    opened = open_tab(browser, server)
    yield opened
    opened.page.context.close()


@pytest.fixture
def plain_tab(browser, server):
    opened = open_tab(browser, server, javascript=False)
    yield opened
    opened.page.context.close()


def require_vendored(path: str) -> None:
    if not vendored(path):
        pytest.fail(f"api/web/static/{path} missing: `python3 dev.py test` runs npm ci in api/web/static/vendor")


def run_editor_query(page) -> list[list[str]]:
    """Press the editor's run button and read YASR's table: cell texts row by row, without the row number."""
    page.locator(".yasqe_queryButton").click()
    page.locator(".yasr table.dataTable tbody tr td").first.wait_for()
    rows = page.locator(".yasr table.dataTable tbody tr")
    return [rows.nth(i).locator("td").all_inner_texts()[1:] for i in range(rows.count())]  # after the row number


def test_editor_runs_the_three_hospitals_example_and_reads_the_table(tab):
    require_vendored(f"{YASGUI}/yasgui.min.js")
    page = tab.page
    page.goto("/sparql")
    page.get_by_role("link", name="Vilka partier vill ha tre akutsjukhus i sin region?").click()
    page.wait_for_url("**/sparql?example=three-hospitals")
    page.locator(".yasqe .CodeMirror").wait_for()
    rows = run_editor_query(page)
    assert len(rows) == 6
    assert any(SJVP_QUOTE in " ".join(cells) for cells in rows)
    assert {r[1].strip() for r in rows if "SJVP" in r} == {"000_0410683bcf7f9b19.txt"}
    assert tab.errors == []


def test_editor_share_link_reopens_the_query_in_the_editor(tab):
    require_vendored(f"{YASGUI}/yasgui.min.js")
    page = tab.page
    page.goto("/sparql?example=solleftea-stances")
    page.locator(".yasqe_share").click()
    link = page.locator(".yasqe_sharePopup input").input_value()
    assert link.startswith(page.url.split("/sparql")[0] + "/sparql?edit=")
    page.goto(link)
    page.locator(".yasqe .CodeMirror").wait_for()
    assert "hospital/solleftea-sjukhus" in page.evaluate("() => policykgEditor.getTab().getQuery()")
    assert tab.errors == []


def test_editor_draws_a_chart_and_downloads_csv_through_the_endpoint(tab):
    require_vendored(f"{YASGUI}/yasgui.min.js")
    page = tab.page
    page.goto("/sparql?example=measures-per-relation")
    page.locator(".yasqe .CodeMirror").wait_for()
    relations = run_editor_query(page)
    page.locator(".yasr .select_chart").click()
    bars = page.locator(".pkg-chart svg rect")
    bars.first.wait_for()
    assert bars.count() == len(relations)
    page.goto("/sparql?example=three-hospitals")
    page.locator(".yasqe .CodeMirror").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    body = Path(download.value.path()).read_text("utf-8")
    assert body.splitlines()[0] == CSV_HEADER and SJVP_QUOTE in body
    assert tab.errors == []


def test_entity_iris_in_editor_results_open_their_local_pages(tab):
    require_vendored(f"{YASGUI}/yasgui.min.js")
    page = tab.page
    page.goto("/sparql")
    page.locator(".yasqe .CodeMirror").wait_for()
    query = "SELECT ?h WHERE { BIND(<https://w3id.org/policykg/id/hospital/solleftea-sjukhus> AS ?h) }"
    page.evaluate("q => policykgEditor.getTab().getYasqe().setValue(q)", query)
    run_editor_query(page)
    page.locator(".yasr table.dataTable tbody a").first.click()
    page.wait_for_url("**/id/hospital/solleftea-sjukhus")
    assert "Sollefteå sjukhus" in page.locator("h1").inner_text()
    assert tab.errors == []


def test_editor_completes_the_vocabulary(tab):
    require_vendored(f"{YASGUI}/yasgui.min.js")
    page = tab.page
    page.goto("/sparql?example=proposals")
    page.locator(".yasqe .CodeMirror").wait_for()
    page.evaluate(
        "() => policykgEditor.getTab().getYasqe().setValue('PREFIX pkg: <https://w3id.org/policykg/ns#>\\n"
        "SELECT * WHERE { ?h a pkg:Hosp')"
    )
    page.evaluate(
        "() => { const y = policykgEditor.getTab().getYasqe(); y.focus(); y.setCursor(y.lineCount(), 0); "
        "y.autocomplete(); }"
    )
    hint = page.locator(".CodeMirror-hints li").first
    hint.wait_for()
    assert "pkg:Hospital" in page.locator(".CodeMirror-hints").inner_text()
    assert tab.errors == []


def test_plain_form_without_javascript_renders_the_table_on_the_server(plain_tab):
    page = plain_tab.page
    page.goto("/sparql?example=three-hospitals")
    page.get_by_role("button", name="Kör frågan").click()
    page.wait_for_url("**/sparql/table")
    headers = page.locator("#results thead th").all_inner_texts()
    assert headers == CSV_HEADER.split(",")
    cells = page.locator("#results tbody td").all_inner_texts()
    assert SJVP_QUOTE in cells and len(page.locator("#results tbody tr").all()) == 6


def test_graph_view_draws_the_neighbourhood_and_nodes_lead_to_their_pages(tab, client):
    require_vendored(CYTOSCAPE)
    page = tab.page
    page.goto("/graph?id=hospital/solleftea-sjukhus")
    page.locator('[data-graph-id][data-ready="true"]').wait_for()
    expected = client.get("/api/neighbours", params={"id": "hospital/solleftea-sjukhus", "max_nodes": 40}).json()
    drawn = page.evaluate("() => document.querySelector('[data-graph-id]').policykgGraph.nodes().length")
    assert drawn == len(expected["nodes"]) > 1
    target = page.evaluate(
        """() => { const el = document.querySelector('[data-graph-id]'); const box = el.getBoundingClientRect();
        const node = el.policykgGraph.nodes().filter(n => n.data('page') && n.data('depth') === 1)[0];
        const p = node.renderedPosition(); return {x: box.left + p.x, y: box.top + p.y, page: node.data('page')}; }"""
    )
    assert tab.errors == []
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(f"**{target['page']}")


def test_search_for_solleftea_leads_to_the_hospital_and_a_quote_to_its_highlighted_line(tab):
    page = tab.page
    page.goto("/")
    page.locator("#search-q").fill("Sollefteå")
    page.locator("#search-box button[type=submit]").click()
    page.wait_for_url("**/search?q=*")
    page.locator('#search-results li[data-id="hospital/solleftea-sjukhus"] a.result-link').click()
    page.wait_for_url("**/id/hospital/solleftea-sjukhus")
    assert "Sollefteå sjukhus" in page.locator("h1").inner_text()
    stance = page.locator("#target ul.stances li.stance").first
    quote = stance.locator("blockquote.quote").inner_text()
    link = stance.locator("a.source-link")
    line = link.get_attribute("href").rsplit("#L", 1)[1]
    link.click()
    page.wait_for_url(f"**/text?hl={line}#L{line}")
    highlighted = page.locator("#source li.hl")
    assert highlighted.get_attribute("id") == f"L{line}"
    assert highlighted.inner_text().split()[0] in quote
    assert highlighted.is_visible() and page.evaluate("() => document.querySelector(':target').id") == f"L{line}"
    assert tab.errors == []


def test_party_page_lists_its_proposals_and_positions(tab):
    page = tab.page
    page.goto("/id/party/sjukvardspartiet-vasternorrland")
    assert "Sjukvårdspartiet" in page.locator("h1").inner_text()
    assert page.locator("#actor-proposals tbody tr").count() >= 1
    assert page.locator("#actor-timeline tbody tr").count() >= 1
    page.locator("#graph-link").click()
    page.locator('[data-graph-id][data-ready="true"]').wait_for()
    assert tab.errors == []


def test_comparison_of_two_proposals_draws_bars(tab):
    page = tab.page
    page.goto("/compare")
    boxes = page.locator("#compare-form input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("#compare-form button[type=submit]").click()
    page.wait_for_url("**/compare?p=*")
    per_committee = page.locator("table.compare").first
    assert per_committee.locator("thead th a").count() == 2
    assert per_committee.locator(".bar").count() >= 1
    assert tab.errors == []


def test_home_walks_to_the_three_hospitals_answer(tab):
    page = tab.page
    page.goto("/")
    assert tab.page.locator("#search-q").is_visible()
    page.locator('a[href="/sparql?example=three-hospitals"]').first.click()
    page.wait_for_url("**/sparql?example=three-hospitals")
    if vendored(f"{YASGUI}/yasgui.min.js"):
        page.locator(".yasqe .CodeMirror").wait_for()
        assert any(SJVP_QUOTE in " ".join(cells) for cells in run_editor_query(page))
    assert tab.errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/?lang=en",
        "/id/proposal/sjvp-vasternorrland-2025",
        "/id/proposal/sjvp-vasternorrland-2025/text?hl=19#L19",
        "/conflicts",
        "/stance-changes",
        "/search?q=primärvårdens",
        "/id/concept/akutsjukhus",
        "/sparql?example=primary-care-money&lang=en",
    ],
)
def test_pages_load_without_javascript_errors(tab, path):
    response = tab.page.goto(path)
    assert response.status == 200
    tab.page.wait_for_load_state("networkidle")
    assert tab.errors == []
