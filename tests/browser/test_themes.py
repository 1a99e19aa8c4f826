"""Light and dark: the theme follows the system setting, print stays light.

(Every page is also checked in the dark theme by test_pages.py, and the player mid-hold
by test_player.py.)
"""

from __future__ import annotations

import pytest

from tests.browser.test_pages import STRETCH_SLUGS
from tests.browser.test_report_print import pdf_pages

# How the browser colours and prints content pages: once per CI run.
pytestmark = pytest.mark.any_database

ROOT_STYLE = """() => {
  const root = getComputedStyle(document.documentElement);
  const body = getComputedStyle(document.body);
  return {scheme: root.colorScheme, background: body.backgroundColor, color: body.color};
}"""
DRAWINGS = """() => [...document.querySelectorAll('.drawing img')].map((img) => {
  const box = img.getBoundingClientRect();
  return {src: img.getAttribute('src'), top: Math.round(box.top), left: Math.round(box.left),
          width: Math.round(box.width)};
})"""


def test_the_theme_follows_the_system_setting_from_the_first_paint(new_page):
    """No script decides the theme: with JavaScript off the dark setting still applies."""
    for scheme, background in (("light", "rgb(255, 255, 255)"), ("dark", "rgb(17, 20, 24)")):
        page = new_page("phone", js=False, color_scheme=scheme)
        page.goto("/stretches/knee-to-chest/")
        style = page.evaluate(ROOT_STYLE)
        assert style["background"] == background, (scheme, style)
        assert style["scheme"] == ("dark" if scheme == "dark" else "normal")


@pytest.mark.parametrize("slug", STRETCH_SLUGS)
def test_the_handout_shows_both_drawings_on_one_light_a4_page_even_in_dark_mode(new_page, slug):
    page = new_page("desktop", color_scheme="dark")
    page.goto(f"/stretches/{slug}/")
    page.emulate_media(media="print", color_scheme="dark")
    style = page.evaluate(ROOT_STYLE)
    # Light on paper: the page's colours, and the drawings (an SVG in <img> follows the
    # page's colour scheme, which print.css sets to light).
    assert style["scheme"] == "light"
    assert style["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert style["color"] == "rgb(0, 0, 0)"
    start, hold = page.evaluate(DRAWINGS)
    assert start["src"].endswith(f"/{slug}-start.svg") and hold["src"].endswith(f"/{slug}-hold.svg")
    assert start["top"] == hold["top"] and start["left"] < hold["left"], "side by side"
    assert start["width"] >= 180  # about 50 mm each
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf_pages(pdf) == 1
