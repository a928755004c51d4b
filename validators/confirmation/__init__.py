"""Field confidence that says what confirmed a value: the reader's confidence (text layer, OCR), then every
independent confirmation — the QR code and embedded data, the arithmetic of the schema's constraints, the tax
authority, the business registry, another document, the application — each recorded in ``confirmed_by`` with
its reason in ``evidence``. A value confirmed by an independent source may pass; an OCR value alone may not.

    core        boost / cap / confirm and the factors
    sources     the QR code and the embedded data agree with the printed value
    arithmetic  the schema's constraints hold (Σ lines, amount + tax, 大写, qty × price, running balance, check digit)
    calibrate   one document: sources, arithmetic, then caps from the findings
    authority   the tax authority's record of an invoice
    case        the registry, other documents of the application, the application itself
"""

from validators.confirmation.calibrate import calibrate
from validators.confirmation.core import (
    CHECK_HOLDS,
    DISAGREES_CAP,
    ERROR_CAP,
    SOURCE_AGREES,
    STRUCTURE_HOLDS,
    SUSPECT_CAP,
    boost,
    cap,
    confirm,
)

__all__ = ["CHECK_HOLDS", "DISAGREES_CAP", "ERROR_CAP", "SOURCE_AGREES", "STRUCTURE_HOLDS", "SUSPECT_CAP", "boost",
           "calibrate", "cap", "confirm"]
