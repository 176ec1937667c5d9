"""Derived statements in the inferred graph, recomputed from scratch after every change."""

from __future__ import annotations

from ontology.terms import INFERRED_GRAPH


def recompute_inferred(store) -> None:
    """Conflicts and stance changes live here (see graph.stances); empty until that step exists."""
    store.replace_graph(INFERRED_GRAPH, [])
