"""The branch's contacts on the policy's eight channels, newest first, and logging a new one."""

from __future__ import annotations

from datetime import date, timedelta

from db.enums import Channel
from romah_desktop.changes import Change
from romah_desktop.dates import format_dual
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.queues import ContactRow, list_contacts
from romah_desktop.validation import format_mobile_local
from ui.contacts_dialog import ContactDialog
from ui.context import AppContext
from ui.pages.survey import SurveyDialog, open_survey
from ui.qt import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.tables import (
    PagedRowsModel,
    dual,
    make_table,
    page_title,
    stretch_columns,
)

# Changes after which the list is refreshed.
CONTACT_CHANGES = frozenset({Change.CONTACT, Change.BENEFICIARY})


class ContactsModel(PagedRowsModel[ContactRow]):
    """Contacts: when (and who handled it, in the tooltip), channel, with whom, subject, a
    letter's reference and Hijri date, and the follow-up."""

    WHEN, CHANNEL, PERSON, SUBJECT, LETTER, FOLLOW_UP = range(6)

    def headers(self) -> list[str]:
        return [
            self.tr("When"),
            self.tr("Channel"),
            self.tr("With"),
            self.tr("Subject"),
            self.tr("Letter"),
            self.tr("Follow up on"),
        ]

    def cell(self, row: ContactRow, column: int) -> str:
        if column == self.WHEN:
            # Both calendars, as every other date in the window.
            moment = row.occurred_at.astimezone()
            return f"{format_dual(moment.date())}  {moment:%H:%M}"
        if column == self.CHANNEL:
            return label(row.channel)
        if column == self.PERSON:
            if row.registered:
                return row.person_name
            return self.tr("{name} (inquiry)").format(name=row.person_name)
        if column == self.SUBJECT:
            return row.subject
        if column == self.LETTER:
            # A letter is known by its reference and its date, in both calendars.
            if row.letter_reference is None:
                return ""
            if row.letter_date is None:
                return row.letter_reference
            return f"{row.letter_reference} — {format_dual(row.letter_date)}"
        if column == self.FOLLOW_UP:
            return "" if row.follow_up_on is None else format_dual(row.follow_up_on)
        return ""

    def tooltip(self, row: ContactRow, column: int) -> str | None:
        if column == self.WHEN:
            moment = row.occurred_at.astimezone()
            return self.tr("{when}, handled by {name}").format(
                when=f"{dual(moment.date())}  {moment:%H:%M}", name=row.handled_by
            )
        if column == self.FOLLOW_UP and row.follow_up_on is not None:
            return dual(row.follow_up_on)
        if column == self.PERSON:
            if row.file_number:
                return row.file_number
            return format_mobile_local(row.inquirer_phone) if row.inquirer_phone else None
        if column == self.SUBJECT and row.notes:
            return row.notes
        if column == self.LETTER and row.letter_date is not None:
            return dual(row.letter_date)
        return None

    def late(self, row: ContactRow) -> bool:
        return row.follow_up_on is not None and row.follow_up_on < self.today


