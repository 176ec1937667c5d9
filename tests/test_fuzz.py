"""Property-based fuzzing (hypothesis) of the money parser, the table number tokeniser and the text normalisers:
no crash on arbitrary text, and the invariants they promise (a generated amount parses back to its value;
normalising twice changes nothing)."""

from __future__ import annotations

import contextlib
import math

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from loaders.amounts import cells, main_amount, money, to_float
from loaders.pipeline import extract
from loaders.read import DocumentError, decode
from loaders.records import Document
from loaders.structure.blocks import dehyphenate_text, fold, normalise, tidy
from loaders.structure.tables import number_tokens, split_cells

FAST = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# unit as written → MSEK per unit (a sample of the spellings proposals use)
UNITS = {
    "miljarder kronor": 1000.0,
    "mdkr": 1000.0,
    "miljoner kronor": 1.0,
    "miljoner kr": 1.0,
    "mnkr": 1.0,
    "mkr": 1.0,
    "MSEK": 1.0,
    "tkr": 0.001,
    "tusen kronor": 0.001,
    "kronor": 0.000001,
    "kr": 0.000001,
}
MINUS = st.sampled_from(["-", "−", "–"])
SPACE = st.sampled_from([" ", "\u00a0"])


def swedish(integer: int, decimals: str, space: str, grouped: bool) -> str:
    """1234 → "1 234" (thousands groups as printed, when the number is below a billion), "," for decimals."""
    digits = str(integer)
    if grouped and integer < 10**9:
        groups = []
        while len(digits) > 3:
            digits, group = digits[:-3], digits[-3:]
            groups.insert(0, group)
        digits = space.join([digits, *groups])
    return digits + ("," + decimals if decimals else "")


@st.composite
def amounts(draw):
    integer = draw(st.integers(min_value=0, max_value=999_999_999))
    decimals = draw(st.sampled_from(["", "5", "25", "08", "1"]))
    negative = draw(st.booleans())
    text = swedish(integer, decimals, draw(SPACE), draw(st.booleans()))
    if negative:
        text = draw(MINUS) + text
    unit = draw(st.sampled_from(sorted(UNITS)))
    value = (-1 if negative else 1) * float(f"{integer}.{decimals or 0}")
    return f"{text}{draw(st.sampled_from([' ', '', chr(0xA0)]))}{unit}", value * UNITS[unit]


PREFIXES = st.sampled_from(["", "Vi satsar ", "Regionen tillför ", "Totalt ", "En besparing om ", "(", "ca "])
SUFFIXES = st.sampled_from(["", " till primärvården.", " per år", ") under 2025", ".", " 2026–2027"])


@FAST
@given(amounts(), PREFIXES, SUFFIXES)
def test_a_generated_amount_parses_back_to_its_value(amount, prefix, suffix):
    written, msek = amount
    text = prefix + written + suffix
    found = money(text)
    assert len(found) == 1, (text, found)
    assert math.isclose(found[0].msek, round(msek, 6), rel_tol=1e-9, abs_tol=1e-6), (text, found[0])
    assert found[0].text.strip() in text
    main = main_amount(text)
    assert main is not None and main.msek == found[0].msek
    # the parsed value, written back as Swedish MSEK ("−1 234,5 mnkr"), parses to the same value
    again = money(reformat(found[0].msek))
    assert len(again) == 1 and math.isclose(again[0].msek, found[0].msek, rel_tol=1e-9, abs_tol=1e-6)
    assert to_float(reformat(found[0].msek).rsplit(" ", 1)[0]) == again[0].msek


def reformat(msek: float) -> str:
    sign = "−" if msek < 0 else ""
    integer, _, decimals = f"{abs(msek):.6f}".rstrip("0").rstrip(".").partition(".")
    return f"{sign}{swedish(int(integer), decimals, chr(0xA0), True)} mnkr"


@FAST
@given(st.text(max_size=200))
def test_money_and_cells_never_raise_on_arbitrary_text(text):
    for amount in money(text):
        assert math.isfinite(amount.msek)
        assert text[amount.start :].startswith(amount.text)
    main_amount(text)
    label, found = cells(text)
    assert all(any(ch.isdigit() for ch in cell) for cell in found)


