"""The committee's due date as one rule: days (not Hijri months) from the submission day, the
days a pause adds once it ends, and the days left, frozen while the clock is stopped. Every
place that sets a due date (submission, the intake preview, the demo data) agrees with it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from romah_desktop import settings
from romah_desktop.dates import format_dual, to_hijri, to_hijri_parts
from romah_desktop.services.committee.deadline import (
    Deadline,
    DeadlineState,
    Pause,
    days_left,
    due_date,
)
from romah_desktop.services.form_check import local_day
from romah_desktop.services.intake.views import committee_due_preview
from tests.romah_desktop.test_committee import load, submitted_request
from tests.romah_desktop.test_intake import World, world_fixture

world = world_fixture("deadline")

# 1446/02/17 هـ: the two weeks end on the first day of Rabi' al-Awwal (Safar has 30 days).
SUBMITTED = datetime(2024, 8, 21, 12, 0, tzinfo=UTC)
FIRST_DUE = date(2024, 9, 4)


def test_the_due_date_counts_days_not_hijri_months() -> None:
    assert to_hijri_parts(SUBMITTED.date()) == (1446, 2, 17)
    assert due_date(SUBMITTED.date(), 14) == FIRST_DUE
    assert to_hijri(FIRST_DUE) == "1446/03/01 هـ"
    # Submitted on the last day of a 29-day month (Jumada al-Ula 1446 ends on 2024-12-01).
    assert to_hijri_parts(date(2024, 12, 1)) == (1446, 5, 29)
    assert to_hijri_parts(date(2024, 12, 2)) == (1446, 6, 1)
    assert to_hijri(due_date(date(2024, 12, 1), 14)) == "1446/06/14 هـ"
    # Across the Hijri new year (1446/12/29 is the last day of 1446).
    assert to_hijri_parts(date(2025, 6, 25)) == (1446, 12, 29)
    assert to_hijri(due_date(date(2025, 6, 25), 14)) == "1447/01/14 هـ"


def test_a_pause_adds_its_days_once_it_ends() -> None:
    ongoing = Pause(date(2024, 8, 25))
    assert ongoing.length == 0 and ongoing.ongoing
    ended = Pause(date(2024, 8, 25), date(2024, 9, 10))
    assert ended.length == 16
    assert due_date(SUBMITTED.date(), 14, [ended]) == date(2024, 9, 20)
    # A resumption dated before the stop adds nothing (never takes days away).
    assert Pause(date(2024, 8, 25), date(2024, 8, 20)).length == 0
    with pytest.raises(ValueError, match="negative"):
        due_date(SUBMITTED.date(), -1)


def test_days_left_are_frozen_while_paused() -> None:
    assert days_left(FIRST_DUE, date(2024, 8, 25)) == 10
    assert days_left(FIRST_DUE, date(2024, 9, 30), paused_since=date(2024, 8, 25)) == 10
    assert days_left(FIRST_DUE, date(2024, 9, 6)) == -2


def test_a_deadline_states_where_it_stands_and_explains_itself() -> None:
    paused = Deadline(SUBMITTED.date(), FIRST_DUE, (Pause(date(2024, 8, 25)),))
    assert paused.state(date(2024, 10, 1)) is DeadlineState.PAUSED
    assert paused.days_left(date(2024, 10, 1)) == 10
    text = paused.explain(date(2024, 10, 1), "ar")
    assert format_dual(date(2024, 8, 25)) in text and "سيبقى 10 أيام" in text
    resumed = Deadline(
        SUBMITTED.date(), date(2024, 9, 20), (Pause(date(2024, 8, 25), date(2024, 9, 10)),)
    )
    assert resumed.answer_days == 14 and resumed.paused_days == 16
    assert resumed.state(date(2024, 9, 21)) is DeadlineState.OVERDUE
    english = resumed.explain(date(2024, 9, 21), "en")
    assert "14 days to answer" in english and "16 days added" in english
    assert "Overdue by 1 day." in english
    arabic = resumed.explain(date(2024, 9, 21), "ar")
    assert "أمام اللجنة 14 يومًا" in arabic and "أُضيف 16 يومًا" in arabic
    assert "مدة التأخر: يوم واحد." in arabic
    answered = Deadline(SUBMITTED.date(), FIRST_DUE, answered_on=date(2024, 9, 5))
    assert answered.state(date(2024, 9, 5)) is DeadlineState.ANSWERED_LATE
    assert answered.days_left(date(2024, 9, 5)) is None
    assert Deadline(None, None).state(date(2024, 9, 5)) is DeadlineState.NOT_SUBMITTED


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2070, 1, 1))


@given(
    submitted=days,
    answer_days=st.integers(1, 90),
    stop_after=st.integers(0, 120),
    away=st.integers(0, 200),
    looked=st.integers(0, 400),
)
def test_resuming_keeps_the_days_that_were_left(
    submitted: date, answer_days: int, stop_after: int, away: int, looked: int
) -> None:
    first_due = due_date(submitted, answer_days)
    stopped = submitted + timedelta(days=stop_after)
    resumed = stopped + timedelta(days=away)
    left_when_stopped = days_left(first_due, stopped)
    # While paused, any day shows the days left when the clock stopped.
    assert days_left(first_due, stopped + timedelta(days=looked), stopped) == left_when_stopped
    new_due = due_date(submitted, answer_days, [Pause(stopped, resumed)])
    assert (new_due - first_due).days == away
    assert days_left(new_due, resumed) == left_when_stopped
    # The due date is a Gregorian day count: its Hijri form is just another name for it.
    assert (new_due - submitted).days == answer_days + away
    assert to_hijri(new_due).endswith("هـ")


@given(
    submitted=days, answer_days=st.integers(1, 90), gaps=st.lists(st.integers(0, 30), max_size=5)
)
def test_several_pauses_add_up(submitted: date, answer_days: int, gaps: list[int]) -> None:
    pauses = []
    day = submitted
    for gap in gaps:
        pauses.append(Pause(day + timedelta(days=1), day + timedelta(days=1 + gap)))
        day += timedelta(days=1 + gap)
    due = due_date(submitted, answer_days, pauses)
    deadline = Deadline(submitted, due, tuple(pauses))
    assert deadline.answer_days == answer_days
    assert deadline.paused_days == sum(gaps)


# --- every place that sets a due date calls the rule ---------------------------------------


def test_submission_and_the_intake_preview_use_the_rule(world: World) -> None:
    with world.ws.transaction() as session:
        settings.put(session, "committee_answer_days", 10)
    try:
        _person, request = submitted_request(world)
        row = load(world, request)
        assert row.submitted_at is not None
        assert row.committee_due_on == due_date(local_day(row.submitted_at), 10)
        with world.ws.db.session() as session:
            preview = committee_due_preview(session, world.clerk, today=SUBMITTED.date())
        assert (preview.days, preview.due_on) == (10, due_date(SUBMITTED.date(), 10))
        assert preview.text == format_dual(preview.due_on)
    finally:
        with world.ws.transaction() as session:
            settings.put(session, "committee_answer_days", 14)
