"""Oversized imports through gunicorn: status, time and the worker's memory.

    .venv/bin/python scripts/upload_memory.py [--sizes 6,100,300] [--port 8731]

Starts one sync gunicorn worker on a throwaway SQLite database, signs a person in, then
posts the import form with a file of each size (MB), streamed from a generator so the
client holds none of it. For each upload it prints the status, the seconds until the
answer and the worker's resident memory before and after and its peak (VmHWM): the
upload handler stops keeping the file at 5 MB, so the peak must not grow with the
upload. Nothing is asserted; the numbers are for docs/data-export.md.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
CHUNK = b"x" * (1024 * 1024)


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) // 1024
    return fields


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def multipart(token: str, megabytes: int, boundary: str):
    """The form as gunicorn receives it from a browser: the CSRF token, then the file."""
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token}\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.json"\r\n'
        "Content-Type: application/json\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + megabytes * len(CHUNK) + len(tail)

    def body():
        yield head
        for _ in range(megabytes):
            yield CHUNK
        yield tail

    return body(), length


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="6,100,300")
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    workdir = Path(tempfile.mkdtemp(prefix="spasmcare-upload-"))
    env = {
        **os.environ,
        "SQLITE_PATH": str(workdir / "db.sqlite3"),
        "SPASMCARE_LOCAL": "true",
        "SECURE_SSL": "false",
        "BIND": f"127.0.0.1:{args.port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_TIMEOUT": "30",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    manage = [str(PYTHON), "manage.py"]
    for command in ("migrate", "collectstatic"):
        subprocess.run([*manage, command, "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from accounts.services import create_account; "
            "create_account(username='bench', email='', password='Upload-bench-2026')",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "gunicorn.conf.py"]
        + ["spasmcare.wsgi"],
        cwd=ROOT,
        env=env,
        stderr=open(workdir / "gunicorn.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        worker = worker_pid(server.pid)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(100):
            try:
                page = opener.open(f"{base}/accounts/login/").read().decode()
                break
            except OSError:
                time.sleep(0.2)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "bench", "password": "Upload-bench-2026"}
        ).encode()
        opener.open(urllib.request.Request(f"{base}/accounts/login/", data=form))
        page = opener.open(f"{base}/accounts/import/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        cookies = "; ".join(f"{c.name}={c.value}" for c in jar)

        print(
            f"{'upload':>8} {'status':>6} {'seconds':>8} {'RSS before':>10} "
            f"{'RSS after':>10} {'peak (HWM)':>10}"
        )
        for megabytes in sizes:
            before = memory(worker)
            boundary = "----spasmcareUploadBench"
            body, length = multipart(token, megabytes, boundary)
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
            started = time.perf_counter()
            status = "reset"
            try:
                connection.request(
                    "POST",
                    "/accounts/import/",
                    body=body,
                    headers={
                        "Content-Type": f"multipart/form-data; boundary={boundary}",
                        "Content-Length": str(length),
                        "Cookie": cookies,
                        "Referer": f"{base}/accounts/import/",
                    },
                )
                response = connection.getresponse()
                status = str(response.status)
                text = response.read().decode(errors="replace")
                if response.status == 413 and "larger than 5 MB" not in text:
                    status += " (no message)"
            except OSError as error:
                status = f"error: {error}"
            finally:
                connection.close()
            seconds = time.perf_counter() - started
            after = memory(worker)
            print(
                f"{megabytes:>6} MB {status:>6} {seconds:>8.2f} {before['VmRSS']:>7} MB "
                f"{after['VmRSS']:>7} MB {after['VmHWM']:>7} MB"
            )
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    sys.exit(main())