class SurveyOffer(QFrame):
    """After a contact is logged, a bar offering its satisfaction survey. It does not
    interrupt: the person may be gone, or may rather not answer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("survey_offer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setObjectName("survey_offer_text")
        self.text.setWordWrap(True)
        self.take_button = QPushButton(self.tr("Take the &survey…"))
        self.take_button.setObjectName("take_contact_survey")
        self.dismiss_button = QPushButton(self.tr("Not &now"))
        self.dismiss_button.setObjectName("dismiss_survey_offer")
        self.dismiss_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.take_button)
        layout.addWidget(self.dismiss_button)
        self.hide()


class ContactsPage(QWidget):
    """Every contact of the branch, newest first, filtered by channel and period."""

    sig_dialog_opened = Signal(object)
    """The "Log contact" dialog opened; the argument is the ContactDialog."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: ContactDialog | None = None
        self.survey: SurveyDialog | None = None
        # What the survey offered after the last contact logged is about (open_survey's words).
        self.survey_subject: dict[str, object] = {}
        self.offer = SurveyOffer(self)
        self.offer.take_button.clicked.connect(lambda: self.take_survey())
        self.channel = QComboBox()
        self.channel.setObjectName("contact_channel_filter")
        self.channel.addItem(self.tr("All channels"), None)
        for channel in Channel:
            self.channel.addItem(label(channel), channel)
        self.period = QComboBox()
        self.period.setObjectName("contact_period_filter")
        self.period.addItem(self.tr("Any time"), None)
        self.period.addItem(self.tr("Today"), 0)
        self.period.addItem(self.tr("The last 7 days"), 6)
        self.period.addItem(self.tr("The last 30 days"), 29)
        self.log_button = QPushButton(self.tr("Log contact"))
        self.log_button.setObjectName("log_contact")
        self.model = ContactsModel(ctx, self)
        self.view = make_table("contacts_table")
        self.view.setModel(self.model)
        stretch_columns(self.view, ContactsModel.SUBJECT)
        self.count = QLabel()
        self.count.setObjectName("contacts_count")
        self.channel.currentIndexChanged.connect(lambda _i: self.reload())
        self.period.currentIndexChanged.connect(lambda _i: self.reload())
        self.log_button.clicked.connect(lambda: self.log_contact())
        self.model.sig_loaded.connect(self._loaded)
        self.model.sig_failed.connect(self.count.setText)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Channel")))
        filters.addWidget(self.channel)
        filters.addWidget(QLabel(self.tr("Period")))
        filters.addWidget(self.period)
        filters.addStretch(1)
        filters.addWidget(self.log_button)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Contacts")))
        layout.addLayout(filters)
        layout.addWidget(self.offer)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        ctx.sig_changed.connect(self._changed)

    def refresh(self) -> None:
        """Load the list again, keeping what is scrolled to."""
        self._load(keep_loaded=True)

    def reload(self) -> None:
        """Load the list from the top (a filter changed)."""
        self._load(keep_loaded=False)

    def _load(self, keep_loaded: bool) -> None:
        if not self.ctx.signed_in:
            return
        may_log = allowed(self.ctx.actor.roles, Permission.LOG_CONTACT)
        self.log_button.setEnabled(may_log)
        self.log_button.setToolTip("" if may_log else self.tr("Your role does not log contacts."))
        channel = self.channel.currentData()
        days = self.period.currentData()
        since = None if days is None else date.today() - timedelta(days=int(days))
        self.count.setText(self.tr("Loading…"))
        self.model.load(
            lambda session, actor, limit, after: list_contacts(
                session, actor, channel=channel, since=since, limit=limit, after=after
            ),
            keep_loaded=keep_loaded,
        )

    def _loaded(self, count: int) -> None:
        if count == 0:
            self.count.setText(self.tr("No contacts match."))
        elif self.model.canFetchMore():
            self.count.setText(
                self.tr("Contacts shown: {count} (scroll down for more).").format(count=count)
            )
        else:
            self.count.setText(self.tr("Contacts: {count}.").format(count=count))

    def _changed(self, kinds: set[Change]) -> None:
        if kinds & CONTACT_CHANGES and self.isVisible():
            self.refresh()

    def log_contact(self, beneficiary_id: str | None = None) -> ContactDialog:
        """Open the dialog to log a contact (with `beneficiary_id`'s file, if given)."""
        dialog = ContactDialog(self.ctx, beneficiary_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.sig_saved.connect(lambda contact_id: self._offer_survey(dialog, contact_id))
        dialog.open()
        self.sig_dialog_opened.emit(dialog)
        return dialog

    def _offer_survey(self, dialog: ContactDialog, contact_id: str) -> None:
        """Offer the survey about the contact just logged (the dialog is still open)."""
        if not allowed(self.ctx.actor.roles, Permission.RECORD_SURVEY):
            return
        channel = dialog.channel.currentData()
        registered = dialog.fixed_person is not None or dialog.registered.isChecked()
        about = self.tr("The contact by {channel} about “{subject}”").format(
            channel=label(channel), subject=dialog.subject.text().strip()
        )
        self.survey_subject = {
            "channel": channel,
            "beneficiary_id": dialog.person_id if registered else None,
            "contact_id": contact_id,
            "about": about,
        }
        self.offer.text.setText(
            self.tr("Contact logged. Ask the person to rate it in a short satisfaction survey?")
        )
        self.offer.show()

    def take_survey(self) -> SurveyDialog | None:
        """Open the satisfaction survey about the contact last logged; the offer goes once the
        survey is saved (cancelled, it stays)."""
        if not self.survey_subject:
            return None
        survey = open_survey(self.ctx, self, **self.survey_subject)
        survey.sig_saved.connect(lambda _id: self.offer.hide())
        self.survey = survey
        return survey
