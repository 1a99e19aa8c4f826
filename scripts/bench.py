#!/usr/bin/env python3
"""Load benchmark: gunicorn as in production, wrk on loopback for every row.

    .venv/bin/python scripts/bench.py                      # SQLite and PostgreSQL
    .venv/bin/python scripts/bench.py --db sqlite --duration 3 --repeats 1

For each database it builds a fresh database (migrate, load_content, one person with
3 years of daily entries and 500 practices via generate_demo_data, 1,095 rows of the
ceiling's table for the same person, plus writer people), collects static files
(manifest storage), starts gunicorn (DEBUG off, Redis cache and sessions, HTTPS headers
via X-Forwarded-Proto) on 127.0.0.1 and measures requests/s and p50/p99 latency at each
connection count, every cell bounded in time and repeated; the table shows medians.

Two ceilings are measured in the same run, on the same settings, middleware and gunicorn
(benchsite.settings: the product's settings plus the bench-only app benchsite, never
installed in the product): the bare "ok" view (no database, no template), which the
signed-out content pages are compared with; and the comparable-work ceiling, which the
signed-in pages and the pain-entry post are compared with: a minimal signed-in page that
shows the person's 20 latest rows of a four-field table (owner, date, score, note; 1,095
rows) in the site's layout, and a minimal signed-in ModelForm post that saves one such
row and redirects. A reference post (no target) is that post plus two small indexed
reads: its ratio shows how much of the ceiling post any save that reads before and after
writing (as the pain-entry post reads its episode, then checks it for warning signs) can
reach at best.

Posts are wrk too, with scripts/bench_post.lua: 64 signed-in people post at once, each
with their own session and CSRF token. Only a 302 counts as acknowledged; afterwards
every acknowledged row must be in the database (a post still in flight when wrk stops
may be stored without an answer: at most one per connection). Any other status, a lost
row or an unexplained extra row counts as an error. The same load generator for every
row keeps the ratios fair: its own CPU use is the same kind.
"""

import argparse
import builtins
import functools
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv/bin/python")
GUNICORN = str(ROOT / ".venv/bin/gunicorn")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_PERSON = "bench"
WRITER_PREFIX = "writer"
NO_SIGNS = {"warning_signs": "none"}  # "None of these": every warning question answered no
CEILING_PAGE = "ceiling page: 20 latest of 1,095 rows"
CEILING_POST = "ceiling post: ModelForm, one row"
READ_POST = "reference post: ceiling post + two small reads"
PAIN_POST = "POST /symptoms/new/"
PAGE_TARGET = 0.6  # of the ceiling page
POST_TARGET = 0.9  # of the ceiling post
# (label, path, signed in, target ratio, measured against). Signed-out content pages are
# compared with the bare view; signed-in pages with the comparable-work ceiling page
# (benchsite: the same settings, middleware and layout, 20 rows of a four-field table).
# A new signed-in page is one more line here.
PAGES = [
    ("bare ok view", "/bench/ok", False, None, None),
    ("/stretches/ signed out", "/stretches/", False, 0.8, "bare ok view"),
    (
        "/stretches/knee-to-chest/ signed out",
        "/stretches/knee-to-chest/",
        False,
        0.8,
        "bare ok view",
    ),
    (CEILING_PAGE, "/bench/latest/", True, None, None),
    ("/ signed in (Today)", "/", True, PAGE_TARGET, CEILING_PAGE),
    ("/symptoms/ signed in", "/symptoms/", True, PAGE_TARGET, CEILING_PAGE),
    ("/symptoms/progress/ signed in", "/symptoms/progress/", True, PAGE_TARGET, CEILING_PAGE),
    ("/routines/history/ signed in", "/routines/history/", True, PAGE_TARGET, CEILING_PAGE),
]
# (label, form, target ratio, measured against): scripts/bench_post.lua posts as 64 people.
# The reference post has no target: its ratio shows what two small reads alone cost
# next to the ceiling post (the pain-entry post reads its episode and then checks it).
POSTS = [
    (CEILING_POST, "ceiling", None, None),
    (READ_POST, "read", None, CEILING_POST),
    (PAIN_POST, "pain", POST_TARGET, CEILING_POST),
]


class Row(NamedTuple):
    """One line of the table: a page or post at one connection count on one database."""

    db: str
    conns: int
    label: str
    rps: float
    p50: float
    p99: float
    to_bare: float
    base: str | None  # the baseline row's label (the bare view or a ceiling), or None
    ratio: float  # median req/s over the baseline's median req/s
    paired: float  # the median of each repeat's ratio (paired_ratio)
    target: float | None
    errors: int
    note: str

    @property
    def met(self) -> bool:
        return self.target is not None and self.ratio >= self.target and not self.errors


