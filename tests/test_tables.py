"""The structure layer's tables: cells split by columns, units, and row roles decided by structure."""

from __future__ import annotations

from loaders.pipeline import extract
from loaders.structure.tables import number_tokens, readable_widths


def rows(text: str) -> dict[str, tuple[list[float], str]]:
    """Each row's cells and role by its label."""
    doc = extract(text.encode(), "tables.txt")
    return {number_tokens(b.text)[0]: (b.cells, b.role) for b in doc.blocks if b.kind == "row"}


def test_a_number_reads_as_one_to_three_digits_then_thousands_groups():
    assert readable_widths(["1", "146", "823", "-323"]) == {2, 3, 4}
    assert readable_widths(["-151", "-162", "-144"]) == {3}
    assert readable_widths(["12", "5"]) == {2}


def test_the_rows_tell_the_column_count_when_the_header_is_broken_over_lines():
    text = """Budget 2031–2033

Resultaträkning, mnkr
Utfall
2029
Budget
2030
Plan
2031

Verksamhetens intäkter 1 250 1 300 1 320
Finansiella kostnader -151 -162 -144
Finansiella intäkter 147 120 120
Resultat 1 246 1 258 1 296
"""
    got = rows(text)
    assert got["Finansiella kostnader"][0] == [-151, -162, -144]
    assert got["Finansiella intäkter"][0] == [147, 120, 120]
    assert [c for cells, _ in got.values() for c in cells if abs(c) > 10_000] == []  # no cells glued together
    assert all(len(cells) == 3 for cells, _ in got.values())


def test_tab_separated_cells_keep_their_thousands_spaces():
    text = "Plan 2031–2033\n\nNämnd\tRam 2031\tRam 2032\n\nKostnader för vård\t6 599\t6 736\nIntäkter\t147\t120\n"
    got = rows(text)
    assert got["Kostnader för vård"][0] == [6599, 6736]
    assert got["Intäkter"][0] == [147, 120]


def test_a_unit_in_the_header_scales_the_cells_and_a_sum_row_is_a_total():
    text = """Budget 2031

Satsningar per område (tkr) 2031

Primärvård i glesbygd 4 000
Ambulans i inlandet 2 500
Psykiatri för unga 1 500
Summa 8 000
"""
    got = rows(text)
    assert got["Primärvård i glesbygd"] == ([4.0], "")
    assert got["Summa"][1] == "total"


def test_a_tab_separated_header_is_no_row_and_joins_no_row():
    header = "Resultatbudget\tBokslut 2029\tBudget 2030\tBudget 2031\tPlan 2032\tPlan 2033\tPlan 2034"
    rows = (
        "Verksamhetens nettoram\t-8 620\t-8 598\t-8 752\t-8 818\t-9 068\t-9 304\n"
        "Skatteintäkter\t6 599\t6 736\t6 750\t6 967\t7 196\t7 431\n"
    )
    prose = "Regionen har under lång tid haft en ekonomi i balans och ska fortsätta ha det framöver.\n" * 30
    doc = extract(f"Plan 2031–2033\n\n{prose}\n{header}\n{rows}".encode(), "header.txt")
    found = {number_tokens(b.text)[0]: b.cells for b in doc.blocks if b.kind == "row"}
    assert found["Verksamhetens nettoram"] == [-8620, -8598, -8752, -8818, -9068, -9304]
    assert not any(m.text.startswith("Resultatbudget") for m in doc.measures)


def test_a_budget_row_keeps_its_figure_for_every_year_column():
    text = """Plan 2031–2033

Verksamhetens intäkter, mnkr
Budget 2031 Plan 2032 Plan 2033

Tillskott till primärvården i glesbygd 12 14 15
Ambulans i inlandet 5 5 6
"""
    doc = extract(text.encode(), "years.txt")
    by_text = {m.text: m for m in doc.measures}
    primary = by_text["Tillskott till primärvården i glesbygd."]
    assert (primary.amount, primary.yearly) == (12, [(2031, 12), (2032, 14), (2033, 15)])


def test_an_indicator_target_value_is_no_budget_line():
    text = "Plan 2031\n\nAndel patienter som får första besök i tid ≥70 % Månad datalager 3\n"
    assert not extract(text.encode(), "indicator.txt").measures


