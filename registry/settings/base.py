"""Settings shared by every run mode; everything that differs between machines comes from the environment."""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "simple_history",
    "import_export",
    "registry",
    "accounts",
    "opportunities",
    "opportunities.finance.apps.FinanceConfig",
    "opportunities.investors.apps.InvestorsConfig",
    "inquiries",
    "rest_framework_api_key",
    "partners",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "registry.api.language.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"
ASGI_APPLICATION = "registry.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# The embedded default is a SQLite file under var/; DATABASE_URL switches to PostgreSQL.
# Memory per sort, hash or bitmap of a query. A broad search reads every candidate row: at a million listings its
# bitmap outgrows PostgreSQL's default 4 MB and goes lossy (whole pages rechecked) and the facet rows it materialises
# spill to disk; 16 MB keeps both in memory (bench/catalogue_search.py: 2.26 -> 1.57 s for the hand-written SQL).
POSTGRES_OPTIONS = {"options": f"-c work_mem={env('DATABASE_WORK_MEM', default='16MB')}"}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'registry.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persian trigrams need a UTF-8 ctype; tests create their database from template0 with one.
    DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = "template0"
    DATABASES["default"]["TEST"]["CHARSET"] = "UTF8"
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not memory, so that a real Celery worker started by the integration tests sees the same database.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(VAR_DIR / "test-registry.sqlite3")
# Two test runs side by side (PostgreSQL and SQLite, or two developers) each name their own test database.
if env("TEST_DATABASE_NAME", default=""):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env("TEST_DATABASE_NAME")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploaded documents: what may come in, and how big.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Investment Opportunity Bank <no-reply@invest.example>")

# Redis is optional: without it the cache is local memory and Celery tasks run inline.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# Longer than any task may run (time limit 90 s) so a slow task is not redelivered while it still runs,
# short enough that a task lost with a killed worker comes back within the hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
# A broker outage must not hold a web request: publish fails fast, the row stays, and beat's sweeper retries it.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "emails-sweep": {"task": "registry.emails_sweep", "schedule": 60.0},
    "usd-equivalents-sweep": {"task": "opportunities.refresh_usd_equivalents", "schedule": 3600.0},
    "finance-appraisals-sweep": {"task": "finance.appraisals_sweep", "schedule": 300.0},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.authentication.PartnerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "registry.api.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_VERSIONING_CLASS": None,
    "EXCEPTION_HANDLER": "registry.api.exceptions.exception_handler",
}
API_MAX_PAGE_SIZE = 100

