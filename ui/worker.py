"""Database work off the GUI thread: one worker, one job at a time, results back by signal.

SQLite allows one writer; running every job on a single background thread serialises
database access without locks, and the window never waits for the disk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6

from ui.qt import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger("romah.ui.worker")


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker arrive here queued."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_done: Callable[[Any], None] | None,
        on_failed: Callable[[BaseException], None] | None,
        finished: Callable[[_Relay], None],
        owner: QObject | None,
    ) -> None:
        super().__init__()
        self._owner = owner
        self._on_done = on_done
        self._on_failed = on_failed
        self._finished = finished
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)

    def _owner_gone(self) -> bool:
        # A screen closed while its job ran: there is nobody left to show the result to.
        return self._owner is not None and not shiboken6.isValid(self._owner)

    @Slot(object)
    def _deliver_done(self, result: Any) -> None:
        try:
            if self._on_done is not None and not self._owner_gone():
                self._on_done(result)
        finally:
            self._let_go()

    @Slot(object)
    def _deliver_failed(self, error: BaseException) -> None:
        try:
            if self._on_failed is not None and not self._owner_gone():
                self._on_failed(error)
            else:
                log.error("background job failed", exc_info=error)
        finally:
            self._let_go()

    def _let_go(self) -> None:
        # Delivered: what the callbacks captured (a screen, its rows, a password typed into
        # the sign-in) must not live on with this relay.
        self._on_done = self._on_failed = None
        self._owner = None
        self._finished(self)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn: Callable[[], Any] | None = fn
        self._relay: _Relay | None = relay

    def run(self) -> None:
        fn, relay = self._fn, self._relay
        # The thread pool may keep a finished job; it keeps nothing the job captured.
        self._fn = self._relay = None
        assert fn is not None and relay is not None
        try:
            result = fn()
        except BaseException as error:  # delivered to the caller, never lost in the thread
            relay.failed.emit(error)
        else:
            relay.done.emit(result)


class Worker(QObject):
    """Runs callables on one background thread; callbacks run on the GUI thread."""

    sig_busy = Signal(bool)
    """True when the first job starts waiting, False when the last one has been delivered."""

    sig_idle = Signal()
    """Every submitted job has finished and its callback has run."""

    def __init__(self) -> None:
        super().__init__()
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._relays: set[_Relay] = set()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Run `fn()` in the background; then `on_done(result)` or `on_failed(error)` here.

        The callbacks are skipped if `owner` (default: the object of a bound-method callback)
        has been deleted by then.
        """
        if owner is None:
            bound = getattr(on_done or on_failed, "__self__", None)
            owner = bound if isinstance(bound, QObject) else None
        relay = _Relay(on_done, on_failed, self._finished, owner)
        if not self._relays:
            self.sig_busy.emit(True)
        self._relays.add(relay)
        self._pool.start(_Job(fn, relay))

    def _finished(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        relay.deleteLater()
        if not self._relays:
            self.sig_busy.emit(False)
            self.sig_idle.emit()

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the background thread is done (for shutting down)."""
        return self._pool.waitForDone(msecs)
