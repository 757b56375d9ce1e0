"""The demo's workflow rows: contacts, support requests with the committee's decisions and
the services delivered, satisfaction surveys, research referrals and feedback."""

from __future__ import annotations

from datetime import date, timedelta

from db.enums import (
    Channel,
    DecisionOutcome,
    FeedbackKind,
    FeedbackStatus,
    ReferralStatus,
    RequestStatus,
)
from db.ids import new_id
from db.models import (
    CommitteeDecision,
    Contact,
    Feedback,
    ResearchReferral,
    SatisfactionSurvey,
    ServiceDelivery,
    SupportRequest,
)
from romah_desktop.demo.base import (
    FEEDBACK_CHANNELS,
    FEEDBACK_DAYS,
    FIRST_NAMES,
    REQUEST_CHANNELS,
    RIYADH,
    DemoRows,
    Person,
)
from romah_desktop.demo.vocabulary import (
    APPROVE_REASONS,
    COMPLAINTS,
    CONTACT_NOTES,
    CONTACT_SUBJECTS,
    FEEDBACK_RESPONSES,
    INQUIRY_SUBJECTS,
    ITEMS,
    JUSTIFICATIONS,
    MALE_NAMES,
    NEED_INFO_REASONS,
    REFERRAL_ANSWERS,
    REFERRAL_QUESTIONS,
    REJECT_REASONS,
    SAUDI_FAMILIES,
    SERVICE_FOR_REQUEST,
    SUGGESTIONS,
    SURVEY_COMMENTS,
)
from romah_desktop.services.committee import deadline
from romah_desktop.services.numbers import reserve_request_numbers


