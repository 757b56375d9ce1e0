"""The research committee's deadline: when its answer to a request is due, and why.

The committee answers within the branch's ``committee_answer_days`` (two weeks by default) of
the day the request was submitted. While the committee has returned a request for more
information the clock stops, and it starts again, with the days that were left, when the
request is submitted again. Each stop is a `DeadlinePause` row, so every day added to the
due date is explained by a row that syncs like any other record:

    due date = submission day + answer days + the length of every ended pause

`SupportRequest.committee_due_on` holds that date (indexed, for Today's lists); the rules
here keep it equal to the sum above.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.enums import DecisionOutcome
from db.ids import new_id
from db.models import CommitteeDecision, DeadlinePause, SupportRequest
from romah_desktop.dates import format_dual
from romah_desktop.grammar import DAY, count_phrase
from romah_desktop.i18n import N_, translate
from romah_desktop.services.form_check import local_day

# SQLite refuses statements with too many parameters; look ids up in chunks.
_CHUNK = 500
# The outcomes that answer a request (a return for more information does not).
ANSWERS = frozenset({DecisionOutcome.APPROVE, DecisionOutcome.REJECT})


@dataclass(frozen=True)
class Pause:
    """A stretch of days the clock stood still: from `paused_on` to `resumed_on` (None while
    the request is still back with the person)."""

    paused_on: date
    resumed_on: date | None = None

    @property
    def ongoing(self) -> bool:
        return self.resumed_on is None

    @property
    def length(self) -> int:
        """Days the pause added to the due date: none until it ends, never fewer than none."""
        if self.resumed_on is None:
            return 0
        return max(0, (self.resumed_on - self.paused_on).days)


def due_date(submitted_on: date, answer_days: int, pauses: Iterable[Pause] = ()) -> date:
    """The day the committee's answer is due: `answer_days` after the submission day, plus
    the length of every ended pause. Raises ValueError for a negative `answer_days`."""
    if answer_days < 0:
        raise ValueError("answer_days must not be negative")
    return submitted_on + timedelta(days=answer_days + sum(p.length for p in pauses))


def days_left(due_on: date, today: date, paused_since: date | None = None) -> int:
    """Days from `today` to `due_on` (negative once overdue). While the clock is paused, the
    days that were left on the day it stopped: they are all still there when it resumes."""
    counted = today if paused_since is None else min(today, paused_since)
    return (due_on - counted).days


class DeadlineState(StrEnum):
    """Where a request stands against the committee's deadline."""

    NOT_SUBMITTED = "not_submitted"
    OPEN = "open"
    OVERDUE = "overdue"
    PAUSED = "paused"
    ANSWERED_ON_TIME = "answered_on_time"
    ANSWERED_LATE = "answered_late"


