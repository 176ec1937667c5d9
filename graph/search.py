"""Full-text search over measures, goals, stance quotes and named entities: SQLite FTS5 with Swedish stemming.

Every text is indexed as its Snowball stems ("primärvårdens" → "primärvård") and queried as stem prefixes, so an
inflected or compounded word ("primärvårdsnära") finds its base; compounds ending in a word of the service thesaurus
are indexed under that word too ("närsjukvården" under "sjukvård"). The index lives in memory, one set of rows per
named graph; `sync` compares each graph's stamp (a proposal's content hash and extractor version, the reference
graph's size) with what was indexed and re-indexes only graphs that changed, so it keeps in step with every load and
removal, whoever made it. The stamps are memoised on the store until its next write: a search costs no extra query.
"""

from __future__ import annotations

import html
import re
import sqlite3
import threading
from functools import lru_cache

import snowballstemmer

from graph.queries import labels_for, one_value
from graph.stance_queries import POLARITIES
from ontology.reference import concepts
from ontology.terms import GRAPH, ID, PKG, REFERENCE_GRAPH, iri_list

WORD = re.compile(r"\w+", re.UNICODE)
STEMMER = snowballstemmer.stemmer("swedish")
KINDS = ("measure", "goal", "stance", "entity")
ENTITY_TYPES = ["Hospital", "Service", "Committee", "Party", "Coalition", "Majority", "Person", "Region"]
SCHEMA = """
CREATE TABLE docs (id INTEGER PRIMARY KEY, graph TEXT, kind TEXT, iri TEXT, label TEXT, text TEXT, proposal TEXT,
  region TEXT, year_from INTEGER, year_to INTEGER, parties TEXT, relation TEXT, line INTEGER, amount REAL);
CREATE INDEX docs_graph ON docs(graph);
CREATE VIRTUAL TABLE fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');
"""


MIN_PART, MIN_PREFIX = 4, 3  # letters in the shortest compound part looked for, and in what must stand before it


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return STEMMER.stemWord(word.lower())


def stems(text: str) -> list[str]:
    return [stem(w) for w in WORD.findall(text)]


@lru_cache(maxsize=1)
def compound_heads() -> frozenset[str]:
    """Stems of the service thesaurus's one-word names ("vård", "sjukvård", "psykiatri" …): the last parts that
    Swedish compounds are split at ("närsjukvården" is also indexed as "sjukvård" and "vård")."""
    names = (name for entry in concepts() for name in entry.names)
    return frozenset(s for name in names if " " not in name for s in stems(name) if len(s) >= MIN_PART)


@lru_cache(maxsize=65536)
def terms(word_stem: str) -> tuple[str, ...]:
    """The stem and every thesaurus word it ends in after a prefix of MIN_PREFIX letters or more."""
    heads = compound_heads()
    parts = [word_stem[i:] for i in range(MIN_PREFIX, len(word_stem) - MIN_PART + 1) if word_stem[i:] in heads]
    return (word_stem, *parts)


def index_body(text: str) -> str:
    return " ".join(t for s in stems(text) for t in terms(s))


def fts_query(q: str) -> str | None:
    """Every word's stem as a quoted prefix term (quotes keep FTS5 syntax out of users' hands); all must match."""
    terms = [f'"{s}"*' for s in dict.fromkeys(stems(q))]
    return " ".join(terms) or None


def highlight(text: str, q: str) -> str:
    """The text, HTML-escaped, with every word whose stem starts with a query stem in <mark>."""
    wanted = tuple(dict.fromkeys(stems(q)))
    out, last = [], 0
    for match in WORD.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        word = html.escape(match.group())
        found = wanted and any(t.startswith(wanted) for t in terms(stem(match.group())))
        out.append(f"<mark>{word}</mark>" if found else word)
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


