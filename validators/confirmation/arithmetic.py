"""Confirmation by arithmetic: the constraints of the document's schema that hold confirm the values in them.

Σ line amounts = the total, amount + tax = 价税合计, 大写 = 小写, qty × price = amount, amount × rate = tax, the
running balance of a statement, and the check character of a USCC: a misread digit breaks an identity it takes
part in, so a value in an identity that holds is far more likely right than its reader alone says. Values the
extractor derived from the others (``FieldSource.DERIVED``) gain nothing from the identity they came from.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from idp.models import Confirmation, ExtractedDocument, ExtractedField, FieldSource
from idp.models.ledger import follows
from idp.models.schema import Constraint, ConstraintKind, field_label, schema_for
from idp.models.schema.values import parse_date, parse_decimal, parse_money, rate_fraction
from idp.models.schema.words import words_value
from validators import taxpayer_id
from validators.confirmation.core import CHECK_HOLDS, STRUCTURE_HOLDS, confirm
from validators.rules._statement import StatementRow, chain, rows_of

_CENT = Decimal("0.01")
_A = Confirmation.ARITHMETIC


def _money(field: ExtractedField | None) -> Decimal | None:
    return parse_money(field.value) if field is not None else None


def _number(field: ExtractedField | None) -> Decimal | None:
    return parse_decimal(field.value) if field is not None else None


def _close(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) <= tolerance


def _why(c: Constraint) -> str:
    return f"算术校验成立: {c.description or c.id}"


def _sum_of_items(doc: ExtractedDocument, c: Constraint) -> None:
    assert c.target and c.item_field
    total = _money(doc.fields.get(c.target))
    parts = [_money(item.get(c.item_field)) for item in doc.items]
    if total is None or not parts or any(p is None for p in parts):
        return
    if _close(sum((p for p in parts if p is not None), Decimal("0.00")), total, c.tolerance):
        confirm(doc.fields.get(c.target), _A, _why(c), CHECK_HOLDS)
        for item in doc.items:
            confirm(item.get(c.item_field), _A, _why(c), CHECK_HOLDS)


def _adds_up(doc: ExtractedDocument, c: Constraint) -> None:
    assert c.target
    parts = [_money(doc.fields.get(n)) for n in c.fields]
    total = _money(doc.fields.get(c.target))
    if total is None or any(p is None for p in parts):
        return
    if _close(sum((p for p in parts if p is not None), Decimal("0.00")), total, c.tolerance):
        for name in (*c.fields, c.target):
            confirm(doc.fields.get(name), _A, _why(c), CHECK_HOLDS)


def _words_equal(doc: ExtractedDocument, c: Constraint) -> None:
    assert c.target
    words = doc.fields.get(c.fields[0])
    figures = _money(doc.fields.get(c.target))
    if words is not None and figures is not None and words_value(words.value) == figures:
        confirm(words, _A, _why(c), CHECK_HOLDS)
        confirm(doc.fields.get(c.target), _A, _why(c), CHECK_HOLDS)


def _line_product(doc: ExtractedDocument, c: Constraint) -> None:
    assert c.target
    for item in doc.items:
        qty, price = (_number(item.get(n)) for n in c.fields)
        amount = _money(item.get(c.target))
        if qty is None or price is None or amount is None:
            continue
        if abs(qty * price - amount) <= max(_CENT, abs(amount) * Decimal("1e-6")):
            for name in (*c.fields, c.target):
                confirm(item.get(name), _A, _why(c), CHECK_HOLDS)


def _line_tax(doc: ExtractedDocument, c: Constraint) -> None:
    assert c.target
    for item in doc.items:
        amount_field, rate_field = (item.get(n) for n in c.fields)
        amount, rate = _money(amount_field), rate_fraction(rate_field.value if rate_field else None)
        tax = _money(item.get(c.target))
        if amount is None or rate is None or tax is None or (tax == 0 and rate != 0):
            continue
        if (amount * rate).quantize(_CENT, rounding=ROUND_HALF_UP) == tax:
            confirm(item.get(c.target), _A, _why(c), CHECK_HOLDS)
            confirm(rate_field, _A, _why(c), CHECK_HOLDS)


def _running_balance(doc: ExtractedDocument, c: Constraint) -> None:
    """Every row whose balance follows from the previous one by its amount; the printed opening and closing
    balances when the first and last rows agree with them."""
    rows = rows_of(doc)
    if not rows:
        return
    ordered = chain(rows)
    broken = {row.n for pair in ordered.breaks for row in pair[:2]} | {r.n for r in ordered.incomplete}
    why = _why(c)
    for prev, row in zip(ordered.rows, ordered.rows[1:], strict=False):
        if row.n in broken or prev.n in broken or None in (prev.balance, row.balance, row.amount):
            continue
        if prev.balance + row.amount == row.balance:  # type: ignore[operator]
            _confirm_row(doc.items[row.n - 1], why)
            # a misread previous balance would break this very equation
            confirm(doc.items[prev.n - 1].get("balance"), _A, f"{why}(下一笔由此余额推得)", CHECK_HOLDS)
    first, last = ordered.rows[0], ordered.rows[-1]
    opening, closing = c.fields
    if first.balance is not None and first.amount is not None and \
            _money(doc.fields.get(opening)) == first.balance - first.amount:
        row = doc.items[first.n - 1]
        printed = doc.fields[opening].source != FieldSource.DERIVED
        if printed:  # the printed opening balance chains into the first row
            _confirm_row(row, f"{why}(期初余额 ± 首笔发生额 = 首笔余额)")
        _settle(doc.fields.get(opening), [row.get("balance"), _amount(row)], f"{why}(期初 = 首笔余额 − 首笔发生额)")
    if last.balance is not None and _money(doc.fields.get(closing)) == last.balance and not ordered.breaks:
        _settle(doc.fields.get(closing), [doc.items[last.n - 1].get("balance")], f"{why}(期末 = 末笔余额)")
    _totals(doc, ordered.rows, why)


def _totals(doc: ExtractedDocument, rows: list[StatementRow], why: str) -> None:
    """贷方/借方合计 that the rows add up to: a derived total is as sure as its rows; a printed one is confirmed
    and confirms every row in it (a misread row would break the printed sum)."""
    for name, sign in (("total_credit", 1), ("total_debit", -1)):
        moved = [r for r in rows if r.amount is not None and r.amount * sign > 0]
        summed = sum((r.amount * sign for r in moved if r.amount is not None), Decimal("0.00"))
        total = doc.fields.get(name)
        if not moved or total is None or _money(total) != summed:
            continue
        direction = "收入" if sign > 0 else "支出"
        _settle(total, [_amount(doc.items[r.n - 1]) for r in moved], f"{why}(= 各笔{direction}之和)")
        if total.source == FieldSource.DERIVED:
            continue
        printed = f"算术校验成立: 各笔{direction}之和 = 印刷的{field_label(name, doc.kind.value)}"
        for r in moved:
            for key in ("amount", "credit" if sign > 0 else "debit"):
                confirm(doc.items[r.n - 1].get(key), _A, printed, CHECK_HOLDS)


def _spans_items(doc: ExtractedDocument, c: Constraint) -> None:
    """A printed period that bounds every row, its start in the month of the first row and its end in the month
    of the last: a misread year or month breaks it. A misread day inside that month does not, so this is a
    structural confirmation (weaker than an identity), enough to gate on but not to lift a doubtful reading."""
    assert c.item_field
    first_key, last_key = c.fields
    start, end = (parse_date(doc.value(k)) for k in c.fields)
    days = [parse_date(item[c.item_field].value) if c.item_field in item else None for item in doc.items]
    if start is None or end is None or not days or None in days:
        return
    dated = [d for d in days if d is not None]
    first, last = min(dated), max(dated)
    if not start <= first <= last <= end:
        return
    if (first.year, first.month) == (start.year, start.month):
        confirm(doc.fields.get(first_key), _A, f"{_why(c)}(首笔交易 {first})", STRUCTURE_HOLDS)
    if (last.year, last.month) == (end.year, end.month):
        confirm(doc.fields.get(last_key), _A, f"{_why(c)}(末笔交易 {last})", STRUCTURE_HOLDS)


def _items_in_order(doc: ExtractedDocument, c: Constraint) -> None:
    """A row's date between the dates of the rows before and after it, in the order the balances chain: banks
    print rows by time and the chain proves this order, so a misread date that leaves its place breaks it. A date
    its neighbours share is pinned (any misread breaks it, an identity); one between two different days is only
    bounded (structural). The first and last rows are bounded by the printed period on their open side."""
    assert c.item_field
    ordered = chain(rows_of(doc)).rows
    if len(ordered) < 2:
        return
    start, end = (parse_date(doc.value(k)) for k in c.fields)
    for k, row in enumerate(ordered):
        before = ordered[k - 1] if k > 0 else None
        after = ordered[k + 1] if k + 1 < len(ordered) else None
        if (before is not None and not follows(before.balance, row)) or \
                (after is not None and not follows(row.balance, after)):
            continue  # where the chain breaks it proves no order
        lo = before.date if before is not None else start
        hi = after.date if after is not None else end
        if row.date is None or lo is None or hi is None or not lo <= row.date <= hi:
            continue
        if lo == hi:
            confirm(doc.items[row.n - 1].get(c.item_field), _A, f"{_why(c)}(前后两笔同为 {lo})", CHECK_HOLDS)
        else:
            confirm(doc.items[row.n - 1].get(c.item_field), _A, f"{_why(c)}(介于 {lo} 与 {hi} 之间)",
                    STRUCTURE_HOLDS)


def _confirm_row(item: dict[str, ExtractedField], why: str) -> None:
    """A row whose balance follows from the one before: its balance and its amount (however printed)."""
    for key in ("balance", "amount", "credit", "debit"):
        confirm(item.get(key), _A, why, CHECK_HOLDS)


def _amount(item: dict[str, ExtractedField]) -> ExtractedField | None:
    return item.get("amount") or item.get("credit") or item.get("debit")


def _settle(field: ExtractedField | None, inputs: list[ExtractedField | None], why: str) -> None:
    """A value the identity holds for: a printed one is confirmed; one the extractor worked out from these
    very inputs (``DERIVED``) is exactly as sure as the least sure of them, and says so."""
    if field is None or not field.value:
        return
    if field.source != FieldSource.DERIVED:
        confirm(field, _A, why, CHECK_HOLDS)
        return
    known = [f.confidence for f in inputs if f is not None]
    if known and why not in field.evidence:
        field.confidence = min(known)
        field.confirm(_A, why)


_CHECKS: dict[ConstraintKind, Callable[[ExtractedDocument, Constraint], None]] = {
    ConstraintKind.SUM_OF_ITEMS: _sum_of_items,
    ConstraintKind.ADDS_UP: _adds_up,
    ConstraintKind.WORDS_EQUAL: _words_equal,
    ConstraintKind.LINE_PRODUCT: _line_product,
    ConstraintKind.LINE_TAX: _line_tax,
    ConstraintKind.RUNNING_BALANCE: _running_balance,
    ConstraintKind.SPANS_ITEMS: _spans_items,
    ConstraintKind.ITEMS_IN_ORDER: _items_in_order,
}


def confirm_arithmetic(doc: ExtractedDocument) -> None:
    """Apply every constraint of the document's schema that holds, in place; then the USCC check characters."""
    schema = schema_for(doc.kind.value)
    for constraint in schema.constraints if schema else ():
        check = _CHECKS.get(constraint.kind)
        if check is not None:
            check(doc, constraint)
    for name, field in doc.fields.items():
        if name.endswith("tax_id") and field.value and len(field.value) == 18 and taxpayer_id.is_valid(field.value):
            # a misread breaks the check character 30 times in 31
            confirm(field, _A, "统一社会信用代码校验位正确", CHECK_HOLDS)
