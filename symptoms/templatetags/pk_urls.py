"""{% pk_url %}: {% url %} for the many rows of a list page, one reverse() per URL name.

The log shows twenty entries, each with an Edit and a Delete link; reversing each one
was a tenth of the page's time. The URL of a name taking one integer (a primary key) is
its text with that number in it, so it is reversed once, with a stand-in number, and
the real one is put in its place.
"""

import functools

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

# Stands in for the primary key while reversing: digits the rest of a URL never holds.
STAND_IN = 9_087_654_321_012_345


@functools.cache
def _around_pk(name: str, script_prefix: str) -> tuple[str, str]:
    """The URL of ``name`` before and after its one integer argument (per script
    prefix: reverse() puts the prefix the request came in under first)."""
    url = reverse(name, args=[STAND_IN])
    before, found, after = url.partition(str(STAND_IN))
    if not found or str(STAND_IN) in after:
        raise ValueError(f"{name!r} does not take its argument once, as a number")
    return before, after


@register.simple_tag
def pk_url(name: str, pk: int) -> str:
    """``{% pk_url 'symptoms:entry_edit' entry.pk %}``: the same as ``{% url %}``."""
    before, after = _around_pk(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"
