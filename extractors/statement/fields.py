"""The extracted fields of a statement: header values, the period, balances and every transaction row, each with
its confidence and the evidence for it (the label it was found by, the running-balance chain it continues).
"""

from __future__ import annotations

import re
from decimal import Decimal

from extractors.statement.chain import Chain, Verdict
from extractors.statement.header import HeaderValue
from extractors.statement.period import Period
from extractors.statement.rows import TableRead, Transaction
from extractors.statement.values import CURRENCIES, money_text
from extractors.text.patterns import person_name
from extractors.text.table import Cell, Row
from idp.models import BBox, ExtractedField, FieldSource

#: Confidence of a value derived from others (opening balance from the first row).
DERIVED = 0.9
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
_MONEY_COLUMNS = ("debit", "credit", "amount")
#: The most confidence an account number read by OCR keeps: digit strings have no redundancy and no
#: constraint checks them (a dropped digit reads as confidently as the others).
OCR_DIGITS = 0.93
#: The most confidence a name or description read by OCR keeps: a look-alike character (阎/间, 己/已) reads as
#: confidently as the right one and no constraint checks free text.
OCR_WORDS = 0.93
#: The most confidence a name or description keeps when an amount or currency code sits at its edge (text
#: of the amount column beside it strayed into it: ``CNY成都市启明公司``).
STRAYED = 0.8
_STRAYED = re.compile(
    r"^(?:{0})(?![A-Za-z])|(?<![A-Za-z])(?:{0})$|^[-+]?\d{{1,3}}(?:,\d{{3}})*\.\d{{2}}(?!\d)|(?<![\d.])\d{{1,3}}(?:,\d{{3}})*\.\d{{2}}$".format(
        "|".join(c for c in CURRENCIES if c.isascii())
    )
)
Sizes = dict[int, tuple[float, float]]


def bbox(cells: list[Cell], page: int, sizes: Sizes) -> BBox | None:
    if not cells or page not in sizes:
        return None
    w, h = sizes[page]
    x0 = min(c.x0 for c in cells)
    y0 = min(c.y0 for c in cells)
    x1 = max(c.x1 for c in cells)
    y1 = max(c.y1 for c in cells)
    return BBox.model_construct(x0=_unit(x0 / w), y0=_unit(y0 / h), x1=_unit(x1 / w), y1=_unit(y1 / h))


def _unit(v: float) -> float:
    return min(1.0, max(0.0, v))


def row_box(row: Row, sizes: Sizes) -> BBox | None:
    return bbox(row.cells, row.page_no, sizes)


def header_fields(
    fields: dict[str, ExtractedField], values: list[HeaderValue], base: float, sizes: Sizes, *, ocr: bool = False
) -> None:
    """First value of each key; per-page subtotals (本页合计) are summed when no grand total is printed."""
    subtotals: dict[str, Decimal] = {}
    for hv in values:
        if hv.page_subtotal:
            subtotals[hv.key] = subtotals.get(hv.key, Decimal("0.00")) + Decimal(hv.value)
            continue
        if hv.key in fields:
            continue
        conf = min(base, min((c.conf for c in hv.row.cells), default=1.0))
        fields[hv.key] = ExtractedField(
            name=hv.key,
            value=hv.value,
            confidence=min(conf, OCR_DIGITS) if ocr and hv.key == "account_number" else conf,
            page=hv.row.page_no,
            bbox=row_box(hv.row, sizes),
            raw=hv.raw,
            evidence=[f"标签「{hv.label}」"] if hv.label else [],
        )
    for key, total in subtotals.items():
        if key not in fields and key in ("total_debit", "total_credit"):
            fields[key] = ExtractedField(
                name=key,
                value=str(total),
                confidence=DERIVED,
                source=FieldSource.DERIVED,
                raw="本页合计之和",
                evidence=["各页「本页合计」之和"],
            )


def period_fields(
    fields: dict[str, ExtractedField], period: Period | None, txns: list[Transaction], chain: Chain, base: float,
    sizes: Sizes,
) -> None:
    """The printed period (never invented), and apart from it the dates of the first and last rows."""
    if period is not None:
        for name, value in (("period_start", period.start), ("period_end", period.end)):
            fields[name] = ExtractedField(
                name=name,
                value=value,
                confidence=min(base, period.confidence),
                page=period.rows[0].page_no if period.rows else None,
                bbox=bbox([c for r in period.rows for c in r.cells], period.rows[0].page_no, sizes)
                if period.rows
                else None,
                raw=period.raw,
                evidence=list(period.evidence),
            )
    if not txns:
        return
    first, last = txns[chain.order[0]], txns[chain.order[-1]]
    for name, tx, why in (("first_transaction_date", first, "首笔交易"), ("last_transaction_date", last, "末笔交易")):
        fields[name] = ExtractedField(
            name=name, value=tx.date, confidence=base, page=tx.page, source=FieldSource.DERIVED,
            evidence=[f"{why}的日期（不是印出的期间）"],
        )


