"""The running-balance chain: in time order every row's balance is the previous balance plus its amount.

The chain is the constraint that chooses among readings of a row. Where it breaks, the two rows around the
break are re-read: the amount's sign when none was printed (a 借/贷 flag not found) or the cell may sit in the
wrong 借/贷 column, another amount printed in the row (a cell split across a gutter), or, on OCR pages, a
digit the engine confuses (8/3/0/6, 1/7/4 …) or a dropped separator. A re-reading is taken only when it is
the one reading that makes the chain continue and the chain on its other side holds too; the row then records
what was re-read and why. A break nothing explains stays, with low confidence, for the balance rule to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.statement.cells import join_lines
from extractors.statement.rows import Transaction
from idp.models.ledger import in_time_order, printed_newest_first

#: Confidence caps: a sign the page never printed, decided by the chain on both sides of the row.
INFERRED = 0.96
#: … another amount of the row, or a sign against the printed one, confirmed on both sides.
REREAD = 0.9
#: … an OCR digit corrected by the chain, or any re-reading confirmed on one side only.
CORRECTED = 0.85
#: … a row whose balance does not continue the chain and that no re-reading explains.
BROKEN = 0.6
#: Digit pairs OCR engines confuse, not one apart (a mistyped or altered amount differs by one in a digit).
_CONFUSABLE = {frozenset(p) for p in ("08", "38", "68", "58", "09", "06", "17", "14", "49", "27", "35")}


@dataclass
class Verdict:
    """What the chain says about one transaction (by its printed index)."""

    status: str = "alone"  #: chained | inferred | reread | broken | alone (no balance or amount to check)
    cap: float = 1.0  #: the most confidence its amount and balance may keep
    evidence: list[str] = field(default_factory=list)
    fields: tuple[str, ...] = ("amount", "balance")  #: which values the cap applies to


@dataclass
class Chain:
    """Rows oldest first (printed indexes), the print order, the derived opening balance, one verdict per row."""

    order: list[int]
    newest_first: bool
    opening: Decimal | None
    verdicts: list[Verdict]


def resolve(txns: list[Transaction], *, ocr: bool, opening: Decimal | None = None) -> Chain:
    """Put the rows in time order, re-read rows where the chain breaks, and judge every row."""
    backwards = printed_newest_first(txns)
    printed = txns[::-1] if backwards else txns
    index = {id(t): k for k, t in enumerate(txns)}
    order = [index[id(t)] for t in in_time_order(printed, opening)]
    verdicts = [Verdict() for _ in txns]
    for _ in range(2):  # a repair may make the next break repairable
        for j in range(len(order)):
            if not _link(txns, order, j, opening):
                _repair(txns, order, j, opening, ocr, verdicts)
    _judge(txns, order, opening, verdicts)
    first = next((txns[k] for k in order if txns[k].balance is not None and txns[k].amount is not None), None)
    derived = first.balance - first.amount if first is not None else None  # type: ignore[operator]
    return Chain(order, backwards, derived, verdicts)


def _prev_balance(txns: list[Transaction], order: list[int], j: int, opening: Decimal | None) -> Decimal | None:
    return txns[order[j - 1]].balance if j > 0 else opening


def _link(txns: list[Transaction], order: list[int], j: int, opening: Decimal | None) -> bool:
    """Row ``j`` (in time order) continues from the one before it (or from the printed opening balance);
    True when there is nothing to compare."""
    prev, row = _prev_balance(txns, order, j, opening), txns[order[j]]
    if prev is None or row.balance is None or row.amount is None:
        return True
    return prev + row.amount == row.balance


def _holds(txns: list[Transaction], order: list[int], j: int, opening: Decimal | None) -> bool:
    """The link into row ``j`` exists and holds (a real confirmation, not the absence of one)."""
    prev, row = _prev_balance(txns, order, j, opening), txns[order[j]]
    return prev is not None and row.balance is not None and row.amount is not None and prev + row.amount == row.balance


def _judge(txns: list[Transaction], order: list[int], opening: Decimal | None, verdicts: list[Verdict]) -> None:
    for j, k in enumerate(order):
        t, v = txns[k], verdicts[k]
        if t.amount is None or t.balance is None:
            v.status, v.cap = "alone", min(v.cap, BROKEN)
            v.evidence.append("缺少金额或余额，无法用余额链核对")
            continue
        into = _holds(txns, order, j, opening)
        out = j + 1 < len(order) and _holds(txns, order, j + 1, opening)
        prev = _prev_balance(txns, order, j, opening)
        if not _link(txns, order, j, opening) or (
            j + 1 < len(order) and not _link(txns, order, j + 1, opening)
        ):
            v.status, v.cap = "broken", min(v.cap, BROKEN)
            if not _link(txns, order, j, opening):
                v.evidence.append(f"余额不连续：上笔余额{prev} {_signed(t.amount)} = {prev + t.amount}，"  # type: ignore[operator]
                                  f"印出余额{t.balance}")
            continue
        if v.status == "alone":
            v.status = "chained"
        if into:
            v.evidence.append(f"余额连续：上笔余额{prev} {_signed(t.amount)} = {t.balance}")
        elif out:
            v.evidence.append("余额与下一笔连续")
        if not (into or out):
            v.cap = min(v.cap, 0.9)
            v.evidence.append("仅此一笔，余额链无从核对")


def _signed(value: Decimal) -> str:
    return f"+ {value}" if value >= 0 else f"− {-value}"


def _repair(
    txns: list[Transaction],
    order: list[int],
    j: int,
    opening: Decimal | None,
    ocr: bool,
    verdicts: list[Verdict],
) -> None:
    """Re-read the rows either side of the break into row ``j``; apply the one re-reading that closes it."""
    prev_bal = _prev_balance(txns, order, j, opening)
    row = txns[order[j]]
    nxt = txns[order[j + 1]] if j + 1 < len(order) else None
    fixes: list[tuple[int, str, Decimal, str, float]] = []  # (index, field, value, why, cap)
    if prev_bal is not None and row.balance is not None:
        need = row.balance - prev_bal
        after = nxt is None or _holds(txns, order, j + 1, opening)
        before = j == 0 or j - 1 == 0 or _holds(txns, order, j - 1, opening)
        for why, cap in _amount_readings(row, need, ocr):
            fixes.append((order[j], "amount", need, why, cap if after and before else min(cap, CORRECTED)))
    if prev_bal is not None and row.amount is not None:
        want = prev_bal + row.amount
        confirmed = nxt is not None and nxt.amount is not None and nxt.balance == want + nxt.amount
        if confirmed or nxt is None:
            for why in _balance_readings(row, want, ocr):
                fixes.append((order[j], "balance", want, why, REREAD if confirmed else CORRECTED))
    if j > 0 and row.balance is not None and row.amount is not None:
        prev = txns[order[j - 1]]
        want = row.balance - row.amount
        before_bal = _prev_balance(txns, order, j - 1, opening)
        confirmed = before_bal is not None and prev.amount is not None and before_bal + prev.amount == want
        if confirmed or j - 1 == 0:
            for why in _balance_readings(prev, want, ocr):
                fixes.append((order[j - 1], "balance", want, why, REREAD if confirmed else CORRECTED))
    distinct = {(k, name, value) for k, name, value, _, _ in fixes}
    if len(distinct) != 1:
        return
    k, name, value, why, cap = fixes[0]
    t = txns[k]
    old = t.amount if name == "amount" else t.balance
    if name == "amount":
        t.amount = value
        t.debit, t.credit = (-value, None) if value < 0 else (None, value) if value > 0 else (None, None)
        t.sign_derived = False
    else:
        t.balance = value
    v = verdicts[k]
    v.status = "inferred" if cap >= INFERRED else "reread"
    v.cap = min(v.cap, cap)
    v.fields = ("amount",) if name == "amount" else ("balance",)
    label = "金额" if name == "amount" else "余额"
    v.evidence.append(f"{label}按余额链重读：{why}，读作{value}（原读{old}）")


def _amount_readings(row: Transaction, need: Decimal, ocr: bool) -> list[tuple[str, float]]:
    """Why the amount could be ``need`` (the balance change), with the confidence that reading keeps."""
    if row.amount is None or need == row.amount:
        return []
    out: list[tuple[str, float]] = []
    if need == -row.amount:
        if row.sign_source == "none":
            out.append(("收支方向未印出或未识别，由余额变动确定", INFERRED))
        else:
            out.append((f"方向与印出的{_SOURCES.get(row.sign_source, '')}相反，取余额变动的方向", REREAD))
    elif abs(need) in {abs(x) for x in row.tokens} and abs(need) != abs(row.balance or 0):
        out.append(("本行另一金额与余额变动相符（单元格跨列）", REREAD))
    elif ocr and _could_be(_text(row, ("amount", "debit", "credit")), need):
        out.append(("识别读数与余额变动仅差易混数字或分隔符", CORRECTED))
    return out


_SOURCES = {"column": "借/贷列", "flag": "借贷标志", "mark": "借贷记号", "sign": "正负号"}


def _balance_readings(row: Transaction, want: Decimal, ocr: bool) -> list[str]:
    if row.balance is None or row.balance == want:
        return []
    if want in row.tokens:
        return ["本行另一金额与余额链相符（单元格跨列）"]
    if ocr and _could_be(_text(row, ("balance",)), want):
        return ["识别读数与余额链仅差易混数字或分隔符"]
    return []


def _text(row: Transaction, keys: tuple[str, ...]) -> str:
    return " ".join(join_lines(row.cells[k]) for k in keys if row.cells.get(k))


def _could_be(raw: str, value: Decimal) -> bool:
    """An OCR reading of ``value``: the same digits with separators or sign misread, one confusable digit
    swapped, or one digit after the first dropped or doubled."""
    got = re.sub(r"\D", "", raw)
    want = re.sub(r"\D", "", f"{abs(value):.2f}")
    if not got or not want:
        return False
    if got == want:
        return True
    if len(got) == len(want):
        diffs = [(a, b) for a, b in zip(got, want, strict=True) if a != b]
        return len(diffs) == 1 and frozenset(diffs[0]) in _CONFUSABLE
    if abs(len(got) - len(want)) == 1:  # not the leading digit: 50.50 → 150.50 is how amounts are altered
        longer, shorter = (got, want) if len(got) > len(want) else (want, got)
        return any(longer[:i] + longer[i + 1 :] == shorter for i in range(1, len(longer)))
    return False
