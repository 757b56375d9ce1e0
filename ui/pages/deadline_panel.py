"""Today's part about the committee's deadline: requests whose clock is stopped, escalated
requests, and the committee's compliance with the Escalate dialog for the branch manager."""

from __future__ import annotations

from datetime import date

from romah_desktop.changes import Change
from romah_desktop.grammar import DAY, count_phrase
from romah_desktop.services.committee.watch import (
    COMPLIANCE_DAYS,
    Compliance,
    DeadlineWatch,
    deadline_watch,
    escalate,
)
from romah_desktop.services.committee.workspace import (
    CommitteeRow,
)
from ui.context import AppContext, error_text
from ui.pages.committee_queue import CommitteeQueueModel
from ui.qt import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.form_dialog import FormDialog
from ui.widgets.tables import (
    RowRole,
    follow_reading_side,
    make_table,
    stretch_columns,
)

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
            self.tr("The committee's deadline, requests due in the last {days}").format(
                days=count_phrase(COMPLIANCE_DAYS, DAY, oblique=True)
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
            # Rounded as the Reports page rounds it: one period, one figure.
            on_time = self.tr(
                "Answered within the deadline: {percent}% (of those answered or overdue)."
            )
            text += " " + on_time.format(percent=f"{percent:.0f}")
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
