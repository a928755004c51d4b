"""View models of the task page: what the templates show, built from task, document and extraction rows.

Kept apart from the routes so the routes stay about HTTP, and so the box geometry has one place to be tested.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from idp.app.web.labels import field_label, field_order, item_label
from idp.models import BBox, ExtractedDocument, ExtractedField, Reason
from idp.models.schema import SECOND_READINGS
from idp.storage.tables import DocumentRow, PageImageRow

logger = logging.getLogger(__name__)

OUTCOME_LABELS = {"accepted": "通过", "corrected": "修正后通过", "rejected": "驳回"}
SOURCE_LABELS = {"text_layer": "文本层", "ofd": "OFD", "ocr": "OCR", "qr_code": "二维码", "derived": "推算",
                 "human": "人工", "embedded": "电子数据", "tax_authority": "查验结果"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
#: Reviewers work in China: times are shown in 北京时间 (UTC+8, no daylight saving).
DISPLAY_TZ = timezone(timedelta(hours=8), "CST")


@dataclass
class FieldView:
    name: str  #: form name: a header field, or ``items[i].<column>``
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
    reasons: list[str] = field(default_factory=list)  #: the messages of the reasons naming it


@dataclass(frozen=True)
class PageView:
    no: int
    url: str
    thumb: str
    width: int
    height: int
    ready: bool  #: a stored image exists (else a placeholder is shown)
    boxes: list[FieldView]


@dataclass(frozen=True)
class ReasonView:
    message: str
    severity: str
    severity_label: str
    fields: list[str]  #: labels of the fields
    values: list[tuple[str, str]]  #: (label, value)
    other_document_id: str | None  #: the reason is about another document of the application


def box_style(bbox: BBox) -> str:
    """Absolute position of a normalised box inside its page, in percent (scales with the image)."""
    return (f"left:{bbox.x0 * 100:.2f}%;top:{bbox.y0 * 100:.2f}%;"
            f"width:{bbox.width * 100:.2f}%;height:{bbox.height * 100:.2f}%")


def _reasons_by_field(reasons: list[Reason], doc_id: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in reasons:
        if r.document_id in (None, doc_id):
            for name in r.fields:
                out.setdefault(name, []).append(r.message)
    return out


def _view(name: str, label: str, f: ExtractedField | None, submitted: dict[str, str], threshold: float,
          why: list[str]) -> FieldView:
    original = (f.value or "") if f else ""
    return FieldView(
        name=name, label=label, value=submitted.get(name, original), original=original,
        confidence=f.confidence if f else None, low=bool(f and f.confidence < threshold),
        source=SOURCE_LABELS.get(f.source.value, "其他") if f else "—",
        page=(f.page or 1) if f else 1, box=box_style(f.bbox) if f and f.bbox else None,
        flagged=bool(why), missing=f is None, reasons=why,
    )


def field_views(doc: DocumentRow | None, reasons: list[Reason], submitted: dict[str, str], *,
                threshold: float = 0.9) -> list[FieldView]:
    """The document's header fields, plus any field a reason names but nobody extracted (to fill it in)."""
    if doc is None:
        return []
    why = _reasons_by_field(reasons, doc.id)
    extraction = ExtractedDocument.model_validate(doc.extraction) if doc.extraction else None
    found: dict[str, ExtractedField] = dict(extraction.fields) if extraction else {}
    names = [n for n in found if not n.startswith(SECOND_READINGS)]
    names += sorted(n for n in why if n not in found and not n.startswith(("items", *SECOND_READINGS)))
    rank = field_order(doc.kind)
    names.sort(key=lambda n: rank.get(n, len(rank)))  # known fields in form order; the rest keep theirs
    return [_view(n, field_label(doc.kind, n), found.get(n), submitted, threshold, why.get(n, [])) for n in names]


@dataclass(frozen=True)
class ItemTable:
    columns: list[tuple[str, str]]  #: (column key, label)
    rows: list[list[FieldView | None]]


def item_table(doc: DocumentRow | None, reasons: list[Reason], submitted: dict[str, str], *,
               threshold: float = 0.9) -> ItemTable | None:
    """Line items as an editable table (cells named ``items[i].<column>``), or None when there are none."""
    if doc is None or not doc.extraction:
        return None
    items = ExtractedDocument.model_validate(doc.extraction).items
    if not items:
        return None
    why = _reasons_by_field(reasons, doc.id)
    columns = list(dict.fromkeys(name for item in items for name in item))
    rows = []
    for i, item in enumerate(items):
        row: list[FieldView | None] = []
        for c in columns:
            name = f"items[{i}].{c}"
            row.append(_view(name, field_label(doc.kind, name), item.get(c), submitted, threshold,
                             why.get(name, []) + why.get(f"items.{c}", [])))
        rows.append(row)
    return ItemTable(columns=[(c, item_label(c, doc.kind)) for c in columns], rows=rows)


def page_views(doc: DocumentRow, fields: list[FieldView], images: dict[int, PageImageRow]) -> list[PageView]:
    """Every page of the document (a part of a split file: its own pages) with the boxes found on it."""
    if doc.page_from is not None and doc.page_to is not None:
        first, last = doc.page_from, doc.page_to
    else:
        first, last = 1, doc.pages or len(doc.page_text or []) or max(images, default=1)
    out = []
    for n in range(first, last + 1):
        image = images.get(n)
        out.append(PageView(no=n, url=f"/review/documents/{doc.id}/pages/{n}.jpg",
                            thumb=f"/review/documents/{doc.id}/thumbs/{n}.jpg",
                            width=image.width if image else 640, height=image.height if image else 420,
                            ready=image is not None, boxes=[f for f in fields if f.box and f.page == n]))
    return out


def part_label(doc: DocumentRow | None, *, split: bool) -> str | None:
    """Where a part of a split file sits in it ("第 3–4 页 · 文件中第 2 份文档"); None for a whole file."""
    if doc is None or doc.page_from is None or not (split or doc.parent_id):
        return None
    last = doc.page_to or doc.page_from
    span = f"第 {doc.page_from} 页" if last == doc.page_from else f"第 {doc.page_from}–{last} 页"
    return f"{span} · 文件中第 {(doc.part_index or 0) + 1} 份文档"


def reason_views(reasons: list[Reason], document_id: str | None, kind: str | None) -> list[ReasonView]:
    return [
        ReasonView(
            message=r.message, severity=r.severity or "info",
            severity_label=SEVERITY_LABELS.get(r.severity or "info", "提示"),
            fields=[field_label(kind, f) for f in r.fields],
            values=[(field_label(kind, k), "—" if v is None else v) for k, v in r.values.items()],
            other_document_id=r.document_id if r.document_id and r.document_id != document_id else None,
        )
        for r in reasons
    ]


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
