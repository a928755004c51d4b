"""The document schema: the one home of the domain vocabulary (fields, Chinese labels and the label texts printed
on documents, value types and parsers, constraints, four-eyes flags, authority and QR keys), per document kind.

Extractors, validators, confidence, scoring, the review UI and the API all read it; nothing else spells a field's
label or parses its value. See ``spec.py`` for the shapes and ``values.py`` for the parsers.
"""

from __future__ import annotations

import re

from idp.models.schema import bank_statement, purchase_contract, vat_invoice
from idp.models.schema.invoice_kinds import INVOICE_KINDS, KIND_NAMES, infer_kind, kind_from_code, kind_from_title
from idp.models.schema.parties import BUYER_WORDS, PARTY_LETTERS, ROLE_LABELS, ROLES, SELLER_WORDS
from idp.models.schema.spec import (
    Constraint,
    ConstraintKind,
    DocumentSchema,
    FieldSpec,
    Part,
    normalise_as,
    parse_as,
    same_value,
)
from idp.models.schema.values import ValueType

#: Every document kind's schema, by ``DocumentKind`` value.
SCHEMAS: dict[str, DocumentSchema] = {
    s.kind: s for s in (vat_invoice.SCHEMA, purchase_contract.SCHEMA, bank_statement.SCHEMA)
}
#: Second sources an extractor records beside the printed value (``qr.invoice_number``), with their names: the
#: QR code, an e-invoice file's own data, and the same value printed again elsewhere on the page. They are
#: evidence to compare with the printed value (``validators.confirmation.sources``), not fields of the document.
SECOND_SOURCES: dict[str, str] = {"qr": "二维码", "embedded": "电子文件内嵌数据", "reprint": "另一处印刷"}
#: The field-name prefixes of those second readings.
SECOND_READINGS = tuple(f"{prefix}." for prefix in SECOND_SOURCES)
_ITEM = re.compile(r"^(?:items|line_items)(?:\[(\d+)\])?\.(\w+)$")


def schema_for(kind: str | None) -> DocumentSchema | None:
    return SCHEMAS.get(str(kind or ""))


def field_spec(name: str, kind: str | None = None) -> FieldSpec | None:
    """The spec of ``name`` in ``kind``'s schema (or, with no kind, the first schema that has it);
    ``items[i].<column>`` names a line-item column; ``qr.<x>`` / ``embedded.<x>`` the field they repeat."""
    prefix, _, rest = name.partition(".")
    if prefix in SECOND_SOURCES and rest:
        name = rest
    schemas = [SCHEMAS[kind]] if kind in SCHEMAS else list(SCHEMAS.values())
    for schema in schemas:
        spec = schema.field(name)
        if spec is not None:
            return spec
    return None


def field_label(name: str, kind: str | None = None) -> str:
    """What people call a field: ``items[2].price`` → 第3行 单价, ``qr.invoice_number`` → 二维码·发票号码.

    A name no schema knows is shown as 其他字段(name) rather than passed off as a label.
    """
    prefix, _, rest = name.partition(".")
    if prefix in SECOND_SOURCES and rest:
        return f"{SECOND_SOURCES[prefix]}·{field_label(rest, kind)}"
    m = _ITEM.match(name)
    if m:
        spec = field_spec(f"items.{m.group(2)}", kind)
        column = spec.label if spec else m.group(2)
        return f"第{int(m.group(1)) + 1}行 {column}" if m.group(1) is not None else column
    spec = field_spec(name, kind)
    return spec.label if spec else f"其他字段({name})"


def four_eyes(name: str, kind: str | None = None) -> bool:
    """Whether a manual correction of ``name`` needs a second reviewer (amounts, ids, accounts, codes)."""
    m = _ITEM.match(name)
    spec = field_spec(f"items.{m.group(2)}" if m else name, kind)
    return bool(spec and spec.four_eyes)


__all__ = [
    "BUYER_WORDS",
    "INVOICE_KINDS",
    "KIND_NAMES",
    "PARTY_LETTERS",
    "ROLES",
    "ROLE_LABELS",
    "SCHEMAS",
    "SECOND_READINGS",
    "SECOND_SOURCES",
    "SELLER_WORDS",
    "Constraint",
    "ConstraintKind",
    "DocumentSchema",
    "FieldSpec",
    "Part",
    "ValueType",
    "field_label",
    "field_spec",
    "four_eyes",
    "infer_kind",
    "kind_from_code",
    "kind_from_title",
    "normalise_as",
    "parse_as",
    "same_value",
    "schema_for",
]
