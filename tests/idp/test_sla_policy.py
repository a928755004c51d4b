"""SLA policies: targets, the 16:00 cut-off, T+0, warning fractions, and the clock agreeing with level_at."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idp.models import SlaLevel, TaskKind
from idp.models.calendar import CalendarSource, WorkingCalendar
from idp.models.sla import DEFAULT_POLICIES, SlaPolicy, pick_policy
from tests.queue_world import SHANGHAI, local

CAL = WorkingCalendar()
FOUR_HOURS = SlaPolicy(name="4h", target_hours=4)


@pytest.mark.parametrize(("at", "level"), [
    (local(2026, 3, 2, 9, 0), SlaLevel.NONE),
    (local(2026, 3, 2, 10, 59), SlaLevel.NONE),
    (local(2026, 3, 2, 11, 0), SlaLevel.BLUE),  # 2 of 4 business hours = 50%
    (local(2026, 3, 2, 13, 0), SlaLevel.YELLOW),  # 3 h = 75% (the lunch hour does not count)
    (local(2026, 3, 2, 13, 36), SlaLevel.ORANGE),  # 3.6 h = 90%
    (local(2026, 3, 2, 14, 0), SlaLevel.RED),  # breached
    (local(2026, 3, 3, 9, 0), SlaLevel.RED),
])
def test_each_warning_level_is_reached_at_its_fraction_of_the_target(at, level):
    received = local(2026, 3, 2, 9, 0)
    assert FOUR_HOURS.level_at(at, received_at=received, cal=CAL) == level
    assert FOUR_HOURS.clock(received, CAL).level_at(at) == level


def test_the_labels_are_the_four_colours():
    assert [lvl.label for lvl in SlaLevel] == ["正常", "蓝", "黄", "橙", "红"]
    assert [lvl.rank for lvl in SlaLevel] == [0, 1, 2, 3, 4] and SlaLevel.of_rank(3) == SlaLevel.ORANGE


def test_paused_business_time_is_not_counted():
    received = local(2026, 3, 2, 9, 0)
    assert FOUR_HOURS.level_at(local(2026, 3, 2, 14, 0), received_at=received, cal=CAL,
                               paused=timedelta(hours=2)) == SlaLevel.BLUE


def test_same_day_policy_with_a_cut_off_runs_to_ten_the_next_working_day():
    policy = SlaPolicy(name="t0", target_hours=None, cutoff=time(16))
    assert policy.clock(local(2026, 3, 2, 10, 0), CAL).due_at == local(2026, 3, 2, 18, 0)
    late = policy.clock(local(2026, 3, 2, 16, 30), CAL)
    assert late.due_at == local(2026, 3, 3, 10, 0)
    assert late.target == timedelta(hours=2, minutes=30)
    friday_late = policy.clock(local(2026, 9, 30, 16, 5), CAL)  # the eve of National Day
    assert friday_late.due_at == local(2026, 10, 8, 10, 0)
    saturday = policy.clock(local(2026, 3, 7, 11, 0),
                            CAL)  # received on a day off: end of the next working day
    assert saturday.due_at == local(2026, 3, 9, 18, 0)


def test_a_clock_crossing_into_2027_says_it_used_the_fallback_calendar():
    clock = SlaPolicy(name="t0", target_hours=None, cutoff=time(16)).clock(local(2026, 12, 31, 16, 30), CAL)
    assert clock.calendar == CalendarSource.FALLBACK
    assert clock.due_at == local(2027, 1, 4, 10, 0)
    assert FOUR_HOURS.clock(local(2026, 3, 2, 9, 0), CAL).calendar == CalendarSource.OFFICIAL


def test_fractions_must_rise_and_stay_within_the_target():
    SlaPolicy(name="ok", fractions={SlaLevel.BLUE: 0.3})
    for bad in ({SlaLevel.BLUE: 0.8}, {SlaLevel.RED: 1.5}, {SlaLevel.BLUE: 0.0}):
        with pytest.raises(ValueError):
            SlaPolicy(name="bad", fractions=bad)


def test_the_most_specific_policy_wins():
    policies = [
        SlaPolicy(name="any", target_hours=8),
        SlaPolicy(name="product", product="订单贷", target_hours=6),
        SlaPolicy(name="kind", kind=TaskKind.CROSS_CHECK, target_hours=4),
        SlaPolicy(name="both", kind=TaskKind.CROSS_CHECK, product="订单贷", target_hours=2),
    ]
    assert pick_policy(policies, TaskKind.CROSS_CHECK, "订单贷").name == "both"
    assert pick_policy(policies, TaskKind.CROSS_CHECK, "经营贷").name == "kind"
    assert pick_policy(policies, TaskKind.FIELD_REVIEW, "订单贷").name == "product"
    assert pick_policy(policies, TaskKind.FIELD_REVIEW, None).name == "any"
    with pytest.raises(LookupError):
        pick_policy(policies[2:], TaskKind.FIELD_REVIEW, None)


def test_default_policies_follow_the_domain_targets():
    by_kind = {p.kind: p for p in DEFAULT_POLICIES}
    assert by_kind[TaskKind.VERIFICATION_FAILED].target_hours == 2.0
    field_review = by_kind[TaskKind.FIELD_REVIEW]
    assert field_review.target_hours is None and field_review.cutoff == time(16)


_instants = st.datetimes(min_value=datetime(2026, 9, 1), max_value=datetime(2027, 1, 20)).map(
    lambda d: d.replace(tzinfo=SHANGHAI))


@settings(max_examples=120, deadline=None)
@given(received=_instants, later=st.integers(min_value=0, max_value=30 * 24 * 60),
       policy=st.sampled_from([FOUR_HOURS, *DEFAULT_POLICIES]))
def test_the_stored_clock_agrees_with_level_at(received, later, policy):
    now = received + timedelta(minutes=later)
    assert policy.clock(received, CAL).level_at(now) == policy.level_at(now, received_at=received, cal=CAL)
