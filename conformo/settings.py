"""Conformo settings: one module, configured from the environment.

Every variable is documented in docs/configuration.md. Parsing is strict: a malformed value stops the
process with a message naming the variable.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable (1/0, true/false, yes/no, on/off)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    """Read an integer environment variable."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list environment variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


TESTING = "pytest" in sys.modules or env_bool("CONFORMO_TESTING", False)
# Static analysis (mypy with the django-stubs plugin) imports the settings without running the site.
ANALYSING = "mypy" in sys.modules
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING or ANALYSING:
        SECRET_KEY = "conformo-insecure-development-key-do-not-use-in-production-0123456789"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set DEBUG=1 for local development "
            "or export SECRET_KEY (50+ random characters) for production."
        )

VAR_DIR = Path(os.environ.get("CONFORMO_VAR_DIR", str(BASE_DIR / "var"))).resolve()
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks_db",
    # Sign-in throttling (docs/security.md); before Conformo's apps so its signal handlers run first.
    "axes",
    # Two-factor authentication by TOTP authenticator apps (docs/security.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "conformo.core",
    "conformo.accounts",
    "conformo.organizations",
    "conformo.notifications",
    "conformo.standards",
    "conformo.tools",
    "conformo.improvement",
    "conformo.readiness",
    "conformo.audits",
    "conformo.fees",
    "conformo.impartiality",
    "conformo.competence",
    "conformo.certification",
    "conformo.certificates",
    "conformo.registry",
    "conformo.figures",
    "conformo.inbox",
    "conformo.retention",
    "conformo.home",
]

MIDDLEWARE = [
    # Under /api/, every answer that is not a success is JSON {"detail", "code"}, whoever gave it (docs/api.md).
    "conformo.core.middleware.ApiErrorMiddleware",
    # 413 for a body over MAX_REQUEST_BYTES / MAX_UPLOAD_BYTES, before anything reads it (docs/configuration.md).
    "conformo.core.limits.RequestSizeLimitMiddleware",
    # Refuses control characters in the path, query and bodies, and unreadable API bodies, before anything reads
    # them (conformo/core/cleaning.py).
    "conformo.core.middleware.InputMiddleware",
    # Anonymous registry look-ups and searches are answered here, ahead of the rest (docs/registry.md).
    "conformo.registry.fastpath.RegistryFastPathMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (SECURE_CSP) and Permissions-Policy (PERMISSIONS_POLICY) on every response.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "conformo.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the session's user as verified once they entered a two-factor code (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sends a user who must give a two-factor code (or enrol an app) there before any other page.
    "conformo.accounts.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "conformo.core.middleware.ApplicationErrorMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the "too many failed sign-ins" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "conformo.urls"
WSGI_APPLICATION = "conformo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "conformo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "conformo.core.context_processors.navigation",
                # The count of My work beside its navigation entry (core imports no other app).
                "conformo.inbox.context_processors.inbox",
            ],
            # `|day` (a date as YYYY-MM-DD) in every template without a `{% load %}`.
            "builtins": ["conformo.core.templatetags.dates"],
        },
    },
]

# Database: SQLite (WAL) in var/ by default; DATABASE_URL switches to PostgreSQL.
_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"].setdefault("OPTIONS", {})
    # Django's `SELECT 1` before each request's first query: a round trip per request, off by default
    # (docs/performance.md). Without it a connection the server closed fails one request and is then replaced;
    # the hot reads (conformo.core.prepared.fetch_rows: the API token look-up, the registry) reopen it at once.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", False)
    if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool("DB_PREPARED_STATEMENTS", True):
        # Server-side prepared statements for the hot reads only (conformo.core.prepared.fetch_rows asks for
        # them; Django's own cursors bind parameters client-side and never prepare, whatever the threshold),
        # each planned once with its parameters unknown rather than at every execution. Off behind PgBouncer,
        # which refuses the `options` startup parameter (docs/configuration.md).
        _options = DATABASES["default"]["OPTIONS"]
        _options.setdefault("prepare_threshold", 2**31 - 1)
        _options["options"] = f"{_options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
    _sqlite_file = VAR_DIR / "conformo.sqlite3"
    # Created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
    os.close(os.open(_sqlite_file, os.O_WRONLY | os.O_CREAT, 0o600))
    _sqlite_busy_seconds = env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 5)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(_sqlite_file),
            # Keep the connection per worker: opening SQLite and applying the pragmas costs more than a query.
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                # A write waits at most this long for another's (an import's publish, a sign-in); then the
                # request is answered 503 with Retry-After (conformo.core.middleware), never 500.
                "timeout": _sqlite_busy_seconds,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                    f"PRAGMA busy_timeout={_sqlite_busy_seconds * 1000};PRAGMA cache_size=-20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Seconds a client is asked to wait (Retry-After) when the database is down or busy: the 503 answer of
# conformo.core.middleware.DatabaseUnavailableMiddleware.
DB_UNAVAILABLE_RETRY_AFTER = env_int("DB_UNAVAILABLE_RETRY_AFTER", 5)

