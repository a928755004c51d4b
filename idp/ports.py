"""Ports: the small interfaces the core needs from plugins and the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from idp.models import ExtractedDocument, Finding, PageText
from idp.models.authority import CompanyRecord, InvoiceQuery, VerificationOutcome
from idp.models.escalation import EscalationNotice


@runtime_checkable
class Extractor(Protocol):
    """A plugin that turns page text into fields. It never learns where the text came from."""

    name: str

    def score(self, pages: list[PageText]) -> int | None:
        """How well this extractor fits these pages (higher wins); None declines."""
        ...

    def extract(self, pages: list[PageText]) -> ExtractedDocument: ...


@runtime_checkable
class DocumentRule(Protocol):
    """A rule family checking one extracted document; findings are returned as data."""

    def __call__(self, doc: ExtractedDocument) -> list[Finding]: ...


@runtime_checkable
class WebhookSender(Protocol):
    def send(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        """POST the body; return the HTTP status code or raise on a transport error."""
        ...


@runtime_checkable
class TaxInvoiceVerifier(Protocol):
    """发票查验: what the tax authority recorded for one invoice.

    Provider trouble is an answer, never an exception: a timeout, an outage or a throttle comes back as
    ``unavailable`` (``retryable`` when trying again soon may help).
    """

    name: str

    def verify(self, query: InvoiceQuery, *, now: datetime) -> VerificationOutcome: ...


@runtime_checkable
class BusinessRegistry(Protocol):
    """工商登记: a company by USCC (preferred) or by exact registered or former name.

    Returns None when the registry has no such company; raises :class:`idp.errors.VerificationUnavailable`
    when it cannot answer now (``detail["retryable"]`` says whether trying again soon may help).
    """

    name: str

    def lookup(
        self, *, uscc: str | None = None, name: str | None = None, now: datetime
    ) -> CompanyRecord | None: ...


@runtime_checkable
class Notifier(Protocol):
    """Delivers a 督办 notice (log, webhook, e-mail); raises if it could not."""

    channel: str

    def notify(self, notice: EscalationNotice) -> None: ...
