"""The evaluation harness: the scorer on hand-made cases, then the real gold documents."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest

from api.settings import BUNDLED_CORPUS
from evaluation.cli import main, sections
from evaluation.report import render_markdown
from evaluation.scoring import TARGETS, score_document
from evaluation.variants import BY_NAME, VARIANTS
from graph.store import EmbeddedStore
from ontology.terms import DCTERMS, ID, ORG, PKG, RDF, RDFS, SKOS, XSD

GRAPH = ox.NamedNode("https://example.org/graph/test")
PROPOSAL = ID + "proposal/test"
GOLD = Path(__file__).parent / "fixtures" / "gold"


def node(value: str) -> ox.NamedNode:
    return ox.NamedNode(value if value.startswith("http") else ID + value)


def make_store(triples: list[tuple[str, str, object]]) -> EmbeddedStore:
    """A store from (subject, predicate IRI, object) triples; str objects become IRIs."""
    store = EmbeddedStore(None)
    quads = [
        ox.Quad(node(s), ox.NamedNode(p), o if isinstance(o, ox.Literal) else node(o), GRAPH) for s, p, o in triples
    ]
    store.replace_graph(GRAPH.value, quads)
    return store


def text(value: object, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype) if datatype else None)


def parties(*abbrs: str) -> list[tuple]:
    return [(f"party/{a}", SKOS + "notation", text(a)) for a in abbrs]


def measure(slug: str, line: int, words: str, source: str = "list", **extra) -> list[tuple]:
    """One predicted measure; extra maps a pkg: local name to an object or a list of them."""
    s = f"measure/{slug}"
    triples = [
        (s, RDF + "type", PKG + "Measure"),
        (s, PKG + "statedIn", PROPOSAL),
        (s, PKG + "text", text(words)),
        (s, PKG + "sourceLine", text(line, "integer")),
        (s, PKG + "extractedFrom", text(source)),
    ]
    for local, objects in extra.items():
        for o in objects if isinstance(objects, list) else [objects]:
            triples.append((s, PKG + local, o))
    return triples


def gold_measure(mid: str, line: int, words: str, source: str = "yrkar_list", **extra) -> dict:
    base = {
        "id": mid,
        "text": words,
        "line": line,
        "actors": ["S"],
        "relation": "funds",
        "targets": [],
        "amount_msek": None,
        "amount_sign": None,
        "goal": None,
        "source": source,
    }
    return base | extra


def gold_doc(measures: list[dict], **document) -> dict:
    meta = {"region": "Västernorrland", "period": [2025, 2027], "authors": [{"abbr": "S"}], "signatories": []}
    return {"document": meta | document, "goals": [], "measures": measures}


def score(gold: dict, triples: list[tuple]) -> dict:
    return score_document(gold, make_store(triples), PROPOSAL)


def test_matching_scopes_and_precision_recall_arithmetic():
    gold = gold_doc(
        [
            gold_measure("M1", 10, "Att bygga fler vårdplatser i Sollefteå."),
            gold_measure("M2", 20, "Att utreda en ny hälsocentral i Ånge."),
            gold_measure("M3", 30, "Regionen ska sänka patientavgifterna.", source="running_text"),
        ]
    )
    triples = [
        *measure(
            "a",
            11,
            "Att bygga fler vårdplatser i Sollefteå samt i Örnsköldsvik och "
            "Härnösand under planperioden, finansierat med nya statliga medel.",
        ),  # holds M1
        *measure("b", 20, "Helt annat förslag om kollektivtrafiken."),  # overlaps nothing
        *measure("c", 29, "Regionen ska sänka patientavgifterna kraftigt.", "running_text"),
        *measure("d", 40, "Att utreda en ny hälsocentral i Ånge."),  # M2's text, far from it
    ]
    result = score(gold, triples)
    assert result["counts"]["core_precision"] == [1, 3]
    assert result["counts"]["core_recall"] == [1, 2]
    assert result["counts"]["all_precision"] == [2, 4]
    assert result["counts"]["all_recall"] == [2, 3]
    metrics = result["metrics"]
    assert metrics["core_f1"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert [u["id"] for u in result["unmatched_gold"]] == ["M2"]
    assert [f["line"] for f in result["false_positives"]] == [20, 40]


def test_matching_is_one_to_one_and_prefers_the_best_overlap():
    gold = gold_doc(
        [
            gold_measure("M1", 5, "Att regionen går med i SMS-livräddare."),
            gold_measure("M2", 5, "Att regionen ger bidrag till hjärtstartare i hela länet."),
        ]
    )
    triples = measure("a", 5, "Att regionen ger bidrag till hjärtstartare.")
    result = score(gold, triples)
    assert result["counts"]["core_recall"] == [1, 2]
    assert [u["id"] for u in result["unmatched_gold"]] == ["M1"]


def test_amount_is_signed_and_a_null_amount_must_stay_absent():
    gold = gold_doc(
        [
            gold_measure("M1", 10, "Minskat antal lokalytor genom rivning", amount_msek=25, amount_sign="-"),
            gold_measure("M2", 20, "Nya ST-block i primärvården", amount_msek=8, amount_sign="+"),
            gold_measure("M3", 30, "Generell minskning av konsulttjänster", amount_msek=10, amount_sign="-"),
            gold_measure("M4", 40, "Inför vårdval inom audiologi"),
        ]
    )
    triples = [
        *measure("a", 10, "Minskat antal lokalytor genom rivning", amount=text("-25.04", "decimal")),
        *measure("b", 20, "Nya ST-block i primärvården", amount=text("8", "decimal")),
        *measure("c", 30, "Generell minskning av konsulttjänster", amount=text("10", "decimal")),
        *measure("d", 40, "Inför vårdval inom audiologi", amount=text("3", "decimal")),
    ]
    result = score(gold, triples)
    assert result["counts"]["amount_exact"] == [2, 4]
    assert {e["id"] for e in result["attribute_errors"] if e["check"] == "amount_exact"} == {"M3", "M4"}


def test_coalitions_expand_to_their_member_parties():
    coalition = [
        ("coalition/alliansen", ORG + "hasMember", "party/M"),
        ("coalition/alliansen", ORG + "hasMember", "party/C"),
    ]
    gold = gold_doc(
        [
            gold_measure("M1", 10, "Tre sjukhuschefer för självständiga sjukhus", actors=["M", "C"]),
            gold_measure("M2", 20, "En samlad primärvårdsledning", actors=["M", "C", "KD"]),
        ]
    )
    triples = [
        *parties("M", "C", "KD"),
        *coalition,
        *measure("a", 10, "Tre sjukhuschefer för självständiga sjukhus", proposedBy="coalition/alliansen"),
        *measure("b", 20, "En samlad primärvårdsledning", proposedBy="coalition/alliansen"),
    ]
    assert score(gold, triples)["counts"]["actors_exact"] == [1, 2]


def test_relation_accepts_alternatives_and_ignores_affects_beside_a_specific_one():
    gold = gold_doc(
        [
            gold_measure(
                "M1", 10, "Att regionen går med i SMS-livräddare", relation="other", relation_alt=["advocates"]
            ),
            gold_measure("M2", 20, "Justering av taxa för uteblivet besök", relation="changes_fee"),
            gold_measure("M3", 30, "Tillskott för underskottshantering", relation="funds"),
            gold_measure("M4", 40, "Slopad slutenvårdsrabatt", relation="changes_fee"),
            gold_measure("M5", 50, "Försäljning av lokaler för Storuman", relation="cuts"),
        ]
    )
    triples = [
        *measure("a", 10, "Att regionen går med i SMS-livräddare", advocates="service/sms"),
        *measure("b", 20, "Justering av taxa för uteblivet besök", changesFee="service/taxa"),
        *measure("c", 30, "Tillskott för underskottshantering", funds="service/hsn", affects="service/hsn"),
        *measure("d", 40, "Slopad slutenvårdsrabatt", cuts="service/rabatt"),
        *measure("e", 50, "Försäljning av lokaler för Storuman"),  # no relation stated
    ]
    result = score(gold, triples)
    assert result["counts"]["relation"] == [3, 5]
    wrong = {e["id"]: e["predicted"] for e in result["attribute_errors"] if e["check"] == "relation"}
    assert wrong == {"M4": ["cuts"], "M5": []}


def test_targets_are_found_by_label_altlabel_or_a_shared_stem():
    gold = gold_doc(
        [
            gold_measure(
                "M1",
                10,
                "Fler hjärtstartare och SMS-livräddare i länet",
                targets=["hjärtstartarna", "AED", "kollektivavtal"],
            )
        ]
    )
    triples = [
        *measure(
            "a",
            10,
            "Fler hjärtstartare och SMS-livräddare i länet",
            funds=["concept/hjartstartare", "concept/ambulans"],
        ),
        ("concept/hjartstartare", RDFS + "label", text("Hjärtstartare")),
        ("concept/hjartstartare", SKOS + "altLabel", text("AED")),
        ("concept/ambulans", RDFS + "label", text("Ambulanssjukvård")),
    ]
    result = score(gold, triples)
    assert result["counts"]["target_recall"] == [2, 3]
    assert [e["gold"] for e in result["attribute_errors"] if e["check"] == "target_recall"] == [["kollektivavtal"]]


def test_goal_labels_match_after_normalising_or_by_containment():
    gold = gold_doc(
        [
            gold_measure("M1", 10, "Att utveckla kollektivtrafiken", goal="G1"),
            gold_measure("M2", 20, "Att bygga ut bredbandet", goal="G2"),
            gold_measure("M3", 30, "Att minska hyrpersonalen", goal="G1"),
        ]
    )
    gold["goals"] = [
        {"id": "G1", "label": "Regional utveckling för hela länet."},
        {"id": "G2", "label": "Regionen skapar mervärde"},
    ]
    triples = [
        *measure("a", 10, "Att utveckla kollektivtrafiken", servesGoal="goal/a"),
        *measure("b", 20, "Att bygga ut bredbandet", servesGoal="goal/b"),
        *measure("c", 30, "Att minska hyrpersonalen", servesGoal="goal/c"),
        ("goal/a", RDFS + "label", text("REGIONAL  UTVECKLING FÖR HELA LÄNET")),
        ("goal/b", RDFS + "label", text("Målområde 3: Regionen skapar mervärde åt sin kärna")),
        ("goal/c", RDFS + "label", text("Ekonomi")),
    ]
    assert score(gold, triples)["counts"]["goal_link"] == [2, 3]


def test_metadata_fields():
    person = "person/anna"
    triples = [
        (PROPOSAL, RDF + "type", PKG + "Proposal"),
        (PROPOSAL, PKG + "region", "region/vasternorrland"),
        ("region/vasternorrland", RDFS + "label", text("Västernorrland")),
        (PROPOSAL, PKG + "periodStart", text(2025, "gYear")),
        (PROPOSAL, PKG + "periodEnd", text(2026, "gYear")),
        (PROPOSAL, DCTERMS + "creator", "coalition/rodgrona"),
        ("coalition/rodgrona", ORG + "hasMember", "party/S"),
        ("coalition/rodgrona", ORG + "hasMember", "party/V"),
        *parties("S", "V"),
        (PROPOSAL, PKG + "signatory", person),
        (person, RDFS + "label", text("Anna Andersson")),
        (person, ORG + "memberOf", "party/S"),
        (person, PKG + "role", text("gruppledare")),
    ]
    gold = gold_doc(
        [],
        authors=[{"abbr": "S"}, {"abbr": "V"}],
        signatories=[{"name": "Anna  Andersson", "party_abbr": "S", "role": "Gruppledare"}],
    )
    result = score(gold, triples)
    assert {k: v["ok"] for k, v in result["metadata"].items()} == {
        "region": True,
        "period": False,
        "authors": True,
        "signatories": True,
        "signatory_roles": True,
    }
    assert result["counts"]["metadata"] == [4, 5]


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> tuple[dict, str]:
    """The real harness run once through main(), conversion variants included, read back from the files it writes."""
    out = tmp_path_factory.mktemp("evaluation")
    assert main(["--json", str(out / "report.json"), "--markdown", str(out / "report.md"), "--variants"]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return report, (out / "report.md").read_text(encoding="utf-8")


def test_harness_scores_every_gold_document(harness):
    report, markdown = harness
    documents = {d["gold"]: d for d in report["documents"]}
    assert set(documents) == {p.name for p in GOLD.glob("*.json")}
    assert len(documents) >= 5
    for doc in [*documents.values(), report["overall"]]:
        assert set(TARGETS) - {"core_recall", "core_precision"} <= set(doc["metrics"])
        assert all(v is None or isinstance(v, float) and 0.0 <= v <= 1.0 for v in doc["metrics"].values())
    for name, doc in documents.items():
        gold = json.loads((GOLD / name).read_text(encoding="utf-8"))
        assert doc["file"] == gold["file"]
        assert doc["metadata"]["region"]["ok"], f"{name}: region {doc['metadata']['region']}"
    for key, low in report["worst"].items():
        assert low["value"] == min(d["metrics"][key] for d in documents.values() if d["metrics"][key] is not None)
    assert render_markdown(report, sections(report)) == markdown
    assert "| Measures recall (core) |" in markdown and "| Worst |" in markdown.replace("Worst | Overall", "Worst |")


def test_every_conversion_variant_scores_as_the_texts_themselves_but_the_known_gaps(harness):
    """Each bundled text rewritten as other converters write it (evaluation/variants.py) leaves every metric of every
    gold document as it is; a variant marked as a known gap still changes some, or its mark is out of date."""
    report, markdown = harness
    entries = {e["variant"]: e for e in report["variants"]}
    assert set(entries) == {v.name for v in VARIANTS}
    for name, entry in entries.items():
        if BY_NAME[name].known_gap:
            assert entry["changes"], f"{name} no longer changes any metric: drop its known_gap"
        else:
            assert entry["changes"] == [], name
    assert "## Conversion variants" in markdown and "| bullet-symbol |" in markdown


def test_robustness_covers_every_bundled_document_and_flags_nothing(harness):
    """Every bundled text, gold or not, is reported; none leaves a measure without actor, reads an amount beyond any
    region's budget, or misses region, period or a party/committee author."""
    report, markdown = harness
    entries = {e["file"]: e for e in report["robustness"]}
    assert set(entries) == {p.name for p in BUNDLED_CORPUS.glob("*.txt")}
    for name, entry in entries.items():
        warnings, structure = entry["warnings"], entry["structure"]
        assert warnings["measures"] > 0 and warnings["without actor"] == 0, name
        assert warnings["metadata missing"] == [], name
        assert "set aside" not in {**structure["list items"], **structure["table rows"]}, name  # each says why
        used = sum(n for fate, n in structure["table rows"].items() if not fate.startswith("set aside"))
        assert used <= sum(structure["table rows"].values())
    flagged = {n: e["warnings"]["amounts beyond 50,000 MSEK"] for n, e in entries.items()}
    assert sum(flagged.values()) <= 1, flagged  # one population table in Jämtland is read as money (known)
    assert "## Robustness on every bundled document" in markdown


