"""The branch's support requests: filter by status and type, search, see the committee's due
date in Hijri and Gregorian with overdue requests highlighted, and open one read-only.
"""

from __future__ import annotations

from datetime import date

from db.enums import RequestStatus, RequestType
from romah_desktop.changes import Change
from romah_desktop.grammar import DAY, count_phrase
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.queues import (
    RequestDetails,
    RequestRow,
    list_requests,
    request_details,
)
from romah_desktop.validation import format_money
from ui.context import AppContext, error_text
from ui.pages.delivery import DeliveryDialog
from ui.printing import PrintFormsButton, request_forms
from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.tables import (
    OVERDUE_FOREGROUND,
    PagedRowsModel,
    RowRole,
    dual,
    follow_reading_side,
    make_table,
    page_title,
    stretch_columns,
)

# Changes after which these lists are refreshed (the record kinds ctx.sig_changed names).
REQUEST_CHANGES = frozenset(
    {Change.REQUEST, Change.DECISION, Change.DELIVERY, Change.BENEFICIARY, Change.DECLARATION}
)


class RequestsModel(PagedRowsModel[RequestRow]):
    """Support requests: number, person, type, status, amount and the committee's due date."""

    NUMBER, PERSON, TYPE, STATUS, AMOUNT, DUE, DAYS = range(7)

    def headers(self) -> list[str]:
        return [
            self.tr("Number"),
            self.tr("Beneficiary"),
            self.tr("Type"),
            self.tr("Status"),
            self.tr("Amount (SAR)"),
            self.tr("Committee's answer due"),
            self.tr("Days left"),
        ]

    def cell(self, row: RequestRow, column: int) -> str:
        if column == self.NUMBER:
            return row.request_number
        if column == self.PERSON:
            return row.person_name
        if column == self.TYPE:
            return label(row.request_type)
        if column == self.STATUS:
            return label(row.status)
        if column == self.AMOUNT:
            halalas = row.amount_requested_halalas
            return "" if halalas is None else format_money(halalas)
        if column == self.DUE:
            return dual(row.committee_due_on)
        if column == self.DAYS:
            return self.days_text(row)
        return ""

    def days_text(self, row: RequestRow) -> str:
        if row.status != RequestStatus.SUBMITTED:
            return ""
        days = row.days_left(self.today)
        if days is None:
            return ""
        if days < 0:
            return self.tr("Overdue by {days}").format(days=count_phrase(-days, DAY))
        if days == 0:
            return self.tr("Due today")
        return str(days)

    def tooltip(self, row: RequestRow, column: int) -> str | None:
        if column == self.PERSON:
            return row.file_number
        if self.late(row):
            return self.tr("The committee's answer is overdue.")
        return None

    def late(self, row: RequestRow) -> bool:
        return row.is_overdue(self.today)


