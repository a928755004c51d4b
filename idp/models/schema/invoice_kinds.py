"""发票种类代码 (invoice kinds, as verification APIs number them): names, the titles they are printed under,
and what the invoice code and number say about the kind (domain.md §1.1-§1.5). The one table every layer uses.

>>> kind_from_title("电子发票（普通发票）")
'32'
>>> kind_from_code("012001800211")
'10'
>>> infer_kind("增值税电子普通发票", "011001900211", None)
('10', 0.99, 'invoice_title')
>>> infer_kind("天津增值普通发票", "012001800211", None)  # 税电子 under the stamp
('10', 0.9, 'invoice_code')
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class InvoiceKind:
    code: str
    name: str  #: Chinese name as the tax authority uses it
    title: re.Pattern[str]  #: matches the printed title (spaces removed)
    #: Kinds the invoice code may refine this title to (the title decides the family, the code the member).
    refines_to: tuple[str, ...] = ()
    fully_digital: bool = False  #: 数电票: 20-digit number, no code, check code or machine number
    special: bool = False  #: 专用发票 family (input VAT deductible; verification sends the net amount)


#: Title patterns are tried in this order; the first match wins (more specific titles first).
INVOICE_KINDS: tuple[InvoiceKind, ...] = (
    InvoiceKind("31", "数电票（增值税专用发票）", re.compile(r"电子发票[(（]?增值税专用发票|数电.{0,4}专"),
                fully_digital=True, special=True),
    InvoiceKind("32", "数电票（普通发票）", re.compile(r"电子发票[(（]?普通发票|数电"), fully_digital=True),
    InvoiceKind("14", "通行费电子普通发票", re.compile(r"通行费"), ("14",)),
    InvoiceKind("08", "增值税电子专用发票", re.compile(r"电子专用发票"), ("08",), special=True),
    InvoiceKind("10", "增值税电子普通发票", re.compile(r"电子普通发票"), ("10", "14")),
    InvoiceKind("11", "增值税普通发票（卷式）", re.compile(r"卷式?"), ("11",)),
    InvoiceKind("03", "机动车销售统一发票", re.compile(r"机动车销售统一发票"), ("03",)),
    InvoiceKind("15", "二手车销售统一发票", re.compile(r"二手车"), ("15",)),
    InvoiceKind("02", "货物运输业增值税专用发票", re.compile(r"货物运输"), ("02",), special=True),
    InvoiceKind("01", "增值税专用发票", re.compile(r"专用发票"), ("01",), special=True),
    InvoiceKind("04", "增值税普通发票", re.compile(r"普通发票"), ("04", "11")),
)
KIND_NAMES: dict[str, str] = {k.code: k.name for k in INVOICE_KINDS}
_BY_CODE = {k.code: k for k in INVOICE_KINDS}
#: 12-digit code positions 11-12 → kind; 10-digit code position 8 → kind (domain.md §1.3, §1.4).
_KIND_12 = {"11": "10", "12": "14", "04": "04", "05": "04", "06": "11", "07": "11", "13": "08", "17": "15"}
_KIND_10 = {"1": "01", "5": "01", "3": "04", "6": "04", "2": "02", "7": "02"}
#: A paper title and the e-invoices of its family: the 监制章 printed over the middle of an e-invoice's title hides
#: 电子 (and often 税) from OCR on a photo, which then reads a paper title (天津增值…普通发票).
_ELECTRONIC_OF = {"04": ("10", "14"), "01": ("08",)}
#: Early e-invoice codes the national platform maps to 10 whatever their suffix.
SPECIAL_ELECTRONIC_CODES = frozenset({"144031539110", "131001570151", "133011501118", "111001571071"})


def kind(code: str | None) -> InvoiceKind | None:
    return _BY_CODE.get(code or "")


def kind_name(code: str | None) -> str:
    """The Chinese name of a kind code, or the code itself when unknown."""
    return KIND_NAMES.get(code or "", code or "")


def kind_from_title(title: str | None) -> str | None:
    compact = "".join((title or "").split())
    for k in INVOICE_KINDS:
        if compact and k.title.search(compact):
            return k.code
    return None


def kind_from_code(code: str | None) -> str | None:
    """The kind a 10- or 12-digit invoice code implies, or None."""
    if not code or not code.isdigit() or len(code) not in (10, 12):
        return None
    if len(code) == 10:
        return _KIND_10.get(code[7])
    if code in SPECIAL_ELECTRONIC_CODES:
        return "10"
    if code[0] == "0":
        return _KIND_12.get(code[10:12])
    return "03" if code[7] == "2" else None


def printed_twice(title: str | None, code: str | None) -> str | None:
    """The kind when the title and the invoice code each say it (the code's kind is one the title's family
    refines to): two prints of the same fact; None when either is silent or they differ.

    >>> printed_twice("陕西增值税电子普通发票", "061002394911")
    '10'
    >>> printed_twice("增值税普通发票", "061002394911") is None
    True
    """
    from_code, from_title = kind_from_code(code), kind_from_title(title)
    if from_code is None or from_title is None:
        return None
    return from_code if from_code in _BY_CODE[from_title].refines_to else None


def infer_kind(title: str | None, code: str | None, number: str | None) -> tuple[str, float, str] | None:
    """``(kind, confidence, field it rests on)`` from the printed title, refined by the code and the number.

    A 20-digit number with no code is a 数电票 whatever the title's wording: a paper-looking title read from
    an image of a 数电票 (special / ordinary family) becomes 31 / 32.
    """
    from_code = kind_from_code(code)
    from_title = kind_from_title(title)
    digital_number = bool(number and len(number) == 20 and not code)
    if digital_number:
        if from_title in ("31", "32"):
            return from_title, 0.99, "invoice_title"
        if from_title is not None:
            family = "31" if _BY_CODE[from_title].special else "32"
            return family, 0.95, "invoice_title"
        return "32", 0.7, "invoice_number"  # a 20-digit number without a title: most 数电票 are 普票
    if from_title is None:
        return (from_code, 0.8, "invoice_code") if from_code else None
    refinable = _BY_CODE[from_title].refines_to
    if from_code in refinable:
        return str(from_code), 0.99, "invoice_title"  # the title and the code agree
    if from_code in _ELECTRONIC_OF.get(from_title, ()):
        return str(from_code), 0.9, "invoice_code"  # 电子 hidden under the title's stamp: the code says which
    return from_title, 0.9 if not from_code else 0.6, "invoice_title"