@dataclass
class Cell:
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    errors: int = 0
    note: str = ""

    def median(self, name: str) -> float:
        values = [v for v in getattr(self, name) if v == v]  # without NaN (no reading)
        return statistics.median(values) if values else float("nan")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], env: dict, **kw) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def manage(env: dict, *args: str) -> str:
    return run([PY, "manage.py", *args], env)


def prepare(db: str, env: dict, writers: int) -> None:
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS spasmcare_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE spasmcare_bench")
    else:
        path = Path(env["SQLITE_PATH"])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_content", "-v", "0")
    manage(env, "generate_demo_data", "--username", BENCH_PERSON, "--days", "1095")
    manage(env, "bench_readings", "--username", BENCH_PERSON, "--days", "1095")
    manage(
        env,
        "generate_demo_data",
        "--username",
        WRITER_PREFIX,
        "--people",
        str(writers),
        "--days",
        "30",
        "--practices",
        "0",
    )


SESSION_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
names = json.loads({names!r})
out = {{}}
for name in names:
    client = Client()
    client.force_login(get_user_model().objects.get(username=name))
    out[name] = client.cookies["sessionid"].value
print(json.dumps(out))
"""


def sessions_for(env: dict, names: list[str]) -> dict[str, str]:
    out = manage(env, "shell", "-c", SESSION_SCRIPT.format(names=json.dumps(names)))
    return json.loads(out.strip().splitlines()[-1])


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [GUNICORN, "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "spasmcare.wsgi"],
        cwd=ROOT,
        env=env | {"WEB_CONCURRENCY": str(workers), "LOG_LEVEL": "warning"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(port, "/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.kill()
    sys.exit("gunicorn did not start")


HEADERS = {"X-Forwarded-Proto": "https"}


def fetch(port: int, path: str, cookie: str = "", with_cookies: bool = False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = HEADERS | ({"Cookie": cookie} if cookie else {})
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read().decode(errors="replace")
    conn.close()
    if with_cookies:
        return response.status, body, response.getheader("Set-Cookie") or ""
    return response.status, body


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")


def wrk(
    port: int,
    path: str,
    connections: int,
    seconds: float,
    cookie: str,
    script: Path | None = None,
    env: dict | None = None,
) -> dict:
    # A 10 s timeout (wrk's default is 2 s): on a busy shared machine a slow answer is
    # still an answer; a timeout counts as an error.
    args = [WRK, "-t", "2", "-c", str(connections), "-d", f"{int(seconds)}s", "--latency"]
    args += ["--timeout", "10s"]
    for name, value in HEADERS.items():
        args += ["-H", f"{name}: {value}"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run(
        [*args, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        env=os.environ | (env or {}),
    ).stdout
    if "Requests/sec" not in out:
        sys.exit(f"wrk gave no result for {path}:\n{out}")
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(m.group(1))
        if (m := re.search(r"^\s*50%\s+(\S+)", out, re.M))
        else float("nan"),
        "p99": to_ms(m.group(1))
        if (m := re.search(r"^\s*99%\s+(\S+)", out, re.M))
        else float("nan"),
        "errors": errors,
        "out": out,
    }


def writer_credentials(port: int, sessions: dict[str, str], names: list[str]) -> str:
    """One line per person for bench_post.lua: session, CSRF cookie, CSRF form token."""
    lines = []
    for name in names:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        cookie = f"sessionid={sessions[name]}"
        conn.request("GET", "/symptoms/new/", headers=HEADERS | {"Cookie": cookie})
        response = conn.getresponse()
        html = response.read().decode()
        conn.close()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        if not (token and csrf):
            sys.exit(f"no CSRF token for {name} ({response.status})")
        lines.append(f"{sessions[name]} {csrf.group(1)} {token.group(1)}")
    return "\n".join(lines) + "\n"


def post_cell(
    port: int, people_file: Path, form: str, connections: int, seconds: float, tag: str
) -> dict:
    """wrk posting ``form`` ("pain", "ceiling" or "read", bench_post.lua); "acked" counts
    302s."""
    result = wrk(
        port,
        "/",
        connections,
        seconds,
        "",
        script=ROOT / "scripts/bench_post.lua",
        env={
            "BENCH_PEOPLE": str(people_file),
            "BENCH_TAG": tag,
            "BENCH_THREADS": "2",
            "BENCH_FORM": form,
        },
    )
    match = re.search(r"ACKED (\d+) OTHER (\d+)", result["out"])
    if not match:
        sys.exit(f"bench_post.lua printed no count:\n{result['out']}")
    result["acked"], result["other"] = int(match.group(1)), int(match.group(2))
    return result


STORED = {
    "pain": "from symptoms.models import PainEntry as Row",
    "ceiling": "from benchsite.models import Reading as Row",
    "read": "from benchsite.models import Reading as Row",
}


def count_stored(env: dict, form: str, tag: str) -> int:
    code = f"{STORED[form]};print(Row.objects.filter(note__startswith={tag!r}).count())"
    return int(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def drain(port: int) -> None:
    """Wait until the requests still queued from the last cell are answered: a new
    connection waits behind them in the listen queue. Without this, at 64 connections on
    a busy machine one cell's backlog is served in the next cell's time."""
    for _ in range(2):
        fetch(port, "/bench/ok")


def ratio(value: float, base: float) -> float:
    return value / base if base and base == base else float("nan")


def paired_ratio(values: list[float], bases: list[float]) -> float:
    """The median over repeats of each repeat's ratio to its baseline measured in the same
    repeat (seconds apart), so a slow spell of the shared machine falls on both sides of
    a ratio; the "ratio" column divides the medians of the whole run instead."""
    ratios = [ratio(v, b) for v, b in zip(values, bases, strict=False)]
    ratios = [r for r in ratios if r == r]  # without NaN (no reading)
    return statistics.median(ratios) if ratios else float("nan")


def log_cell(db: str, conns: int, label: str, result: dict) -> None:
    """Each measurement as it comes (stderr), so a failed run still shows what it saw."""
    print(
        f"    {db} c={conns} {label}: {result['rps']:,.1f} req/s, p50 {result['p50']:.1f} ms, "
        f"errors {result['errors'] + result.get('other', 0)}",
        file=sys.stderr,
        flush=True,
    )


def bench_db(db: str, opts, base_env: dict) -> list[Row]:
    env = dict(base_env)
    if db == "postgres":
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/spasmcare_bench"
    else:
        env["SQLITE_PATH"] = str(Path(tempfile.gettempdir()) / "spasmcare-bench" / "bench.sqlite3")
    max_conn = max(opts.connections)
    print(f"[{db}] preparing data…", file=sys.stderr, flush=True)
    prepare(db, env, max_conn)
    writers = [f"{WRITER_PREFIX}-{n:05d}" for n in range(1, max_conn + 1)]
    sessions = sessions_for(env, [BENCH_PERSON, *writers])
    cookie = f"sessionid={sessions[BENCH_PERSON]}"
    port = free_port()
    server = start_gunicorn(env, port, opts.workers)
    rows = []
    try:
        # A browser sends the CSRF cookie it was given with every request.
        _, _, set_cookie = fetch(port, "/symptoms/", cookie, with_cookies=True)
        if csrf := re.search(r"csrftoken=([^;]+)", set_cookie):
            cookie += f"; csrftoken={csrf.group(1)}"
        for _label, path, signed_in, *_ in PAGES:
            status, body = fetch(port, path, cookie if signed_in else "")
            if status != 200 or (signed_in and "Log out" not in body):
                sys.exit(f"{path} answered {status} (signed in: {signed_in}); not benchmarking")
        people_file = Path(tempfile.gettempdir()) / f"spasmcare-bench-{db}-people.txt"
        people_file.write_text(writer_credentials(port, sessions, writers))
        wanted = {label for label, *_ in PAGES if opts.only in label}
        wanted |= {"bare ok view", CEILING_PAGE, CEILING_POST, READ_POST}  # the baselines
        pages = [page for page in PAGES if page[0] in wanted]
        posts = [post for post in POSTS if post[0] in wanted or opts.only in post[0]]
        targets = {label: (target, base) for label, _, _, target, base in pages}
        targets |= {label: (target, base) for label, _, target, base in posts}
        for conns in opts.connections:
            cells = {label: Cell() for label in targets}
            for rep in range(opts.repeats):
                for label, path, signed_in, *_ in pages:
                    print(f"[{db}] c={conns} #{rep + 1} {label}", file=sys.stderr, flush=True)
                    result = wrk(port, path, conns, opts.duration, cookie if signed_in else "")
                    cell = cells[label]
                    cell.rps.append(result["rps"])
                    cell.p50.append(result["p50"])
                    cell.p99.append(result["p99"])
                    cell.errors += result["errors"]
                    log_cell(db, conns, label, result)
                    drain(port)
                for label, form, *_ in posts:
                    tag = f"bench-{db}-{conns}-{rep}-{form}"
                    print(f"[{db}] c={conns} #{rep + 1} {label}", file=sys.stderr, flush=True)
                    result = post_cell(port, people_file, form, conns, opts.duration, tag)
                    drain(port)  # before counting: answered or not, every post is in
                    stored = count_stored(env, form, tag)
                    cell = cells[label]
                    cell.rps.append(result["rps"])
                    cell.p50.append(result["p50"])
                    cell.p99.append(result["p99"])
                    # Every acknowledged post must be stored. A few more may be: posts
                    # still in flight when wrk stopped are saved, but never answered.
                    lost = max(0, result["acked"] - stored)
                    unexplained = max(0, stored - result["acked"] - conns)
                    cell.errors += result["errors"] + result["other"] + lost + unexplained
                    cell.note += f"{stored}/{result['acked']} "
                    log_cell(db, conns, label, result)
            bare = cells["bare ok view"].median("rps")
            for label, cell in cells.items():
                rps = cell.median("rps")
                target, base = targets[label]
                rows.append(
                    Row(
                        db,
                        conns,
                        label,
                        rps,
                        cell.median("p50"),
                        cell.median("p99"),
                        ratio(rps, bare),
                        base,
                        ratio(rps, cells[base].median("rps")) if base else float("nan"),
                        paired_ratio(cell.rps, cells[base].rps) if base else float("nan"),
                        target,
                        cell.errors,
                        cell.note.strip(),
                    )
                )
    finally:
        server.terminate()
        server.wait(30)
    return rows


def print_table(rows: list[Row], file=None) -> None:
    """Markdown table; "ratio" is to the row's baseline (the bare view or a ceiling)."""
    print = functools.partial(builtins.print, file=file or sys.stdout)  # noqa: A001
    print(
        "| db | conns | row | req/s | p50 ms | p99 ms | ratio to bare "
        "| ratio | paired | of | target | met | errors |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---|---:|")
    for row in rows:
        compared = row.base is not None
        met = "-" if row.target is None else ("yes" if row.met else "NO")
        extra = f" (stored/acked: {row.note})" if row.note else ""
        print(
            f"| {row.db} | {row.conns} | {row.label}{extra} | {row.rps:,.0f} "
            f"| {row.p50:.1f} | {row.p99:.1f} | {row.to_bare:.2f} "
            f"| {f'{row.ratio:.2f}' if compared else '-'} "
            f"| {f'{row.paired:.2f}' if compared else '-'} "
            f"| {row.base.split(':')[0] if compared else '-'} "
            f"| {'-' if row.target is None else f'{row.target:.2f}'} | {met} | {row.errors} |"
        )


