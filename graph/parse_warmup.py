"""Imported by the parse fork server (graph.parsing): the extractor's lazily loaded data — simplemma's Swedish
dictionary (~90 MB), the lexicons, the gazetteer — is loaded once there and shared copy-on-write by every worker it
forks, instead of once per worker, and counts in the worker's baseline rather than against a document's memory."""

from __future__ import annotations

from graph.extracted import extracted
from loaders.imperative import is_imperative

SAMPLE = """Budgetförslag 2031 med plan för 2032–2033

Vänsterpartiet i Region Gävleborg

1. Vård i hela länet

Vi yrkar
• Att förlossningen i Hudiksvall återöppnas.
• Stärk primärvården i Sandviken.
• Att primärvården tillförs 30 miljoner kronor under 2031.

Mnkr\t2031\t2032
Hälso- och sjukvårdsnämnden\t100\t120
"""

is_imperative("stärk")
extracted(SAMPLE.encode(), "warm-up.txt")
