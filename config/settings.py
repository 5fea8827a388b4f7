"""Django settings, read from the environment.

Secure by default: without PERMITSAFE_MODE=development (set by `make run`) the site runs in production
mode, requires SECRET_KEY and the key-encryption keys, and `manage.py check --deploy` stays clean.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_rate_limits,
    env_required,
    env_str,
)
from documents.s3 import PART_BYTES, S3_BACKEND, documents_s3_options

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PERMITSAFE_VAR_DIR", str(BASE_DIR / "var")))

MODE = env_str("PERMITSAFE_MODE", "production")
if MODE not in {"production", "development", "test"}:
    raise ValueError(f"PERMITSAFE_MODE must be production, development or test, not {MODE!r}")
DEVELOPMENT = MODE in {"development", "test"}
TESTING = MODE == "test"


def _development_secret(file_name: str, generate) -> str:
    """A secret kept under var/ so that development restarts keep sessions and encrypted files."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / file_name
    if not path.exists():
        path.write_text(generate(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


if DEVELOPMENT:
    SECRET_KEY = env_str("SECRET_KEY") or _development_secret(
        "secret_key", lambda: secrets.token_urlsafe(50)
    )
else:
    SECRET_KEY = env_required("SECRET_KEY")
# Earlier secret keys, still accepted while what was made under them expires (README, "Rotating
# the secret key"): Django's signatures and session hashes, our keyed hashes (core.keyed_hashes).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

DEBUG = env_bool("DEBUG", default=MODE == "development")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEVELOPMENT else [],
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The reverse proxies in front (addresses or networks): only their X-Forwarded-For is believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    # Kept for its migrations and its verification code, which accounts.AuthenticatorDevice
    # reuses; its table stays empty because it would hold the secrets in clear.
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # The shared core
    "core",
    "audit",
    "documents",
    "notifications",
    # The e-service
    "accounts",
    "applications",
    "casework",
    "payments",
    # Securemail and the trust center
    "securemail",
    "trust",
]

MIDDLEWARE = [
    # First: everything after it (lock-outs, rate limits, the audit log) reads the client's address.
    "core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Wraps everything that can read an upload: deletes the encrypted uploads left unrecorded.
    "documents.middleware.EncryptedUploadsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware and django-otp's OTPMiddleware in one: the user and the
    # second-factor device in one query, with both libraries' checks.
    "accounts.middleware.SignedInUserMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestContextMiddleware",
    # AxesMiddleware should be the last middleware in the list.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's cached loader (its default in every mode), one compiled template per
            # language with the translation tags of literals as text (core/template_loader.py).
            "loaders": [
                (
                    "core.template_loader.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.authority",
                # Replaces the token of Django's built-in csrf processor (core/csrf.py says why).
                "core.context_processors.csrf",
            ],
            # The `date` and `time` filters with compiled formats (core.dates) and `{% url %}`
            # with literal arguments reversed once (core.templatetags.constant_urls), in place of
            # Django's: builtins after Django's own win.
            "builtins": ["core.templatetags.compiled_dates", "core.templatetags.constant_urls"],
        },
    },
]

# Widgets written in Python (the same HTML as Django's widget templates, without an include per
# widget and per option; core/form_rendering.py).
FORM_RENDERER = "core.form_rendering.PythonWidgetRenderer"

# Database: SQLite under var/ by default, PostgreSQL (or anything dj-database-url reads) by DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'permitsafe.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that asks the socket, not the server (no round trip).
    DATABASES["default"]["ENGINE"] = "core.postgresql"
    # Values bound by the server, and the statements each request sends (PreparedSQL: the pages'
    # reads, the audit record, the check's count) prepared once per connection: without that the
    # server parsed and planned every statement of every request, more CPU than it spent running
    # them (core.postgresql says which are prepared and why not the rest). A pooler in transaction
    # mode that does not keep prepared statements (PgBouncer before 1.21, or without
    # max_prepared_statements) needs DATABASE_PREPARED_STATEMENTS=0.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": 0 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker share one SQLite file: WAL and a busy timeout avoid
    # "database is locked" while both write.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # AxesBackend must come first so that a locked-out account cannot try passwords.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 with its production cost makes every test that signs in slow; the algorithm stays the same.
    PASSWORD_HASHERS = ["accounts.hashers.FastArgon2PasswordHasher"]
