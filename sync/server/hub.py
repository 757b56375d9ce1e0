"""HQ's rules: who may sync, how a pushed change is merged, and what each laptop pulls.

Every push runs in one transaction holding HQ's write lock (a PostgreSQL advisory lock, or
SQLite's single writer), so HQ sequences are handed out and committed in order: a laptop that
has pulled up to sequence N can never later meet a change numbered N or below. The database,
not process memory, is the source of truth, so several server processes can share it.

Merging follows the sync contract. For each field of a pushed change: if HQ's version of the
field is not newer than the version the laptop based its edit on, it is a plain update;
otherwise the edit was concurrent, and when the values differ the larger clock stamp (which
ends with the device id) wins everywhere while the other value is kept as a `sync_conflict`
record for a person to resolve. A delete that raced an edit it had not seen, and an edit that
raced a delete, also become conflicts. Changes that cannot be applied are quarantined with
their reason and the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic_core import from_json, to_json

from db.base import AppendOnly, Base, Synced
from db.hlc import ClockError, HybridClock, Stamp
from db.ids import new_id
from db.outbox import ROW_VERSION_KEY
from sync.protocol import Change, PushResult, collector_paused
from sync.server.schema import (
    hq_blob,
    hq_branch,
    hq_change,
    hq_device,
    hq_duplicate,
    hq_enrolment,
    hq_meta,
    hq_person_key,
    hq_quarantine,
    hq_row,
)

MAX_CLOCK_AHEAD = timedelta(hours=36)
ENROLMENT_VALID_FOR = timedelta(days=7)
HQ_DEVICE_KEY = "hq_device_id"
HQ_CLOCK_KEY = "hq_clock"
# Stamps and bookkeeping every change carries; they never conflict.
META_FIELDS = frozenset({"hlc", "updated_at", "id", "origin_device_id", "created_at"})
# Reference data every branch receives; laptops may publish it (the role is checked there).
SHARED_TABLES = frozenset({"reference_document"})
# Records only HQ administration writes.
HQ_TABLES = frozenset({"branch"})
_LOCK_KEY = 7_261_301


class Refused(Exception):
    """A request HQ will not serve, with the HTTP status and a reason a person can read."""

    def __init__(self, status: int, reason: str, code: str = "refused", **detail: Any) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.code = code
        self.detail = detail or None


@dataclass(frozen=True)
class TableRule:
    columns: frozenset[str]
    append_only: bool


def _table_rules() -> dict[str, TableRule]:
    import db.models  # noqa: F401  (registers every model)

    rules: dict[str, TableRule] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if not issubclass(cls, Synced):
            continue
        table = mapper.local_table
        assert isinstance(table, sa.Table)
        columns = frozenset(c.name for c in table.columns) - Synced.LOCAL_COLUMNS
        rules[table.name] = TableRule(columns, issubclass(cls, AppendOnly))
    return rules


TABLES = _table_rules()


@dataclass(frozen=True)
class DeviceAuth:
    id: str
    branch_id: str


@dataclass
class _Row:
    scope: str | None
    data: dict[str, Any]
    versions: dict[str, int]
    new: bool
    dirty: bool = False


@dataclass
class _Batch:
    """The state of one push while it is merged in memory, written out at the end."""

    connection: sa.Connection
    next_seq: int
    rows: dict[tuple[str, str], _Row]
    changes: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    writers: dict[int, tuple[str, str]] = field(default_factory=dict)  # seq → (hlc, device)
    national_ids: list[tuple[str, str, str | None]] = field(default_factory=list)
    # Each pushed change's digest by object identity, worked out once per push.
    digests: dict[int, str] = field(default_factory=dict)
    # One arrival time for the whole push (it is one transaction).
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def digest(self, change: Change) -> str:
        found = self.digests.get(id(change))
        return found if found is not None else digest(change)

    def take_seq(self) -> int:
        seq = self.next_seq
        self.next_seq += 1
        return seq


# The same text as json.dumps(..., sort_keys=True, default=str), without a new encoder per call.
_digest_text = json.JSONEncoder(sort_keys=True, default=str).encode


def digest(change: Change) -> str:
    body = _digest_text([change.t, change.r, change.o, change.c])
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def _json(value: Any) -> str:
    """A JSON column's text, as the engine's serialiser writes it (compact, UTF-8 kept),
    made in one fast call: a push of thousands of changes serialises tens of thousands."""
    return to_json(value).decode()


def _now() -> datetime:
    return datetime.now(UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Hub:
    """HQ's data and rules over one database (PostgreSQL or SQLite)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        with self.engine.begin() as connection:
            if self.postgres:
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))
            else:
                # Take SQLite's write lock now, not at the first write: two processes that
                # both read first would otherwise fail to upgrade their locks.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield connection

    def _meta(self, connection: sa.Connection, key: str) -> str | None:
        return connection.execute(
            sa.select(hq_meta.c.value).where(hq_meta.c.key == key)
        ).scalar_one_or_none()

    def _set_meta(self, connection: sa.Connection, key: str, value: str) -> None:
        updated = connection.execute(
            sa.update(hq_meta).where(hq_meta.c.key == key).values(value=value)
        ).rowcount
        if not updated:
            connection.execute(sa.insert(hq_meta).values(key=key, value=value))

    def hq_device_id(self, connection: sa.Connection) -> str:
        device_id = self._meta(connection, HQ_DEVICE_KEY)
        if device_id is None:
            device_id = new_id()
            self._set_meta(connection, HQ_DEVICE_KEY, device_id)
        return device_id

    def _clock(self, connection: sa.Connection) -> HybridClock:
        return HybridClock(self.hq_device_id(connection), self._meta(connection, HQ_CLOCK_KEY))

    # -- authentication -----------------------------------------------------------------

    def authenticate(self, header: str | None) -> DeviceAuth:
        """The device behind an `Authorization: Bearer <device id>.<token>` header."""
        if not header or not header.startswith("Bearer "):
            raise Refused(401, "This request has no device credential; enrol the laptop first.")
        device_id, _, token = header.removeprefix("Bearer ").partition(".")
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(hq_device).where(hq_device.c.id == device_id)
            ).one_or_none()
        if row is None or not hmac.compare_digest(row.token_sha256, _token_hash(token)):
            raise Refused(401, "The device credential is not valid; enrol the laptop again.")
        if row.revoked_at is not None:
            raise Refused(
                403,
                "HQ has revoked this laptop; it can no longer sync. Its data stays on it: "
                "ask HQ to enrol it again.",
                code="revoked",
            )
        return DeviceAuth(row.id, row.branch_id)

    # -- administration -----------------------------------------------------------------

    def add_branch(self, code: str, name: str, phone: str | None = None) -> str:
        code = code.strip().upper()
        if not (2 <= len(code) <= 10 and code.isascii() and code.isalnum()):
            raise Refused(400, "The branch code is 2 to 10 Latin letters or digits, e.g. RYD.")
        if not name.strip():
            raise Refused(400, "The branch needs a name.")
        branch_id = new_id()
        with self._writing() as connection:
            exists = connection.execute(
                sa.select(hq_branch.c.id).where(hq_branch.c.code == code)
            ).first()
            if exists:
                raise Refused(409, f"Branch {code} exists already.")
            connection.execute(sa.insert(hq_branch).values(id=branch_id, code=code))
            values = {"code": code, "name": name.strip(), "phone": phone, "address": None}
            self._write_as_hq(connection, "branch", branch_id, values, scope=branch_id)
        return branch_id

    def branch_id(self, code: str) -> str:
        with self.engine.connect() as connection:
            branch_id = connection.execute(
                sa.select(hq_branch.c.id).where(hq_branch.c.code == code.strip().upper())
            ).scalar_one_or_none()
        if branch_id is None:
            raise Refused(404, f"There is no branch {code.strip().upper()}.")
        return str(branch_id)

    def branch_row(self, connection: sa.Connection, branch_id: str) -> dict[str, Any]:
        data = connection.execute(
            sa.select(hq_row.c.data).where(
                hq_row.c.table_name == "branch", hq_row.c.row_id == branch_id
            )
        ).scalar_one()
        return dict(data)

    def add_user(
        self, username: str, full_name: str, role: str, branch_code: str, password_hash: str
    ) -> str:
        branch_id = self.branch_id(branch_code)
        user_id = new_id()
        with self._writing() as connection:
            for (data,) in connection.execute(
                sa.select(hq_row.c.data).where(hq_row.c.table_name == "user_account")
            ):
                if data.get("username") == username:
                    raise Refused(409, f"The user name {username} is taken.")
            values = {
                "username": username,
                "full_name": full_name,
                "role": role,
                "branch_id": branch_id,
                "password_hash": password_hash,
                "active": True,
            }
            self._write_as_hq(connection, "user_account", user_id, values, scope=branch_id)
        return user_id

    def new_enrolment_code(self, branch_code: str) -> str:
        """A one-time code (valid a week) that binds one laptop to the branch."""
        branch_id = self.branch_id(branch_code)
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        raw = "".join(secrets.choice(alphabet) for _ in range(12))
        code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(
                sa.insert(hq_enrolment).values(
                    code_sha256=_token_hash(code.replace("-", "")),
                    branch_id=branch_id,
                    created_at=now,
                    expires_at=now + ENROLMENT_VALID_FOR,
                )
            )
        return code

    def enrol(
        self, code: str, device_id: str, name: str, prefix: str, branch_code: str | None
    ) -> tuple[str, dict[str, Any]]:
        """Bind a laptop to the code's branch; returns its credential and the branch row."""
        key = _token_hash(code.strip().upper().replace("-", "").replace(" ", ""))
        token = secrets.token_urlsafe(32)
        now = _now()
        with self._writing() as connection:
            row = connection.execute(
                sa.select(hq_enrolment).where(hq_enrolment.c.code_sha256 == key)
            ).one_or_none()
            if row is None:
                raise Refused(403, "This enrolment code is not valid. Check it with HQ.")
            if row.used_at is not None:
                raise Refused(
                    403, "This enrolment code has been used already; ask HQ for a new one."
                )
            if row.expires_at.replace(tzinfo=row.expires_at.tzinfo or UTC) < now:
                raise Refused(403, "This enrolment code has expired; ask HQ for a new one.")
            branch = self.branch_row(connection, row.branch_id)
            if branch_code and branch_code.upper() != branch["code"]:
                raise Refused(
                    409,
                    f"This laptop belongs to branch {branch_code.upper()}, "
                    f"but the code is for branch {branch['code']}.",
                )
            taken = connection.execute(
                sa.select(hq_device.c.id).where(
                    sa.or_(
                        hq_device.c.id == device_id,
                        sa.and_(
                            hq_device.c.branch_id == row.branch_id,
                            hq_device.c.prefix == prefix,
                        ),
                    )
                )
            ).first()
            if taken:
                raise Refused(
                    409,
                    "Another laptop of this branch is enrolled with the same device id or number "
                    "prefix; this one cannot be enrolled as it is.",
                )
            connection.execute(
                sa.insert(hq_device).values(
                    id=device_id,
                    branch_id=row.branch_id,
                    name=name,
                    prefix=prefix,
                    token_sha256=_token_hash(token),
                    enrolled_at=now,
                )
            )
            connection.execute(
                sa.update(hq_enrolment)
                .where(hq_enrolment.c.code_sha256 == key)
                .values(used_at=now, device_id=device_id)
            )
        branch["id"] = row.branch_id
        return token, branch

    def revoke_device(self, device_id: str) -> None:
        with self.engine.begin() as connection:
            updated = connection.execute(
                sa.update(hq_device)
                .where(hq_device.c.id == device_id, hq_device.c.revoked_at.is_(None))
                .values(revoked_at=_now())
            ).rowcount
        if not updated:
            raise Refused(404, f"There is no enrolled, unrevoked device {device_id}.")

    # -- push ---------------------------------------------------------------------------

    def push(self, device: DeviceAuth, changes: Sequence[Change]) -> list[PushResult]:
        """Merge a batch of a laptop's changes; idempotent by (device, device sequence)."""
        if not changes:
            return []
        # Worked out before taking the write lock: other laptops' pushes wait while it is held.
        digests = {id(c): digest(c) for c in changes}
        with collector_paused(), self._writing() as connection:
            seen = self._already_received(connection, device.id, changes, digests)
            fresh = [c for c in changes if c.s not in seen]
            results = {c.s: seen[c.s] for c in changes if c.s in seen}
            if fresh:
                results.update(self._merge_batch(connection, device, fresh, digests))
            connection.execute(
                sa.update(hq_device).where(hq_device.c.id == device.id).values(last_seen_at=_now())
            )
        return [results[c.s] for c in changes]

    def _already_received(
        self,
        connection: sa.Connection,
        device_id: str,
        changes: Sequence[Change],
        known: dict[int, str] | None = None,
    ) -> dict[int, PushResult]:
        seqs = [c.s for c in changes]
        cache = known or {}
        digests = {c.s: cache.get(id(c)) or digest(c) for c in changes}
        found: dict[int, tuple[PushResult, str | None]] = {}
        # By range, then picked here: an IN list of thousands of numbers cost more to build
        # and compile than the (device, sequence) index scan it stands for.
        wanted, low, high = set(seqs), min(seqs), max(seqs)
        for row in connection.execute(
            sa.select(
                hq_change.c.device_seq, hq_change.c.seq, hq_change.c.won, hq_change.c.digest
            ).where(hq_change.c.device_id == device_id, hq_change.c.device_seq.between(low, high))
        ):
            if row.device_seq in wanted:
                result = PushResult(s=row.device_seq, g=row.seq, w=row.won)
                found[row.device_seq] = (result, row.digest)
        for held in connection.execute(
            sa.select(
                hq_quarantine.c.device_seq, hq_quarantine.c.reason, hq_quarantine.c.digest
            ).where(
                hq_quarantine.c.device_id == device_id,
                hq_quarantine.c.device_seq.between(low, high),
            )
        ):
            if held.device_seq in wanted:
                found[held.device_seq] = (PushResult(s=held.device_seq, q=held.reason), held.digest)
        reused = [s for s, (_, d) in found.items() if d is not None and d != digests[s]]
        if reused:
            highest = max(
                connection.execute(
                    sa.select(sa.func.max(hq_change.c.device_seq)).where(
                        hq_change.c.device_id == device_id
                    )
                ).scalar()
                or 0,
                connection.execute(
                    sa.select(sa.func.max(hq_quarantine.c.device_seq)).where(
                        hq_quarantine.c.device_id == device_id
                    )
                ).scalar()
                or 0,
            )
            raise Refused(
                409,
                "This laptop is sending changes under sequence numbers HQ already holds with "
                "other content (was an old backup restored?). It will renumber and send again.",
                code="sequence_reused",
                highest=highest,
            )
        return {s: result for s, (result, _) in found.items()}

    def _load_rows(
        self, connection: sa.Connection, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], _Row]:
        # By table and id, so the lookup uses hq_row's primary key (table_name, row_id): by
        # id alone it would read the whole table for every push.
        by_table: dict[str, set[str]] = {}
        for table, row_id in keys:
            by_table.setdefault(table, set()).add(row_id)
        rows: dict[tuple[str, str], _Row] = {}
        chunks = [
            (table, sorted(ids)[start : start + 900])
            for table, ids in by_table.items()
            for start in range(0, len(ids), 900)
        ]
        for table, chunk in chunks:
            for row in connection.execute(
                sa.select(
                    hq_row.c.table_name,
                    hq_row.c.row_id,
                    hq_row.c.scope,
                    # As text, decoded here by the fast parser (fresh dicts, as merging needs).
                    sa.cast(hq_row.c.data, sa.Text),
                    sa.cast(hq_row.c.versions, sa.Text),
                ).where(hq_row.c.table_name == table, hq_row.c.row_id.in_(chunk))
            ):
                data, versions = from_json(row[3]), from_json(row[4])
                rows[(row[0], row[1])] = _Row(row[2], data, versions, new=False)
        return rows

    def _head(self, connection: sa.Connection) -> int:
        return int(connection.execute(sa.select(sa.func.max(hq_change.c.seq))).scalar() or 0)

    def _merge_batch(
        self,
        connection: sa.Connection,
        device: DeviceAuth,
        changes: list[Change],
        digests: dict[int, str] | None = None,
    ) -> dict[int, PushResult]:
        clock = self._clock(connection)
        batch = _Batch(
            connection,
            next_seq=self._head(connection) + 1,
            rows=self._load_rows(connection, ((c.t, c.r) for c in changes)),
            digests=digests or {},
        )
        hq = clock.device_id
        results: dict[int, PushResult] = {}
        for change in changes:
            reason = self._refusal(device, change, batch)
            if reason is None:
                try:
                    clock.receive(change.h)
                except ClockError:
                    reason = self._clock_reason(change.h)
            if reason is not None:
                batch.quarantined.append(
                    {
                        "device_id": device.id,
                        "device_seq": change.s,
                        "table_name": change.t,
                        "row_id": change.r,
                        "change": change.model_dump(),
                        "reason": reason,
                        "digest": batch.digest(change),
                        "received_at": batch.received_at,
                    }
                )
                results[change.s] = PushResult(s=change.s, q=reason)
                continue
            results[change.s] = self._merge(batch, device, change, clock, hq)
        self._write_batch(connection, batch)
        self._set_meta(connection, HQ_CLOCK_KEY, clock.last)
        return results

    @staticmethod
    def _clock_reason(stamp: str) -> str:
        try:
            seen = Stamp.parse(stamp)
        except ClockError:
            return f"The change carries a malformed clock stamp ({stamp[:40]})."
        ahead = seen.wall_ms / 1000 - _now().timestamp()
        return (
            f"The change is stamped {ahead / 3600:.0f} hours in the future; "
            "set the laptop's date and time correctly and sync again."
        )

    def _refusal(self, device: DeviceAuth, change: Change, batch: _Batch) -> str | None:
        rule = TABLES.get(change.t)
        if rule is None:
            return f"HQ does not know the table {change.t!r}."
        if not rule.columns.issuperset(change.c):
            unknown = set(change.c) - rule.columns
            return f"HQ does not know the field(s) {', '.join(sorted(unknown))} of {change.t}."
        if change.t in HQ_TABLES:
            return f"Only HQ changes {change.t} records."
        try:
            stamp = Stamp.parse(change.h)
        except ClockError:
            return f"The change carries a malformed clock stamp ({change.h[:40]})."
        if stamp.wall_ms / 1000 > (_now() + MAX_CLOCK_AHEAD).timestamp():
            return self._clock_reason(change.h)
        row = batch.rows.get((change.t, change.r))
        if row is None:
            if change.o != "i":
                return (
                    "HQ has no such record to change: its creation never arrived or was "
                    "refused (see the quarantined changes)."
                )
            scope = self._scope(change, device)
            if scope is not None and scope != device.branch_id:
                return "The record belongs to another branch."
            return None
        if row.scope is not None and row.scope != device.branch_id:
            return "The record belongs to another branch; this laptop may not change it."
        if rule.append_only and (change.o != "i" or row.data != {**row.data, **change.c}):
            return f"{change.t} records are append-only; a correction is a new record."
        return None

    @staticmethod
    def _scope(change: Change, device: DeviceAuth) -> str | None:
        if change.t in SHARED_TABLES:
            return None
        if change.t in ("user_account", "device"):
            branch = change.c.get("branch_id")
            return branch if isinstance(branch, str) else device.branch_id
        return device.branch_id

    def _merge(
        self, batch: _Batch, device: DeviceAuth, change: Change, clock: HybridClock, hq: str
    ) -> PushResult:
        device_id = device.id
        seq = batch.take_seq()
        batch.writers[seq] = (change.h, device_id)
        key = (change.t, change.r)
        row = batch.rows.get(key)
        if row is None:
            data = dict(change.c)
            data["id"] = change.r
            row = _Row(
                self._scope(change, device),
                data,
                {f: seq for f in change.c if f not in META_FIELDS},
                new=True,
            )
            batch.rows[key] = row
            self._note_person(batch, change, row)
            self._record(batch, seq, device_id, change, change.c, None, echo=True)
            return PushResult(s=change.s, g=seq)
        applied: dict[str, Any] = {}
        won: list[str] = []
        conflicts: list[dict[str, Any]] = []
        seen = change.b.get(ROW_VERSION_KEY, 0)
        for name, value in change.c.items():
            if name in META_FIELDS:
                continue
            current = row.versions.get(name, 0)
            if name not in row.data or current <= change.b.get(name, 0):
                if row.data.get(name) != value or name not in row.data:
                    row.data[name] = value
                    row.versions[name] = seq
                    applied[name] = value
                won.append(name)
            elif row.data.get(name) == value:
                won.append(name)
            else:
                writer_hlc, writer_device = self._writer(batch, current)
                if change.h > writer_hlc:
                    conflicts.append(
                        self._conflict(
                            change,
                            name,
                            value,
                            device_id,
                            change.h,
                            row.data.get(name),
                            writer_device,
                            writer_hlc,
                        )
                    )
                    row.data[name] = value
                    row.versions[name] = seq
                    applied[name] = value
                    won.append(name)
                else:
                    conflicts.append(
                        self._conflict(
                            change,
                            name,
                            row.data.get(name),
                            writer_device,
                            writer_hlc,
                            value,
                            device_id,
                            change.h,
                        )
                    )
                    applied[name] = row.data.get(name)
        delete_version = row.versions.get("deleted_at", 0)
        if change.o == "d":
            edits = [v for f, v in row.versions.items() if f != "deleted_at" and v != seq]
            newest = max(edits, default=0)
            if newest > seen:
                writer_hlc, writer_device = self._writer(batch, newest)
                conflicts.append(
                    self._conflict(
                        change,
                        "deleted_at",
                        change.c.get("deleted_at"),
                        device_id,
                        change.h,
                        None,
                        writer_device,
                        writer_hlc,
                        kind="delete",
                    )
                )
        elif (
            row.data.get("deleted_at") is not None
            and "deleted_at" not in change.c
            and delete_version > seen
            and applied
        ):
            writer_hlc, writer_device = self._writer(batch, delete_version)
            conflicts.append(
                self._conflict(
                    change,
                    "deleted_at",
                    row.data["deleted_at"],
                    writer_device,
                    writer_hlc,
                    None,
                    device_id,
                    change.h,
                    kind="delete",
                )
            )
        newer = change.h > str(row.data.get("hlc") or "")
        for name in ("hlc", "updated_at"):
            if name in change.c and row.data.get(name) != change.c[name]:
                if newer:
                    row.data[name] = change.c[name]
                # An older stamp does not take; the sender is sent the row's own back (the
                # entry is then no echo), or it would keep its older stamp.
                applied[name] = row.data.get(name)
        row.dirty = True
        if "national_id" in applied:
            self._note_person(batch, change, row)
        all_won = len(won) == len([f for f in change.c if f not in META_FIELDS])
        echo = all_won and all(change.c.get(f) == v for f, v in applied.items())
        self._record(batch, seq, device_id, change, applied, None if all_won else won, echo=echo)
        for conflict in conflicts:
            self._add_conflict(batch, conflict, row.scope, clock, hq)
        return PushResult(s=change.s, g=seq, w=None if all_won else won)

    def _writer(self, batch: _Batch, seq: int) -> tuple[str, str]:
        """The clock stamp and device of the change that set a field's current value."""
        found = batch.writers.get(seq)
        if found is None:
            row = batch.connection.execute(
                sa.select(hq_change.c.hlc, hq_change.c.device_id).where(hq_change.c.seq == seq)
            ).one()
            found = batch.writers[seq] = (row.hlc, row.device_id)
        return found

    def _conflict(
        self,
        change: Change,
        name: str,
        winner: Any,
        winner_device: str,
        winner_hlc: str,
        other: Any,
        other_device: str,
        other_hlc: str,
        kind: str | None = None,
    ) -> dict[str, Any]:
        return {
            "table_name": change.t,
            "row_id": change.r,
            "field": name,
            "kind": kind or ("transition" if name == "status" else "field"),
            "winner_value": winner,
            "winner_device_id": winner_device,
            "winner_hlc": winner_hlc,
            "other_value": other,
            "other_device_id": other_device,
            "other_hlc": other_hlc,
            "status": "open",
            "resolved_value": None,
            "resolved_by": None,
            "resolved_at": None,
        }

    def _add_conflict(
        self,
        batch: _Batch,
        values: dict[str, Any],
        scope: str | None,
        clock: HybridClock,
        hq: str,
    ) -> None:
        row_id = new_id()
        stamp = clock.now()
        now = _now().isoformat()
        data = {
            **values,
            "id": row_id,
            "origin_device_id": hq,
            "hlc": stamp,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
        }
        seq = batch.take_seq()
        batch.writers[seq] = (stamp, hq)
        batch.rows[("sync_conflict", row_id)] = _Row(
            scope, data, {f: seq for f in data if f not in META_FIELDS}, new=True
        )
        batch.changes.append(
            {
                "seq": seq,
                "device_id": hq,
                "device_seq": None,
                "table_name": "sync_conflict",
                "row_id": row_id,
                "scope": scope,
                "data": data,
                "hlc": stamp,
                "won": None,
                "echo": False,
                "digest": None,
                "received_at": batch.received_at,
            }
        )

    def _record(
        self,
        batch: _Batch,
        seq: int,
        device_id: str,
        change: Change,
        applied: dict[str, Any],
        won: list[str] | None,
        echo: bool,
    ) -> None:
        row = batch.rows[(change.t, change.r)]
        batch.changes.append(
            {
                "seq": seq,
                "device_id": device_id,
                "device_seq": change.s,
                "table_name": change.t,
                "row_id": change.r,
                "scope": row.scope,
                "data": applied,
                "hlc": change.h,
                "won": won,
                "echo": echo,
                "digest": batch.digest(change),
                "received_at": batch.received_at,
            }
        )

    def _note_person(self, batch: _Batch, change: Change, row: _Row) -> None:
        if change.t == "beneficiary" and isinstance(row.data.get("national_id"), str):
            batch.national_ids.append((row.data["national_id"], change.r, row.scope))

    def _insert(
        self,
        connection: sa.Connection,
        table: sa.Table,
        columns: tuple[str, ...],
        rows: list[tuple[Any, ...]],
    ) -> None:
        """Insert rows (values in `columns` order, JSON columns as JSON text) straight to the
        driver: SQLAlchemy's per-row parameter processing and json.dumps were most of the
        time a push held HQ's write lock. SQLite takes them as one executemany in process;
        PostgreSQL as multi-row VALUES, a round trip per thousand rows rather than per row."""
        if not rows:
            return
        json_columns = {c for c in columns if isinstance(table.c[c].type, sa.JSON)}
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        one = (
            "("
            + ", ".join(
                f"CAST({mark} AS JSON)" if self.postgres and c in json_columns else mark
                for c in columns
            )
            + ")"
        )
        head = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES "
        if not self.postgres:
            connection.exec_driver_sql(head + one, rows)
            return
        size = max(1, 30_000 // len(columns))  # under PostgreSQL's 65,535 parameters
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            connection.exec_driver_sql(
                head + ", ".join([one] * len(chunk)),
                tuple(value for row in chunk for value in row),
            )

    def _write_batch(self, connection: sa.Connection, batch: _Batch) -> None:
        # JSON columns are serialised here, one fast call each (see _insert).
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        as_json = f"CAST({mark} AS JSON)" if self.postgres else mark
        self._insert(
            connection,
            hq_row,
            ("table_name", "row_id", "scope", "data", "versions"),
            [
                (t, r, row.scope, _json(row.data), _json(row.versions))
                for (t, r), row in batch.rows.items()
                if row.new
            ],
        )
        dirty = [
            (_json(row.data), _json(row.versions), t, r)
            for (t, r), row in batch.rows.items()
            if row.dirty and not row.new
        ]
        if dirty:
            connection.exec_driver_sql(
                f"UPDATE hq_row SET data = {as_json}, versions = {as_json} "
                f"WHERE table_name = {mark} AND row_id = {mark}",
                dirty,
            )
        if batch.changes:
            stamp = hq_change.c.received_at.type.dialect_impl(connection.dialect).bind_processor(
                connection.dialect
            )
            times: dict[datetime, Any] = {}
            for change in batch.changes:
                when = change["received_at"]
                if when not in times:
                    times[when] = stamp(when) if stamp else when
            self._insert(
                connection,
                hq_change,
                (
                    "seq",
                    "device_id",
                    "device_seq",
                    "table_name",
                    "row_id",
                    "scope",
                    "data",
                    "hlc",
                    "won",
                    "echo",
                    "digest",
                    "received_at",
                ),
                [
                    (
                        c["seq"],
                        c["device_id"],
                        c["device_seq"],
                        c["table_name"],
                        c["row_id"],
                        c["scope"],
                        _json(c["data"]),
                        c["hlc"],
                        _json(c["won"]),
                        bool(c["echo"]),
                        c["digest"],
                        times[c["received_at"]],
                    )
                    for c in batch.changes
                ],
            )
        if batch.quarantined:
            connection.execute(sa.insert(hq_quarantine), batch.quarantined)
        if batch.national_ids:
            self._check_people(connection, batch.national_ids)

    def _check_people(
        self, connection: sa.Connection, people: list[tuple[str, str, str | None]]
    ) -> None:
        """The same national ID on two live records becomes a duplicate-person case for HQ."""
        numbers = sorted({n for n, _, _ in people})
        known: dict[str, set[str]] = {}
        for start in range(0, len(numbers), 900):
            for number, row_id in connection.execute(
                sa.select(hq_person_key.c.national_id, hq_person_key.c.row_id).where(
                    hq_person_key.c.national_id.in_(numbers[start : start + 900])
                )
            ):
                known.setdefault(number, set()).add(row_id)
        fresh: list[tuple[str, str, str | None]] = []
        for number, row_id, scope in people:
            ids = known.setdefault(number, set())
            if row_id not in ids:
                fresh.append((number, row_id, scope))
                ids.add(row_id)
        self._insert(connection, hq_person_key, ("national_id", "row_id", "scope"), fresh)
        for number in {f[0] for f in fresh}:
            ids = known[number]
            if len(ids) < 2:
                continue
            open_case = connection.execute(
                sa.select(hq_duplicate.c.id).where(
                    hq_duplicate.c.national_id == number, hq_duplicate.c.status == "open"
                )
            ).scalar_one_or_none()
            if open_case is None:
                connection.execute(
                    sa.insert(hq_duplicate).values(
                        national_id=number,
                        row_ids=sorted(ids),
                        status="open",
                        created_at=_now(),
                    )
                )
            else:
                connection.execute(
                    sa.update(hq_duplicate)
                    .where(hq_duplicate.c.id == open_case)
                    .values(row_ids=sorted(ids))
                )

    def _write_as_hq(
        self,
        connection: sa.Connection,
        table: str,
        row_id: str,
        values: dict[str, Any],
        scope: str | None,
    ) -> int:
        """A change made at HQ itself (administration, a resolution), based on what HQ holds."""
        clock = self._clock(connection)
        hq = clock.device_id
        batch = _Batch(
            connection,
            next_seq=self._head(connection) + 1,
            rows=self._load_rows(connection, [(table, row_id)]),
        )
        stamp = clock.now()
        now = _now().isoformat()
        row = batch.rows.get((table, row_id))
        if row is None:
            data = {
                **values,
                "id": row_id,
                "origin_device_id": hq,
                "hlc": stamp,
                "created_at": now,
                "updated_at": now,
                "deleted_at": values.get("deleted_at"),
            }
            seq = batch.take_seq()
            batch.rows[(table, row_id)] = _Row(
                scope, data, {f: seq for f in data if f not in META_FIELDS}, new=True
            )
            applied = data
        else:
            seq = batch.take_seq()
            applied = {**values, "hlc": stamp, "updated_at": now}
            row.data.update(applied)
            for name in values:
                row.versions[name] = seq
            row.dirty = True
            scope = row.scope
        batch.changes.append(
            {
                "seq": seq,
                "device_id": hq,
                "device_seq": None,
                "table_name": table,
                "row_id": row_id,
                "scope": scope,
                "data": applied,
                "hlc": stamp,
                "won": None,
                "echo": False,
                "digest": None,
                "received_at": _now(),
            }
        )
        self._write_batch(connection, batch)
        self._set_meta(connection, HQ_CLOCK_KEY, clock.last)
        return seq

    # -- conflicts, quarantine and duplicates at HQ --------------------------------------

    def conflicts(self, status: str = "open") -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(hq_row.c.data).where(hq_row.c.table_name == "sync_conflict")
            ).scalars()
            found = [dict(r) for r in rows if r.get("status") == status]
        return sorted(found, key=lambda c: str(c["created_at"]))

    def resolve_conflict(self, conflict_id: str, value: Any, by: str) -> None:
        """Settle a conflict at HQ: the chosen value is written to the record and the conflict
        closed, both as HQ changes that reach the branch's laptops like any other."""
        with self._writing() as connection:
            found = self._load_rows(connection, [("sync_conflict", conflict_id)])
            conflict = found.get(("sync_conflict", conflict_id))
            if conflict is None:
                raise Refused(404, f"There is no conflict {conflict_id}.")
            if conflict.data.get("status") != "open":
                raise Refused(409, "This conflict has been resolved already.")
            target = conflict.data
            self._write_as_hq(
                connection,
                target["table_name"],
                target["row_id"],
                {target["field"]: value},
                scope=conflict.scope,
            )
            self._write_as_hq(
                connection,
                "sync_conflict",
                conflict_id,
                {
                    "status": "resolved",
                    "resolved_value": value,
                    "resolved_by": by,
                    "resolved_at": _now().isoformat(),
                },
                scope=conflict.scope,
            )

    def quarantined(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(hq_quarantine).order_by(hq_quarantine.c.id)
            ).mappings()
            return [dict(r) for r in rows]

    def duplicates(self, status: str = "open") -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(hq_duplicate)
                .where(hq_duplicate.c.status == status)
                .order_by(hq_duplicate.c.id)
            ).mappings()
            return [dict(r) for r in rows]

    def merge_duplicate(self, case_id: int, keep_row_id: str, note: str | None = None) -> None:
        """Keep one file of a duplicated person; the others are closed (tombstoned, not
        deleted), so every record that points at them, and their history, stays."""
        with self._writing() as connection:
            case = connection.execute(
                sa.select(hq_duplicate).where(hq_duplicate.c.id == case_id)
            ).one_or_none()
            if case is None or case.status != "open":
                raise Refused(404, f"There is no open duplicate case {case_id}.")
            if keep_row_id not in case.row_ids:
                raise Refused(400, "The record to keep is not one of the case's records.")
            now = _now().isoformat()
            for row_id in case.row_ids:
                if row_id != keep_row_id:
                    rows = self._load_rows(connection, [("beneficiary", row_id)])
                    row = rows[("beneficiary", row_id)]
                    if row.data.get("deleted_at") is None:
                        self._write_as_hq(
                            connection, "beneficiary", row_id, {"deleted_at": now}, row.scope
                        )
            connection.execute(
                sa.update(hq_duplicate)
                .where(hq_duplicate.c.id == case_id)
                .values(status="merged", kept_row_id=keep_row_id, note=note, resolved_at=_now())
            )

    # -- pull ---------------------------------------------------------------------------

    def pull_json(self, device: DeviceAuth, after: int, limit: int) -> bytes:
        """The feed after `after` that this device may see, as the JSON body of a
        `PullResponse` with the cursor to ask from next. The database writes
        each entry's JSON text itself, splicing in the data as HQ stored it: decoding and
        re-encoding every value of a page of thousands of entries was most of what a pull
        cost HQ."""
        quote = "to_json({})::text" if self.postgres else "json_quote({})"
        data = "data::text" if self.postgres else "data"
        entry = sa.literal_column(
            """'{"g":' || seq || ',"t":' || """
            + quote.format("table_name")
            + """ || ',"r":' || """
            + quote.format("row_id")
            + f""" || ',"d":' || {data} || ',"h":' || """
            + quote.format("hlc")
            + " || '}'",
            sa.Text,
        )
        rows, cursor, more = self._feed(device, after, limit, entry)
        entries = ",".join([r[1] for r in rows])
        more_text = "true" if more else "false"
        return f'{{"entries":[{entries}],"next":{cursor},"more":{more_text}}}'.encode()

    def _feed(
        self, device: DeviceAuth, after: int, limit: int, *columns: sa.ColumnElement[Any]
    ) -> tuple[Sequence[Any], int, bool]:
        """A page of the feed: each row is its sequence, then `columns`."""
        with self.engine.connect() as connection:
            head = self._head(connection)
            if head <= after:
                return [], after, False
            rows = connection.execute(
                sa.select(hq_change.c.seq, *columns)
                .where(
                    hq_change.c.seq > after,
                    hq_change.c.seq <= head,
                    sa.or_(hq_change.c.scope == device.branch_id, hq_change.c.scope.is_(None)),
                    sa.not_(sa.and_(hq_change.c.device_id == device.id, hq_change.c.echo)),
                )
                .order_by(hq_change.c.seq)
                .limit(limit)
            ).all()
        if len(rows) < limit:
            return rows, head, False
        return rows, int(rows[-1][0]), True

    # -- blobs --------------------------------------------------------------------------

    def blobs_present(self, hashes: Sequence[str]) -> set[str]:
        with self.engine.connect() as connection:
            return set(
                connection.execute(
                    sa.select(hq_blob.c.sha256).where(hq_blob.c.sha256.in_(list(hashes)))
                ).scalars()
            )

    def blob_received(self, sha256: str, size: int) -> None:
        with self.engine.begin() as connection:
            exists = connection.execute(
                sa.select(hq_blob.c.sha256).where(hq_blob.c.sha256 == sha256)
            ).first()
            if not exists:
                connection.execute(
                    sa.insert(hq_blob).values(sha256=sha256, size=size, received_at=_now())
                )
