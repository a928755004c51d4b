"""The arithmetic of confidence: an independent confirmation divides a value's chance of being wrong; a
contradiction caps it. Calibrated on the evaluation sets (``idp eval``): the decision policy's thresholds are set
where no wrong value passes.
"""

from __future__ import annotations

from idp.models import Confirmation, ExtractedField, FieldSource

#: What is left of the error chance after an independent source (QR, embedded data, authority, registry,
#: another document) agrees.
SOURCE_AGREES = 0.1
#: ... after an arithmetic or checksum identity that involves the value holds.
CHECK_HOLDS = 0.2
#: ... after a structural check holds (a code's kind and year, a 数电 number's year).
STRUCTURE_HOLDS = 0.5
#: Ceiling of a value a second source contradicts.
DISAGREES_CAP = 0.5
#: Ceiling of a value an error finding names.
ERROR_CAP = 0.3
#: Ceiling of a value a suspicion finding names (checksum, rounding, region).
SUSPECT_CAP = 0.6


def boost(field: ExtractedField | None, factor: float) -> None:
    """Divide the error chance; a value worked out from others (DERIVED) gains nothing from the same identity."""
    if field is not None and field.value and field.source != FieldSource.DERIVED:
        field.confidence = round(1 - (1 - field.confidence) * factor, 6)


def cap(field: ExtractedField | None, ceiling: float) -> None:
    if field is not None:
        field.confidence = min(field.confidence, ceiling)


def confirm(field: ExtractedField | None, source: Confirmation, why: str, factor: float) -> bool:
    """Boost ``field`` once per distinct reason (two identities that hold are two confirmations; the same one
    seen again when a case is decided twice is not), recording the source and why; False when nothing changed."""
    if field is None or not field.value or why in field.evidence:
        return False
    boost(field, factor)
    field.confirm(source, why)
    return True
