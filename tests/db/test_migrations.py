"""Tests of the migrations: they are the only way a database is made, and they make exactly the
schema the models describe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import db.models  # noqa: F401  (registers every table on Base.metadata)
from db.base import Base
from db.engine import create_engine, sqlite_url
from db.migrate import alembic_config, current_revision, head_revision, needs_upgrade, upgrade
from romah_desktop.workspace import Workspace

# Made by raw SQL in the migration (an FTS5 table, its shadow tables and its key map), so not
# on the models' metadata.
SEARCH_PREFIX = "beneficiary_search"
APPEND_ONLY_TRIGGERS = {
    f"{table}_no_{action}"
    for table in ("signed_declaration", "committee_decision", "audit_event")
    for action in ("update", "delete")
}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[sa.Engine]:
    """An engine on an empty database file."""
    engine = create_engine(sqlite_url(tmp_path / "empty.db"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    """A database brought to head by the migrations (shared: the tests only read it)."""
    engine = create_engine(sqlite_url(tmp_path_factory.mktemp("migrated") / "head.db"))
    upgrade(engine)
    yield engine
    engine.dispose()


def downgrade(engine: sa.Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def schema_objects(engine: sa.Engine, kind: str) -> set[str]:
    with engine.connect() as connection:
        return set(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'",
                (kind,),
            ).scalars()
        )


def model_tables() -> set[str]:
    return set(Base.metadata.tables)


# --- upgrade and downgrade ------------------------------------------------------------------


def test_upgrade_from_empty_to_head(engine: sa.Engine) -> None:
    assert current_revision(engine) is None
    assert needs_upgrade(engine)
    upgrade(engine)
    assert head_revision() is not None
    assert current_revision(engine) == head_revision()
    assert not needs_upgrade(engine)
    tables = schema_objects(engine, "table")
    assert model_tables() <= tables
    assert {SEARCH_PREFIX, f"{SEARCH_PREFIX}_key", "alembic_version"} <= tables
    assert APPEND_ONLY_TRIGGERS <= schema_objects(engine, "trigger")


def test_upgrading_twice_changes_nothing(engine: sa.Engine) -> None:
    upgrade(engine)
    tables = schema_objects(engine, "table")
    upgrade(engine)
    assert schema_objects(engine, "table") == tables
    assert current_revision(engine) == head_revision()


def test_downgrade_to_base_then_upgrade_again(engine: sa.Engine) -> None:
    upgrade(engine)
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert schema_objects(engine, "table") <= {"alembic_version"}
    assert schema_objects(engine, "trigger") == set()
    assert schema_objects(engine, "index") == set()
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert model_tables() <= schema_objects(engine, "table")
    assert APPEND_ONLY_TRIGGERS <= schema_objects(engine, "trigger")
    assert compare(engine) == []


def test_the_workspace_database_is_made_by_the_migrations(workspace: Workspace) -> None:
    assert current_revision(workspace.db.engine) == head_revision()
    assert APPEND_ONLY_TRIGGERS <= schema_objects(workspace.db.engine, "trigger")
    with workspace.db.engine.connect() as connection:
        assert pragmas(connection) == ("wal", 1)


# --- the migrated schema is the models' schema ----------------------------------------------


def compare(engine: sa.Engine) -> list[Any]:
    """compare_metadata's differences, without the search tables made by raw SQL."""

    def is_search_table(diff: Any) -> bool:
        return (
            isinstance(diff, tuple)
            and diff[0] == "remove_table"
            and diff[1].name.startswith(SEARCH_PREFIX)
        )

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        diffs = compare_metadata(context, Base.metadata)
    return [d for d in diffs if not is_search_table(d)]


def test_the_migrated_schema_matches_the_models(migrated: sa.Engine) -> None:
    assert compare(migrated) == []


def test_the_search_tables_are_the_only_extra_tables(migrated: sa.Engine) -> None:
    extra = schema_objects(migrated, "table") - model_tables() - {"alembic_version"}
    assert extra
    assert all(name.startswith(SEARCH_PREFIX) for name in extra)


def reflect(engine: sa.Engine) -> dict[str, dict[str, Any]]:
    """What compare_metadata does not look at: check constraints, partial-index conditions,
    unique constraints and foreign keys by name, column types and nullability."""
    inspector = sa.inspect(engine)
    schema: dict[str, dict[str, Any]] = {}
    for table in inspector.get_table_names():
        if table.startswith(SEARCH_PREFIX) or table == "alembic_version":
            continue
        schema[table] = {
            "columns": sorted(
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ),
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (f["name"], tuple(f["constrained_columns"]), f["referred_table"])
                for f in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (
                    i["name"],
                    tuple(i["column_names"]),
                    bool(i["unique"]),
                    str(i.get("dialect_options", {}).get("sqlite_where")),
                )
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(
                (c["name"], c["sqltext"]) for c in inspector.get_check_constraints(table)
            ),
        }
    return schema


def test_the_migrated_schema_has_every_constraint_of_the_models(
    migrated: sa.Engine, tmp_path: Path
) -> None:
    from_models = create_engine(sqlite_url(tmp_path / "create_all.db"))
    try:
        Base.metadata.create_all(from_models)
        expected = reflect(from_models)
    finally:
        from_models.dispose()
    actual = reflect(migrated)
    assert set(actual) == set(expected)
    for table in expected:
        assert actual[table] == expected[table], table
    # The rules that matter most, spelled out.
    live_id = [
        i for i in actual["beneficiary"]["indexes"] if i[0] == "uq_beneficiary_national_id_live"
    ]
    assert live_id == [
        ("uq_beneficiary_national_id_live", ("national_id",), True, "deleted_at IS NULL")
    ]
    assert ("ck_satisfaction_survey_overall_range", "overall BETWEEN 1 AND 5") in actual[
        "satisfaction_survey"
    ]["checks"]


# --- connection settings --------------------------------------------------------------------


def pragmas(connection: sa.Connection) -> tuple[str, int]:
    journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()
    foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one()
    return journal, foreign_keys


def test_connections_use_wal_and_enforce_foreign_keys(migrated: sa.Engine) -> None:
    with migrated.connect() as connection:
        assert pragmas(connection) == ("wal", 1)
    with pytest.raises(sa.exc.IntegrityError, match="FOREIGN KEY"), migrated.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO device (id, branch_id, name, prefix, origin_device_id, hlc, created_at, "
            "updated_at, field_versions) VALUES ('d', 'no-such-branch', 'x', 'ABCD', 'd', 'h', "
            "'2026-01-01', '2026-01-01', '{}')"
        )


def test_every_pooled_connection_gets_the_settings(tmp_path: Path) -> None:
    engine = create_engine(sqlite_url(tmp_path / "pool.db"), poolclass=sa.pool.NullPool)
    try:
        for _ in range(3):  # NullPool: a new DBAPI connection each time
            with engine.connect() as connection:
                assert pragmas(connection) == ("wal", 1)
    finally:
        engine.dispose()


def test_the_schema_revision_the_app_expects_is_the_newest_migration() -> None:
    from db.migrate import SCHEMA_REVISION, head_revision

    assert SCHEMA_REVISION == head_revision()
