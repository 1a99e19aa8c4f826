"""What the service worker keeps for offline use, and its version.

The public pages (home, stretches, guide, quick check, starter sessions and their
players, the offline and install pages) come from the content in the database, never a
hand list; the static files are every file the site serves from static/ (by their
served, hashed name in production). The version is a hash of all of it and of the
templates and scripts, so a deploy that changes any of them makes the worker replace
its old caches (templates/sw.js).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db.models import Count
from django.urls import reverse

from routines.models import GuidePage, Routine, Stretch
from routines.offline import player_urls

# Served from static/ but never needed offline.
SKIPPED_STATIC = ("vendor/bootstrap/LICENSE",)


def public_pages() -> list[str]:
    """Every public page kept for offline use, fetched signed out (no cookies)."""
    pages = [
        reverse("home"),
        reverse("offline"),
        reverse("install"),
        reverse("routines:stretch_list"),
        reverse("routines:guide_index"),
        reverse("symptoms:check"),
        reverse("routines:routine_list"),
    ]
    # Only the keys: the worker's script is fetched often, and content is long text.
    stretches = Stretch.objects.order_by("order", "pk").values_list("slug", flat=True)
    pages += [reverse("routines:stretch_detail", args=[slug]) for slug in stretches]
    guide = GuidePage.objects.order_by("order", "pk").values_list("slug", flat=True)
    pages += [reverse("routines:guide_page", args=[slug]) for slug in guide]
    starters = Routine.objects.starters().annotate(n=Count("steps")).order_by("name", "pk")
    for pk, steps in starters.values_list("pk", "n"):
        pages += player_urls(pk, steps)
    return pages


@cache
def _static_files() -> tuple[tuple[str, str], ...]:
    """(path under static/, SHA-256 of its content) for every static file we serve."""
    found = []
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns=["*.map", ".*"]):
            if path in SKIPPED_STATIC or path.startswith("admin/"):
                continue
            with storage.open(path) as handle:
                found.append((path, hashlib.sha256(handle.read()).hexdigest()))
    return tuple(sorted(set(found)))


def static_urls() -> list[str]:
    urls = []
    for path, _ in _static_files():
        try:
            urls.append(staticfiles_storage.url(path))
        except ValueError:  # not collected (collectstatic's own ignore patterns)
            continue
    return urls


@cache
def _code_hash() -> str:
    """The templates and this module: a deploy changing a page changes the version."""
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / "templates", Path(__file__)]
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for file in files:
            if file.is_file():
                digest.update(str(file.relative_to(settings.BASE_DIR)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def manifest() -> dict:
    """What templates/sw.js precaches, with the version of it all."""
    pages = public_pages()
    assets = static_urls()
    digest = hashlib.sha256(_code_hash().encode())
    digest.update("\n".join(pages).encode())
    digest.update("\n".join(f"{p} {h}" for p, h in _static_files()).encode())
    return {
        "version": digest.hexdigest()[:16],
        "pages": pages,
        "assets": assets,
        "offlinePage": reverse("offline"),
    }
