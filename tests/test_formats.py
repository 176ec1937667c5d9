"""Real files in other formats, written by the tests: the graph from a PDF (one and two columns), DOCX or HTML
rendering of a bundled document matches the graph from its text, and bad files are refused with their cause.

Tolerance: at least 97 % of the text version's measures (by whitespace-normalised text) are found in each
rendering, and of those found at least 97 % have the same amount and the same actors; region, period and authors
are equal. Every quote is a verbatim substring of the normalised text from its line to the end of its block.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from api.settings import BUNDLED_CORPUS
from loaders.pipeline import extract
from loaders.read import DocumentError, normalised_text
from tests.render_formats import render_docx, render_html, render_pdf, render_styled_pdf

HEADER = "Budgetförslag 2025 – Sjukvårdspartiet"
TABLE = [
    "",
    "Budgetförändringar",
    "",
    "Mnkr\t2025\t2026\t2027",
    "Primärvård, ökade resurser\t55,0\t60,0\t65,0",
    "Lönelyft för vårdpersonal\t120,0\t130,0\t140,0",
    "Minskad administration\t-80,0\t-90,0\t-100,0",
    "",
]
TOLERANCE = 0.97


def source_lines() -> list[str]:
    first = sorted(BUNDLED_CORPUS.glob("000_*.txt"))[0]
    return first.read_text(encoding="utf-8").split("\n") + TABLE


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def text_doc():
    return extract("\n".join(source_lines()).encode(), "000.txt")


@pytest.fixture(scope="module", params=["pdf-1-column", "pdf-2-columns"])
def pdf_doc(request):
    columns = 1 if request.param == "pdf-1-column" else 2
    data = render_pdf(source_lines(), columns=columns, header=HEADER)
    return extract(data, f"000-{columns}.pdf")


def measures(doc) -> dict[str, object]:
    return {norm(m.text): m for m in doc.measures}


def assert_same_graph(text_doc, doc) -> None:
    expected, found = measures(text_doc), measures(doc)
    common = expected.keys() & found.keys()
    assert len(common) >= TOLERANCE * len(expected), sorted(expected.keys() - found.keys())[:5]
    same_amount = [t for t in common if expected[t].amount == found[t].amount]
    assert len(same_amount) >= TOLERANCE * len(common)
    same_actors = [t for t in common if sorted(expected[t].actors) == sorted(found[t].actors)]
    assert len(same_actors) >= TOLERANCE * len(common)
    assert doc.region and text_doc.region and doc.region.iri == text_doc.region.iri
    assert doc.period == text_doc.period
    assert [a.iri for a in doc.authors] == [a.iri for a in text_doc.authors]
    amounts = {t: found[t].amount for t in ("Primärvård, ökade resurser.", "Lönelyft för vårdpersonal.")}
    assert amounts == {t: expected[t].amount for t in amounts}, amounts


def block_at(doc, line: int) -> str:
    """The normalised text from a 1-based line to the end of its block (the next blank line)."""
    out = []
    for text in doc.lines[line - 1 :]:
        if not text.strip():
            break
        out.append(text)
    return " ".join(out)


def assert_quotes_verbatim(doc) -> None:
    quoted = [(m.quote or m.text, m.line) for m in doc.measures] + [(s.quote, s.line) for s in doc.stances]
    assert quoted
    for quote, line in quoted:
        assert norm(quote) in norm(block_at(doc, line)), (quote, line)


def test_pdf_graph_matches_the_text_graph(text_doc, pdf_doc):
    assert_same_graph(text_doc, pdf_doc)
    assert_quotes_verbatim(pdf_doc)


def test_pdf_text_has_no_page_furniture_and_joins_hyphenated_words(pdf_doc):
    lines = pdf_doc.lines
    assert not any(HEADER in line for line in lines)
    assert not any(re.fullmatch(r"\s*\d{1,3}\s*", line) for line in lines)
    source = norm("\n".join(source_lines()))
    for line in lines:  # every hyphen before a lower-case word is one the source has ("hälso- och")
        for match in re.finditer(r"\w+- [a-zåäö]\w*", line):
            assert match[0] in source, match[0]
    words = set(re.findall(r"\w+", source))
    assert set(re.findall(r"\w+", "\n".join(lines))) <= words | {"Mnkr"}  # no half words left from a hyphen


def test_pdf_keeps_bullets_the_table_and_pages(pdf_doc):
    lines = pdf_doc.lines
    bullets = sum(1 for line in source_lines() if line.strip().startswith("•"))
    assert sum(1 for line in lines if line.startswith("• ")) >= TOLERANCE * bullets
    header = lines.index("Mnkr\t2025\t2026\t2027")
    assert lines[header + 1] == "Primärvård, ökade resurser\t55,0\t60,0\t65,0"
    assert lines[header + 3] == "Minskad administration\t-80,0\t-90,0\t-100,0"
    assert len(pdf_doc.pages) == len(lines) and pdf_doc.pages == sorted(pdf_doc.pages)
    assert pdf_doc.pages[0] == 1 and pdf_doc.pages[-1] > 10
    assert pdf_doc.source_format == "pdf"


def test_two_columns_are_read_column_by_column(pdf_doc, text_doc):
    """No paragraph of the text version is cut into pieces or merged with its neighbour's text."""
    paragraphs = {norm(line) for line in source_lines() if len(line) > 200}
    found = {norm(line) for line in pdf_doc.lines}
    assert len(paragraphs & found) >= TOLERANCE * len(paragraphs)


