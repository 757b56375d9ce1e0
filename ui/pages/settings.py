"""Settings: the language (applies to every window opened after), the branch's rules, and the
branch's own details (name, phone, address, working days), which HQ sets once the laptop is
enrolled."""

from __future__ import annotations

from sqlalchemy.orm import Session

from romah_desktop import settings
from romah_desktop.changes import Change
from romah_desktop.errors import FormErrors, ValidationError
from romah_desktop.i18n import N_, current_language, translate
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.branch import BranchDetails, branch_details, update_branch_details
from romah_desktop.services.context import Actor
from romah_desktop.weekdays import DAY_NAMES, WEEKDAYS
from ui.context import AppContext, error_text
from ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import ErrorLabel
from ui.widgets.numbers import NumberBox
from ui.widgets.scrolling import fill_with_scrolled

# Each language by its own name, so a reader of either can find theirs.
_LANGUAGE_NAMES = {"ar": "العربية", "en": "English"}


class BranchDetailsBox(QGroupBox):
    """The branch's name, phone, address and working days, which the manager sets (the core
    says who may, and refuses what HQ sets). A refused value is explained beside its field and
    what was typed stays."""

    sig_saved = Signal()
    """The branch's details were stored."""

    sig_failed = Signal(str)
    """The core refused them; the argument is the first message shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("branch_details")
        self.setTitle(self.tr("Branch"))
        self.name = self._line("branch_name", 120)
        self.phone = self._line("branch_phone", 20)
        self.phone.setPlaceholderText("0112345678")
        self.address = self._line("branch_address", 300)
        self.errors: dict[str, ErrorLabel] = {}
        self.days: dict[str, QCheckBox] = {}
        days_row = QWidget()
        days_layout = QHBoxLayout(days_row)
        days_layout.setContentsMargins(0, 0, 0, 0)
        for day in WEEKDAYS:
            box = QCheckBox(translate(DAY_NAMES[day]))
            box.setObjectName(f"day_{day}")
            box.toggled.connect(lambda _on: self.errors["working_days"].setText(""))
            self.days[day] = box
            days_layout.addWidget(box)
        days_layout.addStretch(1)
        form = QFormLayout()
        # Where the keyboard goes to correct each field.
        self.inputs: dict[str, QWidget] = {
            "name": self.name,
            "phone": self.phone,
            "address": self.address,
            "working_days": self.days[WEEKDAYS[0]],
        }
        for field, title, widget in (
            ("name", self.tr("Branch name"), self.name),
            ("phone", self.tr("Branch phone"), self.phone),
            ("address", self.tr("Branch address"), self.address),
            ("working_days", self.tr("Working days"), days_row),
        ):
            form.addRow(title, self._with_error(field, widget))
        self.from_hq = QLabel(
            self.tr(
                "HQ sets the branch's details; they arrive with each sync and cannot be "
                "changed on this laptop."
            )
        )
        self.from_hq.setObjectName("branch_from_hq")
        self.from_hq.setWordWrap(True)
        self.from_hq.hide()
        self.message = QLabel()
        self.message.setObjectName("branch_message")
        self.message.setWordWrap(True)
        self.save = QPushButton(self.tr("Save the branch details"))
        self.save.setObjectName("save_branch")
        self.save.clicked.connect(self.store)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.from_hq)
        layout.addWidget(self.message)
        layout.addWidget(self.save)

    @staticmethod
    def _line(name: str, length: int) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setMaxLength(length)
        return edit

    def _with_error(self, field: str, widget: QWidget) -> QWidget:
        """`widget` with its problem's line under it (kept while empty, so nothing moves)."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        error = ErrorLabel(f"branch_{field}")
        self.errors[field] = error
        layout.addWidget(error)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _text: error.setText(""))
        return box

    def refresh(self) -> None:
        self.ctx.run(lambda session, _actor: branch_details(session), self._show, owner=self)

    def _show(self, details: BranchDetails) -> None:
        self.name.setText(details.name)
        self.phone.setText(details.phone or "")
        self.address.setText(details.address or "")
        for day, box in self.days.items():
            box.setChecked(day in details.working_days)
        for error in self.errors.values():
            error.setText("")
        may_change = allowed(self.ctx.actor.roles, Permission.CHANGE_SETTINGS)
        for edit in (self.name, self.phone, self.address):
            edit.setReadOnly(not may_change or details.from_hq)
        for box in self.days.values():
            box.setEnabled(may_change and not details.working_days_from_hq)
        self.from_hq.setVisible(details.from_hq)
        self.save.setVisible(may_change and not (details.from_hq and details.working_days_from_hq))

    def store(self) -> None:
        name, phone, address = self.name.text(), self.phone.text(), self.address.text()
        days = [day for day, box in self.days.items() if box.isChecked()]
        self.message.setText("")
        self.ctx.run(
            lambda session, actor: update_branch_details(
                session, actor, name, phone, address, days
            ),
            self._saved,
            self._failed,
            changes={Change.SETTINGS},
            owner=self,
        )

    def _saved(self, details: BranchDetails) -> None:
        self._show(details)
        self.message.setText(self.tr("The branch details are saved."))
        self.sig_saved.emit()

    def _failed(self, error: BaseException) -> None:
        # Each problem beside its field; the fields keep what was typed.
        problems = error.errors if isinstance(error, FormErrors) else []
        if isinstance(error, ValidationError):
            problems = [error]
        shown = [p for p in problems if p.field in self.errors]
        for problem in shown:
            self.errors[problem.field].setText(problem.text())
        if shown:
            self.inputs[shown[0].field].setFocus()
        text = self.tr("Some fields need correcting.") if shown else error_text(error)
        self.message.setText(text)
        self.sig_failed.emit(shown[0].text() if shown else text)


