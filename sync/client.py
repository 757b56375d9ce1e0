"""The laptop's side of sync: enrol once, then push the outbox and pull HQ's feed.

Push sends the outbox in order, in batches; HQ answers each change with its sequence (or the
reason it was quarantined) and the laptop marks the batch pushed in one local transaction.
A batch cut off mid-way is simply sent again: HQ recognises (device, sequence) and changes
nothing. Pull asks for the feed after the laptop's cursor and applies each page together with
the new cursor in one transaction, while the next page is already on its way. Files (scans,
signatures) go up before the records that name them and come down after, by content hash, in
resumable chunks (`sync/downloads.py`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from pydantic_core import from_json

from db.base import utcnow
from db.engine import Database
from db.files import attachment_path
from db.hlc import ClockError
from db.local_state import local_value, set_local_value
from db.models import OutboxEntry, SyncConflict, SyncQuarantine
from db.models.local import LocalState
from db.outbox import HLC_STATE_KEY, prune
from romah_desktop import __version__
from romah_desktop.i18n import N_
from romah_desktop.protection import (
    database_cipher,
    intact_attachment,
    protect_folder,
    write_attachment,
)
from romah_desktop.services import audit
from sync import restores
from sync.apply import APPEND_ONLY, Applied, apply_page, room_for
from sync.codings import DICTIONARY_CODING
from sync.downloads import PartialDownload
from sync.merge import META_FIELDS
from sync.protocol import (
    APP_VERSION_HEADER,
    BLOB_CHUNK_BYTES,
    FILE_COLUMNS,
    MAX_CHANGES_PER_PUSH,
    MAX_PULL_PAGE,
    OFFSET_HEADER,
    TOTAL_HEADER,
    WAITING_HEADER,
    EnrolResponse,
    HeldResponse,
    MissingBlobsResponse,
    PullResponse,
    collector_paused,
    push_response,
)
from sync.quarantine import settled_at_hq
from sync.tls import HQTrust
from sync.transport import (
    FileRefused,
    NotEnrolled,
    SequenceReused,
    SyncProblem,
    Transport,
)

SERVER_KEY = "sync.server"
# How HQ's certificate is checked (sync.tls.HQTrust), as enrolment was told.
TRUST_KEY = "sync.trust"
CREDENTIAL_KEY = "sync.credential"
CURSOR_KEY = restores.CURSOR_KEY
MARK_KEY = restores.MARK_KEY
OWN_FROM_KEY = restores.OWN_FROM_KEY
LAST_SUCCESS_KEY = "sync.last_success"
WANTED_FILES_KEY = "sync.wanted_files"
# The push codings HQ said it reads (`sync.codings`), as its last first page of a pull said.
HQ_CODINGS_KEY = "sync.hq_codings"
# As many as HQ takes in one push: each push is one HQ transaction and one round trip.
PUSH_BATCH = MAX_CHANGES_PER_PUSH
PULL_PAGE = MAX_PULL_PAGE
# Pushed changes are deleted once HQ's verified backup holds them, or after this many days.
KEEP_PUSHED_DAYS = 90
# The most pages of freed space one sync hands back to the disk (on a database made with
# incremental auto-vacuum), so a sync after a large prune does not stall.
VACUUM_PAGES = 2000
# Columns that name a file by its content hash.
_OPS = {"insert": "i", "update": "u", "delete": "d"}

Progress = Callable[[str, int, int], None]
# A JSON string literal (UTF-8 kept), as json.dumps writes one.
_json_string = json.encoder.encode_basestring


@dataclass(frozen=True)
class _Outgoing:
    """One outbox entry on its way to HQ: `changes` decoded (the acknowledgement needs its
    fields), `body` the change as it travels, made from the stored JSON text as it is."""

    seq: int
    table_name: str
    row_id: str
    op: str
    changes: dict[str, Any]
    body: str


class _Diverged(Exception):
    """HQ's history is not the one this laptop saw: HQ was restored from a backup."""


