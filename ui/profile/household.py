"""Editors for the rows of a person's file: household members, income sources, extra phones.

Each editor is a table of rows and a small form beside it. A row is checked by the core's
cleaner when it is added or changed (its problems appear next to its fields, and what was
typed stays); rows are only written when the whole profile is saved, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any

from db.enums import Gender, IncomeSourceType
from romah_desktop.dates import format_dual, parse_date
from romah_desktop.errors import FormErrors, ValidationError
from romah_desktop.labels import label
from romah_desktop.services.people.household import (
    MEMBER_FIELDS,
    Relationship,
    RowChange,
    clean_household_member,
    clean_income_source,
    clean_phone,
)
from romah_desktop.services.people.person_file import FileRow
from ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import DualDateField, ErrorLabel
from ui.widgets.form_rows import lines_high

AnyIndex = QModelIndex | QPersistentModelIndex


def with_message(widget: QWidget, message: QLabel) -> QWidget:
    """`widget` with its message label right under it, as one form cell."""
    cell = QWidget()
    layout = QVBoxLayout(cell)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    layout.addWidget(message)
    cell.setFocusProxy(widget)
    return cell


def combo(name: str, choices: list[tuple[str, str]], blank: bool = True) -> QComboBox:
    """A drop-down of (value, shown text), with an empty first choice when `blank`."""
    box = QComboBox()
    box.setObjectName(name)
    if blank:
        box.addItem("", "")
    for value, text in choices:
        box.addItem(text, value)
    return box


class RowRole(IntEnum):
    ROW_ID = Qt.ItemDataRole.UserRole + 1
    """The stored row's id ("" for a row not saved yet)."""
    DATA = Qt.ItemDataRole.UserRole + 2
    """The row as typed: a dict of the editor's fields."""


@dataclass
class EditorRow:
    id: str | None
    data: dict[str, object]
    changed: bool = False


