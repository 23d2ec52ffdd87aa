"""Settings for the IOP application, read from the environment (django-environ).

With no environment at all the app runs in development mode on a SQLite file in the project
folder. Every variable is listed in the README. With DEBUG off, SECRET_KEY and ALLOWED_HOSTS
have no default, so a production start without them fails at once.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from core.network import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if env.bool("IOP_READ_DOT_ENV", default=True) and (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list(
        "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
    )
else:
    # No defaults: a production start without these fails with ImproperlyConfigured.
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set the ALLOWED_HOSTS environment variable")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The project's own apps; imports run one way (docs/architecture.md):
# core ← partnership ← finance, visits, dialogue ← documents ← reporting ← notices.
PROJECT_APPS = [
    "core",
    "partnership",
    "finance",
    "visits",
    "dialogue",
    "documents",
    "reporting",
    "notices",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "config.apps.LoginAttemptsConfig",  # django-axes
    "csp",
    *PROJECT_APPS,
]
if DEBUG:
    # The benchmark is a development tool, not a part of the product.
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.UserChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# SQLite in the project folder unless DATABASE_URL says otherwise (postgres://user:pw@host/db).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # psycopg 3 binds parameters in the server and prepares a statement (parsed and planned
    # once per connection) after it has run five times: measured, that takes about half of
    # PostgreSQL's CPU time per page. Set DATABASE_PREPARED_STATEMENTS=False behind a pooler
    # in transaction mode (PgBouncer), which cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Querysets read with .iterator() (model choice fields of every form) would otherwise
    # open a server-side cursor: four round trips for a list of a few rows. Also needed
    # behind PgBouncer in transaction mode.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

# The report PDFs the PDF view made lately, by the digest of the HTML each was made from
# (reporting.pdf.render_report_pdf): a report asked for again unchanged is not laid out
# again. In each process's memory, at most 24 PDFs (a few MB) for an hour; nothing else of
# the app is cached.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pdfs": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "report-pdfs",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 24},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "partnership.backends.MemberBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language: Swedish by default, English complete.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", default="Europe/Stockholm")
USE_TZ = True
# Dates are shown and accepted as ISO 8601 only (Swedish locale would accept 04/01/2019 as 1 April).
FORMAT_MODULE_PATH = ["config.formats"]
DATE_INPUT_FORMATS = ["%Y-%m-%d"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded documents and frozen report PDFs: the local disk (MEDIA_ROOT) unless S3_BUCKET
# names a bucket of an S3-compatible object store (MinIO, Ceph, a cloud's), which several app
# servers then share. The files are never public: the bucket needs no public access, and the
# app serves every file itself after the access check.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env("S3_REGION", default="") or None,
            "location": env("S3_PREFIX", default=""),
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,
            "file_overwrite": False,  # a name in use gets a new one, as on the local disk
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Attached documents (documents/): the largest file accepted, in bytes (20 MB).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out, and an upload above
# FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) goes to a temporary file, not memory; the form refuses
# a file above DOCUMENT_MAX_BYTES with a message. The proxy in front should allow a bit more
# (nginx: client_max_body_size 25m) so that the user sees that message.

# Backups (manage.py backup/restore) keep timestamps to the microsecond.
SERIALIZATION_MODULES = {"exact_json": "core.exact_json"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address: from X-Forwarded-For only when the request comes from one of these
# proxies (addresses or ranges), else the connecting address (core/network.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
parse_networks(TRUSTED_PROXIES)  # a mistyped address fails at start, not at the first login
AXES_CLIENT_IP_CALLABLE = "core.network.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False
# A locked-out user sees a page in their own language saying what happened and what to do.
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# The login attempts are shown in Django admin by core/admin.py, in the project's words.
AXES_ENABLE_ADMIN = False

# Security: on in production, off for the development server on http://localhost.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: htmx sends the token from the page (base.html's hx-headers).
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): everything from our own origin, no inline script.
# Inline styles are allowed because pygal's SVG charts carry a <style> element.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Published counts about people below this show as "< N" (reporting.disclosure).
DISCLOSURE_THRESHOLD = env.int("DISCLOSURE_THRESHOLD", default=5)
if DISCLOSURE_THRESHOLD < 2:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DISCLOSURE_THRESHOLD must be at least 2")

# The accessibility statement (/accessibility/): who answers a report of an accessibility
# problem. Empty: the statement tells the reader to ask their organisation's administrator.
ACCESSIBILITY_ORGANISATION = env("ACCESSIBILITY_ORGANISATION", default="")
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", default="")
ACCESSIBILITY_CONTACT_PHONE = env("ACCESSIBILITY_CONTACT_PHONE", default="")

# E-mail (reminders and workflow notices, the password reset). EMAIL_URL in django-environ's
# form: smtp://user:password@host:25, smtp+tls://…:587 (STARTTLS), smtp+ssl://…:465, or
# consolemail:// to print mails instead (the default while DEBUG is on, so bin/start prints
# them). Without EMAIL_URL and with DEBUG off: SMTP on localhost:25, Django's own default.
vars().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
if "EMAIL_BACKEND" in env.ENVIRON:  # the older, finer setting still wins when set
    EMAIL_BACKEND = env("EMAIL_BACKEND")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="IOP <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the app as its users reach it, for the links in e-mails (no trailing slash).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # fontTools and WeasyPrint are chatty at INFO while building PDFs.
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}
