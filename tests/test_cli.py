"""The `policykg` command line, run as a subprocess the way scripts call it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.settings import BUNDLED_CORPUS
from tests.conftest import rocksdb_option

ROOT = Path(__file__).resolve().parents[1]
FIRST = sorted(BUNDLED_CORPUS.glob("*.txt"))[0]


def policykg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "db"
    result = policykg("load", "--store", str(path), str(FIRST))
    assert result.returncode == 0, result.stderr
    assert "added" in result.stdout and "1 documents" in result.stdout
    return path


def test_query_formats(store):
    query = "SELECT ?p ?t WHERE { ?p a pkg:Proposal ; dcterms:title ?t }"
    table = policykg("query", "--store", str(store), query)
    assert table.returncode == 0 and table.stdout.splitlines()[0].split() == ["p", "t"]
    rows = json.loads(policykg("query", "--store", str(store), "--format", "json", query).stdout)
    assert len(rows) == 1 and rows[0]["p"].startswith("https://w3id.org/policykg/id/proposal/")
    parsed = list(
        csv.DictReader(io.StringIO(policykg("query", "--store", str(store), "--format", "csv", query).stdout))
    )
    assert parsed == rows


def test_query_errors_exit_2_with_a_message(store):
    bad = policykg("query", "--store", str(store), "SELECT ?x WHERE {")
    assert bad.returncode == 2 and "malformed SPARQL query" in bad.stderr
    update = policykg("query", "--store", str(store), "DELETE WHERE { ?s ?p ?o }")
    assert update.returncode == 2 and "read-only" in update.stderr


def test_stats_json_counts_the_loaded_proposal(store):
    stats = json.loads(policykg("stats", "--store", str(store), "--format", "json").stdout)
    assert stats["classes"]["pkg:Proposal"] == 1
    assert stats["proposals"][0]["measures"] == stats["classes"]["pkg:Measure"] > 0


def test_bad_file_is_refused_and_the_store_is_unchanged(store, tmp_path):
    before = json.loads(policykg("stats", "--store", str(store), "--format", "json").stdout)["triples"]
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Budget för år 2030, Vänsterpartiet".encode("latin-1"))
    result = policykg("load", "--store", str(store), str(latin))
    assert result.returncode == 2 and "not valid UTF-8" in result.stderr
    missing = policykg("load", "--store", str(store), str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    after = json.loads(policykg("stats", "--store", str(store), "--format", "json").stdout)["triples"]
    assert after == before


def test_reload_reports_unchanged(store):
    again = policykg("load", "--store", str(store), str(FIRST))
    assert again.returncode == 0 and again.stdout.startswith("unchanged")


def test_eval_takes_its_options(tmp_path):
    """`policykg eval --json F --markdown G` writes where it is told (its options once fell to the top parser)."""
    result = policykg("eval", "--json", str(tmp_path / "e.json"), "--markdown", str(tmp_path / "e.md"))
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert report and "Target recall" in (tmp_path / "e.md").read_text(encoding="utf-8")
    assert "Target recall" in result.stdout


def test_the_open_files_setting_reaches_the_store_and_bad_values_are_named(tmp_path):
    path = tmp_path / "db"
    capped = policykg("load", "--store", str(path), str(FIRST), env={"POLICYKG_STORE_OPEN_FILES": "64"})
    assert capped.returncode == 0, capped.stderr
    assert rocksdb_option(path, "max_open_files") == "64"
    too_few = policykg("stats", "--store", str(path), env={"POLICYKG_STORE_OPEN_FILES": "12"})
    assert too_few.returncode == 2 and "POLICYKG_STORE_OPEN_FILES must be 0" in too_few.stderr
    not_a_number = policykg("stats", "--store", str(path), env={"POLICYKG_MAX_RESULTS": "many"})
    assert (
        not_a_number.returncode == 2
        and "POLICYKG_MAX_RESULTS must be a whole number, not 'many'" in not_a_number.stderr
    )