# ---- headings marked only by type, a table drawn with ruling lines ---------------------------------------------

RULED_TABLE = [
    ["Tkr", "2031", "2032", "2033"],
    ["Primärvård, ökade resurser", "55 000", "60 000", "65 000"],
    ["Lönelyft för vårdpersonal inom den regionala hälso- och sjukvården", "120 000", "130 000", "140 000"],
    ["Minskad administration", "-80 000", "-90 000", "-100 000"],
]
STYLED = [  # (style, text): the PDF sets h1 at 16 pt, h2 bold 13 pt, h3 bold at body size, "ol" bold; no numbers
    ("title", "Budgetförslag 2031 med plan för 2032–2033"),
    ("p", "Vänsterpartiet i Region Gävleborg"),
    ("h1", "Målområde god vård i hela länet"),
    ("p", "Vården ska finnas nära invånarna i hela Gävleborg, också utanför de största orterna, och vara jämlik."),
    ("h2", "Delmål en stärkt primärvård"),
    ("p", "Primärvården är basen i hälso- och sjukvården och behöver fler medarbetare."),
    ("h3", "Vi yrkar"),
    ("li", "Att primärvården tillförs 30 miljoner kronor under 2031."),
    ("li", "Att fler hälsocentraler öppnar på landsbygden."),
    ("h2", "Delmål en trygg förlossningsvård"),
    ("h3", "Vi yrkar"),
    ("ol", "Att förlossningen i Hudiksvall återöppnas."),
    (
        "ol",
        "Att barnmorskornas löner höjs med 15 miljoner kronor och att fler barnmorskor anställs vid länets sjukhus.",
    ),
    ("h1", "Målområde regional utveckling"),
    ("h2", "Delmål bättre kollektivtrafik"),
    ("h3", "Vi yrkar"),
    ("li", "Att busstrafiken i inlandet förstärks med 12 miljoner kronor."),
    ("h1", "Målområde ekonomi i balans"),
    ("table", RULED_TABLE),
    ("p", "Förändringarna finansieras inom ramen."),
]


def numbered_text(blocks: list[tuple[str, object]]) -> list[str]:
    """The text version of STYLED: h1 and h2 numbered (1., 1.1) as plain text shows the outline, items marked."""
    lines, chapter, sub, item = [], 0, 0, 0
    for style, content in blocks:
        item = item + 1 if style == "ol" else 0
        if style == "table":
            lines += ["\t".join(row) for row in content] + [""]
            continue
        chapter, sub = (chapter + 1, 0) if style == "h1" else (chapter, sub + (style == "h2"))
        prefix = {"h1": f"{chapter}. ", "h2": f"{chapter}.{sub} ", "li": "• ", "ol": f"{item}. "}.get(style, "")
        lines += [prefix + str(content), ""]
    return lines


