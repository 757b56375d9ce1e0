"""The research committee's workspace: the requests before it with the days left (Hijri and
Gregorian), a request's file with its documents and research report, meetings and decisions,
and the print queue of decision letters. Also Today's deadline panel: requests whose clock is
stopped, escalated requests, and the committee's compliance for the branch manager.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db.enums import Channel, DecisionOutcome, RequestStatus
from romah_desktop.changes import Change
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.committee.workspace import (
    COMPLIANCE_DAYS,
    CaseFile,
    CommitteeRow,
    Compliance,
    DeadlineWatch,
    DecisionResult,
    MeetingRow,
    PrintRow,
    case_file,
    committee_queue,
    deadline_watch,
    decide,
    escalate,
    list_meetings,
    mark_printed,
    print_queue,
    record_meeting,
)
from romah_desktop.validation import format_money, parse_money
from ui.context import AppContext, error_text
from ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import DualDateField
from ui.widgets.form_dialog import FormDialog
from ui.widgets.tables import (
    RowRole,
    RowsModel,
    dual,
    follow_reading_side,
    make_table,
    page_title,
    stretch_columns,
)

# Changes after which the committee's lists are loaded again (ctx.sig_changed's kinds).
COMMITTEE_CHANGES = frozenset(
    {
        Change.REQUEST,
        Change.DECISION,
        Change.MEETING,
        Change.PRINT,
        Change.RESEARCH,
        Change.ESCALATION,
        Change.DECLARATION,
    }
)
DECISION_CHANGES = {Change.DECISION, Change.REQUEST, Change.CONTACT, Change.PRINT}


def _money(halalas: int | None) -> str:
    return "" if halalas is None else format_money(halalas)


class CommitteeQueueModel(RowsModel[CommitteeRow]):
    """Requests before the committee: number, person, type, amount, due date and days left
    (frozen while the clock is stopped), whether research reported, and escalation."""

    NUMBER, PERSON, TYPE, AMOUNT, DUE, DAYS, REPORT, FLAG = range(8)

    def headers(self) -> list[str]:
        return [
            self.tr("Number"),
            self.tr("Beneficiary"),
            self.tr("Type"),
            self.tr("Amount requested (SAR)"),
            self.tr("Committee's answer due"),
            self.tr("Days left"),
            self.tr("Research report"),
            self.tr("Escalated"),
        ]

    def cell(self, row: CommitteeRow, column: int) -> str:
        if column == self.NUMBER:
            return row.request_number
        if column == self.PERSON:
            return row.person_name
        if column == self.TYPE:
            return label(row.request_type)
        if column == self.AMOUNT:
            return _money(row.amount_requested_halalas)
        if column == self.DUE:
            return dual(row.deadline.due_on)
        if column == self.DAYS:
            return self.days_text(row)
        if column == self.REPORT:
            return self.tr("Yes") if row.has_report else self.tr("Not yet")
        if column == self.FLAG:
            return self.tr("Escalated") if row.escalated else ""
        return ""

    def days_text(self, row: CommitteeRow) -> str:
        days = row.days_left(self.today)
        if days is None:
            return ""
        if row.paused:
            return self.tr("Clock stopped: {days} days left").format(days=days)
        if days < 0:
            return self.tr("Overdue by {days} days").format(days=-days)
        if days == 0:
            return self.tr("Due today")
        return str(days)

    def tooltip(self, row: CommitteeRow, column: int) -> str | None:
        if column in (self.DUE, self.DAYS):
            return row.deadline.explain(self.today)
        if column == self.PERSON:
            return row.file_number
        return None

    def late(self, row: CommitteeRow) -> bool:
        return row.is_overdue(self.today)


class PrintQueueModel(RowsModel[PrintRow]):
    """Forms waiting to be printed: what, since when, queued by whom."""

    TITLE, QUEUED, BY = range(3)

    def headers(self) -> list[str]:
        return [self.tr("Form"), self.tr("Queued on"), self.tr("Queued by")]

    def cell(self, row: PrintRow, column: int) -> str:
        if column == self.TITLE:
            return row.title
        if column == self.QUEUED:
            return dual(row.queued_at.astimezone().date())
        if column == self.BY:
            return row.queued_by
        return ""


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
        self.resize(820, 760)
        self.save_button.setText(self.tr("Record decision"))
        self.save_button.setObjectName("record_decision")

        self.facts: dict[str, QLabel] = {}
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
            facts.addRow(title, value)
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
        self.tabs.setMinimumHeight(170)

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
        follow_reading_side(self.reason)
        self.channel = QComboBox()
        self.channel.setObjectName("notify_channel")
        for channel in Channel:
            self.channel.addItem(label(channel), channel)
        self.channel.setCurrentIndex(self.channel.findData(Channel.LETTER))
        self.correction = QLabel()
        self.correction.setObjectName("case_correction")
        self.correction.setWordWrap(True)

        self.body.addLayout(facts)
        self.body.addWidget(self.tabs, 1)
        self.decision_box = QGroupBox(self.tr("The committee's decision"))
        self.decision_box.setObjectName("decision_box")
        box_layout = QVBoxLayout(self.decision_box)
        box_layout.addWidget(self.correction)
        box_layout.addLayout(self.form)
        self.add_field("meeting_id", self.tr("Meeting"), meeting_row, self.meeting)
        self.add_field("outcome", self.tr("Decision"), self.outcome)
        self.amount_row = self.add_field(
            "approved_amount", self.tr("Approved amount (SAR)"), amount_box, self.amount
        )
        self.reason_row = self.add_field("reason", self.tr("Reason"), self.reason)
        self.add_field("notify_channel", self.tr("Tell the beneficiary by"), self.channel)
        self.body.addWidget(self.decision_box)
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
        self.facts["request"].setText(
            " — ".join(
                part
                for part in (
                    row.request_number,
                    label(row.request_type),
                    label(row.status),
                    self.tr("{amount} riyals requested").format(
                        amount=_money(row.amount_requested_halalas)
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
                    amount=_money(person.monthly_income_halalas)
                )
            )
        if person.housing_type is not None:
            household.append(label(person.housing_type))
        if person.monthly_rent_halalas is not None:
            household.append(
                self.tr("rent {amount} riyals a month").format(
                    amount=_money(person.monthly_rent_halalas)
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
                    amount=_money(decision.approved_amount_halalas)
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
            self.amount.setText(_money(row.amount_requested_halalas).replace(",", ""))
        # A decided request can still be reversed: the new decision supersedes the one in force.
        decidable = row.status in (
            RequestStatus.SUBMITTED,
            RequestStatus.NEEDS_INFO,
            RequestStatus.APPROVED,
            RequestStatus.REJECTED,
        )
        reversal = row.status in (RequestStatus.APPROVED, RequestStatus.REJECTED)
        self.supersedes_id = in_force.id if reversal and in_force is not None else None
        if not allowed(self.ctx.actor.role, Permission.RECORD_DECISION):
            decidable = False
            self.correction.setText(self.tr("Only the committee's members record decisions."))
        elif reversal:
            self.correction.setText(
                self.tr(
                    "This request was decided. A decision recorded here reverses the one in "
                    "force; both stay in the file."
                )
            )
        elif not decidable:
            self.correction.setText(
                self.tr("This request is “{status}”: the committee has nothing to decide.").format(
                    status=label(row.status)
                )
            )
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

    def saved(self, result: DecisionResult) -> None:
        self.sig_decided.emit(result)
        super().saved(result)


# --- the page -----------------------------------------------------------------------------


def _print_form() -> tuple[Any, Any] | None:
    """The window's print helper and the kinds of form, when printing is part of this build."""
    try:
        from romah_desktop.printing import FormKind
        from ui.printing import print_form
    except ImportError:
        return None
    return print_form, FormKind


