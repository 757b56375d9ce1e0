"""The guided intake: one window that walks the interviewer through the policy's seven steps,
usable with the keyboard alone, and never loses what was typed (a draft is kept on disk)."""

from __future__ import annotations

import functools
import logging
from dataclasses import replace
from typing import Any

import shiboken6

from db.enums import InterviewStep
from romah_desktop.changes import Change
from romah_desktop.drafts import Draft, load_draft, new_draft, save_draft
from romah_desktop.drafts import discard_draft as discard_draft_file
from romah_desktop.grammar import for_gender
from romah_desktop.labels import label
from romah_desktop.protection import database_cipher
from romah_desktop.services.intake.interview import STEPS
from ui.context import AppContext
from ui.intake.base import StepPage
from ui.intake.pages import PAGES, DeliverPage
from ui.qt import QApplication, QCoreApplication, Qt, QTimer, QWidget, QWizard, Signal
from ui.widgets.form_rows import fit_to_screen
from ui.worker import Worker

log = logging.getLogger("romah.ui.intake")

DRAFT_KIND = "intake"
DRAFT_VERSION = 1
AUTOSAVE_MS = 400
"""Typing is saved this long after the last keystroke; a step done or a page changed, at once."""


def page_id(step: InterviewStep) -> int:
    """The wizard's page id of a step (1 to 7, in the policy's order)."""
    return STEPS.index(step) + 1


