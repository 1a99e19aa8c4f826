"""The Jinja2 environment of the page partials drawn by Jinja2 (TEMPLATES "jinja2").

Pages are Django templates. Where one part of a page repeats many times (the log's
twenty entries), that part is a Jinja2 template in an app's ``jinja2/`` folder, included
with ``{% jinja2_include %}``: the same HTML in a fraction of the time. It gets the
few helpers those partials use, under the names the Django templates know them by.
"""

from django.template.defaultfilters import linebreaksbr
from jinja2 import Environment

from safety.templatetags.safety import pain_word
from symptoms.templatetags.pk_urls import pk_url


def environment(**options) -> Environment:
    # Django's backend asks for autoescape already; these partials must never go without.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.filters.update(linebreaksbr=linebreaksbr, pain_word=pain_word)
    env.globals.update(pk_url=pk_url)
    return env
