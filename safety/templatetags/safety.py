"""Template tags for the warning signs. Flags are shown with {% include "safety/_flags.html" %}."""

from django import template

register = template.Library()


@register.inclusion_tag("safety/_warning_questions.html")
def warning_questions(
    form, *, legend: str = "Warning signs", intro: str = "", css_class: str = "warning-questions"
) -> dict:
    """Every warning question of ``form`` (a WarningSignsForm), in one fieldset."""
    return {"form": form, "legend": legend, "intro": intro, "css_class": css_class}
