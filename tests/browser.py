"""Debian's Chromium, headless, driven by Playwright: shared by the browser tests and the screenshot script."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
OPT_OUT = "POLICYKG_SKIP_BROWSER_TESTS"
# Without the background-networking flags Chromium keeps calling Google's hosts, which this machine's network refuses.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing() -> str | None:
    """Why the browser cannot start here, in words that say how to fix it; None when it can."""
    hint = f"`python3 dev.py test` installs it as root (apt-get install -y chromium); {OPT_OUT}=1 opts out"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found: {hint}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: `python3 dev.py test` installs the test extra (pyproject.toml)"
    return None


@contextmanager
def chromium():
    """A headless Chromium for the length of the block (never a browser downloaded by Playwright)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
