"""A contract party's values in their normalised form, whichever block shape they were read from: tax ids
compact, names with full-width brackets, a representative's or contact's name without what is not the name.
"""

from __future__ import annotations

import re

from extractors.contract.columns import SEAL_NOTE
from extractors.text.patterns import SCRIBBLE_AFTER_NAME, person_name
from idp.models.schema.values import normalise_name, parse_tax_id

#: Words of a signing line, never a person's or company's name.
NOT_A_NAME = re.compile(r"代表|签字|签章|盖章|委托|授权|或")


def clean_value(key: str, value: str) -> str | None:
    """A party value in its normalised form (tax ids compact, names with full-width brackets)."""
    value = SEAL_NOTE.sub("", value.strip()).strip("，,；;。")
    if key == "tax_id":
        return parse_tax_id(value)
    if key == "phone":
        m = re.search(r"[\d\-+()（）]{7,}", value)
        if m is None:
            return None
        phone = m.group(0)
        return phone[:-1] if phone[-1] in ")）" and not re.search(r"[(（]", phone) else phone  # the details' bracket
    if key in ("legal_rep", "contact"):
        value = SCRIBBLE_AFTER_NAME.sub("", value)
        name = re.split(r"[\s,，;；)）]|电话|联系|手机", normalise_name(value) or "")[0]
        if not name or NOT_A_NAME.search(name) or not re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", name):
            return None
        return person_name(name)
    if key == "name" and NOT_A_NAME.search(value[:4]):
        return None
    return normalise_name(value)
