"""What every screen shares: the workspace, the signed-in user, the worker and the change hook."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
import sqlalchemy.exc
from sqlalchemy.orm import Session

from romah_desktop.changes import Change
from romah_desktop.errors import RomahError
from romah_desktop.services.context import Actor
from romah_desktop.workspace import Workspace
from ui.qt import QCoreApplication, QObject, Signal
from ui.worker import Worker

T = TypeVar("T")
log = logging.getLogger("romah.ui")


class AppContext(QObject):
    """Runs use cases on the worker for the signed-in user and announces what they changed."""

    sig_changed = Signal(object)
    """A write finished; the argument is the set of `Change`s it made. Its listeners are the
    screens of the session: signing out disconnects them all."""

    sig_signed_out = Signal()
    """The user signed out; screens must forget what they show. Emitted once per session,
    after which every listener of this context is disconnected."""

    def __init__(self, workspace: Workspace, worker: Worker) -> None:
        super().__init__()
        self.workspace = workspace
        self.worker = worker
        self._actor: Actor | None = None

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            raise RuntimeError("no user is signed in")
        return self._actor

    @property
    def signed_in(self) -> bool:
        return self._actor is not None

    def sign_in(self, actor: Actor) -> None:
        self._actor = actor

    def sign_out(self) -> None:
        """End the session: screens forget what they show, then none of them hears from this
        context again (a window of the user who left must not be refreshed, or kept alive, by
        a later write)."""
        self._actor = None
        self.sig_signed_out.emit()
        for name in ("sig_changed(PyObject)", "sig_signed_out()"):
            self._disconnect_all(name)

    def _disconnect_all(self, signature: str) -> None:
        meta = self.metaObject()
        signal = meta.method(meta.indexOfSignal(signature))
        # Disconnecting a signal that has no listener is an error in PySide.
        if self.isSignalConnected(signal):
            getattr(self, signature.split("(")[0]).disconnect()

    def run(
        self,
        use_case: Callable[[Session, Actor], T],
        on_done: Callable[[T], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        changes: set[Change] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Run `use_case(session, actor)` in one transaction on the worker.

        Success calls `on_done(result)` on the GUI thread and, for a write (`changes`), then
        tells every screen through `sig_changed`. Failure calls `on_failed(error)`. Callbacks
        are skipped once `owner` (default: a bound callback's object) is deleted, or while no
        one, or another user, is signed in; the change announcement is not.
        """
        if changes and not all(isinstance(change, Change) for change in changes):
            # A misspelt kind would leave every screen silently stale: refuse it at once.
            raise TypeError(f"changes must be Change members, not {changes!r}")
        actor = self.actor
        workspace = self.workspace
        if owner is None:
            bound = getattr(on_done or on_failed, "__self__", None)
            owner = bound if isinstance(bound, QObject) else None
        # What the job and its answer need, emptied once the answer is delivered: the worker's
        # wrappers of a finished job may outlive it, and must not keep a screen (or what it
        # showed, or what was looked up) in memory after its user signed out.
        held: dict[str, Any] = {
            "use_case": use_case,
            "on_done": on_done,
            "on_failed": on_failed,
            "owner": owner,
        }

        def job() -> T:
            with workspace.transaction() as session:
                return held["use_case"](session, actor)  # type: ignore[no-any-return]

        def alive() -> bool:
            # A result read for a user who has since signed out is shown to no one else (the
            # same user back after the lock still gets it).
            current = self._actor
            receiver = held["owner"]
            return (
                current is not None
                and current.user_id == actor.user_id
                and (receiver is None or shiboken6.isValid(receiver))
            )

        def done(result: Any) -> None:
            try:
                if held["on_done"] is not None and alive():
                    held["on_done"](result)
            finally:
                held.clear()
            if changes:
                self.sig_changed.emit(set(changes))

        def failed(error: BaseException) -> None:
            try:
                if held["on_failed"] is None:
                    log.error("background use case failed", exc_info=error)
                elif alive():
                    held["on_failed"](error)
            finally:
                held.clear()

        self.worker.submit(job, done, failed)


def is_database_locked(error: BaseException) -> bool:
    """Whether `error` is SQLite refusing to write because another program holds the file."""
    if isinstance(error, sqlalchemy.exc.OperationalError):
        error = error.orig or error
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error).lower()


def error_text(error: BaseException) -> str:
    """One sentence for a person: the error's own message, or a plain apology with its kind."""
    if isinstance(error, RomahError):
        return error.text()
    if is_database_locked(error):
        return QCoreApplication.translate(
            "errors",
            "The database is busy (another program is using it), so nothing was saved. "
            "Try again in a moment.",
        )
    return QCoreApplication.translate(
        "errors", "Something went wrong ({kind}). Nothing was lost; the log has the details."
    ).format(kind=type(error).__name__)