class RowsModel(QAbstractTableModel):
    """The rows of one editor; each column shows a row's data through `display`."""

    def __init__(
        self,
        columns: list[tuple[str, str]],
        display: Callable[[str, Mapping[str, object]], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = columns
        self.display = display
        self.rows: list[EditorRow] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(self.columns[index.column()][0], row.data)
        if role == RowRole.ROW_ID:
            return row.id or ""
        if role == RowRole.DATA:
            return dict(row.data)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section][1]
        return None

    def set_rows(self, rows: list[EditorRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def forget(self) -> None:
        """Hold no rows (the user who typed them signed out)."""
        self.set_rows([])

    def append(self, row: EditorRow) -> int:
        position = len(self.rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self.rows.append(row)
        self.endInsertRows()
        return position

    def replace(self, position: int, data: dict[str, object]) -> None:
        self.rows[position].data = data
        self.rows[position].changed = True
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(self.columns) - 1))

    def remove(self, position: int) -> EditorRow:
        self.beginRemoveRows(QModelIndex(), position, position)
        row = self.rows.pop(position)
        self.endRemoveRows()
        return row


class RowsEditor(QWidget):
    """A table of rows with a form to add, change and remove them (not yet written)."""

    sig_rows_changed = Signal()
    """A row was added, changed or removed in the editor (the file is not saved yet)."""

    name = "rows"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.removed_ids: list[str] = []
        self._change_rows: list[EditorRow | str] = []
        self.model = RowsModel(self.columns(), self.display, self)
        self.table = QTableView()
        self.table.setObjectName(f"{self.name}_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.form = QFormLayout()
        self.build_form()
        self.add_button = QPushButton(QCoreApplication.translate("RowsEditor", "Add"))
        self.add_button.setObjectName(f"{self.name}_add")
        self.add_button.clicked.connect(self.add_row)
        self.change_button = QPushButton(
            QCoreApplication.translate("RowsEditor", "Save changes to the row")
        )
        self.change_button.setObjectName(f"{self.name}_update")
        self.change_button.clicked.connect(self.update_row)
        self.remove_button = QPushButton(QCoreApplication.translate("RowsEditor", "Remove"))
        self.remove_button.setObjectName(f"{self.name}_remove")
        self.remove_button.clicked.connect(self.remove_row)
        self.new_button = QPushButton(QCoreApplication.translate("RowsEditor", "New row"))
        self.new_button.setObjectName(f"{self.name}_clear")
        self.new_button.clicked.connect(self.clear_form)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.change_button, self.remove_button, self.new_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        side = QVBoxLayout()
        side.addLayout(self.form)
        side.addLayout(buttons)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 3)
        layout.addLayout(side, 2)
        self._chosen_changed()

    # --- what a subclass says ----------------------------------------------------------------

    def columns(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def display(self, key: str, data: Mapping[str, object]) -> str:
        return str(data.get(key) or "")

    def build_form(self) -> None:
        raise NotImplementedError

    def clean(self, data: Mapping[str, object]) -> object:
        """Check a row with the core; raises FormErrors."""
        raise NotImplementedError

    def empty(self) -> dict[str, object]:
        raise NotImplementedError

    # --- the form ---------------------------------------------------------------------------

    def add_field(self, key: str, title: str, widget: QWidget) -> None:
        widget.setObjectName(widget.objectName() or f"{self.name}_{key}")
        self.fields[key] = widget
        if isinstance(widget, DualDateField):
            self.errors[key] = widget.error  # the date field shows its own message
            self.form.addRow(title, widget)
        else:
            self.errors[key] = ErrorLabel(f"{self.name}_{key}")
            self.form.addRow(title, with_message(widget, self.errors[key]))
        if isinstance(widget, QLineEdit):
            widget.returnPressed.connect(self._enter)
        elif isinstance(widget, DualDateField):
            widget.edit.returnPressed.connect(self._enter)

    def _enter(self) -> None:
        # Enter in the row's form adds the row, or saves the chosen row's changes.
        if self.current_position() is None:
            self.add_row()
        else:
            self.update_row()

    def form_data(self) -> dict[str, object]:
        data: dict[str, object] = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QCheckBox):
                data[key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                data[key] = str(widget.currentData() or "")
            elif isinstance(widget, QLineEdit | DualDateField):
                data[key] = widget.text()
        return data

    def set_form(self, data: Mapping[str, object]) -> None:
        for key, widget in self.fields.items():
            value = data.get(key)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(str(value or ""))))
            elif isinstance(widget, QLineEdit | DualDateField):
                widget.setText(str(value or ""))
        self.show_errors({})

    def show_errors(self, messages: Mapping[str, str]) -> None:
        """Put each message beside its field; clear the others."""
        for key, message in self.errors.items():
            message.setText(messages.get(key, ""))

    def message_of(self, key: str) -> str:
        return self.errors[key].text()

    def _checked(self) -> dict[str, object] | None:
        data = self.form_data()
        try:
            self.clean(data)
        except FormErrors as error:
            self.show_errors({e.field: e.text() for e in error.errors})
            first = next((e.field for e in error.errors if e.field in self.fields), None)
            if first is not None:
                self.fields[first].setFocus()
            return None
        self.show_errors({})
        return data

    # --- rows -------------------------------------------------------------------------------

    def current_position(self) -> int | None:
        """The position of the chosen row, if one is chosen."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def add_row(self) -> None:
        """Add what the form holds as a new row, if the core accepts it."""
        data = self._checked()
        if data is None:
            return
        position = self.model.append(EditorRow(None, data, changed=True))
        self.table.clearSelection()
        self.table.selectionModel().clear()
        self.set_form(self.empty())
        self._chosen_changed()
        self.sig_rows_changed.emit()
        self.table.scrollTo(self.model.index(position, 0))

    def update_row(self) -> None:
        """Replace the chosen row with what the form holds, if the core accepts it."""
        position = self.current_position()
        if position is None:
            return
        data = self._checked()
        if data is None:
            return
        self.model.replace(position, data)
        self.sig_rows_changed.emit()

    def remove_row(self) -> None:
        """Take the chosen row off (a saved row is removed from the file on save)."""
        position = self.current_position()
        if position is None:
            return
        row = self.model.remove(position)
        if row.id is not None:
            self.removed_ids.append(row.id)
        self.table.selectionModel().clear()
        self.set_form(self.empty())
        self._chosen_changed()
        self.sig_rows_changed.emit()

    def clear_form(self) -> None:
        self.table.selectionModel().clear()
        self.set_form(self.empty())
        self._chosen_changed()

    def _selection_changed(self, *_args: object) -> None:
        position = self.current_position()
        if position is not None:
            self.set_form(self.model.rows[position].data)
        self._chosen_changed()

    def _chosen_changed(self) -> None:
        chosen = self.current_position() is not None
        self.change_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # --- loading and saving -----------------------------------------------------------------

    def load(self, rows: list[FileRow]) -> None:
        """Show the file's stored rows; forget every unsaved change."""
        self.model.set_rows([EditorRow(r.id, dict(r.data)) for r in rows])
        self.removed_ids = []
        self.clear_form()

    def is_dirty(self) -> bool:
        return bool(self.removed_ids) or any(r.changed for r in self.model.rows)

    def changes(self) -> list[RowChange]:
        """What to write: removed rows, changed rows and new rows (see save_household)."""
        self._change_rows = [*self.removed_ids]
        result = [RowChange(row_id, None) for row_id in self.removed_ids]
        for row in self.model.rows:
            if row.changed:
                self._change_rows.append(row)
                result.append(RowChange(row.id, dict(row.data)))
        return result

    def show_saved_error(self, index: int, key: str, text: str) -> None:
        """Show a problem the save found on the `index`-th change of the last changes()."""
        if not 0 <= index < len(self._change_rows):
            return
        row = self._change_rows[index]
        if isinstance(row, str) or row not in self.model.rows:
            return
        self.table.selectRow(self.model.rows.index(row))
        if key in self.errors:
            self.show_errors({key: text})


# --- the three editors ----------------------------------------------------------------------


def _date_text(value: object) -> str:
    text = str(value or "")
    try:
        return format_dual(parse_date(text)) if text.strip() else ""
    except ValidationError:
        return text


class MembersEditor(RowsEditor):
    """The people living with the beneficiary."""

    name = "member"

    def columns(self) -> list[tuple[str, str]]:
        return [
            ("full_name", self.tr("Name")),
            ("relationship", self.tr("Relationship")),
            ("gender", self.tr("Gender")),
            ("birth_date", self.tr("Birth date")),
            ("national_id", self.tr("ID number")),
            ("situation", self.tr("Situation")),
        ]

    def display(self, key: str, data: Mapping[str, object]) -> str:
        if key == "relationship":
            value = str(data.get(key) or "")
            return label(Relationship(value)) if value in set(Relationship) else value
        if key == "gender":
            value = str(data.get(key) or "")
            return label(Gender(value)) if value in set(Gender) else ""
        if key == "birth_date":
            return _date_text(data.get(key))
        if key == "situation":
            parts = []
            if data.get("is_dependent"):
                parts.append(self.tr("dependent"))
            if data.get("has_disability"):
                parts.append(self.tr("has a disability"))
            if data.get("in_education"):
                parts.append(self.tr("in education"))
            return self.tr(", ").join(parts)
        return str(data.get(key) or "")

    def build_form(self) -> None:
        self.add_field("full_name", self.tr("Full name"), QLineEdit())
        relationships = [(r.value, label(r)) for r in Relationship]
        self.add_field(
            "relationship", self.tr("Relationship"), combo("member_relationship", relationships)
        )
        genders = [(g.value, label(g)) for g in Gender]
        self.add_field("gender", self.tr("Gender"), combo("member_gender", genders))
        self.add_field("birth_date", self.tr("Birth date"), DualDateField(field="member_birth"))
        self.add_field("national_id", self.tr("ID or Iqama number"), QLineEdit())
        self.add_field("is_dependent", "", QCheckBox(self.tr("Dependent on the beneficiary")))
        self.add_field("has_disability", "", QCheckBox(self.tr("Has a disability")))
        self.add_field("in_education", "", QCheckBox(self.tr("In education")))
        self.set_form(self.empty())

    def clean(self, data: Mapping[str, object]) -> object:
        return clean_household_member(data, date.today())

    def empty(self) -> dict[str, object]:
        data: dict[str, object] = dict.fromkeys(MEMBER_FIELDS, "")
        data.update(is_dependent=True, has_disability=False, in_education=False)
        return data


class IncomeEditor(RowsEditor):
    """The household's monthly income sources."""

    name = "income"

    def columns(self) -> list[tuple[str, str]]:
        return [
            ("source", self.tr("Source")),
            ("monthly_amount", self.tr("Monthly amount (riyals)")),
            ("notes", self.tr("Notes")),
        ]

    def display(self, key: str, data: Mapping[str, object]) -> str:
        value = str(data.get(key) or "")
        if key == "source" and value in set(IncomeSourceType):
            return label(IncomeSourceType(value))
        return value

    def build_form(self) -> None:
        sources = [(s.value, label(s)) for s in IncomeSourceType]
        self.add_field("source", self.tr("Source"), combo("income_source", sources))
        self.add_field("monthly_amount", self.tr("Monthly amount (riyals)"), QLineEdit())
        self.add_field("notes", self.tr("Notes"), QLineEdit())
        self.set_form(self.empty())

    def clean(self, data: Mapping[str, object]) -> object:
        return clean_income_source(data)

    def empty(self) -> dict[str, object]:
        return {"source": "", "monthly_amount": "", "notes": ""}


class PhonesEditor(RowsEditor):
    """More phone numbers to reach the person (the main mobile is with the personal details)."""

    name = "phone"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A few numbers at most: the table asks no more height than three of them, so that the
        # personal tab it is on stays short enough for a laptop.
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setMaximumHeight(header + lines_high(self.table, 3))

    def columns(self) -> list[tuple[str, str]]:
        return [("number", self.tr("Mobile number")), ("label", self.tr("Whose number"))]

    def build_form(self) -> None:
        self.add_field("number", self.tr("Mobile number"), QLineEdit())
        self.add_field("label", self.tr("Whose number"), QLineEdit())
        self.set_form(self.empty())

    def clean(self, data: Mapping[str, object]) -> object:
        return clean_phone(data)

    def empty(self) -> dict[str, object]:
        return {"number": "", "label": ""}
