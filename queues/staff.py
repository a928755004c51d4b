"""Who a name is: the staff account behind it (role, skills), for every queue operation that is given a name."""

from __future__ import annotations

from idp.models import Reviewer, Role
from idp.models.staff import clean_name, name_key
from idp.settings import Settings
from idp.storage import staff
from idp.storage.db import session_scope


def reviewer_for(settings: Settings, name: str) -> Reviewer:
    """The account's user name, role and skills; else the settings' staff list (names a trusted proxy asserts
    without a local account); else a plain reviewer. Names match by :func:`name_key`, never by spelling."""
    cleaned = clean_name(name)[:100]
    with session_scope(settings.effective_database_url) as s:
        account = staff.find(s, cleaned)
        if account is not None:
            return Reviewer(name=account.username, role=Role(account.role), skills=frozenset(account.skills))
    key = name_key(cleaned)
    for listed, entry in settings.staff.items():
        if name_key(listed) == key:
            return Reviewer(name=clean_name(listed), role=Role(entry.role), skills=frozenset(entry.skills))
    return Reviewer(name=cleaned)
