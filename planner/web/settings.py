"""Django settings. Everything that differs per council comes from the environment.

``PLANNER_WEB_DATA_DIR``  the data folder (set by ``planner web ... --data-dir``)
``DATABASE_URL``          PostgreSQL (or another database) instead of ``DATA_DIR/planner.sqlite3``
``PLANNER_SECRET_KEY``    session signing key; default: a key kept in ``DATA_DIR/secret.key``
``PLANNER_ALLOWED_HOSTS`` comma-separated host names when served behind a proxy
``PLANNER_ANONYMISE_DAYS`` days after an event when its personal data is anonymised (30)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from planner.web import DATA_DIR_ENV

DATA_DIR = Path(os.environ.get(DATA_DIR_ENV, Path.cwd() / ".planner-web")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    given = os.environ.get("PLANNER_SECRET_KEY")
    if given:
        return given
    path = DATA_DIR / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = False
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("PLANNER_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("PLANNER_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
if os.environ.get("PLANNER_BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "planner.web.apps.WebConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "planner.web.middleware.no_store",
    "planner.web.middleware.language",
]
ROOT_URLCONF = "planner.web.urls"
X_FRAME_OPTIONS = "SAMEORIGIN"  # the plan page frames its own overview map
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "planner.web.access.role_context",
            ]
        },
    }
]
WSGI_APPLICATION = "planner.web.wsgi.application"

_sqlite = f"sqlite:///{DATA_DIR / 'planner.sqlite3'}"
DATABASES = {"default": dj_database_url.config(default=_sqlite, conn_max_age=0)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Planning runs in a background thread: wait for a lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "nl"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True  # gettext, English msgids; Dutch unless the visitor chose English
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [Path(__file__).resolve().parents[1] / "locale"]
USE_TZ = True

#: Uploads: the size a sign-up file may have, checked before it is read.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
#: Personal data of an event is anonymised this many days after it.
ANONYMISE_AFTER_DAYS = int(os.environ.get("PLANNER_ANONYMISE_DAYS", "30"))
#: Login: at most this many failed attempts per user name and address per window (seconds).
LOGIN_MAX_FAILURES = 5
LOGIN_FAILURE_WINDOW_S = 15 * 60
#: Default solver budget of a plan started from the web app, seconds.
PLAN_TIME_LIMIT_S = float(os.environ.get("PLANNER_WEB_TIME_LIMIT_S", "60"))

# Logs name paths and status codes only; driver-link tokens are masked (planner.web.serve).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "planner.web": {"handlers": ["console"], "level": "INFO"},
    },
}
