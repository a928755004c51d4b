"""The purchase-contract scorer: number, dates, parties (by role, not letter), totals, seals, goods lines.

Key fields (what the targets count): number, parties' names and ids, signing date, total, both seals.
"""

from __future__ import annotations

from typing import Any

from idp.evaluation import truth as norm
from idp.evaluation.scoring import FieldResult, Normal, compare
from idp.models import ExtractedDocument

#: Fields the targets call "key" (group ``key``); the rest are scored in their own groups.
KEY_FIELDS = (
    "contract_number",
    "sign_date",
    "buyer_name",
    "buyer_tax_id",
    "seller_name",
    "seller_tax_id",
    "total_amount",
    "seal_buyer",
    "seal_seller",
)
_HEADER: tuple[tuple[str, str, Normal], ...] = (
    ("contract_number", "contract_number", norm.identifier),
    ("sign_date", "sign_date", norm.iso_date),
    ("sign_place", "sign_place", norm.text),
    ("total_amount", "total_amount", norm.amount),
    ("total_in_words", "total_in_words", norm.words),
    ("delivery_date", "delivery_date", norm.iso_date),
    ("valid_until", "valid_until", norm.iso_date),
    ("tax_rate", "tax_rate", norm.rate),
)
_PARTY: tuple[tuple[str, Normal], ...] = (
    ("name", norm.text),
    ("tax_id", norm.identifier),
    ("legal_rep", norm.text),
    ("address", norm.text),
    ("contact", norm.text),
    ("phone", norm.identifier),
)
_ITEM: tuple[tuple[str, Normal], ...] = (
    ("name", norm.text),
    ("spec", norm.text),
    ("unit", norm.text),
    ("quantity", norm.amount),
    ("price", norm.amount),
    ("amount", norm.amount),
)


def _flag(value: object) -> str | None:
    if value is None:
        return None
    return "true" if str(value).lower() in ("true", "1", "yes") else "false"


def score_contract(truth: dict[str, Any], doc: ExtractedDocument) -> list[FieldResult]:
    out: list[FieldResult] = []

    def add(name: str, expected: object, field_name: str, normal: Normal, group: str) -> None:
        found = compare(
            name, expected, doc.fields.get(field_name), normal, "key" if field_name in KEY_FIELDS else group
        )
        if found is not None:
            out.append(found)

    for key, name, normal in _HEADER:
        add(key, truth.get(key), name, normal, "header")
    for role in ("buyer", "seller"):
        party = truth.get(role) or {}
        for key, normal in _PARTY:
            add(f"{role}.{key}", party.get(key), f"{role}_{key}", normal, "parties")
    seals = truth.get("seals") or {}
    for role in ("buyer", "seller"):
        add(f"seals.{role}", seals.get(role), f"seal_{role}", _flag, "seals")
    signatures = truth.get("signatures") or {}
    for role in ("buyer", "seller"):
        add(f"signatures.{role}", signatures.get(role), f"signature_{role}", _flag, "signatures")
    items = doc.items
    for i, line in enumerate(truth.get("line_items") or []):
        item = items[i] if i < len(items) else {}
        for key, normal in _ITEM:
            found = compare(f"line_items[{i}].{key}", line.get(key), item.get(key), normal, "items")
            if found is not None:
                out.append(found)
    return out
