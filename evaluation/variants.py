"""Conversion variants: the bundled texts rewritten as other converters and word processors write the same document
(Windows line ends, decomposed letters, other bullet glyphs, units in capitals, tabs laid out as spaces …) and
scored like the texts themselves.

A rule about structure holds on every spelling of that structure, so every metric of every gold document should come
out unchanged; a variant that changes one shows a rule keyed to one way of writing. Each rewrite keeps the number of
lines (the gold's line numbers stay right) and the words. A variant with a `known_gap` is reported, not required.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from evaluation.run import evaluate

BULLET_AT_START = re.compile(r"(?m)^(\s*)[•●▪◦■*–-] ")
NUMBER_GROUP = re.compile(r"(?<=\d) (?=\d{3}\b)")
UNITS = re.compile(r"miljoner kronor|miljoner kr\b|mkr\b|Mkr\b|mnkr\b")
WORD_INSIDE = re.compile(r"(\w{4})(\w{4,})")
HYPHEN_IN_WORD = re.compile(r"(?<=\w)-(?=\w| och)")
NUMBERED = re.compile(r"(?m)^(\s*\d{1,2})\. ")
NUMBERED_TITLE = re.compile(r"(?m)^(\d{1,2})\.(\s+[A-ZÅÄÖ][^\n.]{3,70})$")  # a numbered line without a full stop
DASHED_YEARS = re.compile(r"(20\d\d)–(20\d\d)")
HYPHENED_YEARS = re.compile(r"(20\d\d)-(20\d\d)")
NEGATIVE = re.compile(r"(?<![\w-])-(?=\d)")
LAST_FIGURE = re.compile(r"(?m)(?<=[a-zåäö] )(\d{1,3}(?:,\d+)?)$")  # a row's figure after its label
PAGE_LINES = 45  # the page length the furniture variants assume


def bullets(glyph: str) -> Callable[[str], str]:
    return lambda text: BULLET_AT_START.sub(lambda m: m.group(1) + (f"{glyph} " if glyph else ""), text)


def paged(furniture: str) -> Callable[[str], str]:
    """Page furniture ({page} for its number) in place of every blank line on a page boundary (every PAGE_LINES
    lines): where a PDF conversion prints it, between paragraphs or inside a list; a page whose boundary holds text
    goes without."""

    def rewrite(text: str) -> str:
        lines = text.split("\n")
        at_break = {i for i, line in enumerate(lines) if i % PAGE_LINES == 0 and not line.strip()}
        return "\n".join(
            furniture.format(page=i // PAGE_LINES + 1) if i in at_break else lines[i] for i in range(len(lines))
        )

    return rewrite


def decomposed(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@dataclass(frozen=True)
class Variant:
    name: str
    what: str  # the rewrite, in words
    rewrite: Callable[[str], str]
    known_gap: str = ""  # why this variant is still expected to change scores; empty: it must not


VARIANTS = [
    Variant("crlf", "Windows line ends (CR LF)", lambda t: t.replace("\n", "\r\n")),
    Variant("bom", "a byte-order mark before the text", lambda t: "\ufeff" + t),
    Variant("decomposed", "letters decomposed (NFD: å as a + combining ring)", decomposed),
    Variant("ligatures", "fi and fl as ligatures (ﬁ ﬂ)", lambda t: t.replace("fi", "\ufb01").replace("fl", "\ufb02")),
    Variant("soft-hyphens", "soft hyphens inside long words", lambda t: WORD_INSIDE.sub("\\1\u00ad\\2", t)),
    Variant("zero-width", "zero-width spaces inside long words", lambda t: WORD_INSIDE.sub("\\1\u200b\\2", t)),
    Variant("nb-hyphens", "non-breaking hyphens (U+2011) in words", lambda t: HYPHEN_IN_WORD.sub("\u2011", t)),
    Variant("nb-spaces", "no-break spaces between all words", lambda t: t.replace(" ", "\u00a0")),
    Variant("thin-spaces", "thin spaces as thousands separators", lambda t: NUMBER_GROUP.sub("\u2009", t)),
    Variant("bullet-arrow", "every bullet written ➤", bullets("➤")),
    Variant("bullet-dot", "every bullet written · (a middle dot)", bullets("·")),
    Variant("bullet-symbol", "every bullet written U+F0B7 (Symbol font)", bullets("\uf0b7")),
    Variant("bullet-dash", "every bullet written -", bullets("-")),
    Variant("units-msek", "every money unit written MSEK", lambda t: UNITS.sub("MSEK", t)),
    Variant("units-mnkr", "every money unit written mnkr", lambda t: UNITS.sub("mnkr", t)),
    Variant("numbers-paren", 'numbered items as "1)" instead of "1."', lambda t: NUMBERED.sub(r"\1) ", t)),
    Variant("numbers-tab", "a tab after every item or title number (1.<TAB>)", lambda t: NUMBERED.sub("\\1.\t", t)),
    Variant("titles-undotted", "numbered titles without the dot", lambda t: NUMBERED_TITLE.sub(r"\1\2", t)),
    Variant("years-hyphen", "year ranges with a hyphen (2026-2028)", lambda t: DASHED_YEARS.sub(r"\1-\2", t)),
    Variant("years-dash", "year ranges with an en dash (2026–2028)", lambda t: HYPHENED_YEARS.sub(r"\1–\2", t)),
    Variant("tabs-as-spaces", "tabs laid out as three spaces", lambda t: t.replace("\t", "   ")),
    Variant("indented", "every line indented by two spaces", lambda t: re.sub(r"(?m)^(?=\S)", "  ", t)),
    Variant("trailing-spaces", "two spaces after every line", lambda t: re.sub(r"(?m)$", "  ", t)),
    Variant("plus-signs", "a row's last positive figure with a plus sign (+64)", lambda t: LAST_FIGURE.sub(r"+\1", t)),
    Variant("minus-sign", "negative numbers with a minus sign (U+2212)", lambda t: NEGATIVE.sub("\u2212", t)),
    Variant("page-numbers", "a bare page number on the blank line at each page break", paged("{page}")),
    Variant("page-headers", "a running header with the page number at page breaks", paged("Regionplan | sida {page}")),
    Variant(
        "page-footers",
        "a footer with a wide gap before the page number at page breaks",
        paged("Region Dalarna          {page}"),
    ),
    Variant("page-of", 'a footer "Sida N av 60" at page breaks', paged("Sida {page} av 60")),
    Variant("curly-quotes", "typographic quotes and apostrophes", lambda t: t.replace('"', "”").replace("'", "’")),
    Variant(
        "bullets-lost",
        "every bullet dropped (a conversion that loses the glyphs)",
        bullets(""),
        known_gap="in hard-wrapped text a list without markers reads as paragraphs (text with one line per paragraph"
        " finds it again)",
    ),
]
BY_NAME = {v.name: v for v in VARIANTS}
CHANGE = 0.0005  # metrics closer than this are the same (they are ratios of counts)


def scored_variant(name: str, corpus: Path, gold: Path) -> dict:
    """The evaluation of the corpus rewritten by one variant (in a temporary folder)."""
    with TemporaryDirectory() as folder:
        for path in sorted(corpus.glob("*.txt")):
            rewritten = BY_NAME[name].rewrite(path.read_text("utf-8"))
            (Path(folder) / path.name).write_bytes(rewritten.encode("utf-8"))
        return evaluate(Path(folder), gold)


def changes(base: dict, report: dict) -> list[dict]:
    """Every metric of every document that the variant moved, before and after."""
    found = []
    for before, after in zip(base["documents"], report["documents"], strict=True):
        for metric, value in before["metrics"].items():
            new = after["metrics"].get(metric)
            if metric.endswith("f1") or (value is None and new is None):
                continue
            if value is None or new is None or abs(value - new) > CHANGE:
                found.append({"document": before["gold"], "metric": metric, "before": value, "after": new})
    return found


def score_variants(corpus: Path, gold: Path, base: dict, jobs: int = 2) -> list[dict]:
    """For every variant, what it changed against the base evaluation; scored `jobs` variants at a time."""
    with ProcessPoolExecutor(jobs) as pool:
        reports = list(pool.map(scored_variant, BY_NAME, [corpus] * len(VARIANTS), [gold] * len(VARIANTS)))
    return [
        {"variant": v.name, "what": v.what, "known_gap": v.known_gap, "changes": changes(base, report)}
        for v, report in zip(VARIANTS, reports, strict=True)
    ]


def worst_change(entry: dict) -> str:
    def drop(change: dict) -> float:
        return (change["before"] or 0.0) - (change["after"] or 0.0)

    worst = max(entry["changes"], key=drop)
    before, after = (f"{100 * v:.1f}" if v is not None else "n/a" for v in (worst["before"], worst["after"]))
    return f"{worst['document'].removesuffix('.json')} {worst['metric']} {before} → {after}"


def render_variants(entries: list[dict] | None) -> list[str]:
    """The markdown section: one row per variant, unchanged or its largest drop."""
    lines = ["## Conversion variants", ""]
    if entries is None:
        return [*lines, "Not measured in this run: `policykg eval --variants` scores them (about a minute).", ""]
    lines += [
        "The bundled texts rewritten as other converters write the same document, scored against the same gold. Every",
        "variant keeps the lines and the words, so every metric should stay as it is; *known gap* marks what is not",
        "handled yet.",
        "",
        "| Variant | Rewrite | Metrics changed | Largest drop |",
        "|---|---|---|---|",
    ]
    for entry in entries:
        moved = len(entry["changes"])
        largest = worst_change(entry) if moved else "unchanged"
        gap = f" (known gap: {entry['known_gap']})" if entry["known_gap"] else ""
        lines.append(f"| {entry['variant']} | {entry['what']}{gap} | {moved} | {largest} |")
    return [*lines, ""]