def test_a_header_of_a_unit_and_years_heads_its_own_table_and_joins_no_row():
    text = """Budget 2031–2033

Politisk verksamhet
Mnkr 2031 2032 2033
Anslag året innan -48,0 -48,9 -49,8
Prisuppräkning -0,9 -0,9 -1,0
Nettokostnadsram, summa -48,9 -49,8 -50,8
Specifikation politisk verksamhet
Tkr 2031
Regionfullmäktige -6 471,5
Partistöd -15 836,8
Politiska sekreterare -3 177,9
"""
    got = rows(text)
    assert "Tkr" not in " ".join(got) and got["Regionfullmäktige"][0] == [-6.4715]
    assert got["Partistöd"][0] == [-15.8368] and got["Anslag året innan"][0] == [-48.0, -48.9, -49.8]


def test_a_committee_row_moving_a_small_part_of_its_frame_elsewhere_is_a_budget_line():
    text = """Budget 2031–2033

Ramar per nämnd, mnkr 2031 2032 2033
Patientnämnd 7,0 7,1 7,2
Revision 9,0 9,2 9,4
Hälso- och sjukvårdsnämnden 9 000 9 300 9 600

Justering av rambudgetar, mnkr
Patientnämnd -0,50 -0,50
Revision 0,10 0,10
Hälso- och sjukvårdsnämnden 8 950 8 950
"""
    doc = extract(text.encode(), "changes.txt")
    lines = {m.line: (m.text, m.amount) for m in doc.measures}
    assert (lines[9], lines[10]) == (("Patientnämnd.", -0.5), ("Revision.", 0.1))
    assert 11 not in lines and 4 not in lines  # a level (most of the frame) and the frames themselves stay frames


def test_a_row_whose_figure_a_list_item_states_in_words_is_that_item_not_a_second_measure():
    text = """Budget 2031

Ramtillskott, belopp i miljoner kronor
Läkemedel 78
Vårdplatser 55

Följande prioriteringar har processats fram.
• Arbetet med att utveckla antalet vårdplatser fortsätter genom en satsning motsvarande 55 miljoner kronor.
• Tandvården får ett tillskott på 12 miljoner kronor.
"""
    doc = extract(text.encode(), "restated.txt")
    by_line = {m.line: (m.source, m.amount) for m in doc.measures}
    assert by_line[4] == ("table", 78.0) and by_line[8] == ("list", 55.0)
    assert 5 not in by_line and rows(text)["Vårdplatser"][1] == "restated"


def test_a_line_of_bare_figures_heads_no_labelled_row_after_it():
    text = """Budget 2031

Förändringar av budgetram
Ökad beställning av glasögon till barn\t20
Ökad beställning av tandvård för unga vuxna\t10
\t10
Totalt\t30
"""
    got = rows(text)
    assert got["Totalt"][1] == "total" and not any(label.startswith("10") for label in got)
    assert [m.text for m in extract(text.encode(), "bare.txt").measures] == [
        "Ökad beställning av glasögon till barn.",
        "Ökad beställning av tandvård för unga vuxna.",
    ]


def test_a_row_of_a_series_outside_any_table_is_no_budget_line():
    from loaders.measures import lone_row_measure
    from loaders.records import Block

    doc = extract(b"Regionplan 2031\n", "series.txt")
    series = Block("Diff. antal invånare 2 710 3 816 5 244 6 672 8 104", 4, "row")
    single = Block("Utökad satsning på ambulanssjukvård i glesbygd 12,5", 8, "row")
    assert lone_row_measure(doc, series) is None
    assert lone_row_measure(doc, single).amount == 12.5


def test_a_committee_row_with_a_footnote_mark_still_names_its_committee():
    from loaders.frames import committee_named

    plain = committee_named("Hälso- och sjukvårdsnämnd")
    assert plain is not None
    assert committee_named("Hälso- och sjukvårdsnämnd 2)") == committee_named("Hälso- och sjukvårdsnämnd¹") == plain
    assert committee_named("Hälso- och sjukvårdsnämnd 2025") is None
    assert committee_named("Regionstyrelsen inkl finansiering") == committee_named("Regionstyrelsen") is not None
    assert committee_named("Inkl Regionstyrelsen") is None


