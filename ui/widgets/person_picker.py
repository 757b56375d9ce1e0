"""Find a registered person by name, national ID or phone and pick them."""

from __future__ import annotations

from romah_desktop.search import SearchHit
from romah_desktop.services.people.beneficiaries import find_people
from ui.context import AppContext, error_text
from ui.qt import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

ID_ROLE = Qt.ItemDataRole.UserRole


class PersonPicker(QWidget):
    """A search box with results as you type (Arabic-aware, offline)."""

    sig_picked = Signal(str, str)
    """A person was chosen: their id and their display text."""

    sig_results = Signal(int)
    """Results for the current text are on screen; the argument is how many."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, limit: int = 20) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.limit = limit
        self.query = QLineEdit()
        self.query.setObjectName("person_query")
        self.query.setPlaceholderText(self.tr("Name, national ID or mobile"))
        self.results = QListWidget()
        self.results.setObjectName("person_results")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.search)
        self.query.textChanged.connect(lambda _text: self._debounce.start())
        self.query.returnPressed.connect(self._pick_current)
        self.results.itemActivated.connect(self._pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        layout.addWidget(self.message)

    def search(self) -> None:
        text = self.query.text()
        if not text.strip():
            self.results.clear()
            self.message.clear()
            self.sig_results.emit(0)
            return
        limit = self.limit
        self.ctx.run(
            lambda session, actor: find_people(session, actor, text, limit),
            lambda hits: self._show(text, hits),
            lambda error: self.message.setText(error_text(error)),
            owner=self,
        )

    def _show(self, text: str, hits: list[SearchHit]) -> None:
        if text != self.query.text():
            return  # an older answer; a newer search is on its way
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{hit.full_name} — {hit.national_id} — {hit.file_number}")
            item.setData(ID_ROLE, hit.id)
            self.results.addItem(item)
        self.message.setText("" if hits else self.tr("No one matches."))
        if hits:
            self.results.setCurrentRow(0)
        self.sig_results.emit(len(hits))

    def _pick_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._pick(item)

    def _pick(self, item: QListWidgetItem) -> None:
        self.sig_picked.emit(str(item.data(ID_ROLE)), item.text())
