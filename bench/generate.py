"""A deterministic synthetic corpus in the style of data/corpus: real structure, varied names and numbers.

The bundled proposals are cut into chunks at heading-like paragraphs (so lists, tables and their lead-ins
stay together). Each chunk becomes a template in which every region, municipality, hospital, party and
service mention, every money amount, table figure and year is a slot. A synthetic proposal is a header
(title, period, authors), a random run of chunks with their slots filled for one region, year and party
line-up, renumbered chapters and a signature block, so the extractor sees realistic, varied text.
Documents are written one at a time: the corpus is never held in memory.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ontology.reference import rows

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
CHUNK_MIN = 4000
TITLE_AREA_LINES = 15
MONEY_UNITS = r"miljoner|miljarder|mnkr|mkr|Mkr|mdkr|MSEK|tkr|kronor|kr"
PLACE_MIN = 5  # shorter municipality names are often ordinary words too ("Vara", "Mark", "Ale")
# fmt: off
FIRST_NAMES = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Lena", "Per", "Sara", "Mikael",
               "Ingrid", "Jonas", "Elin", "Nils", "Åsa", "Olof"]
LAST_NAMES = ["Lindqvist", "Berg", "Holm", "Sundström", "Nyberg", "Ekström", "Lundgren", "Forsberg", "Åberg",
              "Wikström", "Hedlund", "Sjöberg"]
# fmt: on
ROLES = ["Gruppledare", "Regionråd", "Oppositionsråd", "Ledamot i regionstyrelsen"]
TITLES = [
    "Budget och regionplan {y} med plan för {y1}–{y2}",
    "Regionplan och budget för år {y}–{y2}",
    "Budgetförslag {y} med plan för {y1}–{y2}",
]

Slot = tuple[str, ...]  # (kind, key, form, original text)
Part = str | Slot


# --- reference names --------------------------------------------------------------------------------


@dataclass
class Names:
    """Reference data reduced to what the generator swaps: surface form → slot, and pools per region."""

    surface: dict[str, Slot] = field(default_factory=dict)
    regions: list[dict] = field(default_factory=list)
    parties: list[dict] = field(default_factory=list)
    coalitions: list[dict] = field(default_factory=list)
    hospitals_by_region: dict[str, list[str]] = field(default_factory=dict)
    places_by_region: dict[str, list[str]] = field(default_factory=dict)
    services: dict[str, list[str]] = field(default_factory=dict)

    def add(self, text: str, kind: str, key: str, form: str) -> None:
        if len(text) >= 2:
            self.surface.setdefault(text, (kind, key, form))


def split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


@cache
def names() -> Names:
    """Read the reference CSVs once; earlier kinds win when two share a surface form."""
    found = Names(regions=rows("regions.csv"), parties=rows("parties.csv"), coalitions=rows("coalitions.csv"))
    for h in rows("hospitals.csv"):
        found.hospitals_by_region.setdefault(h["region_slug"], []).append(h["name"])
        for alias in [h["name"], *split(h.get("aliases", ""))]:
            found.add(alias, "hospital", h["slug"], "name")
    for r in found.regions:
        forms = {r["official_name"]: "official", r["county"]: "county", r["name"]: "name", r["name"] + "s": "gen"}
        forms |= {r["official_name"] + "s": "official_gen", r["county"] + "s": "county_gen"}
        for alias, form in forms.items():
            found.add(alias, "region", r["slug"], form)
    for p in found.parties:
        for alias, form in {p["name"]: "name", p["name"] + "s": "gen", f"({p['abbr']})": "paren"}.items():
            found.add(alias, "party", p["slug"], form)
    for m in rows("municipalities.csv"):
        found.places_by_region.setdefault(m["region_slug"], []).append(m["name"])
        if len(m["name"]) >= PLACE_MIN:
            found.add(m["name"], "place", m["code"], "name")
            found.add(m["name"] + "s", "place", m["code"], "gen")
    for s in rows("services.csv"):
        forms = [f for f in [s["pref_label_sv"].lower(), *split(s.get("alt_labels_sv", ""))] if f.islower()]
        found.services[s["slug"]] = forms
        for index, form in enumerate(forms):
            found.add(form, "service", s["slug"], str(index))
    return found


def trie_pattern(words: Iterable[str]) -> str:
    """One regex for many literals, shaped as a trie so matching stays fast; longest match wins."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node(root)


