"""Signing in, and the first-run setup that creates the laptop's database."""

from __future__ import annotations

from pathlib import Path

from romah_desktop.services.context import Actor
from romah_desktop.workspace import Workspace
from ui.context import error_text
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.worker import Worker


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


class LoginDialog(QDialog):
    """User name and password; the check (argon2, lockout) runs on the worker."""

    sig_signed_in = Signal(object)
    """The password was right; the argument is the Actor."""

    def __init__(
        self,
        workspace: Workspace,
        worker: Worker,
        parent: QWidget | None = None,
        username: str = "",
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.worker = worker
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Romah Desktop — sign in"))
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label()
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
            lambda: self.workspace.login(username, password), self._signed_in, self._failed
        )

    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.buttons.setEnabled(True)
        self.sig_signed_in.emit(actor)
        self.accept()

    def _failed(self, error: BaseException) -> None:
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
        self.setWindowTitle(self.tr("Romah Desktop — first start"))
        intro = QLabel(
            self.tr(
                "This laptop has no Romah database yet. Name its branch and the first "
                "administrator to create one."
            )
        )
        intro.setWordWrap(True)
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
            ),
            self._created,
            self._failed,
        )

    def _created(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.sig_created.emit(workspace)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.show_error(error_text(error))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
