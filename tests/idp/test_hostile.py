"""A fast subset of the hostile corpus through the real pipeline (API, RQ, the bounded child): every file
ends as a visible result without a retry, the bad ones as processing_failed tasks with an input code and a
Chinese message, and every file is kept. ``idp bench hostile`` runs the whole corpus (101 files)."""

from __future__ import annotations

import hashlib

from idp.storage import documents, tasks
from idp.storage.blobstore import file_store
from idp.storage.db import session_scope
from idp.synth.hostile import hostile_corpus
from tests.helpers import api, make_client, new_application, run_burst_worker, submit


def sample_file(folder: str):
    from pathlib import Path

    return sorted((Path(__file__).resolve().parents[2] / "samples" / folder).glob("*.pdf"))[0]

#: One of each family (kept small: CI time).
SUBSET = ("pdf_pages_over_limit.pdf", "pdf_mediabox_14400.pdf", "pdf_image_30000x30000.pdf",
          "pdf_self_referencing_tree.pdf", "pdf_truncated_50.pdf", "png_header_13000x13000.png",
          "png_1x60000.png", "tiff_pages_over_limit.tif", "jpeg_sof_65000x65000.jpg", "ofd_page_image_30000.ofd",
          "ofd_billion_laughs.ofd", "ofd_xxe.ofd", "ofd_unsafe_path_0.ofd", "ofd_too_many_entries.ofd",
          "polyglot_pdf_zip.pdf", "random_pdf_header_3.pdf", "gif.gif")


def test_hostile_files_fail_at_once_visibly_with_input_codes_and_are_kept(db_settings):
    sample = sample_file("vat_invoice").read_bytes()
    corpus = {name: data for name, data in hostile_corpus(db_settings, sample_pdf=sample, fast=True)
              if name in SUBSET}
    assert set(corpus) == set(SUBSET)
    _, key, _ = make_client(db_settings)
    uploaded = {}
    with api(db_settings) as http:
        for name, data in corpus.items():
            app = new_application(http, key)
            resp = http.post(f"/v1/applications/{app['id']}/documents", headers={"X-API-Key": key},
                             files=[("files", (name, data, "application/octet-stream"))])
            assert resp.status_code == 201, (name, resp.text)
            uploaded[name] = (app["id"], resp.json()["documents"][0]["id"])
            submit(http, key, app["id"])
    run_burst_worker(db_settings)
    store = file_store(db_settings)
    with session_scope(db_settings.effective_database_url) as s:
        for name, (app_id, doc_id) in uploaded.items():
            row = documents.get(s, doc_id)
            assert row.status == "failed", (name, row.status)
            assert row.attempts == 1, (name, row.attempts)  # no retry on bad input
            assert row.error_code and row.error_code != "processing_error", (name, row.error)
            assert hashlib.sha256(store.read(row.storage_key)).digest() == hashlib.sha256(corpus[name]).digest()
            (task,) = [t for t in tasks.for_application(s, app_id) if t.kind == "processing_failed"]
            message = task.reasons[0]["message"]
            assert any("\u4e00" <= ch <= "\u9fff" for ch in message), (name, message)
