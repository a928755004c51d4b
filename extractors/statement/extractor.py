"""Bank statement extractor (银行流水 / 对账单): header fields, the printed period and every transaction.

The generic reader does the work: transaction columns anchored on their header labels (the schema's synonyms),
the sign convention inferred from the columns found, wrapped rows merged, tables continued across pages, total
rows skipped, the period from any labelled phrasing, and the running-balance chain choosing among readings of a
row (:mod:`extractors.statement.chain`). A bank layout file (``banks/*.toml``) names a bank and its quirks only.
When no table is found the result says so (``layout`` = ``unknown``) so the document goes to review.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from pathlib import Path

from extractors.statement.chain import resolve
from extractors.statement.fields import ITEM_COLUMNS, balance_fields, header_fields, item, period_fields
from extractors.statement.header import bank_name, read_header
from extractors.statement.layouts import LAYOUT_DIR, BankLayout, choose_layout, fallback_layout, load_layouts
from extractors.statement.period import find_period
from extractors.statement.rows import REQUIRED, read_tables
from extractors.statement.values import currency_in
from extractors.text.table import page_rows
from extractors.text.table_columns import find_header
from idp.errors import ExtractionFailed
from idp.models import DocumentKind, ExtractedDocument, ExtractedField, FieldSource, PageText, TextSource
from idp.models.ledger import printed_newest_first

logger = logging.getLogger(__name__)

#: Confidence of a value read from a text layer in its labelled place.
_SURE = 0.99
#: Confidence when no bank file claims the statement (columns found by the schema's header words; rows still
#: have to continue the running-balance chain to keep it).
_GENERIC = 0.97
#: Confidence of a bank name found in the top rows but not at the start of the title (it may name another
#: bank: a branch, a counterparty, a payment channel).
_BANK_GUESS = 0.9
#: Confidence of 人民币 when no currency is printed: a domestic account's default (a foreign-currency account
#: prints its currency), not read, so it says so in its evidence.
_DEFAULT_CURRENCY = 0.95
_SIGNALS = tuple(
    re.compile(p)
    for p in (
        r"对账单|交易明细|流水|明细账|月结单|交易清单|(?i:statement|transactiondetails)",
        r"余额|Balance",
        r"账号|帐号|卡号|Account",
        r"交易日期|记账日期|交易时间|(?i:transactiondate|valuedate|postingdate)",
        r"借方|贷方|收入|支出|交易金额|发生额|(?i:withdrawal|deposit|debit|credit|amount)",
        r"户名|账户名称|(?i:accountname)",
        r"银行",
    )
)
__all__ = ["ITEM_COLUMNS", "BankStatementExtractor"]


class BankStatementExtractor:
    """Reads a bank statement's header and transactions; sees only :class:`PageText`."""

    name = "bank_statement"
    kind = DocumentKind.BANK_STATEMENT

    def __init__(self, layout_dir: Path | None = None) -> None:
        """``layout_dir``: where the bank layout files are (default ``extractors/layouts/banks``)."""
        self.layout_dir = layout_dir or LAYOUT_DIR

    def score(self, pages: list[PageText]) -> int | None:
        """10 per statement signal on the first page; None without a balance column and a date label."""
        text = "".join("".join(p.text.split()) for p in pages[:1])
        hits = sum(1 for s in _SIGNALS if s.search(text))
        if hits < 3 or not _SIGNALS[1].search(text):
            return None
        return 10 * hits

    def extract(self, pages: list[PageText]) -> ExtractedDocument:
        """Header fields, opening/closing balances, totals and every transaction across the pages."""
        if not any(p.lines for p in pages):
            raise ExtractionFailed("页面没有可读文字 (no text on the pages)", code="no_text")
        layouts = load_layouts(self.layout_dir)
        generic = fallback_layout(layouts)
        layout = choose_layout(_above_table(pages[0], generic), layouts)
        if layout.fallback:
            layout = generic
        read = read_tables(pages, layout)
        if not read.transactions and not layout.fallback:
            layout = generic
            read = read_tables(pages, layout)
        base = _SURE if not layout.fallback else _GENERIC
        ocr = any(p.source == TextSource.OCR for p in pages)
        sizes = {p.page_no: (p.width, p.height) for p in pages}
        fields: dict[str, ExtractedField] = {}
        known = bool(read.transactions)
        fields["layout"] = ExtractedField(
            name="layout",
            value=layout.id if known else "unknown",
            confidence=base if known else 0.0,
            source=FieldSource.DERIVED,
        )
        fields["columns"] = ExtractedField(
            name="columns", value=",".join(read.columns) or None, confidence=base, source=FieldSource.DERIVED
        )
        bank, sure = bank_name(read.outside, layout) if known else (None, False)
        if bank:
            fields["bank"] = ExtractedField(
                name="bank", value=bank, confidence=base if sure else _BANK_GUESS, source=FieldSource.DERIVED,
                evidence=["标题开头的银行名称" if sure else "页首行中的银行名称（非标题开头），需核对"],
            )
        header_fields(fields, read_header(read.outside, layout), base, sizes, ocr=ocr)
        if "currency" not in fields and known:
            code = next((c for r in read.outside for c in [currency_in(r.compact)] if c), None)
            fields["currency"] = ExtractedField(
                name="currency", value=code or "CNY", confidence=base if code else _DEFAULT_CURRENCY,
                source=FieldSource.DERIVED,
                evidence=["金额旁的币种记号"] if code else ["未印出币种：境内账户默认人民币"],
            )
        opening = fields.get("opening_balance")
        printed_opening = None
        if read.opening_rows:  # the 期初余额 row is above the oldest row: at the bottom of a newest-first print
            printed_opening = read.opening_rows[-1 if printed_newest_first(read.transactions) else 0][0]
        if opening is not None and opening.value is not None:
            printed_opening = Decimal(opening.value)
        chain = resolve(read.transactions, ocr=ocr, opening=printed_opening)
        period_fields(fields, find_period(read.outside, layout, base=base), read.transactions, chain, base, sizes)
        source = FieldSource.OCR if ocr else FieldSource.TEXT_LAYER
        items = [item(tx, chain.verdicts[k], base, source, sizes) for k, tx in enumerate(read.transactions)]
        balance_fields(fields, read, chain, base, sizes)
        fields["transaction_count"] = ExtractedField(
            name="transaction_count", value=str(len(items)), confidence=base, source=FieldSource.DERIVED
        )
        for field in fields.values() if ocr else ():  # a value read off a scanned page is an OCR reading
            if field.source == FieldSource.TEXT_LAYER:
                field.source = FieldSource.OCR
        return ExtractedDocument(
            kind=DocumentKind.BANK_STATEMENT,
            subtype=layout.id if known else None,
            extractor=self.name,
            fields=fields,
            items=items,
        )


def _above_table(page: PageText, generic: BankLayout) -> str:
    """The first page's text above the transaction table (title and header block): a bank is recognised by
    its name there, not by counterparties' banks in the rows."""
    rows = page_rows(page)
    header = find_header(rows, generic.columns, required=REQUIRED)
    return " ".join(r.text for r in rows[: header.row if header else len(rows)])
