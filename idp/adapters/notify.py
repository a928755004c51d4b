"""督办 notifiers behind :class:`idp.ports.Notifier`: a log line, a JSON webhook (httpx), an e-mail (smtplib)."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

import httpx

from idp.models.escalation import EscalationNotice

logger = logging.getLogger(__name__)


class LogNotifier:
    """Writes the notice to the ``idp.adapters.notify`` log (the default: nothing leaves the machine)."""

    channel = "log"

    def notify(self, notice: EscalationNotice) -> None:
        logger.warning("%s → %s: %s", notice.subject(), ", ".join(notice.recipients),
                       ", ".join(t.id for t in notice.tasks))


class WebhookNotifier:
    """POSTs the notice as JSON (e.g. to a WeCom/DingTalk bridge); a non-2xx answer raises."""

    channel = "webhook"

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout

    def notify(self, notice: EscalationNotice) -> None:
        body = {"subject": notice.subject(), "text": notice.body(), "notice": notice.model_dump(mode="json")}
        with httpx.Client(timeout=self.timeout) as client:
            client.post(self.url, json=body).raise_for_status()


class EmailNotifier:
    """Sends the notice by SMTP to every recipient."""

    channel = "email"

    def __init__(self, *, host: str, port: int, sender: str, user: str | None = None,
                 password: str | None = None, starttls: bool = False, timeout: float = 15.0) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password, self.starttls, self.timeout = user, password, starttls, timeout

    def notify(self, notice: EscalationNotice) -> None:
        msg = EmailMessage()
        msg["Subject"] = notice.subject()
        msg["From"] = self.sender
        msg["To"] = ", ".join(notice.recipients)
        msg.set_content(notice.body())
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(msg)


class RecordingNotifier:
    """Keeps every notice in memory (tests and demos), like httpx's MockTransport behind the real interface."""

    channel = "memory"

    def __init__(self) -> None:
        self.notices: list[EscalationNotice] = []

    def notify(self, notice: EscalationNotice) -> None:
        self.notices.append(notice)
