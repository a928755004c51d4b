"""SLA policies and clocks: a target in business time, warning levels 蓝/黄/橙/红 at fractions of it.

Pure functions of a calendar and ``now``; the sweep in :mod:`queues.sla` stores the instants a clock
reaches each level, so the database can find the tasks that cross one without re-running the calendar.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from idp.models.calendar import (
    CalendarSource,
    WorkingCalendar,
    add_business_time,
    business_elapsed,
    next_business_instant,
)
from idp.models.review import TaskKind


class SlaLevel(StrEnum):
    """How much of its SLA target a task has used (红 = breached)."""

    NONE = "none"
    BLUE = "blue"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        return SLA_LEVEL_LABELS[self]

    @classmethod
    def of_rank(cls, rank: int) -> SlaLevel:
        return _BY_RANK[rank]


SLA_LEVEL_LABELS: dict[SlaLevel, str] = {
    SlaLevel.NONE: "正常", SlaLevel.BLUE: "蓝", SlaLevel.YELLOW: "黄", SlaLevel.ORANGE: "橙", SlaLevel.RED: "红",
}
#: The warning levels in the order a running clock reaches them.
WARNING_LEVELS: tuple[SlaLevel, ...] = (SlaLevel.BLUE, SlaLevel.YELLOW, SlaLevel.ORANGE, SlaLevel.RED)
_RANK = {level: i for i, level in enumerate((SlaLevel.NONE, *WARNING_LEVELS))}
_BY_RANK = {i: level for level, i in _RANK.items()}
#: Default fractions of the target at which each level is entered (红 = the target itself).
DEFAULT_FRACTIONS: dict[SlaLevel, float] = {
    SlaLevel.BLUE: 0.5, SlaLevel.YELLOW: 0.75, SlaLevel.ORANGE: 0.9, SlaLevel.RED: 1.0,
}


class SlaClock(BaseModel):
    """A task's clock: when it started, its target, and the instant each warning level is reached."""

    policy: str
    started_at: datetime
    target: timedelta  #: business time from start to due
    marks: dict[SlaLevel, datetime]
    #: FALLBACK when the clock runs through a year chinese-calendar lacks
    calendar: CalendarSource = CalendarSource.OFFICIAL

    @property
    def due_at(self) -> datetime:
        return self.marks[SlaLevel.RED]

    def level_at(self, now: datetime) -> SlaLevel:
        level = SlaLevel.NONE
        for candidate in WARNING_LEVELS:
            if self.marks[candidate] <= now:
                level = candidate
        return level


def marks_for(started_at: datetime, target: timedelta, fractions: dict[SlaLevel, float], cal: WorkingCalendar,
              *, paused: timedelta = timedelta(0)) -> dict[SlaLevel, datetime]:
    """The instant each level is reached, with ``paused`` business time (补件 waits) added back."""
    return {level: add_business_time(started_at, target * fractions[level] + paused,
                                     cal) for level in WARNING_LEVELS}


