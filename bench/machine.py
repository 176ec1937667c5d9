"""What the numbers were measured on: cores, memory, CPU model, Python and package versions."""

from __future__ import annotations

import os
import platform
from importlib import metadata

PACKAGES = ["pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "fastapi", "uvicorn", "httpx", "psutil"]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> dict:
    import psutil

    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": {p: version(p) for p in PACKAGES},
    }
