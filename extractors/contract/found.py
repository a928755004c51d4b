"""A contract value chosen among candidates, with the confidence its choice deserves and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.contract.text import Segment

#: Confidence of a value its label alone names, with no competitor.
SURE = 0.99
#: Confidence of a value read well but not the only plausible one (another candidate, an attribution across
#: a comma, a year guessed): under the shipped policy's 0.95 threshold, so a person looks at it.
AMBIGUOUS = 0.85
#: Confidence of a value computed from a relative term (签订后30日内 → 签订日期 + 30日).
DERIVED = 0.8


@dataclass(frozen=True)
class Found:
    """A value, the segment it was read from (None when computed), its confidence and the reasons."""

    value: str
    seg: Segment | None
    confidence: float
    evidence: tuple[str, ...] = field(default_factory=tuple)
