"""The Tianyancha adapter against the registry stand-in running on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from idp.adapters._common import timeout
from idp.adapters.tianyancha import TianyanchaRegistry, epoch_ms_date, former_names
from idp.errors import VerificationUnavailable
from idp.models.authority import CompanyStatus
from idp.standins.runner import BackgroundServer
from tests.authority_helpers import TOKEN

NOW = datetime.now(UTC)


@pytest.fixture
def registry(registry_server: BackgroundServer) -> TianyanchaRegistry:
    return TianyanchaRegistry(base_url=registry_server.url, token=TOKEN, timeout=timeout(1, 5))


def test_found_by_uscc_with_every_field(registry: TianyanchaRegistry) -> None:
    record = registry.lookup(uscc="91440106762B25NLXE", now=NOW)
    assert record is not None
    assert (record.name, record.uscc) == ("广州市华信贸易有限公司", "91440106762B25NLXE")
    assert record.legal_rep == "刘洋"
    assert record.status is CompanyStatus.ACTIVE and record.status_raw == "存续"
    assert record.established == date(2018, 5, 8) and record.term_from == date(2018, 5, 8)
    assert record.term_to is None and record.reg_capital_text == "400万人民币"
    assert (record.scope, record.address) == ("钢材、建材销售", "广州市天河区")
    assert record.source == "tianyancha" and record.fetched_at == NOW


def test_found_by_name_and_by_former_name(registry: TianyanchaRegistry) -> None:
    by_name = registry.lookup(name="天津启明贸易有限责任公司", now=NOW)
    by_former = registry.lookup(name="天津启明贸易有限公司", now=NOW)
    assert by_name == by_former and by_name is not None
    assert by_name.former_names == ["天津启明贸易有限公司", "天津启明商贸有限公司"]
    assert by_name.term_to == date(2042, 3, 14)


def test_an_unknown_uscc_falls_back_to_the_name(registry: TianyanchaRegistry,
                                                registry_server: BackgroundServer) -> None:
    record = registry.lookup(uscc="91440106762B25NLXM", name="广州市华信贸易有限公司", now=NOW)
    assert record is not None and record.uscc == "91440106762B25NLXE"
    assert registry_server.app.state.calls.count() == 2


@pytest.mark.parametrize(("uscc", "status"), [
    ("9142010605JK1FLA3N", CompanyStatus.CANCELLED),
    ("91310115876QAH1X6K", CompanyStatus.REVOKED),
])
def test_cancelled_and_revoked_companies(registry: TianyanchaRegistry, uscc: str,
                                        status: CompanyStatus) -> None:
    record = registry.lookup(uscc=uscc, now=NOW)
    assert record is not None and record.status is status


def test_unknown_company_is_none(registry: TianyanchaRegistry) -> None:
    assert registry.lookup(uscc="911100000000000000", name="不存在的公司", now=NOW) is None


def test_a_wrong_token_raises_unavailable_not_retryable(registry_server: BackgroundServer) -> None:
    bad = TianyanchaRegistry(base_url=registry_server.url, token="wrong", timeout=timeout(1, 5))
    with pytest.raises(VerificationUnavailable) as caught:
        bad.lookup(uscc="91440106762B25NLXE", now=NOW)
    assert caught.value.detail == {"provider": "tianyancha", "provider_code": "300009", "retryable": False}


def test_a_stopped_service_raises_unavailable_retryable(registry_server: BackgroundServer,
                                                        registry: TianyanchaRegistry) -> None:
    registry_server.stop()
    with pytest.raises(VerificationUnavailable) as caught:
        registry.lookup(uscc="91440106762B25NLXE", now=NOW)
    assert caught.value.detail["retryable"] is True


def test_parsing_helpers() -> None:
    assert epoch_ms_date(1457020800000) == date(2016, 3, 4)  # 2016-03-04 00:00 Beijing
    assert epoch_ms_date(0) is None and epoch_ms_date("junk") is None
    assert former_names({"historyNames": "甲公司；乙公司;甲公司"}) == ["甲公司", "乙公司"]
    assert former_names({"historyNameList": ["丙公司"], "historyNames": "丁公司"}) == ["丙公司"]
