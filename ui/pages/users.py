"""The branch's users, for whoever manages them: who they are, their role and whether they may
sign in (active, disabled, or locked after wrong passwords), and the administrator's actions on
them: add a user, change a role, reset a forgotten password, unlock, disable or enable.

Every action is the core's (romah_desktop/services/users.py), which checks the rights, the
password rules and the roles the administrator may give, and audits it; the same rule holds at
HQ when the change arrives there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from db.enums import Role
from romah_desktop.changes import Change
from romah_desktop.errors import Conflict
from romah_desktop.keyring import Keyring
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed, may_grant, may_grant_all, roles_label
from romah_desktop.services.context import Actor
from romah_desktop.services.users import (
    UserRow,
    add_user,
    change_role,
    list_users,
    reset_password,
    set_active,
    unlock_user,
)
from ui.context import AppContext, error_text
from ui.pages import PageEntry
from ui.qt import (
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.form_dialog import FormDialog
from ui.widgets.form_rows import beside
from ui.widgets.tables import RowRole, RowsModel, make_table, page_title, stretch_columns

USER_CHANGES = frozenset({Change.USER})


class UsersModel(RowsModel[UserRow]):
    """Users: full name, user name, role, and whether they may sign in."""

    NAME, USERNAME, ROLE, STATUS = range(4)

    def headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("User name"), self.tr("Role"), self.tr("Status")]

    def cell(self, row: UserRow, column: int) -> str:
        if column == self.NAME:
            return row.full_name
        if column == self.USERNAME:
            return row.username
        if column == self.ROLE:
            return roles_label(row.roles)
        if column == self.STATUS:
            if not row.active:
                return self.tr("Disabled")
            if row.locked:
                return self.tr("Locked (wrong passwords)")
            return self.tr("Active")
        return ""

    def late(self, row: UserRow) -> bool:
        return not row.active or row.locked


def grantable_roles(actor: Actor) -> list[Role]:
    """The roles the actor may give, in the matrix's order."""
    return [role for role in Role if may_grant(actor.roles, role)]


def role_box(actor: Actor, current: Role | None = None) -> QComboBox:
    box = QComboBox()
    box.setObjectName("role")
    for role in grantable_roles(actor):
        box.addItem(label(role), role)
    if current is not None and box.findData(current) >= 0:
        box.setCurrentIndex(box.findData(current))
    return box