class SearchIndex:
    """An in-memory FTS5 index of the store's texts, re-indexed per named graph as graphs change."""

    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.executescript(SCHEMA)
        self.stamps: dict[str, str] = {}
        self.lock = threading.Lock()

    def sync(self, store) -> int:
        """Bring the index in step with the store; returns how many graphs were (re-)indexed or dropped."""
        current = store.memo("search stamps", lambda: graph_stamps(store))
        with self.lock:
            changed = [g for g in current if self.stamps.get(g) != current[g]]
            gone = [g for g in self.stamps if g not in current]
            for graph in gone + changed:
                self.db.execute("DELETE FROM fts WHERE rowid IN (SELECT id FROM docs WHERE graph = ?)", (graph,))
                self.db.execute("DELETE FROM docs WHERE graph = ?", (graph,))
                self.stamps.pop(graph, None)
            for graph in changed:
                self.add(graph, graph_rows(store, graph))
                self.stamps[graph] = current[graph]
            self.db.commit()
        return len(changed) + len(gone)

    def add(self, graph: str, rows: list[dict]) -> None:
        for row in rows:
            body = index_body(" ".join([row["label"], row["text"], row.pop("extra", "")]))
            cursor = self.db.execute(
                "INSERT INTO docs (graph, kind, iri, label, text, proposal, region, year_from, year_to, parties, "
                "relation, line, amount) VALUES (:graph, :kind, :iri, :label, :text, :proposal, :region, :year_from, "
                ":year_to, :parties, :relation, :line, :amount)",
                {"graph": graph, **row},
            )
            self.db.execute("INSERT INTO fts (rowid, body) VALUES (?, ?)", (cursor.lastrowid, body))

    def search(self, store, q: str, limit: int = 50, offset: int = 0, **filters) -> dict:
        """Matches best first (BM25), one row per entity; filters: kind, region, year, party, relation (IRIs/names)."""
        self.sync(store)
        match = fts_query(q)
        if not match:
            return {"query": q, "total": 0, "items": []}
        where, params = filter_sql(filters)
        sql = f"""WITH m AS MATERIALIZED (SELECT rowid, rank FROM fts WHERE fts MATCH ?)
                  SELECT d.kind, d.iri, d.label, d.text, d.proposal, d.region, d.year_from, d.year_to, d.relation,
                  d.line, d.amount, d.parties, MIN(m.rank) AS best FROM m JOIN docs d ON d.id = m.rowid
                  WHERE 1 {where} GROUP BY d.iri ORDER BY best, d.iri"""
        with self.lock:
            total = self.db.execute(f"SELECT COUNT(*) FROM ({sql})", [match, *params]).fetchone()[0]
            rows = self.db.execute(f"{sql} LIMIT ? OFFSET ?", [match, *params, limit, offset]).fetchall()
        return {"query": q, "total": total, "items": [result(row, q) for row in rows]}


def filter_sql(filters: dict) -> tuple[str, list]:
    clauses, params = [], []
    for column in ("kind", "region", "relation"):
        if filters.get(column):
            clauses.append(f"AND d.{column} = ?")
            params.append(filters[column])
    if filters.get("year"):
        clauses.append("AND d.year_from <= ? AND d.year_to >= ?")
        params += [filters["year"], filters["year"]]
    if filters.get("party"):
        clauses.append("AND (' ' || d.parties || ' ') LIKE ?")
        params.append(f"% {filters['party']} %")
    return " ".join(clauses), params


def result(row: tuple, q: str) -> dict:
    kind, iri, label, text, proposal, region, year_from, year_to, relation, line, amount, parties, rank = row
    shown = text or label
    return {
        "kind": kind,
        "id": iri[len(ID) :] if iri.startswith(ID) else None,
        "iri": iri,
        "label": label,
        "text": shown,
        "highlighted": highlight(shown, q),
        "proposal": proposal[len(ID) :] if proposal else None,
        "region": region[len(ID) :] if region else None,
        "period": [year_from, year_to] if year_from else None,
        "relation": relation,
        "line": line,
        "amount_msek": amount,
        "actors": sorted({p for p in parties.split() if "/" in p}),  # ids of the holders or proposers and members
        "score": round(-rank, 3),
    }


# --- reading the store --------------------------------------------------------------------------------------


def graph_stamps(store) -> dict[str, str]:
    """Each proposal graph's content hash and extractor version, and the reference graph's size."""
    rows = store.select(f"""SELECT ?g ?hash ?version WHERE {{ GRAPH ?g {{ ?p a pkg:Proposal ; pkg:contentHash ?hash
        OPTIONAL {{ ?p pkg:extractorVersion ?version }} }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}""")
    stamps = {r["g"].value: f"{r['hash'].value} {r['version'].value if 'version' in r else ''}" for r in rows}
    size = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?o }} }}")
    stamps[REFERENCE_GRAPH] = size[0]["n"].value if size else "0"
    return stamps


def graph_rows(store, graph: str) -> list[dict]:
    """The index rows of one graph: its measures, goals, stances and labelled entities, with their context."""
    context = proposal_context(store, graph)
    rows = [*measure_rows(store, graph), *goal_rows(store, graph), *stance_rows(store, graph)]
    rows += entity_rows(store, graph)
    return [{**empty_row(), **context, **row} for row in rows]


def empty_row() -> dict:
    keys = ("proposal", "region", "year_from", "year_to", "relation", "line", "amount")
    return {**dict.fromkeys(keys), "parties": "", "text": "", "extra": ""}


def proposal_context(store, graph: str) -> dict:
    rows = store.select(f"""SELECT ?p ?r ?from ?to WHERE {{ GRAPH <{graph}> {{ ?p a pkg:Proposal
        OPTIONAL {{ ?p pkg:region ?r }} OPTIONAL {{ ?p pkg:periodStart ?from ; pkg:periodEnd ?to }} }} }} LIMIT 1""")
    if not rows:
        return {}
    r = rows[0]
    years = {"year_from": int(r["from"].value), "year_to": int(r["to"].value)} if "from" in r else {}
    return {"proposal": r["p"].value, "region": r["r"].value if "r" in r else None, **years}


