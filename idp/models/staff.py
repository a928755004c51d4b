"""Who works the queue: a reviewer's name, role and skills, and which tasks each role may take.

People sign in (local accounts or the bank's SSO, see :mod:`idp.app.auth`); the name kept on tasks is the
account's user name. Names are compared by :func:`name_key`, so ``alice`` and ``ＡＬＩＣＥ `` are one person.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from pydantic import BaseModel, Field


class Role(StrEnum):
    REVIEWER = "reviewer"
    TEAM_LEAD = "team_lead"
    SUPERVISOR = "supervisor"
    RISK_OFFICER = "risk_officer"
    HEAD = "head"  #: 分管领导: receives the follow-up 督办 when a supervisor's deadline passes


ROLE_LABELS: dict[Role, str] = {
    Role.REVIEWER: "审核员", Role.TEAM_LEAD: "组长", Role.SUPERVISOR: "主管", Role.RISK_OFFICER: "风险官",
    Role.HEAD: "分管领导",
}
#: The task roles each role may work (a supervisor may work anything; 红 items need a risk officer).
_CAN_TAKE: dict[Role, frozenset[Role]] = {
    Role.REVIEWER: frozenset({Role.REVIEWER}),
    Role.TEAM_LEAD: frozenset({Role.REVIEWER, Role.TEAM_LEAD}),
    Role.SUPERVISOR: frozenset(Role),
    Role.RISK_OFFICER: frozenset({Role.REVIEWER, Role.RISK_OFFICER}),
    Role.HEAD: frozenset(Role),
}
#: Roles that may hand tasks to someone else (one at a time).
ASSIGNERS = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR})
#: Roles that may reassign in bulk.
BULK_ASSIGNERS = frozenset({Role.SUPERVISOR})


#: Roles that watch the queue (dashboard, metrics, every task) rather than only work their own share.
WATCHERS = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR, Role.HEAD})
#: Roles a staff account may be given (``head`` only receives 督办 notices).
ACCOUNT_ROLES = (Role.REVIEWER, Role.TEAM_LEAD, Role.SUPERVISOR, Role.RISK_OFFICER)


def clean_name(name: str) -> str:
    """A name as kept: Unicode NFKC (full-width letters become ASCII), whitespace runs collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name or "").split())


def name_key(name: str) -> str:
    """What two names are compared by: :func:`clean_name`, case-folded (``Alice`` = ``ALICE`` = ``ａｌｉｃｅ``)."""
    return clean_name(name).casefold()


def same_person(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and name_key(a) == name_key(b)


class Reviewer(BaseModel):
    """A person working tasks. No skills means a generalist, who may take a task needing any skill."""

    name: str = Field(min_length=1, max_length=100)
    role: Role = Role.REVIEWER
    skills: frozenset[str] = frozenset()

    @property
    def task_roles(self) -> frozenset[Role]:
        return _CAN_TAKE[self.role]

    def can_take(self, required_role: str, required_skill: str | None = None) -> bool:
        if required_role not in self.task_roles:
            return False
        return required_skill is None or not self.skills or required_skill in self.skills