class RequestDetailsDialog(QDialog):
    """One request, read-only: its facts, justification and the committee's decisions."""

    sig_loaded = Signal()
    """The request's details are on screen."""

    def __init__(self, ctx: AppContext, request_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.delivery: DeliveryDialog | None = None
        self.setWindowTitle(self.tr("Support request"))
        self.setObjectName("request_details")
        self.resize(640, 520)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        titles = {
            "number": self.tr("Request number"),
            "person": self.tr("Beneficiary"),
            "type": self.tr("Type"),
            "status": self.tr("Status"),
            "amount": self.tr("Amount requested (SAR)"),
            "channel": self.tr("Received through"),
            "submitted": self.tr("Submitted to the committee"),
            "due": self.tr("Committee's answer due"),
        }
        # A value such as a request number reads left to right but still sits on the form's
        # reading side (a label would otherwise align it by its own text's direction).
        side = (
            Qt.AlignmentFlag.AlignRight
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft
            else Qt.AlignmentFlag.AlignLeft
        )
        for key, title in titles.items():
            value = QLabel()
            value.setAlignment(
                side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
            )
            value.setObjectName(f"request_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.fields[key] = value
            form.addRow(title, value)
        self.justification = QPlainTextEdit()
        self.justification.setObjectName("request_justification")
        self.justification.setReadOnly(True)
        self.justification.setTabChangesFocus(True)
        follow_reading_side(self.justification)
        self.decisions = QListWidget()
        self.decisions.setObjectName("request_decisions")
        self.message = QLabel(self.tr("Loading…"))
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = PrintFormsButton(ctx)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.deliver_button = QPushButton(self.tr("Record &delivery…"))
        self.deliver_button.setObjectName("request_record_delivery")
        self.deliver_button.clicked.connect(lambda: self.record_delivery())
        buttons.addButton(self.deliver_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.deliver_button.hide()  # until the request is known to be approved
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Justification")))
        layout.addWidget(self.justification, 1)
        layout.addWidget(QLabel(self.tr("Committee decisions")))
        layout.addWidget(self.decisions, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """Load the request's details (again, after a delivery changed them)."""
        request_id = self.request_id
        self.ctx.run(
            lambda session, actor: request_details(session, actor, request_id),
            self._show,
            lambda error: self.message.setText(error_text(error)),
            owner=self,
        )

    def _show(self, details: RequestDetails) -> None:
        row = details.row
        today = date.today()
        values = {
            "number": row.request_number,
            "person": f"{row.person_name} — {row.file_number}",
            "type": label(row.request_type),
            "status": label(row.status),
            "amount": ""
            if row.amount_requested_halalas is None
            else format_money(row.amount_requested_halalas),
            "channel": label(details.channel),
            "submitted": dual(row.submitted_at.astimezone().date() if row.submitted_at else None),
            "due": dual(row.committee_due_on),
        }
        if row.is_overdue(today):
            values["due"] = self.tr("{date} — overdue").format(date=values["due"])
            self.fields["due"].setStyleSheet(f"color: {OVERDUE_FOREGROUND.name()};")
        for key, text in values.items():
            self.fields[key].setText(text or "—")
        self.justification.setPlainText(details.justification)
        self.decisions.clear()
        for decision in details.decisions:
            text = self.tr("{date}: {outcome}").format(
                date=dual(decision.decided_on), outcome=label(decision.outcome)
            )
            if decision.approved_amount_halalas is not None:
                text += " — " + self.tr("{amount} riyals").format(
                    amount=format_money(decision.approved_amount_halalas)
                )
            if decision.reason:
                text += " — " + decision.reason
            if not decision.in_force:
                text += " " + self.tr("(corrected by a later decision)")
            self.decisions.addItem(text)
        if not details.decisions:
            self.decisions.addItem(self.tr("No decision yet."))
        self.print_button.set_forms(request_forms(details))
        # An approved request waits for its service; once fulfilled there is nothing left.
        self.deliver_button.setVisible(
            row.status == RequestStatus.APPROVED
            and allowed(self.ctx.actor.roles, Permission.DELIVER_SERVICE)
        )
        self.message.clear()
        self.sig_loaded.emit()

    def record_delivery(self) -> DeliveryDialog:
        """Open the delivery form for this request; after a delivery the details reload."""
        dialog = DeliveryDialog(self.ctx, self.request_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_delivered.connect(lambda _result: self.reload())
        self.delivery = dialog
        dialog.open()
        return dialog


class RequestsPage(QWidget):
    """Every support request of the branch, newest first, with filters and a search."""

    sig_opened = Signal(str)
    """A request was opened; the argument is its id."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.details: RequestDetailsDialog | None = None
        self.status = QComboBox()
        self.status.setObjectName("request_status_filter")
        self.status.addItem(self.tr("All statuses"), None)
        for status in RequestStatus:
            self.status.addItem(label(status), status)
        self.request_type = QComboBox()
        self.request_type.setObjectName("request_type_filter")
        self.request_type.addItem(self.tr("All types"), None)
        for kind in RequestType:
            self.request_type.addItem(label(kind), kind)
        self.query = QLineEdit()
        self.query.setObjectName("request_query")
        self.query.setPlaceholderText(self.tr("Request number, name, national ID or mobile"))
        self.query.setClearButtonEnabled(True)
        self.model = RequestsModel(ctx, self)
        self.view = make_table("requests_table")
        self.view.setModel(self.model)
        stretch_columns(self.view, RequestsModel.PERSON)
        self.count = QLabel()
        self.count.setObjectName("requests_count")
        self.open_button = QPushButton(self.tr("Open request"))
        self.open_button.setObjectName("open_request")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)
        self.status.currentIndexChanged.connect(lambda _i: self.reload())
        self.request_type.currentIndexChanged.connect(lambda _i: self.reload())
        self.query.textChanged.connect(lambda _t: self._debounce.start())
        self.query.returnPressed.connect(self.reload)
        self.view.activated.connect(self._open_index)
        self.open_button.clicked.connect(self.open_current)
        self.model.sig_loaded.connect(self._loaded)
        self.model.sig_failed.connect(self.count.setText)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Status")))
        filters.addWidget(self.status)
        filters.addWidget(QLabel(self.tr("Type")))
        filters.addWidget(self.request_type)
        filters.addWidget(self.query, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Support requests")))
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        ctx.sig_changed.connect(self._changed)

    def refresh(self) -> None:
        """Load the list again with the current filters, keeping what is scrolled to."""
        self._load(keep_loaded=True)

    def reload(self) -> None:
        """Load the list from the top (the filters changed)."""
        self._load(keep_loaded=False)

    def _load(self, keep_loaded: bool) -> None:
        if not self.ctx.signed_in:
            return
        status = self.status.currentData()
        kind = self.request_type.currentData()
        query = self.query.text()
        self.count.setText(self.tr("Loading…"))
        self.model.load(
            lambda session, actor, limit, after: list_requests(
                session,
                actor,
                status=status,
                request_type=kind,
                query=query,
                limit=limit,
                after=after,
            ),
            keep_loaded=keep_loaded,
        )

    def _loaded(self, count: int) -> None:
        more = self.model.canFetchMore()
        if count == 0:
            self.count.setText(self.tr("No requests match."))
        elif more:
            self.count.setText(
                self.tr("Requests shown: {count} (scroll down for more).").format(count=count)
            )
        else:
            self.count.setText(self.tr("Requests: {count}.").format(count=count))

    def _changed(self, kinds: set[Change]) -> None:
        if kinds & REQUEST_CHANGES and self.isVisible():
            self.refresh()

    def _open_index(self, index: QModelIndex) -> None:
        request_id = index.data(RowRole.ID)
        if request_id:
            self.open_request(str(request_id))

    def open_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._open_index(index)

    def open_request(self, request_id: str) -> RequestDetailsDialog:
        """Show the request read-only (the details dialog stays open beside the list)."""
        self.details = RequestDetailsDialog(self.ctx, request_id, self)
        self.details.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details.open()
        self.sig_opened.emit(request_id)
        return self.details
