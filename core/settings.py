"""Settings from environment variables (prefix CRM_) and an optional .env file, checked at start-up."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

UPLOAD_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain", "text/csv", "application/zip",
                "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.oasis.opendocument.text",
                "application/vnd.oasis.opendocument.spreadsheet", "message/rfc822")
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}


def async_database_url(url: str) -> str:
    """Accept URLs as users write them and give them the async driver: sqlite:///crm.db, postgresql://u@h/db."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"not a database URL: {url!r}; write e.g. sqlite:///crm.db or postgresql://user@host:5432/db") from None
    backend = parsed.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported database {backend!r}: use sqlite:///path.db or postgresql://user@host:5432/db")
    wanted = ASYNC_DRIVERS[backend]
    if parsed.drivername not in (backend, wanted, "postgres"):
        raise ValueError(f"driver {parsed.drivername!r} is not supported; write {backend}://... and the CRM picks {wanted}")
    return parsed.set(drivername=wanted).render_as_string(hide_password=False)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_", env_file=".env", extra="ignore")

    database_url: str = Field("sqlite:///./crm.db", description="Where the data lives. SQLite file or PostgreSQL URL.")
    token_ttl_hours: float = Field(24 * 7, gt=0, description="How long a login token lives.")
    login_max_failures: int = Field(5, ge=1, description="Failed logins per account and client address before each further try from there waits (1 s, doubling).")
    login_max_failures_per_address: int = Field(20, ge=1, description="Failed logins per client address, over any accounts, before its wrong passwords are answered THROTTLED (correct ones still log in).")
    login_lockout_seconds: int = Field(900, ge=1, description="The longest wait between tries; failures are forgotten this long after the first of a window.")
    activity_future_hours: int = Field(24, ge=0, description="How far ahead an activity's occurredAt may be (clock skew, time zones).")
    import_max_rows: int = Field(5000, ge=1, description="Rows one importCustomers request may carry (the CLI has no cap).")
    password_min_length: int = Field(10, ge=8)
    password_min_score: int = Field(3, ge=0, le=4, description="The least zxcvbn score (0-4) a new password must reach; 3 is about 10^8 guesses.")
    password_hash_profile: Literal["RFC_9106_LOW_MEMORY", "CHEAPEST"] = Field(
        "RFC_9106_LOW_MEMORY", description="argon2 cost. CHEAPEST is for test suites only."
    )
    max_query_depth: int = Field(12, ge=2, description="Deepest nesting a GraphQL query may have.")
    max_query_complexity: int = Field(20_000, ge=10, description="Most fields a query may ask for, lists counted by page size.")
    max_aliases: int = Field(30, ge=1, description="Most aliases in one query.")
    max_page_size: int = Field(100, ge=1, description="Largest `first` a connection accepts.")
    max_query_chars: int = Field(50_000, ge=100, description="Longest GraphQL document, in characters.")
    max_query_tokens: int = Field(5_000, ge=50, description="Most tokens in a GraphQL document (the parser stops there).")
    max_body_bytes: int = Field(1_000_000, ge=1_000, description="Largest request body; larger ones get 413 before "
                                "they are read in full.")
    max_json_depth: int = Field(64, ge=4, description="Deepest nesting of a JSON request body.")
    request_timeout_seconds: float = Field(30, gt=0, description="Longest a GraphQL request may run; then it is "
                                           "stopped and its transaction rolled back.")
    policy_check_seconds: float = Field(0.5, ge=0, description="How often a worker looks for permission changes made by others.")
    plugin_check_seconds: float = Field(1.0, ge=0, description="How often a worker looks for plugins enabled or disabled "
                                        "through another worker; it then serves the new schema without a restart.")
    jobs_enabled: bool = Field(True, description="Run scheduled jobs in this process.")
    analysis_concurrency: int = Field(2, ge=1, description="Analysis queries (funnel, forecast, segments) one worker runs at "
                                      "once; more wait their turn without holding a database connection.")
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$", description="The reporting currency: analysis counts money in it, and "
                          "exchange rates are quoted against it (changing it later leaves the old rates unused).")
    phone_region: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="The country (ISO 3166 code, e.g. DE) of phone "
                                     "numbers written without a country code: 030 1000000 is then +49301000000, the same number "
                                     "as +49 30 1000000. Without it such numbers are compared by their digits. After changing "
                                     "it, run `crm db renormalise-phones`.")
    storage_url: str = Field("file:./crm-files", description="Where attached files are kept: file:FOLDER, or s3://bucket/prefix for "
                             "S3 or an S3-compatible service (credentials from the usual AWS_* variables; needs `pip install 'crm[s3]'`).")
    storage_s3_endpoint: str | None = Field(None, description="The S3-compatible service's address (MinIO: http://minio:9000); "
                                            "unset for AWS S3.")
    max_upload_bytes: int = Field(25_000_000, ge=1, description="Largest file an upload may carry.")
    upload_types: list[str] = Field(default_factory=lambda: list(UPLOAD_TYPES), description="Content types uploads may have.")
    exchange_rate_horizon_days: int = Field(31, ge=0, description="How far ahead an exchange rate may be dated.")
    strict_error_codes: bool = Field(False, description="Refuse (as an internal error) a mutation error whose code no "
                                     "module declared; crm.testing turns it on.")
    debug: bool = False
    mode: Literal["development", "production"] = Field("development", description="production: no GraphiQL, no introspection unless asked for.")
    introspection: bool | None = Field(None, description="Let clients read the schema; unset: on in development, off in production.")
    cors_origins: list[str] = Field(default_factory=list, description='Origins a browser front-end may call from, e.g. ["https://crm.example.com"]; none by default.')
    cors_allow_credentials: bool = Field(False, description="Let those origins send cookies and credentials.")
    cors_max_age: int = Field(600, ge=0, description="Seconds a browser may cache a preflight answer.")
    trusted_proxies: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"], description="Addresses or networks "
                                       '(["10.0.0.0/8"]) of reverse proxies whose X-Forwarded-For names the real client, for login '
                                       "throttling and rate limits; [] trusts none. A proxy not listed here makes every client one address.")
    prepared_execution: bool = Field(True, description="Run operations from their cached plan (core/api/prepared.py); "
                                     "false hands every operation to strawberry's executor, slower, for comparison or diagnosis.")
    metrics_enabled: bool = Field(False, description="Serve Prometheus metrics at /metrics.")
    metrics_token: str | None = Field(None, description="If set, /metrics needs `Authorization: Bearer <token>`.")
    metrics_dir: str | None = Field(None, description="Where workers share their metrics files (crm serve sets one when metrics are on).")
    log_format: Literal["text", "json"] = Field("text", description="json: one JSON object per log line, for log collectors.")
    otel_endpoint: str | None = Field(None, description="An OpenTelemetry collector (OTLP over HTTP, e.g. http://collector:4318): "
                                      "requests and their SQL are traced there. Needs `pip install 'crm[otel]'`.")
    otel_service_name: str = Field("crm", description="The service name traces carry.")

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        from crm.money.currencies import is_currency

        if not is_currency(value):
            raise ValueError(f"{value!r} is not an ISO 4217 currency code such as EUR, USD or JPY")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        import ipaddress

        for item in value:
            try:
                ipaddress.ip_network(item.strip(), strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network such as 10.0.0.5 or 10.0.0.0/8") from None
        return [item.strip() for item in value]

    @property
    def introspection_allowed(self) -> bool:
        return self.introspection if self.introspection is not None else self.mode == "development"

    @field_validator("database_url")
    @classmethod
    def _async_url(cls, value: str) -> str:
        return async_database_url(value)


class SettingsError(Exception):
    pass


# CRM_ variables that are not settings of the server: the test suite's and CI's.
OTHER_VARIABLES = {"CRM_TEST_DATABASE_URL", "CRM_TEST_PG_URL"}


def unknown_variables(environ=None) -> list[str]:
    """A line for each CRM_ variable (in the environment or .env) that is no setting, with the likely one it meant:
    a misspelt CRM_DATABSE_URL would otherwise be ignored, and the server would quietly use ./crm.db."""
    import difflib
    import os

    known = {f"CRM_{name.upper()}" for name in Settings.model_fields} | OTHER_VARIABLES
    names = set(environ if environ is not None else os.environ)
    if environ is None and os.path.exists(".env"):
        from dotenv import dotenv_values

        names |= set(dotenv_values(".env"))
    lines = []
    for name in sorted(n for n in names if n.upper().startswith("CRM_") and n.upper() not in known):
        # Compared without the prefix every name shares, or CRM_NOPE would look like CRM_MODE.
        close = difflib.get_close_matches(name.upper()[4:], sorted(n[4:] for n in known - OTHER_VARIABLES), n=1, cutoff=0.75)
        lines.append(f"{name} is not a setting" + (f"; did you mean CRM_{close[0]}?" if close else " (see core/settings.py)"))
    return lines


def load_settings(**overrides) -> Settings:
    """Settings from the environment, with clear errors instead of a stack trace."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = [f"  CRM_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()]
        raise SettingsError("invalid settings:\n" + "\n".join(lines)) from None


@lru_cache
def default_settings() -> Settings:
    return load_settings()
