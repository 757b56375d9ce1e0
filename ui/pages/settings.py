"""Settings: the language (applies to every window opened after), and the branch's rules."""

from __future__ import annotations

from sqlalchemy.orm import Session

from romah_desktop import settings
from romah_desktop.changes import Change
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.context import Actor
from ui.context import AppContext, error_text
from ui.qt import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)

_NUMBERS = ("committee_answer_days", "lock_screen_minutes", "lockout_attempts", "lockout_minutes")


class SettingsPage(QWidget):
    sig_language_chosen = Signal(str)
    """The user picked a language; the application switches to it."""

    sig_saved = Signal()
    """The settings were stored."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem("العربية", "ar")
        self.language.addItem("English", "en")
        self.numbers: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        titles = {
            "committee_answer_days": self.tr("Days for the committee's answer"),
            "lock_screen_minutes": self.tr("Lock the screen after idle minutes"),
            "lockout_attempts": self.tr("Wrong passwords before an account locks"),
            "lockout_minutes": self.tr("Minutes an account stays locked"),
        }
        for name in _NUMBERS:
            spin = QSpinBox()
            spin.setObjectName(name)
            declared = settings.SETTINGS[name]
            spin.setRange(declared.minimum, declared.maximum)
            self.numbers[name] = spin
            form.addRow(titles[name], spin)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save = QPushButton(self.tr("Save settings"))
        self.save.setObjectName("save_settings")
        self.save.clicked.connect(self.store)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.save)
        layout.addStretch(1)

    def refresh(self) -> None:
        self.ctx.run(lambda session, _actor: settings.read_all(session), self._show, owner=self)

    def _show(self, values: dict[str, int | str]) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(values["language"])))
        may_change = allowed(self.ctx.actor.role, Permission.CHANGE_SETTINGS)
        for name, spin in self.numbers.items():
            spin.setValue(int(values[name]))
            branch_wide = settings.SETTINGS[name].scope is settings.Scope.BRANCH
            spin.setEnabled(may_change or not branch_wide)

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
        self.sig_language_chosen.emit(lang)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_text(error))
