"""Ports: the small interfaces the core needs from plugins and the outside world."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from idp.models import ExtractedDocument, Finding, PageText


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