class SettingsPage(QWidget):
    sig_language_chosen = Signal(str)
    """The user saved a language other than the one the windows use; the application
    switches to it (rebuilding its window). Not emitted when the language stays the same."""

    sig_saved = Signal()
    """The settings were stored."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        form = QFormLayout()
        # Titles, descriptions and limits come from the settings' declarations.
        language = settings.SETTINGS["language"]
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in language.choices:
            self.language.addItem(_LANGUAGE_NAMES.get(code, code), code)
        self._add_row(form, language.title, language.description, self.language)
        self.numbers: dict[str, QSpinBox] = {}
        for declared in settings.SETTINGS.values():
            if declared.type is not int:
                continue
            spin = NumberBox()
            spin.setObjectName(declared.key)
            spin.setRange(declared.minimum, declared.maximum)
            self.numbers[declared.key] = spin
            self._add_row(form, declared.title, declared.description, spin)
        self.from_hq = QLabel()
        self.from_hq.setObjectName("settings_from_hq")
        self.from_hq.setWordWrap(True)
        self.from_hq.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save = QPushButton(self.tr("Save settings"))
        self.save.setObjectName("save_settings")
        self.save.clicked.connect(self.store)
        self.branch = BranchDetailsBox(ctx)
        # On a 1366×768 screen the branch's details come below the fold: the page scrolls.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addLayout(form)
        layout.addWidget(self.from_hq)
        layout.addWidget(self.message)
        layout.addWidget(self.save)
        layout.addWidget(self.branch)
        layout.addStretch(1)
        fill_with_scrolled(self, content, "settings_scroll")

    @staticmethod
    def _add_row(form: QFormLayout, title: str, description: str, field: QWidget) -> None:
        """A row titled in the current language, its description shown on hovering."""
        field.setToolTip(translate(description))
        label = QLabel(translate(title))
        label.setToolTip(field.toolTip())
        label.setBuddy(field)
        form.addRow(label, field)

    def refresh(self) -> None:
        self.ctx.run(
            lambda session, _actor: (settings.read_all(session), settings.set_by_hq(session)),
            self._show,
            owner=self,
        )
        self.branch.refresh()

    def _show(self, found: tuple[dict[str, int | str], frozenset[str]]) -> None:
        values, from_hq = found
        self.language.setCurrentIndex(max(0, self.language.findData(values["language"])))
        may_change = allowed(self.ctx.actor.roles, Permission.CHANGE_SETTINGS)
        for name, spin in self.numbers.items():
            spin.setValue(int(values[name]))
            branch_wide = settings.SETTINGS[name].scope is settings.Scope.BRANCH
            # A setting HQ sets for the whole branch is shown, never changed, here.
            spin.setEnabled((may_change or not branch_wide) and name not in from_hq)
        titles = [translate(settings.SETTINGS[n].title) for n in self.numbers if n in from_hq]
        self.from_hq.setText(
            translate(
                N_("Set by HQ for the whole branch (cannot be changed here): {names}."),
                names=" · ".join(titles),
            )
        )
        self.from_hq.setVisible(bool(titles))

    def store(self) -> None:
        chosen = {name: spin.value() for name, spin in self.numbers.items() if spin.isEnabled()}
        lang = str(self.language.currentData())

        def save(session: Session, actor: Actor) -> None:
            for name, value in chosen.items():
                settings.change(session, actor, name, value)
            settings.change(session, actor, "language", lang)

        self.ctx.run(
            save,
            lambda _none: self._saved(lang),
            self._failed,
            changes={Change.SETTINGS},
            owner=self,
        )

    def _saved(self, lang: str) -> None:
        self.message.setText(self.tr("Saved."))
        self.sig_saved.emit()
        # Only a new language rebuilds the window: saving the other settings leaves it be.
        if lang != current_language():
            self.sig_language_chosen.emit(lang)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_text(error))
