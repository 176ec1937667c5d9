"""Two columns flattened line by line are read as two streams again, and only where the text shows it."""

from __future__ import annotations

from pathlib import Path

from api.settings import BUNDLED_CORPUS
from loaders.pipeline import extract
from loaders.read import document_from_bytes
from loaders.structure.columns import repair_columns

LEFT = [
    "Genom att öka kunskapen om teknikens möjligheter",
    "och stärka samarbetet inom och mellan organisa-",
    "tioner kan regionen förbättra kvaliteten i",
    "verksamheterna.",
]
RIGHT = [
    "För att säkerställa kompetensförsörjningen behöv-",
    "er regionen vara en attraktiv arbets-",
    "givare som erbjuder en jämlik och håll-",
    "bar arbetsmiljö för alla medarbetare.",
]
ELSEWHERE = [  # the same words unbroken, as a document uses them in other places
    "",
    "Organisationer behöver en hållbar arbetsgivare. Vi behöver fler medarbetare i organisationer.",
]


def repaired(lines: list[str], source_format: str = "text") -> list[str]:
    doc = document_from_bytes("\n".join(lines).encode(), "two-columns.txt", slug="x")
    doc.source_format = source_format
    return repair_columns(doc).lines


def test_alternating_columns_become_two_streams():
    interleaved = [line for pair in zip(LEFT, RIGHT, strict=True) for line in pair]
    lines = repaired(["Rubrik", *interleaved, "platser där medarbetare trivs.", *ELSEWHERE])
    assert lines[1:9] == LEFT + RIGHT
    assert lines[9] == "platser där medarbetare trivs."  # the text after the run goes on from the stream that ends it


def test_one_column_text_and_wrapped_table_labels_stay_as_they_are():
    one_column = ["Rubrik", *LEFT, *RIGHT, *ELSEWHERE]
    assert repaired(one_column) == one_column
    table = [  # a label cell wrapped around its figures
        "Hälso- och sjukvårdsnämn-",
        "520,0 -3787,1 -3267,1",
        "den",
        "Regionala utvecklingsnämn-",
        "108,3 -261,8 -153,5",
        "den",
        "Nämnden och den regionala utvecklingsnämnden.",
    ]
    assert repaired(table) == table


def test_only_plain_text_is_repaired():
    interleaved = [line for pair in zip(LEFT, RIGHT, strict=True) for line in pair] + ELSEWHERE
    assert repaired(interleaved, source_format="pdf") == interleaved


def test_a_sentence_naming_the_authors_across_alternating_lines_names_all_of_them():
    """Sörmland's foreword names four parties in one sentence whose lines alternate with the next column's."""
    path = Path(BUNDLED_CORPUS) / "sormland_mal_och_budget_2025_2027_first32k.txt"
    doc = extract(path.read_bytes(), path.name)
    assert "Kristdemokraterna" in {a.label for a in doc.authors}
    broken = next(i for i, line in enumerate(doc.lines) if line.endswith("Kristdemo-"))
    assert doc.lines[broken + 1].startswith("kraterna och Centerpartiet presenterar")