def test_a_label_wrapped_around_its_figures_is_read_whole_before_them():
    """A PDF-to-text table row whose label cell wraps: the figures stand between the label's two lines."""
    text = """Driftbudget per nämnd, mnkr

Intäkter Kostnader Budget 2031
Hälso- och sjukvårdsnämn-
520,0 -3787,1 -3267,1
den
Regionala utvecklingsnämn-
108,3 -261,8 -153,5
den
Kollektivtrafiknämnden 310,0 -641,1 -331,1
"""
    got = rows(text)
    assert got["Hälso- och sjukvårdsnämnden"] == ([520.0, -3787.1, -3267.1], "frame")
    assert got["Regionala utvecklingsnämnden"][1] == got["Kollektivtrafiknämnden"][1] == "frame"


def test_a_paragraph_number_of_a_minute_is_no_amount():
    text = """Bilaga: Styrdokument

Dokument Dokumenttyp Varaktighet Dnr Beslutad av
Demokratistrategi Strategi Tills vidare RS/41/2021 Regionfullmäktige 2021-12-01, § 150
Kostpolicy Policy Tills vidare RS/291/2023 Regionfullmäktige 2023-11-28 § 135
"""
    doc = extract(text.encode(), "minutes.txt")
    assert not [m for m in doc.measures if m.amount]


def test_a_table_a_financial_statement_names_reports_balances_and_proposes_nothing():
    text = """Regionens ekonomiska förutsättningar

Regionens balansbudget presenteras i tabellen.
(Mnkr) 2031 2032 2033
Anläggningstillgångar 3 538 3 826 4 076
Omsättningstillgångar 10 231 10 094 9 993
Summa tillgångar 13 769 13 920 14 069

Regionens satsningar presenteras i tabellen.
(Mnkr) 2031 2032 2033
Satsning kollektivtrafik 15 15 15
Barnskyddsteam 1,3 1,3 1,3
"""
    found = rows(text)
    assert found["Anläggningstillgångar"][1] == "statement"
    assert found["Satsning kollektivtrafik"][1] == ""
    doc = extract(text.encode(), "statements.txt")
    assert sorted(m.text for m in doc.measures) == ["Barnskyddsteam.", "Satsning kollektivtrafik."]


def test_a_row_ending_in_summa_is_a_total_and_the_year_before_its_level():
    text = """Patientnämnden
Mnkr 2031 2032 2033
Anslag året innan -2,90 -2,97 -3,04
Prisuppräkning -0,07 -0,07 -0,07
Nettokostnadsram, summa -2,97 -3,04 -3,11
"""
    found = rows(text)
    assert found["Nettokostnadsram, summa"][1] == "total"
    assert found["Anslag året innan"][1] == "level"
    assert found["Prisuppräkning"][1] == ""


def test_a_note_under_a_table_is_no_budget_line_but_a_line_between_its_rows_is():
    text = """Budget 2031

Förändringar av budgetram, mnkr
Ökad beställning av glasögon till barn\t20
Tolkservice.
Ökad beställning av tandvård för unga vuxna\t10
Källa: Region Kronoberg och SCB.

Resultat över tid
År 2028 2029 2030
Verksamhetens netto\t-89\t-26\t-28
Finansnetto\t-312\t127\t-350
"""
    texts = [m.text for m in extract(text.encode(), "note.txt").measures]
    assert "Tolkservice." in texts
    assert not [t for t in texts if t.startswith("Källa")]


def test_rows_under_a_sub_caption_of_percentages_are_indicators_until_one_names_money():
    text = """Budget 2031–2033

Skatt och utjämning, mnkr
Budget
2031 2032 2033
Skatteintäkter 8 237 8 580 8 922
Inkomstutjämning 975 1 063 1 129
Summa skatt och utjämning 9 212 9 643 10 051

Procentuell förändring

Skatt 3,4 4,2 4,0
Utjämning 2,4 2,4 2,4

Förändringar, mnkr

Satsning kollektivtrafik -10 -10 -10
Satsning närsjukvård -5 -5 -5
"""
    got = rows(text)
    assert got["Skatt"][1] == got["Utjämning"][1] == "indicator"
    assert got["Inkomstutjämning"][1] == "" and got["Satsning kollektivtrafik"][1] == ""
    assert got["Skatt"][0] == [3.4, 4.2, 4.0]


