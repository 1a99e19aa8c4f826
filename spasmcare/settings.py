"""SpasmCare settings, read from environment variables.

Defaults suit a developer's machine (SQLite, local-memory cache). Production sets
SECRET_KEY, ALLOWED_HOSTS and, to scale out, DATABASE_URL (PostgreSQL) and REDIS_URL.
Every variable is listed in README.md.
"""

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from spasmcare.databases import default_database
from spasmcare.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("SPASMCARE_TESTING", False) or "pytest" in sys.modules

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING or env_bool("SPASMCARE_LOCAL", False)):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (or DEBUG/SPASMCARE_LOCAL for local use)"
        )
    SECRET_KEY = "insecure-local-only-key-not-for-production-use-0123456789abcdefghij"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks_db",
    # The project's apps, bottom layer first (docs/architecture.md).
    "safety",
    "accounts",
    "symptoms",
    "routines",
    "reminders",
    "progress",
    "transfer",
    "sharing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.TimeZoneMiddleware",
    # Signed-in responses: Cache-Control "private, no-store" (health data).
    "accounts.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so cached pages still get every header above: see routines/page_cache.py.
    "routines.page_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "spasmcare.urls"
WSGI_APPLICATION = "spasmcare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "accounts.context_processors.care_region",
                "accounts.context_processors.offline_owner",
                "symptoms.context_processors.warning_banner",
            ],
        },
    },
    # Parts that repeat many times on a page (the log's entries, the pain chart, the
    # warning checklist), in apps' jinja2/ folders (spasmcare/jinja2.py).
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "spasmcare.jinja2.environment"},
    },
]

# Database: SQLite file by default, DATABASE_URL for production (spasmcare/databases.py).
DATABASES = {"default": default_database(base_dir=BASE_DIR, testing=TESTING)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Signed-out stretch and guide pages are cached whole (routines/page_cache.py); 0 = off.
# Off by default under tests so no test sees a page cached by another.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if TESTING else 600)

# Cache: Redis when REDIS_URL is set (shared by every app server), else local memory.
# "fragments" is always each process's own memory: the parts of a blank form that are
# drawn the same for everyone (symptoms/templatetags/form_parts.py), nothing personal.
FRAGMENTS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": None,
}
# "pages": each process's own copies of the signed-out content pages it serves, in front
# of the shared copies in "default" (routines/page_cache.py), nothing personal.
PAGES_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": 2000},  # every content page in every region, with room
}
REDIS_URL = env_str("REDIS_URL")
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "spasmcare")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # Fail fast instead of hanging a worker when Redis is away.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        },
        "fragments": FRAGMENTS_CACHE,
        "pages": PAGES_CACHE,
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fragments": FRAGMENTS_CACHE,
        "pages": PAGES_CACHE,
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background tasks (Django's django.tasks): every mail and every reminder is sent by a
# worker, never inside a request. Embedded: the database is the queue (django-tasks-db,
# `manage.py task_worker`). With REDIS_URL: RQ (django-tasks-rq), any number of workers.
# The queue is named after CACHE_KEY_PREFIX, so apps sharing one Redis never run each
# other's tasks.
TASKS_BACKEND = env_str("TASKS_BACKEND", "rq" if REDIS_URL else "database")
TASK_QUEUE_NAME = CACHE_KEY_PREFIX
if not TASK_QUEUE_NAME.replace("-", "").replace("_", "").isalnum() or len(TASK_QUEUE_NAME) > 32:
    raise ImproperlyConfigured(
        "CACHE_KEY_PREFIX names the task queue too: letters, digits, - and _, 32 at most"
    )
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [TASK_QUEUE_NAME]}}
elif TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {TASK_QUEUE_NAME: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 120}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [TASK_QUEUE_NAME]}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or rq, got {TASKS_BACKEND!r}")

# Where links in mail point (a worker has no request to take the host from).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, got {SITE_URL!r}")

# Web push with our own VAPID key pair (`manage.py vapid_keys` makes one; `make serve`
# keeps a laptop's in .vapid_keys). Without it, reminders go by email only.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither")
VAPID_SUBJECT = env_str("VAPID_SUBJECT")  # mailto: or https: contact; default: the sender
# Push endpoints on this machine or a private network are refused (they would let anyone
# make the server post to internal addresses); tests and benchmarks use a local one.
PUSH_ALLOW_LOCAL_ENDPOINTS = env_bool("PUSH_ALLOW_LOCAL_ENDPOINTS", TESTING)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, reading the person's profile with them (accounts/backends.py).
    "accounts.backends.ProfileBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create many people; a deliberately slow hash would dominate the suite's time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"  # Today
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): lock a username+IP pair after AXES_FAILURE_LIMIT
# failures, and an IP whatever the usernames after AXES_IP_FAILURE_LIMIT (spasmcare/auth.py).
# Wrong passwords on account deletion and password change count too (accounts/throttle.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Long or NUL-laden usernames are cut before axes stores the failed attempt.
AXES_USERNAME_CALLABLE = "spasmcare.auth.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HANDLER = "spasmcare.auth.CacheHandler" if REDIS_URL else "spasmcare.auth.DatabaseHandler"
# Password-reset and sign-up mail to one address, per hour (accounts/ratelimit.py).
ACCOUNT_MAIL_PER_HOUR = env_int("ACCOUNT_MAIL_PER_HOUR", 3)
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Email (Django 6.1 MAILERS): console by default; SMTP when EMAIL_HOST is set.
if env_str("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SpasmCare <no-reply@localhost>")

# The region whose emergency and urgent-advice numbers a person sees until they choose
# their own (a code of fixtures/regions.json: GB, IE, US, CA, AU, NZ, EU).
DEFAULT_REGION = env_str("DEFAULT_REGION", "GB")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# Tests and DEBUG serve straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Uploads: the data import is the only one; stop reading a file past its 5 MB limit.
FILE_UPLOAD_HANDLERS = [
    "transfer.uploads.SizeLimitedUpload",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

ADMIN_PATH = env_str("ADMIN_PATH", "admin/").strip("/") + "/"

# Security. HTTPS-only settings switch on with SECURE_SSL (default: on unless DEBUG).
SECURE_SSL = env_bool("SECURE_SSL", not DEBUG and not TESTING and not env_bool("SPASMCARE_LOCAL"))
if env_str("SECURE_PROXY_SSL_HEADER"):
    # e.g. "HTTP_X_FORWARDED_PROTO,https" behind a TLS-terminating proxy
    header, _, value = env_str("SECURE_PROXY_SSL_HEADER").partition(",")
    SECURE_PROXY_SSL_HEADER = (header.strip(), value.strip() or "https")
SECURE_SSL_REDIRECT = SECURE_SSL and env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
# "preload" only allows submission to the browsers' preload list; it submits nothing.
SECURE_HSTS_PRELOAD = SECURE_SSL and env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Share links carry their token in the path; logged paths show "/s/[token]" instead.
    "filters": {"share_tokens": {"()": "sharing.log_filters.RedactShareTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["share_tokens"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Form widgets are drawn by Jinja2 (Django's own widget templates for it, and
# safety/jinja2/ for ours): the same HTML several times faster than Django templates,
# which matters on pages that show the pain entry form (Today: about 50 radio buttons
# and checkboxes). Pages stay Django templates.
FORM_RENDERER = "django.forms.renderers.Jinja2"
