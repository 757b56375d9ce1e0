"""The committee's dialogs: recording a meeting, and a request's case file with the form that
records the committee's decision."""

from __future__ import annotations

from datetime import date

from db.enums import Channel, DecisionOutcome, Gender
from romah_desktop.changes import Change
from romah_desktop.errors import PermissionDenied
from romah_desktop.grammar import for_gender
from romah_desktop.labels import label
from romah_desktop.services.committee.workspace import (
    CaseFile,
    DecisionResult,
    MeetingRow,
    case_file,
    decide,
    list_meetings,
    record_meeting,
)
from romah_desktop.validation import parse_money
from ui.context import AppContext, error_text
from ui.pages.committee_queue import amount_text
from ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import DualDateField
from ui.widgets.form_dialog import FormDialog
from ui.widgets.form_rows import lines_high
from ui.widgets.tables import (
    dual,
    follow_reading_side,
)

DECISION_CHANGES = {Change.DECISION, Change.REQUEST, Change.CONTACT, Change.PRINT}


# --- meetings -----------------------------------------------------------------------------


class MeetingDialog(FormDialog):
    """Record a meeting of the committee: its day and the members present."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("meeting_dialog")
        self.setWindowTitle(self.tr("Committee meeting"))
        self.resize(520, 420)
        self.held_on = DualDateField(field="held_on")
        self.held_on.setDate(date.today())
        self.members = QPlainTextEdit()
        self.members.setObjectName("members_present")
        self.members.setTabChangesFocus(True)
        self.members.setPlaceholderText(self.tr("One name a line"))
        follow_reading_side(self.members)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("meeting_notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(80)
        follow_reading_side(self.notes)
        self.add_field("held_on", self.tr("Held on"), self.held_on, self.held_on.edit)
        self.add_field("members_present", self.tr("Members present"), self.members)
        self.add_field("notes", self.tr("Notes"), self.notes)
        self.finish_layout()
        self.members.setFocus()

    def save(self) -> None:
        self.clear_errors()
        held_on = self.held_on.text()
        members = self.members.toPlainText()
        notes = self.notes.toPlainText()
        self.submit(
            lambda session, actor: (
                record_meeting(
                    session, actor, held_on=held_on, members_present=members, notes=notes
                ).id
            ),
            {Change.MEETING},
        )


# --- a request's file and the decision --------------------------------------------------


class CaseDialog(FormDialog):
    """One request as the committee studies it (the file, documents, research reports,
    decisions so far and the deadline) with the form that records its decision."""

    sig_loaded = Signal()
    """The request's file is on screen."""

    sig_decided = Signal(object)
    """A decision was recorded; the argument is the core's DecisionResult."""

    def __init__(self, ctx: AppContext, request_id: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.request_id = request_id
        self.case: CaseFile | None = None
        self.supersedes_id: str | None = None
        self.meeting_dialog: MeetingDialog | None = None
        self.setObjectName("case_dialog")
        self.setWindowTitle(self.tr("Request before the committee"))
        room = self.screen().availableGeometry()  # less its title bar
        self.resize(min(900, room.width()), min(620, room.height() - 40))
        self.save_button.setText(self.tr("Record decision"))
        self.save_button.setObjectName("record_decision")

        self.facts: dict[str, QLabel] = {}
        self.fact_titles: dict[str, QLabel] = {}
        facts = QFormLayout()
        side = (
            Qt.AlignmentFlag.AlignRight
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft
            else Qt.AlignmentFlag.AlignLeft
        )
        for key, title in (
            ("request", self.tr("Request")),
            ("person", self.tr("Beneficiary")),
            ("household", self.tr("Household and income")),
            ("deadline", self.tr("Deadline")),
            ("escalation", self.tr("Escalation")),
        ):
            value = QLabel()
            value.setObjectName(f"case_{key}")
            value.setWordWrap(True)
            value.setAlignment(
                side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
            )
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = value
            self.fact_titles[key] = QLabel(title)
            facts.addRow(self.fact_titles[key], value)
        self.justification = QPlainTextEdit()
        self.justification.setObjectName("case_justification")
        self.justification.setReadOnly(True)
        self.justification.setTabChangesFocus(True)
        follow_reading_side(self.justification)
        self.documents = QListWidget()
        self.documents.setObjectName("case_documents")
        self.reports = QListWidget()
        self.reports.setObjectName("case_reports")
        self.reports.setWordWrap(True)
        self.decisions = QListWidget()
        self.decisions.setObjectName("case_decisions")
        self.decisions.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("case_tabs")
        self.tabs.addTab(self.justification, self.tr("Justification"))
        self.tabs.addTab(self.reports, self.tr("Research reports"))
        self.tabs.addTab(self.documents, self.tr("Documents"))
        self.tabs.addTab(self.decisions, self.tr("Decisions"))

        # The decision's form.
        self.meeting = QComboBox()
        self.meeting.setObjectName("meeting_id")
        self.new_meeting = QPushButton(self.tr("New meeting…"))
        self.new_meeting.setObjectName("case_new_meeting")
        self.new_meeting.setAutoDefault(False)
        self.new_meeting.clicked.connect(self.open_meeting_dialog)
        meeting_row = QWidget()
        meeting_layout = QHBoxLayout(meeting_row)
        meeting_layout.setContentsMargins(0, 0, 0, 0)
        meeting_layout.addWidget(self.meeting, 1)
        meeting_layout.addWidget(self.new_meeting)
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        for outcome in DecisionOutcome:
            self.outcome.addItem(label(outcome), outcome)
        self.amount = QLineEdit()
        self.amount.setObjectName("approved_amount")
        self.confirm = QCheckBox(
            self.tr("The approved amount is above the amount requested; I confirm it.")
        )
        self.confirm.setObjectName("confirm_above_requested")
        amount_box = QWidget()
        amount_layout = QVBoxLayout(amount_box)
        amount_layout.setContentsMargins(0, 0, 0, 0)
        amount_layout.addWidget(self.amount)
        amount_layout.addWidget(self.confirm)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(80)
        self.reason.setMinimumHeight(lines_high(self.reason, 2))
        follow_reading_side(self.reason)
        self.channel = QComboBox()
        self.channel.setObjectName("notify_channel")
        for channel in Channel:
            self.channel.addItem(label(channel), channel)
        self.channel.setCurrentIndex(self.channel.findData(Channel.LETTER))
        self.correction = QLabel()
        self.correction.setObjectName("case_correction")
        self.correction.setWordWrap(True)

        # The request's file on one side and the decision on the other: one above the other
        # they were taller than a laptop's screen, even at 100 %.
        # What may be decided here is said under the file, where there is room.
        case_side = QVBoxLayout()
        case_side.addLayout(facts)
        case_side.addWidget(self.tabs, 1)
        case_side.addWidget(self.correction)
        columns = QHBoxLayout()
        columns.addLayout(case_side, 1)
        self.body.addLayout(columns, 1)
        self.decision_box = QWidget()
        self.decision_box.setObjectName("decision_box")
        heading = QLabel(self.tr("The committee's decision"))
        heading.setObjectName("decision_heading")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        box_layout = QVBoxLayout(self.decision_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(heading)
        box_layout.addLayout(self.form)
        self.add_field("meeting_id", self.tr("Meeting"), meeting_row, self.meeting)
        self.add_field("outcome", self.tr("Decision"), self.outcome)
        self.amount_row = self.add_field(
            "approved_amount", self.tr("Approved amount (SAR)"), amount_box, self.amount
        )
        self.reason_row = self.add_field("reason", self.tr("Reason"), self.reason)
        self.notify_row = self.add_field(
            "notify_channel", self.tr("Tell the beneficiary by"), self.channel
        )
        columns.addWidget(self.decision_box, 1, Qt.AlignmentFlag.AlignTop)
        self.body.addWidget(self.message)
        self.body.addWidget(self.buttons)

        self.outcome.currentIndexChanged.connect(lambda _i: self._arrange())
        self.amount.textChanged.connect(lambda _t: self._arrange())
        self.set_message(self.tr("Loading…"))
        self.save_button.setEnabled(False)
        self._arrange()
        self.load()

    # --- loading ------------------------------------------------------------------------

    def load(self) -> None:
        request_id = self.request_id
        self.ctx.run(
            lambda session, actor: (
                case_file(session, actor, request_id),
                list_meetings(session, actor),
            ),
            self._show,
            lambda error: self.set_message(error_text(error), error=True),
            owner=self,
        )

    def _show(self, loaded: tuple[CaseFile, list[MeetingRow]]) -> None:
        case, meetings = loaded
        self.case = case
        today = date.today()
        row = case.row
        person = case.person
        notify = self.form.labelForField(self.notify_row)
        if isinstance(notify, QLabel):
            notify.setText(
                for_gender(
                    person.gender,
                    self.tr("Tell the beneficiary by"),
                    self.tr("Tell the beneficiary by", "feminine"),
                )
            )
        self.fact_titles["person"].setText(
            for_gender(person.gender, self.tr("Beneficiary"), self.tr("Beneficiary", "feminine"))
        )
        self.facts["request"].setText(
            " — ".join(
                part
                for part in (
                    row.request_number,
                    label(row.request_type),
                    label(row.status),
                    self.tr("{amount} riyals requested").format(
                        amount=amount_text(row.amount_requested_halalas)
                    )
                    if row.amount_requested_halalas is not None
                    else "",
                    label(case.channel),
                )
                if part
            )
        )
        self.facts["person"].setText(
            f"{person.name} — {person.file_number} — {person.national_id}"
            + (f" — {person.city}" if person.city else "")
        )
        household = []
        if person.household_size is not None:
            household.append(
                self.tr("{count} in the household").format(count=person.household_size)
            )
        if person.monthly_income_halalas is not None:
            household.append(
                self.tr("income {amount} riyals a month").format(
                    amount=amount_text(person.monthly_income_halalas)
                )
            )
        if person.housing_type is not None:
            household.append(label(person.housing_type))
        if person.monthly_rent_halalas is not None:
            household.append(
                self.tr("rent {amount} riyals a month").format(
                    amount=amount_text(person.monthly_rent_halalas)
                )
            )
        self.facts["household"].setText("، ".join(household) or "—")
        self.facts["deadline"].setText(row.deadline.explain(today))
        if case.escalations:
            first = case.escalations[0]
            self.facts["escalation"].setText(
                self.tr("Escalated on {date} by {name}: {note}").format(
                    date=dual(first.escalated_on), name=first.escalated_by, note=first.note
                )
            )
        else:
            self.facts["escalation"].setText("—")
        self.justification.setPlainText(case.justification)
        self.documents.clear()
        for document in case.documents:
            text = label(document.doc_type)
            if document.number:
                text += f" {document.number}"
            if document.expiry_date is not None:
                text += " — " + self.tr("valid until {date}").format(
                    date=dual(document.expiry_date)
                )
            if not document.valid_on_submission:
                text += " — " + self.tr("expired on the day it was checked")
            self.documents.addItem(text)
        if not case.documents:
            self.documents.addItem(self.tr("No document was checked."))
        self.reports.clear()
        for report in case.reports:
            text = self.tr("{date}, by {author}:").format(
                date=dual(report.written_on), author=report.author
            )
            if report.visit_date is not None:
                text += " " + self.tr("home visit on {date}.").format(date=dual(report.visit_date))
            text += "\n" + report.findings
            if report.recommendation:
                text += "\n" + self.tr("Recommendation: {text}").format(text=report.recommendation)
            self.reports.addItem(text)
        if not case.reports:
            self.reports.addItem(self.tr("No research report yet."))
        self.tabs.setTabText(
            1, self.tr("Research reports ({count})").format(count=len(case.reports))
        )
        self.decisions.clear()
        in_force = None
        for decision in case.decisions:
            text = self.tr("{date}: {outcome}").format(
                date=dual(decision.decided_on), outcome=label(decision.outcome)
            )
            if decision.approved_amount_halalas is not None:
                text += " — " + self.tr("{amount} riyals").format(
                    amount=amount_text(decision.approved_amount_halalas)
                )
            if decision.reason:
                text += " — " + decision.reason
            if decision.in_force:
                in_force = decision
            else:
                text += " " + self.tr("(corrected by a later decision)")
            self.decisions.addItem(text)
        if not case.decisions:
            self.decisions.addItem(self.tr("No decision yet."))
        self._fill_meetings(meetings)
        if row.amount_requested_halalas is not None and not self.amount.text():
            self.amount.setText(amount_text(row.amount_requested_halalas).replace(",", ""))
        # The core says what may be done (case_rules): a request before the committee is
        # decided; a decided one may be reversed while nothing was delivered on it, the new
        # decision superseding the one in force.
        reversal = not case.can_decide and case.can_correct
        decidable = case.can_decide or case.can_correct
        self.supersedes_id = in_force.id if reversal and in_force is not None else None
        if reversal:
            self.correction.setText(
                self.tr(
                    "This request was decided. A decision recorded here reverses the one in "
                    "force; both stay in the file."
                )
            )
        elif isinstance(case.refusal, PermissionDenied):
            self.correction.setText(self.tr("Only the committee's members record decisions."))
        elif case.refusal is not None:
            self.correction.setText(error_text(case.refusal))
        else:
            self.correction.clear()
        self.correction.setVisible(bool(self.correction.text()))
        for widget in (self.meeting, self.new_meeting, self.outcome, self.amount, self.reason):
            widget.setEnabled(decidable)
        self.channel.setEnabled(decidable)
        self.confirm.setEnabled(decidable)
        self.save_button.setEnabled(decidable)
        self.set_message("")
        self._arrange()
        self.sig_loaded.emit()

    def _fill_meetings(self, meetings: list[MeetingRow], chosen: str | None = None) -> None:
        current = chosen or self.meeting.currentData()
        self.meeting.clear()
        if not meetings:
            self.meeting.addItem(self.tr("No meeting yet: record one first"), None)
        for meeting in meetings:
            self.meeting.addItem(
                f"{dual(meeting.held_on)} — {meeting.meeting_number}",
                meeting.id,
            )
            self.meeting.setItemData(
                self.meeting.count() - 1,
                "، ".join(meeting.members_present),
                Qt.ItemDataRole.ToolTipRole,
            )
        index = self.meeting.findData(current) if current else -1
        self.meeting.setCurrentIndex(max(0, index))

    def open_meeting_dialog(self) -> MeetingDialog:
        """Record a new meeting; once saved it is chosen for this decision."""
        dialog = MeetingDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(self._meeting_recorded)
        self.meeting_dialog = dialog
        dialog.open()
        return dialog

    def _meeting_recorded(self, meeting_id: str) -> None:
        self.ctx.run(
            list_meetings,
            lambda meetings: self._fill_meetings(meetings, meeting_id),
            lambda error: self.set_message(error_text(error), error=True),
            owner=self,
        )

    # --- the form -------------------------------------------------------------------------

    def _above_requested(self) -> bool:
        requested = self.case.row.amount_requested_halalas if self.case else None
        if requested is None:
            return False
        try:
            return parse_money(self.amount.text(), "approved_amount") > requested
        except Exception:  # noqa: BLE001 (not a number yet: the core will say so on save)
            return False

    def _arrange(self) -> None:
        approve = self.outcome.currentData() == DecisionOutcome.APPROVE
        self.form.setRowVisible(self.amount_row, approve)
        self.confirm.setVisible(approve and self._above_requested())
        reject = self.outcome.currentData() == DecisionOutcome.REJECT
        self.reason.setPlaceholderText(
            self.tr("Required: the reason for the rejection")
            if reject
            else self.tr("Required: which information is needed")
            if self.outcome.currentData() == DecisionOutcome.NEED_INFO
            else self.tr("Optional")
        )

    def save(self) -> None:
        self.clear_errors()
        request_id = self.request_id
        outcome = self.outcome.currentData()
        approve = outcome == DecisionOutcome.APPROVE
        values = {
            "meeting_id": self.meeting.currentData(),
            "outcome": outcome,
            "approved_amount": self.amount.text() if approve else None,
            "reason": self.reason.toPlainText(),
            "confirm_above_requested": approve
            and self.confirm.isVisible()
            and self.confirm.isChecked(),
            "supersedes_id": self.supersedes_id,
            "notify_channel": self.channel.currentData(),
        }
        self.submit(
            lambda session, actor: decide(session, actor, request_id, **values),
            DECISION_CHANGES,
            self.tr("Recording the decision…"),
        )

    def gender(self) -> Gender | None:
        """The gender of the person the request is for (None until the file is loaded)."""
        return self.case.person.gender if self.case is not None else None

    def saved(self, result: DecisionResult) -> None:
        self.sig_decided.emit(result)
        super().saved(result)
