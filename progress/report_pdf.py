"""The doctor summary as a PDF file, drawn by WeasyPrint from the same HTML and print CSS.

WeasyPrint needs Pango at run time (Debian: libpango-1.0-0, libpangoft2-1.0-0). If it
cannot load, the summary page hides the PDF links and people print from the browser.
The fetcher serves only our own static files: nothing is ever fetched over the network.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse

BASE_URL = "https://spasmcare.invalid/"
# Bootstrap is left out of the PDF: report-print.css covers what the page needs, and
# parsing Bootstrap would take WeasyPrint several seconds.
SKIPPED_STATIC = ("vendor/",)
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
PAPER_LABELS = (("a4", "PDF, A4 paper"), ("letter", "PDF, US Letter paper"))
UNAVAILABLE = "PDF files cannot be made on this server. Print the summary from your browser."


# WeasyPrint logs every rendering step at INFO and every CSS rule it skips (screen-only
# media queries) as a warning; only real errors belong in the server log.
for _name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.ERROR)


@functools.cache
def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def _static_path(name: str) -> Path | None:
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        path = Path(staticfiles_storage.path(name))
    except NotImplementedError:
        return None
    return path if path.is_file() else None


def render_pdf(html: str, *, paper: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_prefix = BASE_URL + settings.STATIC_URL.lstrip("/")

    class StaticFetcher(URLFetcher):
        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            if not url.startswith(static_prefix):
                raise ValueError(f"not fetched: {url}")
            name = url.removeprefix(static_prefix).split("?")[0]
            if name.startswith(SKIPPED_STATIC):
                return URLFetcherResponse(url, b"", headers={"Content-Type": "text/css"})
            path = _static_path(name)
            if path is None:
                raise ValueError(f"no such static file: {name}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    page = CSS(string=f"@page {{ size: {PAPER_SIZES[paper]}; }}")
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFetcher()).write_pdf(
        stylesheets=[page]
    )


def unavailable_response() -> HttpResponse:
    return HttpResponse(UNAVAILABLE, status=503, content_type="text/plain; charset=utf-8")


def pdf_response(html: str, *, paper: str, filename: str) -> HttpResponse:
    """The summary's HTML as a downloaded PDF file that no cache keeps."""
    response = HttpResponse(render_pdf(html, paper=paper), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
