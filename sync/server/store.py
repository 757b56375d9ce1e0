"""HQ's stored state and what every job of the hub shares.

The database, not process memory, is the source of truth, so several server processes can
share it. Every write runs in one transaction holding a write lock (SQLite's single writer; on
PostgreSQL an advisory lock of the branch whose records a push writes, or of the whole
society), so the changes a branch's laptops pull are numbered and committed in order: a
laptop that has pulled up to sequence N can never later meet a change numbered N or below
(`feed_head`). A push reads and merges outside the lock and holds it only to check that
what it read has not changed, number its changes and write them (`sync/server/push.py`).

Each synced record is one `hq_row` (its values and, per field, the HQ sequence of the change
that set it); every accepted change is one numbered `hq_change`, the feed laptops pull.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from pydantic_core import from_json, to_json

from db.base import AppendOnly, Base, Synced, utcnow
from db.hlc import HybridClock
from db.ids import new_id
from db.values import synced_columns
from sync.merge import META_FIELDS
from sync.protocol import PushedChange
from sync.server.schema import hq_change, hq_feed_head, hq_meta, hq_quarantine, hq_row

HQ_DEVICE_KEY = "hq_device_id"
HQ_CLOCK_KEY = "hq_clock"
# When HQ's last verified backup was taken (UTC, ISO): what a restore gives back at least.
DURABLE_AT_KEY = "durable_at"
# The id of HQ's history: a new one after a restore (`romah-hq restored`) tells every laptop
# that what it saw of HQ may be gone.
GENERATION_KEY = "generation"
# HQ's locks on PostgreSQL are advisory locks of two keys. The society's: the schema HQ's
# tables are in (two HQs in one database never wait for each other) and this.
_LOCK_KEY = 7_261_301
_SOCIETY = "hashtext(current_schema())"
# A branch's: this and the branch's hash (two branches whose hashes meet only wait for each
# other).
_BRANCH_LOCKS = 7_261_302
# Held while a push reads and adds the national IDs of the people it writes: shared, with
# the locks of the IDs' buckets (the schema's key mixed with this, and the bucket), or alone
# for many IDs.
_PERSON_KEYS_LOCK = 7_261_303
_ID_BUCKETS = 65_536
_MOST_BUCKETS = 64
# The sequence numbers a batch is merged under until it is written: far above any HQ hands
# out, so they order after every field version read (`Store.number` gives the real ones).
PROVISIONAL = 1 << 60


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
    """What HQ accepts for one synced table: its columns, and whether it is append-only."""

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
        rules[table.name] = TableRule(synced_columns(table), issubclass(cls, AppendOnly))
    return rules


TABLES = _table_rules()


@dataclass(frozen=True)
class DeviceAuth:
    """An enrolled, unrevoked laptop a request came from, and the branch it belongs to."""

    id: str
    branch_id: str


@dataclass
class Row:
    """One record as HQ holds it: its branch (None for data every branch receives), its
    values, and per field the HQ sequence of the change that set it."""

    scope: str | None
    data: dict[str, Any]
    versions: dict[str, int]
    new: bool
    dirty: bool = False


@dataclass
class Batch:
    """The state of one push while it is merged in memory, written out at the end."""

    connection: sa.Connection
    next_seq: int
    rows: dict[tuple[str, str], Row]
    changes: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    writers: dict[int, tuple[str, str]] = field(default_factory=dict)  # seq → (hlc, device)
    national_ids: list[tuple[str, str, str | None]] = field(default_factory=list)
    # The one-of groups whose records the merge looked up: (table, group field, group ids).
    groups: list[tuple[str, str, list[str]]] = field(default_factory=list)
    # Each pushed change's digest by object identity, worked out once per push.
    digests: dict[int, str] = field(default_factory=dict)
    # One arrival time for the whole push (it is one transaction).
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def digest(self, change: PushedChange) -> str:
        """The change's digest, worked out once per push."""
        found = self.digests.get(id(change))
        return found if found is not None else digest(change)

    def take_seq(self) -> int:
        """The next HQ sequence number of this batch."""
        seq = self.next_seq
        self.next_seq += 1
        return seq


