"""The Sync screen: enrol this laptop with HQ, sync now or in the background, and settle what
sync leaves for a person (conflicts, side by side, and quarantined changes).

The window never imports `sync`: the entry point installs a `SyncService` (an adapter over the
sync client) with `set_sync_service`. Sync runs on its own background thread, not the shared
worker, so a long sync never holds up the other screens' database jobs; progress and the
result come back by signal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from db.models import User
from romah_desktop.arabic import normalize_digits
from romah_desktop.changes import EVERYTHING, Change
from romah_desktop.dates import format_dual
from romah_desktop.errors import RomahError, ValidationError
from romah_desktop.grammar import CHANGE, count_phrase
from romah_desktop.i18n import translate
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.conflicts import (
    ConflictView,
    QuarantineView,
    dismiss_quarantined,
    open_conflicts,
    quarantined,
    resolve_conflict,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import get_beneficiary
from romah_desktop.workspace import Workspace
from ui.context import AppContext, error_text
from ui.intake.fields import display_value, field_label
from ui.pages.sync_enrol import Enrolment, EnrolmentBox, isolated
from ui.qt import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QObject,
    QProgressBar,
    QPushButton,
    QSplitter,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.scrolling import fill_with_scrolled
from ui.widgets.tables import page_title
from ui.worker import Worker

Progress = Callable[[str, int, int], None]


AUTO_SYNC_MS = 5 * 60 * 1000
AFTER_SIGN_IN_MS = 15 * 1000


class SyncStateView(Protocol):
    server: str | None
    enrolled: bool
    last_success: datetime | None
    waiting: int
    conflicts: int
    quarantined: int


class SyncReportView(Protocol):
    pushed: int
    pulled: int
    conflicts: int
    quarantined: int
    restored: str | None
    resent: int

    @property
    def restore_message(self) -> str | None:
        """What a restore this sync found and repaired means, untranslated (`N_`, to fill
        with `resent`); None when there was none."""


class RetryView(Protocol):
    applied: bool
    rows: int
    reason: str | None


class SyncService(Protocol):
    """What the window needs from sync; the entry point provides it (see `set_sync_service`)."""

    def state(self, workspace: Workspace) -> SyncStateView:
        """Where HQ is, whether enrolled, the last success and what waits (no network)."""

    def sync(self, workspace: Workspace, progress: Progress) -> SyncReportView:
        """Push and pull everything; raises RomahError with a message a person can read."""

    def enrol(
        self,
        workspace: Workspace,
        server: str,
        code: str,
        name: str | None,
        *,
        ca_file: Path | None = None,
        pin: str | None = None,
    ) -> None:
        """Bind the open laptop to HQ's branch with a one-time code (its data is kept).

        HQ's certificate is checked against the society's CA in `ca_file`, or the fingerprint
        `pin`, or the system's authorities. A ValidationError names the form field at fault
        ("server", "ca_file", "pin")."""

    def retry_quarantined(self, session: Session, actor: Actor, quarantine_id: int) -> RetryView:
        """Apply a quarantined change pulled from HQ again, in the caller's transaction: closed
        when it applies, kept with the new reason when it still fails."""

    def is_offline(self, error: BaseException) -> bool:
        """Whether `error` only means HQ cannot be reached now (automatic sync stays quiet)."""


_service: SyncService | None = None


def set_sync_service(service: SyncService | None) -> None:
    """Install the sync the window uses (the entry point does; None: sync unavailable)."""
    global _service
    _service = service


def sync_service() -> SyncService | None:
    return _service


class _Column(QVBoxLayout):
    """The page's column inside its scroll area: as tall as the view, or as its least height
    when that is more (long messages set their labels' least height), never as
    tall as everything would like to be, which would scroll a page that fits."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return False


@dataclass(frozen=True)
class ConflictItem:
    """A conflict with the name of its record, for the list and the side-by-side view."""

    conflict: ConflictView
    record_name: str


def load_conflicts(session: Session, actor: Actor) -> list[ConflictItem]:
    """Open conflicts, each with the person's name when the record is a beneficiary's file."""
    items = []
    for conflict in open_conflicts(session, actor):
        name = ""
        if conflict.table_name == "beneficiary":
            try:
                name = get_beneficiary(session, actor, conflict.row_id).full_name
            except RomahError:
                name = ""
        items.append(ConflictItem(conflict, name))
    return items


class SyncRunner(QObject):
    """Runs sync and enrolment on a thread of their own; one at a time."""

    sig_started = Signal(bool)
    """A sync started; True when it was started automatically."""

    sig_progress = Signal(str, int, int)
    """Stage ("push", "pull", "files"), done and total."""

    sig_finished = Signal(object)
    """A sync succeeded; the argument is its report (pushed, pulled, conflicts, quarantined)."""

    sig_failed = Signal(object, bool)
    """A sync or enrolment failed: the error, and whether the sync was automatic."""

    sig_enrolled = Signal(object)
    """This laptop is now enrolled with HQ; the argument is the signed-in user, read afresh."""

    def __init__(self, service: SyncService, workspace: Workspace) -> None:
        super().__init__()
        self.service = service
        self.workspace = workspace
        self.thread = Worker()
        self.running = False

    def start_sync(self, actor: Actor, automatic: bool = False) -> bool:
        """Start a sync unless one runs already; returns whether it started."""
        if self.running:
            return False
        self.running = True
        service, workspace = self.service, self.workspace

        def job() -> SyncReportView:
            actor.require(Permission.SYNC)
            return service.sync(workspace, self.sig_progress.emit)

        self.sig_started.emit(automatic)
        self.thread.submit(job, self._synced, lambda error: self._failed(error, automatic))
        return True

    def enrol(
        self,
        actor: Actor,
        server: str,
        code: str,
        name: str | None,
        ca_file: Path | None = None,
        pin: str | None = None,
    ) -> bool:
        if self.running:
            return False
        self.running = True
        service, workspace = self.service, self.workspace

        def job() -> Actor:
            actor.require(Permission.ENROL_DEVICE)
            service.enrol(workspace, server, code, name, ca_file=ca_file, pin=pin)
            # The laptop may now be in HQ's record of the branch: the user is read afresh.
            with workspace.db.session() as session:
                user = session.get(User, actor.user_id)
                return Actor.of(user) if user is not None else actor

        self.thread.submit(job, self._enrolled, lambda error: self._failed(error, False))
        return True

    def _synced(self, report: SyncReportView) -> None:
        self.running = False
        self.sig_finished.emit(report)

    def _enrolled(self, actor: Actor) -> None:
        self.running = False
        self.sig_enrolled.emit(actor)

    def _failed(self, error: BaseException, automatic: bool) -> None:
        self.running = False
        self.sig_failed.emit(error, automatic)


class SyncPage(QWidget):
    """HQ's address and enrolment, sync now, progress, last success, what waits, conflicts
    side by side and quarantined changes."""

    sig_status = Signal(str)
    """What the status bar shows about sync ("Synced 10:42", "Offline", "2 conflicts")."""

    sig_loaded = Signal()
    """The state, conflicts and quarantined changes on show are fresh."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_page")
        self.ctx = ctx
        self.service = sync_service()
        self.runner = SyncRunner(self.service, ctx.workspace) if self.service else None
        self.state: SyncStateView | None = None
        self.conflicts: list[ConflictItem] = []
        self.quarantine: list[QuarantineView] = []
        self._retrying = False
        self._pending_loads = 0
        self.offline = False  # the last sync could not reach HQ
        role = ctx.actor.roles
        self.may_enrol = allowed(role, Permission.ENROL_DEVICE)
        self.may_resolve = allowed(role, Permission.RESOLVE_CONFLICTS)

        content = QWidget()
        layout = _Column(content)
        layout.addWidget(page_title(self.tr("Sync with head office")))
        top = QHBoxLayout()
        self.enrolment = EnrolmentBox(self.may_enrol)
        self.enrolment.sig_enrol.connect(self.enrol)
        # The form's fields, as the rest of the page (and whoever drives it) knows them.
        form = self.enrolment
        self.server, self.code, self.laptop_name = form.server, form.code, form.laptop_name
        self.ca_file, self.pin, self.browse_ca = form.ca_file, form.pin, form.browse_ca
        self.errors, self.enrol_button = form.errors, form.enrol_button
        top.addWidget(self.enrolment, 1)
        top.addWidget(self._sync_box(), 1)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sync_tabs")
        self.tabs.addTab(self._conflicts_tab(), self.tr("Conflicts"))
        self.tabs.addTab(self._quarantine_tab(), self.tr("Quarantined changes"))
        layout.addWidget(self.tabs, 1)
        # A long message beside a field never squeezes the form: the page scrolls instead.
        fill_with_scrolled(self, content, "sync_scroll")

        self.auto_timer = QTimer(self)
        self.auto_timer.setInterval(AUTO_SYNC_MS)
        self.auto_timer.timeout.connect(self.auto_sync)
        if self.runner is not None:
            self.runner.sig_started.connect(self._sync_started)
            self.runner.sig_progress.connect(self._show_progress)
            self.runner.sig_finished.connect(self._sync_finished)
            self.runner.sig_failed.connect(self._sync_failed)
            self.runner.sig_enrolled.connect(self._enrolled)
            self.auto_timer.start()
            # Soon after sign-in: the laptop may have come back with a week of work.
            QTimer.singleShot(AFTER_SIGN_IN_MS, self, self.auto_sync)
        else:
            self.sync_button.setEnabled(False)
            self.enrol_button.setEnabled(False)
            self.message.setText(self.tr("Sync is not available in this copy of the app."))
        ctx.sig_signed_out.connect(self.auto_timer.stop)
        self.refresh()

    # -- layout -------------------------------------------------------------------------

    def _sync_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sync"))
        column = QVBoxLayout(box)
        grid = QGridLayout()
        self.last_sync = QLabel()
        self.last_sync.setObjectName("last_sync")
        self.waiting = QLabel()
        self.waiting.setObjectName("waiting")
        self.conflict_count = QLabel()
        self.conflict_count.setObjectName("conflict_count")
        self.quarantine_count = QLabel()
        self.quarantine_count.setObjectName("quarantine_count")
        for row, (title, value) in enumerate(
            (
                (self.tr("Last successful sync"), self.last_sync),
                (self.tr("Changes waiting to be sent"), self.waiting),
                (self.tr("Open conflicts"), self.conflict_count),
                (self.tr("Quarantined changes"), self.quarantine_count),
            )
        ):
            grid.addWidget(QLabel(title), row, 0)
            grid.addWidget(value, row, 1)
        column.addLayout(grid)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("sync_now")
        self.sync_button.clicked.connect(self.sync_now)
        column.addWidget(self.sync_button)
        self.progress = QProgressBar()
        self.progress.setObjectName("sync_progress")
        self.progress.hide()
        column.addWidget(self.progress)
        self.message = QLabel()
        self.message.setObjectName("sync_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.message)
        # A restore of HQ or of this laptop, found and repaired: said until the next sync.
        self.restore_message = QLabel()
        self.restore_message.setObjectName("sync_restored")
        self.restore_message.setWordWrap(True)
        self.restore_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_message.setStyleSheet(
            "font-weight: bold; border: 1px solid #b7791f; background: #fff8e6; padding: 6px"
        )
        self.restore_message.hide()
        column.addWidget(self.restore_message)
        column.addStretch(1)
        return box

    def _conflicts_tab(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.conflict_list = QListWidget()
        self.conflict_list.setObjectName("conflicts")
        self.conflict_list.currentRowChanged.connect(self._show_conflict)
        splitter.addWidget(self.conflict_list)
        detail = QWidget()
        column = QVBoxLayout(detail)
        self.conflict_title = QLabel()
        self.conflict_title.setObjectName("conflict_title")
        self.conflict_title.setWordWrap(True)
        font = self.conflict_title.font()
        font.setBold(True)
        self.conflict_title.setFont(font)
        column.addWidget(self.conflict_title)
        sides = QHBoxLayout()
        self.kept_box, self.kept_value, self.kept_by, self.keep_this = self._side(
            self.tr("The value in use"), "kept", self.tr("Keep this")
        )
        self.other_box, self.other_value, self.other_by, self.keep_other = self._side(
            self.tr("The other value"), "other", self.tr("Keep the other")
        )
        sides.addWidget(self.kept_box)
        sides.addWidget(self.other_box)
        column.addLayout(sides)
        typed = QHBoxLayout()
        self.new_value = QLineEdit()
        self.new_value.setObjectName("new_value")
        self.new_value.setPlaceholderText(self.tr("Or type a new value"))
        self.new_value.textEdited.connect(lambda _t: self.resolve_error.hide())
        self.keep_typed = QPushButton(self.tr("Keep the typed value"))
        self.keep_typed.setObjectName("keep_typed")
        typed.addWidget(self.new_value, 1)
        typed.addWidget(self.keep_typed)
        column.addLayout(typed)
        self.resolve_error = QLabel()
        self.resolve_error.setObjectName("resolve_error")
        self.resolve_error.setWordWrap(True)
        self.resolve_error.setStyleSheet("color: #8c1414")
        self.resolve_error.hide()
        column.addWidget(self.resolve_error)
        column.addStretch(1)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([360, 720])
        self.keep_this.clicked.connect(lambda: self._keep("kept"))
        self.keep_other.clicked.connect(lambda: self._keep("other"))
        self.keep_typed.clicked.connect(lambda: self._keep("typed"))
        self.new_value.returnPressed.connect(lambda: self._keep("typed"))
        return splitter

    def _side(
        self, title: str, key: str, button_text: str
    ) -> tuple[QGroupBox, QLabel, QLabel, QPushButton]:
        box = QGroupBox(title)
        box.setObjectName(f"{key}_side")
        column = QVBoxLayout(box)
        value = QLabel()
        value.setObjectName(f"{key}_value")
        value.setWordWrap(True)
        font = value.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        value.setFont(font)
        by = QLabel()
        by.setObjectName(f"{key}_by")
        by.setWordWrap(True)
        button = QPushButton(button_text)
        button.setObjectName(f"keep_{key}")
        column.addWidget(value)
        column.addWidget(by)
        column.addWidget(button)
        return box, value, by, button

    def _quarantine_tab(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        note = QLabel(
            self.tr(
                "These changes could not be applied; the rest of the sync went on without "
                "them. Read the reason and put things right, then retry a change received "
                "from HQ, or dismiss the entry."
            )
        )
        note.setWordWrap(True)
        column.addWidget(note)
        self.quarantine_list = QListWidget()
        self.quarantine_list.setObjectName("quarantine")
        self.quarantine_list.setWordWrap(True)
        column.addWidget(self.quarantine_list, 1)
        self.quarantine_hint = QLabel()
        self.quarantine_hint.setObjectName("quarantine_hint")
        self.quarantine_hint.setWordWrap(True)
        self.quarantine_hint.hide()
        column.addWidget(self.quarantine_hint)
        self.quarantine_message = QLabel()
        self.quarantine_message.setObjectName("quarantine_message")
        self.quarantine_message.setWordWrap(True)
        self.quarantine_message.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        column.addWidget(self.quarantine_message)
        buttons = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setObjectName("retry")
        self.retry_button.setEnabled(False)
        self.retry_button.setToolTip(
            self.tr("Apply the change again, once what stopped it has been put right.")
        )
        self.retry_button.clicked.connect(self.retry)
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setObjectName("dismiss")
        self.dismiss_button.setEnabled(False)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.quarantine_list.currentRowChanged.connect(self._quarantine_selected)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        return page

    def _quarantine_selected(self, row: int) -> None:
        entry = self.quarantine[row] if 0 <= row < len(self.quarantine) else None
        self.dismiss_button.setEnabled(entry is not None and self.may_resolve)
        pulled = entry is not None and entry.direction != "push"
        self.retry_button.setEnabled(
            pulled and self.may_resolve and self.service is not None and not self._retrying
        )
        if entry is not None and not pulled:
            self.quarantine_hint.setText(
                self.tr(
                    "HQ refused this change, and would refuse the same change sent again: "
                    "ask HQ to settle it. To change the record, edit it again here; the new "
                    "edit is sent with the next sync."
                )
            )
        self.quarantine_hint.setVisible(entry is not None and not pulled)

    # -- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the state, the open conflicts and the quarantined changes afresh."""
        if not self.ctx.signed_in:
            return
        self._pending_loads = 2
        service, workspace = self.service, self.ctx.workspace
        if service is not None:
            self._pending_loads += 1
            self.ctx.run(
                lambda _s, _a: service.state(workspace), self._show_state, self._load_failed
            )
        self.ctx.run(load_conflicts, self._show_conflicts, self._load_failed)
        self.ctx.run(quarantined, self._show_quarantine, self._load_failed)

    def _loaded(self) -> None:
        self._pending_loads -= 1
        if self._pending_loads <= 0:
            self.sig_loaded.emit()

    def _load_failed(self, error: BaseException) -> None:
        self.message.setText(error_text(error))
        self._loaded()

    def _show_state(self, state: SyncStateView) -> None:
        self.state = state
        self.enrolment.show_state(state.enrolled, state.server)
        self.sync_button.setEnabled(state.enrolled and not self._running())
        self.last_sync.setText(
            self._when(state.last_success) if state.last_success else self.tr("never")
        )
        self.waiting.setText(f"{state.waiting:,}")
        self.conflict_count.setText(f"{state.conflicts:,}")
        self.quarantine_count.setText(f"{state.quarantined:,}")
        if not self._running():
            self.sig_status.emit(self.tr("Offline") if self.offline else self._status_text(state))
        self._loaded()

    def _show_conflicts(self, items: list[ConflictItem]) -> None:
        current = self._current_conflict()
        self.conflicts = items
        self.conflict_list.blockSignals(True)
        self.conflict_list.clear()
        for item in items:
            row = QListWidgetItem(f"{self._record_text(item)} — {field_label(item.conflict.field)}")
            row.setData(Qt.ItemDataRole.UserRole, item.conflict.id)
            self.conflict_list.addItem(row)
        self.conflict_list.blockSignals(False)
        ids = [i.conflict.id for i in items]
        row = ids.index(current.conflict.id) if current and current.conflict.id in ids else 0
        self.conflict_list.setCurrentRow(row if items else -1)
        self._show_conflict(self.conflict_list.currentRow())
        self.tabs.setTabText(0, self.tr("Conflicts ({count})").format(count=len(items)))
        self._loaded()

    def _show_quarantine(self, rows: list[QuarantineView]) -> None:
        row = self.quarantine_list.currentRow()
        current = self.quarantine[row].id if 0 <= row < len(self.quarantine) else None
        self.quarantine = rows
        self.quarantine_list.blockSignals(True)
        self.quarantine_list.clear()
        for entry in rows:
            direction = (
                self.tr("Sent by this laptop")
                if entry.direction == "push"
                else self.tr("Received from HQ")
            )
            text = self.tr("{record} — {direction}, {when}\nReason: {reason}").format(
                record=self._table_label(entry.table_name),
                direction=direction,
                when=self._when(entry.created_at),
                reason=isolated(entry.reason),
            )
            self.quarantine_list.addItem(text)
        self.quarantine_list.blockSignals(False)
        ids = [entry.id for entry in rows]
        self.quarantine_list.setCurrentRow(ids.index(current) if current in ids else -1)
        self._quarantine_selected(self.quarantine_list.currentRow())
        self.tabs.setTabText(1, self.tr("Quarantined changes ({count})").format(count=len(rows)))
        self._loaded()

    # -- conflicts ----------------------------------------------------------------------

    def _current_conflict(self) -> ConflictItem | None:
        row = self.conflict_list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _show_conflict(self, _row: int) -> None:
        item = self._current_conflict()
        for widget in (self.kept_box, self.other_box, self.new_value, self.keep_typed):
            widget.setVisible(item is not None)
        self.resolve_error.hide()
        if item is None:
            self.conflict_title.setText(self.tr("No open conflicts: every value agrees with HQ."))
            return
        c = item.conflict
        self.conflict_title.setText(
            self.tr("{record}: {field}").format(
                record=self._record_text(item), field=field_label(c.field)
            )
        )
        self.kept_value.setText(self._value_text(c, c.current))
        self.other_value.setText(self._value_text(c, c.other))
        self.kept_by.setText(self.tr("Written on {device}").format(device=c.current_by))
        self.other_by.setText(
            self.tr("Written on {device}; set aside on {when}").format(
                device=c.other_by, when=self._when(c.created_at)
            )
        )
        for button in (self.keep_this, self.keep_other, self.keep_typed):
            button.setEnabled(self.may_resolve)
            if not self.may_resolve:
                button.setToolTip(self.tr("Only a branch manager or HQ can resolve a conflict."))
        self.new_value.setEnabled(self.may_resolve)

    def _keep(self, which: str) -> None:
        item = self._current_conflict()
        if item is None or not self.may_resolve:
            return
        c = item.conflict
        if which == "kept":
            value = c.current
        elif which == "other":
            value = c.other
        else:
            text = self.new_value.text().strip()
            if not text:
                self._resolve_failed(self.tr("Type the value to keep, or pick one of the two."))
                return
            value = self._typed_value(text, c.current if c.current is not None else c.other)
            if value is None:
                self._resolve_failed(self.tr("This field takes a whole number, e.g. 5."))
                return
        self.ctx.run(
            lambda s, a: resolve_conflict(s, a, c.id, value),
            lambda _r: self._resolved(),
            lambda error: self._resolve_failed(error_text(error)),
            changes=set(EVERYTHING),
            owner=self,
        )

    @staticmethod
    def _typed_value(text: str, like: Any) -> Any:
        """The typed text as the field's kind of value (a number stays a number)."""
        if isinstance(like, bool) or not isinstance(like, int):
            return text
        try:
            return int(normalize_digits(text))
        except ValueError:
            return None

    def _resolved(self) -> None:
        self.new_value.clear()
        self.message.setText(self.tr("Resolved. The value kept reaches HQ with the next sync."))
        self.refresh()

    def _resolve_failed(self, text: str) -> None:
        self.resolve_error.setText(text)
        self.resolve_error.show()

    def dismiss(self) -> None:
        row = self.quarantine_list.currentRow()
        if not 0 <= row < len(self.quarantine) or not self.may_resolve:
            return
        entry_id = self.quarantine[row].id
        self.ctx.run(
            lambda s, a: dismiss_quarantined(s, a, entry_id),
            lambda _r: self.refresh(),
            lambda error: self.message.setText(error_text(error)),
            changes={Change.SYNC},
            owner=self,
        )

    def retry(self) -> None:
        """Apply the chosen quarantined change again (a change pulled from HQ)."""
        row = self.quarantine_list.currentRow()
        service = self.service
        if not 0 <= row < len(self.quarantine) or not self.may_resolve or service is None:
            return
        entry_id = self.quarantine[row].id
        self._retrying = True
        self.retry_button.setEnabled(False)
        self.quarantine_message.setText(self.tr("Applying the change again…"))
        self.ctx.run(
            lambda s, a: service.retry_quarantined(s, a, entry_id),
            self._retried,
            self._retry_failed,
            # An applied change may touch any record on show.
            changes=set(EVERYTHING),
            owner=self,
        )

    def _retried(self, result: RetryView) -> None:
        self._retrying = False
        if not result.applied:
            text = self.tr("It still cannot be applied, so it stays here. Reason: {reason}")
            self.quarantine_message.setText(text.format(reason=isolated(result.reason or "")))
        elif result.rows:
            self.quarantine_message.setText(
                self.tr("The change is applied now and has left the list.")
            )
        else:
            self.quarantine_message.setText(
                self.tr(
                    "Nothing was left to apply: the record already holds newer values from "
                    "HQ. The entry has left the list."
                )
            )
        self.refresh()

    def _retry_failed(self, error: BaseException) -> None:
        self._retrying = False
        self.quarantine_message.setText(error_text(error))
        self.refresh()

    # -- enrolment and sync -------------------------------------------------------------

    def enrol(self, form: Enrolment) -> None:
        """Enrol this laptop with HQ as the form asks (checked by the form)."""
        if self.runner is None or not self.may_enrol:
            return
        if self.runner.enrol(
            self.ctx.actor, form.server, form.code, form.name, form.ca_file, form.pin
        ):
            self.enrol_button.setEnabled(False)
            self.sync_button.setEnabled(False)
            self.message.setText(self.tr("Enrolling this laptop with HQ…"))

    def _enrolled(self, actor: Actor) -> None:
        self.ctx.sign_in(actor)
        self.enrol_button.setEnabled(self.may_enrol)
        self.code.clear()
        self.message.setText(self.tr("This laptop is enrolled. Its branch's data is coming now."))
        self.ctx.sig_changed.emit({Change.SYNC, Change.SETTINGS})
        self.sync_now()

    def sync_now(self) -> None:
        """Start a sync now (nothing happens while one runs)."""
        if self.runner is not None:
            self.runner.start_sync(self.ctx.actor)

    def auto_sync(self) -> None:
        """A background sync when enrolled; skipped while one runs. Offline stays quiet."""
        if self.runner is None or not self.ctx.signed_in or self._running():
            return
        if self.state is not None and not self.state.enrolled:
            return
        self.runner.start_sync(self.ctx.actor, automatic=True)

    def _running(self) -> bool:
        return self.runner is not None and self.runner.running

    def _sync_started(self, automatic: bool) -> None:
        self.sync_button.setEnabled(False)
        self.enrol_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.restore_message.hide()
        if not automatic:
            self.message.setText(self.tr("Syncing with HQ…"))
        self.sig_status.emit(self.tr("Syncing…"))

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        names = {
            "push": self.tr("Sending changes"),
            "pull": self.tr("Receiving changes"),
            "files": self.tr("Receiving files"),
        }
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress.setFormat(f"{names.get(stage, stage)}: {done:,}")

    def _sync_finished(self, report: SyncReportView) -> None:
        self._sync_done()
        self.offline = False
        self.message.setText(
            self.tr(
                "Synced: {pushed} sent, {pulled} received; open conflicts: "
                "{conflicts}; quarantined: {quarantined}."
            ).format(
                pushed=count_phrase(report.pushed, CHANGE),
                pulled=report.pulled,
                conflicts=report.conflicts,
                quarantined=report.quarantined,
            )
        )
        if report.restore_message is not None:
            self.restore_message.setText(translate(report.restore_message, resent=report.resent))
            self.restore_message.show()
        self.ctx.sig_changed.emit(set(EVERYTHING))
        self.refresh()

    def _sync_failed(self, error: BaseException, automatic: bool) -> None:
        self._sync_done()
        offline = self.service is not None and self.service.is_offline(error)
        self.offline = offline
        field = error.field if isinstance(error, ValidationError) else None
        if field is not None and self.enrolment.refused(field, error_text(error)):
            # Enrolment input HQ's connection showed to be wrong: said beside its field.
            self.message.setText(self.tr("This laptop is not enrolled: see the field marked."))
        elif automatic and offline:
            self.sig_status.emit(self.tr("Offline"))
        else:
            self.message.setText(error_text(error))
            self.sig_status.emit(self.tr("Offline") if offline else self.tr("Sync failed"))
        self.enrol_button.setEnabled(self.may_enrol)
        self.refresh()

    def _sync_done(self) -> None:
        self.progress.hide()
        self.enrol_button.setEnabled(self.may_enrol)
        self.sync_button.setEnabled(self.state is None or self.state.enrolled)

    # -- text ---------------------------------------------------------------------------

    def _status_text(self, state: SyncStateView) -> str:
        if not state.enrolled:
            return ""
        parts = []
        if state.last_success is not None:
            local = self._local(state.last_success)
            parts.append(self.tr("Synced {time}").format(time=f"{local:%H:%M}"))
        if state.conflicts:
            parts.append(self.tr("{count} conflicts").format(count=state.conflicts))
        if state.quarantined:
            parts.append(self.tr("{count} quarantined").format(count=state.quarantined))
        return " · ".join(parts) or self.tr("Not synced yet")

    @staticmethod
    def _local(moment: datetime) -> datetime:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone()

    def _when(self, moment: datetime) -> str:
        local = self._local(moment)
        return f"{format_dual(local.date())} {local:%H:%M}"

    def _table_label(self, table: str) -> str:
        labels = {
            "beneficiary": self.tr("Beneficiary's file"),
            "support_request": self.tr("Support request"),
            "contact": self.tr("Contact"),
            "document_check": self.tr("Document check"),
            "service_delivery": self.tr("Service delivery"),
            "feedback": self.tr("Suggestion or complaint"),
            "satisfaction_survey": self.tr("Satisfaction survey"),
            "research_referral": self.tr("Referral to social research"),
            "research_report": self.tr("Social research report"),
            "household_member": self.tr("Household member"),
            "income_source": self.tr("Source of income"),
            "beneficiary_phone": self.tr("Phone number"),
            "interview": self.tr("Interview"),
            "reference_document": self.tr("Reference document"),
            "user_account": self.tr("User"),
            "branch": self.tr("Branch"),
        }
        return labels.get(table, table)

    def _record_text(self, item: ConflictItem) -> str:
        kind = self._table_label(item.conflict.table_name)
        return f"{kind}: {item.record_name}" if item.record_name else kind

    def _value_text(self, conflict: ConflictView, value: Any) -> str:
        if conflict.kind == "delete" and value is None:
            return self.tr("(deleted)")
        return display_value(conflict.field, value)
