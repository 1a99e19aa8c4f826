"""{% form_part %}: a part of the pain entry form, drawn once per process when blank.

    {% load form_parts %}
    {% form_part "symptoms/_entry_questions.html" form %}

Today and the new-entry page show the pain entry form. Drawing its questions (eleven pain
tiles, the warning-sign checklist, the body map, what set it off and what helped) took
about a fifth of Today's time. For a new entry with nothing typed and nothing given to
start from (``PainEntryForm.is_blank``) they are the same for everyone, so they are drawn
once and kept in the "fragments" cache: each process's own memory, never shared, holding
nothing of anyone's. Any other form (with data, errors, an entry being changed or answers
set in advance) is drawn each time.
"""

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def form_part(template_name: str, form) -> SafeString:
    """``template_name`` drawn with ``form`` (its only value)."""
    if not form.is_blank:
        return render_to_string(template_name, {"form": form})
    form_class = type(form)
    key = ":".join(
        (
            template_name,
            f"{form_class.__module__}.{form_class.__qualname__}",
            str(form.prefix),
            str(form.auto_id),
            get_language() or "",
        )
    )
    fragments = caches["fragments"]
    html = fragments.get(key)
    if html is None:
        html = render_to_string(template_name, {"form": form})
        fragments.set(key, str(html))
    return SafeString(html)
