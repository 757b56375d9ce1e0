"""The one place that creates engines and sessions.

SQLite runs in WAL mode with foreign keys enforced; a laptop's database is encrypted with
SQLCipher (`encrypted_sqlite_url`). Every session carries the device context
(`session.info["device"]`) that stamps and records each change in the outbox.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from db.keys import sqlcipher_key
from db.outbox import DeviceContext, install_change_tracking


def sqlite_url(path: Path | str) -> str:
    return f"sqlite+pysqlite:///{Path(path)}"


def encrypted_sqlite_url(path: Path | str, database_key: bytes) -> sa.URL:
    """The URL of a SQLCipher database opened with a raw 256-bit key (SQLCipher then derives
    nothing: the key is already random). The key lives in this URL object only, in memory;
    SQLAlchemy hides it whenever a URL is shown."""
    return sa.URL.create(
        "sqlite+pysqlcipher", password=sqlcipher_key(database_key), database=str(Path(path))
    )


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # NORMAL is durable across application crashes in WAL mode; only power loss can lose
    # the very last transactions, which is the usual trade for a laptop database.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _defer_foreign_keys(connection: sa.Connection) -> None:
    # Foreign keys are checked at COMMIT, not per statement: the models declare no ORM
    # relationships, so one flush may insert a decision before its request. SQLite switches
    # this off at every COMMIT or ROLLBACK, hence once per transaction.
    connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")


# Under this key of a connection's `info`: the tables its transaction wrote pulled changes to.
_PULLED_TABLES = "pulled_tables"


def note_pulled(connection: sa.Connection, tables: Iterable[str]) -> None:
    """Note that this transaction writes pulled changes to `tables`: once it commits, the
    next `Database.after_sync` calls the listeners of those tables."""
    connection.info.setdefault(_PULLED_TABLES, set()).update(tables)


def _forget_pulled(connection: sa.Connection) -> None:
    connection.info.pop(_PULLED_TABLES, None)


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def create_engine(url: str | sa.URL, **kwargs: Any) -> sa.Engine:
    """Create an engine; SQLite connections get WAL, foreign keys and a busy timeout."""
    # Arabic kept as UTF-8 in JSON columns (the outbox, snapshots): \uXXXX escapes would
    # triple their size.
    kwargs.setdefault("json_serializer", _compact_json)
    if sa.make_url(url).drivername == "sqlite+pysqlcipher":
        # The dialect's default keeps one connection per thread; a file database is pooled
        # like any other SQLite file (the window's worker thread and the main thread share it).
        kwargs.setdefault("poolclass", sa.pool.QueuePool)
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _set_sqlite_pragmas)
        sa.event.listen(engine, "begin", _defer_foreign_keys)
    return engine


def connect_encrypted(path: Path, database_key: bytes, *, read_only: bool = False) -> Any:
    """A raw SQLCipher connection to `path` opened with `database_key` (for whole-file copies
    and checks); the caller closes it."""
    import sqlcipher3

    target = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    connection = sqlcipher3.connect(target, uri=True)
    connection.execute(f'PRAGMA key = "{sqlcipher_key(database_key)}"')
    return connection


class Database:
    """An engine plus the session factory bound to this device's context."""

    def __init__(self, engine: sa.Engine, device: DeviceContext | None = None) -> None:
        self.engine = engine
        self.device = device
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        install_change_tracking(self._sessions)
        # Facts every session of this database may read from `session.info` (e.g. this
        # device's branch), set by the layer above.
        self.session_info: dict[str, object] = {}
        self._sync_listeners: list[tuple[frozenset[str], Callable[[], None]]] = []
        # The tables that committed pulls wrote to since the last `after_sync`.
        self._pulled: set[str] = set()
        sa.event.listen(engine, "commit", self._gather_pulled)
        sa.event.listen(engine, "rollback", _forget_pulled)

    @classmethod
    def open(cls, url: str, device: DeviceContext | None = None) -> Database:
        return cls(create_engine(url), device)

    def listen(self, event_name: str, listener: Callable[..., None]) -> None:
        """Call `listener` on `event_name` ("after_flush", "after_commit", …) of every session
        of this database; the layer above installs its listeners here when it opens one."""
        sa.event.listen(self._sessions, event_name, listener)

    def listen_to_sync(self, tables: Iterable[str], listener: Callable[[], None]) -> None:
        """Call `listener` after a sync brought changes to any of `tables` (the layer above
        keeps what it derives from synced rows, such as the key ring, up to date)."""
        self._sync_listeners.append((frozenset(tables), listener))

    def after_sync(self) -> None:
        pulled, self._pulled = self._pulled, set()
        for tables, listener in self._sync_listeners:
            if not tables.isdisjoint(pulled):
                listener()

    def _gather_pulled(self, connection: sa.Connection) -> None:
        self._pulled.update(connection.info.pop(_PULLED_TABLES, ()))

    def session(self) -> Session:
        """A new session; its writes are stamped and recorded for this database's device."""
        session = self._sessions()
        session.info.update(self.session_info)
        if self.device is not None:
            session.info["device"] = self.device
        return session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self.session() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