class CommitteePage(QWidget):
    """The committee's queue, its latest meeting, and the letters waiting to be printed."""

    sig_loaded = Signal()
    """The queue, the meetings and the print queue are on screen."""

    sig_case_opened = Signal(object)
    """A request was opened; the argument is its CaseDialog."""

    sig_printing = Signal(object)
    """A letter's print preview was asked for; the argument is the print job."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: CaseDialog | None = None
        self.meeting_dialog: MeetingDialog | None = None
        self.summary = QLabel()
        self.summary.setObjectName("committee_summary")
        self.summary.setWordWrap(True)
        self.model = CommitteeQueueModel(self)
        self.view = make_table("committee_table")
        self.view.setModel(self.model)
        stretch_columns(self.view, CommitteeQueueModel.PERSON)
        self.view.activated.connect(self._open_index)
        self.open_button = QPushButton(self.tr("Open request"))
        self.open_button.setObjectName("open_case")
        self.open_button.clicked.connect(self.open_current)
        self.meeting_button = QPushButton(self.tr("New meeting…"))
        self.meeting_button.setObjectName("new_meeting")
        self.meeting_button.clicked.connect(self.open_meeting_dialog)
        self.meeting_button.setVisible(allowed(ctx.actor.role, Permission.RECORD_DECISION))
        self.latest_meeting = QLabel()
        self.latest_meeting.setObjectName("latest_meeting")
        self.latest_meeting.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.latest_meeting, 1)
        buttons.addWidget(self.meeting_button)
        buttons.addWidget(self.open_button)

        self.printing = PrintQueueModel(self)
        self.print_view = make_table("print_queue_table")
        self.print_view.setModel(self.printing)
        self.print_view.setMinimumHeight(90)
        stretch_columns(self.print_view, PrintQueueModel.TITLE)
        self.print_view.activated.connect(lambda _index: self.print_current())
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("print_letter")
        self.print_button.clicked.connect(self.print_current)
        self.printed_button = QPushButton(self.tr("Mark as printed"))
        self.printed_button.setObjectName("mark_printed")
        self.printed_button.clicked.connect(self.mark_current_printed)
        self.print_box = QGroupBox()
        self.print_box.setObjectName("print_queue")
        print_buttons = QHBoxLayout()
        print_buttons.addStretch(1)
        print_buttons.addWidget(self.print_button)
        print_buttons.addWidget(self.printed_button)
        print_layout = QVBoxLayout(self.print_box)
        print_layout.addWidget(self.print_view, 1)
        print_layout.addLayout(print_buttons)
        self.message = QLabel()
        self.message.setObjectName("committee_message")
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Research committee")))
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.print_box, 1)
        layout.addWidget(self.message)
        ctx.sig_changed.connect(self._changed)

    def refresh(self) -> None:
        """Load the queue, the meetings and the print queue."""
        if not self.ctx.signed_in:
            return
        self.summary.setText(self.tr("Loading…"))
        self.ctx.run(
            lambda session, actor: (
                committee_queue(session, actor),
                list_meetings(session, actor, limit=1),
                print_queue(session, actor),
            ),
            self._show,
            lambda error: self.summary.setText(error_text(error)),
            owner=self,
        )

    def _show(self, loaded: tuple[list[CommitteeRow], list[MeetingRow], list[PrintRow]]) -> None:
        rows, meetings, printing = loaded
        today = date.today()
        self.model.set_rows(rows, today)
        self.printing.set_rows(printing, today)
        waiting = sum(1 for r in rows if not r.paused)
        overdue = sum(1 for r in rows if r.is_overdue(today))
        paused = sum(1 for r in rows if r.paused)
        self.summary.setText(
            self.tr(
                "Awaiting the committee's decision: {waiting} (overdue: {overdue}). "
                "Returned for more information, clock stopped: {paused}."
            ).format(waiting=waiting, overdue=overdue, paused=paused)
        )
        if meetings:
            latest = meetings[0]
            self.latest_meeting.setText(
                self.tr("Latest meeting: {number} on {date}, {count} members present.").format(
                    number=latest.meeting_number,
                    date=dual(latest.held_on),
                    count=len(latest.members_present),
                )
            )
        else:
            self.latest_meeting.setText(self.tr("No meeting recorded yet."))
        self.print_box.setTitle(
            self.tr("Letters waiting to be printed ({count})").format(count=len(printing))
        )
        self.print_button.setEnabled(bool(printing))
        self.printed_button.setEnabled(bool(printing))
        self.open_button.setEnabled(bool(rows))
        self.sig_loaded.emit()

    def _changed(self, kinds: set[Change]) -> None:
        if kinds & COMMITTEE_CHANGES and self.isVisible():
            self.refresh()

    # --- opening a request ------------------------------------------------------------------

    def _open_index(self, index: QModelIndex) -> None:
        request_id = index.data(RowRole.ID)
        if request_id:
            self.open_case(str(request_id))

    def open_current(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid():
            self._open_index(index)

    def open_case(self, request_id: str) -> CaseDialog:
        """Open the request's file with the decision form."""
        self.case = CaseDialog(self.ctx, request_id, self)
        self.case.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.case.sig_decided.connect(self._decided)
        self.case.open()
        self.sig_case_opened.emit(self.case)
        return self.case

    def _decided(self, result: DecisionResult) -> None:
        self.message.setText(
            self.tr(
                "The decision is recorded ({status}); the beneficiary's contact is logged and "
                "the decision letter is in the print queue."
            ).format(status=label(result.status))
        )

    def open_meeting_dialog(self) -> MeetingDialog:
        dialog = MeetingDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(
            lambda _id: self.message.setText(self.tr("The meeting is recorded."))
        )
        self.meeting_dialog = dialog
        dialog.open()
        return dialog

    # --- the print queue ----------------------------------------------------------------------

    def _current_print(self) -> PrintRow | None:
        index = self.print_view.currentIndex()
        row = index.row() if index.isValid() else 0
        if not 0 <= row < self.printing.rowCount():
            return None
        return self.printing.row_at(row)

    def print_current(self) -> object | None:
        """Open the selected letter (or the first) in the print preview; once it has gone to
        the printer it leaves the queue."""
        item = self._current_print()
        if item is None:
            return None
        printing = _print_form()
        if printing is None:
            self.message.setText(self.tr("Printing is not available in this installation."))
            return None
        print_form, form_kind = printing
        job = print_form(self.ctx, self.window(), form_kind(item.form_kind), item.entity_id)
        item_id = item.id

        def opened(preview: object) -> None:
            printed = getattr(preview, "sig_printed", None)
            if printed is not None:
                printed.connect(lambda _pages: self.mark_printed(item_id))

        job.sig_opened.connect(opened)
        self.sig_printing.emit(job)
        return job

    def mark_current_printed(self) -> None:
        item = self._current_print()
        if item is not None:
            self.mark_printed(item.id)

    def mark_printed(self, item_id: str) -> None:
        """Take the form off the print queue (it was printed)."""
        self.ctx.run(
            lambda session, actor: mark_printed(session, actor, item_id),
            lambda _item: self.message.setText(self.tr("The letter left the print queue.")),
            lambda error: self.message.setText(error_text(error)),
            changes={Change.PRINT},
            owner=self,
        )


