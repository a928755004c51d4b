"""A local 工商登记 service honouring Tianyancha's ``ic/baseinfo/normal`` contract (domain.md §7.3).

``Authorization: <token>`` is required; ``keyword`` is a USCC or an exact registered or former name, answered
from an authority.json's ``companies``; unknown keywords get ``error_code`` 300000 (无数据).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Header
from fastapi.responses import JSONResponse

from idp.models.authority import CHINA_TZ
from idp.standins.fixtures import AuthorityCompany, AuthorityIndex, CallLog

PATH = "/services/open/ic/baseinfo/normal"


def epoch_ms(day: date | None) -> int | None:
    """Midnight Beijing time of ``day`` in epoch milliseconds (Tianyancha's date form)."""
    if day is None:
        return None
    return int(datetime.combine(day, dtime(0, 0), CHINA_TZ).timestamp() * 1000)


def tianyancha_result(company: AuthorityCompany) -> dict[str, Any]:
    return {
        "name": company.name, "historyNames": ";".join(company.former_names),
        "historyNameList": list(company.former_names), "creditCode": company.tax_id,
        "taxNumber": company.tax_id, "legalPersonName": company.legal_rep, "regStatus": company.status,
        "estiblishTime": epoch_ms(company.established),
        "fromTime": epoch_ms(company.term_from or company.established),
        "toTime": epoch_ms(company.term_to), "regCapital": company.reg_capital,
        "businessScope": company.scope, "regLocation": company.address, "companyOrgType": "有限责任公司",
    }


def create_registry_app(data: AuthorityIndex | Path, *, token: str,
                        clock: Callable[[], float] = time.time) -> FastAPI:
    """The stand-in app; ``app.state.calls`` logs every lookup."""
    index = data if isinstance(data, AuthorityIndex) else AuthorityIndex.from_file(data)
    app = FastAPI(title="工商登记替身服务 (registry stand-in)", docs_url=None, redoc_url=None)
    app.state.index, app.state.calls = index, CallLog()

    @app.get(PATH)
    def baseinfo(keyword: str = "", authorization: str | None = Header(default=None)) -> JSONResponse:
        """企业基本信息: one company by USCC or exact name."""
        if authorization != token:
            return JSONResponse({"error_code": 300009, "reason": "账号信息有误", "result": None})
        if not keyword.strip():
            return JSONResponse({"error_code": 300008, "reason": "缺少必要参数", "result": None})
        app.state.calls.record(datetime.fromtimestamp(clock(), UTC), "tianyancha", keyword.strip())
        company = index.company(keyword)
        if company is None:
            return JSONResponse({"error_code": 300000, "reason": "无数据", "result": None})
        return JSONResponse({"error_code": 0, "reason": "ok", "result": tianyancha_result(company)})

    return app
