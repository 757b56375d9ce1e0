"""Step 7 of the guided intake: deliver the service on the approved request; the end of the
intake."""

from __future__ import annotations

from typing import Any

from db.enums import InterviewStep, RequestStatus, ServiceType
from romah_desktop.changes import Change
from romah_desktop.grammar import for_gender
from romah_desktop.labels import label
from romah_desktop.services.intake import guided as gi
from romah_desktop.services.intake import views as iv
from romah_desktop.validation import format_money
from ui.intake.base import StepPage, buddy, on_edit, set_text_of, text_of
from ui.intake.steps.widgets import enum_combo
from ui.printing import IntakePrintButton
from ui.qt import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton
from ui.widgets.date_field import DualDateField

_ANSWERED = frozenset(
    {
        RequestStatus.APPROVED,
        RequestStatus.REJECTED,
        RequestStatus.WITHDRAWN,
        RequestStatus.FULFILLED,
    }
)


class DeliverPage(StepPage):
    """The service delivered on the approved request; the end of the intake."""

    step = InterviewStep.DELIVER_SERVICE
    changes = frozenset({Change.DELIVERY, Change.REQUEST, Change.INTERVIEW})
    auto_advance = False
    refresh_on_entry = True

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.setSubTitle(
            self.tr(
                "When the committee has approved the request, record the service delivered. "
                "Until it answers, close the window: the intake waits in your drafts."
            )
        )
        self.review: iv.RequestReview | None = None
        self._service_chosen = False
        self.status = QLabel()
        self.status.setObjectName("request_status")
        self.status.setWordWrap(True)
        self.check_again = QPushButton(self.tr("Check the committee's &answer again"))
        self.check_again.setObjectName("check_again")
        self.check_again.clicked.connect(self.refresh)
        self.service_type = enum_combo(list(ServiceType))
        self.service_type.setObjectName("service_type")
        self.amount = QLineEdit()
        self.amount.setObjectName("service_amount")
        self.items = QLineEdit()
        self.items.setObjectName("service_items")
        self.items.setPlaceholderText(self.tr("e.g. a food basket for a family of five"))
        self.delivered_on = DualDateField(field="delivered_on")
        self.delivered_on.edit.setPlaceholderText(self.tr("Today, or a date such as 1446/02/25 هـ"))
        self.form_box = QGroupBox(self.tr("The service delivered"))
        form = QFormLayout(self.form_box)
        form.addRow(
            buddy(self.tr("&Service"), self.service_type),
            self.field("service_type", self.service_type),
        )
        form.addRow(
            buddy(self.tr("A&mount (riyals)"), self.amount), self.field("amount", self.amount)
        )
        form.addRow(buddy(self.tr("&Items"), self.items), self.field("items", self.items))
        form.addRow(buddy(self.tr("Delivered &on"), self.delivered_on.edit), self.delivered_on)
        self.watch("delivered_on", self.delivered_on, self.delivered_on.edit)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.check_again)
        self.print_button = IntakePrintButton(self.ctx)
        top.addWidget(self.print_button)
        self.body.addLayout(top)
        self.body.addWidget(self.form_box)
        self.body.addStretch(1)
        for widget in (self.service_type, self.amount, self.items, self.delivered_on):
            on_edit(widget, self.changed)
        self.form_box.setEnabled(False)

    def refresh(self) -> None:
        request_id = self.record.get("request_id")
        if not request_id:
            return
        self.ctx.run(
            lambda session, actor: iv.review_request(session, actor, request_id),
            self._show,
            self._failed,
            owner=self,
        )

    def _show(self, review: iv.RequestReview) -> None:
        first = self.review is None
        self.print_button.show_for(self.record)  # what the person takes home today
        self.review = review
        status = label(review.status)
        if review.status == RequestStatus.APPROVED:
            approved = (
                self.tr("{amount} riyals").format(amount=format_money(review.approved_amount))
                if review.approved_amount is not None
                else self.tr("no amount")
            )
            text = self.tr("The committee approved the request: {amount}.").format(amount=approved)
            if review.delivered_total:
                text += " " + self.tr("Delivered so far: {amount} riyals.").format(
                    amount=format_money(review.delivered_total)
                )
        elif review.status in _ANSWERED:
            text = self.tr("The request is “{status}”: Finish closes the interview.").format(
                status=status
            )
            if review.reason:
                text += " " + review.reason
        else:
            text = self.tr(
                "The request is “{status}”. The committee answers by {date}; the service is "
                "recorded once it approves."
            ).format(status=status, date=review.committee_due or "—")
        self.status.setText(text)
        approved = review.status == RequestStatus.APPROVED
        self.form_box.setEnabled(approved and not self.done())
        if first and not self._service_chosen:
            set_text_of(self.service_type, iv.SERVICE_FOR[review.request_type].value)
        if approved and review.approved_amount is not None and not self.amount.text():
            self.amount.setText(format_money(review.approved_amount - review.delivered_total))
        if approved and not self.done():
            self.service_type.setFocus()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return super().isComplete() and self.review is not None and self.review.status in _ANSWERED

    def commit(self) -> bool:
        assert self.review is not None
        ids = (self.record["interview_id"], self.record["request_id"])
        if self.review.status == RequestStatus.APPROVED:
            values = {
                "service_type": text_of(self.service_type),
                "amount": self.amount.text(),
                "items": self.items.text(),
                "delivered_on": self.delivered_on.text(),
            }
            self.run_step(
                lambda session, actor: gi.deliver(
                    session, actor, interview_id=ids[0], request_id=ids[1], **values
                ),
                lambda delivery_id: self.record.update(delivery_id=delivery_id),
            )
        else:
            self.run_step(
                lambda session, actor: gi.close_interview(
                    session, actor, interview_id=ids[0], request_id=ids[1]
                ),
                lambda _none: self.record.update(delivery_id=None),
            )
        return False

    def _recorded(self, result: Any, on_done: Any) -> None:
        super()._recorded(result, on_done)
        self.intake.finish()

    def show_done(self) -> None:
        super().show_done()
        self.set_message(
            for_gender(
                self.record.get("gender"),
                self.tr("Recorded. The intake is complete."),
                self.tr("Recorded. The intake is complete.", "feminine"),
            )
        )

    def set_locked(self, locked: bool) -> None:
        self.form_box.setEnabled(
            not locked and self.review is not None and self.review.status == RequestStatus.APPROVED
        )

    def dump(self) -> dict[str, Any]:
        return {
            "service_type": text_of(self.service_type),
            "amount": self.amount.text(),
            "items": self.items.text(),
            "delivered_on": self.delivered_on.text(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        for name in ("service_type", "amount", "items", "delivered_on"):
            if name in data:
                set_text_of(getattr(self, name), str(data[name]))
        # What the user chose before wins over the usual service of the request's kind.
