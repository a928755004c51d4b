"""纳税人识别号 (taxpayer identification number) in its printed forms, as found on invoices.

* 18 characters: a USCC (see :mod:`validators.uscc`), or on 数电票 a natural person's resident ID (GB 11643);
* 15 characters: legacy form, 6-digit region code + 9-character organisation code (with its check character);
* 20 / 17 characters: individual businesses, an 18- or 15-digit resident ID number followed by 2 digits.

>>> validate('91110000600037341L')
'91110000600037341L'
>>> get_kind('110000600037341')
'legacy'
>>> is_valid('9111000060003734')
False
"""

from __future__ import annotations

from stdnum.cn import ric as _stdnum_ric

from idp.errors import FieldInvalid, InvalidChecksum, InvalidFormat, InvalidLength
from validators import uscc

#: Lengths a taxpayer id may have.
LENGTHS = (15, 17, 18, 20)


def compact(number: str) -> str:
    """Remove spaces and dashes, upper-case, and turn full-width characters into ASCII."""
    return uscc.compact(number)


def get_kind(number: str) -> str:
    """Return ``uscc``, ``resident_id``, ``legacy`` or ``individual`` by shape (does not validate)."""
    number = compact(number)
    if len(number) == 18:
        return "resident_id" if _looks_like_resident_id(number) else "uscc"
    if len(number) == 15:
        return "legacy"
    if len(number) in (17, 20):
        return "individual"
    raise InvalidLength(f"纳税人识别号长度{len(number)}位，应为15、17、18或20位 (invalid taxpayer id length)")


def _looks_like_resident_id(number: str) -> bool:
    return number[:17].isdigit() and not uscc.is_valid(number) and _stdnum_ric.is_valid(number)


def validate(number: str) -> str:
    """Check the number by its form; return the compact number or raise a :class:`FieldInvalid`."""
    number = compact(number)
    kind = get_kind(number)
    if kind == "uscc":
        return uscc.validate(number)
    if kind == "resident_id":
        return number
    if kind == "legacy":
        if not number[:6].isdigit() or any(c not in uscc.ALPHABET + "X" for c in number[6:]):
            raise InvalidFormat("15位纳税人识别号格式错误 (invalid legacy taxpayer id)")
        if uscc.calc_org_check_digit(number[6:14]) != number[14]:
            raise InvalidChecksum("15位纳税人识别号中组织机构代码校验位错误 (org code check digit mismatch)")
        return number
    person, suffix = number[:-2], number[-2:]
    if not suffix.isdigit() or not person[:-1].isdigit():
        raise InvalidFormat("个体工商户纳税人识别号格式错误 (invalid individual taxpayer id)")
    if len(person) == 18 and not _stdnum_ric.is_valid(person):
        raise InvalidChecksum("纳税人识别号中的身份证号校验位错误 (resident id check digit mismatch)")
    if len(person) == 15 and not person.isdigit():
        raise InvalidFormat("个体工商户纳税人识别号格式错误 (invalid individual taxpayer id)")
    return number


def is_valid(number: str) -> bool:
    """Check if the number is a valid taxpayer id; never raises."""
    try:
        return bool(validate(number))
    except (FieldInvalid, ValueError, TypeError):
        return False


def format(number: str) -> str:  # noqa: A001 - stdnum's module surface
    """Return the standard presentation (the compact form)."""
    return compact(number)
