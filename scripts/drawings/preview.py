#!/usr/bin/env python
"""A contact sheet of the stretch drawings, start beside hold, in light and dark, to look at.

    .venv/bin/python scripts/drawings/preview.py [width]   # default 320 px per drawing

Writes test-artifacts/drawings/sheet-light.png and sheet-dark.png (needs Playwright and
Chromium, as render_icons.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
STRETCHES = ROOT / "static" / "img" / "stretches"
OUT = ROOT / "test-artifacts" / "drawings"
# The background the pages put behind a drawing (--sc-soft in static/css/app.css).
BACKGROUND = {"light": "#eef4f7", "dark": "#1b1f24"}


def sheet(scheme: str, width: int) -> str:
    height = width * 200 // 320
    slugs = sorted({p.name.rsplit("-", 1)[0] for p in STRETCHES.glob("*-start.svg")})
    rows = "".join(
        f'<div><img src="{(STRETCHES / f"{slug}-{pose}.svg").as_uri()}" '
        f'width="{width}" height="{height}" alt=""></div>'
        for slug in slugs
        for pose in ("start", "hold")
    )
    return (
        '<!doctype html><meta name="color-scheme" content="light dark"><style>'
        "body{margin:0;display:grid;grid-template-columns:1fr 1fr;gap:4px}"
        f"img{{display:block;background:{BACKGROUND[scheme]}}}</style>{rows}"
    )


def main() -> None:
    width = int(sys.argv[1]) if len(sys.argv) > 1 else 320
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for scheme in BACKGROUND:
            page = browser.new_page(
                viewport={"width": 2 * width + 4, "height": 100}, color_scheme=scheme
            )
            html = OUT / f"sheet-{scheme}.html"
            html.write_text(sheet(scheme, width))
            page.goto(html.as_uri())
            page.wait_for_timeout(200)
            page.screenshot(path=str(OUT / f"sheet-{scheme}.png"), full_page=True)
            page.close()
        browser.close()
    print(f"wrote {OUT}/sheet-light.png and sheet-dark.png")


if __name__ == "__main__":
    main()
