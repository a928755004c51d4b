"""Test data and servers for the verification adapters: an authority.json around today, stand-ins on
free ports, and real Redis clients (embedded always; the server one when ``IDP_TEST_REDIS_URL`` is set)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from redis import Redis

from idp.models.authority import china_date
from idp.standins.registry import create_registry_app
from idp.standins.runner import BackgroundServer
from idp.standins.tax import create_tax_app

SECRET_ID, SECRET_KEY = "test-secret-id", "test-secret-key"
BAIDU_AK, BAIDU_SK = "test-ak", "test-sk"
TOKEN = "test-tianyancha-token"
REDIS_SERVER_URL = os.environ.get("IDP_TEST_REDIS_URL")
REDIS_KINDS = ["embedded"] + (["server"] if REDIS_SERVER_URL else [])


def today() -> date:
    """Today in Beijing: the day the stand-ins count checks and refuse same-day invoices."""
    return china_date(datetime.now(UTC))


def _invoice(code: str | None, number: str, issued: date, kind: str, status: str = "normal",
             check_code: str | None = None, net: str = "1000.00", tax: str = "130.00",
             total: str = "1130.00") -> dict[str, object]:
    return {"invoice_code": code, "invoice_number": number, "issue_date": issued.isoformat(), "kind": kind,
            "check_code": check_code, "seller_tax_id": "91440106762B25NLXE",
            "seller_name": "广州市华信贸易有限公司",
            "buyer_tax_id": "91120116631QK7ER97", "buyer_name": "天津启明贸易有限责任公司",
            "amount_without_tax": net, "tax_amount": tax, "total_with_tax": total, "status": status,
            "items": [{"name": "*钢材*螺纹钢", "spec": "HRB400", "unit": "吨", "quantity": "2",
                       "price": "500.00", "amount": net, "tax_rate": "13%", "tax": tax}]}


#: (code, number, kind, status, check code) of the test invoices, all issued 30 days ago unless said.
NORMAL_10 = ("044002405111", "10000001", "10", "normal", "01276795026531897613")
SPECIAL_08 = ("044002412813", "10000002", "08", "normal", None)
DIGITAL_31 = (None, "25440010307430371341", "31", "normal", None)
VOID_10 = ("044002405111", "10000003", "10", "void", "11111111111111222222")
RED_32 = (None, "25440010307430379999", "32", "red_flushed", None)
PARTIAL_08 = ("044002412813", "10000004", "08", "partially_red_flushed", None)
ABNORMAL_08 = ("044002412813", "10000005", "08", "abnormal", None)
TODAY_10 = ("044002405111", "10000006", "10", "normal", "33333333333333444444")


def authority_data() -> dict[str, object]:
    issued = today() - timedelta(days=30)
    invoices = [_invoice(c, n, issued, k, s, cc) for c, n, k, s, cc in
                (NORMAL_10, SPECIAL_08, DIGITAL_31, VOID_10, RED_32, PARTIAL_08, ABNORMAL_08)]
    invoices.append(_invoice(TODAY_10[0], TODAY_10[1], today(), "10", "normal", TODAY_10[4]))
    companies = [
        {"name": "广州市华信贸易有限公司", "tax_id": "91440106762B25NLXE", "legal_rep": "刘洋",
         "status": "存续", "established": "2018-05-08", "former_names": [], "reg_capital": "400万人民币",
         "scope": "钢材、建材销售", "address": "广州市天河区", "term_from": "2018-05-08"},
        {"name": "天津启明贸易有限责任公司", "tax_id": "91120116631QK7ER97", "legal_rep": "张伟",
         "status": "存续（在营、开业、在册）", "established": "2012-03-15",
         "former_names": ["天津启明贸易有限公司", "天津启明商贸有限公司"], "term_to": "2042-03-14"},
        {"name": "武汉市嘉禾电子有限责任公司", "tax_id": "9142010605JK1FLA3N", "legal_rep": "王芳",
         "status": "注销", "established": "2015-07-01", "former_names": []},
        {"name": "上海华信机械设备有限公司", "tax_id": "91310115876QAH1X6K", "legal_rep": "李娜",
         "status": "吊销，未注销", "established": "2009-11-20", "former_names": []},
    ]
    return {"tax_invoices": invoices, "companies": companies}


def write_authority(folder: Path) -> Path:
    path = folder / "authority.json"
    path.write_text(json.dumps(authority_data(), ensure_ascii=False), encoding="utf-8")
    return path


@contextmanager
def redis_client(kind: str) -> Iterator[tuple[Redis, str]]:
    """(client, unique key prefix); the server database is shared, so only this prefix is cleaned up."""
    from queues.connection import ensure_embedded_redis, stop_embedded_redis

    prefix = f"idptest:{uuid.uuid4().hex[:10]}"
    if kind == "server":
        assert REDIS_SERVER_URL
        client = Redis.from_url(REDIS_SERVER_URL)
        try:
            yield client, prefix
        finally:
            keys = list(client.scan_iter(f"{prefix}:*"))
            if keys:
                client.delete(*keys)
        return
    folder = Path(tempfile.mkdtemp(prefix="idpr"))
    try:
        client = Redis.from_url(ensure_embedded_redis(folder / "redis"))
        yield client, prefix
    finally:
        stop_embedded_redis(folder / "redis")
        shutil.rmtree(folder, ignore_errors=True)


# --- fixtures (imported by the conftest of tests/idp/adapters and tests/idp/standins) ---------------------


@pytest.fixture
def authority_file(tmp_path: Path) -> Path:
    return write_authority(tmp_path)


@pytest.fixture
def tax_server(authority_file: Path) -> Iterator[BackgroundServer]:
    """The tax stand-in (Tencent and Baidu contracts) on a free port, with the test credentials."""
    app = create_tax_app(authority_file, secret_id=SECRET_ID, secret_key=SECRET_KEY, baidu_api_key=BAIDU_AK,
                         baidu_secret_key=BAIDU_SK)
    server = BackgroundServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def registry_server(authority_file: Path) -> Iterator[BackgroundServer]:
    server = BackgroundServer(create_registry_app(authority_file, token=TOKEN)).start()
    yield server
    server.stop()


@pytest.fixture(params=REDIS_KINDS)
def redis_conn(request: pytest.FixtureRequest) -> Iterator[tuple[Redis, str]]:
    """A real Redis (embedded, and the server one when configured) and a key prefix of its own."""
    with redis_client(request.param) as pair:
        yield pair
