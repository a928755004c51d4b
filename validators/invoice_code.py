"""发票代码 (invoice code), 10 digits (older 专票/普票) or 12 digits (普票 since 2018, e-invoices).

10 digits ``AAAA YY B T L V``: region, printing year, batch, kind (pos 8), copies, version.
12 digits ``0 AAAA YY BBB KK``: VAT system flag, region, year, batch, kind and copies (pos 11-12).
The kind inference follows domain.md §1.3/§1.4 (the national platform's ``getFplx`` logic).
数电票 have no code at all.

>>> validate('012001800211')
'012001800211'
>>> get_kind('012001800211'), get_year('012001800211')
('10', 2018)
>>> get_kind('1200154130')
'01'
"""

from __future__ import annotations

from idp.errors import FieldInvalid, InvalidFormat, InvalidLength
from idp.models.schema import kind_from_code


def compact(number: str) -> str:
    """Remove spaces and dashes; turn full-width digits into ASCII."""
    number = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in str(number))
    return "".join(number.split()).replace("-", "")


def validate(number: str) -> str:
    """Check that the code has 10 or 12 digits; return it compacted or raise."""
    number = compact(number)
    if not number.isdigit():
        raise InvalidFormat(f"发票代码「{number}」应全为数字 (invoice code must be digits)")
    if len(number) not in (10, 12):
        raise InvalidLength(
            f"发票代码应为10或12位，实际{len(number)}位 (invoice code must have 10 or 12 digits)"
        )
    return number


def is_valid(number: str) -> bool:
    """Check if the code is well formed; never raises."""
    try:
        return bool(validate(number))
    except (FieldInvalid, TypeError):
        return False


def get_kind(number: str) -> str | None:
    """Return the 发票种类代码 implied by the code (e.g. ``10``, ``04``, ``01``), or None if unknown."""
    return kind_from_code(validate(number))


def get_year(number: str) -> int:
    """Return the (printing) year encoded in the code, e.g. 2018."""
    number = validate(number)
    yy = number[4:6] if len(number) == 10 else number[5:7]
    return 2000 + int(yy)


def format(number: str) -> str:  # noqa: A001 - stdnum's module surface
    """Return the standard presentation (the compact form)."""
    return compact(number)


def get_province(number: str) -> str:
    """Return the 2-digit province (GB/T 2260) of the region the code was issued for, e.g. ``"12"``.

    >>> get_province('012001800211'), get_province('1100094140')
    ('12', '11')
    """
    number = validate(number)
    return number[0:2] if len(number) == 10 else number[1:3]