def committee_pages(ctx: AppContext) -> list[tuple[str, str, QWidget]]:
    """The committee's page (for its members and those who watch its deadline) and the
    social research page (for those who answer referrals)."""
    from ui.pages.research import ResearchPage

    pages: list[tuple[str, str, QWidget]] = []
    role = ctx.actor.role
    if allowed(role, Permission.RECORD_DECISION) or allowed(role, Permission.WATCH_DEADLINES):
        page = CommitteePage(ctx)
        pages.append(("committee", page.tr("Research committee"), page))
    if allowed(role, Permission.ANSWER_REFERRAL):
        research = ResearchPage(ctx)
        pages.append(("research", research.tr("Social research"), research))
    return pages


# --- Today's deadline panel -----------------------------------------------------------------

# Today's small tables show this many rows before they scroll.
PANEL_ROWS = 4


def fit_rows(view: QTableView, rows: int, most: int = PANEL_ROWS) -> None:
    """Make a table as tall as its header and `rows` rows (at most `most`), so that a short
    list on Today takes a short space."""
    shown = max(1, min(rows, most))
    height = (
        view.horizontalHeader().sizeHint().height()
        + shown * view.verticalHeader().defaultSectionSize()
        + 2 * view.frameWidth()
        + view.horizontalScrollBar().sizeHint().height()
    )
    view.setFixedHeight(height)


