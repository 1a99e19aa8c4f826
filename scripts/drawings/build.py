#!/usr/bin/env python
"""Write the stretch drawings, the logo and the app icon SVG into static/img/.

    python scripts/drawings/build.py          # write the files
    python scripts/drawings/build.py --check  # only compare; exit 1 if a file differs

The poses are authored as joint coordinates in poses.py and rendered to SVG by this
script; edit the poses there, never the SVG files. The PNG icons are drawn from
icon.svg by render_icons.py (needs Chromium and Playwright).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from logo import icon_svg, logo_svg
from poses import DRAWINGS

IMG = Path(__file__).resolve().parents[2] / "static" / "img"


def outputs() -> dict[Path, Callable[[], str]]:
    files: dict[Path, Callable[[], str]] = {
        IMG / "stretches" / f"{name}.svg": (lambda make=make: make().svg())
        for name, make in DRAWINGS.items()
    }
    files[IMG / "logo.svg"] = logo_svg
    files[IMG / "icon.svg"] = icon_svg
    return files


def stale() -> list[Path]:
    """The files whose content is not what the generator makes."""
    return [
        path
        for path, make in outputs().items()
        if not path.exists() or path.read_text(encoding="utf-8") != make()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only, write nothing")
    args = parser.parse_args()
    if args.check:
        differ = stale()
        for path in differ:
            print(f"differs from the generator: {path.relative_to(IMG.parents[1])}")
        return 1 if differ else 0
    for path, make in outputs().items():
        path.write_text(make(), encoding="utf-8")
    print(f"wrote {len(outputs())} files under {IMG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
