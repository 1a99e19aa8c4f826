"""The load benchmark's ceiling views (benchsite) live only under benchsite.settings.

scripts/bench.py compares the real pages with a minimal page and a minimal ModelForm post
on the same settings; those views and their table must never ship in the product.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parent.parent
CEILING_PATHS = ["/bench/ok", "/bench/latest/", "/bench/add/", "/bench/add-read/"]
PRODUCT_APPS = [
    "spasmcare",
    "sharing",
    "transfer",
    "progress",
    "reminders",
    "routines",
    "symptoms",
    "accounts",
    "safety",
]


@pytest.mark.parametrize("path", CEILING_PATHS)
def test_the_ceiling_views_are_not_in_the_product_urls(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_the_ceiling_app_is_not_installed_in_the_product():
    assert "benchsite" not in settings.INSTALLED_APPS
    assert settings.ROOT_URLCONF == "spasmcare.urls"


def test_the_product_code_never_names_the_ceiling_app():
    product = [path for app in PRODUCT_APPS for path in (ROOT / app).rglob("*.py")]
    assert product
    assert not [str(p) for p in product if "benchsite" in p.read_text()]


def test_the_bench_settings_route_the_ceilings_over_the_product_urls():
    code = textwrap.dedent(
        """
        import django
        django.setup()
        from django.conf import settings
        from django.urls import resolve
        print("benchsite" in settings.INSTALLED_APPS)
        for path in {paths!r}:
            print(resolve(path).url_name)
        """
    ).format(paths=(*CEILING_PATHS, "/symptoms/"))
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "benchsite.settings",
        "SECRET_KEY": "x" * 60,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "True",
        "bench_ok",
        "bench_latest",
        "bench_add",
        "bench_add_read",
        "entry_list",
    ]