def _trie_node(node: dict) -> str:
    branches = [re.escape(char) + _trie_node(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


# --- templates ------------------------------------------------------------------------------------------


@cache
def patterns() -> tuple[re.Pattern, re.Pattern]:
    """(prose, table-row) tokenizers: entity names, money amounts, years; table rows also bare figures."""
    entity = rf"(?<!\w)(?P<entity>{trie_pattern(names().surface)})(?!\w)"
    money = (
        rf"(?<![\w,.])(?P<amount>\d{{1,3}}(?:[ \u00a0]\d{{3}})+|\d+)(?P<decimals>,\d+)?(?P<unit>\s*(?:{MONEY_UNITS}))\b"
    )
    year = r"(?<![\w,.])(?P<year>19[89]\d|20[0-4]\d)(?![\w,])"
    figure = r"(?<![\w,.])(?P<figure>\d+(?:,\d+)?)(?![\w,])"
    prose = re.compile(f"{entity}|{money}|{year}")
    return prose, re.compile(f"{entity}|{money}|{year}|{figure}")


TABLE_ROW = re.compile(r"\s-?\d[\d,]*\s*$")
HEADING_NUMBER = re.compile(r"^(\s*)(\d{1,2})((?:\.\d{1,2})?)(\.?\s*)(?=[A-ZÅÄÖ])")


def tokenize(text: str) -> list[Part]:
    """Text → literal strings and slots, line by line (table rows also expose their bare figures)."""
    prose, table = patterns()
    parts: list[Part] = []
    for line in text.splitlines(keepends=True):
        pattern = table if TABLE_ROW.search(line) else prose
        position = 0
        for match in pattern.finditer(line):
            parts.append(line[position : match.start()])
            parts.append(slot_for(match))
            position = match.end()
        parts.append(line[position:])
    return [p for p in parts if p]


def slot_for(match: re.Match) -> Slot:
    text = match.group(0)
    if match.group("entity"):
        return (*names().surface[text], text)
    if match.group("amount"):
        return ("amount", match.group("amount"), match.group("decimals") or "", match.group("unit"))
    if match.group("year"):
        return ("year", text, "", text)
    return ("figure", text, "", text)


def heading_like(paragraph: str) -> bool:
    """Short, starts like a title, does not end like a sentence (a heading may wrap onto a second line)."""
    text = paragraph.strip()
    first = text.split("\n", 1)[0].strip()
    return (
        0 < len(first) <= 90
        and len(text) <= 200
        and (first[0].isupper() or first[0].isdigit())
        and not text.endswith((".", ",", ";"))
    )


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"(?<=\n)[ \t]*\n", text) if p.strip()]


def chunks_of(text: str) -> Iterator[list[str]]:
    """Runs of paragraphs of at least CHUNK_MIN characters that start at a heading-like paragraph."""
    current: list[str] = []
    size = 0
    skipped_lines = 0
    for paragraph in paragraphs(text):
        if skipped_lines < TITLE_AREA_LINES:  # the source's own title area would compete with ours
            skipped_lines += paragraph.count("\n") + 1
            continue
        if size >= CHUNK_MIN and heading_like(paragraph):
            yield current
            current, size = [], 0
        current.append(paragraph)
        size += len(paragraph)
    if size >= CHUNK_MIN // 2:
        yield current


def chapter_slot(paragraph: str) -> list[Part]:
    """A numbered heading's number becomes a slot so chapters count up in the synthetic document."""
    match = HEADING_NUMBER.match(paragraph) if heading_like(paragraph) else None
    if not match:
        return tokenize(paragraph)
    lead, _, sub, gap = match.groups()
    return [lead, ("chapter", sub, gap, match.group(0)), *tokenize(paragraph[match.end() :])]


@dataclass
class Template:
    parts: list[Part]
    size: int
    base_year: int | None  # the source document's commonest year: years shift relative to it


def commonest_year(text: str) -> int | None:
    years = [int(y) for y in re.findall(r"(?<!\d)(20[0-4]\d)(?!\d)", text)]
    return max(set(years), key=years.count) if years else None


@cache
def templates(corpus: Path = CORPUS) -> tuple[Template, ...]:
    """Every chunk of every bundled document as a template (built once, ~450 KB of text)."""
    out = []
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for chunk in chunks_of(text):
            parts = [part for paragraph in chunk for part in [*chapter_slot(paragraph), "\n"]]
            out.append(Template(parts, sum(len(p) for p in chunk), commonest_year(text)))
    return tuple(out)


def corpus_bytes(corpus: Path = CORPUS) -> int:
    return sum(p.stat().st_size for p in corpus.glob("*.txt"))


# --- filling in one document ---------------------------------------------------------------------------


