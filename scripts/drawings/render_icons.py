#!/usr/bin/env python
"""Draw the PNG app icons from static/img/icon.svg in headless Chromium.

    .venv/bin/python scripts/drawings/render_icons.py

Needs the test extras (Playwright) and Chromium (/usr/bin/chromium or CHROMIUM_PATH).
icon.svg is full bleed, so one picture serves as the ordinary icon, the maskable icon
(its motif sits inside the central 80 % safe zone) and the apple-touch-icon.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

IMG = Path(__file__).resolve().parents[2] / "static" / "img"
SIZES = {
    "icon-192.png": 192,
    "icon-512.png": 512,
    "icon-maskable-512.png": 512,
    "apple-touch-icon.png": 180,
}


def main() -> None:
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for name, size in SIZES.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            html = Path(tmp) / "icon.html"
            html.write_text(
                "<!doctype html><style>html,body{margin:0;background:#1d4f6e}"
                "img{display:block}</style>"
                f'<img src="{(IMG / "icon.svg").as_uri()}" width="{size}" height="{size}">'
            )
            page.goto(html.as_uri())
            page.wait_for_timeout(200)
            page.screenshot(path=str(IMG / name))
            page.close()
        browser.close()
    print(f"wrote {', '.join(SIZES)} under {IMG}")


if __name__ == "__main__":
    main()