@pytest.fixture(scope="module")
def styled():
    """(text graph, PDF graph) of the same outline."""
    return extract("\n".join(numbered_text(STYLED)).encode(), "styled.txt"), extract(render_styled_pdf(STYLED), "s.pdf")


def ancestry(doc, section: int) -> list[str]:
    """A section's title and its parents', the document's title left out (the PDF's largest type heads it)."""
    titles = []
    while section >= 0:
        titles.append(doc.sections[section].title)
        section = doc.sections[section].parent
    return [t for t in titles if t != doc.sections[0].title]


def test_pdf_headings_marked_by_type_nest_like_numbered_ones(styled):
    text, pdf = styled
    assert [(s.title, ancestry(pdf, i)) for i, s in enumerate(pdf.sections)] == [
        (s.title, ancestry(text, i)) for i, s in enumerate(text.sections)
    ]
    assert ancestry(pdf, next(i for i, s in enumerate(pdf.sections) if s.line == 13)) == [
        "Vi yrkar",
        "Delmål en stärkt primärvård",
        "Målområde god vård i hela länet",
    ]
    assert [(g.label, g.level) for g in pdf.goals] == [(g.label, g.level) for g in text.goals]
    assert (pdf.region.iri, pdf.period, pdf.authors) == (text.region.iri, text.period, text.authors)


def test_pdf_measures_sit_under_the_same_goal_and_section(styled):
    text, pdf = styled
    goal = {d.slug: {g.iri: g.label for g in d.goals} for d in styled}

    def placed(doc):
        return {norm(m.text): (doc.sections[m.section].title, goal[doc.slug].get(m.goal)) for m in doc.measures}

    assert placed(pdf) == placed(text)
    assert placed(pdf)["Att förlossningen i Hudiksvall återöppnas."] == ("Vi yrkar", "Delmål en trygg förlossningsvård")
    bold_items = [line for line in pdf.lines if line.startswith(("1. Att", "2. Att"))]
    assert len(bold_items) == 2  # a bold numbered list stays two items, neither a heading nor joined


def test_pdf_ruled_table_is_read_as_rows_of_cells(styled):
    text, pdf = styled
    header = pdf.lines.index("Tkr\t2031\t2032\t2033")
    assert pdf.lines[header : header + 4] == ["\t".join(row) for row in RULED_TABLE]
    assert sum("resurser" in line for line in pdf.lines) == 1  # the cells are not read again as running text
    rows = {norm(m.text): (m.amount, m.yearly) for m in text.measures if m.yearly}
    assert len(rows) == 3
    assert {norm(m.text): (m.amount, m.yearly) for m in pdf.measures if m.yearly} == rows
    assert rows["Minskad administration."] == (-80.0, [(2031, -80.0), (2032, -90.0), (2033, -100.0)])


@pytest.mark.parametrize("repeat_header", [False, True], ids=["header-once", "header-on-every-page"])
def test_pdf_ruled_table_over_page_breaks_keeps_its_unit_and_every_row(repeat_header):
    header = ["Tkr", "2031", "2032", "2033"]
    rows = [[f"Satsning på vårdcentral nummer {i} i länet", "1 000", "2 000", f"{i} 000"] for i in range(1, 41)]
    blocks = [("h1", "Budget 2031 för Region Kronoberg"), ("h2", "Förändringar per nämnd")]
    blocks += [("p", "Regionen fördelar sin budget mellan nämnderna. " * 25)] * 6 + [("table", [header, *rows])]
    doc = extract(render_styled_pdf(blocks, repeat_header), "pages.pdf")
    measures = [m for m in doc.measures if m.source == "table"]
    assert len({doc.pages[m.line - 1] for m in measures}) >= 2  # the table does run over a page break
    assert [m.text for m in measures] == [f"{row[0]}." for row in rows]
    assert [m.yearly for m in measures] == [[(2031, 1.0), (2032, 2.0), (2033, float(i))] for i in range(1, 41)]