def summary(rows: list[Row]) -> None:
    """Which targets are met, in words, after the table."""
    checked = [row for row in rows if row.target is not None]
    missed = [row for row in checked if not row.met]
    print(
        f"\nTargets met: {len(checked) - len(missed)} of {len(checked)}; "
        f"errors in all rows: {sum(row.errors for row in rows)}."
    )
    for row in missed:
        print(
            f"- NOT met: {row.db} c={row.conns} {row.label}: {row.ratio:.2f} "
            f"(paired {row.paired:.2f}; target {row.target:.2f}), {row.errors} errors"
        )
    reference = {(row.db, row.conns): row for row in rows if row.label == READ_POST}
    for row in rows:
        if row.label == PAIN_POST and (read := reference.get((row.db, row.conns))):
            print(
                f"- {row.db} c={row.conns}: the reference post (two small reads) is "
                f"{read.ratio:.2f} of the ceiling post; the pain-entry post is "
                f"{ratio(row.rps, read.rps):.2f} of the reference post"
            )


def production_env(cache_prefix: str) -> dict:
    """Settings as in production for measuring: DEBUG off, HTTPS behind a proxy, Redis
    cache and sessions (keys under cache_prefix), plus the bench-only ceiling app and
    its URLs (benchsite.settings imports the product settings and adds only those)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW", "PYTEST"))}
    for name in ("DATABASE_URL", "SQLITE_PATH", "SPASMCARE_TESTING", "PAGE_CACHE_SECONDS"):
        env.pop(name, None)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        SECURE_SSL="true",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
        CACHE_KEY_PREFIX=cache_prefix,
        DJANGO_SETTINGS_MODULE="benchsite.settings",
        AXES_FAILURE_LIMIT="1000",
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=5, help="seconds per cell")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument(
        "--only", default="", help="only pages whose label holds this (the bare view is kept)"
    )
    opts = parser.parse_args()
    if not Path(WRK).exists():
        sys.exit("wrk is not installed")
    env = production_env(f"bench-{os.getpid()}")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    rows = []
    load_before = os.getloadavg()
    for db in ("sqlite", "postgres") if opts.db == "both" else (opts.db,):
        rows += bench_db(db, opts, env)
        print_table(rows, file=sys.stderr)  # so far, in case a later database fails
    load_after = os.getloadavg()
    import redis

    store = redis.Redis.from_url(env["REDIS_URL"])
    keys = list(store.scan_iter(f"{env['CACHE_KEY_PREFIX']}:*"))
    if keys:
        store.delete(*keys)
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, gunicorn "
        f"{opts.workers} sync workers, wrk -t2, {opts.duration:g} s x {opts.repeats} per cell "
        f"(medians); load average before {load_before[0]:.1f}, after {load_after[0]:.1f}\n"
    )
    print_table(rows)
    summary(rows)


if __name__ == "__main__":
    main()
