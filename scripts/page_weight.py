#!/usr/bin/env python
"""Page weight of a page as served: HTML + CSS + JS + images, in bytes on the wire.

    .venv/bin/python scripts/page_weight.py [/stretches/knee-to-chest/]
    .venv/bin/python scripts/page_weight.py --base-url http://127.0.0.1:8000 /stretches/

Without --base-url it builds everything in a temporary directory (SQLite database with
the content loaded, collectstatic with WhiteNoise's compressed, hashed files) and asks the
app in-process, through the full middleware stack, with "Accept-Encoding: br, gzip" as a
browser sends it. Static files come back compressed by WhiteNoise; the HTML is counted
both as Django sends it (uncompressed) and gzipped, as a compressing proxy would send it.
"""

import argparse
import atexit
import gzip
import os
import re
import shutil
import sys
import tempfile
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
ACCEPT = "br, gzip"


class Assets(HTMLParser):
    """Every file a browser fetches for the page: stylesheets, scripts, images, icon."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon"):
            kind = "css" if a["rel"] == "stylesheet" else "icon"
            if a.get("media") == "print":
                kind = "css (print)"
            self.urls.append((kind, a["href"]))
        elif tag == "script" and a.get("src"):
            self.urls.append(("js", a["src"]))
        elif tag == "img" and a.get("src") and not a["src"].startswith("data:"):
            self.urls.append(("image", a["src"]))


def decode(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli  # present whenever WhiteNoise made .br files

        return brotli.decompress(body)
    return body


def css_urls(css: str, css_url: str) -> list[tuple[str, str]]:
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    return [("css asset", urljoin(css_url, u)) for u in found if not u.startswith("data:")]


def fetch_live(base: str):
    def get(path: str) -> tuple[int, bytes, str, bytes]:
        request = urllib.request.Request(urljoin(base, path), headers={"Accept-Encoding": ACCEPT})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            encoding = response.headers.get("Content-Encoding", "")
        return response.status, body, encoding, decode(body, encoding)

    return get


def fetch_in_process():
    workdir = Path(tempfile.mkdtemp(prefix="spasmcare-weight-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    os.environ.update(
        {
            "SQLITE_PATH": str(workdir / "db.sqlite3"),
            "SPASMCARE_LOCAL": "true",
            "SECURE_SSL": "false",
            "PAGE_CACHE_SECONDS": "0",
            "DEBUG": "false",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spasmcare.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings

    override = override_settings(STATIC_ROOT=workdir / "static")
    override.enable()
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING=ACCEPT)

    def get(path: str) -> tuple[int, bytes, str, bytes]:
        response = client.get(urlparse(path).path)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        encoding = response.get("Content-Encoding", "")
        return response.status_code, body, encoding, decode(body, encoding)

    return get


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/stretches/knee-to-chest/")
    parser.add_argument("--base-url", help="measure a running server instead")
    args = parser.parse_args()
    get = fetch_live(args.base_url) if args.base_url else fetch_in_process()

    status, body, encoding, html = get(args.path)
    if status != 200:
        print(f"{args.path} answered {status}", file=sys.stderr)
        return 1
    html_gzip = len(gzip.compress(html, compresslevel=6)) if not encoding else len(body)
    rows = [("html", args.path, len(html), len(body), encoding or "none")]
    assets = Assets()
    assets.feed(html.decode())
    queue, seen = list(assets.urls), set()
    while queue:
        kind, url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        status, body, encoding, decoded = get(url)
        if status != 200:
            print(f"{url} answered {status}", file=sys.stderr)
            return 1
        rows.append((kind, url, len(decoded), len(body), encoding or "none"))
        if kind.startswith("css"):
            queue.extend(css_urls(decoded.decode(), url))

    width = max(len(row[1]) for row in rows)
    print(f"{'kind':12} {'url':{width}} {'raw':>8} {'served':>8}  encoding")
    for kind, url, raw, served, enc in rows:
        print(f"{kind:12} {url:{width}} {raw:8d} {served:8d}  {enc}")
    total = sum(row[3] for row in rows)
    print_css = sum(row[3] for row in rows if row[0] == "css (print)")
    with_gzip_html = total - rows[0][3] + html_gzip
    raw_total = sum(row[2] for row in rows)
    print()
    for label, size in (
        ("total as served (HTML uncompressed)", total),
        ("total with gzipped HTML", with_gzip_html),
        ("  of which the print stylesheet", print_css),
        ("total uncompressed", raw_total),
    ):
        print(f"{label:38} {size:8d} bytes ({size / 1024:.1f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
