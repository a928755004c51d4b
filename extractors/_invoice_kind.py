"""The 发票种类代码 (invoice kind) of an invoice, from its printed title refined by its invoice code.

Follows domain.md §1.3/§1.4; the title decides the family, the code may refine it (电子普票 → 通行费 14).
validators.invoice_code has the same code table for checking; the two packages must not import each other.
"""

from __future__ import annotations

import re

#: Title family → (default kind, kinds the invoice code may refine it to); the first match wins.
_TITLE_KINDS = (
    (re.compile(r"电子发票[(（]增值税专用发票"), "31", ()),
    (re.compile(r"电子发票[(（]普通发票"), "32", ()),
    (re.compile(r"通行费"), "14", ("14",)),
    (re.compile(r"电子专用发票"), "08", ("08",)),
    (re.compile(r"电子普通发票"), "10", ("10", "14")),
    (re.compile(r"卷"), "11", ("11",)),
    (re.compile(r"专用发票"), "01", ("01",)),
    (re.compile(r"普通发票"), "04", ("04", "11")),
)
#: 12-digit code positions 11-12 → kind; 10-digit code position 8 → kind.
_KIND_12 = {"11": "10", "12": "14", "04": "04", "05": "04", "06": "11", "07": "11", "13": "08", "17": "15"}
_KIND_10 = {"1": "01", "5": "01", "3": "04", "6": "04", "2": "02", "7": "02"}
#: Early e-invoice codes the national platform maps to 10 whatever their suffix.
_SPECIAL_ELECTRONIC = frozenset({"144031539110", "131001570151", "133011501118", "111001571071"})


def code_kind(code: str) -> str | None:
    """The kind a 10- or 12-digit invoice code implies, or None."""
    if not code.isdigit() or len(code) not in (10, 12):
        return None
    if len(code) == 10:
        return _KIND_10.get(code[7])
    if code in _SPECIAL_ELECTRONIC:
        return "10"
    if code[0] == "0":
        return _KIND_12.get(code[10:12])
    return "03" if code[7] == "2" else None


def infer_kind(title: str | None, code: str | None, number: str | None) -> tuple[str, float, str] | None:
    """``(kind, confidence, source field name)``; None when neither title nor code says anything."""
    from_code = code_kind(code) if code else None
    from_title: str | None = None
    refinable: tuple[str, ...] = ()
    for pattern, kind, refines in _TITLE_KINDS:
        if title and pattern.search(title):
            from_title, refinable = kind, refines
            break
    if from_title is None and not code and number and len(number) == 20:
        return "32", 0.7, "invoice_number"  # a 20-digit number without a title: most 数电票 are 普票
    if from_title in ("31", "32") and not code and number and len(number) == 20:
        return from_title, 0.99, "invoice_title"  # the title and the 20-digit number agree
    if from_title and from_code in refinable:
        return str(from_code), 0.99, "invoice_title"  # the title and the code agree
    if from_title:
        return from_title, 0.9 if not from_code else 0.6, "invoice_title"
    if from_code:
        return from_code, 0.8, "invoice_code"
    return None
