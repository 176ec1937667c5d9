"""Page furniture found by structure: page numbers that count up, contents entries with dot leaders."""

from __future__ import annotations

from loaders.pipeline import extract
from loaders.structure.furniture import contents_lines, numbered_running_lines, page_number_lines


def pages(numbers: dict[int, int], length: int) -> list[str]:
    """A text of `length` lines of prose with page number `value` on line `index` (0-based)."""
    lines = [f"Regionen ska utveckla vården i länet, rad {i}." for i in range(length)]
    for index, value in numbers.items():
        lines[index] = str(value)
    return lines


def test_a_short_page_between_two_numbered_pages_is_a_page_too():
    lines = pages({10: 2, 20: 3, 30: 4, 32: 5, 33: 6, 45: 7}, 50)
    assert [lines[i] for i in page_number_lines(lines)] == ["2", "3", "4", "5", "6", "7"]


def test_a_page_number_glued_to_the_pages_last_sentence_is_furniture_not_an_amount():
    lines = pages({10: 2, 20: 3, 40: 5, 50: 6}, 60)
    lines[29] = "Regionen ska utveckla arbetsmiljö, folkhälsa och digitalisering. 4"
    lines[35] = "Regionen ska avsätta medel till länets vårdcentraler. 12"  # no page: 4 is taken, 12 counts nothing
    doc = extract(("Regionplan 2031 för Region Kronoberg\n" + "\n".join(lines)).encode(), "glued.txt")
    assert doc.page_tails == {31: len(lines[29]) - 1}
    text = " ".join(b.text for b in doc.blocks)
    assert "digitalisering. Regionen" in text and "vårdcentraler. 12" in text


def test_a_number_that_skips_no_page_is_no_page_number():
    lines = pages({10: 2, 20: 3, 30: 4, 32: 17, 45: 5}, 50)
    assert [lines[i] for i in page_number_lines(lines)] == ["2", "3", "4", "5"]


def test_a_long_contents_line_with_a_dot_leader_is_furniture_not_a_budget_line():
    leader = "." * 130
    text = f"""Regionplan och budget 2031–2033 för Region Kronoberg

Innehållsförteckning
Styrmodell {leader}5
Bilagor {leader}38

Styrmodell

Regionen ska utreda en ny styrmodell.
"""
    doc = extract(text.encode(), "contents.txt")
    assert len(contents_lines(doc.lines)) == 2
    assert [m.text for m in doc.measures] == ["Regionen ska utreda en ny styrmodell."]


def test_contents_with_a_space_before_the_page_at_the_front_are_furniture():
    body = "\n".join(f"Regionen ska utveckla vården i länet, rad {i}." for i in range(60))
    text = f"""Mål och budget 2031–2033 för Region Kronoberg
Innehåll
Inledning 3
Politisk inriktning 4
Ekonomiska förutsättningar 27
Intern kontroll 48

Politisk inriktning

Regionen ska utreda en ny styrmodell.

{body}
"""
    doc = extract(text.encode(), "contents.txt")
    assert [doc.lines[i] for i in contents_lines(doc.lines)][:1] == ["Inledning 3"]
    assert not [m for m in doc.measures if m.source == "table"]


def test_numbered_contents_laid_out_with_spaces_before_the_page_are_furniture():
    """A contents page a layout-keeping conversion wrote with spaces where the tabs or leaders were ("2. Vision och
    mål   7"), some entries with dot leaders between them, is furniture, not chapters or budget rows."""
    body = "\n".join(f"Regionen ska utveckla vården i länet, rad {i}." for i in range(120))
    text = f"""Mål och budget 2031–2033 för Region Kronoberg
Innehåll
1. Inledning.....   3
1.1 Planeringsförutsättningar   6
2. Vision och mål   7
3. En god och nära vård.....   8
4. En attraktiv arbetsgivare   12
5. En ekonomi i balans   21

2. Vision och mål

Regionen ska utreda en ny styrmodell.

{body}
"""
    doc = extract(text.encode(), "contents.txt")
    found = [doc.lines[i] for i in contents_lines(doc.lines)]
    assert "2. Vision och mål   7" in found and "5. En ekonomi i balans   21" in found
    assert not [m for m in doc.measures if m.source == "table"]


def test_rows_of_titles_and_small_numbers_inside_the_text_are_no_contents():
    rows = "\n".join(["Revision 7", "Patientnämnd 9", "Regionstyrelse 12", "Kulturnämnd 15"])
    prose = [f"Regionen ska utveckla vården i länet, rad {i}." for i in range(60)]
    assert contents_lines([*prose, *rows.split("\n"), "Revision"]) == []


def test_a_page_number_printed_with_each_digit_twice_counts_on():
    lines = pages({10: 88, 20: 99, 30: 1100, 40: 1111}, 50)  # two-column extraction doubling pages 8 … 11
    assert [lines[i] for i in page_number_lines(lines)] == ["88", "99", "1100", "1111"]


