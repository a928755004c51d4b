"""Core pydantic models: the bottom layer, importing nothing of ours but each other."""

from idp.models.application import (
    Application,
    ApplicationStatus,
    Borrower,
    Document,
    DocumentStatus,
    Period,
)
from idp.models.decision import Decision, DecisionOutcome, Reason
from idp.models.fields import DocumentKind, ExtractedDocument, ExtractedField, FieldSource
from idp.models.findings import Finding, Severity
from idp.models.geometry import BBox
from idp.models.page import Barcode, Mark, MarkKind, PageText, TextLine, TextSource, Word
from idp.models.review import TASK_KIND_LABELS, ReviewTask, TaskKind, TaskPriority, TaskStatus
from idp.models.webhook import DeliveryStatus, WebhookDelivery

__all__ = [
    "TASK_KIND_LABELS",
    "Application",
    "ApplicationStatus",
    "BBox",
    "Barcode",
    "Borrower",
    "Decision",
    "DecisionOutcome",
    "DeliveryStatus",
    "Document",
    "DocumentKind",
    "DocumentStatus",
    "ExtractedDocument",
    "ExtractedField",
    "FieldSource",
    "Mark",
    "MarkKind",
    "Finding",
    "PageText",
    "Period",
    "Reason",
    "ReviewTask",
    "Severity",
    "TaskKind",
    "TaskPriority",
    "TaskStatus",
    "TextLine",
    "TextSource",
    "WebhookDelivery",
    "Word",
]
