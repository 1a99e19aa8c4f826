"""Our own style sheets and illustrations pass the Nu Html Checker's CSS and SVG checks.

(Pages are checked as the browser tests open them: see html_check.py. The vendored
Bootstrap in static/vendor/ is not ours to fix and is left out.)
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.browser import html_check

# Files on disk: no database at all.
pytestmark = pytest.mark.any_database

STATIC = Path(__file__).resolve().parents[2] / "static"


def vnu(kind: str, files: list[Path]) -> subprocess.CompletedProcess:
    if reason := html_check.missing():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; the check is required in CI", pytrace=False)
        pytest.skip(reason)
    assert files, f"no {kind} files found under {STATIC}"
    return subprocess.run(
        ["java", "-jar", str(html_check.VNU_JAR), f"--{kind}", "--errors-only"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.own_database  # static files only: no database, no server
@pytest.mark.parametrize(
    ("kind", "pattern"), [("css", "css/*.css"), ("svg", "img/**/*.svg")], ids=["css", "svg"]
)
def test_our_css_and_svg_files_are_valid(kind, pattern):
    done = vnu(kind, sorted(STATIC.glob(pattern)))
    report = (done.stdout + done.stderr).strip()
    assert done.returncode == 0 and not report, report
