"""Bank statement extractor (银行流水 / 对账单): header fields and every transaction, read through a bank
layout file.

The layout is chosen from the first page's text (``extractors/layouts/banks/*.toml``); an unknown bank falls
back to the generic column-header matcher, and when no table is found the result says so (``layout`` =
``unknown``) so the document goes to review instead of passing with nothing read.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from pathlib import Path

from extractors.statement.header import HeaderValue, bank_name, read_header
from extractors.statement.layouts import LAYOUT_DIR, choose_layout, fallback_layout, load_layouts
from extractors.statement.rows import TableRead, Transaction, read_tables
from extractors.statement.values import currency_in, money_text
from extractors.text.table import Cell, Row
from idp.errors import ExtractionFailed
from idp.models import (
    BBox,
    DocumentKind,
    ExtractedDocument,
    ExtractedField,
    FieldSource,
    PageText,
    TextSource,
)

logger = logging.getLogger(__name__)

#: Confidence of a value read from a text layer in its labelled place.
_SURE = 0.99
#: Confidence when the layout is the generic fallback (columns guessed from header words).
_GENERIC = 0.85
#: Confidence of a value derived from others (opening balance from the first row).
_DERIVED = 0.9
_SIGNALS = tuple(
    re.compile(p)
    for p in (
        r"对账单|交易明细|流水|明细账|月结单|交易清单",
        r"余额|Balance",
        r"账号|帐号|卡号|Account",
        r"交易日期|记账日期|交易时间",
        r"借方|贷方|收入|支出|交易金额|发生额",
        r"户名|账户名称",
        r"银行",
    )
)
#: Item columns, in the order of ``ExtractedDocument.items`` rows.
ITEM_COLUMNS = (
    "date",
    "time",
    "description",
    "debit",
    "credit",
    "amount",
    "balance",
    "counterparty_name",
    "counterparty_account",
)


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
        layout = choose_layout(pages[0].text, layouts)
        if layout.fallback:
            layout = fallback_layout(layouts)
        read = read_tables(pages, layout)
        if not read.transactions and not layout.fallback:
            layout = fallback_layout(layouts)
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
        bank = bank_name(read.outside, layout) if known else None
        if bank:
            fields["bank"] = ExtractedField(
                name="bank", value=bank, confidence=base, source=FieldSource.DERIVED
            )
        _header_fields(fields, read_header(read.outside, layout), base, sizes)
        if "currency" not in fields:
            code = next((c for r in read.outside for c in [currency_in(r.compact)] if c), None)
            if code:
                fields["currency"] = ExtractedField(
                    name="currency", value=code, confidence=_DERIVED, source=FieldSource.DERIVED
                )
        items = [_item(tx, base, ocr, sizes) for tx in read.transactions]
        _balances(fields, read, base, sizes)
        fields["transaction_count"] = ExtractedField(
            name="transaction_count", value=str(len(items)), confidence=base, source=FieldSource.DERIVED
        )
        return ExtractedDocument(
            kind=DocumentKind.BANK_STATEMENT,
            subtype=layout.id if known else None,
            extractor=self.name,
            fields=fields,
            items=items,
        )


def _bbox(cells: list[Cell] | list[Row], page: int, sizes: dict[int, tuple[float, float]]) -> BBox | None:
    if not cells or page not in sizes:
        return None
    w, h = sizes[page]
    x0 = min(c.x0 for c in cells)  # type: ignore[union-attr]
    y0 = min(c.y0 for c in cells)
    x1 = max(c.x1 for c in cells)  # type: ignore[union-attr]
    y1 = max(c.y1 for c in cells)
    return BBox.model_construct(x0=_unit(x0 / w), y0=_unit(y0 / h), x1=_unit(x1 / w), y1=_unit(y1 / h))


def _unit(v: float) -> float:
    return min(1.0, max(0.0, v))


def _row_box(row: Row, sizes: dict[int, tuple[float, float]]) -> BBox | None:
    return _bbox(row.cells, row.page_no, sizes)


def _header_fields(
    fields: dict[str, ExtractedField],
    values: list[HeaderValue],
    base: float,
    sizes: dict[int, tuple[float, float]],
) -> None:
    """First value of each key; per-page subtotals (本页合计) are summed when no grand total is printed."""
    subtotals: dict[str, Decimal] = {}
    for hv in values:
        if hv.page_subtotal:
            subtotals[hv.key] = subtotals.get(hv.key, Decimal("0.00")) + Decimal(hv.value)
            continue
        key = hv.key
        if key in fields or (key == "period" and "period_start" in fields):
            continue
        conf = min(base, min((c.conf for c in hv.row.cells), default=1.0))
        if key == "period":
            start, end = hv.value.split("/")
            for name, val in (("period_start", start), ("period_end", end)):
                fields[name] = ExtractedField(
                    name=name,
                    value=val,
                    confidence=conf,
                    page=hv.row.page_no,
                    bbox=_row_box(hv.row, sizes),
                    raw=hv.raw,
                )
            continue
        fields[key] = ExtractedField(
            name=key,
            value=hv.value,
            confidence=conf,
            page=hv.row.page_no,
            bbox=_row_box(hv.row, sizes),
            raw=hv.raw,
        )
    for key, total in subtotals.items():
        if key not in fields and key in ("total_debit", "total_credit"):
            fields[key] = ExtractedField(
                name=key,
                value=str(total),
                confidence=_DERIVED,
                source=FieldSource.DERIVED,
                raw="本页合计之和",
            )


def _balances(
    fields: dict[str, ExtractedField], read: TableRead, base: float, sizes: dict[int, tuple[float, float]]
) -> None:
    """Opening balance from a 期初余额 row or derived from the first transaction; closing from the last."""
    txs = read.transactions
    if "opening_balance" not in fields and read.opening_rows:
        value, row = read.opening_rows[0]
        fields["opening_balance"] = ExtractedField(
            name="opening_balance",
            value=money_text(value),
            confidence=base,
            page=row.page_no,
            bbox=_row_box(row, sizes),
            raw=row.text,
        )
    if not txs:
        return
    newest_first = _newest_first(txs)
    first, last = (txs[-1], txs[0]) if newest_first else (txs[0], txs[-1])
    if "opening_balance" not in fields and first.balance is not None and first.amount is not None:
        fields["opening_balance"] = ExtractedField(
            name="opening_balance",
            value=money_text(first.balance - first.amount),
            confidence=_DERIVED,
            page=first.page,
            source=FieldSource.DERIVED,
            raw="首笔余额−首笔金额",
        )
    if "closing_balance" not in fields and last.balance is not None:
        fields["closing_balance"] = ExtractedField(
            name="closing_balance",
            value=money_text(last.balance),
            confidence=_DERIVED,
            page=last.page,
            source=FieldSource.DERIVED,
            raw="末笔余额",
        )
    fields["order"] = ExtractedField(
        name="order",
        value="newest_first" if newest_first else "oldest_first",
        confidence=base,
        source=FieldSource.DERIVED,
    )


def _newest_first(txs: list[Transaction]) -> bool:
    """Dates mostly decrease down the page, or (same day) balances chain bottom-up."""
    down = sum(1 for a, b in zip(txs, txs[1:], strict=False) if b.date < a.date)
    up = sum(1 for a, b in zip(txs, txs[1:], strict=False) if b.date > a.date)
    if down != up:
        return down > up
    fwd = sum(
        1
        for a, b in zip(txs, txs[1:], strict=False)
        if a.balance is not None
        and b.balance is not None
        and b.amount is not None
        and a.balance + b.amount == b.balance
    )
    back = sum(
        1
        for a, b in zip(txs, txs[1:], strict=False)
        if a.balance is not None
        and b.balance is not None
        and a.amount is not None
        and b.balance + a.amount == a.balance
    )
    return back > fwd


def _item(
    tx: Transaction, base: float, ocr: bool, sizes: dict[int, tuple[float, float]]
) -> dict[str, ExtractedField]:
    values = {
        "date": tx.date,
        "time": tx.time,
        "description": tx.description,
        "debit": money_text(tx.debit),
        "credit": money_text(tx.credit),
        "amount": money_text(tx.amount),
        "balance": money_text(tx.balance),
        "counterparty_name": tx.counterparty_name,
        "counterparty_account": tx.counterparty_account,
    }
    source = FieldSource.OCR if ocr else FieldSource.TEXT_LAYER
    row: dict[str, ExtractedField] = {}
    for name in ITEM_COLUMNS:
        cell_key = {"debit": "debit", "credit": "credit", "amount": "amount"}.get(name, name)
        cells = tx.cells.get(cell_key) or []
        if name == "amount" and not cells:
            cells = (tx.cells.get("debit") or []) + (tx.cells.get("credit") or [])
        conf = min([base] + [c.conf for c in cells])
        if name == "amount" and tx.sign_derived:
            conf = min(conf, 0.5)
        row[name] = (
            ExtractedField.model_construct(  # a thousand rows: values are built valid, skip validation
                name=name,
                value=values[name],
                confidence=conf,
                page=tx.page,
                bbox=_bbox(cells, tx.page, sizes),
                source=source,
                raw=" ".join(c.text for c in cells) or None,
            )
        )
    return row
