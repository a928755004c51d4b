"""工商登记 through Tianyancha's ``ic/baseinfo/normal`` (domain.md §7.3): a token header, one keyword a call.

``error_code`` 300000 means "no data" (None); other codes and transport errors raise
:class:`idp.errors.VerificationUnavailable` with ``retryable`` in its detail. Dates are epoch milliseconds.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

import httpx

from idp.adapters._common import text
from idp.errors import VerificationUnavailable
from idp.models.authority import CHINA_TZ, CompanyRecord, company_status

logger = logging.getLogger(__name__)

PATH = "/services/open/ic/baseinfo/normal"
#: "无数据": the registry has no company for this keyword.
NO_DATA = 300000
#: 请求失败, 访问频率过快, 报告生成中: worth trying again soon [U: codes from public clients].
_RETRYABLE = frozenset({300001, 300004, 300012})


def epoch_ms_date(value: object) -> date | None:
    """Epoch milliseconds (Beijing calendar) → date; 0, empty or junk → None."""
    if value in (None, "", 0):
        return None
    try:
        return datetime.fromtimestamp(int(str(value)) / 1000, CHINA_TZ).date()
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def former_names(result: dict[str, Any]) -> list[str]:
    """``historyNameList`` (a list) or ``historyNames`` (``;``-separated), without duplicates."""
    names = result.get("historyNameList")
    if not isinstance(names, list):
        names = str(result.get("historyNames") or "").replace("；", ";").split(";")
    out: list[str] = []
    for name in (text(n) for n in names):
        if name and name not in out:
            out.append(name)
    return out


def parse_result(result: dict[str, Any], *, now: datetime) -> CompanyRecord:
    status_raw = text(result.get("regStatus"))
    return CompanyRecord(
        name=text(result.get("name")) or "", former_names=former_names(result),
        uscc=text(result.get("creditCode")), legal_rep=text(result.get("legalPersonName")),
        status_raw=status_raw, status=company_status(status_raw),
        established=epoch_ms_date(result.get("estiblishTime")),
        term_from=epoch_ms_date(result.get("fromTime")), term_to=epoch_ms_date(result.get("toTime")),
        reg_capital_text=text(result.get("regCapital")),
        scope=text(result.get("businessScope")), address=text(result.get("regLocation")), source="tianyancha",
        fetched_at=now,
    )


class TianyanchaRegistry:
    """A :class:`idp.ports.BusinessRegistry` over Tianyancha's open API (or the registry stand-in)."""

    name = "tianyancha"

    def __init__(self, *, base_url: str, token: str, timeout: httpx.Timeout) -> None:
        self._url = base_url.rstrip("/") + PATH
        self._token = token
        self._client = httpx.Client(timeout=timeout, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def lookup(
        self, *, uscc: str | None = None, name: str | None = None, now: datetime
    ) -> CompanyRecord | None:
        """By USCC first; by name when there is no USCC or the USCC is unknown."""
        if not uscc and not name:
            raise ValueError("lookup needs a USCC or a name")
        for keyword in (k for k in (uscc, name) if k):
            found = self._fetch(keyword.strip(), now=now)
            if found is not None:
                return found
        return None

    def _fetch(self, keyword: str, *, now: datetime) -> CompanyRecord | None:
        try:
            resp = self._client.get(self._url, params={"keyword": keyword},
                                    headers={"Authorization": self._token})
        except httpx.HTTPError as exc:
            logger.warning("tianyancha %s: %r", keyword, exc)
            raise VerificationUnavailable(f"无法连接工商信息服务 ({type(exc).__name__})", provider=self.name,
                                          retryable=True) from exc
        try:
            body = resp.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "error_code" not in body:
            raise VerificationUnavailable(f"工商信息服务返回异常 (HTTP {resp.status_code})",
                                          provider=self.name,
                                          retryable=resp.status_code >= 500 or resp.status_code == 429)
        code = int(body["error_code"])
        if code == NO_DATA:
            return None
        if code != 0:
            reason = str(body.get("reason", ""))
            raise VerificationUnavailable(f"工商信息服务返回错误：{code} {reason}".strip(),
                                          provider=self.name, provider_code=str(code),
                                          retryable=code in _RETRYABLE)
        result = body.get("result")
        if not isinstance(result, dict):
            return None
        return parse_result(result, now=now)