def test_a_percentage_caption_merged_into_the_first_row_marks_that_row_too():
    text = """Budget 2031–2033

Skatt och utjämning, mnkr
Budget
2031 2032 2033
Skatteintäkter 8 237 8 580 8 922
Procentuell förändring av: Skatt 3,4 4,2 4,0
Utjämning 2,4 2,4 2,4
"""
    got = rows(text)
    assert got["Procentuell förändring av: Skatt"][1] == got["Utjämning"][1] == "indicator"
    assert got["Skatteintäkter"][1] == ""


def test_a_plus_sign_on_a_change_is_a_positive_figure():
    text = """Budget 2031

Förändring av ramar, mnkr 2031

Vårdval vårdcentral +64
Vårdplatser +55,5
Effektivisering -99
"""
    got = rows(text)
    assert got["Vårdval vårdcentral"][0] == [64] and got["Vårdplatser"][0] == [55.5]
    assert got["Effektivisering"][0] == [-99]
    amounts = {m.text: m.amount for m in extract(text.encode(), "plus.txt").measures}
    assert amounts == {"Vårdval vårdcentral.": 64, "Vårdplatser.": 55.5, "Effektivisering.": -99}


def test_a_caption_unit_above_rows_whose_labels_wrap_under_their_figures_still_applies_and_cells_are_of_one_size():
    """Two rows the structure cannot read as rows (each label wraps onto a line under its figures) stand between the
    caption "DRIFTBUDGET, tkr" and the first clean row: the caption's unit still applies to the table. Six 3-digit
    tokens under three year columns are three numbers of six digits, not 603, 483 and a twelve-digit rest."""
    text = """Regionplan 2031–2033

Driftbudget
DRIFTBUDGET, tkr
Styrelse/Nämnd Förvaltning Budget 2031 Plan 2032 Plan 2033
Regionstyrelsen Regionstyrelsens förvaltning, 2 156 975 2 224 365 2 293 015
vårdval
Regionstyrelsen Regionstyrelsens förvaltning, 398 701 409 599 420 747
övrigt
Regionstyrelsen Finansförvaltning 603 483 587 298 660 433
Hälso- och sjukvårdsnämnden Hälso- och sjukvård 8 136 995 8 448 654 8 721 709
Kollektivtrafiknämnden Kollektivtrafikförvaltningen 945 512 976 006 1 008 046
Patientnämnden Patientnämndsförvaltningen 8 075 8 309 8 550
"""
    got = rows(text)
    assert got["Regionstyrelsen Finansförvaltning"][0] == [603.483, 587.298, 660.433]
    assert got["Hälso- och sjukvårdsnämnden Hälso- och sjukvård"][0] == [8136.995, 8448.654, 8721.709]
    assert got["Kollektivtrafiknämnden Kollektivtrafikförvaltningen"][0] == [945.512, 976.006, 1008.046]
    assert got["Patientnämnden Patientnämndsförvaltningen"][0] == [8.075, 8.309, 8.55]


def test_empty_cells_printed_as_dashes_keep_their_columns_and_a_row_of_figures_ends_before_the_next_row():
    """ "Hyra av lokal - 13 000 13 200" pays nothing the first year; "mini-maria 6 700 - -" is a row of its own under
    a row ending in three figures, though it opens in lower case."""
    text = """Regionplan 2031–2033

Tillkommande satsningar (tkr) 2031 2032 2033
Projekt framtidens vårdcentral 5 000 5 000 -
Satsning familjecentraler 5 000 5 000 5 000
mini-maria 6 700 - -
Hyra av lokal - 13 000 13 200
Medel till beredskapslager 15 000 15 200 15 700
"""
    got = rows(text)
    assert got["Projekt framtidens vårdcentral"][0] == [5.0, 5.0, 0.0]
    assert got["Satsning familjecentraler"][0] == [5.0, 5.0, 5.0]
    assert got["mini-maria"][0] == [6.7, 0.0, 0.0]
    assert got["Hyra av lokal"][0] == [0.0, 13.0, 13.2]
    assert got["Medel till beredskapslager"][0] == [15.0, 15.2, 15.7]


