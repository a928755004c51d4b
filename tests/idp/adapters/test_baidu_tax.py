"""The Baidu adapter against the tax stand-in's Baidu routes: token caching and refresh, answer shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from idp.adapters._common import timeout
from idp.adapters.baidu_tax import BaiduTaxVerifier, parse_response
from idp.models.authority import InvoiceQuery, InvoiceStatus, VerificationStatus
from idp.standins.runner import BackgroundServer
from tests.authority_helpers import (
    BAIDU_AK,
    BAIDU_SK,
    DIGITAL_31,
    NORMAL_10,
    RED_32,
    SPECIAL_08,
    VOID_10,
    today,
)

NOW = datetime.now(UTC)


def query(invoice: tuple[str | None, str, str, str, str | None], amount: str = "1000.00") -> InvoiceQuery:
    code, number, kind, _, check = invoice
    return InvoiceQuery.build(kind=kind, code=code, number=number, check_code=check,
                              issue_date=today() - timedelta(days=30), amount_without_tax=amount,
                              total_with_tax="1130.00")


@pytest.fixture
def verifier(tax_server: BackgroundServer) -> BaiduTaxVerifier:
    return BaiduTaxVerifier(base_url=tax_server.url, api_key=BAIDU_AK, secret_key=BAIDU_SK,
                            timeout=timeout(1, 5))


def test_found_with_fields_and_items(verifier: BaiduTaxVerifier) -> None:
    outcome = verifier.verify(query(NORMAL_10), now=NOW)
    assert outcome.status is VerificationStatus.FOUND and outcome.provider_code == "0001"
    record = outcome.record
    assert record is not None and record.status is InvoiceStatus.NORMAL
    assert (record.seller_tax_id, record.buyer_tax_id) == ("91440106762B25NLXE", "91120116631QK7ER97")
    assert record.total_with_tax == Decimal("1130.00") and record.issue_date == today() - timedelta(days=30)
    items = [(i.name, i.amount, i.tax_rate) for i in record.items]
    assert items == [("*钢材*螺纹钢", Decimal("1000.00"), "13%")]


def test_answers_for_each_kind_family_and_status(verifier: BaiduTaxVerifier) -> None:
    assert verifier.verify(query(SPECIAL_08), now=NOW).status is VerificationStatus.FOUND
    assert verifier.verify(query(DIGITAL_31), now=NOW).status is VerificationStatus.FOUND
    assert verifier.verify(query(SPECIAL_08, amount="1.00"), now=NOW).status is VerificationStatus.MISMATCH
    missing = verifier.verify(query(("044002405111", "87654321", "10", "", "1" * 20)), now=NOW)
    assert missing.status is VerificationStatus.NOT_FOUND
    void = verifier.verify(query(VOID_10), now=NOW).record
    red = verifier.verify(query(RED_32), now=NOW).record
    assert void is not None and void.status is InvoiceStatus.VOID
    assert red is not None and red.status is InvoiceStatus.RED_FLUSHED and red.status_raw == "QH"


def test_the_token_is_fetched_once_and_renewed_when_the_service_forgets_it(
        tax_server: BackgroundServer, verifier: BaiduTaxVerifier) -> None:
    tokens = tax_server.app.state.baidu_tokens
    verifier.verify(query(NORMAL_10), now=NOW)
    verifier.verify(query(SPECIAL_08), now=NOW)
    assert len(tokens) == 1
    tokens.clear()  # the service now answers 110 (token invalid) to the cached token
    assert verifier.verify(query(DIGITAL_31), now=NOW).status is VerificationStatus.FOUND
    assert len(tokens) == 1


def test_wrong_credentials_are_unavailable_and_not_retryable(tax_server: BackgroundServer) -> None:
    bad = BaiduTaxVerifier(base_url=tax_server.url, api_key=BAIDU_AK, secret_key="wrong",
                           timeout=timeout(1, 5))
    outcome = bad.verify(query(NORMAL_10), now=NOW)
    assert outcome.status is VerificationStatus.UNAVAILABLE and not outcome.retryable


def test_over_the_daily_limit(verifier: BaiduTaxVerifier) -> None:
    statuses = [verifier.verify(query(NORMAL_10), now=NOW).status for _ in range(6)]
    assert statuses == [VerificationStatus.FOUND] * 5 + [VerificationStatus.QUOTA_EXCEEDED]


WORDS = {"InvoiceCode": "044002405111", "InvoiceNum": "10000001", "InvoiceDate": "2025年05月20日",
         "SellerRegisterNum": "91440106762B25NLXE", "TotalAmount": "1,000.00", "TotalTax": "130.00",
         "AmountInFiguers": "¥1130.00", "CommodityName": ["*钢材*螺纹钢"], "CommodityAmount": ["1000.00"]}


@pytest.mark.parametrize("payload", [
    {"log_id": 7, "VerifyResult": "0001", "InvalidSign": "BH", "words_result": WORDS},
    {"log_id": 7, "words_result": WORDS | {"VerifyResult": "0001", "InvalidSign": "BH"}},
])
def test_verify_result_is_read_at_the_top_or_under_words_result(payload: dict[str, object]) -> None:
    outcome = parse_response(payload, query(NORMAL_10), now=NOW)
    assert outcome.status is VerificationStatus.FOUND and outcome.request_id == "7"
    record = outcome.record
    assert record is not None and record.status is InvoiceStatus.PARTIALLY_RED_FLUSHED
    assert record.issue_date is not None and record.issue_date.isoformat() == "2025-05-20"
    assert (record.amount_without_tax, record.total_with_tax) == (Decimal("1000.00"), Decimal("1130.00"))
    assert record.items[0].name == "*钢材*螺纹钢" and record.items[0].amount == Decimal("1000.00")


@pytest.mark.parametrize(("code", "status", "retryable"), [
    ("1014", VerificationStatus.NOT_YET_VERIFIABLE, False), ("1015", VerificationStatus.TOO_OLD, False),
    ("1021", VerificationStatus.UNAVAILABLE, True), ("9999", VerificationStatus.UNAVAILABLE, True),
    ("1005", VerificationStatus.UNAVAILABLE, False), ("4242", VerificationStatus.UNAVAILABLE, False),
])
def test_other_verify_results(code: str, status: VerificationStatus, retryable: bool) -> None:
    outcome = parse_response({"VerifyResult": code}, query(NORMAL_10), now=NOW)
    assert outcome.status is status and outcome.retryable is retryable
