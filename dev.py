"""One entry point for a fresh machine: set up .venv, then serve or test.

Only the standard library is used here, so `python3 dev.py …` works before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".policykg-installed"
VENDOR = ROOT / "api" / "web" / "static" / "vendor"  # the SPARQL editor's and graph view's npm packages
BROWSER = "/usr/bin/chromium"  # Debian's Chromium, driven by the browser tests (tests/test_browser.py)


def ensure_environment(extras: str) -> None:
    """Create the virtual environment and install the project once per pyproject change."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-e", f"{ROOT}[{extras}]"], check=True)
    STAMP.write_text(wanted)


def ensure_frontend() -> None:
    """Install the pinned front-end packages with `npm ci` once per lock change; without npm, pages stay plain HTML."""
    lock, stamp = VENDOR / "package-lock.json", VENDOR / "node_modules" / ".policykg-installed"
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm not found: the SPARQL editor and graph view fall back to plain HTML", file=sys.stderr)
        return
    ci = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
    if subprocess.call(ci, cwd=VENDOR) == 0:
        stamp.write_text(wanted)
    else:
        print("npm ci failed: the SPARQL editor and graph view fall back to plain HTML", file=sys.stderr)


def ensure_browser() -> None:
    """Install Debian's Chromium for the browser tests when missing and we may (root with apt-get); else they fail."""
    if os.path.exists(BROWSER) or os.environ.get("POLICYKG_SKIP_BROWSER_TESTS") == "1":
        return
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(f"{BROWSER} missing and not root with apt-get: install Debian's chromium", file=sys.stderr)
        return
    install = ["apt-get", "install", "-y", "-q", "chromium"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.call(install, env=env) != 0:  # a fresh machine may have no package lists yet
        subprocess.call(["apt-get", "update", "-q"], env=env)
        subprocess.call(install, env=env)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "serve"
    rest = argv[1:]
    if command == "serve":
        ensure_environment("test")
        ensure_frontend()
        return subprocess.call([str(BIN / "policykg"), "serve", *rest])
    if command == "test":
        ensure_environment("test")
        ensure_frontend()
        ensure_browser()
        lint = subprocess.call([str(BIN / "ruff"), "check", str(ROOT)])
        types = subprocess.call([str(BIN / "mypy")], cwd=ROOT)  # the packages named in pyproject's [tool.mypy]
        tests = subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT)
        return tests or lint or types
    if command == "bench":
        ensure_environment("test,bench")
        return subprocess.call([str(BIN / "python"), "-m", "bench", *rest], cwd=ROOT)
    if command == "eval":
        ensure_environment("test")
        return subprocess.call([str(BIN / "policykg"), "eval", "--variants", *rest], cwd=ROOT)
    print(f"unknown command {command!r}; use one of: serve, test, bench, eval", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