class Document:
    """One synthetic proposal's choices; slots are filled consistently within the document."""

    def __init__(self, rng: random.Random, index: int):
        self.rng = rng
        self.index = index
        found = names()
        self.region = rng.choice(found.regions)
        self.year = rng.randint(2016, 2030)
        self.source_year: int | None = None
        self.money = rng.uniform(0.3, 3.0)
        local = [p for p in found.parties if p.get("region_slug") in ("", self.region["slug"])]
        self.authors = rng.sample(local, rng.choice([1, 1, 2, 3, 4]))
        self.coalition = rng.choice(found.coalitions) if rng.random() < 0.2 else None
        shuffled = rng.sample(found.parties, len(found.parties))
        self.party_map = {p["slug"]: q for p, q in zip(found.parties, shuffled, strict=True)}
        self.chosen: dict[tuple[str, str], object] = {}
        self.chapter = 0

    def pick(self, kind: str, key: str, pool: list):
        """The same source name always becomes the same synthetic name within one document."""
        if (kind, key) not in self.chosen:
            self.chosen[(kind, key)] = self.rng.choice(pool)
        return self.chosen[(kind, key)]

    def fill(self, slot: Slot) -> str:
        return getattr(self, "fill_" + slot[0])(*slot[1:])

    def fill_region(self, _key: str, form: str, _text: str) -> str:
        r = self.region
        table = {"official": r["official_name"], "county": r["county"], "name": r["name"], "gen": r["name"] + "s"}
        table |= {"official_gen": r["official_name"] + "s", "county_gen": r["county"] + "s"}
        return table[form]

    def fill_place(self, key: str, form: str, text: str) -> str:
        pool = names().places_by_region.get(self.region["slug"]) or [text]
        name = self.pick("place", key, pool)
        return name + "s" if form == "gen" and not name.endswith("s") else name

    def fill_hospital(self, key: str, _form: str, text: str) -> str:
        return self.pick("hospital", key, names().hospitals_by_region.get(self.region["slug"]) or [text])

    def fill_party(self, key: str, form: str, _text: str) -> str:
        party = self.party_map[key]
        return {"name": party["name"], "gen": party["name"] + "s", "paren": f"({party['abbr']})"}[form]

    def fill_service(self, key: str, form: str, text: str) -> str:
        """A quarter of the services a document mentions become other services (decided once per service)."""
        services = names().services
        swapped = self.pick("swap", key, [False, False, False, True])
        other = services[self.pick("service", key, sorted(services))] if swapped else []
        return other[int(form) % len(other)] if other else text

    def fill_amount(self, amount: str, decimals: str, unit: str) -> str:
        value = float(amount.replace(" ", "").replace("\u00a0", "") + decimals.replace(",", "."))
        return scaled(value * self.money * self.rng.uniform(0.8, 1.25), len(decimals) - 1 if decimals else 0) + unit

    def fill_figure(self, text: str, _form: str, _same: str) -> str:
        places = len(text.split(",")[1]) if "," in text else 0
        return scaled(float(text.replace(",", ".")) * self.money, places)

    def fill_year(self, text: str, _form: str, _same: str) -> str:
        shift = self.year - (self.source_year or int(text))
        return str(min(2049, max(1980, int(text) + shift)))

    def fill_chapter(self, sub: str, gap: str, _text: str) -> str:
        if not sub:
            self.chapter += 1
        return f"{max(self.chapter, 1)}{sub}{gap}"


def scaled(value: float, places: int) -> str:
    return f"{value:.{places}f}".replace(".", ",") if places > 0 else str(round(value))


def header(doc: Document) -> str:
    y = doc.year
    title = doc.rng.choice(TITLES).format(y=y, y1=y + 1, y2=y + 2)
    authors = doc.coalition["name"] if doc.coalition else ", ".join(p["name"] for p in doc.authors)
    return f"Budgetförslag\n\n{authors} i {doc.region['official_name']}\n\n{title}\n\n"


def signatures(doc: Document) -> str:
    lines = []
    for party in doc.authors:
        name = f"{doc.rng.choice(FIRST_NAMES)} {doc.rng.choice(LAST_NAMES)}"
        lines.append(f"{name} ({party['abbr']})\n{doc.rng.choice(ROLES)}\n")
    return "\n" + "\n".join(lines)


def render(doc: Document, target: int) -> str:
    """Header, chunks until the target size, signatures; each chunk's years shift to the document's period."""
    pieces = [header(doc)]
    size = len(pieces[0])
    pool = templates()
    for template in doc.rng.sample(pool, len(pool)):
        if size >= target:
            break
        doc.source_year = template.base_year
        text = "".join(p if isinstance(p, str) else doc.fill(p) for p in template.parts)
        pieces.append(text + "\n")
        size += len(text) + 1
    pieces.append(signatures(doc))
    return "".join(pieces)


# --- the corpus -------------------------------------------------------------------------------------------


@dataclass
class Generated:
    path: Path
    size: int
    next_index: int  # where a continuation of this stream starts


def documents(out: Path, seed: int = 5, start: int = 0) -> Iterator[Generated]:
    """An endless, reproducible stream: document i depends only on (seed, i), so sizes are prefixes."""
    out.mkdir(parents=True, exist_ok=True)
    mean_size = corpus_bytes() / max(1, len(list(CORPUS.glob("*.txt"))))
    index = start
    while True:
        rng = random.Random(f"{seed}:{index}")
        doc = Document(rng, index)
        data = render(doc, int(rng.uniform(0.5, 1.6) * mean_size)).encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()[:12]
        path = out / f"{index:06d}_{doc.region['slug']}_{doc.year}_{digest}.txt"
        path.write_bytes(data)
        index += 1
        yield Generated(path, len(data), index)


def generate(out: Path, factor: float, seed: int = 5) -> Iterator[Generated]:
    """Write documents to `out` until they total `factor` × the bundled corpus; yields each as written."""
    target = int(factor * corpus_bytes())
    written = 0
    for generated in documents(out, seed):
        yield generated
        written += generated.size
        if written >= target:
            return
