"""USCC (统一社会信用代码, Unified Social Credit Code, GB 32100-2015).

Wraps ``stdnum.cn.uscc`` and also accepts the non-digit registration-authority prefixes (``A``, ``N``,
``Y``) that stdnum rejects, with the same MOD 31 checksum. 18 characters:

* 1: 登记管理部门 (1-9, A, N, Y), 2: 机构类别,
* 3-8: 登记管理机关行政区划码 (GB/T 2260, 6 digits),
* 9-17: 主体标识码 (组织机构代码, GB 11714; char 17 is its own check character),
* 18: check character over the charset ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z).

>>> validate('91110000600037341L')
'91110000600037341L'
>>> validate('Y1110000600037341Y')
'Y1110000600037341Y'
>>> is_valid('91110000600037341M')
False
>>> calc_org_check_digit('60003734')
'1'
"""

from __future__ import annotations

from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as _stdnum_uscc

from idp.errors import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

#: The 31 characters a USCC may contain, in checksum-value order.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Registration authorities (position 1) allowed by GB 32100.
_AUTHORITIES = "123456789ANY"
#: Weights of the inner 8-character organisation code (GB 11714).
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def compact(number: str) -> str:
    """Remove spaces and dashes, upper-case, and turn full-width characters into ASCII."""
    number = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in str(number))
    return "".join(number.split()).replace("-", "").upper()


def calc_check_digit(number: str) -> str:
    """Return the 18th (check) character for the first 17 characters of ``number``."""
    number = compact(number)
    if any(c not in ALPHABET for c in number[:17]):
        raise InvalidFormat("统一社会信用代码含非法字符 (invalid character in USCC)", code="uscc_charset")
    return _stdnum_uscc.calc_check_digit(number[:17])


def calc_org_check_digit(org_code: str) -> str:
    """Return the check character of an 8-character organisation code (GB 11714)."""

    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    total = sum(value(c) * w for c, w in zip(compact(org_code)[:8], _ORG_WEIGHTS, strict=False))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate(number: str) -> str:
    """Check length, charset, authority and check digit; return the compact number or raise."""
    number = compact(number)
    if len(number) != 18:
        raise InvalidLength(f"统一社会信用代码应为18位，实际{len(number)}位 (USCC must have 18 characters)")
    if any(c not in ALPHABET for c in number):
        raise InvalidFormat("统一社会信用代码含非法字符 (invalid character in USCC)")
    if number[0] not in _AUTHORITIES:
        raise InvalidComponent("登记管理部门代码无效 (unknown registration authority)")
    if not number[2:8].isdigit():
        raise InvalidFormat("行政区划码应为6位数字 (region code must be 6 digits)")
    if number[:8].isdigit():
        try:
            return _stdnum_uscc.validate(number)
        except stdnum_errors.InvalidChecksum as exc:
            raise InvalidChecksum("统一社会信用代码校验位错误 (USCC check digit mismatch)") from exc
        except stdnum_errors.ValidationError as exc:
            raise InvalidFormat("统一社会信用代码格式错误 (invalid USCC)") from exc
    if number[-1] != calc_check_digit(number):
        raise InvalidChecksum("统一社会信用代码校验位错误 (USCC check digit mismatch)")
    return number


def is_valid(number: str) -> bool:
    """Check if the number is a valid USCC; never raises."""
    try:
        return bool(validate(number))
    except (ValueError, TypeError):  # FieldInvalid is a ValueError
        return False


def is_org_code_valid(number: str) -> bool:
    """Check the inner organisation-code check character (positions 9-17); never raises."""
    try:
        number = compact(number)
        return len(number) == 18 and calc_org_check_digit(number[8:16]) == number[16]
    except (TypeError, ValueError):
        return False


def format(number: str) -> str:  # noqa: A001 - stdnum's module surface
    """Return the standard presentation (the compact form)."""
    return compact(number)
