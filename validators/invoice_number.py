"""发票号码 (invoice number): 8 digits on 税控 invoices, 20 digits on 数电票 (全电发票).

20 digits: pos 1-2 the last two digits of the year, 3-4 the province code, 5 the issuing channel,
6-20 a sequence (domain.md §1.5).

>>> validate('23326471')
'23326471'
>>> get_year('24420000000012345678')
2024
"""

from __future__ import annotations

from idp.errors import FieldInvalid, InvalidFormat, InvalidLength


def compact(number: str) -> str:
    """Remove spaces; turn full-width digits into ASCII."""
    number = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in str(number))
    return "".join(number.split())


def validate(number: str) -> str:
    """Check that the number has 8 or 20 digits; return it compacted or raise."""
    number = compact(number)
    if not number.isdigit():
        raise InvalidFormat(f"发票号码「{number}」应全为数字 (invoice number must be digits)")
    if len(number) not in (8, 20):
        raise InvalidLength(
            f"发票号码应为8或20位，实际{len(number)}位 (invoice number must have 8 or 20 digits)"
        )
    return number


def is_valid(number: str) -> bool:
    """Check if the number is well formed; never raises."""
    try:
        return bool(validate(number))
    except (FieldInvalid, TypeError):
        return False


def is_fully_digital(number: str) -> bool:
    """True for a 20-digit 数电票 number."""
    return is_valid(number) and len(compact(number)) == 20


def get_year(number: str) -> int | None:
    """Return the issue year encoded in a 20-digit number, None for an 8-digit one."""
    number = validate(number)
    return 2000 + int(number[:2]) if len(number) == 20 else None


def format(number: str) -> str:  # noqa: A001 - stdnum's module surface
    """Return the standard presentation (the compact form)."""
    return compact(number)


def get_province(number: str) -> str | None:
    """Return the 2-digit province code of a 20-digit number (pos 3-4), None for an 8-digit one.

    >>> get_province('23512000000058396237')
    '51'
    """
    number = validate(number)
    return number[2:4] if len(number) == 20 else None