# The same text as json.dumps(..., sort_keys=True, default=str), without a new encoder per call.
# Not db.canonical.canonical_json on purpose: these digests are stored with every accepted or
# quarantined change (hq_change.digest, hq_quarantine.digest) and compared with a re-sent
# change's to tell a retry from a reused sequence number. Other bytes (compact separators,
# UTF-8 kept, no str() fallback) would make every stored digest differ from a retry's, and
# HQ would refuse retries of changes it already holds.
_digest_text = json.JSONEncoder(sort_keys=True, default=str).encode


def digest(change: PushedChange) -> str:
    """The fingerprint of a pushed change's content (table, row, operation, values): what HQ
    compares to recognise the same change sent again under the same sequence number."""
    body = _digest_text([change.t, change.r, change.o, change.c])
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def stored_field(name: str, *, postgres: bool) -> sa.ColumnElement[str]:
    """A field of a stored row's data, as text in SQL. Spelt out with the name in the text (no
    bound path), so an index on the same expression (HQ's migrations) serves it."""
    sql = f"(data ->> '{name}')" if postgres else f"json_extract(data, '$.{name}')"
    return sa.literal_column(sql, sa.String)


def of_table(table: str) -> sa.ColumnElement[bool]:
    """Rows of `table`, with the name in the text, so a partial index for it serves them."""
    return sa.literal_column("table_name", sa.String) == sa.literal_column(f"'{table}'")


_records = msgspec.json.Encoder()


def json_text(value: Any) -> str:
    """A JSON column's text, as the engine's serialiser writes it (compact, UTF-8 kept),
    made in one fast call: a push of thousands of changes serialises tens of thousands."""
    return to_json(value).decode()


def feed_head(branch: str | sa.BindParameter[str]) -> sa.ColumnElement[Any]:
    """The head of the feed `branch`'s laptops pull (the branch given, or bound later), in
    SQL: a sequence up to which every change they may see is committed, so a laptop that
    pulled up to it never meets a lower one later. It is the highest of the branch's changes
    and of those every branch receives (`hq_feed_head`, kept by `Store.write_batch`). Those are
    numbered holding the branch's lock or the society's, after every such change committed
    before, so any not committed yet is numbered above it; a push of another branch may commit
    a lower number than HQ's highest at any time (PostgreSQL; SQLite has one writer)."""
    found = sa.select(sa.func.max(hq_feed_head.c.seq)).where(hq_feed_head.c.scope.in_([branch, ""]))
    return sa.func.coalesce(found.scalar_subquery(), 0)


def clock_now(postgres: bool) -> sa.ScalarSelect[Any]:
    """HQ's clock stamp, in SQL (on PostgreSQL when `postgres`): the latest of its own and its
    branches' (`Store.raise_clock`). HQ hands out stamps of its own only holding the lock of
    the whole society."""
    value = hq_meta.c.value.collate("C") if postgres else hq_meta.c.value
    return (
        sa.select(sa.func.max(value))
        .where(sa.or_(hq_meta.c.key == HQ_CLOCK_KEY, hq_meta.c.key.startswith(HQ_CLOCK_KEY + ":")))
        .scalar_subquery()
    )


def _meta(key: str) -> sa.ScalarSelect[Any]:
    return sa.select(hq_meta.c.value).where(hq_meta.c.key == key).scalar_subquery()


def _device_highest(table: sa.Table) -> sa.ScalarSelect[Any]:
    device = table.c.device_id == sa.bindparam("device")
    return sa.select(sa.func.max(table.c.device_seq)).where(device).scalar_subquery()


