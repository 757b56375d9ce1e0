"""Social research: the research officer's queue — open referrals (theirs or nobody's) and the
requests before the committee that still need a research report — with the report form (home
visit date, findings, recommendation) and the answer to a referral."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from romah_desktop.changes import Change
from romah_desktop.services.research import (
    ReferralItem,
    ResearchQueue,
    answer_referral,
    research_queue,
    write_research_report,
)
from ui.context import AppContext, error_text
from ui.pages.committee_queue import COMMITTEE_CHANGES, CommitteeQueueModel
from ui.qt import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import DualDateField
from ui.widgets.form_dialog import FormDialog
from ui.widgets.page_header import Section
from ui.widgets.tables import (
    RowsModel,
    dual,
    follow_reading_side,
    make_table,
    page_title,
    stretch_columns,
)

RESEARCH_CHANGES = COMMITTEE_CHANGES | {Change.REFERRAL, Change.BENEFICIARY}
R = TypeVar("R")


class ReferralItemsModel(RowsModel[ReferralItem]):
    """Open referrals: when, who, the question, and whether it is assigned to the user."""

    REFERRED, PERSON, FILE, QUESTION, ASSIGNED = range(5)

    def headers(self) -> list[str]:
        return [
            self.tr("Referred on"),
            self.tr("Beneficiary"),
            self.tr("File number"),
            self.tr("Question"),
            self.tr("Assigned"),
        ]

    def cell(self, row: ReferralItem, column: int) -> str:
        if column == self.REFERRED:
            return dual(row.referred_at.astimezone().date())
        if column == self.PERSON:
            return row.person_name
        if column == self.FILE:
            return row.file_number
        if column == self.QUESTION:
            return " ".join(row.question.split())
        if column == self.ASSIGNED:
            return self.tr("To me") if row.assigned_to_me else self.tr("Not yet assigned")
        return ""

    def tooltip(self, row: ReferralItem, column: int) -> str | None:
        return row.question if column == self.QUESTION else None


def _plain_text(name: str, height: int | None = None) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    if height is not None:
        edit.setMaximumHeight(height)
    return follow_reading_side(edit)


class ReportDialog(FormDialog):
    """Write a social research report on a person, about a request or a referral."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        beneficiary_id: str,
        about: str,
        request_id: str | None = None,
        referral_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.beneficiary_id = beneficiary_id
        self.request_id = request_id
        self.referral_id = referral_id
        self.setObjectName("report_dialog")
        self.setWindowTitle(self.tr("Social research report"))
        self.resize(620, 560)
        heading = QLabel(about)
        heading.setObjectName("report_about")
        heading.setWordWrap(True)
        self.body.addWidget(heading)
        self.visit_date = DualDateField(field="visit_date")
        self.findings = _plain_text("findings")
        self.recommendation = _plain_text("recommendation", 110)
        self.add_field(
            "visit_date", self.tr("Home visit on"), self.visit_date, self.visit_date.edit
        )
        self.add_field("findings", self.tr("Findings"), self.findings)
        self.add_field("recommendation", self.tr("Recommendation"), self.recommendation)
        self.finish_layout()
        self.visit_date.setFocus()

    def save(self) -> None:
        self.clear_errors()
        values = {
            "beneficiary_id": self.beneficiary_id,
            "request_id": self.request_id,
            "referral_id": self.referral_id,
            "visit_date": self.visit_date.text(),
            "findings": self.findings.toPlainText(),
            "recommendation": self.recommendation.toPlainText(),
        }
        self.submit(
            lambda session, actor: write_research_report(session, actor, **values).id,
            {Change.RESEARCH},
        )


