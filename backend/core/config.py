"""Configuration classes; the environment is applied inside the factory."""

from __future__ import annotations


class Config:
    """Defaults for one laptop: embedded SQLite, in-process work, no external services."""

    SECRET_KEY = "dev-only-change-me"
    SQLALCHEMY_DATABASE_URI: str | None = None  # defaults to a file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # CSRF is checked in a before_request hook for cookie-authenticated writes only.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_HEADERS = ["X-CSRF-Token"]
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = False
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "5 per 5 minutes"  # failed logins per account and client address
    LOGIN_ADDRESS_RATE_LIMIT = "50 per 5 minutes"  # failed logins per client address, any account

    API_TITLE = "FieldRep API"
    API_VERSION = "1.0"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"
    API_SPEC_OPTIONS = {
        "info": {
            "description": "FieldRep: cadence plans, visit routes, offline sync, push reminders."
        }
    }

    # Request bodies (CSV uploads included) larger than this answer 413.
    MAX_CONTENT_LENGTH = 10 * 2**20
    # Endpoints that read their own body and judge it item by item, so one bad string must not
    # refuse the whole request (sync push answers such a mutation `rejected`, applies the rest).
    RAW_BODY_ENDPOINTS = frozenset({"sync.Push"})

    # Geocoding (CRM import rows without coordinates).
    GEOCODER_URL = "https://nominatim.openstreetmap.org"
    GEOCODER_USER_AGENT = "fieldrep/0.1 (self-hosted)"
    GEOCODER_MIN_DELAY_SECONDS = 1.0
    GEOCODER_TIMEOUT_SECONDS = 5.0

    # Sync log pruning: daily in each serving process; tombstones older than this are dropped
    # and a client whose cursor is older than them gets a reset.
    SYNC_PRUNE_IN_PROCESS = True
    SYNC_PRUNE_AFTER_DAYS = 30
    SYNC_PRUNE_INTERVAL_SECONDS = 86_400

    # Touch logging limits.
    TOUCH_MAX_FUTURE_SKEW_SECONDS = 300
    TOUCH_MAX_AGE_DAYS = 30

    # Travel model defaults (routing).
    OSRM_URL: str | None = None
    TRAVEL_SPEED_KMH = 40.0
    TRAVEL_CIRCUITY = 1.3

    # Day routes: the rep's flexible lunch break, and how much solver time a plan may take.
    ROUTE_BREAK = {"earliest": "11:30", "latest": "13:30", "minutes": 30}
    ROUTE_MAX_CANDIDATES = 120
    ROUTE_TIME_LIMIT_BASE = 0.3  # seconds, plus ROUTE_TIME_LIMIT_PER_STOP per candidate
    ROUTE_TIME_LIMIT_PER_STOP = 0.01
    ROUTE_TIME_LIMIT_MAX = 2.0
    ROUTE_SOLVER_WORKERS = 2
    # "horizon": the day route is the first day of a plan for the rest of the period;
    # "day": each day planned on its own (the simulator compares the two).
    ROUTE_PLANNING_POLICY = "horizon"
    ROUTE_HORIZON_DAYS = 15  # working days the horizon looks ahead at most (at least the week)

    # Territory workload and rebalancing (backend/territories): minutes a call or an email
    # takes, visits a rep makes a day (for the travel estimate), the parity a proposal aims at
    # (a team within it counts as balanced) and the CP-SAT budget.
    WORKLOAD_CALL_MINUTES = 10
    WORKLOAD_EMAIL_MINUTES = 5
    DESK_MINUTES = 90  # a rep's calls and emails a working day (GET /api/cadence/desk)
    WORKLOAD_VISITS_PER_DAY = 6
    REBALANCE_TARGET_PARITY = 0.05
    REBALANCE_TIME_LIMIT_S = 8.0
    REBALANCE_WORKERS = 2
    # Pipeline reports: what an hour of visiting and a kilometre of driving cost.
    VISIT_HOURLY_RATE = 60.0
    TRAVEL_COST_PER_KM = 0.30
    # The weekly summary email to each manager (off by default) and its SMTP server.
    SUMMARY_EMAIL_ENABLED = False
    SUMMARY_EMAIL_FROM = "fieldrep@localhost"
    SMTP_HOST = "localhost"
    SMTP_PORT = 25
    SMTP_USER: str | None = None
    SMTP_PASSWORD: str | None = None
    SMTP_STARTTLS = False

    REDIS_URL: str | None = None
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host (nginx alone: 1).
    PROXY_HOPS = 0
    # Background jobs (GET /api/jobs/<id>): seconds before each retry of a failed RQ job.
    JOB_RETRY_INTERVALS = (10, 60)
    # ``fieldrep scheduler``: reminders every quarter hour (pruning uses the interval above).
    SCHEDULE_REMINDERS_SECONDS = 900
    # Logs: "text" for a terminal, "json" (one object per line, with request ids) in production.
    LOG_FORMAT = "text"
    LOG_LEVEL = "INFO"
    LOG_REQUESTS = True
    # /metrics answers loopback callers, or any caller sending "Authorization: Bearer <token>".
    METRICS_TOKEN: str | None = None
    PWA_DIST: str | None = None  # defaults to <repo>/pwa/dist, else the copy inside the wheel
    TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    VAPID_SUBJECT = "mailto:admin@fieldrep.local"
    # Push services the reminder job may POST to; unset: the browsers' own (see
    # backend/reminders/service/endpoints.py). "*" admits any host that resolves to a public address.
    PUSH_SERVICE_HOSTS: list[str] | None = None
    VAPID_PRIVATE_KEY: str | None = None


class TestConfig(Config):
    """Tests: fast hashing, no real secret, DB from TEST_DATABASE_URL (set by the fixture)."""

    TESTING = True
    SECRET_KEY = "test-secret"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    GEOCODER_MIN_DELAY_SECONDS = 0.0
    SYNC_PRUNE_IN_PROCESS = False  # tests prune explicitly; no day-long thread per app


class ProductionConfig(Config):
    """Production: secure cookies; SECRET_KEY and DATABASE_URL must come from the environment."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    LOG_FORMAT = "json"
