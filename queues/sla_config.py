"""Turns settings into the SLA's working calendar, policies and notifier (the core types know no settings)."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from idp.adapters.notify import EmailNotifier, LogNotifier, WebhookNotifier
from idp.errors import InputRejected
from idp.models import Role, SlaClock, SlaLevel, SlaPolicy, TaskKind, WorkingCalendar
from idp.models.sla import DEFAULT_POLICIES, pick_policy
from idp.ports import Notifier
from idp.settings import Settings

logger = logging.getLogger(__name__)

_CALENDARS: dict[tuple[object, ...], WorkingCalendar] = {}


def _period(text: str) -> tuple[time, time]:
    start, _, end = text.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def calendar_for(settings: Settings) -> WorkingCalendar:
    """The working calendar from settings and the override file (built once per configuration)."""
    path = settings.calendar_file
    mtime = path.stat().st_mtime if path and path.exists() else None
    key = (tuple(settings.working_hours), settings.business_timezone, tuple(settings.extra_holidays),
           tuple(settings.extra_workdays), str(path), mtime)
    cal = _CALENDARS.get(key)
    if cal is None:
        holidays, workdays, complete = set(settings.extra_holidays), set(settings.extra_workdays), set[int]()
        if path is not None:
            data = json.loads(path.read_text(encoding="utf-8"))
            holidays |= {date.fromisoformat(d) for d in data.get("holidays", [])}
            workdays |= {date.fromisoformat(d) for d in data.get("workdays", [])}
            complete |= {int(y) for y in data.get("complete_years", [])}
        cal = WorkingCalendar(hours=tuple(_period(p) for p in settings.working_hours),
                              tz=ZoneInfo(settings.business_timezone), holidays=frozenset(holidays),
                              workdays=frozenset(workdays), complete_years=frozenset(complete))
        _CALENDARS[key] = cal
    return cal


def fractions_for(settings: Settings) -> dict[SlaLevel, float]:
    return {SlaLevel(k): float(v) for k, v in settings.sla_fractions.items()}


def policies_for(settings: Settings) -> list[SlaPolicy]:
    """Built-in policies, a catch-all from ``review_sla_hours``, then the configured ones (later win ties)."""
    fractions = fractions_for(settings)
    base = [p.model_copy(update={"fractions": fractions}) for p in DEFAULT_POLICIES]
    base.insert(0, SlaPolicy(name="default", target_hours=settings.review_sla_hours, fractions=fractions))
    extra = [SlaPolicy.model_validate({"fractions": fractions, **raw}) for raw in settings.sla_policies]
    # a later policy of the same specificity must win, so it goes first among its equals
    return list(reversed(extra)) + base


def policy_for(settings: Settings, kind: TaskKind | str, product: str | None) -> SlaPolicy:
    return pick_policy(policies_for(settings), kind, product)


def policy_named(settings: Settings, name: str) -> SlaPolicy:
    """The SLA policy of this name (a configured one before a built-in one of the same name)."""
    for policy in policies_for(settings):
        if policy.name == name:
            return policy
    raise LookupError(f"没有名为 {name!r} 的 SLA 策略 (no SLA policy named {name!r})")


def clock_for(settings: Settings, kind: TaskKind | str, product: str | None,
              received_at: datetime, sla_policy: str | None = None) -> SlaClock:
    """A started SLA clock for a task of this kind and product, or of the SLA policy named ``sla_policy``."""
    policy = policy_named(settings, sla_policy) if sla_policy else policy_for(settings, kind, product)
    return policy.clock(received_at, calendar_for(settings))


def notifier_for(settings: Settings) -> Notifier:
    """The 督办 notifier chosen in settings."""
    if settings.notifier == "webhook":
        if not settings.notify_webhook_url:
            raise InputRejected("notifier=webhook needs IDP_NOTIFY_WEBHOOK_URL", code="bad_settings")
        return WebhookNotifier(settings.notify_webhook_url, timeout=settings.webhook_timeout_s)
    if settings.notifier == "email":
        return EmailNotifier(host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_from,
                             user=settings.smtp_user, password=settings.smtp_password,
                             starttls=settings.smtp_starttls)
    return LogNotifier()


def contacts_for(settings: Settings, role: Role) -> list[str]:
    """Who gets a 督办 notice meant for ``role``: the configured contacts, else staff e-mails of that role."""
    listed = settings.escalation_contacts.get(role.value)
    if listed:
        return list(listed)
    return [e.email or name for name, e in settings.staff.items() if e.role == role.value] or [role.value]
