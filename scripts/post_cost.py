#!/usr/bin/env python3
"""Where the time of one request goes, measured in this process (no network, no wrk).

    .venv/bin/python scripts/post_cost.py              # SQLite file in a temp folder
    .venv/bin/python scripts/post_cost.py --rounds 400

Companion to scripts/bench.py, which measures throughput under load: this calls the WSGI
application directly, one request at a time, with the production settings the benchmark
uses (DEBUG off, Redis cache and sessions), so the numbers are the app's own Python and
database time. It prints, as medians of several rounds:

- the cost of each request kind, and its ratio to the bare "ok" view;
- the parts of a pain-entry post, each timed on its own: the form, the transactional
  save, the alert check, reading the session.

Needs Redis at REDIS_URL (default redis://127.0.0.1:6379/6); its keys are removed after.
"""

import argparse
import io
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402  (prepare(), the data every benchmark uses)


def medians_ms(fns: list, rounds: int, repeats: int = 7) -> list[float]:
    """For each of ``fns``, the median over ``repeats`` batches of the mean CPU time of
    one call, in ms. The batches take turns (one of each, then again), so a slow spell
    of the shared machine falls on every request alike and the ratios stay fair. CPU
    time of this process (SQLite runs in it too), so other work counts less than it
    would in wall-clock time."""
    for fn in fns:
        fn()
    batches = [[] for _ in fns]
    for _ in range(repeats):
        for fn, times in zip(fns, batches, strict=True):
            started = time.process_time()
            for _ in range(rounds):
                fn()
            times.append((time.process_time() - started) / rounds * 1000)
    return [statistics.median(times) for times in batches]


