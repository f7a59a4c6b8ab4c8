"""Settings from the environment, with safe local defaults.

DJANGO_SECRET_KEY, DJANGO_DEBUG, DJANGO_ALLOWED_HOSTS and DATABASE_URL (a SQLite
file by default, PostgreSQL when it points there).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def flag(name, default):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


DEBUG = flag("DJANGO_DEBUG", "true")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG=false) needs a long random secret key; "
            "`make serve` creates one in the git-ignored file .secret_key."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # never used with DEBUG off
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see `make serve`).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = flag("DJANGO_SSL_REDIRECT", "true")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # widget templates, found by FORM_RENDERER below
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "reversion",
    "timeline",
]

# Form widgets render through the project's templates too (the When field's reading).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# The years the chronology covers: an event dated outside them is refused.
CHRONOLOGY_YEARS = (1984, 2023)
SEED_FILE = BASE_DIR / "fixtures" / "seed.json"  # the chronology as researched (make run loads it)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "timeline.server.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "timeline.server.middleware.first_language",  # before the cache: a first visit may be sent to its language
    "timeline.browse.caching.fast_path",  # cached pages leave here, before sessions and the rest
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# No inline script or style and no eval anywhere, admin included: htmx is told
# not to inject its indicator styles (base.html) and not to eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}


def frame_ancestors(value):
    """Who may frame /embed/: CSP sources from a comma-separated list ("*" anyone, "https://example.org"); an
    empty list lets no one."""
    sources = [s.strip() for s in value.split(",") if s.strip()]
    for source in sources:
        if any(c.isspace() or c == ";" for c in source):
            raise ImproperlyConfigured(f"DJANGO_EMBED_FRAME_ANCESTORS: {source!r} is not a CSP source.")
    return sources or [NONE]


# Every page refuses to be framed (frame-ancestors 'none', X-Frame-Options DENY) but the embed, which these may frame.
EMBED_FRAME_ANCESTORS = frame_ancestors(os.environ.get("DJANGO_EMBED_FRAME_ANCESTORS", "*"))

# Admin logins: five failures for one username from one address lock it for 15 minutes.
AUTHENTICATION_BACKENDS = ["timeline.server.signin.SignInBackend", "django.contrib.auth.backends.ModelBackend"]
# How many proxies in front of the app append to X-Forwarded-For (`make serve`: nginx, 1); their count says
# which entry is the client's. 0 reads the connection's address and ignores the header (`make run`).
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "timeline.server.signin.client_ip"
# Five failures for one username from one address lock that pair, not the account everywhere; twenty from one
# address, whatever the usernames, lock the address.
AXES_FAILURE_LIMIT = 5
SIGNIN_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_VERBOSE = False

# Errors to standard error, where gunicorn and systemd collect them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "INFO" if DEBUG else "WARNING"},
        "timeline": {"handlers": ["stderr"], "level": "INFO"},
    },
}

ROOT_URLCONF = "timeline.urls"
WSGI_APPLICATION = "timeline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "timeline.context_processors.language",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and flag("DJANGO_DB_POOL", "false"):
    # `make serve`: each client connection is a greenlet (gevent workers), and a connection kept per greenlet
    # would be one per client; a pool per process hands a few round instead (at most 10 a worker: 5 workers
    # stay within PostgreSQL's default 100 connections).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": 10, "timeout": 10}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several app processes share the file: readers do not block the writer.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# English at unprefixed addresses (what every link made so far points to), Simplified Chinese under /zh-hans/.
# A page's language comes from its address alone, so a cached page is one language; the reader's browser
# (Accept-Language) only chooses where a first visit lands (timeline.server.middleware.first_language).
LANGUAGES = [("en-gb", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "timeline" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True


def caches_from(environ):
    """Local memory by default; Redis, shared by every app process, when REDIS_URL is set.

    Both are bounded: local memory by entry count (a page is 13–20 KB, a view's facet counts about 50 KB at
    100,000 events, so 1,000 entries stay under about 50 MB a process; a third is dropped when full), Redis by
    its own maxmemory and eviction policy, which `manage.py check --deploy` checks (timeline/checks.py).
    """
    if environ.get("REDIS_URL"):
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": environ["REDIS_URL"],
                "KEY_PREFIX": "timeline",
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "timeline",
            "OPTIONS": {"MAX_ENTRIES": int(environ.get("DJANGO_CACHE_MAX_ENTRIES", "1000"))},
        }
    }


CACHES = caches_from(os.environ)
# Cached pages are keyed by the data version, so they never go stale; this
# only bounds how long unused ones linger.
TIMELINE_CACHE_SECONDS = int(os.environ.get("TIMELINE_CACHE_SECONDS", "86400"))

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Events per page of the timeline and of /events.json.
TIMELINE_PAGE_SIZE = int(os.environ.get("TIMELINE_PAGE_SIZE", "20"))
SOURCES_PAGE_SIZE = 100  # /sources/ lists this many a page
