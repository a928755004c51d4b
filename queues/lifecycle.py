"""The application's lifecycle: the one module that changes an application's status.

The moves themselves are declared in the core (``idp.models.application.APPLICATION_MOVES``); every stage asks
this module to make one, and each move is atomic (a conditional update), so of two workers racing to make the
same move exactly one succeeds and the other learns it did not.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from idp.models import ApplicationStatus
from idp.models.application import moves_into
from idp.storage import applications

logger = logging.getLogger(__name__)

_S = ApplicationStatus


def move(session: Session, application_id: str, to: ApplicationStatus, *, now: datetime,
         from_: set[ApplicationStatus] | None = None) -> bool:
    """Move the application to ``to`` from any status allowed to move there (or only from ``from_``);
    True for the one caller that made the move."""
    allowed = moves_into(to) if from_ is None else frozenset(from_) & moves_into(to)
    if not allowed:
        raise ValueError(f"no application may move from {sorted(from_ or [])} to {to}")
    moved = applications.transition(session, application_id, from_={s.value for s in allowed}, to=to.value,
                                    now=now)
    if moved:
        logger.debug("application %s → %s", application_id, to.value)
    return moved


def submit(session: Session, application_id: str, *, now: datetime) -> bool:
    """Uploads are closed; the documents are (being) read."""
    return move(session, application_id, _S.PROCESSING, now=now)


def all_documents_read(session: Session, application_id: str, *, now: datetime) -> bool:
    """Every document of a submitted application is read (or failed): the application step may run."""
    return move(session, application_id, _S.DECIDING, now=now, from_={_S.PROCESSING})


def await_verification(session: Session, application_id: str, *, now: datetime) -> bool:
    """An invoice cannot be checked yet, or a provider is down: wait (no task, no SLA clock)."""
    return move(session, application_id, _S.AWAITING_VERIFICATION, now=now)


def verification_due(session: Session, application_id: str, *, now: datetime) -> bool:
    """The wait for verification is over: the application step runs again."""
    return move(session, application_id, _S.DECIDING, now=now, from_={_S.AWAITING_VERIFICATION})


def hold_for_review(session: Session, application_id: str, *, now: datetime) -> bool:
    """The decision needs people: the application waits for its tasks."""
    return move(session, application_id, _S.REVIEW, now=now, from_={_S.DECIDING})


def review_done(session: Session, application_id: str, *, now: datetime) -> bool:
    """Every task is resolved and no correction waits for a checker: decide and finalise."""
    return move(session, application_id, _S.DECIDING, now=now, from_={_S.REVIEW})


def complete(session: Session, application_id: str, *, now: datetime) -> bool:
    """The final result is written and its webhook queued (exactly once)."""
    return move(session, application_id, _S.COMPLETED, now=now)


def step_failed(session: Session, application_id: str, *, now: datetime) -> bool:
    """The application step exhausted its retries: people take over (a processing_failed task)."""
    return move(session, application_id, _S.REVIEW, now=now)
