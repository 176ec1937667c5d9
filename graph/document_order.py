"""Pages of statements in document order (proposal, line) without decoding every match.

Every statement extracted from a proposal (measure, goal, stance …) lives in the proposal's named graph and has a
`pkg:sourceLine`. Matches are counted per graph (`GRAPH ?g`), which needs no join and decodes no statement IRI,
and a page then reads its rows from the few graphs it spans, ordered by line (an inline integer). Sorting every
match by IRI instead meant decoding each one first: 130–160 ms for a party's or the whole store's uncached first
page of measures at 1M triples, against 5–32 ms this way (docs/benchmarks.md, finding 22).
"""

from __future__ import annotations

import bisect

import pyoxigraph as ox

from ontology.terms import in_list, iri_list


def in_document_order(store, var: str, patterns: list[str], after: str | None, size: int) -> list[str]:
    """`size` IRIs bound to `var` by every pattern, after the cursor IRI, ordered by proposal graph, line and IRI.

    Graphs are taken in batches by the count of their matches of the first pattern alone (one cheap grouped
    count, memoised; 4–10 ms at 1M triples where counting all patterns together took up to 50 ms). With more
    patterns that count is an upper bound, so a batch that falls short is followed by one twice as wide."""
    lead = patterns[0]
    counts = store.memo(f"{var} per graph {lead}", lambda: matches_per_graph(store, var, lead))
    first, keyset = 0, ""
    if after:
        graph, line = position(store, after)
        first = bisect.bisect_left([g for g, _ in counts], graph)
        keyset = f'FILTER(?g != <{graph}> || ?line > {line} || (?line = {line} && STR({var}) > "{after}"))'
    found: list[str] = []
    widen = 1
    while len(found) < size and first < len(counts):
        batch, expected = [], 0
        while first < len(counts) and expected < (size - len(found)) * widen:
            batch.append(counts[first][0])
            expected += counts[first][1]
            first += 1
        rows = store.select(f"""SELECT DISTINCT {var} ?g ?line WHERE {{
            VALUES ?g {{ {iri_list(batch)} }} GRAPH ?g {{ {" ".join(patterns)} {var} pkg:sourceLine ?line }} {keyset} }}
            ORDER BY STR(?g) ?line STR({var}) LIMIT {size - len(found)}""")
        found += [r[var[1:]].value for r in rows]
        keyset = ""  # only the cursor's own graph starts part-way
        widen *= 2
    return found


def one_of(var: str, prop: str, iris, leading: bool) -> str:
    """`var prop ?x` with ?x one of `iris`: a VALUES block when the pattern leads, FILTER … IN after another
    pattern has bound `var` — Oxigraph joins a later VALUES block by hash over all of its matches (90 ms at 1M
    triples for a party's measures), where IN tests each bound row."""
    x = "?" + prop.rsplit(":", 1)[-1]
    if leading:
        return f"VALUES {x} {{ {iri_list(iris)} }} {var} {prop} {x} ."
    return f"{var} {prop} {x} . FILTER({x} IN ({in_list(iris)}))"


def matches_per_graph(store, var: str, pattern: str) -> list[tuple[str, int]]:
    """(graph, IRIs the pattern binds to `var` there) in IRI order, for the graphs with any."""
    rows = store.select(f"SELECT ?g (COUNT(DISTINCT {var}) AS ?n) WHERE {{ GRAPH ?g {{ {pattern} }} }} GROUP BY ?g")
    return sorted((r["g"].value, int(r["n"].value)) for r in rows)


def position(store, iri: str) -> tuple[str, int]:
    """The cursor's graph and line; LookupError when it is gone (its page can no longer be placed) or was never an
    IRI (a hand-made cursor: it goes into the query only as a checked IRI)."""
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        raise LookupError(iri) from None
    rows = store.select(f"SELECT ?g ?line WHERE {{ GRAPH ?g {{ {node} pkg:sourceLine ?line }} }} LIMIT 1")
    if not rows:
        raise LookupError(iri)
    return rows[0]["g"].value, int(rows[0]["line"].value)