def test_a_running_header_joining_the_title_to_each_chapters_name_is_furniture():
    lines = pages({10: 2, 20: 3, 30: 4, 40: 5}, 50)
    chapters = ["Inledning", "Politisk inriktning", "Politisk inriktning", "Ekonomi"]
    for page, (at, chapter) in enumerate(zip((11, 21, 31, 41), chapters, strict=True)):
        title = "Mål och budget 2031–2033"
        lines[at] = f"{chapter} / {title}" if page % 2 else f"{title} / {chapter}"
    lines[25] = "Politisk inriktning / Ekonomi"  # far from any page number: text, whatever it repeats
    doc = extract(("Mål och budget 2031–2033 för Region Kronoberg\n" + "\n".join(lines)).encode(), "headers.txt")
    assert sorted(doc.furniture) == [12, 13, 22, 23, 32, 33, 42, 43]  # 1-based, after the title line
    assert not any("/" in s.title for s in doc.sections)


def test_a_running_header_that_carries_the_page_number_is_furniture():
    """A header printed on every page with only its page number changing ("Regionplan och budget | sida 5"), some
    pages without it, is furniture; a line of the same shape whose number does not count pages is not."""
    body = [f"Regionen ska utveckla vården i länet, rad {i}." for i in range(200)]
    for page, at in ((2, 20), (3, 40), (5, 80), (6, 100), (9, 160)):
        body[at] = f"Regionplan och budget | sida {page}"
    body[190] = "Regionplan och budget | sida 4"  # the numbers fall back: no page count
    found = {body[i] for i in contents_lines(body)} | {body[i] for i in numbered_running_lines(body)}
    assert found == {f"Regionplan och budget | sida {p}" for p in (2, 3, 5, 6, 9)}


def test_a_footer_opening_with_a_two_digit_page_number_and_holding_years_is_furniture():
    """ "16 Regionplan 2026–2028": the page number and the years outweigh the letters, yet it is a footer from page
    9 to page 12 alike; a budget row of the same length is not."""
    body = [f"Regionen ska utveckla vården i länet, rad {i}." for i in range(200)]
    for page, at in ((9, 20), (10, 60), (11, 100), (12, 140)):
        body[at] = f"{page} Regionplan 2026–2028"
    body[150] = "Vårdcentraler 2026 2027 28"
    found = {body[i] for i in numbered_running_lines(body)}
    assert found == {f"{p} Regionplan 2026–2028" for p in (9, 10, 11, 12)}


def test_contents_whose_dot_leaders_wrapped_onto_lines_of_their_own_are_furniture():
    lines = [
        "Innehåll",
        "Förord 3",
        "." * 120,
        "1. Region Västernorrlands mål 6",
        "." * 90,
        "2.3 Budget 2024 och ekonomisk plan 2026–2027 19",
        "." * 60,
        "Regionen ska utveckla vården i länet under 2026 med 25",
        "Vården ska vara nära.",
    ]
    assert contents_lines(lines) == [1, 2, 3, 4, 5, 6]


def test_an_appendix_numbered_from_one_again_keeps_both_page_numberings():
    """Pages 1–6 of the plan, then its budget appendix paged 1–8: both runs are page numbers; a short run of three
    counting lines after them is not a third numbering."""
    lines = pages({20 * k: k for k in range(1, 7)} | {140 + 20 * k: k for k in range(1, 9)}, 340)
    lines[320], lines[329], lines[338] = "1", "2", "3"
    assert [lines[i] for i in page_number_lines(lines)] == [str(k) for k in range(1, 7)] + [str(k) for k in range(1, 9)]


def test_page_numbers_a_few_pages_apart_are_still_pages_and_the_pages_between_too():
    """A document whose numbers are missing on a few pages in a row (pictures, chapter openings) keeps them all as
    furniture as long as the lines between fill those pages; a number a page's worth of lines too early is none."""
    lines = [f"Regionen ska utveckla vården i länet, rad {i}." for i in range(400)]
    for page, at in ((2, 20), (3, 45), (7, 145), (8, 170), (9, 195), (10, 197), (14, 300), (15, 320)):
        lines[at] = str(page)
    lines[325] = "17"  # five lines after page 15: not page 17
    assert [lines[i] for i in page_number_lines(lines)] == ["2", "3", "7", "8", "9", "10", "14", "15"]


def test_contents_a_word_processor_exports_with_a_tab_after_the_number_are_furniture():
    lines = ["Innehåll", "1.\tInledning\t3", "2.\tVision och mål\t7", "3.\tEn nära vård\t8", "4.\tEkonomi\t12"]
    lines += [f"Regionen ska utveckla vården i länet, rad {i}." for i in range(100)]
    assert [lines[i] for i in contents_lines(lines)] == lines[1:5]
