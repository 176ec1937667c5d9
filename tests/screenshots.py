"""Screenshots of the main pages for the README: `python -m tests.screenshots [folder]` (default docs/screenshots).

It builds a store from the bundled corpus, starts the real server and photographs each page in Debian's Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.browser import chromium, missing
from tests.conftest import ROOT, Server, build_store

HOSPITAL = "/id/hospital/solleftea-sjukhus"


def editor(page) -> None:
    page.locator(".yasqe_queryButton").click()
    page.locator(".yasr table.dataTable tbody tr td").first.wait_for()


def graph(page) -> None:
    page.locator('[data-graph-id][data-ready="true"]').wait_for()


def source_line(page) -> None:
    """The source text opened from the hospital page's first quote, scrolled to its highlighted line."""
    page.goto(HOSPITAL)
    page.locator("#target ul.stances a.source-link").first.click()
    page.locator("#source li.hl").wait_for()


SHOTS = [  # file name, path, what to do before the picture, whether to take the whole page
    ("home", "/", None, False),
    ("search", "/search?q=Sollefteå", None, False),
    ("hospital", HOSPITAL, None, False),
    ("source-text", HOSPITAL, source_line, False),
    ("party", "/id/party/sjukvardspartiet-vasternorrland", None, False),
    ("compare", "/compare?p=sjvp-vasternorrland-2025&p=kd-vasternorrland-2020", None, False),
    ("sparql-editor", "/sparql?example=three-hospitals", editor, True),
    ("graph", "/graph?id=hospital/solleftea-sjukhus", graph, False),
]


def photograph(base_url: str, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    taken = []
    with chromium() as browser:
        context = browser.new_context(base_url=base_url, locale="sv-SE", viewport={"width": 1280, "height": 860})
        page = context.new_page()
        page.set_default_timeout(20_000)
        for name, path, prepare, whole in SHOTS:
            page.goto(path)
            if prepare:
                prepare(page)
            taken.append(folder / f"{name}.png")
            page.screenshot(path=taken[-1], full_page=whole)
        context.close()
    return taken


def main(argv: list[str]) -> int:
    problem = missing()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    folder = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory() as tmp:
        build_store(Path(tmp) / "db")
        server = Server(Path(tmp) / "db")
        try:
            for shot in photograph(server.url, folder):
                print(shot)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