# Built once, with bound parameters: every pull asks them, and building them (and their
# cache keys) cost more than a quiet pull's reads.
_FEED_FACTS = sa.select(
    _meta(DURABLE_AT_KEY),
    sa.select(sa.func.max(hq_change.c.seq)).scalar_subquery(),
    feed_head(sa.bindparam("branch")),
    _meta(GENERATION_KEY),
    _device_highest(hq_change),
    _device_highest(hq_quarantine),
)
_META = sa.select(hq_meta.c.value).where(hq_meta.c.key == sa.bindparam("key"))
_OWN_HIGHEST = sa.select(_device_highest(hq_change), _device_highest(hq_quarantine))
_HELD = sa.select(hq_change.c.device_seq, hq_change.c.hlc).where(
    hq_change.c.device_id == sa.bindparam("device"),
    hq_change.c.device_seq.between(sa.bindparam("low"), sa.bindparam("high")),
)
_HELD_ASIDE = sa.select(hq_quarantine.c.device_seq, sa.cast(hq_quarantine.c.change, sa.Text)).where(
    hq_quarantine.c.device_id == sa.bindparam("device"),
    hq_quarantine.c.device_seq.between(sa.bindparam("low"), sa.bindparam("high")),
)
_MARK = sa.select(
    hq_change.c.hlc,
    hq_change.c.device_id,
    hq_change.c.device_seq,
    hq_change.c.table_name,
    hq_change.c.row_id,
).where(hq_change.c.seq == sa.bindparam("seq"))