def profile(requests: list, rounds: int, dump: str | None = None) -> None:
    import cProfile
    import pstats

    for label, fn in requests:
        fn()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(rounds):
            fn()
        profiler.disable()
        print(f"\n## {label}: {rounds} calls")
        stats = pstats.Stats(profiler)
        if dump:  # for pstats or snakeviz; the last request profiled wins
            stats.dump_stats(dump)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="calls per batch")
    parser.add_argument(
        "--profile",
        metavar="LABEL",
        help="instead of the tables, profile the request whose label contains LABEL "
        "(cProfile, the 30 costliest functions by own time and by cumulative time)",
    )
    parser.add_argument(
        "--only",
        metavar="LABEL",
        help="only the requests whose label contains LABEL (the ceilings are kept)",
    )
    parser.add_argument("--dump", metavar="FILE", help="with --profile: save the stats too")
    opts = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="spasmcare-cost-"))
    prefix = f"cost-{os.getpid()}"
    env = bench.production_env(prefix) | {
        "ALLOWED_HOSTS": "127.0.0.1,testserver",  # the test client's host for sign-in
        "SQLITE_PATH": str(folder / "cost.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "benchsite.settings",
    }
    print("preparing data…", file=sys.stderr, flush=True)
    bench.prepare("sqlite", env, writers=1)
    bench.manage(env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update(env)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.http import QueryDict
    from django.test import Client

    # What gunicorn serves (it also freezes the loaded app for the garbage collector).
    from spasmcare.wsgi import application as app
    from symptoms import episode_flags, services
    from symptoms.forms import PainEntryForm
    from symptoms.models import PainEntry

    writer = get_user_model().objects.get(username=f"{bench.WRITER_PREFIX}-00001")
    reader = get_user_model().objects.get(username=bench.BENCH_PERSON)

    def cookies_for(user) -> tuple[str, str]:
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        html = client.get("/symptoms/new/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        cookie = "; ".join(f"{k}={client.cookies[k].value}" for k in ("sessionid", "csrftoken"))
        return cookie, token

    writer_cookie, token = cookies_for(writer)
    reader_cookie, _ = cookies_for(reader)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    fields = {"recorded_at": now, "pain": "3", "locations": "lower_back_centre", "note": "cost"}
    fields |= bench.NO_SIGNS

    def call(method: str, path: str, cookie: str = "", body: bytes = b"") -> str:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "443",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_COOKIE": cookie,
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
        }
        if body:
            environ |= {
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                "CONTENT_LENGTH": str(len(body)),
                "HTTP_REFERER": "https://127.0.0.1/symptoms/new/",
            }
        status = []
        response = app(environ, lambda s, h: status.append(s))
        b"".join(response)
        response.close()
        return status[0]

    def post() -> str:
        body = urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return call("POST", "/symptoms/new/", writer_cookie, body)

    for label, status in (("post", post()), ("log", call("GET", "/symptoms/", reader_cookie))):
        if not status.startswith(("200", "302")):
            sys.exit(f"{label} answered {status}; not measuring")

    def bench_post(path: str):
        fields = {"date": now[:10], "score": "3", "note": "cost"}
        body = urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return lambda: call("POST", path, writer_cookie, body)

    def page(path: str):
        return lambda: call("GET", path, reader_cookie)

    # (label, request, the ceiling it is compared with)
    requests = [
        ("bare ok view", lambda: call("GET", "/bench/ok"), None),
        ("/stretches/ signed out (cached)", lambda: call("GET", "/stretches/"), None),
        (bench.CEILING_PAGE, page("/bench/latest/"), None),
        ("/ signed in (Today)", page("/"), bench.CEILING_PAGE),
        ("/symptoms/ signed in", page("/symptoms/"), bench.CEILING_PAGE),
        ("/symptoms/progress/ signed in", page("/symptoms/progress/"), bench.CEILING_PAGE),
        ("/routines/history/ signed in", page("/routines/history/"), bench.CEILING_PAGE),
        (bench.CEILING_POST, bench_post("/bench/add/"), None),
        (bench.READ_POST, bench_post("/bench/add-read/"), bench.CEILING_POST),
        (bench.PAIN_POST, post, bench.CEILING_POST),
    ]
    if opts.only:
        kept = {"bare ok view", bench.CEILING_PAGE, bench.CEILING_POST, bench.READ_POST}
        requests = [r for r in requests if r[0] in kept or opts.only in r[0]]
    for label, fn, _ in requests:
        if not (status := fn()).startswith(("200", "302")):
            sys.exit(f"{label} answered {status}; not measuring")
    zone = services.zone_of(writer)
    data = QueryDict(mutable=True)
    data.update(fields)
    form = PainEntryForm(data, zone=zone)
    form.is_valid()

    def save():
        entry = form.save(commit=False)
        entry.pk, entry.uid, entry.episode_id = None, uuid.uuid4(), None
        entry._state.adding = True
        return services.save_entry(owner=writer, entry=entry)

    # Its own copy (form.save() hands back the form's one instance, which save() reuses):
    # a sign, so the check then reads the episode's "seen" notes too.
    saved = PainEntry.objects.get(pk=save().pk)
    saved.leg_symptoms = "one"
    parts = [
        ("form: build and validate (15 fields)", lambda: PainEntryForm(data, zone=zone).is_valid()),
        ("save_entry (transaction, lock, insert)", save),
        ("alert_for, entry reporting a sign", lambda: episode_flags.alert_for(saved)),
        ("one Redis read (a session)", lambda: cache.get("post-cost-probe")),
    ]
    if opts.profile:
        every = [(label, fn) for label, fn, _ in requests] + parts
        chosen = [(label, fn) for label, fn in every if opts.profile in label]
        profile(chosen, opts.rounds, opts.dump)
        return
    times_ms = medians_ms([fn for _, fn, _ in requests], opts.rounds)
    rows = [(label, ms, base) for (label, _, base), ms in zip(requests, times_ms, strict=True)]
    bare = rows[0][1]
    times = {label: ms for label, ms, _ in rows}
    part_times = medians_ms([fn for _, fn in parts], opts.rounds)
    part_rows = [(label, ms) for (label, _), ms in zip(parts, part_times, strict=True)]

    load = os.getloadavg()[0]
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, in-process, SQLite, medians of CPU time; "
        f"load average {load:.1f}\n"
    )
    print("| request | CPU ms | ratio to bare | ratio to its ceiling |")
    print("|---|---:|---:|---:|")
    for label, ms, base in rows:
        to_ceiling = f"{times[base] / ms:.2f}" if base else "-"
        print(f"| {label} | {ms:.3f} | {bare / ms:.2f} | {to_ceiling} |")
    print("\n| part of a post | ms |")
    print("|---|---:|")
    for label, ms in part_rows:
        print(f"| {label} | {ms:.3f} |")

    import redis

    store = redis.Redis.from_url(env["REDIS_URL"])
    if old := list(store.scan_iter(f"{prefix}:*")):
        store.delete(*old)


if __name__ == "__main__":
    main()
