"""Property-based fuzzing of the whole API from its OpenAPI schema: the schemathesis CLI against a real server.

The pytest plugin does not run under pytest 9, so the CLI runs as a subprocess. Writes are on (the test key), so
uploads and removals are fuzzed too, over a store of its own.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_KEY, WRITE_AUTH, Server
from tests.test_upload import PROPOSAL

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
ST = str(Path(sys.executable).with_name("st"))


def schemathesis(url: str, seconds: int, folder: Path) -> subprocess.CompletedProcess:
    """The command in the README, bounded by `seconds` of fuzzing, run in `folder` (it leaves a .schemathesis/)."""
    command = [ST, "run", f"{url}/openapi.json", "--wait-for-schema", "30", "-H", f"Authorization: Bearer {TEST_KEY}"]
    command += ["--checks", CHECKS, "--max-examples", "25", "--max-time", str(seconds), "--request-timeout", "20"]
    command += ["--suppress-health-check", "filter_too_much"]  # a generator's efficiency check, not the server's
    return subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, cwd=folder)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("schemathesis") / "db", {"POLICYKG_QUERY_TIMEOUT": "5"})
    with httpx.Client(base_url=server.url, timeout=60, headers=WRITE_AUTH) as client:
        loaded = client.post("/api/proposals", files={"file": ("v-gavleborg.txt", PROPOSAL.encode(), "text/plain")})
        assert loaded.status_code == 201, loaded.text
        yield server, client
    server.stop()


def test_fuzzing_the_schema_finds_no_server_error_and_no_undocumented_answer(fuzzed, tmp_path):
    server, client = fuzzed
    run = schemathesis(server.url, seconds=60, folder=tmp_path)
    cases = re.search(r"(\d+) generated", run.stdout)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert cases and int(cases.group(1)) >= 300, run.stdout[-3000:]
    assert client.get("/api/stats", timeout=5).status_code == 200  # still answering after every upload it made


def test_the_routers_own_404_has_the_documented_error_shape(fuzzed):
    _, client = fuzzed
    missing = client.get("/api/proposals/proposal%2Fx/text")  # %2F decodes to a path no route has
    assert missing.status_code == 404 and set(missing.json()) == {"error", "status"}
    assert client.get("/api/no-such-thing").json() == {"error": "Not Found", "status": 404}