class Store:
    """HQ's database (PostgreSQL or SQLite) and the plumbing every job shares: the write lock,
    HQ's own key/value facts and clock, the rows and sequence numbers, and batched writes."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def writing(self, branch: str | None = None) -> Iterator[sa.Connection]:
        """A transaction holding HQ's write lock; it commits when the block ends.

        On PostgreSQL a push that writes only records of its own branch holds that branch's
        lock (`branch`) and writes beside the other branches' pushes; every other write holds
        the lock of the whole society, alone. Either way the changes a branch's laptops pull
        (its own and those every branch receives) are numbered holding a lock that orders
        them, and committed in that order (see `feed_head`). SQLite has one writer: every
        write holds it alone."""
        with self.engine.begin() as connection:
            if not self.postgres:
                # Take SQLite's write lock now, not at the first write: two processes that
                # both read first would otherwise fail to upgrade their locks.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            elif branch is None:
                connection.exec_driver_sql(
                    f"SELECT pg_advisory_xact_lock({_SOCIETY}, %s)", (_LOCK_KEY,)
                )
            else:
                connection.exec_driver_sql(
                    f"SELECT pg_advisory_xact_lock_shared({_SOCIETY}, %s)", (_LOCK_KEY,)
                )
                connection.exec_driver_sql(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_BRANCH_LOCKS, branch)
                )
            yield connection

    def lock_person_keys(self, connection: sa.Connection, numbers: Iterable[str]) -> None:
        """Hold the locks of the national IDs `numbers` until the transaction ends: pushes of
        two branches registering one person at once then see each other's, and pushes of
        other people go on (PostgreSQL; SQLite has one writer). Each ID locks its bucket of
        65,536, taken in order; many IDs (a bulk push) lock them all."""
        if not self.postgres:
            return
        buckets = sorted({zlib.crc32(n.encode()) % _ID_BUCKETS for n in numbers})
        if len(buckets) > _MOST_BUCKETS:
            connection.exec_driver_sql(
                f"SELECT pg_advisory_xact_lock({_SOCIETY}, %s)", (_PERSON_KEYS_LOCK,)
            )
            return
        connection.exec_driver_sql(
            f"SELECT pg_advisory_xact_lock_shared({_SOCIETY}, %s)", (_PERSON_KEYS_LOCK,)
        )
        connection.exec_driver_sql(
            f"SELECT pg_advisory_xact_lock({_SOCIETY} # %s, bucket) FROM "
            "(SELECT bucket FROM unnest(%s::int[]) AS bucket ORDER BY bucket) AS ordered",
            (_PERSON_KEYS_LOCK, buckets),
        )

    def meta(self, connection: sa.Connection, key: str) -> str | None:
        """HQ's own fact stored under `key`, or None."""
        return connection.execute(_META, {"key": key}).scalar_one_or_none()

    def set_meta(self, connection: sa.Connection, key: str, value: str) -> None:
        """Store HQ's own fact `value` under `key`: one statement, which needs no answer (so
        it can go with the others of a `pipeline`)."""
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        connection.exec_driver_sql(
            f"INSERT INTO hq_meta (key, value) VALUES ({mark}, {mark}) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @contextmanager
    def pipeline(self, connection: sa.Connection) -> Iterator[None]:
        """On PostgreSQL, the statements of the block are sent without waiting for each
        answer, and the server's answers are awaited once at its end: a push's writes under
        the write lock cost one round trip, not one each. Only statements whose answer is not
        read go in the block (writes; a rowcount is not known in it)."""
        if not self.postgres:
            yield
            return
        from psycopg import IntegrityError  # only HQ on PostgreSQL needs the driver

        try:
            with connection.connection.driver_connection.pipeline():  # type: ignore[union-attr]
                yield
        except IntegrityError as exc:  # as SQLAlchemy raises it outside a pipeline
            raise sa.exc.IntegrityError(None, None, exc) from exc

    def durable_at(self, connection: sa.Connection) -> datetime | None:
        """When HQ's last verified backup was taken, as the operator recorded it, or None."""
        value = self.meta(connection, DURABLE_AT_KEY)
        return datetime.fromisoformat(value) if value else None

    def set_durable_at(self, connection: sa.Connection, at: datetime) -> None:
        """Record that HQ's backup taken at `at` (aware) has been verified to restore.

        A time to come is refused: laptops would forget changes no backup holds yet."""
        if at > datetime.now(UTC):
            raise Refused(422, f"The backup's time {at.isoformat()} has not come yet.")
        self.set_meta(connection, DURABLE_AT_KEY, at.astimezone(UTC).isoformat())

    def generation(self, connection: sa.Connection) -> str | None:
        """The id of HQ's history (made by the migration, or by `new_generation`)."""
        return self.meta(connection, GENERATION_KEY)

    def new_generation(self) -> str:
        """Start a new history id (after HQ's database was restored from a backup): every
        laptop then checks what HQ holds of its changes and sends again what it lacks."""
        generation = new_id()
        with self.writing() as connection:
            self.set_meta(connection, GENERATION_KEY, generation)
        return generation

    def mark(self, connection: sa.Connection, seq: int) -> str | None:
        """The identity of the feed entry numbered `seq` (None when HQ holds none): a laptop
        keeps it with its cursor, and a different one later means HQ's history changed."""
        if seq <= 0:
            return None
        row = connection.execute(_MARK, {"seq": seq}).first()
        if row is None:
            return None
        text = "|".join(str(v) for v in (seq, *row))
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def feed_facts(
        self, connection: sa.Connection, device: DeviceAuth
    ) -> tuple[datetime | None, tuple[int, int], str | None, int]:
        """What every pull reports, in one round trip: when HQ's last verified backup was
        taken, HQ's heads (its highest sequence, and the head of the device's feed),
        the id of HQ's history and the highest device sequence HQ holds from the device (as
        `durable_at`, `heads`, `generation`, `own_highest`)."""
        durable, highest_seq, head, generation, own, set_aside = connection.execute(
            _FEED_FACTS, {"branch": device.branch_id, "device": device.id}
        ).one()
        return (
            datetime.fromisoformat(durable) if durable else None,
            (int(highest_seq or 0), int(head or 0)),
            generation,
            max(int(own or 0), int(set_aside or 0)),
        )

    def own_highest(self, connection: sa.Connection, device_id: str) -> int:
        """The highest device sequence HQ holds from `device_id` (accepted or set aside)."""
        accepted, set_aside = connection.execute(_OWN_HIGHEST, {"device": device_id}).one()
        return max(int(accepted or 0), int(set_aside or 0))

    def held(
        self, connection: sa.Connection, device_id: str, low: int, high: int
    ) -> list[tuple[int, int, str]]:
        """The device sequences from `low` to `high` HQ holds of `device_id`, as runs
        (first, last, clock stamp of the last)."""
        asked = {"device": device_id, "low": low, "high": high}
        stamps: dict[int, str] = {}
        for seq, stamp in connection.execute(_HELD, asked):
            stamps[int(seq)] = stamp
        for seq, change in connection.execute(_HELD_ASIDE, asked):
            stamps.setdefault(int(seq), str(from_json(change).get("h") or ""))
        runs: list[tuple[int, int, str]] = []
        for seq in sorted(stamps):
            if runs and runs[-1][1] == seq - 1:
                runs[-1] = (runs[-1][0], seq, stamps[seq])
            else:
                runs.append((seq, seq, stamps[seq]))
        return runs

    def hq_device_id(self, connection: sa.Connection) -> str:
        """The device id HQ writes its own changes under, made on first use."""
        device_id = self.meta(connection, HQ_DEVICE_KEY)
        if device_id is None:
            device_id = new_id()
            self.set_meta(connection, HQ_DEVICE_KEY, device_id)
        return device_id

    def raise_clock(self, connection: sa.Connection, stamp: str, branch: str | None) -> None:
        """Keep HQ's clock stamp `stamp` unless a later one is stored (one statement, for a
        `pipeline`): under `branch`'s key for a push holding its branch's lock, beside the
        other branches' pushes, which keep theirs; else HQ's own. HQ's clock is the latest of
        them (`clock_now`). Stamps are fixed-width text, so the later stamp is the greater
        text, compared byte by byte."""
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        later = (
            'GREATEST(hq_meta.value COLLATE "C", excluded.value COLLATE "C")'
            if self.postgres
            else "max(hq_meta.value, excluded.value)"
        )
        connection.exec_driver_sql(
            f"INSERT INTO hq_meta (key, value) VALUES ({mark}, {mark}) "
            f"ON CONFLICT (key) DO UPDATE SET value = {later}",
            (HQ_CLOCK_KEY if branch is None else f"{HQ_CLOCK_KEY}:{branch}", stamp),
        )

    def clock(self, connection: sa.Connection) -> HybridClock:
        """HQ's hybrid clock, resumed from its last stamp."""
        last = connection.execute(sa.select(clock_now(self.postgres))).scalar()
        return HybridClock(self.hq_device_id(connection), last)

    def head(self, connection: sa.Connection) -> int:
        """The highest HQ sequence committed (0 for an empty feed). On PostgreSQL a lower one
        may still be committed by a push of another branch: see `feed_head` and
        `settled_head`."""
        return int(connection.execute(sa.select(sa.func.max(hq_change.c.seq))).scalar() or 0)

    def settled_head(self) -> int:
        """A sequence up to which every change HQ numbered is committed, for a reader of the
        whole feed (the console's search): on PostgreSQL read once the pushes writing at the
        moment are done (holding the society's lock for that moment); every number handed
        out later is above it."""
        if not self.postgres:
            with self.engine.connect() as connection:
                return self.head(connection)
        with self.writing() as connection:
            return self.head(connection)

    def number(
        self, connection: sa.Connection, batch: Batch, head: int | None = None
    ) -> Callable[[int], int]:
        """Give the changes of a batch merged under `PROVISIONAL` numbers HQ's sequence
        numbers, one after another, holding the write lock, and the fields they set the same;
        returns the mapping (a number below `PROVISIONAL` maps to itself). PostgreSQL's
        sequence hands them out (other branches' pushes take theirs at the same time); SQLite
        numbers from `head`, HQ's highest sequence (read here when not given)."""
        count = batch.next_seq - PROVISIONAL
        if count <= 0:
            first = 0
        elif self.postgres:  # one run, taken from the sequence (migration 0009)
            first = connection.exec_driver_sql("SELECT hq_numbers(%s)", (count,)).scalar_one()
        else:
            first = (self.head(connection) if head is None else head) + 1
        shift = first - PROVISIONAL

        def numbered(seq: int) -> int:
            return seq + shift if seq >= PROVISIONAL else seq

        for change in batch.changes:
            change["seq"] = numbered(change["seq"])
        for row in batch.rows.values():
            if row.new or row.dirty:  # the rows written: the others hold no number of the batch
                row.versions = {name: numbered(seq) for name, seq in row.versions.items()}
        return numbered

    def changed_since(
        self, connection: sa.Connection, head: int, keys: Iterable[tuple[str, str]]
    ) -> bool:
        """Whether HQ numbered a change after `head` to any of the records `keys` (table, row
        id), held or not (every write of a record is a numbered change)."""
        by_table: dict[str, list[str]] = {}
        for table, row_id in keys:
            by_table.setdefault(table, []).append(row_id)
        if not by_table:
            return False
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        one = (
            f"SELECT 1 FROM hq_change WHERE seq > {mark} AND table_name = {mark} "
            f"AND row_id {self.one_of(connection)}"
        )
        # One statement for every table, the first match ending it.
        sql = " UNION ALL ".join([one] * len(by_table)) + " LIMIT 1"
        bound = [v for t, ids in by_table.items() for v in (head, t, self.bound_list(ids))]
        return connection.exec_driver_sql(sql, tuple(bound)).first() is not None

    def load_rows(
        self, connection: sa.Connection, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], Row]:
        """The records HQ holds of `keys` (table, row id); keys it does not hold are absent.

        One query per table, the ids bound as one value (a PostgreSQL array, a JSON array
        SQLite unpacks), looked up by hq_row's primary key (table_name, row_id): a push of
        5,000 changes reads what HQ holds of them in one or two round trips, not one per
        few hundred ids."""
        by_table: dict[str, set[str]] = {}
        for table, row_id in keys:
            by_table.setdefault(table, set()).add(row_id)
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        text = "CAST({} AS TEXT)" if self.postgres else "{}"
        # As text, decoded here by the fast parser (fresh dicts, as merging needs).
        sql = (
            f"SELECT row_id, scope, {text.format('data')}, {text.format('versions')} "
            f"FROM hq_row WHERE table_name = {mark} AND row_id {self.one_of(connection)}"
        )
        rows: dict[tuple[str, str], Row] = {}
        for table, ids in by_table.items():
            bound = (table, self.bound_list(sorted(ids)))
            for row_id, scope, data, versions in connection.exec_driver_sql(sql, bound):
                rows[(table, row_id)] = Row(scope, from_json(data), from_json(versions), new=False)
        return rows

    def one_of(self, connection: sa.Connection) -> str:
        """SQL that a value is one of a list bound as one parameter (see `bound_list`): any
        number of values in one statement, which the planner still looks up by index."""
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        return f"= ANY({mark})" if self.postgres else f"IN (SELECT value FROM json_each({mark}))"

    def bound_list(self, values: list[str]) -> Any:
        """`values` as the one parameter of `one_of`: an array for PostgreSQL, JSON text
        for SQLite."""
        return values if self.postgres else json_text(values)

    def insert(
        self,
        connection: sa.Connection,
        table: sa.Table,
        columns: tuple[str, ...],
        rows: list[tuple[Any, ...]],
    ) -> None:
        """Insert rows (values in `columns` order, JSON columns as JSON text) straight to the
        driver: SQLAlchemy's per-row parameter processing and json.dumps were most of the
        time a push held HQ's write lock. SQLite takes them as one executemany in process.
        PostgreSQL takes a few thousand rows as one JSON document (`json_to_recordset`): one
        parameter, where as many as the rows' values cost the driver more time to parse the
        statement and bind them than the server takes to insert them."""
        if not rows:
            return
        names = ", ".join(columns)
        if not self.postgres:
            marks = ", ".join("?" * len(columns))
            connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
            return
        json_columns = {c for c in columns if isinstance(table.c[c].type, sa.JSON)}
        declared = ", ".join(
            f"{c} {'TEXT' if c in json_columns else table.c[c].type.compile(connection.dialect)}"
            for c in columns
        )
        picked = ", ".join(f"CAST({c} AS JSON)" if c in json_columns else c for c in columns)
        sql = (
            f"INSERT INTO {table.name} ({names}) "
            f"SELECT {picked} FROM json_to_recordset(%s) AS given({declared})"
        )
        for start in range(0, len(rows), 2000):
            chunk = [dict(zip(columns, row, strict=True)) for row in rows[start : start + 2000]]
            connection.exec_driver_sql(sql, (_records.encode(chunk).decode(),))

    def write_batch(self, connection: sa.Connection, batch: Batch) -> None:
        """Write out what a batch changed: new and changed rows, and changes (statements whose
        answer is not read: they may go in a `pipeline`)."""
        # JSON columns are serialised here, one fast call each (see _insert).
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        as_json = f"CAST({mark} AS JSON)" if self.postgres else mark
        texts = [json_text(c["data"]) for c in batch.changes]
        # A new row no later change of the batch touched holds what the change that made it
        # carried (with its id, which a laptop's insert carries already): one text for both.
        made: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for change, text in zip(batch.changes, texts, strict=True):
            made.setdefault((change["table_name"], change["row_id"]), (change["data"], text))

        def row_text(key: tuple[str, str], row: Row) -> str:
            sent, text = made.get(key, (None, ""))
            if not row.dirty and sent is not None:
                if sent is row.data or (type(sent.get("id")) is str and sent["id"] == key[1]):
                    return text
            return json_text(row.data)

        self.insert(
            connection,
            hq_row,
            ("table_name", "row_id", "scope", "data", "versions"),
            [
                (key[0], key[1], row.scope, row_text(key, row), json_text(row.versions))
                for key, row in batch.rows.items()
                if row.new
            ],
        )
        dirty = [
            (json_text(row.data), json_text(row.versions), t, r)
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
            self.insert(
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
                        text,
                        c["hlc"],
                        "null" if c["won"] is None else json_text(c["won"]),
                        bool(c["echo"]),
                        c["digest"],
                        times[c["received_at"]],
                    )
                    for c, text in zip(batch.changes, texts, strict=True)
                ],
            )
            highest: dict[str, int] = {}
            for change in batch.changes:
                scope = change["scope"] or ""
                highest[scope] = max(highest.get(scope, 0), change["seq"])
            connection.exec_driver_sql(
                f"INSERT INTO hq_feed_head (scope, seq) VALUES ({mark}, {mark}) "
                "ON CONFLICT (scope) DO UPDATE SET seq = CASE WHEN excluded.seq > "
                "hq_feed_head.seq THEN excluded.seq ELSE hq_feed_head.seq END",
                list(highest.items()),
            )

    def write_as_hq(
        self,
        connection: sa.Connection,
        table: str,
        row_id: str,
        values: dict[str, Any],
        scope: str | None,
    ) -> int:
        """A change made at HQ itself (administration, a resolution), based on what HQ holds."""
        clock = self.clock(connection)
        hq = clock.device_id
        batch = Batch(
            connection,
            next_seq=PROVISIONAL,
            rows=self.load_rows(connection, [(table, row_id)]),
        )
        stamp = clock.now()
        now = utcnow().isoformat()
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
            batch.rows[(table, row_id)] = Row(
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
                "received_at": utcnow(),
            }
        )
        numbered = self.number(connection, batch)
        self.write_batch(connection, batch)
        self.raise_clock(connection, clock.last, None)
        return numbered(seq)