def test_confidence_per_source_is_the_precision_measured_on_the_gold(harness):
    """pkg:confidence (loaders/lexicon/measures.toml) stays within 0.1 of what the gold measures for each source."""
    report, _ = harness
    measured = report["overall"]["metrics"]
    lexicon = Path(__file__).parent.parent / "loaders" / "lexicon" / "measures.toml"
    confidence = tomllib.loads(lexicon.read_text("utf-8"))["confidence"]
    for source in ("list", "decision", "table"):
        assert abs(confidence[source] - measured["core_precision"]) <= 0.1, (source, measured["core_precision"])
    assert abs(confidence["running_text"] - measured["prose_precision"]) <= 0.1, measured["prose_precision"]


KNOWN_BELOW = tomllib.loads((Path(__file__).parent / "fixtures" / "known_below_target.toml").read_text("utf-8"))


def test_every_document_meets_its_targets_or_holds_its_recorded_floor(harness):
    """Issue 15's targets per document. A (document, metric) still below target is listed with the floor it reached
    (tests/fixtures/known_below_target.toml): it may not fall below it, and once it reaches the target the entry
    must go, so the list always says exactly what is still missing."""
    report, _ = harness
    problems = []
    for doc in report["documents"]:
        name = doc["gold"].removesuffix(".json")
        floors = KNOWN_BELOW.get(name, {})
        for key, target in doc["targets"].items():
            value = doc["metrics"][key] or 0.0
            if key in floors and value >= target:
                problems.append(f"{name} {key} {value:.3f} meets {target}: remove it from known_below_target.toml")
            elif value < floors.get(key, target) - 1e-9:
                problems.append(f"{name} {key} {value:.3f} < {floors.get(key, target)}")
    assert not problems, problems


def test_target_words_match_compounds_but_not_short_fragments():
    from evaluation.text import shares_word, stems

    assert shares_word(stems("primärvårdsledning"), stems("Primärvård"))
    assert shares_word(stems("barnpsykiatri"), stems("psykiatri"))
    assert not shares_word(stems("vårdplatser"), stems("vård"))
    assert not shares_word(stems("kollektivtrafik"), stems("tandvård"))
