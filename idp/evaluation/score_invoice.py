"""The VAT invoice scorer: header, parties, totals, footer and every line item against the truth JSON.

Also the invoice kind code (发票种类代码) a truth file implies, used both as a scored field and to group
reports by kind.
"""

from __future__ import annotations

from typing import Any

from extractors.readers.normalize import normalize_text
from idp.evaluation import truth as norm
from idp.evaluation.scoring import FieldResult, Normal, compare
from idp.models import ExtractedDocument
from idp.models.schema import infer_kind


def _text(value: object) -> str | None:
    """Texts compared in the form every reader stores (【】 and 〔〕 fold to [] and (), as ： to :), so a name
    printed with 【 is not a misread when a reader folds it."""
    return norm.text(normalize_text(str(value))) if value is not None else None


#: (truth key, extracted field, normaliser, group) of the single-valued fields.
_HEADER: tuple[tuple[str, str, Normal, str], ...] = (
    ("invoice_code", "invoice_code", norm.identifier, "header"),
    ("invoice_number", "invoice_number", norm.identifier, "header"),
    ("issue_date", "issue_date", norm.iso_date, "header"),
    ("check_code", "check_code", norm.identifier, "header"),
    ("machine_no", "machine_no", norm.identifier, "header"),
    ("amount_without_tax", "amount_without_tax", norm.amount, "totals"),
    ("tax_amount", "tax_amount", norm.amount, "totals"),
    ("total_with_tax", "total_with_tax", norm.amount, "totals"),
    ("total_in_words", "total_in_words", norm.words, "totals"),
    ("remarks", "remarks", _text, "footer"),
    ("payee", "payee", _text, "footer"),
    ("reviewer", "reviewer", _text, "footer"),
    ("drawer", "drawer", _text, "footer"),
)
#: (truth key in buyer/seller, extracted suffix, normaliser).
_PARTY: tuple[tuple[str, str, Normal], ...] = (
    ("name", "name", _text),
    ("tax_id", "tax_id", norm.identifier),
    ("address_phone", "address_phone", _text),
    ("bank_account", "bank_account", _text),
)
_ITEM: tuple[tuple[str, Normal], ...] = (
    ("name", _text),
    ("spec", _text),
    ("unit", _text),
    ("quantity", norm.amount),
    ("price", norm.amount),
    ("amount", norm.amount),
    ("tax_rate", norm.rate),
    ("tax", norm.amount),
)
def expected_kind(truth: dict[str, Any]) -> str | None:
    """The kind code the truth states (``invoice_kind_code``) or implies (its title, refined by its code)."""
    given = truth.get("invoice_kind_code")
    if given:
        return str(given)
    code = truth.get("invoice_code")
    number = truth.get("invoice_number")
    found = infer_kind(str(truth.get("invoice_kind") or "") or None, str(code) if code else None,
                       str(number) if number else None)
    return found[0] if found else None


def score_invoice(truth: dict[str, Any], doc: ExtractedDocument) -> list[FieldResult]:
    """Every value the truth gives, compared with the extraction."""
    out: list[FieldResult | None] = []
    fields = doc.fields
    kind = expected_kind(truth)
    if kind is not None and not truth.get("masked"):
        out.append(compare("invoice_kind", kind, fields.get("invoice_kind"), norm.identifier, "header"))
    for key, name, normal, group in _HEADER:
        out.append(compare(name, truth.get(key), fields.get(name), normal, group))
    for role in ("buyer", "seller"):
        party = truth.get(role) or {}
        for key, suffix, normal in _PARTY:
            name = f"{role}_{suffix}"
            out.append(compare(name, party.get(key), fields.get(name), normal, "parties"))
    items = truth.get("line_items")
    if items:
        out.append(
            FieldResult(
                name="line_items.count",
                expected=str(len(items)),
                got=str(len(doc.items)),
                correct=len(items) == len(doc.items),
                confidence=1.0,
                group="items",
            )
        )
        for index, expected in enumerate(items):
            got = doc.items[index] if index < len(doc.items) else {}
            for key, normal in _ITEM:
                out.append(
                    compare(f"line_items[{index}].{key}", expected.get(key), got.get(key), normal, "items")
                )
    return [r for r in out if r is not None]
