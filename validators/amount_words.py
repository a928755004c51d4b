"""大写金额 (amount in Chinese capital numerals), as printed in 价税合计(大写): parse it to compare with 小写.

Accepts 元 or 圆, an optional 零 between units (壹佰万零壹仟), 角/分, a closing 整 or 正 (never after 分),
a leading ⊗/ⓧ mark and ``¥``, and a negative marker ``负`` or ``(负数)`` for red invoices.
The reading itself lives in the core (``idp.models.schema.words``, which extractors use to choose totals);
this module gives it python-stdnum's surface and error types.

>>> parse('⊗壹万壹仟叁佰元整')
Decimal('11300.00')
>>> parse('壹佰玖拾元零壹角玖分')
Decimal('190.19')
>>> to_words(Decimal('190.19'))
'壹佰玖拾圆零壹角玖分'
"""

from __future__ import annotations

import re
from decimal import Decimal

from idp.errors import InvalidFormat
from idp.models.schema import words

#: Marks printed before the amount that carry no value.
_NOISE = re.compile(r"[⊗ⓧ⒳Ⓧ✕×¥￥\s:：]")


def compact(text: str) -> str:
    """Drop the marks that carry no value (⊗, ⓧ, ¥, spaces, colons)."""
    return _NOISE.sub("", str(text))


def parse(text: str) -> Decimal:
    """Return the amount written in ``text`` as a Decimal with 2 places; raise InvalidFormat if malformed."""
    try:
        return words.parse_words(text)
    except (ValueError, TypeError) as exc:
        raise InvalidFormat(str(exc), code="amount_words") from exc


def is_valid(text: str) -> bool:
    """Check if ``text`` is a well-formed amount in words; never raises."""
    try:
        parse(text)
    except (InvalidFormat, TypeError):
        return False
    return True


def to_words(amount: Decimal, *, yuan: str = "圆", negative: str = "负") -> str:
    """Write ``amount`` as the tax system prints it (零 before 角/分 when the 元 digit is 0, 整 without 分).

    ``yuan`` may be 元 or 圆; ``negative`` is the prefix of a negative amount (e.g. ``(负数)``).
    """
    try:
        return words.words_of(amount, yuan=yuan, negative=negative)
    except ValueError as exc:
        raise InvalidFormat(str(exc)) from exc
