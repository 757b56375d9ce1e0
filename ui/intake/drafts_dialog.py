"""After signing in: the intakes left unfinished, offered to continue."""

from __future__ import annotations

from romah_desktop.dates import format_dual
from romah_desktop.drafts import Draft, discard_draft, list_drafts
from romah_desktop.errors import RomahError
from romah_desktop.protection import database_cipher
from ui.context import AppContext, error_text
from ui.intake.wizard import DRAFT_KIND, IntakeWizard, open_intake, step_title
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

ID_ROLE = Qt.ItemDataRole.UserRole


class DraftsDialog(QDialog):
    """The user's unfinished intakes, newest first: continue one, discard one, or later."""

    sig_opened = Signal(object)
    """An intake was reopened from its draft; the argument is its IntakeWizard."""

    def __init__(self, ctx: AppContext, drafts: list[Draft], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("intake_drafts")
        self.setWindowTitle(self.tr("Intakes in progress"))
        self.resize(640, 360)
        intro = QLabel(
            self.tr(
                "These intakes were not finished. Continue one where it stopped, or keep them "
                "for later."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("draft_list")
        for draft in drafts:
            when = draft.updated_at.astimezone()
            item = QListWidgetItem(
                self.tr("{title} — at: {step} — saved {date} {time}").format(
                    title=draft.title,
                    step=step_title(draft),
                    date=format_dual(when.date()),
                    time=when.strftime("%H:%M"),
                )
            )
            item.setData(ID_ROLE, draft.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.continue_selected())
        self.message = QLabel()
        self.message.setObjectName("drafts_message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.continue_button = QPushButton(self.tr("&Continue"))
        self.continue_button.setObjectName("continue_draft")
        self.continue_button.setDefault(True)
        self.discard_button = QPushButton(self.tr("&Discard…"))
        self.discard_button.setObjectName("discard_draft")
        self.later_button = QPushButton(self.tr("&Later"))
        self.later_button.setObjectName("later")
        self.buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        # The buttons act themselves: accepting would close the list after one intake.
        self.continue_button.clicked.connect(self.continue_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.later_button.clicked.connect(self.reject)
        self.confirm: QMessageBox | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.list.setFocus()

    def _selected(self) -> QListWidgetItem | None:
        return self.list.currentItem()

    def continue_selected(self) -> IntakeWizard | None:
        """Open the chosen draft's intake where it stopped."""
        item = self._selected()
        if item is None:
            return None
        try:
            wizard = open_intake(self.ctx, self.parentWidget(), str(item.data(ID_ROLE)))
        except RomahError as error:
            self.message.setText(error_text(error))
            return None
        self._remove(item)
        self.sig_opened.emit(wizard)
        return wizard

    def discard_selected(self) -> None:
        """Ask, then delete the chosen draft (what was recorded stays recorded)."""
        item = self._selected()
        if item is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Discard the draft"),
            self.tr(
                "Discard this intake's draft? What was typed and not yet recorded is lost; the "
                "steps already recorded stay recorded."
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        draft_id = str(item.data(ID_ROLE))
        box.finished.connect(lambda _result: self._discard_answered(box, draft_id, item))
        self.confirm = box
        box.open()

    def _discard_answered(self, box: QMessageBox, draft_id: str, item: QListWidgetItem) -> None:
        if box.clickedButton() is not box.button(QMessageBox.StandardButton.Discard):
            return
        discard_draft(self.ctx.workspace.data_dir, draft_id)
        self._remove(item)

    def _remove(self, item: QListWidgetItem) -> None:
        self.list.takeItem(self.list.row(item))
        if self.list.count() == 0:
            self.accept()


def resume_drafts(ctx: AppContext, parent: QWidget | None = None) -> DraftsDialog | None:
    """After sign-in: offer the signed-in user's unfinished intakes (None when there are none).
    The dialog is shown, not waited for."""
    try:
        drafts = list_drafts(
            ctx.workspace.data_dir,
            ctx.actor.username,
            DRAFT_KIND,
            cipher=database_cipher(ctx.workspace.db),
        )
    except OSError:
        return None
    if not drafts:
        return None
    dialog = DraftsDialog(ctx, drafts, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
