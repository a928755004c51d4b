"""A file holding several documents is stored and reviewed as several documents (parts), on real stores."""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

from sqlalchemy import func, select

from idp.storage import applications, documents, tasks
from idp.storage.db import session_scope
from idp.storage.tables import AuditEventRow, DocumentRow
from queues import enqueue, parts, pipeline
from queues.clock import utcnow
from queues.results import build_result
from tests.helpers import api, make_client, new_application, run_burst_worker, submit, upload

BUNDLE = Path(__file__).resolve().parents[2] / "samples" / "bundles" / "000-clean"
#: A page that names 甲方/乙方 but is no contract: some evidence, too little to say what it is.
_NOTES = ["会议纪要", "甲方代表与乙方代表于本周召开协调会议", "讨论了下一季度的交货安排与人员配置",
          "与会人员一致同意另行通知"]


def _concat(*pdfs: bytes) -> bytes:
    """One PDF holding the pages of each given PDF, in order (pdfium, as a scanner's "merge" would)."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    for data in pdfs:
        out.import_pages(pdfium.PdfDocument(data))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def _notes(pages: int = 2) -> bytes:
    """Meeting notes with a text layer (Noto Sans CJK subset): readable, but of no known kind."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from idp.synth._font import register_cjk_font

    font = register_cjk_font("".join(_NOTES) + "第页")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(1, pages + 1):
        c.setFont(font, 14)
        for i, line in enumerate(_NOTES):
            c.drawString(72, 760 - 28 * i, line)
        c.drawString(72, 100, f"第{n}页")
        c.showPage()
    c.save()
    return buf.getvalue()


@cache
def contract_and_invoice(invoice: str = "inv_1.pdf") -> bytes:
    """Pages 1-2: a purchase contract; page 3: a VAT invoice.

    Each test takes another invoice of the bundle: the tax stand-in allows few checks of one invoice a day.
    """
    return _concat((BUNDLE / "contract.pdf").read_bytes(), (BUNDLE / invoice).read_bytes())


def _borrower() -> dict[str, str]:
    data = json.loads((BUNDLE / "application.json").read_text(encoding="utf-8"))["borrower"]
    return {"name": data["name"], "uscc": data["tax_id"]}


def _run(settings, key: str, data: bytes, name: str = "merged.pdf") -> tuple[dict, str]:
    """Upload one file, submit, work every queue; (application state, upload document id)."""
    with api(settings) as http:
        app = new_application(http, key, **_borrower())
        doc = upload(http, key, app["id"], (name, data))[0]
        submit(http, key, app["id"])
        run_burst_worker(settings)
        state = http.get(f"/v1/applications/{app['id']}", headers={"X-API-Key": key}).json()
    return dict(state), str(doc["id"])


def _rows(settings, application_id: str) -> list[DocumentRow]:
    with session_scope(settings.effective_database_url) as s:
        rows = documents.for_application(s, application_id)
        s.expunge_all()
        return rows


def test_a_contract_and_an_invoice_in_one_file_become_two_documents_with_their_pages(stack):
    _, key, _ = make_client(stack)
    state, upload_id = _run(stack, key, contract_and_invoice())
    listed = [(d["id"], d["kind"], d["part_index"], d["parent_id"], d["page_from"], d["page_to"], d["pages"])
              for d in state["documents"]]
    part1 = listed[1][0]
    assert listed == [(upload_id, "purchase_contract", 0, None, 1, 2, 2),
                      (part1, "vat_invoice", 1, upload_id, 3, 3, 1)], listed
    assert all(d["status"] == "extracted" and d["filename"] == "merged.pdf" for d in state["documents"])
    contract, invoice = _rows(stack, state["id"])
    assert [p["page_no"] for p in contract.page_text] == [1, 2]
    assert [p["page_no"] for p in invoice.page_text] == [3]
    assert (invoice.sha256, invoice.storage_key, invoice.size) == (contract.sha256, contract.storage_key,
                                                                    contract.size)
    assert invoice.invoice_key and contract.invoice_key is None
    assert all(f["document_id"] == contract.id for f in contract.findings)
    assert all(f["document_id"] == invoice.id for f in invoice.findings or [])
    assert invoice.extraction["fields"]["invoice_number"]["page"] == 3  # fields keep the file's page numbers
    with session_scope(stack.effective_database_url) as s:
        extracted = select(AuditEventRow.document_id).where(AuditEventRow.action == "document.extracted")
        assert sorted(s.scalars(extracted)) == sorted([contract.id, invoice.id])
        reasons = [r for t in tasks.for_application(s, state["id"]) for r in t.reasons]
        assert not any(r["code"] == "document.unclassified" for r in reasons)
        result = build_result(s, applications.get(s, state["id"]), now=utcnow())
    spans = [(d["id"], d["parent_id"], d["part_index"], d["page_from"], d["page_to"])
             for d in result["documents"]]
    assert spans == [(contract.id, None, 0, 1, 2), (invoice.id, contract.id, 1, 3, 3)]
    assert result["documents"][1]["fields"]["invoice_number"]["page"] == 3