def test_a_header_with_each_year_under_its_own_word_is_a_header_not_the_start_of_a_row():
    """ "Resultatbudget Bokslut 2029 Budget 2030 Plan 2031 …" heads the table: it does not join the row under it, and
    its caption names a financial statement, so the row is reported, not proposed."""
    prose = "Regionen ska utveckla vården i hela länet och stärka den nära vården, rad {}.\n"
    text = (
        """Regionplan 2031–2033

"""
        + "".join(prose.format(i) for i in range(30))
        + """
Resultatbudget Bokslut 2029 Budget 2030 Budget 2031 Plan 2032 Plan 2033
Verksamhetens nettoram -8 620 -8 598 -8 752 -8 818 -9 068
Skatteintäkter 6 254 6 399 6 617 6 867 7 105
"""
    )
    doc = extract(text.encode(), "tables.txt")
    header = next(b for b in doc.blocks if b.text.startswith("Resultatbudget"))
    assert header.text == "Resultatbudget Bokslut 2029 Budget 2030 Budget 2031 Plan 2032 Plan 2033"
    assert rows(text)["Verksamhetens nettoram"][0] == [-8620, -8598, -8752, -8818, -9068]
    assert not [m for m in doc.measures if m.source == "table"]


def test_a_unit_stated_only_in_a_row_label_applies_to_the_whole_table():
    text = """Regionplan 2031–2033

Nya investeringar 2031–2033
Förvaltning Investering 2031 2032 2033
DN HS Narkotikaautomater 9 100 9 100 9 100
RS Bredbandsutbyggnad 30 000 20 000 10 000
Summa investeringar, tkr 39 100 29 100 19 100
"""
    assert rows(text)["RS Bredbandsutbyggnad"][0] == [30.0, 20.0, 10.0]


def test_a_sparse_plan_names_only_the_years_a_project_runs_and_its_cells_keep_their_thousands():
    """An investment plan under five year columns whose rows fill one to five of them: "7 000" is one cell of 7 MSEK
    (tkr), "500 200" two cells, and the plan's rows are budget lines, not a series of outcomes."""
    text = """Regionplan 2031–2035

Nya investeringar, tkr
Förvaltning Investering 2031 2032 2033 2034 2035
DN HS Medicinteknisk utrustning 7 000
DN HS Narkotikaautomater 9 100
DN HS Ny sjukhusstruktur 30 000 30 000 30 000
DN PSH Generell investering 4 400 4 800 4 400 4 800 4 800
DN RGS Övriga maskiner och inventarier 500 200
RS IT utrustning 26 800 2 100 1 200 3 000 1 200
"""
    got = rows(text)
    assert got["DN HS Medicinteknisk utrustning"][0] == [7.0]
    assert got["DN HS Narkotikaautomater"][0] == [9.1]
    assert got["DN HS Ny sjukhusstruktur"][0] == [30.0, 30.0, 30.0]
    assert got["DN RGS Övriga maskiner och inventarier"][0] == [0.5, 0.2]
    assert got["RS IT utrustning"][0] == [26.8, 2.1, 1.2, 3.0, 1.2]
    doc = extract(text.encode(), "tables.txt")
    assert "DN HS Medicinteknisk utrustning." in {m.text for m in doc.measures if m.source == "table"}


def test_a_line_of_column_names_starts_the_table_and_its_outcome_column_makes_it_a_report():
    prose = "Regionen ska utveckla vården i hela länet och stärka den nära vården, rad {}.\n"
    text = (
        "Regionplan 2031–2033\n\n"
        + "".join(prose.format(i) for i in range(30))
        + """Siffrorna hämtas från senast inlämnad budget och affärsplan för bolaget i regionen.
Bokslut Budget Plan Plan Plan
Folktandvården AB 2029 2030 2031 2032 2033
Omsättning (mnkr) 246 256 263 269 279
Resultat efter finansiella poster (mnkr) 17 2 2 2 2
Balansomslutning (mnkr) 214
Soliditet (procent) 45
"""
    )
    doc = extract(text.encode(), "tables.txt")
    assert "Bokslut Budget Plan Plan Plan" in {b.text for b in doc.blocks}
    assert not [m for m in doc.measures if m.source == "table"]