@pytest.mark.parametrize("render", [render_docx, render_html], ids=["docx", "html"])
def test_docx_and_html_graphs_match_the_text_graph(text_doc, render):
    doc = extract(render(source_lines()), f"000.{render.__name__[7:]}")
    assert doc.source_format == render.__name__[7:] and not doc.pages
    assert_same_graph(text_doc, doc)
    assert_quotes_verbatim(doc)
    header = doc.lines.index("Mnkr\t2025\t2026\t2027")
    assert doc.lines[header + 2] == "Lönelyft för vårdpersonal\t120,0\t130,0\t140,0"


def test_html_markup_becomes_blocks():
    page = """<!doctype html><html><head><title>x</title><script>var a = 1</script></head><body>
    <nav>Meny Hem</nav><h1>Budget 2025</h1><h3>Vård</h3><p>Vi vill <b>satsa</b> på vård.<br>Ny rad.</p>
    <ul><li>Ett<ul><li>Under</li></ul></li><li>Två</li></ul><ol><li>Första</li></ol>
    <table><tr><th>Mnkr</th><th>2025</th></tr><tr><td>Vård</td><td>10</td></tr></table>
    <footer>Kontakt</footer></body></html>"""
    text = normalised_text(page.encode(), "page.html")
    lines = text.lines
    assert {lines[n - 1]: level for n, level in text.headings.items()} == {"Budget 2025": 1, "Vård": 3}
    assert [line for line in lines if line] == [
        "Budget 2025",
        "Vård",
        "Vi vill satsa på vård. Ny rad.",
        "• Ett",
        "• Under",
        "• Två",
        "1. Första",
        "Mnkr\t2025",
        "Vård\t10",
    ]


def test_docx_headings_lists_and_tables():
    import docx

    document = docx.Document()
    document.add_heading("Vård i hela länet", level=1)
    document.add_heading("Förlossning", level=2)
    document.add_paragraph("Vi yrkar att:")
    document.add_paragraph("förlossningen i Sollefteå öppnas igen", style="List Bullet")
    document.add_paragraph("utreda ambulansen", style="List Number")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("Mnkr", "2025", "2026"), ("Primärvård", "10", "12")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    text = normalised_text(buffer.getvalue(), "plan.docx")
    lines = text.lines
    assert {lines[n - 1]: level for n, level in text.headings.items()} == {"Vård i hela länet": 1, "Förlossning": 2}
    assert [line for line in lines if line] == [
        "Vård i hela länet",
        "Förlossning",
        "Vi yrkar att:",
        "• förlossningen i Sollefteå öppnas igen",
        "1. utreda ambulansen",
        "Mnkr\t2025\t2026",
        "Primärvård\t10\t12",
    ]