class IntakeWizard(QWizard):
    """Receive, verify, refer, declare, submit, register and deliver, one page per step.

    Each step's records are written when Next is pressed on it; from then on the step is done
    and its page is locked. Everything typed is kept in a draft (see romah_desktop.drafts)
    a moment after each change, at each step and on closing; the draft is removed when the
    intake ends. Raises DraftNotFound / DraftUnreadable when `draft_id` cannot be opened.
    """

    sig_draft_saved = Signal(str)
    """The draft was written to disk; the argument is its id."""

    sig_step_done = Signal(str)
    """A step's records were written; the argument is the step (an InterviewStep value)."""

    sig_finished = Signal(str)
    """The intake ended (service recorded or interview closed); the argument is the request id."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, draft_id: str | None = None
    ) -> None:
        # Read first: a draft that cannot be opened leaves no half-built window behind.
        files = database_cipher(ctx.workspace.db)
        draft = (
            load_draft(ctx.workspace.data_dir, draft_id, ctx.actor.username, cipher=files)
            if draft_id is not None
            else None
        )
        super().__init__(parent)
        self.ctx = ctx
        # Kept: the draft is saved once more after the user signed out.
        self.username = ctx.actor.username
        self.data_dir = ctx.workspace.data_dir
        self.files = files
        self.record: dict[str, Any] = {"done": []}
        self.draft: Draft | None = None
        self._dirty = False
        self._finished = False
        self._restoring = False
        self._delete_when_settled = False
        self.setObjectName("intake_wizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.IndependentPages)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        # Our own words with Latin access keys, the same in both languages (Alt+N is Next).
        # Not self.tr(): PySide would fall back to QWizard's own Arabic, keyed on Arabic letters.
        buttons = {
            QWizard.WizardButton.NextButton: QCoreApplication.translate("IntakeWizard", "&Next"),
            QWizard.WizardButton.BackButton: QCoreApplication.translate("IntakeWizard", "&Back"),
            QWizard.WizardButton.FinishButton: QCoreApplication.translate(
                "IntakeWizard", "&Finish"
            ),
            QWizard.WizardButton.CancelButton: QCoreApplication.translate(
                "IntakeWizard", "&Keep for later"
            ),
        }
        for which, text in buttons.items():
            self.setButtonText(which, text)
        # Fits a 1366×768 laptop screen under its taskbar; a step's fields scroll if need be.
        self.resize(960, 690)
        self.pages: dict[InterviewStep, StepPage] = {}
        for page_class in PAGES:
            page = page_class(self)
            self.setPage(page_id(page.step), page)
            self.pages[page.step] = page
            page.sig_changed.connect(self._changed)
        fit_to_screen(self)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft_now)
        self.currentIdChanged.connect(self._moved)
        ctx.sig_signed_out.connect(self._signed_out)
        ctx.sig_changed.connect(self._records_changed)
        self.update_title()
        if draft is not None:
            self._restore(draft)

    # --- moving through the steps -----------------------------------------------------------

    def page_of(self, step: InterviewStep) -> StepPage:
        return self.pages[step]

    def mark_done(self, step: InterviewStep) -> None:
        """The step's records are written: remember it (in the draft at once)."""
        if step.value not in self.record["done"]:
            self.record["done"].append(step.value)
        self.sig_step_done.emit(step.value)
        self.save_draft_now()

    def advance(self) -> None:
        """Go to the next step not done yet (steps done are passed by)."""
        self.next()
        while self.nextId() != -1 and self._current_done():
            self.next()

    def _first_open_page(self) -> int:
        open_steps = [s for s in STEPS if s.value not in self.record["done"]]
        return page_id(open_steps[0]) if open_steps else len(STEPS)

    def _current_done(self) -> bool:
        page = self.currentPage()
        return isinstance(page, StepPage) and page.done()

    def reopen(self, step: InterviewStep) -> None:
        """Do a step again (a renewed document, a new declaration): go back to it, unlocked."""
        self.record["done"] = [s for s in self.record["done"] if s != step.value]
        target = page_id(step)
        while self.currentId() > target:
            self.back()
        page = self.pages[step]
        page.set_locked(False)
        page.set_message("")
        reopen = getattr(page, "reopen", None)
        if callable(reopen):
            reopen()
        else:
            page.refresh()
        self.save_draft_now()

    def finish(self) -> None:
        """The intake ended: its draft is no longer needed; close the window."""
        self._finished = True
        self._autosave.stop()
        if self.draft is not None:
            discard_draft_file(self.data_dir, self.draft.id)
        self.sig_finished.emit(str(self.record.get("request_id") or ""))
        self.accept()

    def done(self, result: int) -> None:
        # Every way of closing (Keep for later, Escape, the window's X) passes here.
        if not self._finished:
            self.save_draft_now()
        if self.writing() and self.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose):
            # A step is being written: the window lives on, hidden, until its answer is in
            # the draft; otherwise the next start would write the step a second time.
            self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            self._delete_when_settled = True
        super().done(result)

    def writing(self) -> bool:
        """Whether a step's records are being written now."""
        return any(page.writing() for page in self.pages.values())

    def step_settled(self) -> None:
        """A step's write came back (recorded or refused)."""
        if self._delete_when_settled and not self.writing():
            self.deleteLater()

    def _signed_out(self) -> None:
        # The draft belongs to the user who started it; saving needs nobody signed in.
        self.close()

    def _records_changed(self, kinds: set[Change]) -> None:
        page = self.currentPage()
        if (
            isinstance(page, DeliverPage)
            and kinds & {Change.DECISION, Change.REQUEST}
            and not page.busy()
        ):
            page.refresh()

    def update_title(self) -> None:
        person = self.record.get("person_text")
        if person:
            name = str(person).split(" — ")[0]
            title = for_gender(
                self.record.get("gender"),
                self.tr("Guided intake — {person}"),
                self.tr("Guided intake — {person}", "feminine"),
            )
            self.setWindowTitle(title.format(person=name))
        else:
            self.setWindowTitle(self.tr("Guided intake"))

    # --- the draft ----------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Everything needed to come back to this intake: ids, steps done, what was typed."""
        return {
            "version": DRAFT_VERSION,
            "page": self.currentId() if self.currentId() > 0 else self._first_open_page(),
            "record": self.record,
            "pages": {step.value: page.dump() for step, page in self.pages.items()},
        }

    def _title(self) -> str:
        person = str(self.record.get("person_text") or "").split(" — ")[0]
        number = self.record.get("request_number")
        parts = [person or self.tr("Someone not chosen yet")]
        if number:
            parts.append(str(number))
        return " — ".join(parts)

    def _changed(self) -> None:
        if self._restoring or self._finished:
            return
        self._dirty = True
        self._autosave.start()

    def _moved(self, page: int) -> None:
        self.update_title()
        shown = self.currentPage()
        if isinstance(shown, StepPage) and shown.refresh_on_entry:
            shown.refresh()
        if page > 0 and not self._restoring:
            self.save_draft_now()

    def save_draft_now(self) -> None:
        """Write the draft now (nothing before the user typed anything)."""
        self._autosave.stop()
        if self._finished or self._restoring or not shiboken6.isValid(self):
            return
        if self.draft is None and not self._dirty and not self.record["done"]:
            return
        draft = self.draft or new_draft(self.username, DRAFT_KIND)
        draft = replace(draft, title=self._title(), data=self.snapshot())
        try:
            self.draft = save_draft(self.data_dir, draft, cipher=self.files)
        except OSError as error:
            log.warning("the intake draft could not be saved: %s", error)
            page = self.currentPage()
            if isinstance(page, StepPage):
                page.set_message(
                    self.tr("The draft could not be saved ({reason}).").format(
                        reason=error.strerror or type(error).__name__
                    ),
                    problem=True,
                )
            return
        self.sig_draft_saved.emit(self.draft.id)

    def _restore(self, draft: Draft) -> None:
        self._restoring = True
        try:
            self.draft = draft
            data = draft.data
            self.record = {"done": [], **dict(data.get("record", {}))}
            pages = dict(data.get("pages", {}))
            for step, page in self.pages.items():
                page.restore(dict(pages.get(step.value, {})))
            self.update_title()
            self.restart()
            # Continue at the first step not done (pages are entered only once done).
            while self.nextId() != -1 and self._current_done():
                self.next()
            for page in self.pages.values():
                if page.done():
                    page.show_done()
        finally:
            self._restoring = False