# `SyncReport.restored`: what the sync found and repaired.
HQ_RESTORED = "hq"
LAPTOP_RESTORED = "laptop"
_RESTORE_MESSAGES = {
    HQ_RESTORED: N_(
        "HQ was restored from an older backup and had lost changes of this laptop: "
        "{resent} were sent to HQ again and this laptop took HQ's data afresh."
    ),
    LAPTOP_RESTORED: N_(
        "This laptop was restored from an older backup: its own later changes were taken "
        "back from HQ, and its new changes are numbered after them."
    ),
}


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    quarantined: int = 0
    files_sent: int = 0
    files_received: int = 0
    # HQ_RESTORED or LAPTOP_RESTORED when this sync found a restore and repaired it.
    restored: str | None = None
    # After HQ's restore: the changes (and whole records) sent again.
    resent: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "quarantined": self.quarantined,
            "resent": self.resent,
        }

    @property
    def restore_message(self) -> str | None:
        """What the restore found, untranslated (`N_`), to fill with `resent`; or None."""
        return _RESTORE_MESSAGES.get(self.restored or "")


@dataclass(frozen=True)
class SyncState:
    server: str | None
    enrolled: bool
    last_success: datetime | None
    waiting: int
    conflicts: int
    quarantined: int


# Built once, not at every sync: building a statement costs more than SQLite's answer.
_WAITING = sa.select(sa.func.count()).where(OutboxEntry.pushed_at.is_(None))
_OPEN_CONFLICTS = sa.select(sa.func.count()).where(
    SyncConflict.status == "open", SyncConflict.deleted_at.is_(None)
)
# What a sync reads as it ends: the open conflicts, the oldest acknowledged change still
# kept, and a restore's event waiting to be recorded.
_SETTLED = sa.select(
    _OPEN_CONFLICTS.scalar_subquery(),
    sa.select(sa.func.min(OutboxEntry.pushed_at))
    .where(OutboxEntry.pushed_at.is_not(None))
    .scalar_subquery(),
    sa.select(LocalState.value).where(LocalState.key == audit.DEFERRED_KEY).scalar_subquery(),
)
_OUTGOING = (
    sa.select(
        OutboxEntry.seq,
        OutboxEntry.table_name,
        OutboxEntry.row_id,
        OutboxEntry.op,
        sa.cast(OutboxEntry.changes, sa.Text),
        sa.cast(OutboxEntry.base, sa.Text),
        OutboxEntry.hlc,
        OutboxEntry.user_id,
    )
    .where(OutboxEntry.pushed_at.is_(None), OutboxEntry.seq > sa.bindparam("after"))
    .order_by(OutboxEntry.seq)
    .limit(sa.bindparam("batch"))
)


def _waiting(connection: sa.Connection) -> int:
    return int(connection.execute(_WAITING).scalar_one())


def _open_conflicts(connection: sa.Connection) -> int:
    return int(connection.execute(_OPEN_CONFLICTS).scalar_one())