# NIST SP 800-63B: a minimum length, a maximum that allows passphrases, a check against common
# passwords and against the user's own data; no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "applications:home"
LOGOUT_REDIRECT_URL = "core:index"

# Lock-out: per account and per address, with back-off (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Counted per account, not per spelling: "A@x.org" and "a@x.org" share one lock-out count.
AXES_USERNAME_CALLABLE = "accounts.addresses.axes_username"
AXES_SENSITIVE_PARAMETERS = ["password", "username"]
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# The same key as the rate limits: an IPv6 client by its /64, an IPv4-mapped one as IPv4.
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.lockout_address"
AXES_VERBOSE = False
# Sign-ins are in the audit log; axes' own access log would keep every address typed, forever.
AXES_DISABLE_ACCESS_LOG = True

# Sessions: end after inactivity and, however active, a fixed time after signing in; the cookie
# dies with the browser.
SESSION_IDLE_TIMEOUT_SECONDS = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 15 * 60)
SESSION_ABSOLUTE_LIFETIME_SECONDS = env_int("SESSION_ABSOLUTE_LIFETIME_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Django's database sessions, in a table that also names the signed-in user and authenticator:
# one statement reads a signed-in request's session, user and second factor.
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "PermitSafe")

# Internationalisation: Finnish, Swedish and English.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "fi")
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Helsinki")
USE_I18N = True
# Each language's own date formats from CLDR (British English for English), see config/formats.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEVELOPMENT
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
if DEVELOPMENT:
    # Served from the app folders directly; production serves the output of collectstatic.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Encrypted blobs: a local folder by default; an S3-compatible store by settings alone
# (DOCUMENTS_STORAGE_BACKEND=storages.backends.s3.S3Storage, see documents/s3.py).
DOCUMENTS_STORAGE_BACKEND = env_str(
    "DOCUMENTS_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
)
DOCUMENTS_S3_BUCKET = env_str("DOCUMENTS_S3_BUCKET")
if DOCUMENTS_STORAGE_BACKEND == S3_BACKEND:
    DOCUMENTS_STORAGE_OPTIONS = documents_s3_options(
        bucket=DOCUMENTS_S3_BUCKET,
        endpoint_url=env_str("DOCUMENTS_S3_ENDPOINT_URL"),
        region=env_str("DOCUMENTS_S3_REGION", "us-east-1"),
    )
else:
    DOCUMENTS_STORAGE_OPTIONS = {
        "location": env_str("DOCUMENTS_ROOT", str(VAR_DIR / "documents")),
    }
# The part size of an upload to S3 written as it arrives (django-storages' S3File reads it).
AWS_S3_FILE_BUFFER_SIZE = PART_BYTES
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {"BACKEND": DOCUMENTS_STORAGE_BACKEND, "OPTIONS": DOCUMENTS_STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Envelope encryption: key-encryption keys as "id:base64url-key" pairs; the first listed is the active
# one for new files; the others still unwrap older data keys until `rewrap_data_keys` moves them.
if DEVELOPMENT and not env_str("KEY_ENCRYPTION_KEYS"):
    KEY_ENCRYPTION_KEYS = "dev1:" + _development_secret(
        "key_encryption_key", lambda: secrets.token_urlsafe(32)
    )
else:
    KEY_ENCRYPTION_KEYS = env_required("KEY_ENCRYPTION_KEYS")

# Uploads: refused before the body is read when over the limit.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "documents.upload_handlers.SizeLimitUploadHandler",
    # Views marked stores_documents: each file sealed into its blob as it arrives (no temp copy).
    "documents.upload_handlers.EncryptingUploadHandler",
    "documents.upload_handlers.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR")