class WorkflowRows(DemoRows):
    """Makes the rows of a person's dealings with the branch, after their file."""

    def contacts(self, person: Person) -> None:
        rng = self.rng
        for _ in range(rng.randint(0, 5)):
            channel = rng.choices(self.channel_pool, cum_weights=self.channel_weights)[0]
            day = self.work_day_between(person.registered, self.today)
            occurred = self.office_time(day)
            inquirer = rng.random() < 0.04
            letter = channel is Channel.LETTER
            letter_date = self.workday(day - timedelta(days=rng.randint(1, 20))) if letter else None
            if letter_date is not None:
                self.letter_serial += 1
                reference: str | None = f"{self.letter_serial}/{self.hijri_year(letter_date)}"
            else:
                reference = None
            self.first.append(
                Contact(
                    id=new_id(),
                    branch_id=self.actor.branch_id,
                    beneficiary_id=None if inquirer else person.row.id,
                    inquirer_name=self.inquirer_name() if inquirer else None,
                    inquirer_phone=self.mobile() if inquirer else None,
                    channel=channel,
                    subject=self.pick(INQUIRY_SUBJECTS if inquirer else CONTACT_SUBJECTS[channel]),
                    notes=self.pick(CONTACT_NOTES) if rng.random() < 0.3 else None,
                    letter_reference=reference,
                    letter_date=letter_date,
                    occurred_at=occurred,
                    follow_up_on=self.later(day, 3, 10) if rng.random() < 0.08 else None,
                    handled_by_user_id=self.pick(self.staff.front_desk),
                    field_versions={},
                    created_at=occurred,
                )
            )
            self.counts.contacts += 1
            if not inquirer and channel is Channel.INTERVIEW and rng.random() < 0.03:
                self.survey(person.row.id, None, self.first[-1].id, channel, day)

    def inquirer_name(self) -> str:
        first = self.pick(FIRST_NAMES)
        return f"{first} {self.pick(MALE_NAMES)} {self.pick(SAUDI_FAMILIES)}"

    def request(self, person: Person) -> SupportRequest:
        rng = self.rng
        status = rng.choices(self.status_pool, cum_weights=self.status_weights)[0]
        kind = rng.choices(self.type_pool, cum_weights=self.type_weights)[0]
        goes_to_committee = True
        if status is RequestStatus.DRAFT:
            day = self.day_between(
                max(person.registered, self.today - timedelta(days=60)), self.today
            )
            goes_to_committee = False
        elif status is RequestStatus.SUBMITTED:
            # Waiting for the committee: some still within the period, some overdue.
            day = self.day_between(
                max(person.registered, self.today - timedelta(days=25)), self.today
            )
        elif status is RequestStatus.WITHDRAWN and rng.random() < 0.5:
            day = self.day_between(person.registered, self.today)
            goes_to_committee = False  # withdrawn before it was submitted
        else:
            day = self.day_between(person.registered, self.today - timedelta(days=20))
        amount = None if kind in ITEMS else rng.randrange(500, 15000, 100) * 100
        # Never before the file was opened and its declaration signed, that same day.
        opened = person.row.created_at + timedelta(minutes=20)
        moment = min(max(self.office_time(day), opened), self.latest)
        submitted = (moment + RIYADH).date() if goes_to_committee else None
        person.submitted = person.submitted or goes_to_committee
        row = SupportRequest(
            id=new_id(),
            request_number="",  # numbered per chunk, once the years are known
            branch_id=self.actor.branch_id,
            beneficiary_id=person.row.id,
            request_type=kind,
            amount_requested_halalas=amount,
            justification=self.pick(JUSTIFICATIONS[kind]),
            channel=self.pick(REQUEST_CHANNELS),
            status=status,
            submitted_at=moment if goes_to_committee else None,
            committee_due_on=(
                deadline.due_date(submitted, self.answer_days) if submitted is not None else None
            ),
            created_by_user_id=self.pick(self.staff.front_desk),
            field_versions={},
            created_at=moment,
        )
        self.first.append(row)
        person.request_ids.append(row.id)
        self.counts.support_requests += 1
        if submitted is not None:
            self.decision(person, row, status, submitted)
        return row

    def decision(
        self,
        person: Person,
        request: SupportRequest,
        status: RequestStatus,
        submitted: date,
    ) -> None:
        rng = self.rng
        outcome = {
            RequestStatus.APPROVED: DecisionOutcome.APPROVE,
            RequestStatus.FULFILLED: DecisionOutcome.APPROVE,
            RequestStatus.REJECTED: DecisionOutcome.REJECT,
            RequestStatus.NEEDS_INFO: DecisionOutcome.NEED_INFO,
        }.get(status)
        if outcome is None:
            return
        # Mostly within the policy's period (a day to spare for a weekend); one in ten late.
        late = rng.random() < 0.1
        decided = self.later(
            submitted,
            self.answer_days + 1 if late else 2,
            self.answer_days + 10 if late else self.answer_days - 1,
        )
        approved = None
        if outcome is DecisionOutcome.APPROVE and request.amount_requested_halalas is not None:
            approved = request.amount_requested_halalas
            if rng.random() < 0.4:
                approved = approved * rng.choice((50, 60, 75)) // 100
        reasons = {
            DecisionOutcome.APPROVE: APPROVE_REASONS,
            DecisionOutcome.REJECT: REJECT_REASONS,
            DecisionOutcome.NEED_INFO: NEED_INFO_REASONS,
        }[outcome]
        decision = CommitteeDecision(
            id=new_id(),
            request_id=request.id,
            outcome=outcome,
            approved_amount_halalas=approved,
            reason=self.pick(reasons),
            decided_on=decided,
            members=self.committee,
            recorded_by_user_id=self.pick(self.staff.committee),
            supersedes_id=None,
            field_versions={},
            created_at=self.office_time(decided),
        )
        self.second.append(decision)
        self.counts.committee_decisions += 1
        if status is RequestStatus.FULFILLED:
            delivered = self.later(decided, 1, 10)
            kind = request.request_type
            self.second.append(
                ServiceDelivery(
                    id=new_id(),
                    request_id=request.id,
                    beneficiary_id=person.row.id,
                    service_type=SERVICE_FOR_REQUEST[kind],
                    amount_halalas=approved,
                    items=self.pick(ITEMS[kind]) if kind in ITEMS else None,
                    delivered_on=delivered,
                    delivered_by_user_id=self.pick(self.staff.front_desk),
                    receipt_signature_sha256=None,
                    field_versions={},
                    created_at=self.office_time(delivered),
                )
            )
            self.counts.service_deliveries += 1
            if rng.random() < 0.6:
                self.survey(person.row.id, request.id, None, Channel.PHONE, delivered)

    def survey(
        self,
        beneficiary_id: str,
        request_id: str | None,
        contact_id: str | None,
        channel: Channel,
        after: date,
    ) -> None:
        rng = self.rng
        collected = self.later(after, 0, 7)

        def rating() -> int:
            return self.pick((1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5))

        self.second.append(
            SatisfactionSurvey(
                id=new_id(),
                branch_id=self.actor.branch_id,
                beneficiary_id=beneficiary_id,
                request_id=request_id,
                contact_id=contact_id,
                channel=channel,
                overall=rating(),
                speed=rating(),
                courtesy=rating(),
                clarity=rating() if rng.random() < 0.8 else None,
                comment=self.pick(SURVEY_COMMENTS) if rng.random() < 0.3 else None,
                collected_on=collected,
                field_versions={},
                created_at=self.office_time(collected),
            )
        )
        self.counts.satisfaction_surveys += 1

    def referral(self, person: Person) -> None:
        rng = self.rng
        status = self.pick(
            (
                ReferralStatus.OPEN,
                ReferralStatus.ANSWERED,
                ReferralStatus.CLOSED,
                ReferralStatus.CLOSED,
            )
        )
        referred = self.work_day_between(person.registered, self.today)
        answered = status is not ReferralStatus.OPEN
        self.second.append(
            ResearchReferral(
                id=new_id(),
                beneficiary_id=person.row.id,
                request_id=person.request_ids[-1] if person.request_ids else None,
                question=self.pick(REFERRAL_QUESTIONS),
                referred_by_user_id=self.pick(self.staff.front_desk),
                assigned_to_user_id=self.pick(self.staff.researchers)
                if rng.random() < 0.9
                else None,
                status=status,
                answer=self.pick(REFERRAL_ANSWERS) if answered else None,
                answered_at=self.office_time(self.later(referred, 1, 7)) if answered else None,
                field_versions={},
                created_at=self.office_time(referred),
            )
        )
        self.counts.research_referrals += 1

    def feedback(self, beneficiary_id: str | None, since: date) -> None:
        rng = self.rng
        kind = FeedbackKind.COMPLAINT if rng.random() < 0.4 else FeedbackKind.SUGGESTION
        status = self.pick(
            (FeedbackStatus.OPEN, FeedbackStatus.ASSIGNED, FeedbackStatus.ANSWERED)
            + (FeedbackStatus.CLOSED,) * 3
        )
        received = self.work_day_between(since, self.today)
        done = status in (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)
        self.first.append(
            Feedback(
                id=new_id(),
                branch_id=self.actor.branch_id,
                kind=kind,
                beneficiary_id=beneficiary_id,
                channel=self.pick(FEEDBACK_CHANNELS),
                text=self.pick(COMPLAINTS if kind is FeedbackKind.COMPLAINT else SUGGESTIONS),
                received_on=received,
                assigned_to_user_id=(
                    None if status is FeedbackStatus.OPEN else self.pick(self.staff.managers)
                ),
                due_on=received + timedelta(days=FEEDBACK_DAYS),
                status=status,
                response=self.pick(FEEDBACK_RESPONSES) if done else None,
                closed_at=(
                    self.office_time(self.later(received, 1, 12))
                    if status is FeedbackStatus.CLOSED
                    else None
                ),
                field_versions={},
                created_at=self.office_time(received),
            )
        )
        self.counts.feedback += 1

    def number_requests(self, requests: list[SupportRequest]) -> None:
        """Give each request the next number of its year, in date order."""
        requests.sort(key=lambda r: r.created_at)
        by_year: dict[int, list[SupportRequest]] = {}
        for request in requests:
            by_year.setdefault(request.created_at.year, []).append(request)
        for year, of_year in by_year.items():
            numbers = reserve_request_numbers(self.session, date(year, 1, 1), len(of_year))
            for request, number in zip(of_year, numbers, strict=True):
                request.request_number = number