class AnswerDialog(FormDialog):
    """Answer a question referred to social research."""

    def __init__(self, ctx: AppContext, referral: ReferralItem, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.referral_id = referral.id
        self.setObjectName("answer_dialog")
        self.setWindowTitle(self.tr("Answer a referral"))
        self.resize(560, 380)
        question = QLabel(
            self.tr("{person} — {file}: {question}").format(
                person=referral.person_name, file=referral.file_number, question=referral.question
            )
        )
        question.setObjectName("referral_question")
        question.setWordWrap(True)
        self.body.addWidget(question)
        self.answer = _plain_text("answer")
        self.add_field("answer", self.tr("Answer"), self.answer)
        self.finish_layout()
        self.answer.setFocus()

    def save(self) -> None:
        self.clear_errors()
        referral_id = self.referral_id
        answer = self.answer.toPlainText()
        self.submit(
            lambda session, actor: answer_referral(session, actor, referral_id, answer).id,
            {Change.REFERRAL},
        )


class ResearchPage(QWidget):
    """The research officer's queue: open referrals and requests needing a report."""

    sig_loaded = Signal(object)
    """The queue is on screen; the argument is the core's ResearchQueue."""

    sig_dialog_opened = Signal(object)
    """A report or answer form was opened; the argument is the dialog."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: FormDialog | None = None
        self.summary = QLabel()
        self.summary.setObjectName("research_summary")
        self.summary.setWordWrap(True)
        self.referrals = ReferralItemsModel(self)
        self.requests = CommitteeQueueModel(self)
        self.referral_view = make_table("research_referrals_table")
        self.referral_view.setModel(self.referrals)
        stretch_columns(self.referral_view, ReferralItemsModel.QUESTION)
        self.request_view = make_table("research_requests_table")
        self.request_view.setModel(self.requests)
        stretch_columns(self.request_view, CommitteeQueueModel.PERSON)
        self.request_view.setColumnHidden(CommitteeQueueModel.REPORT, True)
        self.answer_button = QPushButton(self.tr("Answer…"))
        self.answer_button.setObjectName("answer_referral")
        self.answer_button.clicked.connect(self.answer_selected)
        self.referral_report_button = QPushButton(self.tr("Write a report…"))
        self.referral_report_button.setObjectName("referral_report")
        self.referral_report_button.clicked.connect(self.report_on_referral)
        self.request_report_button = QPushButton(self.tr("Write a report…"))
        self.request_report_button.setObjectName("request_report")
        self.request_report_button.clicked.connect(self.report_on_request)
        self.request_view.activated.connect(lambda _index: self.report_on_request())
        self.referral_view.activated.connect(lambda _index: self.answer_selected())
        self.message = QLabel()
        self.message.setObjectName("research_message")
        self.message.setWordWrap(True)

        self.referral_box = Section(
            "research_referrals",
            self.referral_view,
            [self.referral_report_button, self.answer_button],
        )
        self.request_box = Section(
            "research_requests", self.request_view, [self.request_report_button]
        )
        # The count and the outcome of the last action share a line: a page of two lists asks
        # no more height than a laptop at 150 % has.
        status = QHBoxLayout()
        status.addWidget(self.summary, 1)
        status.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Social research")))
        layout.addLayout(status)
        layout.addWidget(self.referral_box, 1)
        layout.addWidget(self.request_box, 1)
        ctx.sig_changed.connect(self._changed)

    def refresh(self) -> None:
        if not self.ctx.signed_in:
            return
        self.summary.setText(self.tr("Loading…"))
        self.ctx.run(
            research_queue,
            self._show,
            lambda error: self.summary.setText(error_text(error)),
            owner=self,
        )

    def _show(self, queue: ResearchQueue) -> None:
        today = date.today()
        self.referrals.set_rows(queue.referrals, today)
        self.requests.set_rows(queue.requests, today)
        self.referral_box.set_title(
            self.tr("Open referrals ({count})").format(count=len(queue.referrals))
        )
        self.request_box.set_title(
            self.tr("Requests before the committee without a research report ({count})").format(
                count=len(queue.requests)
            )
        )
        for button in (self.answer_button, self.referral_report_button):
            button.setEnabled(bool(queue.referrals))
        self.request_report_button.setEnabled(bool(queue.requests))
        total = len(queue.referrals) + len(queue.requests)
        self.summary.setText(
            self.tr("Nothing is waiting for research.")
            if total == 0
            else self.tr("Waiting for research: {count}.").format(count=total)
        )
        self.sig_loaded.emit(queue)

    def _changed(self, kinds: set[Change]) -> None:
        if kinds & RESEARCH_CHANGES and self.isVisible():
            self.refresh()

    @staticmethod
    def _selected(view: QTableView, model: RowsModel[R]) -> R | None:
        index = view.currentIndex()
        row = index.row() if index.isValid() else 0
        return model.row_at(row) if 0 <= row < model.rowCount() else None

    def _open(self, dialog: FormDialog, done: str) -> FormDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(lambda _id: self.message.setText(done))
        self.dialog = dialog
        dialog.open()
        self.sig_dialog_opened.emit(dialog)
        return dialog

    def report_on_request(self) -> FormDialog | None:
        """Write the research report of the selected request (or the first)."""
        row = self._selected(self.request_view, self.requests)
        if row is None:
            return None
        about = self.tr("Request {number} — {person} ({file}). {deadline}").format(
            number=row.request_number,
            person=row.person_name,
            file=row.file_number,
            deadline=row.deadline.explain(date.today()),
        )
        dialog = ReportDialog(
            self.ctx,
            beneficiary_id=row.beneficiary_id,
            request_id=row.id,
            about=about,
            parent=self,
        )
        return self._open(dialog, self.tr("The research report is saved."))

    def report_on_referral(self) -> FormDialog | None:
        """Write a research report answering the selected referral (or the first)."""
        row = self._selected(self.referral_view, self.referrals)
        if row is None:
            return None
        about = self.tr("{person} ({file}): {question}").format(
            person=row.person_name, file=row.file_number, question=row.question
        )
        dialog = ReportDialog(
            self.ctx,
            beneficiary_id=row.beneficiary_id,
            request_id=row.request_id,
            referral_id=row.id,
            about=about,
            parent=self,
        )
        return self._open(dialog, self.tr("The research report is saved."))

    def answer_selected(self) -> FormDialog | None:
        """Answer the selected referral (or the first)."""
        row = self._selected(self.referral_view, self.referrals)
        if row is None:
            return None
        return self._open(AnswerDialog(self.ctx, row, self), self.tr("The referral is answered."))