NUMBERISH = st.text(alphabet="0123456789 ,.-−–%\u00a0abcÅö\t", max_size=60)


@FAST
@given(st.one_of(st.text(max_size=120), NUMBERISH), st.integers(min_value=0, max_value=6), st.booleans())
def test_the_table_tokeniser_never_raises(text, count, change):
    label, tokens = number_tokens(text)
    assert len(tokens) <= len(text.split())
    values = split_cells(tokens[:12], count, change)
    assert all(math.isfinite(v) for v in values)
    cells(text)


WORDS = st.sampled_from(
    [
        "Regionen",
        "ska",
        "sam-",
        "arbetet",
        "hälso-",
        "och",
        "sjukvård",
        "primärvården",
        "•",
        "–",
        "1.",
        "2)",
        "a)",
        "15",
        "mnkr",
        "-0,8",
        "1 234",
        "BUP",
        "\u00a0",
        "\u00ad",
        "vård-",
        "centralen",
        "2025",
        ",",
        ".",
        "\t",
    ]
)
LINE = st.lists(WORDS, max_size=12).map(" ".join)
RAW = st.lists(st.one_of(LINE, st.just("")), min_size=1, max_size=25).flatmap(
    lambda lines: st.sampled_from(["\n", "\r\n", "\r"]).map(lambda eol: eol.join(lines))
)


@FAST
@given(st.one_of(RAW, st.text(max_size=100)), st.integers(min_value=0, max_value=2))
def test_decoding_twice_changes_nothing(raw, boms):
    raw = "\ufeff" * boms + raw
    assume(raw.lstrip("\ufeff").strip() and "\x00" not in raw)
    once = decode(raw.encode(), "x.txt")
    assert decode(once.encode(), "x.txt") == once
    assert "\r" not in once


@FAST
@given(st.one_of(LINE, st.text(max_size=80)))
def test_folding_and_dehyphenating_twice_changes_nothing(text):
    assert fold(fold(text)) == fold(text)
    assert dehyphenate_text(dehyphenate_text(text)) == dehyphenate_text(text)


@FAST
@given(RAW, st.booleans())
def test_normalising_lines_into_blocks_is_stable(raw, bom):
    """Raw text with hyphenation, bullets, NBSP, soft hyphens and CR/CRLF: the document normaliser's lines, read
    again, are the same lines; its blocks are folded, never empty, and point at lines in document order."""
    assume(raw.strip())
    data = ("\ufeff" if bom else "").encode() + raw.encode()
    lines = decode(data, "x.txt").split("\n")
    assert decode("\n".join(lines).encode(), "x.txt").split("\n") == lines
    doc = normalise(Document(slug="x", source_file="x.txt", content_hash="", lines=lines))
    starts = [block.line for block in doc.blocks]
    assert starts == sorted(starts) and all(1 <= n <= len(lines) for n in starts)
    for block in doc.blocks:
        assert block.text and block.text == fold(block.text) and "\u00ad" not in block.text
        assert fold(block.raw) == block.raw
        assert tidy(block).text == block.text  # tidying a tidied block changes nothing
        assert all(1 <= n <= len(lines) for _, n in block.starts)


@SLOW
@given(st.one_of(st.text(max_size=300), RAW))
@example("\n1. Inledning\nText.")  # found by fuzzing: a chapter on line 2 leaves no title area, and the title
# reader's zip(strict=True) raised
def test_extract_of_arbitrary_text_raises_only_document_errors(text):
    with contextlib.suppress(DocumentError):
        extract(text.encode("utf-8"), "fuzz.txt", slug="fuzz")


def test_what_the_fuzzing_found():
    """Two normalisers that were not idempotent: a word hyphenated on both sides joined one side per pass
    ("sam- sam- ska" → "samsam- ska" → "samsamska"), and a doubled BOM lost one BOM per decoding."""
    assert dehyphenate_text("sam- sam- ska") == "samsamska"
    assert dehyphenate_text("hälso- och sjuk- vård") == "hälso- och sjukvård"
    assert decode("\ufeff\ufeffa\r\nb".encode(), "x.txt") == "a\nb"
