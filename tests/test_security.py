"""Security hardening: check --deploy, headers and cookies over HTTPS, CSP, CSRF."""

import json
import re
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.test_settings import ROOT, clean_env


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "spasmcare.example.org",
        "SQLITE_PATH": str(tmp_path / "prod.sqlite3"),
        # Production sends password-reset mail; check --deploy flags the console backend.
        "EMAIL_HOST": "smtp.example.org",
    }
    env = clean_env(**(env | extra))
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return env


SCALED_OUT = {
    "DATABASE_URL": "postgres://app:secret@db.internal:5432/spasmcare",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "ADMIN_PATH": "staff-area-51/",
    "CSRF_TRUSTED_ORIGINS": "https://spasmcare.example.org",
}


@pytest.mark.slow
@pytest.mark.own_database
@pytest.mark.parametrize("setup", [{}, SCALED_OUT], ids=["embedded", "scaled-out"])
def test_check_deploy_is_clean_under_production_settings(tmp_path, setup):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path, **setup),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.own_database
def test_check_deploy_would_complain_about_debug(tmp_path):
    """The check above can fail: the same command flags DEBUG=true."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path, DEBUG="true"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.own_database
def test_check_deploy_would_complain_about_mail_going_nowhere(tmp_path):
    """Without EMAIL_HOST, production would print password-reset mail to its log."""
    env = production_env(tmp_path)
    env.pop("EMAIL_HOST")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr


# Runs in a fresh interpreter with production settings (the in-process suite has
# SECURE_SSL off), signs a person in over HTTPS and reports headers and cookies.
PROBE = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.core.management import call_command
    from django.contrib.auth import get_user_model
    from django.test import Client
    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user("probe", password="a-long-pass-phrase-1")
    host = {"HTTP_HOST": "spasmcare.example.org"}
    client = Client(**host)
    plain = client.get("/")
    page = client.get("/", secure=True)
    proxied = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    login_page = client.get("/accounts/login/", secure=True)
    login = client.post(
        "/accounts/login/",
        {"username": "probe", "password": "a-long-pass-phrase-1"},
        secure=True,
    )
    def cookie(name):
        morsel = client.cookies.get(name)
        if morsel is None:
            return None
        return {k: morsel[k] for k in ("secure", "httponly", "samesite")}
    print(json.dumps({
        "plain": [plain.status_code, plain.headers.get("Location")],
        "proxied": proxied.status_code,
        "headers": dict(page.headers),
        "login_page_html": login_page.content.decode(),
        "login": login.status_code,
        "session_cookie": cookie("sessionid"),
        "csrf_cookie": cookie("csrftoken"),
    }))
    """
)


@pytest.fixture(scope="module")
def production_probe(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("probe")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        # SPASMCARE_TESTING only swaps in plain static storage (no collectstatic needed);
        # SECURE_SSL is set explicitly as production has it.
        env=production_env(
            tmp_path,
            SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
            SPASMCARE_TESTING="1",
            SECURE_SSL="true",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.own_database
def test_plain_http_is_redirected_to_https(production_probe):
    status, location = production_probe["plain"]
    assert status == 301
    assert location.startswith("https://spasmcare.example.org/")


@pytest.mark.own_database
def test_behind_a_tls_proxy_the_forwarded_proto_header_counts_as_https(production_probe):
    assert production_probe["proxied"] == 200


@pytest.mark.own_database
def test_https_responses_carry_every_security_header(production_probe):
    headers = production_probe["headers"]
    hsts = headers["Strict-Transport-Security"]
    assert re.search(r"max-age=(\d+)", hsts)
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
    assert "includeSubDomains" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


@pytest.mark.own_database
def test_cookies_are_secure_httponly_and_same_site(production_probe):
    assert production_probe["login"] == 302
    for name in ("session_cookie", "csrf_cookie"):
        cookie = production_probe[name]
        assert cookie is not None, name
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


@pytest.mark.own_database
def test_login_form_carries_a_csrf_token(production_probe):
    assert 'name="csrfmiddlewaretoken"' in production_probe["login_page_html"]


@pytest.mark.django_db
def test_every_page_gets_a_strict_csp_with_a_nonce_only_when_used(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    for match in re.finditer(r"nonce-([\w-]+)", csp):
        # A nonce in the header must be the one the page used.
        assert match.group(1) in response.content.decode()


TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE_TAG = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
JS_URL = re.compile(r"href\s*=\s*[\"']\s*javascript:", re.IGNORECASE)


def template_files() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS if d.is_dir() for p in d.rglob("*.html"))


def test_templates_exist_to_be_checked():
    assert any(p.name == "base.html" for p in template_files())


@pytest.mark.parametrize(
    "path", template_files(), ids=lambda p: str(p.relative_to(ROOT)) if isinstance(p, Path) else p
)
def test_no_template_has_inline_script_style_or_handlers(path):
    html = path.read_text()
    problems = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("<style> without nonce", INLINE_STYLE_TAG),
        ("style= attribute", STYLE_ATTRIBUTE),
        ("on*= handler", HANDLER_ATTRIBUTE),
        ("javascript: URL", JS_URL),
    ):
        problems += [f"{name}: {m.group(0)!r}" for m in pattern.finditer(html)]
    assert not problems, problems


def all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_no_view_opts_out_of_csrf_protection():
    """Only the one-click unsubscribe (RFC 8058): mail programs post to it without a
    cookie; the signed token in its URL is the permission, and it only stops one
    reminder's emails (tests/test_reminder_sending.py)."""
    exempt = [
        route
        for route, entry in all_patterns()
        if getattr(entry.callback, "csrf_exempt", False)
        and not route.startswith(settings.ADMIN_PATH)
    ]
    assert exempt == ["accounts/reminders/unsubscribe/<str:token>/"]


def test_csrf_middleware_is_on_and_tokens_are_not_readable_by_scripts():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert settings.CSRF_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_the_admin_is_for_staff_only(client):
    from django.contrib.auth import get_user_model

    url = "/" + settings.ADMIN_PATH
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]
    person = get_user_model().objects.create_user("pat", password="a-long-pass-phrase-1")
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["x" * 5000, "pat\x00", "\x00" * 300])
def test_a_failed_log_in_with_a_hostile_username_is_refused_not_a_500(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failures_still_lock_the_username(client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("pat", password="a-long-pass-phrase-1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "pat", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "pat", "password": "a-long-pass-phrase-1"}
    )
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
