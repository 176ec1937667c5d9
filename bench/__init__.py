"""Benchmarks for PolicyKG: a synthetic corpus, load scaling, query engines compared, HTTP under load.

Run with `python3 dev.py bench` (or `python -m bench --help`); results go to docs/benchmarks.{md,json}.
"""
