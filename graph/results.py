"""SPARQL results → the standard wire formats (JSON, XML, CSV, TSV), with a row limit.

pyoxigraph can serialise results itself, but not a bounded prefix of them; the limit needs this.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ontology.terms import Term

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


def term_json(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def to_json(variables: list[str], rows: list[dict]) -> bytes:
    """Written from per-term fragments: results repeat the same IRIs many times, so each is encoded once."""
    fragments: dict[Term, str] = {}
    names = {v: json.dumps(v, ensure_ascii=False) for v in variables}

    def encoded(term: Term) -> str:
        text = fragments.get(term)
        if text is None:
            text = fragments[term] = json.dumps(term_json(term), ensure_ascii=False)
        return text

    bindings = ",".join("{" + ",".join(f"{names[k]}:{encoded(t)}" for k, t in row.items()) + "}" for row in rows)
    head = json.dumps({"vars": variables}, ensure_ascii=False)
    return f'{{"head":{head},"results":{{"bindings":[{bindings}]}}}}'.encode()


def to_xml(variables: list[str], rows: list[dict]) -> bytes:
    out = [
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head>",
        "<results>",
    ]
    for row in rows:
        out.append("<result>" + "".join(xml_binding(k, v) for k, v in row.items()) + "</result>")
    out.append("</results></sparql>")
    return "\n".join(out).encode()


def xml_binding(name: str, term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        inner = f"<uri>{escape(term.value)}</uri>"
    elif isinstance(term, ox.BlankNode):
        inner = f"<bnode>{escape(term.value)}</bnode>"
    else:
        data = term_json(term)
        attr = "".join(f" {k}={quoteattr(data[k])}" for k in ("xml:lang", "datatype") if k in data)
        inner = f"<literal{attr}>{escape(term.value)}</literal>"
    return f"<binding name={quoteattr(name)}>{inner}</binding>"


def to_csv(variables: list[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([row[v].value if v in row else "" for v in variables])
    return buffer.getvalue().encode()


def to_tsv(variables: list[str], rows: list[dict]) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(str(row[v]) if v in row else "" for v in variables) for row in rows]
    return ("\n".join(lines) + "\n").encode()


WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}


def serialize_select(variables: list[str], rows: list[dict], kind: str) -> bytes:
    return WRITERS[kind](variables, rows)


def serialize_ask(answer: bool, kind: str) -> bytes:
    if kind == "xml":
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(answer).lower()}</boolean></sparql>"
        ).encode()
    if kind in ("csv", "tsv"):
        return f"{str(answer).lower()}\n".encode()
    return json.dumps({"head": {}, "boolean": answer}).encode()


def serialize_triples(triples: list[ox.Triple], fmt: ox.RdfFormat, prefixes: dict) -> bytes:
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        fmt = ox.RdfFormat.N_TRIPLES if fmt == ox.RdfFormat.N_QUADS else ox.RdfFormat.TURTLE
    if fmt == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""  # None only when writing to a file
    return ox.serialize(triples, format=fmt) or b""
