"""Signing in (which opens the encrypted database), the first-run setup that creates it, and
the recovery key shown once.

The sign-in window is the first thing on screen: this module imports Qt and nothing of the
database, so the database, the services and PDF printing load only when a password or the
first run's form is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.worker import Worker

if TYPE_CHECKING:
    from romah_desktop.services.context import Actor
    from romah_desktop.workspace import Workspace

SignIn = Callable[[str, str, Callable[[float], None]], "Actor"]


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


class LoginDialog(QDialog):
    """User name and password; `sign_in` (argon2, the key ring, the lockout) runs on the
    worker and may report how far a one-time encryption of the database has come."""

    sig_signed_in = Signal(object)
    """The password was right; the argument is the Actor."""
    sig_progress = Signal(float)

    def __init__(
        self,
        sign_in: SignIn,
        worker: Worker,
        parent: QWidget | None = None,
        username: str = "",
    ) -> None:
        super().__init__(parent)
        self.sign_in = sign_in
        self.worker = worker
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Romah Desktop — sign in"))
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFormat(self.tr("Encrypting the database (once): %p%"))
        self.progress.hide()
        self.sig_progress.connect(self._show_progress)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.try_sign_in)
        title = QLabel(self.tr("Romah Society for Non-profit Development"))
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def try_sign_in(self) -> None:
        username, password = self.username.text(), self.password.text()
        if not username.strip() or not password:
            self.show_error(self.tr("Type your user name and password."))
            return
        self.buttons.setEnabled(False)
        self.worker.submit(
            lambda: self.sign_in(username, password, self.sig_progress.emit),
            self._signed_in,
            self._failed,
        )

    def _show_progress(self, fraction: float) -> None:
        self.progress.show()
        self.progress.setValue(int(fraction * 100))

    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.password.clear()
        self.buttons.setEnabled(True)
        self.sig_signed_in.emit(actor)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        from ui.context import error_text

        self.buttons.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.show_error(error_text(error))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class FirstRunDialog(QDialog):
    """Creates the laptop's database: its branch and the first administrator."""

    sig_created = Signal(object)
    """The database exists; the argument is the open Workspace."""

    def __init__(self, data_dir: Path, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.worker = worker
        self.workspace: Workspace | None = None
        self.recovery: RecoveryKeyDialog | None = None
        self.setWindowTitle(self.tr("Romah Desktop — first start"))
        intro = QLabel(
            self.tr(
                "This laptop has no Romah database yet. Name its branch and the first "
                "administrator to create one. The data will be encrypted: only a user's "
                "password or the recovery key you will be shown next can open it. If every "
                "password and the recovery key are lost, the data is lost."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("intro")
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, title, secret in (
            ("branch", self.tr("Branch code (e.g. RYD)"), False),
            ("branch_name", self.tr("Branch name"), False),
            ("username", self.tr("Administrator's user name"), False),
            ("full_name", self.tr("Administrator's full name"), False),
            ("password", self.tr("Password"), True),
            ("confirm", self.tr("Password again"), True),
        ):
            edit = QLineEdit()
            edit.setObjectName(key)
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.fields[key] = edit
            form.addRow(title, edit)
        self.error = _error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        self.buttons.accepted.connect(self.try_create)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def value(self, key: str) -> str:
        return self.fields[key].text()

    def try_create(self) -> None:
        if self.value("password") != self.value("confirm"):
            self.show_error(self.tr("The two passwords differ."))
            return
        from db.enums import Role
        from romah_desktop.workspace import Workspace

        values = {k: self.value(k) for k in ("branch", "branch_name", "username", "full_name")}
        password = self.value("password")
        self.buttons.setEnabled(False)
        self.worker.submit(
            lambda: Workspace.create(
                self.data_dir,
                values["branch"],
                values["branch_name"],
                values["username"],
                password,
                values["full_name"] or None,
                # A branch set up here is run from here: its first user is its manager, who
                # also receives people and adds the branch's other users.
                admin_role=Role.BRANCH_MANAGER,
            ),
            self._created,
            self._failed,
        )

    def _created(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.hide()
        # The recovery key first: the sign-in comes once the person says they kept it.
        self.recovery = RecoveryKeyDialog(workspace)
        # A bound method, not a lambda holding this dialog: a cycle would leave the dialog to
        # Python's garbage collector, which may run on the worker thread (see ui.app).
        self.recovery.accepted.connect(self._finish)
        self.recovery.show()

    def _finish(self) -> None:
        self.sig_created.emit(self.workspace)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        from ui.context import error_text

        self.buttons.setEnabled(True)
        self.show_error(error_text(error))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once, with a way to save it as a printable sheet; it closes only
    after the person says they have kept it."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert workspace.recovery_key is not None
        self.workspace = workspace
        self.setWindowTitle(self.tr("Romah Desktop — recovery key"))
        self.setObjectName("recovery_key_dialog")
        intro = QLabel(
            self.tr(
                "This is the recovery key of this laptop's data. If every password is "
                "forgotten, it is the only way in. Write it down or save the recovery sheet "
                "and print it, and keep it away from the laptop. It is shown only now. If "
                "every password and this key are lost, the data is lost: nobody, not even HQ, "
                "can open it."
            )
        )
        intro.setWordWrap(True)
        self.key = QLabel(workspace.recovery_key)
        self.key.setObjectName("recovery_key")
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key.setStyleSheet("font-family: monospace; font-size: 15pt; font-weight: 600;")
        self.save_button = QPushButton(self.tr("Save the recovery sheet (PDF)…"))
        self.save_button.clicked.connect(self.save_sheet)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        self.kept = QCheckBox(self.tr("I have written down or printed the recovery key"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Continue"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.kept.toggled.connect(
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled
        )
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key)
        layout.addWidget(self.save_button)
        layout.addWidget(self.saved)
        layout.addWidget(self.kept)
        layout.addWidget(self.buttons)

    def save_sheet(self, path: Path | None = None) -> None:
        from romah_desktop.recovery_sheet import write_recovery_sheet
        from romah_desktop.services.context import this_device

        if not path:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save the recovery sheet"), "romah-recovery-sheet.pdf", "PDF (*.pdf)"
            )
            if not chosen:
                return
            path = Path(chosen)
        assert self.workspace.recovery_key is not None
        with self.workspace.db.session() as session:
            device = this_device(session)
        write_recovery_sheet(
            path, self.workspace.recovery_key, device.branch_code, device.prefix, datetime.now()
        )
        self.saved.setText(
            self.tr("Saved to {path}. Print it, then delete the file.").format(path=str(path))
        )

    def accept(self) -> None:
        # Shown once: the key leaves memory with this dialog.
        self.workspace.recovery_key = None
        super().accept()

    def reject(self) -> None:
        if self.kept.isChecked():
            self.accept()
