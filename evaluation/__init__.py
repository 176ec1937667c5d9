"""Scoring extraction against hand-made gold annotations, and a robustness report for documents without gold."""
