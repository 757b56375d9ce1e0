"""Service delivery: the approved requests waiting for their service, and the form that records
what was handed over, by whom, with the beneficiary's signature on the receipt. Once the
approved services are delivered the request is fulfilled; a satisfaction survey can follow.
"""

from __future__ import annotations

from db.enums import Channel, Gender, ServiceType
from romah_desktop.changes import Change
from romah_desktop.grammar import for_gender
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.delivery import (
    AwaitingDelivery,
    DeliveryPlan,
    DeliveryResult,
    awaiting_delivery,
    deliver_service,
    delivery_plan,
)
from romah_desktop.validation import format_money
from ui.context import AppContext, error_text
from ui.pages import PageEntry
from ui.pages.survey import SurveyDialog
from ui.qt import (
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QModelIndex,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import DualDateField
from ui.widgets.form_dialog import FormDialog
from ui.widgets.signature_pad import SignaturePad
from ui.widgets.tables import PagedRowsModel, RowRole, dual, make_table, page_title, stretch_columns

DELIVERY_CHANGES = frozenset({Change.DECISION, Change.DELIVERY, Change.REQUEST})


def _money(halalas: int | None) -> str:
    return "" if halalas is None else format_money(halalas)


class AwaitingModel(PagedRowsModel[AwaitingDelivery]):
    """Approved requests: number, person, type, approved and delivered amounts, what is left."""

    NUMBER, PERSON, TYPE, APPROVED, DELIVERED, REMAINING = range(6)

    def headers(self) -> list[str]:
        return [
            self.tr("Number"),
            self.tr("Beneficiary"),
            self.tr("Type"),
            self.tr("Approved (SAR)"),
            self.tr("Delivered (SAR)"),
            self.tr("Still to deliver (SAR)"),
        ]

    def cell(self, row: AwaitingDelivery, column: int) -> str:
        if column == self.NUMBER:
            return row.request.request_number
        if column == self.PERSON:
            return row.request.person_name
        if column == self.TYPE:
            return label(row.request.request_type)
        if column == self.APPROVED:
            return _money(row.approved_amount_halalas) or self.tr("No amount")
        if column == self.DELIVERED:
            return _money(row.delivered_halalas) if row.deliveries else ""
        if column == self.REMAINING:
            return _money(row.remaining_halalas)
        return ""

    def tooltip(self, row: AwaitingDelivery, column: int) -> str | None:
        return row.request.file_number if column == self.PERSON else None


class DeliveryDialog(FormDialog):
    """Record a service delivered on one approved request, signed for by the beneficiary."""

    sig_loaded = Signal()
    """The request's approved amount and earlier deliveries are on screen."""

    sig_delivered = Signal(object)
    """The delivery was recorded; the argument is the DeliveryResult."""

    def __init__(self, ctx: AppContext, request_id: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.request_id = request_id
        self.plan: DeliveryPlan | None = None
        self.result: DeliveryResult | None = None
        self.survey: SurveyDialog | None = None
        self.setObjectName("delivery_dialog")
        self.setWindowTitle(self.tr("Record a service delivery"))
        self.resize(680, 660)
        self.summary = QLabel(self.tr("Loading…"))
        self.summary.setObjectName("delivery_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = QListWidget()
        self.history.setObjectName("delivery_history")
        self.history.setMaximumHeight(80)
        self.history.hide()
        self.service_type = QComboBox()
        self.service_type.setObjectName("service_type")
        for kind in ServiceType:
            self.service_type.addItem(label(kind), kind)
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText(self.tr("In riyals, e.g. 1,500"))
        self.items = QLineEdit()
        self.items.setObjectName("items")
        self.items.setPlaceholderText(self.tr("What was handed over, e.g. a food basket"))
        self.delivered_on = DualDateField(field="delivered_on")
        self.delivered_on.edit.setPlaceholderText(self.tr("Blank: today"))
        self.delivered_by = QLabel(ctx.actor.full_name)
        self.delivered_by.setObjectName("delivered_by")
        self.pad = SignaturePad()
        self.pad.setObjectName("receipt_signature")
        self.pad.sig_changed.connect(self._signed)
        self.clear_pad = QPushButton(self.tr("&Clear the signature"))
        self.clear_pad.setObjectName("clear_signature")
        self.clear_pad.clicked.connect(self.pad.clear)
        self.paper = QCheckBox(self.tr("Signed a &paper receipt instead"))
        self.paper.setObjectName("signed_on_paper")
        self.paper.toggled.connect(self._paper_toggled)
        signature = QWidget()
        signature_layout = QVBoxLayout(signature)
        signature_layout.setContentsMargins(0, 0, 0, 0)
        signature_layout.addWidget(self.pad)
        pad_buttons = QHBoxLayout()
        pad_buttons.addWidget(self.clear_pad)
        pad_buttons.addWidget(self.paper)
        pad_buttons.addStretch(1)
        signature_layout.addLayout(pad_buttons)
        self.add_field("service_type", self.tr("Service"), self.service_type)
        self.add_field("amount", self.tr("Amount (SAR)"), self.amount)
        self.add_field("items", self.tr("Items"), self.items)
        self.add_field("delivered_on", self.tr("Delivered on"), self.delivered_on)
        self.form.addRow(self.tr("Delivered by"), self.delivered_by)
        self.signature_row = self.add_field(
            "signature", self.tr("Beneficiary's signature of receipt"), signature, self.clear_pad
        )
        self.survey_button = QPushButton(self.tr("Satisfaction &survey…"))
        self.survey_button.setObjectName("take_survey")
        self.survey_button.clicked.connect(self.open_survey)
        self.buttons.addButton(self.survey_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.survey_button.hide()  # after the delivery (adding it to the box shows it)
        self.body.addWidget(self.summary)
        self.body.addWidget(self.history)
        self.finish_layout()
        self.save_button.setEnabled(False)
        ctx.run(
            lambda session, actor: delivery_plan(session, actor, request_id),
            self._show_plan,
            lambda error: self.set_message(error_text(error), error=True),
            owner=self,
        )

    def _address(self, gender: Gender | None) -> None:
        """Word the signing of the receipt for the person receiving: a woman in the feminine."""
        self.pad.address(gender)
        title = self.form.labelForField(self.signature_row)
        if isinstance(title, QLabel):
            title.setText(
                for_gender(
                    gender,
                    self.tr("Beneficiary's signature of receipt"),
                    self.tr("Beneficiary's signature of receipt", "feminine"),
                )
            )
        self.paper.setText(
            for_gender(
                gender,
                self.tr("Signed a &paper receipt instead"),
                self.tr("Signed a &paper receipt instead", "feminine"),
            )
        )

    def _show_plan(self, plan: DeliveryPlan) -> None:
        self.plan = plan
        self._address(plan.gender)
        row = plan.awaiting.request
        lines = [
            self.tr("Request {number} — {person} ({file})").format(
                number=row.request_number, person=row.person_name, file=row.file_number
            )
        ]
        approved = plan.awaiting.approved_amount_halalas
        if approved is None:
            lines.append(self.tr("Approved without an amount: record the items handed over."))
        else:
            lines.append(
                self.tr(
                    "Approved: {approved} SAR — delivered so far: {delivered} SAR — "
                    "still to deliver: {remaining} SAR"
                ).format(
                    approved=format_money(approved),
                    delivered=format_money(plan.awaiting.delivered_halalas),
                    remaining=_money(plan.awaiting.remaining_halalas),
                )
            )
        self.summary.setText("\n".join(lines))
        self.history.clear()
        for delivery in plan.history:
            what = _money(delivery.amount_halalas) or (delivery.items or "")
            signed = (
                self.tr("receipt signed on the screen")
                if delivery.receipt_signed
                else self.tr("receipt signed on paper")
            )
            text = self.tr("{date}: {service} — {what} — {signed} — by {name}").format(
                date=dual(delivery.delivered_on),
                service=label(delivery.service_type),
                what=what,
                signed=signed,
                name=delivery.delivered_by,
            )
            self.history.addItem(text)
            self.history.item(self.history.count() - 1).setToolTip(text)
        self.history.setVisible(bool(plan.history))
        index = self.service_type.findData(plan.suggested_service)
        if index >= 0:
            self.service_type.setCurrentIndex(index)
        if plan.awaiting.remaining_halalas and not self.amount.text():
            self.amount.setText(format_money(plan.awaiting.remaining_halalas))
        if plan.can_deliver:
            self.save_button.setEnabled(True)
        else:
            self.set_message(
                self.tr(
                    "This request is “{status}”: a service is delivered only on an "
                    "approved request."
                ).format(status=label(row.status)),
                error=True,
            )
        self.service_type.setFocus()
        self.sig_loaded.emit()

    def _signed(self) -> None:
        if not self.pad.is_empty():
            self.show_error("signature", "")

    def _paper_toggled(self, on: bool) -> None:
        self.pad.setEnabled(not on)
        self.clear_pad.setEnabled(not on)
        if on:
            self.show_error("signature", "")

    def save(self) -> None:
        """Record the delivery on the worker (the person signs first)."""
        if self.result is not None:
            self.accept()
            return
        self.clear_errors()
        if not self.delivered_on.check():
            self.delivered_on.setFocus()
            return
        if not self.paper.isChecked() and self.pad.is_empty():
            self.show_error(
                "signature",
                for_gender(
                    self.plan.gender if self.plan is not None else None,
                    self.tr(
                        "The beneficiary signs the receipt in the box, or tick “Signed a paper "
                        "receipt instead”."
                    ),
                    self.tr(
                        "The beneficiary signs the receipt in the box, or tick “Signed a paper "
                        "receipt instead”.",
                        "feminine",
                    ),
                ),
            )
            self.clear_pad.setFocus()
            return
        values = {
            "request_id": self.request_id,
            "service_type": self.service_type.currentData(),
            "amount": self.amount.text(),
            "items": self.items.text(),
            "delivered_on": self.delivered_on.text(),
            "signature_png": None if self.paper.isChecked() else self.pad.to_png(),
            "attachments_dir": self.ctx.workspace.attachments_dir,
        }
        self.submit(
            lambda session, actor: deliver_service(session, actor, **values),
            {Change.DELIVERY, Change.REQUEST},
        )

    def saved(self, result: DeliveryResult) -> None:
        """Show where the request stands; the person may now rate the service."""
        self.result = result
        for widget in (
            self.service_type,
            self.amount,
            self.items,
            self.delivered_on,
            self.pad,
            self.clear_pad,
            self.paper,
        ):
            widget.setEnabled(False)
        if result.fulfilled:
            text = self.tr("Delivered. Request {number} is now fulfilled.").format(
                number=result.request_number
            )
        else:
            text = self.tr(
                "Delivered. Still to deliver on request {number}: {remaining} SAR."
            ).format(number=result.request_number, remaining=_money(result.remaining_halalas))
        self.set_message(text)
        self.message.setStyleSheet("color: #1b5e20;")
        self.save_button.setText(self.tr("Done"))
        self.cancel_button.hide()
        self.survey_button.setVisible(allowed(self.ctx.actor.roles, Permission.RECORD_SURVEY))
        self.survey_button.setFocus()
        self.sig_saved.emit(result)
        self.sig_delivered.emit(result)

    def open_survey(self) -> SurveyDialog:
        """The satisfaction survey about this delivery (the person may stay anonymous)."""
        assert self.result is not None and self.plan is not None
        row = self.plan.awaiting.request
        self.survey = SurveyDialog(
            self.ctx,
            self,
            channel=Channel.INTERVIEW,
            beneficiary_id=self.result.beneficiary_id,
            request_id=self.result.request_id,
            about=self.tr("The service delivered on request {number} to {person}").format(
                number=row.request_number, person=row.person_name
            ),
        )
        self.survey.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.survey.open()
        return self.survey


class DeliveriesPage(QWidget):
    """The approved requests waiting for their service, longest waiting first."""

    sig_dialog_opened = Signal(object)
    """A delivery form opened; the argument is the DeliveryDialog."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: DeliveryDialog | None = None
        self.model = AwaitingModel(ctx, self)
        self.view = make_table("awaiting_delivery_table")
        self.view.setModel(self.model)
        stretch_columns(self.view, AwaitingModel.PERSON)
        self.count = QLabel()
        self.count.setObjectName("awaiting_delivery_count")
        self.count.setWordWrap(True)
        self.deliver_button = QPushButton(self.tr("Record &delivery…"))
        self.deliver_button.setObjectName("record_delivery")
        self.deliver_button.clicked.connect(self.deliver_current)
        self.view.activated.connect(self._deliver_index)
        self.model.sig_loaded.connect(self._loaded)
        self.model.sig_failed.connect(self.count.setText)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.deliver_button)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Service delivery")))
        intro = QLabel(
            self.tr(
                "Approved requests waiting for their service. Choose one and record what "
                "was handed over; the beneficiary signs the receipt."
            )
        )
        intro.setObjectName("delivery_intro")
        intro.setWordWrap(True)  # on one line it made the window wider than a laptop at 150 %
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        ctx.sig_changed.connect(self._changed)

    def refresh(self) -> None:
        """Load the list again, keeping what is scrolled to."""
        if not self.ctx.signed_in:
            return
        self.count.setText(self.tr("Loading…"))
        self.model.load(
            lambda session, actor, limit, after: awaiting_delivery(
                session, actor, limit=limit, after=after
            ),
            keep_loaded=True,
        )

    def _loaded(self, count: int) -> None:
        if count == 0:
            self.count.setText(self.tr("No approved request is waiting for its service."))
        elif self.model.canFetchMore():
            self.count.setText(
                self.tr("Requests waiting: {count} shown (scroll down for more).").format(
                    count=count
                )
            )
        else:
            self.count.setText(self.tr("Requests waiting: {count}.").format(count=count))
        self.deliver_button.setEnabled(count > 0)
        if count and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))

    def _changed(self, kinds: set[Change]) -> None:
        if kinds & DELIVERY_CHANGES and self.isVisible():
            self.refresh()

    def _deliver_index(self, index: QModelIndex) -> None:
        request_id = index.data(RowRole.ID)
        if request_id:
            self.deliver(str(request_id))

    def deliver_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._deliver_index(index)

    def deliver(self, request_id: str) -> DeliveryDialog:
        """Open the delivery form for the request."""
        dialog = DeliveryDialog(self.ctx, request_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        self.sig_dialog_opened.emit(dialog)
        return dialog


def delivery_pages(ctx: AppContext) -> list[PageEntry]:
    """The Service delivery page, for the roles that deliver services (none for the others)."""
    if not allowed(ctx.actor.roles, Permission.DELIVER_SERVICE):
        return []
    name = QCoreApplication.translate("DeliveriesPage", "Service delivery")
    return [("delivery", name, DeliveriesPage)]