def step_title(draft: Draft) -> str:
    """The step a draft stopped at, by its name."""
    page = int(draft.data.get("page", 1))
    return label(STEPS[min(max(page, 1), len(STEPS)) - 1])


# The intakes open now (a window without a parent lives as long as it is listed here). Each
# leaves the list when it is destroyed: kept longer, it would hold the person it showed in
# memory after its user signed out.
_open: list[IntakeWizard] = []


def _destroyed(key: int, *_args: object) -> None:
    _open[:] = [wizard for wizard in _open if id(wizard) != key]


def open_intakes() -> list[IntakeWizard]:
    """Every intake window that still exists, shown or hidden (by the lock, or while a step
    is being written after it was closed)."""
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, IntakeWizard) and shiboken6.isValid(widget)
    ]


def save_open_intakes(worker: Worker, rounds: int = 5) -> None:
    """Before the user signs out: keep every open intake as a draft, so the next sign-in
    offers it again. A step still being written is let come back first (its answer is
    delivered only while its user is signed in); without it the draft would not know the step
    was recorded, and continuing would record it twice."""
    for _ in range(rounds):
        if not worker.busy or not any(wizard.writing() for wizard in open_intakes()):
            break
        worker.wait()
        QCoreApplication.sendPostedEvents()
    for wizard in open_intakes():
        wizard.save_draft_now()


def open_intake(
    ctx: AppContext, parent: QWidget | None = None, draft_id: str | None = None
) -> IntakeWizard:
    """Show a new intake, or the one continuing `draft_id` (brought to the front if it is
    open already). Raises DraftNotFound / DraftUnreadable."""
    _open[:] = [w for w in _open if shiboken6.isValid(w) and w.isVisible()]
    if draft_id is not None:
        for wizard in _open:
            if wizard.draft is not None and wizard.draft.id == draft_id:
                wizard.raise_()
                wizard.activateWindow()
                return wizard
    wizard = IntakeWizard(ctx, parent, draft_id)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open.append(wizard)
    # A partial holding the id, not the window: the connection must not keep it alive.
    wizard.destroyed.connect(functools.partial(_destroyed, id(wizard)))
    wizard.show()
    return wizard
