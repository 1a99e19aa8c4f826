"""Settings for scripts/bench.py only: the product's settings plus the ceiling app.

    DJANGO_SETTINGS_MODULE=benchsite.settings

Everything (middleware, sessions, cache, database, templates) is the product's own; this
only installs ``benchsite`` (one small table) and routes its views (benchsite/urls.py).
The product settings and URLconf never name this package.
"""

from spasmcare.settings import *  # noqa: F403
from spasmcare.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "benchsite"]
ROOT_URLCONF = "benchsite.urls"