class ExtraRolesBox(QWidget):
    """The further roles a user holds in a small branch (the receptionist who is also the
    researcher): a box for each role the administrator may give. The main role's box is ticked
    and fixed, since the user holds it anyway; their rights are those of every ticked role."""

    def __init__(
        self, actor: Actor, main: QComboBox, chosen: frozenset[Role] = frozenset()
    ) -> None:
        super().__init__()
        self.setObjectName("extra_roles")
        self.main = main
        self.boxes: dict[Role, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for number, role in enumerate(grantable_roles(actor)):
            box = QCheckBox(label(role))
            box.setObjectName(f"extra_role_{role.value}")
            box.setChecked(role in chosen)
            self.boxes[role] = box
            grid.addWidget(box, number // 2, number % 2)
        self._main = self._current_main()
        main.currentIndexChanged.connect(lambda _index: self._follow_main())
        self._follow_main()

    def _current_main(self) -> Role | None:
        data = self.main.currentData()
        return Role(data) if data is not None else None

    def _follow_main(self) -> None:
        before, self._main = self._main, self._current_main()
        for role, box in self.boxes.items():
            if role is before and before is not self._main:
                box.setChecked(False)
            box.setEnabled(role is not self._main)
            if role is self._main:
                box.setChecked(True)

    def extra_roles(self) -> frozenset[Role]:
        """The ticked roles other than the main one."""
        main = self._current_main()
        return frozenset(r for r, box in self.boxes.items() if box.isChecked() and r is not main)


def password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class AddUserDialog(FormDialog):
    """Add a user to the branch: user name, full name, role and a first password."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("add_user_dialog")
        self.setWindowTitle(self.tr("Add a user"))
        self.resize(640, 360)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("e.g. reem.harbi"))
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.role = role_box(ctx.actor, Role.INTERVIEWER)
        self.extra_roles = ExtraRolesBox(ctx.actor, self.role)
        username_row = self.add_field("username", self.tr("User name"), self.username)
        full_name_row = self.add_field("full_name", self.tr("Full name"), self.full_name)
        self.add_field("role", self.tr("Main role"), self.role)
        self.add_field("extra_roles", self.tr("Roles held"), self.extra_roles)
        self.password = password_edit("password")
        self.confirm = password_edit("confirm")
        password_row = self.add_field("password", self.tr("First password"), self.password)
        confirm_row = self.add_field("confirm", self.tr("Password again"), self.confirm)
        # Two to a line, so that the form fits a laptop at 150 %.
        beside(self.form, username_row, full_name_row)
        beside(self.form, password_row, confirm_row)
        self.finish_layout()
        self.username.setFocus()

    def save(self) -> None:
        self.clear_errors()
        if self.password.text() != self.confirm.text():
            self.show_error("confirm", self.tr("The two passwords differ."))
            self.confirm.setFocus()
            return
        values = {
            "username": self.username.text(),
            "full_name": self.full_name.text(),
            "role": Role(self.role.currentData()),
            "extra_roles": self.extra_roles.extra_roles(),
            "password": self.password.text(),
        }
        self.submit(
            lambda session, actor: add_user(session, actor, **values).username, {Change.USER}
        )

    def failed(self, error: BaseException) -> None:
        # A taken user name is the user name's problem: say so beside it.
        if isinstance(error, Conflict):
            self.save_button.setEnabled(True)
            self.set_message("")
            self.show_error("username", error.text())
            self.username.setFocus()
            self.sig_failed.emit(error.text())
            return
        super().failed(error)


class RoleDialog(FormDialog):
    """Give a user another main role, and the further roles they hold."""

    def __init__(self, ctx: AppContext, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.user = user
        self.setObjectName("role_dialog")
        self.setWindowTitle(self.tr("Change the roles of {name}").format(name=user.full_name))
        self.role = role_box(ctx.actor, user.role)
        self.extra_roles = ExtraRolesBox(ctx.actor, self.role, user.extra_roles)
        self.add_field("role", self.tr("Main role"), self.role)
        self.add_field("extra_roles", self.tr("Roles held"), self.extra_roles)
        self.finish_layout()
        self.role.setFocus()

    def save(self) -> None:
        self.clear_errors()
        username, role = self.user.username, Role(self.role.currentData())
        extras = self.extra_roles.extra_roles()
        self.submit(
            lambda session, actor: change_role(session, actor, username, role, extras).username,
            {Change.USER},
        )


class PasswordDialog(FormDialog):
    """Give a user a new password (they forgot theirs); they sign in with it."""

    def __init__(self, ctx: AppContext, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.user = user
        self.setObjectName("password_dialog")
        self.setWindowTitle(self.tr("New password for {name}").format(name=user.full_name))
        self.password = password_edit("password")
        self.confirm = password_edit("confirm")
        self.add_field("password", self.tr("New password"), self.password)
        self.add_field("confirm", self.tr("Password again"), self.confirm)
        self.finish_layout()
        note = QLabel(
            self.tr(
                "Tell the user the new password in person; they sign in with it on this laptop "
                "now, and on the branch's other laptops after their next sync."
            )
        )
        note.setWordWrap(True)
        self.body.insertWidget(0, note)
        self.password.setFocus()

    def save(self) -> None:
        self.clear_errors()
        if self.password.text() != self.confirm.text():
            self.show_error("confirm", self.tr("The two passwords differ."))
            self.confirm.setFocus()
            return
        username, password = self.user.username, self.password.text()
        self.submit(
            lambda session, actor: reset_password(session, actor, username, password).username,
            {Change.USER},
        )


class UsersPage(QWidget):
    """The users of the branch and what an administrator does for them."""

    sig_loaded = Signal(int)
    """The list is on screen; the argument is how many users it has."""

    sig_dialog_opened = Signal(object)
    """A form opened (adding a user, a role, a password); the argument is the dialog."""

    sig_done = Signal(str)
    """An action finished; the argument is the message shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: FormDialog | None = None
        self.model = UsersModel(self)
        self.view = make_table("users_table")
        self.view.setModel(self.model)
        stretch_columns(self.view, UsersModel.NAME)
        self.add_button = self._button("add_user", self.tr("&Add a user…"), self.add_user)
        self.role_button = self._button(
            "change_role", self.tr("Change the &role…"), self.change_role
        )
        self.password_button = self._button(
            "reset_password", self.tr("Reset the &password…"), self.reset_password
        )
        self.unlock_button = self._button("unlock", self.tr("&Unlock"), self.unlock)
        self.active_button = self._button("toggle_active", self.tr("&Disable"), self.toggle_active)
        self.message = QLabel()
        self.message.setObjectName("users_message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.role_button,
            self.password_button,
            self.unlock_button,
            self.active_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Users")))
        note = QLabel(
            self.tr(
                "The branch's staff who sign in on its laptops. A disabled user can no longer "
                "sign in; nothing they did is deleted."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.view.selectionModel().currentRowChanged.connect(self._update_buttons)
        ctx.sig_changed.connect(self._changed)
        self._update_buttons()

    def _button(self, name: str, text: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- the list ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self.ctx.signed_in:
            return
        data_dir = self.ctx.workspace.data_dir
        self.ctx.run(
            lambda session, actor: list_users(session, actor, Keyring.load(data_dir)),
            self._show,
            lambda error: self.message.setText(error_text(error)),
            owner=self,
        )

    def _show(self, rows: list[UserRow]) -> None:
        current = self.current()
        self.model.set_rows(rows)
        row = self.model.row_of(current.id) if current is not None else 0
        if rows:
            self.view.setCurrentIndex(self.model.index(max(row, 0), 0))
        self._update_buttons()
        self.sig_loaded.emit(len(rows))

    def current(self) -> UserRow | None:
        row = self.view.currentIndex().data(RowRole.RECORD)
        return row if isinstance(row, UserRow) else None

    def select(self, username: str) -> None:
        for number, row in enumerate(self.model.rows):
            if row.username == username:
                self.view.setCurrentIndex(self.model.index(number, 0))
                return

    def _update_buttons(self, *_args: QModelIndex) -> None:
        user = self.current()
        actor = self.ctx.actor if self.ctx.signed_in else None
        manageable = (
            user is not None
            and actor is not None
            and user.id != actor.user_id
            and may_grant_all(actor.roles, user.roles)
        )
        self.role_button.setEnabled(manageable)
        self.active_button.setEnabled(manageable)
        self.password_button.setEnabled(
            user is not None and actor is not None and may_grant_all(actor.roles, user.roles)
        )
        self.unlock_button.setEnabled(bool(user is not None and user.locked))
        active = user is None or user.active
        self.active_button.setText(self.tr("&Disable") if active else self.tr("&Enable"))

    # --- the actions ------------------------------------------------------------------------------

    def _open(self, dialog: FormDialog, done: Callable[[Any], None]) -> FormDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(done)
        self.dialog = dialog
        dialog.open()
        self.sig_dialog_opened.emit(dialog)
        return dialog

    def add_user(self) -> FormDialog:
        return self._open(
            AddUserDialog(self.ctx, self),
            lambda name: self._say(self.tr("Added the user {name}.").format(name=name)),
        )

    def change_role(self) -> FormDialog | None:
        user = self.current()
        if user is None:
            return None
        return self._open(
            RoleDialog(self.ctx, user, self),
            lambda name: self._say(self.tr("The role of {name} is changed.").format(name=name)),
        )

    def reset_password(self) -> FormDialog | None:
        user = self.current()
        if user is None:
            return None
        return self._open(
            PasswordDialog(self.ctx, user, self),
            lambda name: self._say(self.tr("The password of {name} is set.").format(name=name)),
        )

    def unlock(self) -> None:
        user = self.current()
        if user is None:
            return
        keyring = self.ctx.workspace.keyring
        username = user.username
        self._act(
            lambda session, actor: unlock_user(session, actor, keyring, username),
            self.tr("{name} may sign in again.").format(name=username),
        )

    def toggle_active(self) -> None:
        user = self.current()
        if user is None:
            return
        username, active = user.username, not user.active
        done = (
            self.tr("{name} may sign in again.")
            if active
            else self.tr("{name} can no longer sign in.")
        )
        self._act(
            lambda session, actor: set_active(session, actor, username, active),
            done.format(name=username),
        )

    def _act(self, use_case: Callable[[Session, Actor], Any], done: str) -> None:
        self.message.setText(self.tr("Saving…"))
        self.ctx.run(
            use_case,
            lambda _result: self._say(done),
            self._refused,
            changes={Change.USER},
            owner=self,
        )

    def _refused(self, error: BaseException) -> None:
        text = error_text(error)
        self.message.setText(text)
        self.sig_done.emit(text)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.sig_done.emit(text)

    def _changed(self, kinds: set[Change]) -> None:
        if kinds & USER_CHANGES and self.isVisible():
            self.refresh()


def users_pages(ctx: AppContext) -> list[PageEntry]:
    """The users page, for the roles that manage users."""
    if not allowed(ctx.actor.roles, Permission.MANAGE_USERS):
        return []
    return [("users", QCoreApplication.translate("UsersPage", "Users"), UsersPage)]