AUTH_USER_MODEL = "accounts.User"
# django-axes' backend first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
# The name authenticator apps show beside the account (the "issuer" of the TOTP set-up link).
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Conformo")
# Seconds a password reset link works (Django's setting; default one day). A link also stops working once used.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 60 * 60)
if PASSWORD_RESET_TIMEOUT < 60:
    raise ImproperlyConfigured(f"PASSWORD_RESET_TIMEOUT must be at least 60 seconds, not {PASSWORD_RESET_TIMEOUT}.")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "conformo" / "static"]
if TESTING or DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
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
# Uploaded files live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = VAR_DIR / "files"
WHITENOISE_USE_FINDERS = TESTING or DEBUG
# Source maps (several MB, fetched only by a developer's browser tools) are served as they are: compressing them
# with Brotli took most of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv"),
    *("woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "map"),
)

# Sign-in throttling with django-axes (docs/security.md): failures are counted per account (the email typed)
# and per client address separately; LOGIN_FAILURE_LIMIT failures, each within LOGIN_LOCKOUT_MINUTES of the one
# before, refuse further sign-ins of that account or from that address for LOGIN_LOCKOUT_MINUTES after the last.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
if LOGIN_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at least 1.")
# Reverse proxies in front of Conformo that append the client's address to X-Forwarded-For; 0 = use the
# connection's address and ignore the header (anyone can write it).
LOGIN_PROXY_COUNT = env_int("LOGIN_PROXY_COUNT", 0)
if LOGIN_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"LOGIN_PROXY_COUNT must be 0 or more, not {LOGIN_PROXY_COUNT}.")
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "conformo.accounts.throttling.attempted_email"
AXES_CLIENT_IP_CALLABLE = "conformo.accounts.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "conformo.accounts.throttling.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# A refused attempt during a lockout does not extend it; a success does not reset the counts (it would let anyone
# with an account clear their address's count between guesses at another account).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
# Successful sign-ins are not kept in a table of their own; lockouts and failures go to the audit log.
AXES_DISABLE_ACCESS_LOG = True

# Limits on request bodies (docs/configuration.md, "Limits"), checked from Content-Length before the body is read:
# a file upload (multipart) may be up to MAX_UPLOAD_BYTES, any other body up to MAX_REQUEST_BYTES.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 2 * 1024 * 1024)
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 25 * 1024 * 1024)
if MAX_REQUEST_BYTES < 1024 or MAX_UPLOAD_BYTES < 1024:
    raise ImproperlyConfigured("MAX_REQUEST_BYTES and MAX_UPLOAD_BYTES must be at least 1024 (bytes).")
# The largest catalog file (CISO Assistant YAML, OSCAL JSON) the standards import accepts.
STANDARDS_IMPORT_MAX_BYTES = env_int("STANDARDS_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Spreadsheets (XLSX) are checked before they are parsed (conformo.core.spreadsheets): the sizes their archive
# declares once unpacked, in all and per member, and how much each member is compressed.
XLSX_MAX_UNPACKED_BYTES = env_int("XLSX_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
XLSX_MAX_MEMBER_BYTES = env_int("XLSX_MAX_MEMBER_BYTES", 100 * 1024 * 1024)
XLSX_MAX_RATIO = env_int("XLSX_MAX_RATIO", 100)
if min(XLSX_MAX_UNPACKED_BYTES, XLSX_MAX_MEMBER_BYTES, XLSX_MAX_RATIO) < 1:
    raise ImproperlyConfigured("XLSX_MAX_UNPACKED_BYTES, XLSX_MAX_MEMBER_BYTES and XLSX_MAX_RATIO must be positive.")

# Files Conformo writes are readable by its own user only: uploads, their folders, the SQLite database and the
# signing keys (docs/deployment.md).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# The Django admin's address (docs/configuration.md); its sign-in is throttled like the site's own.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip().strip("/") + "/"
if ADMIN_PATH == "/" or not all(p.replace("-", "").replace("_", "").isalnum() for p in ADMIN_PATH[:-1].split("/")):
    raise ImproperlyConfigured(f"ADMIN_PATH must be a path such as 'admin/' or 'back-office/', not {ADMIN_PATH!r}.")

# Content-Security-Policy (Django's own, docs/configuration.md "Headers"): scripts, styles, images and fonts from
# this site only; no inline script or style, no plugins, no framing, forms post only here.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Browser features no page of Conformo uses, switched off for every page (docs/configuration.md "Headers").
PERMISSIONS_POLICY = os.environ.get(
    "PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
)

# Security. Production defaults are strict; set SECURE_SSL_REDIRECT=0 behind a proxy that handles TLS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
_https = BASE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _https)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _https)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Conformo's own settings.
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 500)
# Days a new personal API token works before it expires (docs/api.md).
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 90)
if API_TOKEN_TTL_DAYS < 1:
    raise ImproperlyConfigured(f"API_TOKEN_TTL_DAYS must be at least 1, not {API_TOKEN_TTL_DAYS}.")
