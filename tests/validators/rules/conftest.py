"""A factory for extracted invoices: a consistent 电子普票 that each test changes in one place."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from idp.models import DocumentKind, ExtractedDocument, ExtractedField

#: A consistent invoice (the values of a real 2018 e-invoice layout, re-typed by hand).
CLEAN = {
    "invoice_kind": "10",
    "invoice_code": "012001800211",
    "invoice_number": "23326471",
    "issue_date": "2018-09-21",
    "check_code": "16707184549009707698",
    "buyer_name": "聚光科技（杭州）股份有限公司",
    "buyer_tax_id": "91330000734500338C",
    "seller_name": "滴滴出行科技有限公司",
    "seller_tax_id": "911201163409833307",
    "amount_without_tax": "734.59",
    "tax_amount": "22.04",
    "total_with_tax": "756.63",
    "total_in_words": "柒佰伍拾陆元陆角叁分",
}
CLEAN_ITEMS = [
    {
        "name": "*运输服务*客运服务费",
        "quantity": "1",
        "price": "734.59",
        "amount": "734.59",
        "tax_rate": "3%",
        "tax": "22.04",
    }
]

InvoiceFactory = Callable[..., ExtractedDocument]


def build(items: list[dict[str, str | None]] | None = None, **changes: str | None) -> ExtractedDocument:
    values = {**CLEAN, **changes}
    rows = CLEAN_ITEMS if items is None else items
    return ExtractedDocument(
        kind=DocumentKind.VAT_INVOICE,
        extractor="test",
        fields={
            k: ExtractedField(name=k, value=v, confidence=0.99)
            for k, v in values.items()
            if k in changes or v
        },
        items=[{k: ExtractedField(name=k, value=v, confidence=0.95) for k, v in row.items()} for row in rows],
    )


@pytest.fixture
def invoice() -> InvoiceFactory:
    """``invoice(field=value, items=[...])``: the clean invoice with values replaced (None removes one)."""
    return build