def zip_bomb() -> bytes:
    """A DOCX-shaped zip whose document part is 60 MB of zeros (about 60 KB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            chunk = bytes(1 << 20)
            for _ in range(60):
                part.write(chunk)
    return buffer.getvalue()


def test_unpacked_size_limit(monkeypatch):
    monkeypatch.setenv("POLICYKG_MAX_UNPACKED", "1000")
    with pytest.raises(DocumentError, match=r"small.docx: the DOCX unpacks to .* more than the limit of 1,000"):
        normalised_text(render_docx(["Budget 2025", "", "Vi vill satsa på vård."]), "small.docx")


# ---- bad input ----------------------------------------------------------------------------------------------


def small_pdf(text: bool = True, pages: int = 1, encrypt: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    for page in range(pages):
        if text:  # a different line per page (a line on every page is a running header)
            pdf.drawString(72, 720, ["Budget för Region Västernorrland 2025", "Vård i hela länet", "Kultur"][page % 3])
        else:
            pdf.rect(72, 500, 200, 200, fill=1)  # a picture, no text layer
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def not_word_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hej")
    return buffer.getvalue()


BAD = {
    "image-only.pdf": (lambda: small_pdf(text=False), "no text layer"),
    "encrypted.pdf": (lambda: small_pdf(encrypt="hemligt"), "encrypted"),
    "truncated.pdf": (lambda: small_pdf()[:700], "truncated"),
    "corrupt.pdf": (lambda: b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "corrupt"),
    "picture.png": (lambda: b"\x89PNG\r\n\x1a\n" + bytes(200), "none of the formats"),
    "archive.docx": (not_word_zip, "no Word document"),
    "bomb.docx": (zip_bomb, "zip bomb"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_are_refused_with_their_cause(name):
    make, cause = BAD[name]
    with pytest.raises(DocumentError) as err:
        normalised_text(make(), name)
    assert str(err.value).startswith(name) and cause in str(err.value)


def test_page_limit(monkeypatch):
    monkeypatch.setenv("POLICYKG_MAX_PAGES", "2")
    two = normalised_text(small_pdf(pages=2), "two.pdf")
    assert "Vård i hela länet" in " ".join(two.lines) and two.pages[0] == 1
    with pytest.raises(DocumentError, match=r"three.pdf: the PDF has 3 pages, more than the limit of 2"):
        normalised_text(small_pdf(pages=3), "three.pdf")


def test_format_is_recognised_by_content_not_name():
    assert normalised_text(small_pdf(), "budget.txt").format == "pdf"
    assert normalised_text(b"Budget 2025\n", "budget.pdf").format == "text"


# ---- through the CLI and over HTTP ---------------------------------------------------------------------------

SMALL_TEXT = """Budgetförslag 2031 med plan för 2032–2033

Vänsterpartiet i Region Gävleborg

1. Vård i hela länet

Vi yrkar
• Att förlossningen i Hudiksvall återöppnas.
• Att primärvården tillförs 30 miljoner kronor under 2031.
"""
SMALL = SMALL_TEXT.split("\n")


def test_cli_loads_a_folder_of_formats_and_refuses_bad_files(tmp_path):
    from tests.test_cli import policykg

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "gavleborg.pdf").write_bytes(render_pdf(SMALL, header="Vänsterpartiet Gävleborg"))
    store = tmp_path / "db"
    result = policykg("load", "--store", str(store), str(folder))
    assert result.returncode == 0, result.stderr
    assert "added" in result.stdout and "1 documents" in result.stdout and "gavleborg.pdf" in result.stdout
    stats = policykg("stats", "--store", str(store), "--format", "json")
    before = stats.stdout
    for name in ("encrypted.pdf", "image-only.pdf", "picture.png", "bomb.docx"):
        bad = tmp_path / name
        bad.write_bytes(BAD[name][0]())
        refused = policykg("load", "--store", str(store), str(bad))
        assert refused.returncode == 2 and name in refused.stderr and BAD[name][1] in refused.stderr
    assert policykg("stats", "--store", str(store), "--format", "json").stdout == before


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    import httpx

    from tests.conftest import WRITE_AUTH, Server

    server = Server(tmp_path_factory.mktemp("formats") / "db")
    with httpx.Client(base_url=server.url, timeout=120, headers=WRITE_AUTH) as client:
        yield client
    server.stop()


def test_upload_takes_a_pdf_and_refuses_bad_files(writable):
    pdf = render_pdf(SMALL, header="Vänsterpartiet Gävleborg")
    response = writable.post("/api/proposals", files={"file": ("gavleborg.pdf", pdf, "application/pdf")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "added" and body["measures"] >= 2
    funded = writable.get("/api/measures", params={"proposal": body["id"], "relation": "funds"}).json()["items"]
    assert [m["amount_msek"] for m in funded] == [30]
    before = writable.get("/api/stats").json()["triples"]
    for name in ("encrypted.pdf", "truncated.pdf", "image-only.pdf", "archive.docx", "bomb.docx"):
        refused = writable.post("/api/proposals", files={"file": (name, BAD[name][0](), "application/octet-stream")})
        assert refused.status_code == 400, refused.text
        assert name in refused.json()["error"] and BAD[name][1] in refused.json()["error"]
    assert writable.get("/api/stats").json()["triples"] == before
