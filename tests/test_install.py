"""A plain `pip install` of the project (no extras, real dependencies) gives a working `policykg`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv

import httpx

from tests.conftest import ROOT, free_port

PACKAGES = ["api", "evaluation", "graph", "loaders", "ontology"]
DOCUMENT = """Budgetförslag 2031 med plan för 2032–2033

Vänsterpartiet i Region Gävleborg

1. Vård i hela länet

Vi yrkar
• Att förlossningen i Hudiksvall återöppnas.
• Att primärvården tillförs 30 miljoner kronor under 2031.
"""


def test_plain_install_serves_loads_queries_and_explains_eval(tmp_path):
    source = tmp_path / "src"  # a copy, so the build leaves nothing in the working tree
    for name in PACKAGES:
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, str(source)], check=True, timeout=600, cwd=tmp_path)

    def policykg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(bin_dir / "policykg"), *args], capture_output=True, text=True, timeout=120, cwd=tmp_path
        )
        assert not check or done.returncode == 0, done.stderr
        return done

    assert "serve" in policykg("--help").stdout
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    store = str(tmp_path / "db")
    assert "1 documents" in policykg("load", "--store", store, str(tmp_path / "doc.txt")).stdout
    stats = json.loads(policykg("stats", "--store", store, "--format", "json").stdout)
    assert stats["triples"] > 0 and len(stats["proposals"]) == 1
    assert policykg("query", "--store", store, "ASK { ?m a pkg:Measure }").stdout.strip() == "true"
    # no corpus or gold in an installed package: a clear error naming the option, not a traceback
    evaluated = policykg("eval", check=False)
    assert evaluated.returncode == 2 and "pass --corpus DIR" in evaluated.stdout + evaluated.stderr
    evaluated = policykg("eval", "--corpus", str(ROOT / "data" / "corpus"), check=False)
    assert evaluated.returncode == 2 and "pass --gold DIR" in evaluated.stdout + evaluated.stderr
    assert "Traceback" not in evaluated.stderr
    refused = policykg("serve", check=False)  # nor a bundled corpus to serve
    assert refused.returncode == 2 and "--store" in refused.stderr
    port = free_port()
    server = subprocess.Popen(
        [str(bin_dir / "policykg"), "serve", "--store", store, "--port", str(port)],
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        for _ in range(150):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.HTTPError:
                assert server.poll() is None, server.stderr.read().decode()
                subprocess.run([sys.executable, "-c", "import time; time.sleep(0.2)"])
        assert answer.status_code == 200 and answer.json()["triples"] == stats["triples"]
        home = httpx.get(f"http://127.0.0.1:{port}/", headers={"Accept": "text/html"}, timeout=30)  # templates shipped
        assert home.status_code == 200 and 'href="/static/explorer.css"' in home.text
        assert httpx.get(f"http://127.0.0.1:{port}/static/explorer.css", timeout=30).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=15)