# Messages checked or reported in the trust center may be larger than attachments (.eml files).
TRUST_MAX_MESSAGE_BYTES = env_int("TRUST_MAX_MESSAGE_BYTES", 25 * 1024 * 1024)
# Abuse limits of the trust center: emails to one reporter address a day (over all campaigns),
# messages per connection to the report SMTP receiver, one DKIM look-up warning per interval.
TRUST_REPORTER_FEEDBACK_PER_DAY = env_int("TRUST_REPORTER_FEEDBACK_PER_DAY", 3)
TRUST_INBOUND_MESSAGES_PER_CONNECTION = env_int("TRUST_INBOUND_MESSAGES_PER_CONNECTION", 10)
TRUST_DKIM_LOG_INTERVAL_SECONDS = env_int("TRUST_DKIM_LOG_INTERVAL_SECONDS", 10 * 60)
# Seconds one check may take; past it the check answers with what it found and says so, never
# "genuine" (a web worker is never held longer by one pathological message).
TRUST_CHECK_TIME_BUDGET = env_int("TRUST_CHECK_TIME_BUDGET", 5)
# Securemail's automatic reply to plain email (securemail.autoreply, `receive_plain_email`): the
# addresses it answers for (empty: the profile's public_email_addresses), the largest message taken
# in (refused at SMTP above it), and the limits that keep the reply from flooding a third party.
SECUREMAIL_AUTOREPLY_ADDRESSES = env_list("SECUREMAIL_AUTOREPLY_ADDRESSES", [])
SECUREMAIL_AUTOREPLY_MAX_MESSAGE_BYTES = env_int(
    "SECUREMAIL_AUTOREPLY_MAX_MESSAGE_BYTES", 10 * 1024 * 1024
)
SECUREMAIL_AUTOREPLY_MESSAGES_PER_CONNECTION = env_int(
    "SECUREMAIL_AUTOREPLY_MESSAGES_PER_CONNECTION", 10
)
SECUREMAIL_AUTOREPLY_CLIENT_MESSAGES_PER_HOUR = env_int(
    "SECUREMAIL_AUTOREPLY_CLIENT_MESSAGES_PER_HOUR", 30
)
SECUREMAIL_AUTOREPLY_SENDER_REPLIES_PER_DAY = env_int(
    "SECUREMAIL_AUTOREPLY_SENDER_REPLIES_PER_DAY", 1
)
SECUREMAIL_AUTOREPLY_CLIENT_REPLIES_PER_HOUR = env_int(
    "SECUREMAIL_AUTOREPLY_CLIENT_REPLIES_PER_HOUR", 10
)
SECUREMAIL_AUTOREPLY_REPLIES_PER_HOUR = env_int("SECUREMAIL_AUTOREPLY_REPLIES_PER_HOUR", 200)
# The authserv-id of the mail server in front whose Authentication-Results header is believed;
# when set, only a sender whose domain passed SPF, DKIM or DMARC there gets a reply.
SECUREMAIL_AUTOREPLY_AUTHSERV_ID = env_str("SECUREMAIL_AUTOREPLY_AUTHSERV_ID", "")
CLAMD_SOCKET = env_str("CLAMD_SOCKET")  # unix socket path, or host:port
CLAMD_TIMEOUT_SECONDS = env_int("CLAMD_TIMEOUT_SECONDS", 30)
# A scan started this long ago and still pending has lost its worker and is started again
# (documents.services.document_scans_requeue_stalled); well above the scanner's timeout.
DOCUMENTS_SCAN_STALL_SECONDS = env_int("DOCUMENTS_SCAN_STALL_SECONDS", 15 * 60)

# Securemail: a conversation leaves the sender's view this many days after its last message and is
# deleted (files too) after the retention period; one-time codes and verified sessions are short.
SECUREMAIL_VISIBLE_DAYS = env_int("SECUREMAIL_VISIBLE_DAYS", 30)
SECUREMAIL_RETENTION_DAYS = env_int("SECUREMAIL_RETENTION_DAYS", 90)
SECUREMAIL_ANSWER_WITHIN_DAYS = env_int("SECUREMAIL_ANSWER_WITHIN_DAYS", 14)
SECUREMAIL_CODE_VALID_SECONDS = env_int("SECUREMAIL_CODE_VALID_SECONDS", 15 * 60)
SECUREMAIL_CODE_MAX_ATTEMPTS = env_int("SECUREMAIL_CODE_MAX_ATTEMPTS", 5)
SECUREMAIL_SESSION_VALID_SECONDS = env_int("SECUREMAIL_SESSION_VALID_SECONDS", 60 * 60)
# Attachments, as the Ministry of Justice's Turvaviesti takes them: each file at most
# SECUREMAIL_ATTACHMENT_MAX_BYTES, the files of one message together at most
# SECUREMAIL_UPLOAD_MAX_BYTES (a file is never allowed more than the total). Both are Securemail's
# own: the e-service keeps UPLOAD_MAX_BYTES. clamd's StreamMaxLength must be at least the file limit.
SECUREMAIL_ATTACHMENT_MAX_BYTES = env_int("SECUREMAIL_ATTACHMENT_MAX_BYTES", 400 * 1024 * 1024)
SECUREMAIL_UPLOAD_MAX_BYTES = env_int("SECUREMAIL_UPLOAD_MAX_BYTES", 400 * 1024 * 1024)

