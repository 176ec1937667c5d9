"""One entry point for a fresh machine: set up .venv, then serve or test.

Only the standard library is used here, so `python3 dev.py …` works before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".policykg-installed"


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


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "serve"
    rest = argv[1:]
    if command == "serve":
        ensure_environment("test")
        return subprocess.call([str(BIN / "policykg"), "serve", *rest])
    if command == "test":
        ensure_environment("test")
        lint = subprocess.call([str(BIN / "ruff"), "check", str(ROOT)])
        tests = subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT)
        return tests or lint
    if command == "bench":
        ensure_environment("test,bench")
        return subprocess.call([str(BIN / "python"), "-m", "bench", *rest], cwd=ROOT)
    if command == "eval":
        ensure_environment("test")
        return subprocess.call([str(BIN / "policykg"), "eval", *rest], cwd=ROOT)
    print(f"unknown command {command!r}; use one of: serve, test, bench, eval", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
