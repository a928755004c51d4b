"""The registry stand-in keeps Tianyancha's contract: token check, USCC or exact name, 300000 for no data."""

from __future__ import annotations

from datetime import date, datetime

import httpx

from idp.models.authority import CHINA_TZ
from idp.standins.registry import PATH
from idp.standins.runner import BackgroundServer
from tests.authority_helpers import TOKEN


def _get(server: BackgroundServer, keyword: str, token: str | None = TOKEN) -> dict[str, object]:
    headers = {"Authorization": token} if token is not None else {}
    resp = httpx.get(server.url + PATH, params={"keyword": keyword}, headers=headers, timeout=5)
    assert resp.status_code == 200
    return dict(resp.json())


def test_a_missing_or_wrong_token_is_refused(registry_server: BackgroundServer) -> None:
    assert _get(registry_server, "91440106762B25NLXE", token=None)["error_code"] == 300009
    assert _get(registry_server, "91440106762B25NLXE", token="wrong")["error_code"] == 300009
    assert registry_server.app.state.calls.count() == 0


def test_lookup_by_uscc_name_and_former_name(registry_server: BackgroundServer) -> None:
    by_code = _get(registry_server, "91120116631qk7er97")  # case-insensitive code
    by_name = _get(registry_server, "天津启明贸易有限责任公司")
    by_former = _get(registry_server, "天津启明贸易有限公司")
    assert by_code["error_code"] == by_name["error_code"] == by_former["error_code"] == 0
    assert by_code["result"] == by_name["result"] == by_former["result"]
    result = by_code["result"]
    assert isinstance(result, dict)
    assert result["historyNames"] == "天津启明贸易有限公司;天津启明商贸有限公司"
    established = datetime.fromtimestamp(result["estiblishTime"] / 1000, CHINA_TZ)
    assert established.date() == date(2012, 3, 15) and (established.hour, established.minute) == (0, 0)


def test_unknown_keywords_get_no_data(registry_server: BackgroundServer) -> None:
    answer = _get(registry_server, "不存在的公司")
    assert answer["error_code"] == 300000 and answer["result"] is None
    assert _get(registry_server, "天津启明贸易")["error_code"] == 300000  # exact names only
