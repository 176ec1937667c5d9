"""Vocabulary, SHACL shapes and Swedish reference data (regions, hospitals, parties, services)."""
