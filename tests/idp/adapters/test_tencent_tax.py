"""The Tencent adapter against the tax stand-in running on 127.0.0.1: every answer the contract can give."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from idp.adapters._common import timeout
from idp.adapters.tencent_tax import TencentTaxVerifier, parse_response
from idp.models.authority import InvoiceQuery, InvoiceStatus, VerificationStatus
from idp.standins.runner import BackgroundServer
from idp.standins.tax import create_tax_app
from tests.authority_helpers import (
    ABNORMAL_08,
    DIGITAL_31,
    NORMAL_10,
    PARTIAL_08,
    RED_32,
    SECRET_ID,
    SECRET_KEY,
    SPECIAL_08,
    TODAY_10,
    VOID_10,
    today,
)

NOW = datetime.now(UTC)
SAMPLES = Path(__file__).resolve().parents[3] / "samples"


def query(invoice: tuple[str | None, str, str, str, str | None], *, amount: str = "1000.00",
          gross: str = "1130.00", issued: date | None = None) -> InvoiceQuery:
    code, number, kind, _, check = invoice
    return InvoiceQuery.build(kind=kind, code=code, number=number, check_code=check,
                              issue_date=issued or today() - timedelta(days=30), amount_without_tax=amount,
                              total_with_tax=gross)


@pytest.fixture
def verifier(tax_server: BackgroundServer) -> TencentTaxVerifier:
    return TencentTaxVerifier(base_url=tax_server.url, secret_id=SECRET_ID, secret_key=SECRET_KEY,
                              timeout=timeout(1, 5))


def test_found_maps_every_field(verifier: TencentTaxVerifier) -> None:
    outcome = verifier.verify(query(NORMAL_10), now=NOW)
    assert outcome.status is VerificationStatus.FOUND and outcome.provider == "tencent"
    assert outcome.request_id and outcome.checked_at == NOW
    record = outcome.record
    assert record is not None
    assert (record.code, record.number, record.kind) == NORMAL_10[:3]
    assert record.issue_date == today() - timedelta(days=30)
    assert (record.seller_tax_id, record.buyer_name) == ("91440106762B25NLXE", "天津启明贸易有限责任公司")
    assert (record.amount_without_tax, record.tax_amount, record.total_with_tax) == (
        Decimal("1000.00"), Decimal("130.00"), Decimal("1130.00"))
    assert record.status is InvoiceStatus.NORMAL and record.status_raw == "N"
    assert record.items[0].name == "*钢材*螺纹钢" and record.items[0].quantity == Decimal("2")


@pytest.mark.parametrize("invoice", [SPECIAL_08, DIGITAL_31])
def test_amount_kinds_are_found_with_the_right_amount(
        verifier: TencentTaxVerifier, invoice: tuple[str | None, str, str, str, None]) -> None:
    assert verifier.verify(query(invoice), now=NOW).status is VerificationStatus.FOUND


def test_not_found_and_mismatch(verifier: TencentTaxVerifier) -> None:
    unknown = verifier.verify(query(("044002405111", "87654321", "10", "", "1" * 20)), now=NOW)
    assert unknown.status is VerificationStatus.NOT_FOUND
    assert unknown.provider_code == "ResourceNotFound.NoInvoice"
    wrong_check = verifier.verify(query((NORMAL_10[0], NORMAL_10[1], "10", "", "9" * 20)), now=NOW)
    assert wrong_check.status is VerificationStatus.MISMATCH and wrong_check.record is None
    wrong_amount = verifier.verify(query(SPECIAL_08, amount="999.99"), now=NOW)
    assert wrong_amount.status is VerificationStatus.MISMATCH


@pytest.mark.parametrize(("invoice", "status", "raw"), [
    (VOID_10, InvoiceStatus.VOID, "Y"),
    (RED_32, InvoiceStatus.RED_FLUSHED, "HF"),
    (PARTIAL_08, InvoiceStatus.PARTIALLY_RED_FLUSHED, "HP"),
    (ABNORMAL_08, InvoiceStatus.ABNORMAL, "SK"),
])
def test_statuses_other_than_normal(verifier: TencentTaxVerifier,
                                    invoice: tuple[str | None, str, str, str, str], status: InvoiceStatus,
                                    raw: str) -> None:
    outcome = verifier.verify(query(invoice), now=NOW)
    assert outcome.status is VerificationStatus.FOUND
    assert outcome.record is not None and outcome.record.status is status and outcome.record.status_raw == raw


def test_same_day_invoice_is_not_yet_verifiable(verifier: TencentTaxVerifier) -> None:
    outcome = verifier.verify(query(TODAY_10, issued=today()), now=NOW)
    assert outcome.status is VerificationStatus.NOT_YET_VERIFIABLE
    assert outcome.provider_code == "ResourceNotFound.NotSupportCurrentInvoiceQuery"


def test_the_sixth_check_of_a_day_hits_the_quota(verifier: TencentTaxVerifier) -> None:
    statuses = [verifier.verify(query(NORMAL_10), now=NOW).status for _ in range(6)]
    assert statuses == [VerificationStatus.FOUND] * 5 + [VerificationStatus.QUOTA_EXCEEDED]


def test_a_wrong_key_is_unavailable_and_not_retryable(tax_server: BackgroundServer) -> None:
    bad = TencentTaxVerifier(base_url=tax_server.url, secret_id=SECRET_ID, secret_key="wrong",
                             timeout=timeout(1, 5))
    outcome = bad.verify(query(NORMAL_10), now=NOW)
    assert outcome.status is VerificationStatus.UNAVAILABLE and not outcome.retryable
    assert outcome.provider_code == "AuthFailure.SignatureFailure"


def test_a_clock_off_by_more_than_five_minutes_is_refused(tax_server: BackgroundServer) -> None:
    skewed = TencentTaxVerifier(base_url=tax_server.url, secret_id=SECRET_ID, secret_key=SECRET_KEY,
                                timeout=timeout(1, 5), clock=lambda: NOW.timestamp() - 600)
    assert skewed.verify(query(NORMAL_10), now=NOW).provider_code == "AuthFailure.SignatureExpire"


def test_a_stopped_service_is_retryable_and_spent_no_check(tax_server: BackgroundServer,
                                                           verifier: TencentTaxVerifier) -> None:
    tax_server.stop()
    outcome = verifier.verify(query(NORMAL_10), now=NOW)
    assert outcome.status is VerificationStatus.UNAVAILABLE and outcome.retryable
    assert outcome.provider_code is None  # connection refused: the provider was never reached


@pytest.mark.parametrize(("code", "retryable"), [
    ("ResourceUnavailable.TaxNetworkError", True), ("RequestLimitExceeded", True),
    ("InternalError", True), ("InternalError.ServerError", True), ("FailedOperation.UserQuotaError", False),
])
def test_provider_failures_are_unavailable(code: str, retryable: bool) -> None:
    payload = {"Response": {"Error": {"Code": code, "Message": "x"}, "RequestId": "r-1"}}
    outcome = parse_response(payload, query(NORMAL_10), now=NOW)
    assert outcome.status is VerificationStatus.UNAVAILABLE and outcome.retryable is retryable
    assert outcome.request_id == "r-1" and outcome.provider_code == code


def test_every_sample_invoice_is_known_to_the_demo_authority() -> None:
    """samples/authority/authority.json knows the real values, including the planted errors' true ones."""
    app = create_tax_app(SAMPLES / "authority" / "authority.json", secret_id=SECRET_ID, secret_key=SECRET_KEY)
    with BackgroundServer(app) as server:
        verifier = TencentTaxVerifier(base_url=server.url, secret_id=SECRET_ID, secret_key=SECRET_KEY,
                                      timeout=timeout(1, 5))
        truths = sorted((SAMPLES / "vat_invoice").glob("*.truth.json"))
        assert len(truths) >= 8
        for path in truths:
            truth = json.loads(path.read_text(encoding="utf-8"))
            q = InvoiceQuery.build(kind=truth["invoice_kind_code"], code=truth["invoice_code"],
                                   number=truth["invoice_number"],
                                   issue_date=date.fromisoformat(truth["issue_date"]),
                                   check_code=truth["check_code"],
                                   amount_without_tax=truth["amount_without_tax"],
                                   total_with_tax=truth["total_with_tax"])
            outcome = verifier.verify(q, now=NOW)
            assert outcome.status is VerificationStatus.FOUND, path.name
            assert outcome.record is not None
            assert outcome.record.total_with_tax == Decimal(truth["total_with_tax"]), path.name
            printed, registered = truth["seller"]["tax_id"], outcome.record.seller_tax_id
            assert (printed != registered) == ("taxpayer_id.checksum" in truth["planted_errors"]), path.name