def party_names(store, actors: set[str]) -> dict[str, str]:
    """Per actor: its id, its notation and those of its members, space-separated (what the party filter matches)."""
    members: dict[str, set[str]] = {a: {a} for a in actors}
    if actors:
        for r in store.select(f"SELECT ?a ?m WHERE {{ VALUES ?a {{ {iri_list(actors)} }} ?a org:hasMember ?m }}"):
            members[r["a"].value].add(r["m"].value)
    everyone = {m for ms in members.values() for m in ms}
    notations = one_value(store, everyone, "skos:notation") if everyone else {}
    return {
        a: " ".join(sorted({m[len(ID) :] for m in ms} | {notations[m] for m in ms if m in notations}))
        for a, ms in members.items()
    }


def words(row: dict, key: str) -> list[str]:
    """The space-separated values of a GROUP_CONCAT (unbound when the group had none)."""
    return row[key].value.split() if key in row else []


def measure_rows(store, graph: str) -> list[dict]:
    rows = store.select(f"""SELECT ?m ?text ?quote ?line (SAMPLE(?a) AS ?amount) (SAMPLE(?e) AS ?effect)
        (GROUP_CONCAT(DISTINCT STR(?actor); separator=" ") AS ?actors)
        (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?targets) WHERE {{ GRAPH <{graph}> {{
          ?m a pkg:Measure ; pkg:text ?text ; pkg:quote ?quote ; pkg:sourceLine ?line .
          OPTIONAL {{ ?m pkg:amount ?a }} OPTIONAL {{ ?m pkg:effect ?e }} OPTIONAL {{ ?m pkg:proposedBy ?actor }}
          OPTIONAL {{ ?m ?rel ?t . ?t a ?tt FILTER(?tt IN (pkg:Service, pkg:Hospital)) }} }} }}
        GROUP BY ?m ?text ?quote ?line""")
    actors = {a for r in rows for a in words(r, "actors")}
    parties = party_names(store, actors)
    targets = labels_for(store, {t for r in rows for t in words(r, "targets")})
    return [
        {
            "kind": "measure",
            "iri": r["m"].value,
            "label": r["text"].value,
            "text": r["quote"].value,
            "line": int(r["line"].value),
            "amount": float(r["amount"].value) if "amount" in r else None,
            "relation": r["effect"].value[len(PKG) :] if "effect" in r else None,
            "parties": " ".join(parties[a] for a in words(r, "actors")),
            "extra": " ".join(targets.get(t, "") for t in words(r, "targets")),
        }
        for r in rows
    ]


def goal_rows(store, graph: str) -> list[dict]:
    rows = store.select(f"""SELECT ?g ?label ?line WHERE {{ GRAPH <{graph}> {{
        ?g a pkg:Goal ; rdfs:label ?label ; pkg:sourceLine ?line }} }}""")
    return [
        {"kind": "goal", "iri": r["g"].value, "label": r["label"].value, "line": int(r["line"].value)} for r in rows
    ]


def stance_rows(store, graph: str) -> list[dict]:
    rows = store.select(f"""SELECT ?s ?quote ?line ?pol ?about (GROUP_CONCAT(DISTINCT STR(?h); separator=" ") AS ?hs)
        WHERE {{ GRAPH <{graph}> {{ ?s a pkg:Stance ; pkg:quote ?quote ; pkg:sourceLine ?line ; pkg:polarity ?pol ;
          pkg:about ?about ; pkg:holder ?h }} }} GROUP BY ?s ?quote ?line ?pol ?about""")
    parties = party_names(store, {h for r in rows for h in words(r, "hs")})
    about = labels_for(store, {r["about"].value for r in rows})
    return [
        {
            "kind": "stance",
            "iri": r["s"].value,
            "label": about.get(r["about"].value, ""),
            "text": r["quote"].value,
            "line": int(r["line"].value),
            "relation": POLARITIES.get(r["pol"].value),
            "parties": " ".join(parties[h] for h in words(r, "hs")),
        }
        for r in rows
    ]


def entity_rows(store, graph: str) -> list[dict]:
    """Labelled hospitals, services, committees, actors and regions named in the graph (by label and alt labels)."""
    types = ", ".join(f"pkg:{t}" for t in ENTITY_TYPES) + ", skos:Concept"
    rows = store.select(f"""SELECT ?x (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT ?alt; separator=" ") AS ?alts)
        WHERE {{ GRAPH <{graph}> {{ ?x a ?t ; rdfs:label ?l FILTER(?t IN ({types}))
          OPTIONAL {{ ?x skos:altLabel|skos:notation ?alt }} }} }} GROUP BY ?x""")
    return [
        {"kind": "entity", "iri": r["x"].value, "label": r["label"].value, "extra": " ".join(words(r, "alts"))}
        for r in rows
        if r["x"].value.startswith(ID)
    ]
