"""Dates on a contract: signed, not in the future nor implausibly old, delivery and validity after signing.

``now`` is a parameter (the pipeline's clock), so the rules are testable.
"""

from __future__ import annotations

from datetime import date

from idp.models import ExtractedDocument, Finding, Severity
from validators.rules._common import finding, value
from validators.rules.context import RuleContext

RULE_IDS = (
    "contract.date_missing",
    "contract.date_invalid",
    "contract.date_future",
    "contract.date_too_old",
    "contract.date_order",
    "contract.expired",
)
#: A contract signed longer ago than this (days) is unusual as support for a new loan.
MAX_AGE_DAYS = 3 * 365


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    today, max_age_days = context.now.date(), MAX_AGE_DAYS
    findings: list[Finding] = []
    dates: dict[str, date] = {}
    for name, label in (
        ("sign_date", "签订日期"),
        ("delivery_date", "交货日期"),
        ("valid_until", "有效期至"),
    ):
        raw = value(doc, name)
        if raw is None:
            continue
        try:
            dates[name] = date.fromisoformat(raw)
        except ValueError:
            findings.append(
                finding("contract.date_invalid", Severity.ERROR, f"{label}「{raw}」不是有效日期", {name: raw})
            )
    signed = dates.get("sign_date")
    if signed is None and value(doc, "sign_date") is None:
        findings.append(
            finding("contract.date_missing", Severity.WARNING, "未能读取合同签订日期", {"sign_date": None})
        )
    if signed is not None:
        if signed > today:
            findings.append(
                finding(
                    "contract.date_future",
                    Severity.ERROR,
                    f"签订日期{signed}晚于今天{today}",
                    {"sign_date": signed, "today": today},
                )
            )
        elif (today - signed).days > max_age_days:
            findings.append(
                finding(
                    "contract.date_too_old",
                    Severity.WARNING,
                    f"签订日期{signed}距今超过{max_age_days}天",
                    {"sign_date": signed},
                )
            )
        for name, label in (("delivery_date", "交货日期"), ("valid_until", "有效期至")):
            later = dates.get(name)
            if later is not None and later < signed:
                findings.append(
                    finding(
                        "contract.date_order",
                        Severity.ERROR,
                        f"{label}{later}早于签订日期{signed}",
                        {name: later, "sign_date": signed},
                        [name, "sign_date"],
                    )
                )
    until = dates.get("valid_until")
    if until is not None and until < today:
        findings.append(
            finding(
                "contract.expired",
                Severity.WARNING,
                f"合同有效期至{until}，已过期",
                {"valid_until": until, "today": today},
            )
        )
    return findings
