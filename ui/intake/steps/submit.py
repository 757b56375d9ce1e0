"""Step 5 of the guided intake: submit the request to the research committee, which answers by
the date shown."""

from __future__ import annotations

from typing import Any

from db.enums import InterviewStep
from romah_desktop.changes import Change
from romah_desktop.errors import Conflict
from romah_desktop.grammar import DAY, count_phrase, for_gender
from romah_desktop.labels import label
from romah_desktop.services.intake import guided as gi
from romah_desktop.services.intake import views as iv
from romah_desktop.validation import format_money
from ui.intake.base import StepPage
from ui.printing import IntakePrintButton
from ui.qt import QLabel, QPushButton, Qt


class SubmitPage(StepPage):
    """The request goes to the research committee, which answers by the date shown."""

    step = InterviewStep.INFORM
    changes = frozenset({Change.REQUEST})
    auto_advance = False  # the person is told the date before anything else
    refresh_on_entry = True

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self._address()
        self.summary = QLabel()
        self.summary.setObjectName("request_summary")
        self.summary.setWordWrap(True)
        self.due = QLabel()
        self.due.setObjectName("committee_due")
        self.due.setWordWrap(True)
        font = self.due.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.due.setFont(font)
        self.due.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sign_again = QPushButton(self.tr("Take a ne&w declaration"))
        self.sign_again.setObjectName("sign_again")
        self.sign_again.hide()
        self.sign_again.clicked.connect(lambda: self.intake.reopen(InterviewStep.DECLARE))
        self.body.addWidget(self.summary)
        self.body.addWidget(self.due)
        self.body.addWidget(self.sign_again, 0, Qt.AlignmentFlag.AlignLeading)
        self.print_button = IntakePrintButton(self.ctx)
        self.body.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.body.addStretch(1)

    def _address(self) -> None:
        """Word the step for the person told: a woman is addressed in the feminine."""
        self.setSubTitle(
            for_gender(
                self.record.get("gender"),
                self.tr(
                    "Tell the person that the request goes to the research committee, which "
                    "answers with acceptance or rejection by the date below. Next submits the "
                    "request."
                ),
                self.tr(
                    "Tell the person that the request goes to the research committee, which "
                    "answers with acceptance or rejection by the date below. Next submits the "
                    "request.",
                    "feminine",
                ),
            )
        )

    def refresh(self) -> None:
        self._address()
        request_id = self.record.get("request_id")
        if not request_id:
            return

        def read(session: Any, actor: Any) -> tuple[iv.RequestReview, iv.CommitteeDue]:
            return iv.review_request(session, actor, request_id), iv.committee_due_preview(
                session, actor
            )

        self.ctx.run(read, self._show, self._failed, owner=self)

    def _show(self, found: tuple[iv.RequestReview, iv.CommitteeDue]) -> None:
        review, due = found
        amount = (
            self.tr("{amount} riyals").format(amount=format_money(review.amount_requested))
            if review.amount_requested is not None
            else self.tr("no amount")
        )
        self.summary.setText(
            self.tr(
                "Request {number}: {kind}, {amount}. Signed declaration: {fingerprint}…"
            ).format(
                number=review.request_number,
                kind=label(review.request_type),
                amount=amount,
                fingerprint=str(self.record.get("declaration_sha256", ""))[:12],
            )
        )
        if not self.done():
            self.due.setText(
                self.tr("If submitted today, the committee answers by {date} (in {days}).").format(
                    date=due.text, days=count_phrase(due.days, DAY, oblique=True)
                )
            )

    def commit(self) -> bool:
        ids = (self.record["interview_id"], self.record["request_id"])
        self.sign_again.hide()
        self.run_step(
            lambda session, actor: gi.submit(
                session, actor, interview_id=ids[0], request_id=ids[1]
            ),
            self._submitted,
        )
        return False

    def _submitted(self, due: iv.CommitteeDue) -> None:
        self.record["committee_due"] = due.text
        self.record["committee_due_on"] = due.due_on.isoformat()

    def _failed(self, error: BaseException) -> None:
        super()._failed(error)
        if isinstance(error, Conflict):
            self.sign_again.show()
            self.sign_again.setFocus()

    def show_done(self) -> None:
        super().show_done()
        self.sign_again.hide()
        self.due.setText(
            self.tr("Submitted. The research committee answers by {date}.").format(
                date=self.record.get("committee_due", "")
            )
        )
        self.set_message(
            for_gender(
                self.record.get("gender"),
                self.tr("Tell the person this date; it is printed on their receipt."),
                self.tr("Tell the person this date; it is printed on their receipt.", "feminine"),
            )
        )
        self.print_button.show_for(self.record)
