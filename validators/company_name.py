"""Company names (企业名称) compared the way people mean them: one company, however it is typed.

Full-width and half-width forms, brackets (（） vs ()), spaces and middle dots differ between an invoice, a
contract and the registry without meaning another company; so does 有限责任公司 written as 有限公司.

>>> compact("成都德弘工贸（集团） 有限责任公司")
'成都德弘工贸(集团)有限公司'
>>> same_company("深圳市某某科技有限公司", "深圳市某某科技有限责任公司")
True
>>> same_company("深圳市某某科技有限公司", "深圳市某某网络有限公司")
False
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u3000·•・]+")
_VARIANTS = (("有限责任公司", "有限公司"), ("股份有限公司", "股份有限公司"))


def compact(name: str | None) -> str:
    """The comparable form of a company name (empty for None)."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name)
    text = text.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    text = _SPACES.sub("", text)
    for long, short in _VARIANTS:
        text = text.replace(long, short)
    return text.upper()


def same_company(a: str | None, b: str | None) -> bool:
    """True when both names are given and are the same company name after normalisation."""
    ca, cb = compact(a), compact(b)
    return bool(ca) and ca == cb


def matches_any(name: str | None, names: list[str]) -> bool:
    return any(same_company(name, other) for other in names)
