"""IRIs of the PolicyKG vocabulary and helpers that mint instance and graph IRIs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
ONTOLOGY_FILE = HERE / "policykg.ttl"
SHAPES_FILE = HERE / "shapes.ttl"
REFERENCE_DIR = HERE / "reference"

PKG = "https://w3id.org/policykg/ns#"
ID = "https://w3id.org/policykg/id/"
GRAPH = "https://w3id.org/policykg/graph/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
QB = "http://purl.org/linked-data/cube#"

PREFIXES = {
    "pkg": PKG,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "org": ORG,
    "prov": PROV,
    "foaf": FOAF,
    "qb": QB,
}
SPARQL_PREFIXES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())

REFERENCE_GRAPH = GRAPH + "reference"
INFERRED_GRAPH = GRAPH + "inferred"
ONTOLOGY_GRAPH = GRAPH + "ontology"

# Measure → service relations; gold/harness names on the left, ontology local names on the right.
RELATIONS = {
    "funds": "funds",
    "cuts": "cuts",
    "reopens": "reopens",
    "closes": "closes",
    "investigates": "investigates",
    "establishes": "establishes",
    "reorganizes": "reorganizes",
    "changes_fee": "changesFee",
    "advocates": "advocates",
    "transfers": "transfers",
    "other": "affects",
}


def entity_iri(kind: str, slug: str) -> str:
    return f"{ID}{kind}/{slug}"


def graph_iri(slug: str) -> str:
    return GRAPH + slug


def inferred_graph(region: str) -> str:
    """The graph holding a region's derived statements (conflicts and stance changes never cross regions)."""
    return f"{INFERRED_GRAPH}/{region.rstrip('/').rsplit('/', 1)[-1]}"


def is_inferred_graph(graph: str) -> bool:
    return graph == INFERRED_GRAPH or graph.startswith(INFERRED_GRAPH + "/")


def iri_list(iris) -> str:
    """IRIs as the body of a SPARQL VALUES clause: sorted, each once."""
    return " ".join(f"<{i}>" for i in sorted(set(iris)))


def in_list(iris) -> str:
    """IRIs as the body of a SPARQL `IN (…)` list: sorted, each once."""
    return ", ".join(f"<{i}>" for i in sorted(set(iris)))


def shorten(iri: str) -> str:
    """A compact name for an IRI (pkg:funds, id path), used in JSON and tables."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


Term = ox.NamedNode | ox.BlankNode | ox.Literal