# Email: the official sender; the local SMTP server by default. Development writes files to
# var/mail/, readable at /accounts/dev-mailbox/.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if MODE == "development"
    else "notifications.dkim.DKIMSigningSMTPBackend",  # SMTP, DKIM-signed when a key is set
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "")  # empty: the authority profile's sender
SERVER_EMAIL = env_str("SERVER_EMAIL", "root@localhost")
# DKIM: the key that signs notifications; `manage.py dkim_dns_record` prints the record to publish.
DKIM_SELECTOR = env_str("DKIM_SELECTOR", "permitsafe")
DKIM_PRIVATE_KEY_FILE = env_str("DKIM_PRIVATE_KEY_FILE", "")
DKIM_DOMAIN = env_str("DKIM_DOMAIN", "")  # empty: the notification sender's domain
# Text messages: "console" prints them; a gateway registers its own backend (notifications.sms).
SMS_BACKEND = env_str("SMS_BACKEND", "console")
# A send still claimed after this long has lost its worker and is re-queued (notifications.stalled);
# longer than the longest retry delay (8 minutes) plus the SMTP or gateway timeout.
NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = env_int("NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS", 15 * 60)

# The authority this installation serves: a JSON profile; the default is the seed's authority.
AUTHORITY_PROFILE = env_str("AUTHORITY_PROFILE", str(BASE_DIR / "core" / "profiles" / "migri.json"))
# The address users type themselves to sign in; notifications name it instead of linking to it.
# Production sets it (the deploy check core.W003 refuses a missing or local one); in development
# `manage.py serve` passes the address it really serves on; plain runserver falls back to PORT.
PUBLIC_BASE_URL = env_str(
    "PUBLIC_BASE_URL", f"http://localhost:{env_int('PORT', 8000)}" if DEVELOPMENT else ""
)