# Anonymous registry clients: "<requests>/<seconds>" per client address, over a sliding window, counted in the
# shared cache below by every worker and process together ("0" turns it off).
REGISTRY_RATE_LIMIT = os.environ.get("REGISTRY_RATE_LIMIT", "120/60")
# The cache the rate limit counts in (docs/configuration.md, "Rate limit"): "database" (default: a table of the
# site's own database, created by `migrate`) or a redis:// / rediss:// URL (needs the `redis` package).
RATE_LIMIT_CACHE = os.environ.get("RATE_LIMIT_CACHE", "database").strip()
if RATE_LIMIT_CACHE == "database":
    _shared_cache: dict[str, Any] = {
        "BACKEND": "conformo.core.cache.CounterDatabaseCache",
        "LOCATION": "conformo_cache",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }
elif RATE_LIMIT_CACHE.startswith(("redis://", "rediss://")):
    _shared_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": RATE_LIMIT_CACHE}
else:
    raise ImproperlyConfigured(f"RATE_LIMIT_CACHE must be 'database' or a redis:// URL, not {RATE_LIMIT_CACHE!r}.")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": _shared_cache,
}
# PostgreSQL: the longest a registry browse (or a search of only common words) may run before it is refused as
# too broad (0 = no limit); the most certificates a name search may match (docs/registry.md).
REGISTRY_SEARCH_TIMEOUT_MS = env_int("REGISTRY_SEARCH_TIMEOUT_MS", 2000)
REGISTRY_SEARCH_MAX_MATCHES = env_int("REGISTRY_SEARCH_MAX_MATCHES", 5000)

# CertSearch import (docs/registry.md, "Import"): the largest file accepted, in bytes (by the command line; a page
# or API upload is bounded by MAX_UPLOAD_BYTES too, as is the proxy's client_max_body_size: deploy/nginx.conf);
# on PostgreSQL the longest the import's publishing transaction waits for a lock before it gives up (nothing
# written) rather than queue readers behind it.
CERTSEARCH_IMPORT_MAX_BYTES = env_int("CERTSEARCH_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
CERTSEARCH_IMPORT_LOCK_TIMEOUT_MS = env_int("CERTSEARCH_IMPORT_LOCK_TIMEOUT_MS", 5000)
# A file uploaded on the import page larger than this is imported by the worker (`conformo worker`), its
# progress on a status page; smaller ones are imported while the page waits.
CERTSEARCH_IMPORT_INLINE_MAX_BYTES = env_int("CERTSEARCH_IMPORT_INLINE_MAX_BYTES", 2 * 1024 * 1024)

# Invitations to join a CB or an organization (docs/people.md): a link expires this many days after it was sent.
INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 7)
if INVITATION_TTL_DAYS < 1:
    raise ImproperlyConfigured(f"INVITATION_TTL_DAYS must be at least 1 (days), not {INVITATION_TTL_DAYS}.")

# E-mail (docs/configuration.md, "E-mail"): SMTP when EMAIL_HOST is set, else every message is written to the
# console, so a development instance needs no mail server. Django's MAILERS setting, from the environment.
_email_host = os.environ.get("EMAIL_HOST", "")
_email_tls = env_bool("EMAIL_USE_TLS", False)
_email_ssl = env_bool("EMAIL_USE_SSL", False)
if _email_tls and _email_ssl:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive: set one of them.")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 465 if _email_ssl else 587 if _email_tls else 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": _email_tls,
                "use_ssl": _email_ssl,
                "timeout": env_int("EMAIL_TIMEOUT", 30),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Conformo <conformo@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Conformo] "

# Background work (docs/notifications.md): Django's tasks framework on a database queue (django-tasks-db), run by
# `conformo worker`. Tests run each task at once, in the test's own process.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# A notice that could not be sent is tried again after 1, 4, 16, 64 ... minutes (NOTIFY_RETRY_BASE_SECONDS × 4^n),
# at most NOTIFY_MAX_ATTEMPTS times in all; then it is marked failed for the CB administrator to see and resend.
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 6)
NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 60)
# When the daily work runs, in TIME_ZONE ("HH:MM"): the reminder scan, then the digests of the day's notices.
DAILY_SCAN_TIME = os.environ.get("DAILY_SCAN_TIME", "06:00")
DIGEST_TIME = os.environ.get("DIGEST_TIME", "07:00")
# The periodic tasks `conformo worker` keeps scheduled (conformo.core.periodic): task path → daily time or interval.
PERIODIC_TASKS: dict[str, dict[str, str | int]] = {
    "conformo.notifications.tasks.sweep_notices": {"every_minutes": 15},
    "conformo.inbox.tasks.daily_reminders": {"at": DAILY_SCAN_TIME},
    "conformo.notifications.tasks.send_digests": {"at": DIGEST_TIME},
}