def test_running_the_job_again_or_after_a_crash_between_parts_adds_no_rows(stack, monkeypatch):
    _, key, _ = make_client(stack)
    crashes: list[int] = []
    real_ensure = documents.ensure_part

    def crash_after_the_first_part(session, upload, index, *, now):
        row = real_ensure(session, upload, index, now=now)
        if not crashes:
            crashes.append(index)
            raise RuntimeError("worker lost between two parts")
        return row

    monkeypatch.setattr(parts.documents, "ensure_part", crash_after_the_first_part)
    state, upload_id = _run(stack, key, contract_and_invoice("inv_2.pdf"))
    assert crashes == [1]
    first = [(r.id, r.part_index, r.status) for r in _rows(stack, state["id"])]
    assert [(i, s) for _, i, s in first] == [(0, "extracted"), (1, "extracted")]
    with session_scope(stack.effective_database_url) as s:
        assert documents.get(s, upload_id).attempts == 2  # the crashed try, then the retry

    # A re-delivered job (the same message again) and a forced re-read both find the parts already made.
    enqueue.enqueue_read(stack, upload_id)
    run_burst_worker(stack)
    with session_scope(stack.effective_database_url) as s:
        documents.get(s, upload_id).status = "queued"
    assert pipeline.process_document(stack, upload_id, now=utcnow()) == "extracted"
    again = [(r.id, r.part_index, r.status) for r in _rows(stack, state["id"])]
    assert again == first
    with session_scope(stack.effective_database_url) as s:
        count = s.scalar(select(func.count()).select_from(DocumentRow)
                         .where(DocumentRow.application_id == state["id"]))
    assert count == 2


def test_unrecognisable_pages_become_an_unclassified_task_for_that_part_only(stack):
    _, key, _ = make_client(stack)
    data = _concat(contract_and_invoice("inv_3.pdf"), _notes(pages=2))
    state, upload_id = _run(stack, key, data)
    kinds = [(d["kind"], d["page_from"], d["page_to"]) for d in state["documents"]]
    assert kinds == [("purchase_contract", 1, 2), ("vat_invoice", 3, 3), ("unknown", 4, 5)], kinds
    notes_id = state["documents"][2]["id"]
    assert state["documents"][2]["parent_id"] == upload_id
    unclassified = [t for t in state["tasks"] if t["kind"] == "unclassified"]
    assert len(unclassified) == 1, (state["status"], state["tasks"])
    (reason,) = unclassified[0]["reasons"]
    assert reason["code"] == "document.unclassified" and reason["document_id"] == notes_id
    assert reason["message"].startswith("第4–5页无法识别文档类型")
    with session_scope(stack.effective_database_url) as s:
        by_task = {t.id: t.document_id for t in tasks.for_application(s, state["id"])}
    assert by_task[unclassified[0]["id"]] == notes_id
    others = [t for t in state["tasks"] if t["kind"] != "unclassified"]
    assert all(r["code"] != "document.unclassified" for t in others for r in t["reasons"])


def test_a_file_of_one_document_stays_one_row_with_its_whole_page_span(db_settings):
    _, key, _ = make_client(db_settings)
    state, upload_id = _run(db_settings, key, (BUNDLE / "contract.pdf").read_bytes(), name="contract.pdf")
    (doc,) = state["documents"]
    assert (doc["id"], doc["part_index"], doc["parent_id"], doc["page_from"], doc["page_to"]) == (
        upload_id, 0, None, 1, 2)
    assert doc["kind"] == "purchase_contract"