# Background jobs: Django's task API with the database backend (many workers on PostgreSQL).
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# ---------------------------------------------------------------------------------------------
# Settings the apps read: declared here, once, with their defaults, and read as settings.NAME
# (tests/test_settings_declared.py fails on a getattr(settings, NAME, default) in the code).
# ---------------------------------------------------------------------------------------------
# The port `load_demo_data` prints in the demo addresses (`make run` passes the same PORT).
PORT = env_int("PORT", 8000)
# A supplement request's reminder goes out this many days before its deadline.
CASEWORK_REMINDER_DAYS_BEFORE = env_int("CASEWORK_REMINDER_DAYS_BEFORE", 3)
# The first retry of a failed email or text message waits this long; each next one twice as long.
EMAIL_RETRY_BASE_SECONDS = env_int("EMAIL_RETRY_BASE_SECONDS", 30)
SMS_RETRY_BASE_SECONDS = env_int("SMS_RETRY_BASE_SECONDS", 30)
# The key of the verification codes' HMACs; empty: SECRET_KEY (and its fallbacks). Changing it
# voids every code already printed in a notification; set it before rotating SECRET_KEY.
TRUST_VERIFICATION_CODE_KEY = env_str("TRUST_VERIFICATION_CODE_KEY", "")
# The key of the recovery codes' digests; empty: SECRET_KEY (and its fallbacks). Set it to the
# secret key in force before rotating that, or codes nobody has used yet stop working with the
# fallback; changing it voids every recovery code.
RECOVERY_CODE_KEY = env_str("RECOVERY_CODE_KEY", "")
# Reports are compared by text with the reports of this many last days when grouped into campaigns.
TRUST_CAMPAIGN_TEXT_WINDOW_DAYS = env_int("TRUST_CAMPAIGN_TEXT_WINDOW_DAYS", 180)
# How long the reporter's link to download their own reported message works.
TRUST_EVIDENCE_LINK_SECONDS = env_int("TRUST_EVIDENCE_LINK_SECONDS", 15 * 60)
# The address that receives forwarded scam messages; empty: report@ the first official email domain.
TRUST_REPORT_ADDRESS = env_str("TRUST_REPORT_ADDRESS", "")
# DNS look-ups of the check engine (DKIM keys, SPF, DMARC): on or off, the time one may take, and
# the resolvers as "host:port" pairs (empty: the system's resolvers).
TRUST_DNS_ENABLED = env_bool("TRUST_DNS_ENABLED", True)
TRUST_DNS_TIMEOUT = env_float("TRUST_DNS_TIMEOUT", 2.0)
TRUST_DNS_NAMESERVERS = [
    (host, int(port))
    for host, _colon, port in (item.rpartition(":") for item in env_list("TRUST_DNS_NAMESERVERS"))
] or None
# Authentication-Results headers are believed only from these authserv-ids (our own mail servers).
TRUST_TRUSTED_AUTHSERV_IDS = env_list("TRUST_TRUSTED_AUTHSERV_IDS")
# Per-scope overrides of the rate limits in the code, as "scope=requests/seconds,..." (e.g.
# "trust.check=30/60"); see core/ratelimit.py for the scopes and their defaults.
RATE_LIMITS = env_rate_limits("RATE_LIMITS")
# The crash tests' checkpoint (core.checkpoints): set only by tests/e2e/crash_settings.py, never
# from the environment, so that no deployment can make a process stop at a checkpoint.
CRASH_TEST_PAUSE_AT = ""
CRASH_TEST_MARKER_FILE = ""
# Readiness (`/healthz`, core.health): the answer is kept this many seconds in each process (a flood
# of probes costs one check per interval); each check may take this long; the task queue counts as
# backlogged when more than HEALTH_TASK_BACKLOG_LIMIT tasks have waited over HEALTH_TASK_WAIT_SECONDS.
HEALTH_CACHE_SECONDS = env_float("HEALTH_CACHE_SECONDS", 5.0)
HEALTH_CHECK_TIMEOUT_SECONDS = env_float("HEALTH_CHECK_TIMEOUT_SECONDS", 2.0)
HEALTH_TASK_WAIT_SECONDS = env_int("HEALTH_TASK_WAIT_SECONDS", 60)
HEALTH_TASK_BACKLOG_LIMIT = env_int("HEALTH_TASK_BACKLOG_LIMIT", 1000)

# ---------------------------------------------------------------------------------------------
# Retention: how long each kind of record is kept. Each app's periodic task (declared in its
# apps.py, run by `manage.py enqueue_periodic_tasks`) calls the app's retention service
# (<app>/retention.py), which deletes or anonymises in batches. A new kind of record gets a
# setting here, a service, a @periodic task, a test and a row in the README's retention table.
# ---------------------------------------------------------------------------------------------
# Scam reports (sealed content, check result and reporter's address, indicators) and the record
# of which reporter address was told about which campaign. Two years: campaigns recur by season
# and year, the police may ask for evidence months later, and grouping compares the last
# TRUST_CAMPAIGN_TEXT_WINDOW_DAYS. Campaigns and published warnings are public and stay.
RETENTION_SCAM_REPORT_DAYS = env_int("RETENTION_SCAM_REPORT_DAYS", 730)
# The audit log is kept (who saw or changed what is the authority's record); the client's address
# in it is personal data needed only to investigate an incident, so it is cleared after this.
RETENTION_AUDIT_CLIENT_ADDRESS_DAYS = env_int("RETENTION_AUDIT_CLIENT_ADDRESS_DAYS", 180)
# Outbound email and text message rows (kind, recipient hash, status) once sent or failed for good:
# long enough to answer "did the notification go out?" about a decision's deadline.
RETENTION_OUTBOUND_MESSAGE_DAYS = env_int("RETENTION_OUTBOUND_MESSAGE_DAYS", 365)
# Verification codes printed in notifications ("Did we send this?"): a year, the life of a letter
# someone may still ask about; after it a genuine code is answered "not found".
RETENTION_VERIFICATION_CODE_DAYS = env_int("RETENTION_VERIFICATION_CODE_DAYS", 365)
# Email verification and password reset codes, counted from their expiry (used or not).
RETENTION_ONE_TIME_CODE_DAYS = env_int("RETENTION_ONE_TIME_CODE_DAYS", 7)
# Tokens of forms already sent (accounts.submissions): long enough for any back button.
RETENTION_FORM_SUBMISSION_HOURS = env_int("RETENTION_FORM_SUBMISSION_HOURS", 24)
# Rate-limit counters; must outlast the longest window (a day), or a limit would reset early.
RETENTION_RATE_LIMIT_COUNTER_HOURS = env_int("RETENTION_RATE_LIMIT_COUNTER_HOURS", 24)
# Finished background task results (django-tasks-db's table; the periodic tasks add rows).
RETENTION_TASK_RESULT_DAYS = env_int("RETENTION_TASK_RESULT_DAYS", 14)
# A task result row still running this long after it started belongs to a worker that died
# (core.stalled_work.task_results_fail_abandoned marks it failed); above the longest task's run.
TASK_ABANDONED_AFTER_SECONDS = env_int("TASK_ABANDONED_AFTER_SECONDS", 6 * 60 * 60)
# Expired sessions are deleted as soon as they expire (SESSION_COOKIE_AGE); no setting of their own.
# Rows deleted or updated per statement, so that a large backlog never loads into memory at once.
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 1000)

