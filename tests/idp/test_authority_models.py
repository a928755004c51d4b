"""The per-kind verification rule (domain.md §1.6), the query keys and the registry status mapping."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from idp.models import DocumentKind, ExtractedDocument, ExtractedField
from idp.models.authority import (
    CompanyStatus,
    InvoiceQuery,
    VerificationOutcome,
    VerificationStatus,
    china_date,
    company_status,
    verification_key,
)

NET, GROSS = Decimal("100.00"), Decimal("113.00")


@pytest.mark.parametrize("kind", ["04", "10", "11", "14"])
def test_ordinary_kinds_send_the_last_six_digits_of_the_check_code(kind: str) -> None:
    assert verification_key(kind, check_code="01276 79502 65318 97613", amount_without_tax=NET,
                            total_with_tax=GROSS) == ("897613", None)


@pytest.mark.parametrize("kind", ["01", "02", "03", "08"])
def test_special_kinds_send_the_amount_without_tax(kind: str) -> None:
    key = verification_key(kind, check_code=None, amount_without_tax=NET, total_with_tax=GROSS)
    assert key == (None, NET)


@pytest.mark.parametrize("kind", ["31", "32", "15"])
def test_digital_and_used_car_kinds_send_the_amount_with_tax(kind: str) -> None:
    key = verification_key(kind, check_code="1" * 20, amount_without_tax=NET, total_with_tax=GROSS)
    assert key == (None, GROSS)


@pytest.mark.parametrize(("kind", "check", "net", "gross"), [
    ("10", None, NET, GROSS),  # 普票 without a check code
    ("10", "12345", NET, GROSS),  # fewer than 6 digits
    ("08", "1" * 20, None, GROSS),  # 专票 without the net amount
    ("32", None, NET, None),  # 数电 without the gross amount
    ("99", "1" * 20, NET, GROSS),  # no such kind
])
def test_missing_inputs_and_unknown_kinds_are_refused(kind: str, check: str | None, net: Decimal | None,
                                                      gross: Decimal | None) -> None:
    with pytest.raises(ValueError):
        verification_key(kind, check_code=check, amount_without_tax=net, total_with_tax=gross)


def test_build_rounds_half_up_to_the_fen_and_drops_the_code_of_digital_invoices() -> None:
    q = InvoiceQuery.build(kind="31", code="044002412813", number="25440010307430371341",
                           issue_date=date(2025, 11, 4), amount_without_tax="55627.20",
                           total_with_tax="60525.945")
    assert q.code is None and q.amount == Decimal("60525.95") and q.check_code is None
    assert q.invoice_key == ":25440010307430371341"
    assert q.cache_key == "31::25440010307430371341:2025-11-04::60525.95"


def test_the_cache_key_tells_questions_apart_and_the_invoice_key_does_not() -> None:
    a = InvoiceQuery.build(kind="08", code="044002412813", number="58826980", issue_date=date(2025, 7, 31),
                           amount_without_tax="28224.35")
    b = InvoiceQuery.build(kind="08", code="044002412813", number="58826980", issue_date=date(2025, 7, 31),
                           amount_without_tax="28224.36")
    assert a.invoice_key == b.invoice_key and a.cache_key != b.cache_key


def test_a_bad_invoice_number_is_refused() -> None:
    with pytest.raises(ValueError):
        InvoiceQuery(kind="10", code="044002405111", number="1234567", issue_date=date(2025, 1, 1))


def test_query_from_an_extracted_invoice() -> None:
    def field(name: str, value: str) -> ExtractedField:
        return ExtractedField(name=name, value=value, confidence=0.99)

    values = {"invoice_kind": "10", "invoice_code": "042002562511", "invoice_number": "41678993",
              "issue_date": "2025-11-09", "check_code": "54679366021354323148",
              "amount_without_tax": "20113.88", "total_with_tax": "20315.03"}
    doc = ExtractedDocument(kind=DocumentKind.VAT_INVOICE, extractor="vat_invoice",
                            fields={k: field(k, v) for k, v in values.items()})
    q = InvoiceQuery.from_document(doc)
    assert (q.kind, q.code, q.number) == ("10", "042002562511", "41678993")
    assert (q.check_code, q.amount) == ("323148", None)


@pytest.mark.parametrize(("raw", "status"), [
    ("存续（在营、开业、在册）", CompanyStatus.ACTIVE),
    ("在业", CompanyStatus.ACTIVE),
    ("注销", CompanyStatus.CANCELLED),
    ("吊销，未注销", CompanyStatus.REVOKED),
    ("迁出", CompanyStatus.OTHER),
    ("清算", CompanyStatus.OTHER),
    (None, CompanyStatus.OTHER),
])
def test_registry_status_words_map_by_substring(raw: str | None, status: CompanyStatus) -> None:
    assert company_status(raw) is status


def test_the_tax_day_is_the_beijing_day() -> None:
    assert china_date(datetime(2025, 3, 1, 16, 30, tzinfo=UTC)) == date(2025, 3, 2)
    assert china_date(datetime(2025, 3, 1, 15, 59, tzinfo=UTC)) == date(2025, 3, 1)


def test_only_answers_about_the_invoice_are_final() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    finals = {s for s in VerificationStatus
              if VerificationOutcome(status=s, provider="x", checked_at=now).final}
    assert finals == {VerificationStatus.FOUND, VerificationStatus.NOT_FOUND, VerificationStatus.MISMATCH}
