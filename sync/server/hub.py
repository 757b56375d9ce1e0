"""HQ's sync hub: one object over HQ's database that the HTTP routes, the command line and
the tests call. It only delegates; each job lives in its own module:

* `sync/server/devices.py` — who may sync: branches, users, enrolment, device credentials;
* `sync/server/push.py` — accepting a laptop's changes (`checks.py`: the checks of each);
* `sync/server/people.py` — national IDs, and the duplicate-person cases they open;
* `sync/server/feed.py` — the feed a laptop pulls;
* `sync/server/admin.py` — conflicts, quarantined changes and duplicate people at HQ;
* `sync/server/blobs.py` — which attachments HQ holds;
* `sync/server/store.py` — the write lock, rows, sequences and batched writes they share;
* `sync/merge.py` — how concurrent edits are decided (the same rule on the laptop).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from db.base import utcnow
from db.keys import Credentials
from sync.protocol import PushedChange, PushResult
from sync.server import admin, blobs, devices, feed, push
from sync.server.store import TABLES, DeviceAuth, Refused, Store

__all__ = ["TABLES", "DeviceAuth", "Hub", "Refused"]


class Hub(Store):
    """HQ's data and rules over one database (PostgreSQL or SQLite)."""

    # -- devices and enrolment ----------------------------------------------------------

    def authenticate(self, header: str | None) -> DeviceAuth:
        """The device behind an `Authorization: Bearer <token>` header (or, from an older
        laptop, `Bearer <device id>.<token>`)."""
        return devices.authenticate(self, header)

    def add_branch(self, code: str, name: str, phone: str | None = None) -> str:
        """Add a branch; returns its id."""
        return devices.add_branch(self, code, name, phone)

    def branch_id(self, code: str) -> str:
        """The id of the branch with `code`."""
        return devices.branch_id_of(self, code)

    def add_user(
        self, username: str, full_name: str, role: str, branch_code: str, credentials: Credentials
    ) -> str:
        """Add a user account (with their password's hash and key pair) to a branch; returns
        its id."""
        return devices.add_user(self, username, full_name, role, branch_code, credentials)

    def reset_password(self, username: str, credentials: Credentials) -> str:
        return devices.reset_password(self, username, credentials)

    def new_enrolment_code(self, branch_code: str) -> str:
        """A one-time code (valid a week) that binds one laptop to the branch."""
        return devices.new_enrolment_code(self, branch_code)

    def enrol(
        self,
        code: str,
        device_id: str,
        name: str,
        prefix: str,
        branch_code: str | None,
        signing_key: str | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """Bind a laptop to the code's branch, registering the key it signs papers with;
        returns its credential and the branch row."""
        return devices.enrol(
            self, code, device_id, name, prefix, branch_code, signing_key=signing_key
        )

    def revoke_device(self, device_id: str) -> None:
        """Stop a laptop from syncing."""
        devices.revoke_device(self, device_id)

    # -- push and pull ------------------------------------------------------------------

    def push(self, device: DeviceAuth, changes: Sequence[PushedChange]) -> list[PushResult]:
        """Merge a batch of a laptop's changes; idempotent by (device, device sequence)."""
        return push.push(self, device, changes)

    def pull_json(
        self,
        device: DeviceAuth,
        after: int,
        limit: int,
        own_from: int | None = None,
        codings: bool = False,
        connection: sa.Connection | None = None,
    ) -> bytes:
        """The feed after `after` that this device may see, as a `PullResponse` body (with
        its own changes numbered after `own_from` too, when given, and with the push codings
        HQ reads when `codings`), read on `connection` when given."""
        if connection is None:
            with self.engine.connect() as connection:
                return feed.pull_json(self, connection, device, after, limit, own_from, codings)
        return feed.pull_json(self, connection, device, after, limit, own_from, codings)

    def held_runs(
        self, device: DeviceAuth, low: int, high: int
    ) -> tuple[list[tuple[int, int, str]], int]:
        """Which of `device`'s sequences from `low` to `high` HQ holds (runs of first, last
        and the clock stamp of the last), and the highest it holds at all."""
        with self.engine.connect() as connection:
            return (
                self.held(connection, device.id, low, high),
                self.own_highest(connection, device.id),
            )

    def backup_verified(self, at: datetime | None = None) -> datetime:
        """Record that HQ's backup taken at `at` (default now) restores: laptops may then
        forget the changes HQ had acknowledged before it. A time without a zone is UTC.
        Returns the time recorded."""
        when = at or utcnow()
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
        with self.writing() as connection:
            self.set_durable_at(connection, when)
        return when

    # -- administration -----------------------------------------------------------------

    def conflicts(self, status: str = "open") -> list[dict[str, Any]]:
        """The conflicts with `status`, oldest first."""
        return admin.conflicts(self, status)

    def resolve_conflict(self, conflict_id: str, value: Any, by: str) -> None:
        """Settle a conflict at HQ with the chosen value."""
        admin.resolve_conflict(self, conflict_id, value, by)

    def quarantined(self) -> list[dict[str, Any]]:
        """The changes HQ set aside, oldest first."""
        return admin.quarantined(self)

    def duplicates(self, status: str = "open") -> list[dict[str, Any]]:
        """The duplicate-person cases with `status`."""
        return admin.duplicates(self, status)

    def merge_duplicate(self, case_id: int, keep_row_id: str, note: str | None = None) -> None:
        """Keep one file of a duplicated person; the others are closed."""
        admin.merge_duplicate(self, case_id, keep_row_id, note)

    # -- attachments --------------------------------------------------------------------

    def blobs_present(self, hashes: Sequence[str]) -> set[str]:
        """Which of `hashes` HQ holds."""
        return blobs.blobs_present(self, hashes)

    def blob_received(self, sha256: str, size: int) -> None:
        """Record that HQ now holds the file with content hash `sha256`."""
        blobs.blob_received(self, sha256, size)