def balance_fields(
    fields: dict[str, ExtractedField], read: TableRead, chain: Chain, base: float, sizes: Sizes
) -> None:
    """Opening balance from a 期初余额 row or derived from the first transaction; closing from the last; both
    compared with the chain."""
    txns = read.transactions
    if "opening_balance" not in fields and read.opening_rows:
        value, row = (read.opening_rows[-1] if chain.newest_first else read.opening_rows[0])
        fields["opening_balance"] = ExtractedField(
            name="opening_balance", value=money_text(value), confidence=base, page=row.page_no,
            bbox=row_box(row, sizes), raw=row.text, evidence=["表内期初余额行"],
        )
    if not txns:
        return
    first, last = txns[chain.order[0]], txns[chain.order[-1]]
    derived = chain.opening
    if "opening_balance" in fields and derived is not None:
        printed = fields["opening_balance"]
        agrees = printed.value == money_text(derived)
        printed.evidence.append(
            f"= 首笔余额{first.balance} − 首笔金额{first.amount}" if agrees else f"与首笔推算的期初余额{derived}不符"
        )
    elif derived is not None:
        fields["opening_balance"] = ExtractedField(
            name="opening_balance", value=money_text(derived), confidence=DERIVED, page=first.page,
            source=FieldSource.DERIVED, raw="首笔余额−首笔金额",
            evidence=[f"未印出：首笔余额{first.balance} − 首笔金额{first.amount}"],
        )
    if "closing_balance" in fields and last.balance is not None:
        printed = fields["closing_balance"]
        agrees = printed.value == money_text(last.balance)
        printed.evidence.append("= 末笔余额" if agrees else f"与末笔余额{last.balance}不符")
    elif last.balance is not None:
        chained = chain.verdicts[chain.order[-1]].status == "chained" and len(txns) > 1
        fields["closing_balance"] = ExtractedField(  # the last balance, as sure as the chain into it
            name="closing_balance", value=money_text(last.balance), confidence=base if chained else DERIVED,
            page=last.page, source=FieldSource.DERIVED, raw="末笔余额",
            evidence=["未印出：末笔余额" + ("（余额链连续至末笔）" if chained else "")],
        )
    _totals(fields, txns, base)
    fields["order"] = ExtractedField(
        name="order",
        value="newest_first" if chain.newest_first else "oldest_first",
        confidence=base,
        source=FieldSource.DERIVED,
    )


def item(
    tx: Transaction, verdict: Verdict, base: float, source: FieldSource, sizes: Sizes
) -> dict[str, ExtractedField]:
    """One transaction row as fields; amounts and balance carry the chain's verdict."""
    values = {
        "date": tx.date,
        "time": tx.time,
        "description": tx.description,
        "debit": money_text(tx.debit),
        "credit": money_text(tx.credit),
        "amount": money_text(tx.amount),
        "balance": money_text(tx.balance),
        "counterparty_name": person_name(tx.counterparty_name) if source == FieldSource.OCR else tx.counterparty_name,
        "counterparty_account": tx.counterparty_account,
    }
    row: dict[str, ExtractedField] = {}
    for name in ITEM_COLUMNS:
        cells = tx.cells.get(name) or []
        if name == "amount" and not cells:
            cells = (tx.cells.get("debit") or []) + (tx.cells.get("credit") or [])
        conf = min([base] + [c.conf for c in cells])
        evidence: list[str] = []
        checked = name == "balance" or name in _MONEY_COLUMNS
        if checked:
            capped = "balance" if name == "balance" else "amount"
            if capped in verdict.fields or verdict.status == "broken":
                conf = min(conf, verdict.cap)
            if name in ("amount", "balance"):
                evidence = list(verdict.evidence)
        if name in _MONEY_COLUMNS and tx.loose and verdict.status not in ("chained", "inferred", "reread"):
            conf = min(conf, 0.8)
        if name == "counterparty_account" and source == FieldSource.OCR:
            conf = min(conf, OCR_DIGITS)
            evidence = ["OCR读出的账号，无约束可核对"]
        if name in ("counterparty_name", "description") and source == FieldSource.OCR and values[name]:
            conf = min(conf, OCR_WORDS)
            evidence = ["OCR读出的文字，无约束可核对"]
        if name in ("counterparty_name", "description") and _STRAYED.search(values[name] or ""):
            conf = min(conf, STRAYED)
            evidence = [*evidence, "文字边上有金额或币种：可能混入了相邻列"]
        row[name] = ExtractedField.model_construct(  # a thousand rows: values are built valid, skip validation
            name=name,
            value=values[name],
            confidence=conf,
            page=tx.page,
            bbox=bbox(cells, tx.page, sizes),
            source=source,
            raw=" ".join(c.text for c in cells) or None,
            confirmed_by=[],
            evidence=evidence,
        )
    return row


def _totals(fields: dict[str, ExtractedField], txns: list[Transaction], base: float) -> None:
    """借方/贷方合计 against the sums of the rows: a total the rows add up to is confirmed (a sum of page
    subtotals then keeps the base confidence); one they do not is left for the totals rule, with the reason."""
    sums = {
        "total_debit": sum((-t.amount for t in txns if t.amount is not None and t.amount < 0), Decimal("0.00")),
        "total_credit": sum((t.amount for t in txns if t.amount is not None and t.amount > 0), Decimal("0.00")),
    }
    for name, total in sums.items():
        f = fields.get(name)
        if f is None or f.value is None:
            continue
        if Decimal(f.value) == total:
            f.evidence.append(f"= 明细{'支出' if name == 'total_debit' else '收入'}之和 {total}")
            f.confidence = max(f.confidence, base if f.source == FieldSource.DERIVED else f.confidence)
        else:
            f.evidence.append(f"≠ 明细之和 {total}")
