"""What a person does on a form, for several browser tests."""

from __future__ import annotations


def answer_signs(page, *options: str) -> None:
    """Answer the warning-sign checklist by clicking: "None of these", or open the list
    and tick each option given ("bladder_bowel", "leg_symptoms:one")."""
    if not options:
        page.check('input[name="warning_signs"][value="none"]')
        return
    details = page.locator("details.warning-signs__list")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    for option in options:
        page.check(f'input[name="warning_signs"][value="{option}"]')


def open_menu(page) -> None:
    """Open the header's "Menu" on a phone (a <details>; does nothing on wide screens)."""
    menu = page.locator("details.site-menu")
    if menu.is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()


def open_details(page) -> None:
    """Open "Add details" of the pain entry form (where, what set it off, time, note)."""
    details = page.locator("details.entry-form__details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
