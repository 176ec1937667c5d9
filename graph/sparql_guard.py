"""Decide what a user's SPARQL request is from a real parser's syntax tree, not from its text.

rdflib's SPARQL 1.1 grammar parses the request. A query whose tree holds a `ServiceGraphPattern` anywhere (inside
OPTIONAL, subqueries, FILTER EXISTS/NOT EXISTS, MINUS, UNION, GRAPH; with an IRI, prefixed-name or variable endpoint;
SILENT or not) is refused; so is anything that parses as an update (INSERT, DELETE, LOAD, CLEAR, DROP …) and
anything the parser cannot read at all: a request this guard does not understand is never handed to the engine, so
a disagreement between two parsers cannot turn into an outbound request.
"""

from __future__ import annotations

from functools import lru_cache

from pyparsing import ParseException, ParseResults

UPDATE_REFUSED = (
    "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, "
    "CLEAR, DROP …) is not accepted; load documents with `policykg load`"
)
SERVICE_REFUSED = (
    "federated queries are disabled: the SERVICE keyword is not allowed "
    "because it would make this server send requests elsewhere"
)


def _uses_service(node) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


@lru_cache(maxsize=512)
def verdict(query: str) -> tuple[int, str] | None:
    """None when the query may run; else (HTTP status, message)."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(query)
    except ParseException as err:
        try:
            parseUpdate(query)
        except ParseException:
            return 400, f"malformed SPARQL query: error at {err.lineno}:{err.col}: {err.msg}"
        except Exception:  # noqa: BLE001 - any other failure of the parser: refuse, never pass on
            return 400, f"malformed SPARQL query: error at {err.lineno}:{err.col}: {err.msg}"
        return 403, UPDATE_REFUSED
    except Exception as err:  # noqa: BLE001 - a parser crash is a refusal, not a pass
        return 400, f"malformed SPARQL query: {type(err).__name__}: {err}"
    if _uses_service(tree):
        return 403, SERVICE_REFUSED
    return None
