"""{% jinja2_include %}: a Jinja2 partial (TEMPLATES "jinja2") inside a Django template.

    {% load jinja2_partials %}
    {% jinja2_include "symptoms/entries.html" entries=entries page=page %}

The partial gets only the values named (and the request), as {% include ... only %}
would; Jinja2 escapes what it writes, so its output goes in as it is.
"""

from django import template
from django.template import engines
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja2_include(context, template_name: str, **values) -> SafeString:
    partial = engines["jinja2"].get_template(template_name)
    return SafeString(partial.render(values, request=context.get("request")))