# Security headers. The CSP forbids all script: no page needs JavaScript.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No policy in report-only mode (empty: django-csp sends no such header).
CONTENT_SECURITY_POLICY_REPORT_ONLY: dict = {}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEVELOPMENT:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63_072_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # Orchestrators probe the process itself over plain http, and a redirect would pass as
    # healthy; the probes set no cookie and carry no personal data.
    SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host-: the browser accepts these cookies only over https, for this host alone (no Domain,
    # Path "/"), so a sibling subdomain or a plain-http page cannot plant or overwrite them.
    # Development over http keeps Django's names, which browsers accept without https.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    # Believed only from TRUSTED_PROXIES: core.middleware.TrustedProxyMiddleware removes the header
    # from every other peer before Django reads it.
    SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", True) else None
    )
CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs can carry query strings; personal data never goes to logs.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every rendering step and fontTools every font it subsets (INFO and
        # WARNING lines per decision PDF): library noise, not events an operator acts on.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# Payments (issue 10): the provider by name (payments.providers); the embedded test provider,
# the default in development and the demo, refuses to run in production.
PAYMENTS_PROVIDER = env_str("PAYMENTS_PROVIDER", "embedded" if DEVELOPMENT else "paytrail")
# The address the payment provider sends browsers and callbacks back to (https in production).
PAYMENTS_RETURN_BASE_URL = env_str("PAYMENTS_RETURN_BASE_URL", PUBLIC_BASE_URL)
PAYTRAIL_BASE_URL = env_str("PAYTRAIL_BASE_URL", "https://services.paytrail.com")
PAYTRAIL_MERCHANT_ID = env_str("PAYTRAIL_MERCHANT_ID", "")
PAYTRAIL_SECRET_KEY = env_str("PAYTRAIL_SECRET_KEY", "")
PAYTRAIL_ALGORITHM = env_str("PAYTRAIL_ALGORITHM", "sha256")
PAYTRAIL_TIMEOUT_SECONDS = env_int("PAYTRAIL_TIMEOUT_SECONDS", 10)
# The embedded provider signs with this development secret, exactly as Paytrail signs.
PAYMENTS_EMBEDDED_SECRET = (
    env_str("PAYMENTS_EMBEDDED_SECRET")
    or _development_secret("payments_embedded_secret", lambda: secrets.token_urlsafe(32))
    if DEVELOPMENT
    else ""
)
# An attempt still open this long after its last change is asked about by the reconciliation job;
# one the provider still calls unpaid this long after its start is given up (cancelled).
PAYMENTS_RECONCILE_AFTER_MINUTES = env_int("PAYMENTS_RECONCILE_AFTER_MINUTES", 15)
PAYMENTS_ABANDON_AFTER_HOURS = env_int("PAYMENTS_ABANDON_AFTER_HOURS", 24)
# The provider's payment pages, where a form of ours ("Pay", "Continue paying") redirects the
# browser: CSP form-action also governs the redirect that follows a form.
PAYMENTS_FORM_ACTION_ORIGINS = env_list(
    "PAYMENTS_FORM_ACTION_ORIGINS",
    ["https://pay.paytrail.com"] if PAYMENTS_PROVIDER == "paytrail" else [],
)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [
    "'self'",
    *PAYMENTS_FORM_ACTION_ORIGINS,
]
