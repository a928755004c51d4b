"""Core pydantic models: the bottom layer, importing nothing of ours but each other."""

from idp.models.application import (
    Application,
    ApplicationStatus,
    Borrower,
    Document,
    DocumentStatus,
    Period,
)
from idp.models.calendar import CalendarSource, WorkingCalendar, add_business_time, business_elapsed
from idp.models.corrections import CORRECTION_STATUS_LABELS, CorrectionStatus, needs_second_reviewer
from idp.models.decision import Decision, DecisionOutcome, Reason
from idp.models.fields import Confirmation, DocumentKind, ExtractedDocument, ExtractedField, FieldSource
from idp.models.findings import Finding, Severity
from idp.models.forensics import OddRun, PdfForensics
from idp.models.geometry import BBox
from idp.models.page import Barcode, Mark, MarkKind, PageText, TextLine, TextSource, Word
from idp.models.review import (
    OUTCOMES,
    RESOLUTION_CODES,
    TASK_KIND_LABELS,
    TASK_STATUS_LABELS,
    ReviewTask,
    TaskKind,
    TaskPriority,
    TaskStatus,
)
from idp.models.sla import SLA_LEVEL_LABELS, SlaClock, SlaLevel, SlaPolicy
from idp.models.staff import ROLE_LABELS, WATCHERS, Reviewer, Role, name_key, same_person
from idp.models.webhook import DeliveryStatus, WebhookDelivery

__all__ = [
    "CORRECTION_STATUS_LABELS",
    "OUTCOMES",
    "RESOLUTION_CODES",
    "ROLE_LABELS",
    "WATCHERS",
    "name_key",
    "same_person",
    "SLA_LEVEL_LABELS",
    "TASK_KIND_LABELS",
    "TASK_STATUS_LABELS",
    "Application",
    "ApplicationStatus",
    "BBox",
    "Barcode",
    "Borrower",
    "Confirmation",
    "CalendarSource",
    "CorrectionStatus",
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
    "OddRun",
    "PdfForensics",
    "MarkKind",
    "Finding",
    "PageText",
    "Period",
    "Reason",
    "ReviewTask",
    "Reviewer",
    "Role",
    "Severity",
    "SlaClock",
    "SlaLevel",
    "SlaPolicy",
    "TaskKind",
    "TaskPriority",
    "TaskStatus",
    "TextLine",
    "TextSource",
    "WebhookDelivery",
    "Word",
    "WorkingCalendar",
    "add_business_time",
    "business_elapsed",
    "needs_second_reviewer",
]
