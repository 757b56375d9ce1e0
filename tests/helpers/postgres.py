"""A throw-away PostgreSQL schema for tests that need the HQ database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get(
    "ROMAH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _reachable() -> bool:
    try:
        engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except sa.exc.OperationalError:
        return False


def require_postgres() -> None:
    """Skip when PostgreSQL is not running, except in CI, where that fails the test."""
    if not _reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is needed in CI and is not reachable at {POSTGRES_URL}")
        pytest.skip("PostgreSQL is not running at 127.0.0.1:5432")


@contextmanager
def postgres_schema() -> Iterator[sa.Engine]:
    """An engine whose connections use a fresh schema, dropped afterwards.

    Skips when PostgreSQL is not running, except in CI, where a missing server fails the test.
    """
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = sa.create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
