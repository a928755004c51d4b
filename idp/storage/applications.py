"""Applications: created by a client, readable only by that client."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idp.errors import NotFound
from idp.models import Application, ApplicationStatus, Borrower, Decision, Period
from idp.storage.tables import ApplicationRow


def create_application(
    session: Session,
    *,
    client_id: str,
    borrower: Borrower,
    product: str,
    now: datetime,
    external_id: str | None = None,
    idempotency_key: str | None = None,
    requested_amount: Decimal | None = None,
    statement_period: Period | None = None,
) -> tuple[ApplicationRow, bool]:
    """Create an application; a repeated idempotency key or external id returns the first one (created=False).

    Two requests with one key racing each other both pass the lookup; the unique constraints let exactly one
    insert win, and the loser replays the winner's application instead of failing.
    """
    existing = _existing(session, client_id, idempotency_key, external_id)
    if existing is not None:
        return existing, False
    row = ApplicationRow(
        id=str(uuid.uuid4()),
        client_id=client_id,
        external_id=external_id,
        idempotency_key=idempotency_key,
        borrower_name=borrower.name,
        borrower_uscc=borrower.uscc,
        product=product,
        requested_amount=str(requested_amount) if requested_amount is not None else None,
        statement_period=statement_period.model_dump(mode="json") if statement_period else None,
        status=ApplicationStatus.RECEIVING.value,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # the session held only this insert (and reads): nothing else is undone
        existing = _existing(session, client_id, idempotency_key, external_id)
        if existing is None:
            raise
        return existing, False
    return row, True


def _existing(session: Session, client_id: str, idempotency_key: str | None,
              external_id: str | None) -> ApplicationRow | None:
    for column, value in (
        (ApplicationRow.idempotency_key, idempotency_key),
        (ApplicationRow.external_id, external_id),
    ):
        if value:
            existing = session.scalar(
                select(ApplicationRow).where(ApplicationRow.client_id == client_id, column == value)
            )
            if existing is not None:
                return existing
    return None


def same_request(row: ApplicationRow, *, borrower: Borrower, product: str, external_id: str | None,
                 requested_amount: Decimal | None) -> bool:
    """Whether a replayed create asks for what the first one did (the IETF Idempotency-Key draft refuses a
    key reused for a different request)."""
    amount = Decimal(row.requested_amount) if row.requested_amount else None
    return (row.borrower_name, row.borrower_uscc, row.product, row.external_id, amount) == (
        borrower.name, borrower.uscc, product, external_id, requested_amount)


def get_for_client(session: Session, *, client_id: str, application_id: str) -> ApplicationRow:
    """The application if this client owns it; otherwise NotFound (never reveal another client's ids)."""
    row = session.get(ApplicationRow, application_id)
    if row is None or row.client_id != client_id:
        raise NotFound("未找到该申请 (application not found)", code="application_not_found")
    return row


def get(session: Session, application_id: str, *, for_update: bool = False) -> ApplicationRow:
    stmt = select(ApplicationRow).where(ApplicationRow.id == application_id)
    if for_update:
        stmt = stmt.with_for_update()
    row = session.scalar(stmt)
    if row is None:
        raise NotFound("未找到该申请 (application not found)", code="application_not_found")
    return row


def list_for_client(session: Session, *, client_id: str, limit: int = 50, offset: int = 0) -> list[ApplicationRow]:
    return list(
        session.scalars(
            select(ApplicationRow)
            .where(ApplicationRow.client_id == client_id)
            .order_by(ApplicationRow.created_at.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def transition(session: Session, application_id: str, *, from_: set[str], to: str, now: datetime) -> bool:
    """Move the status atomically; True only for the one caller that made the move."""
    result = session.execute(
        update(ApplicationRow)
        .where(ApplicationRow.id == application_id, ApplicationRow.status.in_(from_))
        .values(status=to, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def awaiting_verification_due(session: Session, now: datetime, limit: int = 500) -> list[str]:
    """Applications parked in awaiting_verification whose retry time has come, oldest first."""
    return list(session.scalars(
        select(ApplicationRow.id)
        .where(ApplicationRow.status == ApplicationStatus.AWAITING_VERIFICATION.value,
               ApplicationRow.verification_retry_at <= now)
        .order_by(ApplicationRow.verification_retry_at)
        .limit(limit)
    ))


def to_model(row: ApplicationRow) -> Application:
    data: dict[str, Any] = {
        "id": row.id,
        "client_id": row.client_id,
        "external_id": row.external_id,
        "borrower": Borrower(name=row.borrower_name, uscc=row.borrower_uscc),
        "product": row.product,
        "requested_amount": Decimal(row.requested_amount) if row.requested_amount else None,
        "statement_period": Period.model_validate(row.statement_period) if row.statement_period else None,
        "status": ApplicationStatus(row.status),
        "decision": Decision.model_validate(row.decision) if row.decision else None,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }
    return Application(**data)
