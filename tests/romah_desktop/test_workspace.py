"""Opening, creating and upgrading the laptop's workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import connect_encrypted
from romah_desktop import workspace as workspace_module
from romah_desktop.errors import RomahError, ValidationError
from romah_desktop.workspace import NotInitialised, Workspace
from tests.conftest import ADMIN_PASSWORD


def test_open_without_a_database_says_run_init(tmp_path: Path) -> None:
    with pytest.raises(NotInitialised) as raised:
        Workspace.unlock(tmp_path, "admin", ADMIN_PASSWORD)
    assert "romah init" in raised.value.text("ar")
    assert not (tmp_path / "romah.db").exists()


def test_failed_create_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        Workspace.create(tmp_path, "RYD", "فرع", "admin", "short")  # password too short
    assert list(tmp_path.glob("romah.db*")) == []
    assert not (tmp_path / "keyring.json").exists()
    with pytest.raises(ValidationError):
        Workspace.create(tmp_path, "R", "فرع", "admin", ADMIN_PASSWORD)


def test_reopen_keeps_the_device_and_its_clock(workspace: Workspace) -> None:
    device = workspace.device_id()
    assert workspace.db.device is not None
    last = workspace.db.device.clock.last
    workspace.close()
    reopened, _admin = Workspace.unlock(workspace.data_dir, "admin", ADMIN_PASSWORD)
    assert reopened.device_id() == device
    assert reopened.db.device is not None
    assert reopened.db.device.clock.now() > last
    reopened.close()


def test_a_failed_upgrade_restores_the_backup(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workspace.database_path
    key = workspace.database_key
    workspace.close()

    def broken_upgrade(engine: object) -> None:
        db = connect_encrypted(path, key)
        db.execute("DROP TABLE beneficiary_search_key")
        db.commit()
        db.close()
        raise RuntimeError("migration 0002 failed")

    monkeypatch.setattr(workspace_module, "needs_upgrade", lambda engine: True)
    monkeypatch.setattr(workspace_module, "upgrade", broken_upgrade)
    with pytest.raises(RomahError) as raised:
        Workspace.unlock(workspace.data_dir, "admin", ADMIN_PASSWORD)
    assert "migration 0002 failed" in raised.value.text("en")
    assert path.with_name("romah.db.before-upgrade").exists()
    db = connect_encrypted(path, key)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    assert "beneficiary_search_key" in tables