SPECTACULAR_SETTINGS = {
    "TITLE": "Investment Opportunity Bank API",
    "DESCRIPTION": (
        "Iran's provincial investment opportunities: the catalogue with its search and financial models, reference "
        "data, investors' inquiries, and for partners (API keys with scopes) webhooks, sync and open-data exports."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OpportunityStatusEnum": "opportunities.choices.Status",
        "DocumentKindEnum": "opportunities.choices.DocumentKind",
        "OpportunityEventKindEnum": "opportunities.models.OpportunityEvent.Kind",
        "InquiryEventKindEnum": "inquiries.choices.EventKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- accounts ---
# Brute-force protection: five failed sign-ins for one e-mail address from one IP lock that pair out for 15 minutes.
# It stays on in tests: they sign in with force_login or through the form (Client.login has no request for axes).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.selectors.login_attempt_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no start-up banner in every command and worker; lockouts are still logged
LOGIN_REDIRECT_URL = "opportunities:home"
# Links in e-mails sent by tasks (saved-search digests), where there is no request to take the host from.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# E-mail verification links expire after three days, like Django's password reset links.
EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 3600
CELERY_BEAT_SCHEDULE.update(
    {
        # Saved-search digests at 07:00 Tehran time (CELERY_TIMEZONE); one per search per day however often it runs.
        "saved-search-digests": {"task": "investors.saved_search_digests", "schedule": crontab(hour=7, minute=0)},
    }
)

# --- inquiries ---
# First response due within this much working time (Asia/Tehran); reminders go out this many working hours before.
INQUIRY_SLA_WORKING_DAYS = env.float("INQUIRY_SLA_WORKING_DAYS", default=2)
INQUIRY_REMIND_BEFORE_HOURS = env.float("INQUIRY_REMIND_BEFORE_HOURS", default=4)
INQUIRY_WEEKEND = env.list("INQUIRY_WEEKEND", default=["friday"])
# Official holidays (ISO dates) for 1404 and 1405. The solar ones are fixed; the lunar ones follow the published
# calendar and may move a day with the moon sighting: set INQUIRY_HOLIDAYS (comma-separated) to correct them.
INQUIRY_HOLIDAYS = env.list(
    "INQUIRY_HOLIDAYS",
    default=[
        # 1404
        "2025-03-21", "2025-03-22", "2025-03-23", "2025-03-24",  # Nowruz, 1-4 Farvardin
        "2025-03-31", "2025-04-01", "2025-04-02",  # Eid al-Fitr; Islamic Republic Day; Nature Day
        "2025-04-24", "2025-06-04", "2025-06-05", "2025-06-06", "2025-06-14",  # Imam Sadiq; 14-15 Khordad; Adha; Ghadir
        "2025-07-05", "2025-07-06", "2025-08-14", "2025-08-22", "2025-08-24",  # Tasua, Ashura; Arbaeen; 28 & 30 Safar
        "2025-09-01", "2025-09-10", "2025-11-24", "2026-01-03", "2026-01-17",  # 8 & 17 Rabi I; Fatima; 13 & 27 Rajab
        "2026-02-04", "2026-02-11", "2026-03-11", "2026-03-20",  # 15 Shaban; 22 Bahman; 21 Ramadan; 29 Esfand
        # 1405
        "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24",  # Nowruz (Eid al-Fitr falls within it)
        "2026-04-01", "2026-04-02", "2026-04-14", "2026-05-27",  # 12-13 Farvardin; Imam Sadiq; Eid al-Adha
        "2026-06-04", "2026-06-05", "2026-06-25", "2026-06-26",  # 14-15 Khordad (and Ghadir); Tasua, Ashura
        "2026-08-05", "2026-08-13", "2026-08-15", "2026-08-22", "2026-08-31",  # Arbaeen; 28 & 30 Safar; 8 & 17 Rabi I
        "2026-11-13", "2026-12-24", "2027-01-07", "2027-01-24",  # Fatima; 13 & 27 Rajab; 15 Shaban
        "2027-02-11", "2027-03-01", "2027-03-10", "2027-03-11", "2027-03-20",  # 22 Bahman; 21 Ramadan; Fitr; 29 Esfand
    ],
)  # fmt: skip
# Spam guard for the public form and API: "<count>/<second|minute|hour|day>" per client IP and per e-mail address.
INQUIRY_RATE_LIMIT_PER_IP = env("INQUIRY_RATE_LIMIT_PER_IP", default="30/hour")
INQUIRY_RATE_LIMIT_PER_EMAIL = env("INQUIRY_RATE_LIMIT_PER_EMAIL", default="10/hour")
INQUIRY_DIGEST_HOUR = env.int("INQUIRY_DIGEST_HOUR", default=7)  # local hour from which the daily digest goes out
CELERY_BEAT_SCHEDULE.update(
    {
        "inquiries-sla-sweep": {"task": "inquiries.sla_sweep", "schedule": 300.0},
        # Hourly, but one digest per staff member per day (the e-mail key has the date): a missed hour catches up.
        "inquiries-digest": {"task": "inquiries.digest", "schedule": 3600.0},
    }
)
# --- end inquiries ---

# --- partners ---
# Requests per key (fixed window on the shared cache); a key may carry its own rate.
PARTNER_API_DEFAULT_RATE = env("PARTNER_API_DEFAULT_RATE", default="600/minute")
# Webhooks: loopback receivers only in tests and the benchmark; the HTTP timeout per attempt.
WEBHOOKS_ALLOW_LOOPBACK = env.bool("WEBHOOKS_ALLOW_LOOPBACK", default=False)
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10)
# After a secret is rotated the old one keeps signing (a second signature) this long.
WEBHOOKS_SECRET_OVERLAP_HOURS = env.int("WEBHOOKS_SECRET_OVERLAP_HOURS", default=24)
CELERY_BEAT_SCHEDULE.update(
    {
        "webhooks-fanout": {"task": "partners.webhooks_fanout", "schedule": 10.0},
        "webhooks-sweep": {"task": "partners.webhooks_sweep", "schedule": 5.0},
    }
)
# Every operation documents its errors as RFC 9457 problem details (application/problem+json).
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "partners.schema.problem_responses",
    "partners.schema.reference_enums",
    "partners.schema.blank_parameters",
]
# --- end partners ---
