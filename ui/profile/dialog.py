"""The profile editor: register a new person or edit a file, with every field checked as it is
left, possible duplicates shown while the ID and name are typed, and the person's timeline.

Nothing typed is ever lost: a bad value keeps its text with the message beside it, and a save
that fails (a form problem, a possible duplicate, a locked database) leaves the form as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from db.enums import Category, Gender, HousingType, IdType, MaritalStatus
from romah_desktop.changes import Change
from romah_desktop.errors import FormErrors, RomahError
from romah_desktop.grammar import for_gender
from romah_desktop.labels import label
from romah_desktop.names import NAME_PARTS
from romah_desktop.permissions import Permission, allowed
from romah_desktop.search import DuplicateCandidate
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import (
    FIELDS,
    PossibleDuplicate,
    clean_beneficiary,
    register_beneficiary,
    update_beneficiary,
)
from romah_desktop.services.people.household import RowChange, save_household
from romah_desktop.services.people.person_file import (
    PersonFile,
    duplicates_for_form,
    person_file,
)
from ui.context import AppContext, error_text, is_database_locked
from ui.printing import TimelinePrintButton
from ui.profile.household import (
    IncomeEditor,
    MembersEditor,
    PhonesEditor,
    RowsEditor,
    combo,
    with_message,
)
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import DualDateField, ErrorLabel, line_height
from ui.widgets.form_rows import beside, fit_to_screen
from ui.widgets.scrolling import scrolled
from ui.widgets.timeline import TimelineView

NAME_FIELDS = NAME_PARTS
PERSONAL, ADDRESS, INCOME, CATEGORIES, NOTES, TIMELINE = range(6)
TAB_OF = {
    **dict.fromkeys(
        (*NAME_FIELDS, "national_id", "gender", "birth_date", "nationality", "marital_status"),
        PERSONAL,
    ),
    "phone": PERSONAL,
    "phones": PERSONAL,
    **dict.fromkeys(("city", "district", "address", "housing_type", "monthly_rent"), ADDRESS),
    **dict.fromkeys(("household_size", "monthly_income", "iban", "members", "incomes"), INCOME),
    "categories": CATEGORIES,
    "notes": NOTES,
}
DUPLICATE_DELAY_MS = 300


class DuplicatePanel(QFrame):
    """The files that may already be this person, each one click away."""

    sig_open = Signal(str)
    """The user chose to open an existing file; the argument is its id."""

    sig_confirmed = Signal()
    """The user confirmed that the person is someone else and asked to register anyway."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicates")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#duplicates { background: #fff4ce; border: 1px solid #c8a600; }")
        self.title = QLabel()
        self.title.setObjectName("duplicates_title")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.rows = QVBoxLayout()
        self.confirm = QPushButton()
        self.confirm.setObjectName("register_anyway")
        self.confirm.setAutoDefault(False)
        self.confirm.clicked.connect(self.sig_confirmed)
        self.open_buttons: dict[str, QPushButton] = {}
        self.candidates: list[DuplicateCandidate] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.rows)
        layout.addWidget(self.confirm, 0, Qt.AlignmentFlag.AlignLeading)
        self.clear_candidates()
        self.address(None)

    def address(self, gender: str | None) -> None:
        """Word the confirmation for the person typed: «هذه امرأة أخرى» for a woman."""
        self.confirm.setText(
            for_gender(
                gender,
                self.tr("This is someone else — register anyway"),
                self.tr("This is someone else — register anyway", "feminine"),
            )
        )

    def reason_text(self, reason: str) -> str:
        if reason == "national_id":
            return self.tr("Same ID number")
        if reason == "name_and_birth_date":
            return self.tr("Same name and birth date")
        return self.tr("Same four-part name")

    def show_candidates(
        self, title: str, candidates: list[DuplicateCandidate], can_confirm: bool = False
    ) -> None:
        """List `candidates` under `title`, each with an "Open this file" button."""
        self.clear_candidates()
        if not candidates:
            return
        self.candidates = list(candidates)
        self.title.setText(title)
        for candidate in candidates:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = QLabel(
                self.tr("{reason}: {name} — ID {national_id} — file {file_number}").format(
                    reason=self.reason_text(candidate.reason),
                    name=candidate.full_name,
                    national_id=candidate.national_id,
                    file_number=candidate.file_number,
                )
            )
            text.setWordWrap(True)
            button = QPushButton(self.tr("Open this file"))
            button.setObjectName(f"open_{candidate.id}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, i=candidate.id: self.sig_open.emit(i))
            line.addWidget(text, 1)
            line.addWidget(button)
            self.rows.addWidget(row)
            self.open_buttons[candidate.id] = button
        self.confirm.setVisible(can_confirm)
        self.show()

    def clear_candidates(self) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.open_buttons.clear()
        self.candidates = []
        self.confirm.hide()
        self.hide()


class ProfileDialog(QDialog):
    """Register a new person (`beneficiary_id` None) or edit an existing file."""

    sig_saved = Signal(str)
    """The file was written; the argument is the person's id."""

    sig_loaded = Signal(str)
    """A stored file is on screen, ready to edit; the argument is its id."""

    sig_duplicates_shown = Signal(int)
    """The possible duplicates of what is typed were looked up; the argument is how many."""

    sig_save_failed = Signal(str)
    """A save was refused or failed and the form was kept; the argument is the message shown."""

    def __init__(
        self, ctx: AppContext, beneficiary_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.beneficiary_id = beneficiary_id
        self.file: PersonFile | None = None
        self.inputs: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self.category_boxes: dict[str, QCheckBox] = {}
        self._saved_form: dict[str, str] = {}
        self._duplicate_query = 0
        self._saving = False
        self._just_saved = False
        self._correcting = False  # the line under the tabs says some fields need correcting
        self.resize(1040, 720)

        self.duplicates = DuplicatePanel()
        self.duplicates.sig_open.connect(self.open_file)
        self.duplicates.sig_confirmed.connect(lambda: self.save(confirmed_not_duplicate=True))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("profile_tabs")
        self.phones = PhonesEditor()
        self.members = MembersEditor()
        self.incomes = IncomeEditor()
        self.timeline = TimelineView(ctx)
        self.tabs.addTab(scrolled(self._personal_tab()), self.tr("Personal"))
        self.tabs.addTab(scrolled(self._address_tab()), self.tr("Address and housing"))
        self.tabs.addTab(scrolled(self._income_tab()), self.tr("Income and household"))
        self.tabs.addTab(scrolled(self._categories_tab()), self.tr("Categories"))
        self.tabs.addTab(self._notes_tab(), self.tr("Notes"))
        self.tabs.addTab(self.timeline, self.tr("Timeline"))

        self.message = QLabel()
        self.message.setObjectName("profile_message")
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # a busy indicator: a save or a read takes a moment
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("save_profile")
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_button.setToolTip(self.tr("Save the file (Ctrl+S)"))
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("close_profile")
        self.close_button.clicked.connect(self.close)
        # Prints the form of the entry chosen in the timeline (a request, a declaration...).
        self.print_button = TimelinePrintButton(ctx, self.timeline)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.duplicates)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self._duplicate_timer = QTimer(self)
        self._duplicate_timer.setSingleShot(True)
        self._duplicate_timer.setInterval(DUPLICATE_DELAY_MS)
        self._duplicate_timer.timeout.connect(self.look_for_duplicates)
        for field in (*NAME_FIELDS, "national_id"):
            self.line(field).textEdited.connect(self._typed_identity)
        gender = self.inputs["gender"]
        assert isinstance(gender, QComboBox)
        gender.currentIndexChanged.connect(lambda _index: self._agree_with_gender())
        self.birth_date.sig_date_changed.connect(self._typed_identity)
        # Enter must not save a half-typed form by surprise: saving is the Save button or Ctrl+S.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        for error in self.findChildren(ErrorLabel):
            error.sig_text_changed.connect(self._corrected)
        self._show_mode()
        fit_to_screen(self)
        # Nothing typed yet: closing before a stored file has even arrived asks nothing.
        self._saved_form = self.form_data()
        if beneficiary_id is not None:
            self.load(beneficiary_id)
        else:
            self.timeline.load(None)

    # --- building the tabs ------------------------------------------------------------------

    def _add(self, form: QFormLayout, field: str, title: str, widget: QWidget) -> QWidget:
        """Put `widget` for `field` on `form`, with its message right under it; returns the
        form's cell."""
        widget.setObjectName(field)
        self.inputs[field] = widget
        cell = widget
        if isinstance(widget, DualDateField):
            self.messages[field] = widget.error
        else:
            message = ErrorLabel(field)
            self.messages[field] = message
            cell = with_message(widget, message)
        form.addRow(title, cell)
        if isinstance(widget, QLineEdit):
            widget.editingFinished.connect(lambda f=field: self.check_field(f))
        elif isinstance(widget, QComboBox):
            widget.activated.connect(lambda _i, f=field: self.check_field(f))
        elif isinstance(widget, DualDateField):
            widget.sig_editing_finished.connect(lambda f=field: self.check_field(f))
        return cell

    def _personal_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        # On the page before its fields, so that Tab goes through them in the order they are
        # added, two to a line (see `beside`).
        form = QFormLayout()
        layout.addLayout(form)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        cells = {}
        for field, title in zip(
            NAME_FIELDS,
            (
                self.tr("First name"),
                self.tr("Father's name"),
                self.tr("Grandfather's name"),
                self.tr("Family name"),
            ),
            strict=True,
        ):
            cells[field] = self._add(form, field, title, QLineEdit())
        cells["national_id"] = self._add(
            form, "national_id", self.tr("National ID or Iqama number"), QLineEdit()
        )
        self.id_kind = QLabel()
        self.id_kind.setObjectName("id_kind")
        self.id_kind.setMinimumHeight(line_height(self.id_kind))  # empty until an ID is typed
        form.addRow("", self.id_kind)
        genders = [(g.value, label(g)) for g in Gender]
        cells["gender"] = self._add(form, "gender", self.tr("Gender"), combo("gender", genders))
        self.birth_date = DualDateField(field="birth_date")
        cells["birth_date"] = self._add(form, "birth_date", self.tr("Birth date"), self.birth_date)
        cells["nationality"] = self._add(form, "nationality", self.tr("Nationality"), QLineEdit())
        statuses = [(m.value, label(m)) for m in MaritalStatus]
        cells["marital_status"] = self._add(
            form, "marital_status", self.tr("Marital status"), combo("marital", statuses)
        )
        cells["phone"] = self._add(form, "phone", self.tr("Mobile number"), QLineEdit())
        self.line("phone").setPlaceholderText("05XXXXXXXX")
        self.line("national_id").setPlaceholderText(self.tr("10 digits"))
        # Two fields to a line, in reading order, so that the tab is short enough for a laptop
        # at 150 %.
        for first, second in (
            ("first_name", "father_name"),
            ("grandfather_name", "family_name"),
            ("national_id", "gender"),
            ("birth_date", "nationality"),
            ("marital_status", "phone"),
        ):
            beside(form, cells[first], cells[second])
        phones = QGroupBox(self.tr("Other phone numbers"))
        QVBoxLayout(phones).addWidget(self.phones)
        self.phones_message = ErrorLabel("phones")
        layout.addWidget(phones)
        layout.addWidget(self.phones_message)
        layout.addStretch(1)
        return page

    def _address_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self._add(form, "city", self.tr("City"), QLineEdit())
        self._add(form, "district", self.tr("District"), QLineEdit())
        self._add(form, "address", self.tr("Address"), QLineEdit())
        housing = [(h.value, label(h)) for h in HousingType]
        self._add(form, "housing_type", self.tr("Housing"), combo("housing", housing))
        self._add(form, "monthly_rent", self.tr("Monthly rent (riyals)"), QLineEdit())
        return page

    def _income_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        self._add(form, "household_size", self.tr("Household size (people)"), QLineEdit())
        self._add(form, "monthly_income", self.tr("Monthly income (riyals)"), QLineEdit())
        self._add(form, "iban", self.tr("IBAN"), QLineEdit())
        self.line("iban").setPlaceholderText("SA")
        incomes = QGroupBox(self.tr("Income sources"))
        QVBoxLayout(incomes).addWidget(self.incomes)
        members = QGroupBox(self.tr("Household members"))
        QVBoxLayout(members).addWidget(self.members)
        self.household_message = ErrorLabel("household")
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(incomes)
        layout.addWidget(members, 1)
        layout.addWidget(self.household_message)
        return page

    def _categories_tab(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout()
        for position, category in enumerate(Category):
            box = QCheckBox(label(category))
            box.setObjectName(f"category_{category.value}")
            self.category_boxes[category.value] = box
            grid.addWidget(box, position // 2, position % 2)
        message = ErrorLabel("categories")
        self.messages["categories"] = message
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(self.tr("Which of the society's categories the person is in:")))
        layout.addLayout(grid)
        layout.addWidget(message)
        layout.addStretch(1)
        return page

    def _notes_tab(self) -> QWidget:
        page = QWidget()
        notes = QPlainTextEdit()
        notes.setObjectName("notes")
        notes.setPlaceholderText(self.tr("Staff notes on the file (not part of the declaration)"))
        notes.textChanged.connect(lambda: self.check_field("notes"))
        self.inputs["notes"] = notes
        message = ErrorLabel("notes")
        self.messages["notes"] = message
        layout = QVBoxLayout(page)
        layout.addWidget(notes, 1)
        layout.addWidget(message)
        return page

    def _agree_with_gender(self) -> None:
        """Name the choices that describe the person in the grammar of the gender chosen (a
        woman is «عزباء», «يتيمة»); the values chosen and stored stay as they are."""
        gender = self.value("gender") or None
        marital = self.inputs["marital_status"]
        assert isinstance(marital, QComboBox)
        for index in range(marital.count()):
            value = marital.itemData(index)
            if value:
                marital.setItemText(index, label(MaritalStatus(value), gender=gender))
        for value, box in self.category_boxes.items():
            box.setText(label(Category(value), gender=gender))
        self.duplicates.address(gender)

    # --- fields -----------------------------------------------------------------------------

    def line(self, field: str) -> QLineEdit:
        widget = self.inputs[field]
        assert isinstance(widget, QLineEdit)
        return widget

    def value(self, field: str) -> str:
        """The text of `field` as typed (a drop-down's stored value)."""
        if field == "categories":
            return ",".join(k for k, box in self.category_boxes.items() if box.isChecked())
        widget = self.inputs[field]
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or "")
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QLineEdit | DualDateField):
            return widget.text()
        return ""

    def set_value(self, field: str, text: str) -> None:
        if field == "categories":
            chosen = {part for part in text.split(",") if part}
            for key, box in self.category_boxes.items():
                box.setChecked(key in chosen)
            return
        widget = self.inputs[field]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(text)))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        elif isinstance(widget, QLineEdit | DualDateField):
            widget.setText(text)

    def form_data(self) -> dict[str, str]:
        """Every field of the profile as typed, as the core's services take it."""
        return {field: self.value(field) for field in FIELDS}

    def message_of(self, field: str) -> str:
        """The message shown beside `field` ("" when none)."""
        return self.messages[field].text()

    def set_message(self, field: str, text: str) -> None:
        if field == "birth_date":
            self.birth_date.set_error(text)
        else:
            self.messages[field].setText(text)

    def check_field(self, field: str) -> bool:
        """Check one field with the core as it is left; its message shows beside it."""
        text = self.value(field)
        if not text.strip() and not self.message_of(field):
            if field == "national_id":
                self.id_kind.clear()
            return True  # leaving an empty field is not yet a mistake; saving will say
        try:
            clean = clean_beneficiary({field: text}, date.today(), partial=True)
        except FormErrors as error:
            self.set_message(field, error.errors[0].text())
            if field == "national_id":
                self.id_kind.clear()
            return False
        self.set_message(field, "")
        if field == "national_id":
            number = clean.get("national_id")
            self.id_kind.setText(label(IdType(number[1])) if number else "")
        return True

    def clear_messages(self) -> None:
        for field in self.messages:
            self.set_message(field, "")
        self.phones_message.setText("")
        self.household_message.setText("")
        for editor in self.editors():
            editor.show_errors({})

    def editors(self) -> tuple[RowsEditor, ...]:
        return (self.members, self.incomes, self.phones)

    def _corrected(self, text: str) -> None:
        """Once the last message beside a field goes, the lines that summed them up go too: a
        "some fields need correcting" left over a corrected form sends people looking for a
        mistake that is not there."""
        if text:
            return
        if not self._errors_shown(self.members, self.incomes):
            self.household_message.setText("")
        if not self._errors_shown(self.phones):
            self.phones_message.setText("")
        if self._correcting and not self._errors_shown(self):
            self._correcting = False
            self.message.clear()

    def _errors_shown(self, *places: QWidget) -> bool:
        """Whether a field in `places` still shows a problem."""
        summaries = (self.household_message, self.phones_message)
        return any(
            error.text()
            for place in places
            for error in place.findChildren(ErrorLabel)
            if error not in summaries
        )

    def is_dirty(self) -> bool:
        """Whether something typed has not been saved."""
        return self.form_data() != self._saved_form or any(e.is_dirty() for e in self.editors())

    # --- loading ----------------------------------------------------------------------------

    def _show_mode(self) -> None:
        new = self.beneficiary_id is None
        if new:
            self.setWindowTitle(self.tr("Register a new person"))
        elif self.file is not None:
            self.setWindowTitle(
                self.tr("File {number} — {name}").format(
                    number=self.file.file_number, name=self.file.full_name
                )
            )
        self.tabs.setTabEnabled(TIMELINE, not new)
        permission = Permission.REGISTER_BENEFICIARY if new else Permission.EDIT_BENEFICIARY
        may_save = self.ctx.signed_in and allowed(self.ctx.actor.roles, permission)
        self.save_button.setEnabled(may_save and not self._saving)
        if not may_save:
            self.message.setText(self.tr("Your role may read this file but not change it."))

    def _busy(self, busy: bool) -> None:
        self._saving = busy
        self.progress.setVisible(busy)
        self._show_mode()

    def load(self, beneficiary_id: str) -> None:
        """Read a stored file into the form (on the worker) and show it."""
        self.beneficiary_id = beneficiary_id
        if not self._just_saved:
            self.message.setText(self.tr("Reading the file…"))
        self._busy(True)
        self.ctx.run(
            lambda session, actor: person_file(session, actor, beneficiary_id),
            self._show_file,
            self._load_failed,
            owner=self,
        )

    def _show_file(self, file: PersonFile) -> None:
        if file.id != self.beneficiary_id:
            return  # another file was asked for meanwhile
        self.file = file
        for field, text in file.form.items():
            self.set_value(field, text)
        self.clear_messages()
        self.check_field("national_id")
        self.members.load(file.members)
        self.incomes.load(file.incomes)
        self.phones.load(file.phones)
        self._saved_form = self.form_data()
        self.duplicates.clear_candidates()
        self._busy(False)
        if self._just_saved:
            self.message.setText(self.tr("Saved: file {number}.").format(number=file.file_number))
            self._just_saved = False
        else:
            self.message.clear()
        self._show_mode()
        self.timeline.load(file.id)
        self.sig_loaded.emit(file.id)

    def _load_failed(self, error: BaseException) -> None:
        self._busy(False)
        self._just_saved = False
        self.message.setText(error_text(error))
        self.save_button.setEnabled(False)

    def open_file(self, beneficiary_id: str) -> None:
        """Show an existing file in this window instead of the form being typed (one click
        from a possible duplicate)."""
        self._duplicate_timer.stop()
        self._duplicate_query += 1  # answers to earlier look-ups are of no use now
        self.duplicates.clear_candidates()
        self.clear_messages()
        self.tabs.setCurrentIndex(PERSONAL)
        self.load(beneficiary_id)

    # --- duplicates while typing ------------------------------------------------------------

    def _typed_identity(self, *_args: object) -> None:
        self._duplicate_timer.start()

    def look_for_duplicates(self) -> None:
        """Ask the core which files may already be the person typed (after a pause in typing)."""
        if not self.ctx.signed_in:
            return  # the pause ran out after its user signed out
        national_id = self.value("national_id")
        names = tuple(self.value(f) for f in NAME_FIELDS)
        born = self.birth_date.text()
        self._duplicate_query += 1
        query = self._duplicate_query
        if not national_id.strip() and not any(n.strip() for n in names):
            self.duplicates.clear_candidates()
            self.sig_duplicates_shown.emit(0)
            return
        exclude = self.beneficiary_id
        self.ctx.run(
            lambda session, actor: duplicates_for_form(
                session, actor, national_id, names, born, exclude_id=exclude
            ),
            lambda found: self._show_duplicates(query, found),
            lambda _error: None,  # a hint that could not be looked up is no failure of the form
            owner=self,
        )

    def _show_duplicates(self, query: int, found: list[DuplicateCandidate]) -> None:
        if query != self._duplicate_query:
            return  # the text changed since; a newer answer is on its way
        self.duplicates.show_candidates(self.tr("This person may already have a file:"), found)
        self.sig_duplicates_shown.emit(len(found))

    # --- saving -----------------------------------------------------------------------------

    def save(self, confirmed_not_duplicate: bool = False) -> None:
        """Write the whole form (and its household rows) in one transaction on the worker."""
        if self._saving or not self.save_button.isEnabled():
            return
        data = self.form_data()
        rows = {
            "members": self.members.changes(),
            "incomes": self.incomes.changes(),
            "phones": self.phones.changes(),
        }
        beneficiary_id = self.beneficiary_id
        use_case = _save_use_case(beneficiary_id, data, rows, confirmed_not_duplicate)
        self._duplicate_timer.stop()
        self._duplicate_query += 1
        self._busy(True)
        self._correcting = False
        self.message.setText(self.tr("Saving…"))
        self.ctx.run(
            use_case, self._saved, self._save_failed, changes={Change.BENEFICIARY}, owner=self
        )

    def _saved(self, beneficiary_id: str) -> None:
        self._busy(False)
        self.clear_messages()
        self.duplicates.clear_candidates()
        self._just_saved = True
        self.beneficiary_id = beneficiary_id
        self.message.setText(self.tr("Saved."))
        self.sig_saved.emit(beneficiary_id)
        self.load(beneficiary_id)

    def _save_failed(self, error: BaseException) -> None:
        self._busy(False)
        if isinstance(error, FormErrors):
            text = self._show_form_errors(error)
        elif isinstance(error, PossibleDuplicate):
            text = error.text()
            name_only = all(c.reason != "national_id" for c in error.candidates)
            self.duplicates.show_candidates(
                text, error.candidates, can_confirm=name_only and self.beneficiary_id is None
            )
            if name_only and self.beneficiary_id is None:
                self.duplicates.confirm.setFocus()
        elif is_database_locked(error):
            text = self.tr(
                "The database is busy (another program is using it), so nothing was saved. "
                "Everything you typed is still here: try Save again in a moment."
            )
        elif isinstance(error, RomahError):
            text = error.text()
        else:
            text = error_text(error)
        self.message.setText(text)
        self._correcting = isinstance(error, FormErrors)
        self.sig_save_failed.emit(text)

    def _show_form_errors(self, error: FormErrors) -> str:
        self.clear_messages()
        editors: dict[str, tuple[RowsEditor, QLabel, str]] = {
            "members": (self.members, self.household_message, self.tr("Household member")),
            "incomes": (self.incomes, self.household_message, self.tr("Income source")),
            "phones": (self.phones, self.phones_message, self.tr("Other phone")),
        }
        first: str | None = None
        for problem in error.errors:
            kind, _, rest = problem.field.partition(".")
            if kind in editors and rest:
                editor, summary, what = editors[kind]
                position, _, key = rest.partition(".")
                editor.show_saved_error(int(position), key, problem.text())
                summary.setText(
                    self.tr("{what} {number}: {message}").format(
                        what=what, number=int(position) + 1, message=problem.text()
                    )
                )
            elif problem.field in self.messages:
                self.set_message(problem.field, problem.text())
            else:
                continue
            first = first or kind
        if first is not None:
            self.tabs.setCurrentIndex(TAB_OF.get(first, PERSONAL))
            widget = self.inputs.get(first)
            if widget is not None:
                widget.setFocus()
        return self.tr("Some fields need correcting: each says what is wrong next to it.")

    # --- closing ----------------------------------------------------------------------------

    def confirm_discard(self) -> bool:
        """Ask before closing over unsaved typing."""
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("Close without saving what you typed?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def done(self, result: int) -> None:
        # Every way out (Close, Escape, the window's own close button) comes through here.
        if self.is_dirty() and not self.confirm_discard():
            return
        super().done(result)


def _save_use_case(
    beneficiary_id: str | None,
    data: dict[str, str],
    rows: dict[str, list[RowChange]],
    confirmed_not_duplicate: bool,
) -> Callable[[Session, Actor], str]:
    """The save as one use case: the file and its household rows in the same transaction."""

    def run(session: Session, actor: Actor) -> str:
        if beneficiary_id is None:
            person = register_beneficiary(
                session, actor, data, confirmed_not_duplicate=confirmed_not_duplicate
            )
            saved = person.id
        else:
            update_beneficiary(session, actor, beneficiary_id, data)
            saved = beneficiary_id
        save_household(
            session,
            actor,
            saved,
            members=rows["members"],
            incomes=rows["incomes"],
            phones=rows["phones"],
        )
        return saved

    return run