@dataclass(frozen=True)
class Deadline:
    """One request's deadline, with what it is made of."""

    submitted_on: date | None
    due_on: date | None
    pauses: tuple[Pause, ...] = ()
    answered_on: date | None = None

    @property
    def paused_since(self) -> date | None:
        """The day the clock stopped, while it is stopped."""
        ongoing = [p.paused_on for p in self.pauses if p.ongoing]
        return max(ongoing) if ongoing else None

    @property
    def paused_days(self) -> int:
        """Days the ended pauses added to the due date."""
        return sum(p.length for p in self.pauses)

    @property
    def answer_days(self) -> int | None:
        """The days the committee was given at submission (the branch's setting then)."""
        if self.submitted_on is None or self.due_on is None:
            return None
        return (self.due_on - self.submitted_on).days - self.paused_days

    def days_left(self, today: date) -> int | None:
        """Days until the answer is due (negative once overdue; frozen while paused), or None
        when nothing is due (not submitted, or answered)."""
        if self.due_on is None or self.answered_on is not None:
            return None
        return days_left(self.due_on, today, self.paused_since)

    def state(self, today: date) -> DeadlineState:
        if self.due_on is None:
            return DeadlineState.NOT_SUBMITTED
        if self.answered_on is not None:
            if self.answered_on <= self.due_on:
                return DeadlineState.ANSWERED_ON_TIME
            return DeadlineState.ANSWERED_LATE
        if self.paused_since is not None:
            return DeadlineState.PAUSED
        return DeadlineState.OVERDUE if self.due_on < today else DeadlineState.OPEN

    def explain(self, today: date, lang: str | None = None) -> str:
        """How the due date was reached and where the request stands, in one paragraph."""
        if self.submitted_on is None or self.due_on is None:
            return translate(N_("Not yet submitted to the committee."), lang)
        parts = [
            translate(
                N_("Submitted on {submitted}; the committee has {days} to answer."),
                lang,
                submitted=format_dual(self.submitted_on),
                days=count_phrase(self.answer_days or 0, DAY, lang),
            )
        ]
        for pause in self.pauses:
            if pause.resumed_on is None:
                continue
            parts.append(
                translate(
                    N_(
                        "The clock stopped from {paused} to {resumed} while the request was "
                        "back for more information: {days} added."
                    ),
                    lang,
                    paused=format_dual(pause.paused_on),
                    resumed=format_dual(pause.resumed_on),
                    days=count_phrase(pause.length, DAY, lang),
                )
            )
        parts.append(translate(N_("Answer due on {due}."), lang, due=format_dual(self.due_on)))
        state = self.state(today)
        if state is DeadlineState.PAUSED:
            assert self.paused_since is not None
            parts.append(
                translate(
                    N_(
                        "The clock is stopped since {paused}: the request was returned for "
                        "more information. {days} will be left when it is submitted again."
                    ),
                    lang,
                    paused=format_dual(self.paused_since),
                    days=count_phrase(self.days_left(today) or 0, DAY, lang),
                )
            )
        elif state is DeadlineState.OVERDUE:
            parts.append(
                translate(
                    N_("Overdue by {days}."),
                    lang,
                    days=count_phrase(-(self.days_left(today) or 0), DAY, lang),
                )
            )
        elif state is DeadlineState.OPEN:
            left = count_phrase(self.days_left(today) or 0, DAY, lang)
            parts.append(translate(N_("{days} left."), lang, days=left))
        elif state is DeadlineState.ANSWERED_ON_TIME:
            assert self.answered_on is not None
            parts.append(
                translate(
                    N_("Answered on time, on {answered}."),
                    lang,
                    answered=format_dual(self.answered_on),
                )
            )
        else:
            assert self.answered_on is not None
            parts.append(
                translate(
                    N_("Answered late, on {answered}."),
                    lang,
                    answered=format_dual(self.answered_on),
                )
            )
        return " ".join(parts)


# --- reading ----------------------------------------------------------------------------


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start : start + _CHUNK]


def pauses_of(session: Session, request_ids: Iterable[str]) -> dict[str, tuple[Pause, ...]]:
    """Each request's live pauses, oldest first (requests without one are left out)."""
    found: dict[str, list[Pause]] = {}
    for chunk in _chunks(request_ids):
        rows = session.execute(
            sa.select(DeadlinePause.request_id, DeadlinePause.paused_on, DeadlinePause.resumed_on)
            .where(DeadlinePause.request_id.in_(chunk), DeadlinePause.deleted_at.is_(None))
            .order_by(DeadlinePause.paused_on, DeadlinePause.id)
        )
        for row in rows:
            found.setdefault(row.request_id, []).append(Pause(row.paused_on, row.resumed_on))
    return {key: tuple(value) for key, value in found.items()}


def first_answers(session: Session, request_ids: Iterable[str]) -> dict[str, date]:
    """The day each request was first answered (approved or rejected), corrections included:
    an answer was given that day even if a later decision corrected it."""
    found: dict[str, date] = {}
    for chunk in _chunks(request_ids):
        rows = session.execute(
            sa.select(CommitteeDecision.request_id, sa.func.min(CommitteeDecision.decided_on))
            .where(
                CommitteeDecision.request_id.in_(chunk),
                CommitteeDecision.outcome.in_(sorted(ANSWERS)),
            )
            .group_by(CommitteeDecision.request_id)
        )
        found.update({row[0]: row[1] for row in rows})
    return found


