"""Checks run on pages in the real browser: axe-core, layout, focus, touch targets."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Error as PlaywrightError

from tests.browser.axe_exceptions import excused

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# axe-core from axe-playwright-python (its pinned axe.min.js), run here rather than by its
# Axe.run(): that injects the script again for every run and sends back the whole result
# (about 50 KB a page, every rule that passed included), a third of a check's time.
AXE_RUN = f"() => axe.run({json.dumps(AXE_OPTIONS)}).then((results) => results.violations)"


def axe_violations(page) -> list[dict]:
    """Violations axe-core finds on the page as it is now, minus the listed exceptions."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)  # once per document
    violations = page.evaluate(AXE_RUN)
    path = urlsplit(page.url).path
    return [v for v in violations if not excused(v["id"], path)]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}  -- {summary[:240]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def assert_axe_clean(page, label: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} rule(s) broken on {label or page.url}:\n"
        + format_violations(violations)
    )


def horizontal_overflow(page, width: int) -> int:
    """How many CSS px the page is wider than the viewport width it was given (0 = fits)."""
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    inner_width = page.evaluate("window.innerWidth")
    return max(0, scroll_width - min(width, inner_width))


def overflowing_elements(page, width: int) -> list[str]:
    """The elements that stick out to the right, to say what to fix."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > width + 0.5)
            .filter(el => !el.closest('.visually-hidden, .skip-link'))
            .slice(0, 8)
            .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                 + (el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                 + ' right=' + Math.round(el.getBoundingClientRect().right))""",
        width,
    )


def h1_count(page) -> int:
    return page.locator("h1").count()


def screenshot(page, name: str) -> Path | None:
    if os.environ.get("SPASMCARE_SCREENSHOTS", "1") == "0":
        return None  # scripts/test's second run: the first one kept them
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9_.-]+", "-", name.lower()).strip("-")
    path = SCREENSHOTS / f"{safe}.jpg"
    # Screenshots are for people to look at, not a check: a capture that fails (it can,
    # on a busy machine) falls back to the viewport and never fails the test.
    for full_page in (True, False):
        try:
            page.screenshot(path=str(path), full_page=full_page, animations="disabled", quality=80)
            return path
        except PlaywrightError:
            continue
    return None


FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  // Tab also visits the calendar button inside a date input; the browser draws its ring.
  const nativePart = /^(date|datetime-local|time|month|week)$/.test(el.type || '')
    && !el.matches(':focus');
  return {
    nativePart,
    tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim().slice(0, 40),
    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
    boxShadow: s.boxShadow, matchesFocusVisible: el.matches(':focus-visible'),
  };
}"""


def focus_style(page) -> dict | None:
    return page.evaluate(FOCUS_STYLE)


def focus_is_visible(style: dict | None) -> bool:
    """A focused element shows an outline of at least 2 px or a box-shadow ring."""
    if not style:
        return False
    if style.get("nativePart"):
        return True
    outline = style["outlineStyle"] not in ("none", "") and style["outlineWidth"] >= 2
    shadow = style["boxShadow"] not in ("none", "")
    return outline or shadow


SMALL_TARGETS = """() => {
  const interactive = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[role=button], [tabindex]:not([tabindex="-1"])';
  const targets = [];
  for (const el of document.querySelectorAll(interactive)) {
    if (el.closest('.skip-link')) continue;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || s.visibility === 'hidden') continue;
    targets.push({el, r, s, small: r.width < 23.5 || r.height < 23.5});
  }
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const distanceToRect = ([x, y], r) => Math.hypot(
    Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const small = [];
  for (const t of targets) {
    if (!t.small) continue;
    const el = t.el, r = t.r, s = t.s;
    // WCAG 2.5.8 inline exception: a link inside a sentence of text.
    if (el.tagName === 'A' && s.display === 'inline') {
      const block = el.parentElement.closest('p, li, dd, td, th, figcaption, label, small, div');
      if (block && block.textContent.trim().length > el.textContent.trim().length) continue;
    }
    // A checkbox or radio whose label is part of the target (click on the label works).
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
      const l = el.labels[0].getBoundingClientRect();
      const top = Math.min(r.top, l.top), bottom = Math.max(r.bottom, l.bottom);
      const left = Math.min(r.left, l.left), right = Math.max(r.right, l.right);
      if (bottom - top >= 23.5 && right - left >= 23.5) continue;
    }
    // Spacing exception: a 24 px circle on its centre touches no other target, and no
    // other small target's circle.
    const c = centre(r);
    const crowded = targets.some((o) => o !== t && !o.el.contains(el) && !el.contains(o.el) && (
      o.small ? Math.hypot(c[0] - centre(o.r)[0], c[1] - centre(o.r)[1]) < 24
              : distanceToRect(c, o.r) < 12));
    if (!crowded) continue;
    small.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.name || '')
      .trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return small;
}"""


def small_targets(page) -> list[str]:
    """Interactive elements smaller than 24x24 CSS px that no WCAG 2.5.8 exception covers."""
    return page.evaluate(SMALL_TARGETS)


def inspect_page(page, label: str, *, full: bool = True) -> list[str]:
    """One <h1>, no horizontal overflow and, when full, touch targets of at least 24x24 px,
    zero axe violations and a screenshot.

    Returns the failures instead of raising, so one test can report every size at once.
    """
    width = page.viewport_size["width"]
    failures = []
    if (count := h1_count(page)) != 1:
        failures.append(f"{label}: {count} <h1> elements, expected 1")
    title = page.title().strip()
    if not title or title.startswith("SpasmCare · SpasmCare"):
        failures.append(f"{label}: no page title of its own ({title!r})")
    if overflow := horizontal_overflow(page, width):
        failures.append(
            f"{label}: {overflow} px wider than {width} px: {overflowing_elements(page, width)}"
        )
    if full:
        if small := small_targets(page):
            failures.append(f"{label}: targets smaller than 24x24 px: {small}")
        screenshot(page, label)
        if violations := axe_violations(page):
            failures.append(f"{label}: axe-core:\n" + format_violations(violations))
    return failures


# WCAG 1.4.12 text spacing, applied through the CSS object model (allowed by the CSP).
TEXT_SPACING = """() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('* { line-height: 1.5 !important; letter-spacing: 0.12em !important;'
    + ' word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}"""
LARGE_TEXT = "() => { document.documentElement.style.fontSize = '200%'; }"


def text_stress_failures(page, label: str) -> list[str]:
    """Large text (200 %, as a phone's text-size setting does) and WCAG text spacing
    must not make the page wider than the screen. Leaves the page changed: reload after."""
    width = page.viewport_size["width"]
    failures = []
    for name, script in (("text spacing", TEXT_SPACING), ("200 % text", LARGE_TEXT)):
        page.evaluate(script)
        if overflow := horizontal_overflow(page, width):
            failures.append(
                f"{label} with {name}: {overflow} px wider than {width} px: "
                f"{overflowing_elements(page, width)}"
            )
    return failures