class SyncClient:
    """Sync of one laptop database with HQ."""

    def __init__(
        self,
        db: Database,
        attachments_dir: Path,
        client: httpx.Client | None = None,
        push_batch: int = PUSH_BATCH,
        pull_page: int = PULL_PAGE,
        *,
        keep_pushed_days: int = KEEP_PUSHED_DAYS,
    ) -> None:
        self.db = db
        self.attachments_dir = attachments_dir
        self._client = client
        self.push_batch = push_batch
        self.pull_page = pull_page
        self.keep_pushed_days = keep_pushed_days
        self._transport: Transport | None = None
        # By this laptop's clock: the changes HQ acknowledged before it are in HQ's last
        # verified backup (None: HQ has not said).
        self._durable_before: datetime | None = None
        self._incremental: bool | None = None  # whether the database gives freed space back
        # A push found that HQ lost changes it had acknowledged (see `_push`).
        self._hq_lost = False

    # -- state --------------------------------------------------------------------------

    def _setting(self, key: str) -> str | None:
        with self.db.engine.connect() as connection:
            return local_value(connection, key)

    def transport(self) -> Transport:
        if self._transport is None:
            with self.db.engine.connect() as connection:
                server, credential, trust, codings = (
                    local_value(connection, key)
                    for key in (SERVER_KEY, CREDENTIAL_KEY, TRUST_KEY, HQ_CODINGS_KEY)
                )
            if not server or not credential:
                raise NotEnrolled(
                    N_("This laptop is not enrolled with HQ yet: enrol it on the Sync screen.")
                )
            self._transport = Transport(
                server,
                credential,
                self._client,
                trust=HQTrust.loads(trust),
                pressed=DICTIONARY_CODING in (codings or "").split(","),
            )
        return self._transport

    def close(self) -> None:
        if self._transport is not None and self._client is None:
            self._transport.close()
        self._transport = None

    def state(self) -> SyncState:
        with self.db.engine.connect() as connection:
            last = local_value(connection, LAST_SUCCESS_KEY)
            waiting = _waiting(connection)
            conflicts = _open_conflicts(connection)
            quarantined = connection.execute(
                sa.select(sa.func.count()).where(SyncQuarantine.dismissed_at.is_(None))
            ).scalar_one()
            return SyncState(
                server=local_value(connection, SERVER_KEY),
                enrolled=local_value(connection, CREDENTIAL_KEY) is not None,
                last_success=datetime.fromisoformat(last) if last else None,
                waiting=waiting,
                conflicts=conflicts,
                quarantined=quarantined,
            )

    # -- a whole sync -------------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> SyncReport:
        """Push everything waiting, then pull everything new. Safe to repeat or interrupt."""
        report = SyncReport()
        with self.db.engine.connect() as connection:  # a quiet sync's one read before HQ
            at: restores.Standing | None = restores.standing(connection, WANTED_FILES_KEY)
        if at is not None and at.waiting:
            self._push(report, progress)
            at = None  # read again after the push
        try:
            if self._hq_lost:
                raise _Diverged
            files = self._pull(report, progress, at)
        except _Diverged:
            self._repair_hq(report)
            self._push(report, progress)
            files = self._pull(report, progress)
        if files:
            self._download_files(report, progress)
        with self.db.engine.begin() as connection:  # one trip to the database, not two
            set_local_value(connection, LAST_SUCCESS_KEY, utcnow().isoformat())
            conflicts, oldest, deferred = connection.execute(_SETTLED).one()
            report.conflicts = int(conflicts)
            reclaim = self._prune_outbox(connection, oldest)
        if deferred is not None:  # a restore's own event, numbered after the changes taken back
            with self.db.transaction() as session:
                audit.record_deferred(session)
        if report.pulled:
            self.db.after_sync()
        if reclaim:
            self._give_space_back()
        return report

    def _prune_outbox(self, connection: sa.Connection, oldest: datetime | None) -> bool:
        """Delete the pushed changes HQ can no longer need again: those before HQ's last
        verified backup, and any older than the retention. Whether freed space waits to go
        back to the disk (only a database made with incremental auto-vacuum gives it back;
        in an older one, new changes reuse the freed pages)."""
        before = utcnow() - timedelta(days=self.keep_pushed_days)
        if self._durable_before is not None:
            before = max(before, self._durable_before)
        # Most syncs have nothing old enough to prune: the oldest acknowledgement (`oldest`,
        # read from the index on pushed_at) says so at once (the prune's own search walks
        # the whole outbox, which grows with every change the laptop ever made).
        if oldest is not None and oldest < before:
            prune(connection, before)
        if self._incremental is None:  # set when the database was made
            self._incremental = connection.exec_driver_sql("PRAGMA auto_vacuum").scalar() == 2
        return self._incremental and bool(
            connection.exec_driver_sql("PRAGMA freelist_count").scalar()
        )

    def _give_space_back(self) -> None:
        """Hand back up to VACUUM_PAGES free pages (the rest at the next syncs)."""
        with self.db.engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            # As a script: the driver's execute() steps the pragma once, freeing one page.
            driver.executescript(f"PRAGMA incremental_vacuum({VACUUM_PAGES});")

    # -- push ---------------------------------------------------------------------------

    def _push(self, report: SyncReport, progress: Progress | None) -> None:
        """Send the outbox in order, one batch in flight at a time. While HQ merges one, the
        laptop reads the next and acknowledges the one before; a sync cut off in between sends
        the batch not acknowledged again (HQ answers as before)."""
        total = 0
        if progress:  # only the progress needs the count; a quiet sync skips the query
            with self.db.engine.connect() as connection:
                total = _waiting(connection)
        with collector_paused():
            entries = self._outgoing()
        if not entries:
            return
        if self._hq_lost_changes():
            # Sent now, a change to a record HQ lost would be refused; the sync repairs HQ
            # first (`sync()`).
            self._hq_lost = True
            return
        with ThreadPoolExecutor(1, "romah-push") as sender:
            self._upload_files(entries, report)
            sent = sender.submit(self._send, entries)
            while True:
                after: list[_Outgoing] = []
                if len(entries) == self.push_batch:  # a full batch: there may be more
                    with collector_paused():
                        after = self._outgoing(entries[-1].seq)
                results: list[Any] | None
                try:
                    results = sent.result()
                except SequenceReused as exc:
                    self._renumber(exc.highest)
                    # HQ holds later changes of this device than this laptop: it was restored
                    # from an older backup, and takes those changes back at the pull.
                    self._take_own_back(report)
                    with collector_paused():
                        after = self._outgoing()
                    results = None
                if after:
                    self._upload_files(after, report)
                    sent = sender.submit(self._send, after)
                if results is not None:
                    with collector_paused():
                        self._acknowledge(entries, results, report)
                    report.pushed += len(entries)
                    if progress:
                        progress("push", report.pushed, max(total, report.pushed))
                if not after:
                    return
                entries = after

    def _send(self, entries: Sequence[_Outgoing]) -> list[Any]:
        """A batch to HQ, and HQ's answer for each of its changes."""
        body = '{"changes":[' + ",".join(e.body for e in entries) + "]}"
        response = self.transport().push(body.encode(), len(entries))
        return list(push_response.decode(response.content).results)

    def _hq_lost_changes(self) -> bool:
        """Whether HQ no longer holds changes of this laptop it acknowledged (HQ was restored
        from a backup): asked before new changes go, which may build on the lost ones."""
        with self.db.engine.connect() as connection:
            acknowledged = restores.highest_pushed(connection)
        if not acknowledged:
            return False
        response = self.transport().call(
            "GET", "/v1/held", params={"low": acknowledged, "high": acknowledged}
        )
        return HeldResponse.model_validate_json(response.content).own < acknowledged

    def _outgoing(self, after: int = 0) -> list[_Outgoing]:
        """The next batch of the outbox after the change numbered `after`: JSON as stored goes
        on the wire, and only `changes` is decoded (with the fast parser)."""
        with self.db.engine.connect() as connection:
            rows = connection.execute(_OUTGOING, {"after": after, "batch": self.push_batch}).all()
        text = _json_string
        return [
            _Outgoing(
                seq,
                table_name,
                row_id,
                op,
                from_json(changes),
                f'{{"s":{seq},"t":{text(table_name)},"r":{text(row_id)},"o":"{_OPS[op]}",'
                f'"c":{changes},"b":{base},"h":{text(hlc)}'
                + ("}" if user_id is None else f',"u":{text(user_id)}}}'),
            )
            for seq, table_name, row_id, op, changes, base, hlc, user_id in rows
        ]

    def _acknowledge(
        self, entries: Sequence[_Outgoing], results: Sequence[Any], report: SyncReport
    ) -> None:
        by_seq = {r.s: r for r in results}
        # (table, fields that took) → [(row id, HQ sequence)]
        patches: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
        quarantined: list[dict[str, Any]] = []
        now = utcnow()
        for entry in entries:
            result = by_seq.get(entry.seq)
            if result is None:
                raise SyncProblem(N_("HQ's answer left out some changes; sync again."))
            if result.q is not None:
                quarantined.append(
                    {
                        "direction": "push",
                        "table_name": entry.table_name,
                        "row_id": entry.row_id,
                        "change": {"seq": entry.seq, "op": entry.op, "changes": entry.changes},
                        "reason": result.q,
                        "created_at": now,
                    }
                )
                continue
            fields = result.w if result.w is not None else list(entry.changes)
            versioned = tuple(f for f in fields if f not in META_FIELDS)
            if versioned and entry.table_name not in APPEND_ONLY:
                patches.setdefault((entry.table_name, versioned), []).append(
                    {"row": entry.row_id, "g": result.g}
                )
        with self.db.engine.begin() as connection:
            connection.execute(
                sa.update(OutboxEntry)
                .where(OutboxEntry.seq <= entries[-1].seq, OutboxEntry.pushed_at.is_(None))
                .values(pushed_at=now)
            )
            for (table_name, versioned), rows in patches.items():
                # The patch {field: sequence, ...} is built by SQLite from one template per
                # field set, not serialised row by row in Python.
                pairs = ", ".join("'" + f.replace("'", "''") + "', :g" for f in versioned)
                connection.exec_driver_sql(  # SQLite's own named parameters, row by row
                    f'UPDATE "{table_name}" SET field_versions = json_patch('
                    f"coalesce(field_versions, '{{}}'), json_object({pairs})) WHERE id = :row",
                    rows,
                )
            if quarantined:
                connection.execute(sa.insert(SyncQuarantine), quarantined)
        report.quarantined += len(quarantined)

    def _renumber(self, highest: int) -> None:
        """Move unsent changes above the numbers HQ already holds for this device (after an
        old backup was restored, its outbox numbers were handed out again)."""
        with self.db.engine.begin() as connection:
            lowest = connection.execute(
                sa.select(sa.func.min(OutboxEntry.seq)).where(OutboxEntry.pushed_at.is_(None))
            ).scalar()
            top = connection.execute(sa.select(sa.func.max(OutboxEntry.seq))).scalar() or 0
            if lowest is None:
                return
            shift = max(highest, top) + 1 - lowest
            connection.execute(
                sa.update(OutboxEntry)
                .where(OutboxEntry.pushed_at.is_(None))
                .values(seq=OutboxEntry.seq + shift)
            )

    # -- pull ---------------------------------------------------------------------------

    def _pull(
        self, report: SyncReport, progress: Progress | None, at: restores.Standing | None = None
    ) -> bool:
        """Pull every page after the cursor (from where the laptop stands, `at`, when read
        already); whether files its records name wait."""
        if at is None:
            with self.db.engine.connect() as connection:
                at = restores.standing(connection, WANTED_FILES_KEY)
        cursor, own_from, files = at.cursor, at.own_from, at.wanted_files
        report_headers = {APP_VERSION_HEADER: __version__, WAITING_HEADER: str(at.waiting)}
        first = True
        # The next page travels (and HQ reads it) while this one is applied.
        ahead: Future[tuple[PullResponse, datetime]] | None = None
        with ThreadPoolExecutor(1, "romah-pull") as fetcher:
            while True:
                if ahead is not None:
                    page, asked = ahead.result()
                else:  # the first page tells HQ this laptop's app version and changes waiting
                    headers = report_headers if first else None
                    page, asked = self._fetch_page(cursor, own_from, headers)
                ahead = None
                if first:
                    first = False
                    if self._first_page(page, at):
                        self._take_own_back(report)
                        own_from = self._setting(OWN_FROM_KEY)
                        continue
                if page.more:
                    ahead = fetcher.submit(self._fetch_page, page.next, own_from, None)
                files = files or bool(self._wanted_files(page.entries))
                applied = self._apply_pulled(page, asked, cursor, own_from)
                cursor = page.next
                report.pulled += len(page.entries)
                report.quarantined += applied.quarantined
                if progress:
                    progress("pull", report.pulled, report.pulled + (1 if page.more else 0))
                if not page.more:
                    return files

    def _first_page(self, page: PullResponse, at: restores.Standing) -> bool:
        """Check the first page of a pull against where the laptop stood (`at`): raises
        _Diverged when HQ's history is not the one it saw; whether the laptop was restored
        from an older backup of itself (HQ holds later changes of this device than it
        numbered). Keeps what the page tells for next time: HQ's history, and which push
        codings HQ reads (a push uses the dictionary coding only once HQ has said so). A
        quiet sync finds nothing new to keep, and writes nothing."""
        if restores.diverged(page, at):
            raise _Diverged
        kept = restores.news(page, at)
        transport = self.transport()
        pressed = DICTIONARY_CODING in (page.codings or ())
        if pressed != transport.pressed:
            transport.pressed = pressed
            kept[HQ_CODINGS_KEY] = ",".join(page.codings or ())
        if kept:
            with self.db.engine.begin() as connection:
                for key, value in kept.items():
                    set_local_value(connection, key, value)
        return at.own_from is None and (page.own or 0) > at.highest_seq

    def _fetch_page(
        self, cursor: int, own_from: str | None, headers: dict[str, str] | None
    ) -> tuple[PullResponse, datetime]:
        """The page of the feed after `cursor`, and when it was asked for."""
        asked = utcnow()
        params: dict[str, Any] = {"after": cursor, "limit": self.pull_page}
        if own_from is not None:
            params["own_from"] = own_from
        response = self.transport().call("GET", "/v1/pull", params=params, headers=headers)
        return PullResponse.model_validate_json(response.content), asked

    def _apply_pulled(
        self, page: PullResponse, asked: datetime, cursor: int, own_from: str | None
    ) -> Applied:
        """Apply a page and move the cursor past it in one transaction: a pull cut off (or
        killed) anywhere resumes from the last page applied whole."""
        if page.durable_age is not None:
            # HQ says how long ago, not when: this laptop's clock may be wrong, and
            # counting back from before the request errs on the side of keeping.
            self._durable_before = asked - timedelta(seconds=page.durable_age)
        applied = Applied()
        # Nothing new (a quiet sync): no write transaction.
        if page.entries or page.next != cursor:
            with (
                self.db.engine.connect() as connection,
                room_for(connection, len(page.entries)),
                connection.begin(),
            ):
                # Begun here, not by the first write: the driver would otherwise let the
                # page's first savepoint open (and its release commit) a transaction of its
                # own, apart from the cursor's.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                applied = apply_page(connection, page.entries)
                settled_at_hq(connection, page.entries)
                wanted = self._wanted_files(page.entries)
                if wanted:
                    known = json.loads(local_value(connection, WANTED_FILES_KEY) or "[]")
                    set_local_value(
                        connection, WANTED_FILES_KEY, json.dumps(sorted({*known, *wanted}))
                    )
                if applied.max_hlc:
                    self._observe_clock(connection, applied.max_hlc)
                set_local_value(connection, CURSOR_KEY, str(page.next))
                if page.mark is not None:
                    set_local_value(connection, MARK_KEY, page.mark)
                if own_from is not None and not page.more:
                    restores.own_taken_back(connection, self._device_id())
        elif own_from is not None and not page.more:
            with self.db.engine.begin() as connection:
                restores.own_taken_back(connection, self._device_id())
        return applied

    # -- restores (sync/restores.py) --------------------------------------------------

    def _take_own_back(self, report: SyncReport) -> None:
        response = self.transport().call("GET", "/v1/held", params={"low": 0, "high": 0})
        own = HeldResponse.model_validate_json(response.content).own
        with self.db.engine.begin() as connection:
            restores.take_own_back(connection, own)
        report.restored = report.restored or LAPTOP_RESTORED

    def _repair_hq(self, report: SyncReport) -> None:
        """HQ was restored from a backup: ask which of this device's changes it holds, queue
        the rest again, and start the pull over (see `sync/restores.py`)."""
        with self.db.engine.connect() as connection:
            top = restores.highest_seq(connection)
        response = self.transport().call("GET", "/v1/held", params={"low": 1, "high": max(top, 1)})
        held = HeldResponse.model_validate_json(response.content)
        device = self.db.device
        with self.db.engine.begin() as connection:
            report.resent += restores.repair_after_hq_restore(
                connection, device.device_id if device else None, held.runs, held.own
            )
        report.restored = HQ_RESTORED
        self._hq_lost = False

    def _device_id(self) -> str | None:
        return self.db.device.device_id if self.db.device is not None else None

    def _observe_clock(self, connection: sa.Connection, stamp: str) -> None:
        device = self.db.device
        if device is None:
            return
        try:
            device.clock.receive(stamp)
        except ClockError:
            return
        set_local_value(connection, HLC_STATE_KEY, device.clock.last)

    @staticmethod
    def _wanted_files(entries: Sequence[Any]) -> set[str]:
        wanted: set[str] = set()
        for entry in entries:
            column = FILE_COLUMNS.get(entry.t)
            value = entry.d.get(column) if column else None
            if isinstance(value, str) and len(value) == 64:
                wanted.add(value)
        return wanted

    # -- files --------------------------------------------------------------------------

    def _upload_files(self, entries: Sequence[_Outgoing], report: SyncReport) -> None:
        hashes = sorted(self._wanted_files_in_changes(entries))
        if not hashes:
            return
        response = self.transport().call("POST", "/v1/blobs/missing", data={"hashes": hashes})
        missing = MissingBlobsResponse.model_validate_json(response.content).missing
        cipher = database_cipher(self.db)
        for sha256, offset in missing.items():
            # HQ gets the plaintext (over TLS): it checks the hash and serves other laptops,
            # each of which encrypts with its own key.
            data = intact_attachment(self.attachments_dir, sha256, cipher)
            if data is None:
                continue  # a file this laptop never had (or damaged); HQ will lack it too
            try:
                self._upload(data, sha256, offset)
            except FileRefused as refused:
                # One file HQ will not take must not stop the branch's sync: it is shown in
                # the quarantine with HQ's reason, and the records that name it still go.
                self._quarantine_file(sha256, len(data), refused.text("en"))
                report.quarantined += 1
                continue
            report.files_sent += 1

    def _quarantine_file(self, sha256: str, size: int, reason: str) -> None:
        with self.db.engine.begin() as connection:
            connection.execute(
                sa.insert(SyncQuarantine).values(
                    direction="push",
                    table_name="file",
                    row_id=sha256[:36],
                    change={"sha256": sha256, "size": size},
                    reason=reason,
                    created_at=utcnow(),
                )
            )

    @staticmethod
    def _wanted_files_in_changes(entries: Sequence[_Outgoing]) -> set[str]:
        found: set[str] = set()
        for entry in entries:
            column = FILE_COLUMNS.get(entry.table_name)
            value = entry.changes.get(column) if column else None
            if isinstance(value, str) and len(value) == 64:
                found.add(value)
        return found

    def _upload(self, data: bytes, sha256: str, offset: int) -> None:
        total = len(data)
        while offset < total or total == 0:
            chunk = data[offset : offset + BLOB_CHUNK_BYTES]
            response = self.transport().call(
                "PUT",
                f"/v1/blobs/{sha256}",
                content=chunk,
                headers={OFFSET_HEADER: str(offset), TOTAL_HEADER: str(total)},
            )
            offset = int(response.json()["received"])
            if total == 0:
                break

    def _download_files(self, report: SyncReport, progress: Progress | None) -> None:
        wanted: list[str] = json.loads(self._setting(WANTED_FILES_KEY) or "[]")
        remaining = [h for h in wanted if not attachment_path(self.attachments_dir, h).exists()]
        cipher = database_cipher(self.db) if remaining else None
        for index, sha256 in enumerate(remaining, 1):
            assert cipher is not None
            target = attachment_path(self.attachments_dir, sha256)
            protect_folder(target.parent)
            part = target.with_name(target.name + ".part")
            received = PartialDownload(part, sha256, cipher)
            have = received.size()
            headers = {"Range": f"bytes={have}-"} if have else {}
            try:
                response = self.transport().call("GET", f"/v1/blobs/{sha256}", headers=headers)
            except SyncProblem:
                continue  # HQ does not hold it yet (the laptop that has it has not synced)
            # A lasting .part, not db.files.write_atomically: a download cut off mid-way
            # resumes from what the .part holds, and only the whole file, once its hash
            # checks, is stored (encrypted) in its place.
            data = received.add(response.content, restart=response.status_code != 206)
            if hashlib.sha256(data).hexdigest() != sha256:
                part.unlink(missing_ok=True)
                continue
            write_attachment(self.attachments_dir, data, cipher)
            part.unlink(missing_ok=True)
            report.files_received += 1
            if progress:
                progress("files", index, len(remaining))
        left = [h for h in wanted if not attachment_path(self.attachments_dir, h).exists()]
        if left != wanted:
            with self.db.engine.begin() as connection:
                set_local_value(connection, WANTED_FILES_KEY, json.dumps(left))


