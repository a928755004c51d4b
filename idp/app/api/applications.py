"""Applications: create (idempotent), upload documents, submit, read status and result."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Header, Response, UploadFile

from idp.app.api.schemas import (
    ApplicationCreate,
    ApplicationPublic,
    DocumentPublic,
    ErrorBody,
    TaskSummary,
    UploadResult,
)
from idp.app.deps import ClientDep, SessionDep, SettingsDep
from idp.errors import Conflict, InputRejected
from idp.models import Decision
from idp.storage import applications, documents, tasks, webhooks
from idp.storage.tables import ApplicationRow, DocumentRow
from queues import intake
from queues.clock import utcnow

router = APIRouter(prefix="/v1/applications", tags=["applications"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody}, 404: {"model": ErrorBody}, 409: {"model": ErrorBody}, 422: {"model": ErrorBody},
}


def _doc_public(row: DocumentRow, duplicate: bool = False) -> DocumentPublic:
    return DocumentPublic(id=row.id, filename=row.filename, sha256=row.sha256, size=row.size, kind=row.kind,
                          subtype=row.subtype, pages=row.pages, status=row.status, error=row.error,
                          duplicate=duplicate, parent_id=row.parent_id, part_index=row.part_index or 0,
                          page_from=row.page_from, page_to=row.page_to)


def _public(session: SessionDep, settings: SettingsDep, row: ApplicationRow) -> ApplicationPublic:
    model = applications.to_model(row)
    return ApplicationPublic(
        id=row.id, external_id=row.external_id, borrower=model.borrower, product=row.product,
        requested_amount=model.requested_amount, statement_period=model.statement_period, status=row.status,
        decision=Decision.model_validate(row.decision) if row.decision else None,
        documents=[_doc_public(d) for d in documents.for_application(session, row.id)],
        tasks=[TaskSummary(id=t.id, kind=t.kind, status=t.status, priority=t.priority, sla_due_at=t.sla_due_at,
                           reasons=t.reasons) for t in tasks.for_application(session, row.id)],
        created_at=row.created_at, updated_at=row.updated_at,
        result_url=f"/v1/applications/{row.id}/result",
    )


@router.post("", response_model=ApplicationPublic, status_code=201, responses=_ERRORS)
def create_application(
    body: ApplicationCreate, client: ClientDep, session: SessionDep, settings: SettingsDep, response: Response,
    idempotency_key: Annotated[str | None, Header(min_length=1, max_length=200)] = None,
) -> ApplicationPublic:
    """Create an application; the same Idempotency-Key (or external_id) returns the first one with 200."""
    row, created = applications.create_application(
        session, client_id=client.id, borrower=body.borrower, product=body.product, now=utcnow(),
        external_id=body.external_id, idempotency_key=idempotency_key, requested_amount=body.requested_amount,
        statement_period=body.statement_period,
    )
    session.commit()  # end the write here: on SQLite the lock must not wait for another thread-pool hop
    if not created:
        if idempotency_key and not applications.same_request(
                row, borrower=body.borrower, product=body.product, external_id=body.external_id,
                requested_amount=body.requested_amount):
            raise InputRejected("该幂等键已用于另一个不同的请求 (Idempotency-Key reused with a different body)",
                                code="idempotency_key_reused", application_id=row.id)
        response.status_code = 200
    return _public(session, settings, row)


@router.get("/{application_id}", response_model=ApplicationPublic, responses=_ERRORS)
def get_application(application_id: str, client: ClientDep, session: SessionDep,
                    settings: SettingsDep) -> ApplicationPublic:
    """Status, documents, decision and open tasks of one of this client's applications."""
    row = applications.get_for_client(session, client_id=client.id, application_id=application_id)
    return _public(session, settings, row)


@router.post("/{application_id}/documents", response_model=UploadResult, status_code=201, responses=_ERRORS)
def upload_documents(
    application_id: str, client: ClientDep, settings: SettingsDep, session: SessionDep,
    files: Annotated[list[UploadFile], File(description="PDF, OFD or image files")],
) -> UploadResult:
    """Store each file (durably, before it is queued) and start reading it; repeats are flagged duplicate.

    A plain ``def``: storing and committing block, so FastAPI runs it in its thread pool, off the event loop."""
    applications.get_for_client(session, client_id=client.id, application_id=application_id)
    session.commit()  # hand the connection back while the files are stored (intake has its own sessions)
    out: list[DocumentPublic] = []
    for f in files:
        data = f.file.read(settings.max_upload_bytes + 1)  # more is refused; never more in memory
        up = intake.add_upload(settings, client_id=client.id, application_id=application_id,
                               filename=f.filename or "upload", content_type=f.content_type, data=data,
                               now=utcnow())
        session.expire_all()
        out.append(_doc_public(documents.get(session, up.document_id), duplicate=up.duplicate))
    return UploadResult(documents=out)


@router.post("/{application_id}/submit", response_model=ApplicationPublic, responses=_ERRORS)
def submit_application(application_id: str, client: ClientDep, settings: SettingsDep,
                       session: SessionDep) -> ApplicationPublic:
    """Close the application for uploads; the decision follows once every document is read."""
    row = applications.get_for_client(session, client_id=client.id, application_id=application_id)
    if not documents.for_application(session, row.id):
        raise InputRejected("申请没有任何文档,无法提交 (no documents uploaded)", code="no_documents")
    session.commit()  # hand the connection back: the submit step has its own sessions
    intake.submit(settings, client_id=client.id, application_id=application_id, now=utcnow())
    session.expire_all()
    return _public(session, settings, applications.get(session, application_id))


@router.get("/{application_id}/result", responses=_ERRORS)
def get_result(application_id: str, client: ClientDep, session: SessionDep) -> dict[str, object]:
    """The final result (fields, findings, decision, corrections); 409 until the application is completed."""
    row = applications.get_for_client(session, client_id=client.id, application_id=application_id)
    if row.result is None:
        raise Conflict(f"结果尚未就绪,当前状态: {row.status} (result not ready)", code="result_not_ready",
                       status=row.status)
    return row.result


@router.get("/{application_id}/webhooks", responses=_ERRORS)
def list_deliveries(application_id: str, client: ClientDep, session: SessionDep) -> list[dict[str, object]]:
    """Every webhook delivery made for this application, with attempts and the last answer."""
    applications.get_for_client(session, client_id=client.id, application_id=application_id)
    return [webhooks.to_model(r).model_dump(mode="json") for r in webhooks.for_application(session, application_id)]
