"""SI-LKKS settings: one module, driven by environment variables.

See README.md, "Configuration", for every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

# Django's own check (security.W009) asks for at least 50 characters; production stops
# at start-up rather than warn, since a short key is guessable offline from any cookie.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not DEBUG and len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
    raise ImproperlyConfigured(
        (
            f"DJANGO_SECRET_KEY has {len(SECRET_KEY)} characters; at least "
            f"{SECRET_KEY_MIN_LENGTH} are needed. "
            if SECRET_KEY
            else "DJANGO_SECRET_KEY is not set. "
        )
        + "Set it to a long random string (python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(64))'), or set DJANGO_DEBUG=true for local development."
    )
if not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lkks",
    "members",
    "programs",
    "grants",
    "visits",
    "portal",
    "overview",
    # Before jobs, whose admin replaces its task admin.
    "django_tasks_db",
    "jobs",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "lkks.apps.AxesConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language comes from its cookie alone, so it is known before the session; a
    # request with a NUL character is refused in that language before anything (the
    # session included) looks it up in the database.
    "lkks.middleware.ChosenLanguageMiddleware",
    "lkks.middleware.RefuseNulMiddleware",
    "lkks.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lkks.middleware.PrivatePagesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lkks.urls"
WSGI_APPLICATION = "lkks.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lkks.context_processors.bodies",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# Database: an embedded SQLite file in development, PostgreSQL in production. Production
# never falls back to SQLite: a forgotten DATABASE_URL would otherwise start an empty
# site on a file beside the code, and staff would type into it.
if not DEBUG and not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set, e.g. postgres://si_lkks:PASSWORD@127.0.0.1:5432/si_lkks "
        "(see docs/deploy.md), or set DJANGO_DEBUG=true for local development."
    )
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections buy nothing on SQLite; IMMEDIATE transactions take the
    # write lock up front, so two saves that check a sum cannot interleave.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

# The cache (the dashboard, its sections, what every request reads) must be one for all
# app processes, or a process would serve what another one changed: CACHE_URL picks it
# (docs/deploy.md, docs/decisions.md "Many machines"). Without it, production shares
# the database's table lkks_cache (made by the lkks migrations); development and the
# tests, one process each, keep it in memory.
CACHE_TABLE = "lkks_cache"


def cache_from_url(url):
    """The cache that CACHE_URL names: ``redis://HOST:PORT/DB`` (or ``rediss://``),
    ``db`` (or ``database``), or ``locmem``; anything else stops the start-up."""
    scheme, separator, _rest = url.strip().partition("://")
    scheme = scheme.lower()
    if scheme in {"redis", "rediss"} and separator:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url.strip()}
    if scheme in {"db", "database"}:
        # Culled (a third at a time) past this many entries; each write counts them.
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "si-lkks"}
    # The scheme only: the rest of a URL may hold a password.
    raise ImproperlyConfigured(
        f"CACHE_URL has the scheme {scheme!r}, which is not a cache. Use "
        "redis://127.0.0.1:6379/0 (Redis), db (the database, shared by every app process) "
        "or locmem (this process only); see docs/deploy.md."
    )


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL") or ("locmem" if DEBUG else "db"))}
# Several sites on one Redis keep apart by a prefix.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("DJANGO_CACHE_KEY_PREFIX", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "lkks.User"

# django-axes first: it refuses a locked-out log-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after this many seconds without a request; a session in use is written
# again at most once every SESSION_REFRESH_SECONDS, not on every request
# (lkks.middleware.IdleSessionMiddleware; docs/decisions.md, "The per-request floor").
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_IDLE_SECONDS", str(60 * 60)))
SESSION_REFRESH_SECONDS = 60
# Kept in the database and read through the cache (written to both): one cache read a
# request, with Redis no database query at all; a log-out deletes both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Log-in throttling (django-axes; see docs/decisions.md, "Security"): ten failures for
# one user name from one address lock that pair; many more from one address, across
# user names, lock the address. Nobody can lock a user out from another address.
AXES_HANDLER = "lkks.security.ThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "10"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_LOCK_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "lkks.security.client_ip"
AXES_LOCKOUT_CALLABLE = "lkks.security.lockout_response"
# The security events (lkks.SecurityEvent) are the log of log-ins; axes keeps only
# the failure counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # lkks/admin.py shows the counters, where deleting one unlocks
# Security events older than this many days are deleted by `manage.py
# prune_security_events` (daily, deploy/si-lkks-prune.timer): they name people's
# addresses and browsers (docs/decisions.md, "Security").
SECURITY_EVENT_RETENTION_DAYS = int(os.environ.get("DJANGO_SECURITY_EVENT_RETENTION_DAYS", "365"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Language, time and numbers
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["lkks.formats"]

# Static and uploaded files
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),  # Bootstrap 5 from PyPI, no CDN
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    # A file is stored under the extension of the type found in it (lkks/uploads.py).
    "default": {"BACKEND": "lkks.uploads.ContentTypedStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Several app servers keep uploads in one S3-compatible bucket (private; files are
# still served only through /files/): docs/deploy.md, "Several machines". Without
# DJANGO_S3_ACCESS_KEY_ID, boto3 finds its keys itself (AWS_* variables, a role).
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "lkks.object_storage.ContentTypedS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_S3_REGION") or None,
            "access_key": os.environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("DJANGO_S3_PREFIX", ""),
        },
    }

# Uploads: scans and photos are checked by content (lkks/uploads.py).
UPLOAD_MAX_BYTES = int(os.environ.get("DJANGO_UPLOAD_MAX_MB", "10")) * 1024 * 1024
UPLOAD_MAX_PIXELS = int(os.environ.get("DJANGO_UPLOAD_MAX_MEGAPIXELS", "40")) * 1_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# The empty choice of a filter that names none of its own (django-filter's is "---------").
FILTERS_EMPTY_CHOICE_LABEL = _("- Select an option -")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Production safety, each switch overridable for a deployment behind a proxy.
# Behind the proxy, trust its X-Forwarded-Proto and X-Forwarded-For (lkks.security).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: only this site's own scripts, styles and images. Templates
# have no inline <script>, style="" or <style>, so nothing needs 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# WeasyPrint reports every step of every PDF it renders at INFO; keep its warnings only.
LOGGING["loggers"] = {
    **LOGGING.get("loggers", {}),
    "weasyprint.progress": {"level": "WARNING"},
}

# Email (the reminder digests of `manage.py send_reminders`), as Django 6.1 mailers:
# printed to the console unless DJANGO_EMAIL_BACKEND names another backend, e.g.
# django.core.mail.backends.smtp.EmailBackend, which takes the DJANGO_EMAIL_* options.
EMAIL_BACKEND_PATH = (
    os.environ.get("DJANGO_EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        # No port: 25, or 465/587 with SSL/TLS.
        "port": int(os.environ.get("DJANGO_EMAIL_PORT") or 0) or None,
        "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS"),
        "use_ssl": env_bool("DJANGO_EMAIL_USE_SSL"),
        "timeout": int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30")),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "SI-LKKS <noreply@localhost>")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The address of the site, for links in emails (which have no request to take it from),
# e.g. https://lkks.example.go.id; in development, the address of `make run`.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# Background jobs (jobs/, docs/decisions.md "Background jobs"): Django's tasks in the
# database, run by `manage.py jobs_worker` (make run starts it; deploy/si-lkks-worker.service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A job and its file are deleted this many days after it was asked for.
JOBS_KEEP_DAYS = int(os.environ.get("DJANGO_JOBS_KEEP_DAYS", "7"))
# A running job writes a sign of life every JOBS_HEARTBEAT_SECONDS; one silent for
# JOBS_STALE_SECONDS lost its worker: it runs again, up to JOBS_MAX_ATTEMPTS runs in all.
JOBS_HEARTBEAT_SECONDS = int(os.environ.get("DJANGO_JOBS_HEARTBEAT_SECONDS", "5"))
JOBS_STALE_SECONDS = int(os.environ.get("DJANGO_JOBS_STALE_SECONDS", "120"))
JOBS_MAX_ATTEMPTS = 2
# How often the worker does its upkeep (dead workers' jobs, old jobs).
JOBS_MAINTENANCE_SECONDS = int(os.environ.get("DJANGO_JOBS_MAINTENANCE_SECONDS", "60"))
# Longer lists and registers than these are exported and imported by a job rather than
# in the request (docs/decisions.md "Big exports and imports as jobs"); so is the XLSX
# of a list of more than one body.
EXPORT_ROWS_IN_REQUEST = int(os.environ.get("DJANGO_EXPORT_ROWS_IN_REQUEST", "5000"))
IMPORT_ROWS_IN_REQUEST = int(os.environ.get("DJANGO_IMPORT_ROWS_IN_REQUEST", "2000"))
