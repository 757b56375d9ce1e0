"""The research committee's page: the requests before it with the days left (Hijri and
Gregorian), its latest meeting, and the print queue of decision letters; and the pages the
committee's side of the window adds (the committee's and social research)."""

from __future__ import annotations

from datetime import date
from typing import Any

from romah_desktop.changes import Change
from romah_desktop.grammar import for_gender
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.committee.workspace import (
    CommitteeRow,
    DecisionResult,
    MeetingRow,
    PrintRow,
    committee_queue,
    list_meetings,
    mark_printed,
    print_queue,
)
from ui.context import AppContext, error_text
from ui.pages import PageEntry
from ui.pages.committee.dialogs import CaseDialog, MeetingDialog
from ui.pages.committee_queue import COMMITTEE_CHANGES, CommitteeQueueModel
from ui.pages.research import ResearchPage
from ui.qt import (
    QCoreApplication,
    QHBoxLayout,
    QLabel,
    QModelIndex,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.page_header import Section
from ui.widgets.tables import (
    RowRole,
    RowsModel,
    dual,
    make_table,
    page_title,
    stretch_columns,
)


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
        self.meeting_button.setVisible(allowed(ctx.actor.roles, Permission.RECORD_DECISION))
        self.latest_meeting = QLabel()
        self.latest_meeting.setObjectName("latest_meeting")
        self.latest_meeting.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("committee_message")
        self.message.setWordWrap(True)
        # The outcome of the last action beside the buttons, in room they leave anyway.
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.meeting_button)
        buttons.addWidget(self.open_button)

        self.printing = PrintQueueModel(self)
        self.print_view = make_table("print_queue_table")
        self.print_view.setModel(self.printing)
        stretch_columns(self.print_view, PrintQueueModel.TITLE)
        self.print_view.activated.connect(lambda _index: self.print_current())
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("print_letter")
        self.print_button.clicked.connect(self.print_current)
        self.printed_button = QPushButton(self.tr("Mark as printed"))
        self.printed_button.setObjectName("mark_printed")
        self.printed_button.clicked.connect(self.mark_current_printed)
        self.print_box = Section(
            "print_queue", self.print_view, [self.print_button, self.printed_button]
        )
        # The queue's counts and the latest meeting share a line: the page asks no more height
        # than a laptop at 150 % has.
        status = QHBoxLayout()
        status.addWidget(self.summary, 3)
        status.addWidget(self.latest_meeting, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Research committee")))
        layout.addLayout(status)
        layout.addWidget(self.view, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.print_box, 1)
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
        self.print_box.set_title(
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
        # Said of the person in their grammar: a woman is told in the feminine.
        case = self.sender()
        told = for_gender(
            case.gender() if isinstance(case, CaseDialog) else None,
            self.tr(
                "The decision is recorded ({status}); the beneficiary's contact is logged and "
                "the decision letter is in the print queue."
            ),
            self.tr(
                "The decision is recorded ({status}); the beneficiary's contact is logged and "
                "the decision letter is in the print queue.",
                "feminine",
            ),
        )
        self.message.setText(told.format(status=label(result.status)))

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


def committee_pages(ctx: AppContext) -> list[PageEntry]:
    """The committee's page (for its members and those who watch its deadline) and the
    social research page (for those who answer referrals)."""
    pages: list[PageEntry] = []
    role = ctx.actor.roles
    if allowed(role, Permission.RECORD_DECISION) or allowed(role, Permission.WATCH_DEADLINES):
        name = QCoreApplication.translate("CommitteePage", "Research committee")
        pages.append(("committee", name, CommitteePage))
    if allowed(role, Permission.ANSWER_REFERRAL):
        name = QCoreApplication.translate("ResearchPage", "Social research")
        pages.append(("research", name, ResearchPage))
    return pages
