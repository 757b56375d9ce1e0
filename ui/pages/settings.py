"""Settings: the language (applies to every window opened after), and the branch's rules."""

from __future__ import annotations

from sqlalchemy.orm import Session

from romah_desktop import settings
from romah_desktop.changes import Change
from romah_desktop.i18n import N_, current_language, translate
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
from ui.widgets.numbers import NumberBox

# Each language by its own name, so a reader of either can find theirs.
_LANGUAGE_NAMES = {"ar": "العربية", "en": "English"}


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
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.from_hq)
        layout.addWidget(self.message)
        layout.addWidget(self.save)
        layout.addStretch(1)

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

    def _show(self, found: tuple[dict[str, int | str], frozenset[str]]) -> None:
        values, from_hq = found
        self.language.setCurrentIndex(max(0, self.language.findData(values["language"])))
        may_change = allowed(self.ctx.actor.role, Permission.CHANGE_SETTINGS)
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
