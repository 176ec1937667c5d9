"""Plain dataclasses passed between pipeline steps; no behaviour beyond small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """A logical unit of text (paragraph, list item, heading, table row) and the line it starts on."""

    text: str
    line: int
    kind: str = "para"  # para | item | heading | row
    marker: str = ""  # the bullet or number that introduced an item, e.g. "•" or "3."
    section: int = -1  # index into Document.sections
    raw: str = ""  # the source lines joined with single spaces, for verbatim quotes
    width: int = 0  # the widest physical line joined so far (tells wrapped prose from a paragraph end)
    starts: list[tuple[int, int]] = field(default_factory=list)  # (offset in raw, source line) per joined line
    table: int = -1  # a row's index into Document.tables
    cells: list[float] = field(default_factory=list)  # a row's numbers, in MSEK
    amount: float | None = None  # a row's chosen number (the change column, else the first), in MSEK
    role: str = ""  # a row that is no budget line: total | level | part | unlabelled | restated


@dataclass
class Section:
    """A heading and its place in the outline."""

    title: str
    line: int
    number: str = ""
    parent: int = -1


@dataclass
class Target:
    """Something a measure affects, resolved against reference data or minted from a noun phrase."""

    iri: str
    label: str
    kind: str  # Hospital | Committee | Service | Concept | Region | Place
    mention: str = ""
    count: int | None = None  # for a collective reference ("tre akutsjukhus"): the number it names
    emergency: bool | None = None  # … and whether it says the hospitals give emergency care


@dataclass
class Actor:
    iri: str
    label: str
    kind: str  # Party | Coalition | Person | Majority
    notation: str = ""
    members: list[str] = field(default_factory=list)  # IRIs of member parties
    roles: list[str] = field(default_factory=list)  # a person's roles as signed ("ledamot", "gruppledare")
    member_of: str = ""
    line: int = 0


@dataclass
class Goal:
    iri: str
    label: str
    level: str
    line: int
    section: int = -1
    parent: str = ""
    listed: bool = False  # its heading names one of the goals a list of the plan's goal areas names


@dataclass
class Measure:
    iri: str
    text: str
    line: int
    kind: str
    source: str  # list | table | decision | running_text
    section: int = -1
    quote: str = ""
    relation: str = "affects"
    amount: float | None = None
    amount_period: str = ""
    amount_sign: int = 0  # -1/+1 when the text itself says saving/spending; 0: follow the relation
    yearly: list[tuple[int, float]] = field(default_factory=list)  # a table row's figure per year column, in MSEK
    committee: Target | None = None
    targets: list[Target] = field(default_factory=list)
    places: list[Target] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)  # actor IRIs
    goal: str = ""
    goal_method: str = ""
    antecedent: str = ""  # the sentence before, when this one opens by pointing back to it ("Dessa …")
    part_of: str = ""  # the IRI of the measure whose sum this one's is part of ("… 64 miljoner, vilket … 20 miljoner")


@dataclass
class Stance:
    """A position for or against something: stated by the authors, reported about others, or derived from a measure."""

    iri: str
    about: Target
    polarity: str  # supports | opposes | mixed
    kind: str  # stated | reported | derived
    quote: str
    line: int
    holders: list[str] = field(default_factory=list)  # actor IRIs
    reported_by: list[str] = field(default_factory=list)  # actor IRIs, for reported stances
    derived_from: str = ""  # measure IRI, for derived stances
    via: str = "mention"  # mention | collective | place | measure: how the target was found


@dataclass
class Document:
    """Everything the pipeline knows about one source file; filled in step by step."""

    slug: str
    source_file: str
    content_hash: str
    lines: list[str]
    pages: list[int] = field(default_factory=list)  # per line, the 1-based page it came from (PDFs; else empty)
    source_format: str = "text"  # pdf | docx | html | text
    furniture: set[int] = field(default_factory=set)  # 1-based lines that are page numbers or running headers
    page_tails: dict[int, int] = field(default_factory=dict)  # 1-based line → where a page number glued to it starts
    headings: dict[int, int] = field(default_factory=dict)  # 1-based line → level, where the format marks headings
    blocks: list[Block] = field(default_factory=list)
    tables: list = field(default_factory=list)  # loaders.structure.tables.Table
    sections: list[Section] = field(default_factory=list)
    title: str = ""
    title_line: int = 1
    region: Target | None = None
    period: tuple[int, int] | None = None
    authors: list[Actor] = field(default_factory=list)
    co_authors: list[Actor] = field(default_factory=list)  # write a section with the authors
    signatories: list[Actor] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)  # every actor the document mentions
    goals: list[Goal] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    frames: list = field(default_factory=list)  # loaders.frames.Frame observations
    stances: list[Stance] = field(default_factory=list)

    @property
    def iri(self) -> str:
        from ontology.terms import entity_iri

        return entity_iri("proposal", self.slug)
