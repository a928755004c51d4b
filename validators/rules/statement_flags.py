"""Red flags in a statement's transactions, reported as findings for a reviewer (never a decision):
快进快出 (a large credit leaving again within a day), round-amount transfers in and out on one day,
对倒/自转 (the holder paying itself), and a sudden balance jump (window dressing).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from difflib import SequenceMatcher
from statistics import median

from idp.models import ExtractedDocument, Finding, Severity
from validators.rules._common import finding, value
from validators.rules._statement import StatementRow, rows_of, time_order
from validators.rules.context import RuleContext

RULE_IDS = (
    "statement.fast_in_out",
    "statement.round_amounts",
    "statement.self_transfer",
    "statement.balance_jump",
)
#: Smallest credit (元) watched for 快进快出, and how close the outgoing amount must be (share of the credit).
FAST_MIN, FAST_CLOSE = Decimal("50000"), Decimal("0.01")
#: ... and how close the balance after the outflow must come back to the balance before the inflow.
FAST_BACK = Decimal("0.05")
#: Outflows that are the business's own running costs, paid through the bank's own channels (payroll, taxes,
#: social insurance, housing fund): a credit followed by one of these is not money passing through.
ORDINARY_OUTFLOW_WORDS = ("代发工资", "批量代发", "工资", "社保", "社会保险", "公积金", "税款", "缴税", "纳税", "扣税")
#: A round amount: a multiple of this (元).
ROUND_UNIT = Decimal("10000")
#: A credit at least this many times the typical balance, and at least this large, is a balance jump.
JUMP_FACTOR, JUMP_MIN = Decimal("3"), Decimal("1000000")


def compact(text: str) -> str:
    """A name as compared: NFKC (full-width brackets folded), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    rows, _ = time_order(rows_of(doc))
    return _fast(rows) + _round(rows) + _self(doc, rows) + _jump(rows)


def _fast(rows: list[StatementRow]) -> list[Finding]:
    out = []
    for i, a in enumerate(rows):
        if a.amount is None or a.amount < FAST_MIN or a.date is None:
            continue
        for b in rows[i + 1 :]:
            if b.date is None or (b.date - a.date).days > 1:
                break
            before = a.balance - a.amount if a.balance is not None else None
            back = (
                before is not None
                and b.balance is not None
                and abs(b.balance - before) <= a.amount * FAST_BACK
            )
            if (
                b.amount is not None
                and b.amount < 0
                and abs(a.amount + b.amount) <= a.amount * FAST_CLOSE
                and back
                and not _ordinary_outflow(b)
            ):
                out.append(
                    finding(
                        "statement.fast_in_out",
                        Severity.WARNING,
                        f"快进快出：{a.label}转入{a.amount}（{a.counterparty_name or '对方不明'}），"
                        f"{b.label}转出{-b.amount}（{b.counterparty_name or '对方不明'}）",
                        {"in_row": a.n, "out_row": b.n, "in_amount": a.amount, "out_amount": -b.amount},
                        [f"items[{a.n - 1}]", f"items[{b.n - 1}]"],
                    )
                )
                break
    return out


def _ordinary_outflow(row: StatementRow) -> bool:
    text = compact(f"{row.description}{row.counterparty_name or ''}")
    return any(word in text for word in ORDINARY_OUTFLOW_WORDS)


def _round(rows: list[StatementRow]) -> list[Finding]:
    by_day: dict[object, list[StatementRow]] = {}
    for r in rows:
        if r.amount is not None and r.amount != 0 and r.amount % ROUND_UNIT == 0:
            by_day.setdefault(r.date, []).append(r)
    out = []
    for day, found in by_day.items():
        if any(r.amount > 0 for r in found) and any(r.amount < 0 for r in found):  # type: ignore[operator]
            listed = "、".join(f"第{r.n}行{r.amount}" for r in found)
            out.append(
                finding(
                    "statement.round_amounts",
                    Severity.WARNING,
                    f"{day}同日整数金额转入转出：{listed}",
                    {"date": day, "rows": ",".join(str(r.n) for r in found)},
                    [f"items[{r.n - 1}]" for r in found],
                )
            )
    return out


def _self(doc: ExtractedDocument, rows: list[StatementRow]) -> list[Finding]:
    holder = value(doc, "account_holder")
    account = value(doc, "account_number")
    if holder is None and account is None:
        return []
    out = []
    for r in rows:
        same_name = holder is not None and r.counterparty_name is not None and _alike(r.counterparty_name, holder)
        same_account = (account is not None and r.counterparty_account is not None
                        and _one_digit_apart(r.counterparty_account, account))
        if same_name or same_account:
            out.append(
                finding(
                    "statement.self_transfer",
                    Severity.WARNING,
                    f"对倒/自转：{r.label}对方为账户本人「{r.counterparty_name or r.counterparty_account}」，"
                    f"金额{r.amount}",
                    {"row": r.n, "counterparty_name": r.counterparty_name, "amount": r.amount},
                    [f"items[{r.n - 1}]"],
                )
            )
    return out


#: How alike a counterparty's name must be to the holder's to count as the holder: names are read by OCR with
#: nothing to check them, so a look-alike character must not hide a transfer to oneself (and a company named
#: all but the same is a related party, worth the same look).
_SAME_HOLDER = 0.85


def _alike(name: str, holder: str) -> bool:
    a, b = compact(name), compact(holder)
    return a == b or (min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= _SAME_HOLDER)


def _one_digit_apart(a: str, b: str) -> bool:
    """The same account number, or one character misread (digit strings have no redundancy to check them)."""
    a, b = compact(a), compact(b)
    return a == b or (len(a) == len(b) >= 8 and sum(x != y for x, y in zip(a, b, strict=True)) <= 1)


def _jump(rows: list[StatementRow]) -> list[Finding]:
    balances = [r.balance for r in rows if r.balance is not None]
    if len(balances) < 5:
        return []
    typical = Decimal(median(balances))
    out = []
    for r in rows:
        if (
            r.amount is not None
            and r.amount >= JUMP_MIN
            and r.amount >= JUMP_FACTOR * max(typical, Decimal(1))
        ):
            out.append(
                finding(
                    "statement.balance_jump",
                    Severity.WARNING,
                    f"余额突增：{r.label}单笔转入{r.amount}（{r.counterparty_name or '对方不明'}），"
                    f"为账户常见余额{typical.quantize(Decimal('0.01'))}的"
                    f"{(r.amount / max(typical, Decimal(1))).quantize(Decimal('0.1'))}倍",
                    {"row": r.n, "amount": r.amount, "median_balance": typical},
                    [f"items[{r.n - 1}]"],
                )
            )
    return out
