"""Step 6 of the guided intake: complete the file's registration once the file is complete."""

from __future__ import annotations

from typing import Any

from db.enums import InterviewStep, RegistrationStatus
from romah_desktop.changes import Change
from romah_desktop.labels import label
from romah_desktop.services.intake import guided as gi
from romah_desktop.services.intake import views as iv
from romah_desktop.services.intake.interview import RegistrationIncomplete
from ui.intake.base import ERROR_STYLE, StepPage
from ui.qt import QLabel, QPushButton, Qt


class RegisterPage(StepPage):
    """The file's registration, once the file is complete."""

    step = InterviewStep.COMPLETE_REGISTRATION
    changes = frozenset({Change.BENEFICIARY})
    refresh_on_entry = True

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.setSubTitle(
            self.tr(
                "Once the file is complete (a current signed declaration and valid documents), "
                "Next completes its registration."
            )
        )
        self.status = QLabel()
        self.status.setObjectName("registration_status")
        self.status.setWordWrap(True)
        self.gaps = QLabel()
        self.gaps.setObjectName("registration_gaps")
        self.gaps.setWordWrap(True)
        self.gaps.setStyleSheet(ERROR_STYLE)
        self.renew = QPushButton(self.tr("Check a renewed &document"))
        self.renew.setObjectName("renew_document")
        self.renew.hide()
        self.renew.clicked.connect(lambda: self.intake.reopen(InterviewStep.COLLECT_VERIFY))
        self.body.addWidget(self.status)
        self.body.addWidget(self.gaps)
        self.body.addWidget(self.renew, 0, Qt.AlignmentFlag.AlignLeading)
        self.body.addStretch(1)

    def refresh(self) -> None:
        beneficiary_id = self.record.get("beneficiary_id")
        if not beneficiary_id:
            return
        self.ctx.run(
            lambda session, actor: iv.review_registration(session, actor, beneficiary_id),
            self._show,
            self._failed,
            owner=self,
        )

    def _show(self, review: iv.RegistrationReview) -> None:
        self.status.setText(self.tr("Registration: {status}").format(status=label(review.status)))
        if review.gaps:
            self.gaps.setText(
                "\n".join([self.tr("The file still needs:"), *(f"• {gap}" for gap in review.gaps)])
            )
            self.gaps.show()
            self.renew.setVisible(not self.done())
        else:
            self.gaps.hide()
            self.renew.hide()
            if not self.done():
                self.set_message("")  # what was missing before is there now

    def commit(self) -> bool:
        ids = (self.record["interview_id"], self.record["request_id"])
        self.run_step(
            lambda session, actor: gi.register(
                session, actor, interview_id=ids[0], request_id=ids[1]
            ),
            lambda status: self.record.update(registration=RegistrationStatus(status).value),
        )
        return False

    def show_error(self, error: BaseException) -> None:
        if isinstance(error, RegistrationIncomplete):
            # What is missing is listed above; the headline is enough here.
            self.set_message(
                self.tr(
                    "The registration cannot be completed yet: the file still needs what is "
                    "listed above."
                ),
                problem=True,
            )
        else:
            super().show_error(error)

    def _failed(self, error: BaseException) -> None:
        super()._failed(error)
        self.refresh()

    def show_done(self) -> None:
        super().show_done()
        self.renew.hide()
        self.gaps.hide()
        self.status.setText(
            self.tr("Registration: {status}").format(status=label(RegistrationStatus.REGISTERED))
        )
        self.set_message(self.tr("The registration is complete."))