def deadlines(session: Session, requests: Sequence[SupportRequest]) -> dict[str, Deadline]:
    """The deadline of each request, by id, read in a few statements."""
    ids = [r.id for r in requests]
    pauses = pauses_of(session, ids)
    answers = first_answers(session, ids)
    return {
        r.id: Deadline(
            submitted_on=None if r.submitted_at is None else local_day(r.submitted_at),
            due_on=r.committee_due_on,
            pauses=pauses.get(r.id, ()),
            answered_on=answers.get(r.id),
        )
        for r in requests
    }


def deadline_of(session: Session, request: SupportRequest) -> Deadline:
    return deadlines(session, [request])[request.id]


# --- writing (called by the request services, inside their transaction) ------------------


def _ongoing(session: Session, request_id: str) -> DeadlinePause | None:
    return session.scalars(
        sa.select(DeadlinePause)
        .where(
            DeadlinePause.request_id == request_id,
            DeadlinePause.deleted_at.is_(None),
            DeadlinePause.resumed_on.is_(None),
        )
        .order_by(DeadlinePause.paused_on.desc(), DeadlinePause.id.desc())
    ).first()


def stop_clock(
    session: Session, request: SupportRequest, decision: CommitteeDecision, on: date
) -> DeadlinePause:
    """Stop the request's clock on `on`, for the decision returning it for information."""
    pause = DeadlinePause(id=new_id(), request_id=request.id, decision_id=decision.id, paused_on=on)
    session.add(pause)
    return pause


def restart_clock(
    session: Session, request: SupportRequest, on: date, *, stopped_on: date | None = None
) -> int:
    """Start the request's clock again on `on` and move its due date by the days it stood
    still; returns those days. A request returned before pauses were recorded has no ongoing
    pause: its clock is taken to have stopped on `stopped_on` (the returning decision's
    date), and that stretch is recorded as an ended pause of that decision."""
    pause = _ongoing(session, request.id)
    if pause is None:
        if stopped_on is None:
            return 0
        decision_id = session.scalar(
            sa.select(CommitteeDecision.id)
            .where(
                CommitteeDecision.request_id == request.id,
                CommitteeDecision.outcome == DecisionOutcome.NEED_INFO,
            )
            .order_by(CommitteeDecision.created_at.desc(), CommitteeDecision.id.desc())
        )
        if decision_id is None:
            return 0
        pause = DeadlinePause(
            id=new_id(), request_id=request.id, decision_id=decision_id, paused_on=stopped_on
        )
        session.add(pause)
    pause.resumed_on = max(on, pause.paused_on)
    added = Pause(pause.paused_on, pause.resumed_on).length
    if request.committee_due_on is not None:
        request.committee_due_on += timedelta(days=added)
    return added


def withdraw_pause(session: Session, decision_id: str) -> DeadlinePause | None:
    """Tombstone the pause a corrected decision started (the return no longer holds) and
    take its days back off the due date; returns the pause, or None if it had none."""
    pause = session.scalars(
        sa.select(DeadlinePause).where(
            DeadlinePause.decision_id == decision_id, DeadlinePause.deleted_at.is_(None)
        )
    ).first()
    if pause is None:
        return None
    request = session.get(SupportRequest, pause.request_id)
    length = Pause(pause.paused_on, pause.resumed_on).length
    if request is not None and request.committee_due_on is not None and length:
        request.committee_due_on -= timedelta(days=length)
    pause.deleted_at = utcnow()
    return pause


def on_time_percent(on_time: int, late: int, open_overdue: int) -> float | None:
    """Answered on time, the one figure every screen, report and HQ shows: of the requests whose
    answer fell due (answered on time, answered late, or still unanswered past the due date),
    the share answered by the due date, in percent. None when none fell due. Screens round it
    for display; requests paused waiting for the beneficiary or withdrawn are not counted."""
    due = on_time + late + open_overdue
    return None if due == 0 else 100 * on_time / due
