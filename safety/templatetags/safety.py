"""Template tags for the warning signs: the questions, and what to do about a flag.

Flags themselves are shown with {% include "safety/_flags.html" %}.
"""

import functools
from datetime import date, datetime

from django import template
from django.template import engines
from django.utils import timezone
from django.utils.html import json_script
from django.utils.safestring import SafeString

from safety.dates import long_day
from safety.device_rules import device_rules as rules_for_device
from safety.pain import pain_words
from safety.regions import get_region
from safety.rules import Urgency, rules_in_order

register = template.Library()


@register.simple_tag
def warning_questions(
    form, *, legend: str = "Warning signs", intro: str = "", compact: bool = False
) -> SafeString:
    """The warning-sign checklist of ``form`` (a WarningSignsForm), in one fieldset;
    ``compact`` sets it tighter (the quick entry, which must fit one phone screen).
    Drawn by Jinja2 (safety/jinja2/safety/warning_questions.html), which escapes it."""
    checklist = engines["jinja2"].get_template("safety/warning_questions.html")
    values = {"form": form, "legend": legend, "intro": intro, "compact": compact}
    return SafeString(checklist.render(values))


@register.inclusion_tag("safety/_pain_scale.html")
def pain_scale(field, *, legend: str = "") -> dict:
    """A 0-10 pain field (safety.forms.pain_field) as large tiles, each with its number
    and its word: radio buttons, so it works by touch, keyboard and without JavaScript."""
    return {"field": field, "legend": legend or field.label}


@register.filter
def long_date(value) -> str:
    """A date, or an aware datetime in the active time zone, as "3 March 2026" (the
    same as ``|date:"j F Y"``, cheap enough for a page that shows many)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    elif not isinstance(value, date):
        return ""
    return long_day(value)


@register.filter
def pain_word(value) -> str:
    """The plain word for a 0-10 pain score ("mild"); "" for anything else."""
    try:
        return pain_words(int(value))
    except (TypeError, ValueError):
        return ""


@register.inclusion_tag("safety/_care.html", takes_context=True)
def care(context, urgency: str, *, compact: bool = False) -> dict:
    """What to do for a flag of ``urgency`` in the person's region, with call buttons
    (tel: links) for immediate and urgent flags."""
    region = context.get("care_region") or get_region(None)
    level = Urgency(urgency)
    return {
        "advice": region.advice(level),
        "calls": region.calls(level),
        "region": region,
        "urgency": level,
        "compact": compact,
        "change_region_url": context.get("change_region_url"),
    }


@register.simple_tag
def emergency_signs() -> str:
    """The emergency warning signs in a few words each, for the footer."""
    titles = [r.what for r in rules_in_order() if r.urgency == Urgency.IMMEDIATE]
    return ", ".join(titles[:-1]) + " or " + titles[-1]


@register.simple_tag
@functools.cache
def device_rules():
    """The one-entry warning rules as JSON in the page (<script id="device-rules">), for
    the check made on the phone when it is offline (safety/device_rules.py). They are
    the same for everyone until the code changes: written once per process."""
    return json_script(rules_for_device(), "device-rules")