class SlaPolicy(BaseModel):
    """The SLA of a task kind and/or product; ``target_hours=None``: by the end of the working day (T+0)."""

    name: str
    kind: TaskKind | None = None  #: None applies to every kind
    product: str | None = None  #: None applies to every product
    target_hours: float | None = Field(default=4.0, gt=0)
    #: Received at or after this time on a working day → due the next working day at ``carry_to``.
    cutoff: time | None = None
    carry_to: time = time(10)
    fractions: dict[SlaLevel, float] = Field(default_factory=lambda: dict(DEFAULT_FRACTIONS))

    @field_validator("fractions")
    @classmethod
    def _ordered(cls, value: dict[SlaLevel, float]) -> dict[SlaLevel, float]:
        merged = {**DEFAULT_FRACTIONS, **value}
        merged.pop(SlaLevel.NONE, None)
        steps = [merged[level] for level in WARNING_LEVELS]
        if any(not 0 < f <= 1 for f in steps) or steps != sorted(steps):
            raise ValueError(f"warning fractions must rise within (0, 1]: {steps}")
        return merged

    def score(self, kind: TaskKind | str, product: str | None) -> int | None:
        """How specifically this policy fits (kind counts more than product); None declines."""
        if self.kind is not None and self.kind != kind:
            return None
        if self.product is not None and self.product != product:
            return None
        return (2 if self.kind is not None else 0) + (1 if self.product is not None else 0)

    def due_at(self, received_at: datetime, cal: WorkingCalendar) -> datetime:
        local = received_at.astimezone(cal.tz)
        if self.cutoff is not None and cal.is_workday(local.date()) and local.time() >= self.cutoff:
            day = cal.next_workday(local.date() + timedelta(days=1))
            return datetime.combine(day, self.carry_to, cal.tz).astimezone(UTC)
        if self.target_hours is None:
            start = next_business_instant(received_at, cal).astimezone(cal.tz)
            return datetime.combine(start.date(), cal.hours[-1][1], cal.tz).astimezone(UTC)
        return add_business_time(received_at, self.target_hours, cal)

    def clock(self, received_at: datetime, cal: WorkingCalendar) -> SlaClock:
        """Start a clock for a task received at ``received_at``."""
        due = self.due_at(received_at, cal)
        target = business_elapsed(received_at, due, cal)
        marks = marks_for(received_at, target, self.fractions,
                          cal) if target else dict.fromkeys(WARNING_LEVELS, due)
        source = CalendarSource.FALLBACK if cal.uses_fallback(received_at, due) else CalendarSource.OFFICIAL
        return SlaClock(policy=self.name, started_at=received_at, target=target, marks=marks, calendar=source)

    def level_at(self, now: datetime, *, received_at: datetime, cal: WorkingCalendar,
                 paused: timedelta = timedelta(0)) -> SlaLevel:
        """The level at ``now`` of a task received at ``received_at`` and paused for ``paused`` in all."""
        due = self.due_at(received_at, cal)
        target = business_elapsed(received_at, due, cal)
        if not target:
            return SlaLevel.RED if now >= due else SlaLevel.NONE
        running = business_elapsed(received_at, now, cal) - paused
        level = SlaLevel.NONE
        for candidate in WARNING_LEVELS:
            if running >= target * self.fractions[candidate]:
                level = candidate
        return level


def pick_policy(policies: list[SlaPolicy], kind: TaskKind | str, product: str | None) -> SlaPolicy:
    """The most specific policy for a task (the first one wins a tie)."""
    best: SlaPolicy | None = None
    best_score = -1
    for policy in policies:
        score = policy.score(kind, product)
        if score is not None and score > best_score:
            best, best_score = policy, score
    if best is None:
        raise LookupError(f"no SLA policy for kind={kind} product={product}")
    return best


#: Built-in policies (domain §8): 红 hard stops 2 working hours, 橙 4 h, the rest same day with a 16:00 cut-off.
DEFAULT_POLICIES: tuple[SlaPolicy, ...] = (
    SlaPolicy(name="verification_failed", kind=TaskKind.VERIFICATION_FAILED, target_hours=2.0),
    SlaPolicy(name="cross_check", kind=TaskKind.CROSS_CHECK, target_hours=4.0),
    SlaPolicy(name="processing_failed", kind=TaskKind.PROCESSING_FAILED, target_hours=4.0),
    SlaPolicy(name="field_review", kind=TaskKind.FIELD_REVIEW, target_hours=None, cutoff=time(16)),
    SlaPolicy(name="unclassified", kind=TaskKind.UNCLASSIFIED, target_hours=None, cutoff=time(16)),
    SlaPolicy(name="verification_unavailable", kind=TaskKind.VERIFICATION_UNAVAILABLE, target_hours=None,
              cutoff=time(16)),
)
