"""The bank statement scorer: header values, then every column of every transaction row, rows aligned by
content (so a missed or extra row costs only itself), plus one ``rows`` result per row that is right only
when every column of that row is.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from idp.evaluation import truth as norm
from idp.evaluation.scoring import FieldResult, Normal, compare
from idp.models import ExtractedDocument, ExtractedField

#: (truth key, extracted field, normaliser, group) of the header values.
_HEADER: tuple[tuple[str, str, Normal, str], ...] = (
    ("bank", "bank", norm.text, "header"),
    ("account_holder", "account_holder", norm.text, "header"),
    ("account_number", "account_number", norm.identifier, "header"),
    ("account_number_masked", "account_number", norm.identifier, "header"),
    ("currency", "currency", norm.identifier, "header"),
    ("period_start", "period_start", norm.iso_date, "header"),
    ("period_end", "period_end", norm.iso_date, "header"),
    ("opening_balance", "opening_balance", norm.amount, "balances"),
    ("closing_balance", "closing_balance", norm.amount, "balances"),
)
#: Transaction columns and how they compare.
COLUMNS: tuple[tuple[str, Normal], ...] = (
    ("date", norm.iso_date),
    ("time", norm.text),
    ("description", norm.text),
    ("amount", norm.amount),
    ("balance", norm.amount),
    ("counterparty_name", norm.text),
    ("counterparty_account", norm.identifier),
)


def score_statement(truth: dict[str, Any], doc: ExtractedDocument) -> list[FieldResult]:
    out: list[FieldResult] = []
    for key, name, normal, group in _HEADER:
        found = compare(key, truth.get(key), doc.fields.get(name), normal, group)
        if found is not None:
            out.append(found)
    rows = list(truth.get("transactions") or [])
    items = _aligned(rows, doc.items)
    for i, (row, item) in enumerate(zip(rows, items, strict=True)):
        results = []
        for key, normal in COLUMNS:
            found = compare(
                f"transactions[{i}].{key}", row.get(key), (item or {}).get(key), normal, "transactions"
            )
            if found is not None:
                results.append(found)
        out += results
        out.append(
            FieldResult(
                name=f"rows[{i}]",
                expected="exact",
                got="exact" if all(r.correct for r in results) else "differs",
                correct=bool(results) and all(r.correct for r in results),
                confidence=min((r.confidence for r in results), default=0.0),
                group="rows",
            )
        )
    return out


def _key(date: object, amount: object, balance: object) -> tuple[object, ...]:
    return norm.iso_date(date), norm.amount(amount), norm.amount(balance)


def _aligned(
    rows: list[dict[str, Any]], items: list[dict[str, ExtractedField]]
) -> list[dict[str, ExtractedField] | None]:
    """For each truth row the extracted row it corresponds to (None if missed); newest-first prints are
    matched in whichever direction fits better."""
    truth_keys = [_key(r.get("date"), r.get("amount"), r.get("balance")) for r in rows]

    def item_key(it: dict[str, ExtractedField]) -> tuple[object, ...]:
        return _key(*(it[k].value if k in it else None for k in ("date", "amount", "balance")))

    best: list[dict[str, ExtractedField] | None] = [None] * len(rows)
    best_hits = -1
    for candidate in (items, items[::-1]):
        keys = [item_key(it) for it in candidate]
        matcher = SequenceMatcher(a=truth_keys, b=keys, autojunk=False)
        found: list[dict[str, ExtractedField] | None] = [None] * len(rows)
        hits = 0
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                for k in range(i2 - i1):
                    found[i1 + k] = candidate[j1 + k]
                hits += (i2 - i1) if tag == "equal" else 0
        if hits > best_hits:
            best, best_hits = found, hits
    return best
