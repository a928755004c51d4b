"""Identity rules: taxpayer ids, invoice code and number, check code, and the kind the code implies."""

from __future__ import annotations

from datetime import UTC, datetime

from idp.models import Severity
from validators.rules.context import RuleContext
from validators.rules.invoice_identity import RULE_IDS, check

#: A clock for the families that do not read it (every family takes the same context).
CONTEXT = RuleContext(now=datetime(2025, 1, 1, tzinfo=UTC))


def test_clean_invoice_is_silent(invoice):
    assert check(invoice(), CONTEXT) == []


def test_private_buyer_has_no_tax_id(invoice):
    assert check(invoice(buyer_name="个人", buyer_tax_id=None), CONTEXT) == []


def test_uscc_checksum_failure_is_a_warning(invoice):
    [finding] = check(invoice(seller_tax_id="911201163409833308"), CONTEXT)
    assert finding.rule_id == "taxpayer_id.checksum" and finding.severity is Severity.WARNING
    assert "需工商核验" in finding.message and "911201163409833308" in finding.message
    assert finding.fields == ["seller_tax_id"] and finding.values == {"seller_tax_id": "911201163409833308"}


def test_wrong_length_or_charset_is_an_error(invoice):
    [short] = check(invoice(buyer_tax_id="9133000073450033"), CONTEXT)
    assert short.rule_id == "taxpayer_id.format" and short.severity is Severity.ERROR
    assert short.fields == ["buyer_tax_id"]
    [charset] = check(invoice(buyer_tax_id="91330000734500338I"), CONTEXT)
    assert charset.rule_id == "taxpayer_id.format" and charset.severity is Severity.ERROR


def test_invoice_code_format(invoice):
    [finding] = check(invoice(invoice_code="01200180021"), CONTEXT)
    assert finding.rule_id == "invoice.code_format" and finding.values == {"invoice_code": "01200180021"}


def test_code_missing_for_an_8_digit_number(invoice):
    [finding] = check(invoice(invoice_code=None), CONTEXT)
    assert finding.rule_id == "invoice.code_format"


def test_fully_digital_invoice_has_no_code(invoice):
    digital = {"invoice_kind": "32", "invoice_number": "23512000000058396237", "check_code": None}
    assert check(invoice(invoice_code=None, **digital), CONTEXT) == []
    [finding] = check(invoice(**digital), CONTEXT)
    assert finding.rule_id == "invoice.code_format" and "数电" in finding.message


def test_invoice_number_format(invoice):
    [finding] = check(invoice(invoice_number="233264711"), CONTEXT)
    assert finding.rule_id == "invoice.number_format" and finding.severity is Severity.ERROR
    [digital] = check(invoice(invoice_kind="32", invoice_code=None, check_code=None), CONTEXT)
    assert digital.rule_id == "invoice.number_format"


def test_check_code_format(invoice):
    [finding] = check(invoice(check_code="1670718454900970769"), CONTEXT)
    assert finding.rule_id == "invoice.check_code_format"
    assert check(invoice(check_code="16707 18454 90097 07698"), CONTEXT) == []


def test_kind_mismatch(invoice):
    [finding] = check(invoice(invoice_kind="08"), CONTEXT)
    assert finding.rule_id == "invoice.kind_mismatch" and finding.severity is Severity.WARNING
    assert finding.values["implied_kind"] == "10"


def test_rule_ids_are_declared(invoice):
    bad = invoice(
        seller_tax_id="911201163409833308",
        buyer_tax_id="1",
        invoice_code="1",
        invoice_number="1",
        check_code="1",
    )
    assert {f.rule_id for f in check(bad, CONTEXT)} <= set(RULE_IDS)