class EscalateDialog(FormDialog):
    """Escalate a request that is overdue or about to be, with a note."""

    def __init__(
        self, ctx: AppContext, rows: list[CommitteeRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, parent)
        self.rows = {row.id: row for row in rows}
        self.setObjectName("escalate_dialog")
        self.setWindowTitle(self.tr("Escalate a request"))
        self.resize(600, 360)
        today = date.today()
        model = CommitteeQueueModel(self)
        model.set_rows(rows, today)
        self.request = QComboBox()
        self.request.setObjectName("escalate_request")
        for row in rows:
            self.request.addItem(
                f"{row.request_number} — {row.person_name} — {model.days_text(row)}", row.id
            )
        self.about = QLabel()
        self.about.setObjectName("escalate_about")
        self.about.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setObjectName("escalation_note")
        self.note.setTabChangesFocus(True)
        follow_reading_side(self.note)
        self.add_field("request_id", self.tr("Request"), self.request)
        self.form.addRow("", self.about)
        self.add_field("note", self.tr("Note"), self.note)
        self.save_button.setText(self.tr("Escalate"))
        self.finish_layout()
        self.request.currentIndexChanged.connect(lambda _i: self._explain())
        self._explain()
        self.note.setFocus()

    def _explain(self) -> None:
        row = self.rows.get(self.request.currentData())
        self.about.setText("" if row is None else row.deadline.explain(date.today()))

    def save(self) -> None:
        self.clear_errors()
        request_id = self.request.currentData()
        note = self.note.toPlainText()
        self.submit(
            lambda session, actor: escalate(session, actor, request_id, note).id,
            {Change.ESCALATION},
        )


class DeadlinePanel(QWidget):
    """Today's part about the committee's deadline: requests whose clock is stopped, open
    requests that were escalated, and, for those who watch the deadline, the committee's
    compliance with an Escalate button."""

    sig_loaded = Signal(object)
    """The panel is filled; the argument is the core's DeadlineWatch."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.watch: DeadlineWatch | None = None
        self.escalate_dialog: EscalateDialog | None = None
        self.paused = CommitteeQueueModel(self)
        self.boxes: dict[str, QGroupBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.paused_view = make_table("today_paused_table")
        self.paused_view.setModel(self.paused)
        stretch_columns(self.paused_view, CommitteeQueueModel.PERSON)
        for column in (
            CommitteeQueueModel.TYPE,
            CommitteeQueueModel.AMOUNT,
            CommitteeQueueModel.REPORT,
            CommitteeQueueModel.FLAG,
        ):
            self.paused_view.setColumnHidden(column, True)
        self.paused_view.activated.connect(self._open_request)
        # Escalated requests are overdue, so Today already lists them: one line names them.
        self.escalated_text = QLabel()
        self.escalated_text.setObjectName("escalated_requests")
        self.escalated_text.setWordWrap(True)
        for key, widget in (("paused", self.paused_view), ("escalated", self.escalated_text)):
            box = QGroupBox()
            box.setObjectName(f"today_{key}")
            QVBoxLayout(box).addWidget(widget)
            box.setVisible(False)
            self.boxes[key] = box
            layout.addWidget(box)
        self.compliance_text = QLabel()
        self.compliance_text.setObjectName("compliance_summary")
        self.compliance_text.setWordWrap(True)
        self.escalate_button = QPushButton(self.tr("Escalate…"))
        self.escalate_button.setObjectName("escalate")
        self.escalate_button.clicked.connect(self.open_escalate_dialog)
        self.message = QLabel()
        self.message.setObjectName("deadline_message")
        self.message.setWordWrap(True)
        box = QGroupBox()
        box.setObjectName("today_compliance")
        box.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.escalate_button)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.compliance_text)
        box_layout.addLayout(row)
        self.boxes["compliance"] = box
        layout.addWidget(box)

    def refresh(self, today: date) -> None:
        if not self.ctx.signed_in:
            return
        self.ctx.run(
            lambda session, actor: deadline_watch(session, actor, today),
            self._show,
            lambda error: self.message.setText(error_text(error)),
            owner=self,
        )

    def _show(self, watch: DeadlineWatch) -> None:
        self.watch = watch
        today = date.today()
        self.paused.set_rows(watch.paused, today)
        self.boxes["paused"].setTitle(
            self.tr("Returned for more information, clock stopped ({count})").format(
                count=len(watch.paused)
            )
        )
        self.boxes["paused"].setVisible(bool(watch.paused))
        fit_rows(self.paused_view, len(watch.paused))
        self.boxes["escalated"].setTitle(
            self.tr("Escalated requests awaiting the committee ({count})").format(
                count=len(watch.escalated)
            )
        )
        self.boxes["escalated"].setVisible(bool(watch.escalated))
        self.escalated_text.setText(
            "، ".join(f"{row.person_name} ({row.request_number})" for row in watch.escalated)
        )
        compliance = watch.compliance
        self.boxes["compliance"].setVisible(compliance is not None)
        if compliance is not None:
            self._show_compliance(compliance)
        self.escalate_button.setEnabled(bool(watch.escalatable))
        self.escalate_button.setToolTip(
            ""
            if watch.escalatable
            else self.tr("No request is overdue or due soon without being escalated.")
        )
        self.sig_loaded.emit(watch)

    def _show_compliance(self, compliance: Compliance) -> None:
        self.boxes["compliance"].setTitle(
            self.tr("The committee's deadline, requests of the last {days} days").format(
                days=COMPLIANCE_DAYS
            )
        )
        text = self.tr(
            "Answered on time: {on_time}. Answered late: {late}. Still open: {open} "
            "(overdue: {overdue}). Returned for more information: {paused}."
        ).format(
            on_time=compliance.on_time,
            late=compliance.late,
            open=compliance.open + compliance.overdue,
            overdue=compliance.overdue,
            paused=compliance.paused,
        )
        percent = compliance.on_time_percent
        if percent is not None:
            text += " " + self.tr("{percent}% of the answers were on time.").format(percent=percent)
        self.compliance_text.setText(text)

    def _open_request(self, index: QModelIndex) -> None:
        request_id = index.data(RowRole.ID)
        # Today's read-only view of a request, from the page this panel sits in.
        holder = self.parentWidget()
        while holder is not None and not callable(getattr(holder, "open_request", None)):
            holder = holder.parentWidget()
        if request_id and holder is not None:
            holder.open_request(str(request_id))

    def open_escalate_dialog(self) -> EscalateDialog | None:
        """Escalate one of the requests overdue or due soon (the most overdue is offered)."""
        rows = self.watch.escalatable if self.watch is not None else []
        if not rows:
            self.message.setText(
                self.tr("No request is overdue or due soon without being escalated.")
            )
            return None
        dialog = EscalateDialog(self.ctx, rows, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(
            lambda _id: self.message.setText(self.tr("The request is escalated."))
        )
        self.escalate_dialog = dialog
        dialog.open()
        return dialog