def enrol_request(
    server: str,
    code: str,
    device_id: str,
    name: str,
    prefix: str,
    branch_code: str | None,
    client: httpx.Client | None = None,
    signing_key: str | None = None,
    trust: HQTrust | None = None,
) -> EnrolResponse:
    """Ask HQ to enrol this laptop; returns the credential and the branch's record.

    `signing_key` is the public key the laptop signs printed papers with; HQ registers it.
    `trust` says how HQ's certificate is checked. Raises CertificateRefused, Offline, or
    SyncProblem with HQ's reason."""
    data: dict[str, Any] = {
        "code": code,
        "device_id": device_id,
        "name": name,
        "prefix": prefix,
        "branch_code": branch_code,
    }
    if signing_key is not None:
        data["signing_key"] = signing_key
    transport = Transport(server, client=client, trust=trust)
    try:
        response = transport.call("POST", "/v1/enrol", data=data)
    finally:
        if client is None:
            transport.close()
    return EnrolResponse.model_validate_json(response.content)


def save_enrolment(
    connection: sa.Connection,
    server: str,
    device_id: str,
    token: str,
    trust: HQTrust | None = None,
) -> None:
    """Keep HQ's address, how its certificate is checked, and the laptop's credential."""
    set_local_value(connection, SERVER_KEY, server.rstrip("/"))
    set_local_value(connection, TRUST_KEY, (trust or HQTrust()).dumps())
    set_local_value(connection, CREDENTIAL_KEY, f"{device_id}.{token}")
    set_local_value(connection, CURSOR_KEY, "0")
