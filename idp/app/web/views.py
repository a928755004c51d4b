"""View models of the review pages: what the templates show, built from task, document and extraction rows.

Kept apart from the routes so the routes stay about HTTP, and so the box geometry has one place to be tested.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from idp.app.web import pages
from idp.models import BBox, ExtractedDocument, ExtractedField, Reason
from idp.models.schema import field_label, schema_for
from idp.storage.blobstore import FileStore
from idp.storage.tables import DocumentRow

logger = logging.getLogger(__name__)

OUTCOME_LABELS = {"accepted": "通过", "corrected": "修正后通过", "rejected": "驳回"}
SOURCE_LABELS = {"text_layer": "文本层", "ofd": "OFD", "ocr": "OCR", "qr_code": "二维码", "derived": "推算",
                 "human": "人工"}
#: Reviewers work in China: times are shown in 北京时间 (UTC+8, no daylight saving).
DISPLAY_TZ = timezone(timedelta(hours=8), "CST")
#: Most pages previewed on one task (a 100-page statement would otherwise load 100 images).
_MAX_PAGES = 20


@dataclass(frozen=True)
class FieldView:
    name: str
    label: str
    value: str  #: shown in the input (what was submitted, after a refused post)
    original: str  #: the stored value, so the page can tell what the reviewer changed
    confidence: float | None
    low: bool  #: confidence under the policy threshold
    source: str
    page: int
    box: str | None  #: CSS left/top/width/height in % of the page; None without a bbox
    flagged: bool  #: named by one of the task's reasons
    missing: bool  #: named by a reason but not extracted at all


@dataclass(frozen=True)
class PageView:
    no: int
    url: str
    boxes: list[FieldView]


@dataclass(frozen=True)
class ReasonView:
    code: str
    message: str
    severity: str
    fields: list[str]  #: labels of the fields
    values: list[tuple[str, str]]  #: (label, value)
    other_document_id: str | None  #: the reason is about another document of the application


def box_style(bbox: BBox) -> str:
    """Absolute position of a normalised box inside its page, in percent (scales with the image)."""
    return (f"left:{bbox.x0 * 100:.2f}%;top:{bbox.y0 * 100:.2f}%;"
            f"width:{bbox.width * 100:.2f}%;height:{bbox.height * 100:.2f}%")


def field_views(doc: DocumentRow | None, reasons: list[Reason], submitted: dict[str, str], *,
                threshold: float = 0.9) -> list[FieldView]:
    """The document's header fields, plus any field a reason names but nobody extracted (to fill it in)."""
    if doc is None:
        return []
    flagged = {f for r in reasons if r.document_id in (None, doc.id) for f in r.fields}
    extraction = ExtractedDocument.model_validate(doc.extraction) if doc.extraction else None
    found: dict[str, ExtractedField] = dict(extraction.fields) if extraction else {}
    names = list(found) + sorted(n for n in flagged if n not in found)
    schema = schema_for(doc.kind)
    rank = {n: i for i, n in enumerate(schema.names() if schema else [])}
    names.sort(key=lambda n: rank.get(n, len(rank)))  # known fields in form order; the rest keep theirs
    out: list[FieldView] = []
    for name in names:
        f = found.get(name)
        original = (f.value or "") if f else ""
        out.append(FieldView(
            name=name, label=field_label(name, doc.kind), value=submitted.get(name, original),
            original=original,
            confidence=f.confidence if f else None, low=bool(f and f.confidence < threshold),
            source=SOURCE_LABELS.get(f.source.value, f.source.value) if f else "—",
            page=(f.page or 1) if f else 1, box=box_style(f.bbox) if f and f.bbox else None,
            flagged=name in flagged, missing=f is None,
        ))
    return out


def page_views(doc: DocumentRow, fields: list[FieldView], store: FileStore) -> list[PageView]:
    """One preview per page (up to _MAX_PAGES) with the boxes of the fields found on it.

    Pages are numbered as in the stored file (as ``ExtractedField.page`` is): a part of a split file shows
    its own pages, ``page_from``..``page_to``.
    """
    if doc.page_from is not None and doc.page_to is not None:
        first, last = doc.page_from, doc.page_to
    else:
        first = 1
        last = doc.pages or len(doc.page_text or []) or pages.count_pages(store.path(doc.storage_key)) or 1
    return [
        PageView(no=n, url=f"/review/documents/{doc.id}/pages/{n}.png",
                 boxes=[f for f in fields if f.box and f.page == n])
        for n in range(first, min(last, first + _MAX_PAGES - 1) + 1)
    ]


def part_label(doc: DocumentRow | None, *, split: bool) -> str | None:
    """Where a part of a split file sits in it ("第 3–4 页 · 文件中第 2 份文档"); None for a whole file."""
    if doc is None or doc.page_from is None or not (split or doc.parent_id):
        return None
    last = doc.page_to or doc.page_from
    span = f"第 {doc.page_from} 页" if last == doc.page_from else f"第 {doc.page_from}–{last} 页"
    return f"{span} · 文件中第 {(doc.part_index or 0) + 1} 份文档"


def reason_views(reasons: list[Reason], document_id: str | None) -> list[ReasonView]:
    return [
        ReasonView(
            code=r.code, message=r.message, severity=r.severity or "info",
            fields=[field_label(f) for f in r.fields],
            values=[(field_label(k), "—" if v is None else v) for k, v in r.values.items()],
            other_document_id=r.document_id if r.document_id and r.document_id != document_id else None,
        )
        for r in reasons
    ]


def item_table(doc: DocumentRow | None) -> tuple[list[str], list[list[str]]] | None:
    """Line items as a read-only table (column labels, rows), or None when there are none."""
    if doc is None or not doc.extraction:
        return None
    items = ExtractedDocument.model_validate(doc.extraction).items
    if not items:
        return None
    columns = list(dict.fromkeys(name for item in items for name in item))
    rows = [[(item[c].value or "") if c in item else "" for c in columns] for item in items]
    return [field_label(f"items.{c}", doc.kind) for c in columns], rows


def sla_text(due: datetime, now: datetime) -> tuple[str, str, bool]:
    """(due time in 北京时间, time left or overdue in words, overdue?)."""
    delta = due - now
    overdue = delta.total_seconds() < 0
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    span = f"{days}天{hours}小时" if days else (f"{hours}小时{mins}分" if hours else f"{mins}分钟")
    return local_time(due), ("已超时 " if overdue else "剩余 ") + span, overdue


def local_time(at: datetime) -> str:
    return at.astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M")
