"""Enrolling a laptop with HQ: a new one, or one that has worked standalone since `init`.

A standalone laptop made its own branch record at `init`; HQ's record of the branch has another
id. Enrolment moves every reference (and every change still waiting in the outbox) to HQ's id
and drops the local record, in one transaction, so nothing the laptop holds is lost and the
first sync sends all of it under the right branch.
"""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from db.base import Base, utcnow
from db.ids import new_id
from db.models import Branch, Device, OutboxEntry
from db.outbox import from_json_values
from romah_desktop import paths
from romah_desktop.errors import RomahError
from romah_desktop.i18n import N_
from romah_desktop.keyring import Keyring
from romah_desktop.printing.papers import (
    device_signing_key,
    new_signing_key,
    public_key_text,
    store_signing_key,
)
from romah_desktop.services.context import this_device
from romah_desktop.workspace import Workspace
from sync.client import enrol_request, save_enrolment
from sync.tls import HQTrust, check_address


def enrol(
    data_dir: Path,
    server: str,
    code: str,
    name: str | None = None,
    client: httpx.Client | None = None,
    workspace: Workspace | None = None,
    *,
    ca_file: Path | None = None,
    pin: str | None = None,
    insecure_http: bool = False,
) -> Workspace:
    """Enrol the laptop whose data folder is `data_dir`: a new one (its database is created
    here), or one that has worked standalone, opened by a signed-in user as `workspace`.

    HQ's certificate is checked against the system's authorities, or the society's CA in
    `ca_file`, or the fingerprint `pin` (`sha256:HEX`); every later sync checks it the same
    way. An `http://` address of another machine is refused unless `insecure_http`. `client`
    replaces the network (an in-process HQ in tests), so neither check applies to it.

    Raises InsecureAddress, TrustSettingsInvalid, CertificateRefused, Offline, SyncProblem."""
    name = name or platform.node() or "laptop"
    trust = HQTrust.from_options(ca_file, pin)
    if client is None:
        check_address(server, insecure_http)
    if not (data_dir / paths.DATABASE_FILE).exists():
        device_id = new_id()
        prefix = device_id[-4:].upper()
        key = new_signing_key()
        answer = enrol_request(
            server, code, device_id, name, prefix, None, client, public_key_text(key), trust
        )
        workspace = Workspace.create_enrolled(data_dir, device_id, prefix, name, answer.branch)
        with workspace.db.engine.begin() as connection:
            save_enrolment(connection, server, device_id, answer.token, trust)
            _mark_enrolled(connection, device_id)
        with workspace.transaction() as session:
            store_signing_key(session, device_id, key)
        _first_sync(workspace, client)
        return workspace
    if workspace is None:
        raise RomahError(
            N_("This laptop has a database already: sign in (--user) to enrol it."),
        )
    with workspace.transaction() as session:
        device = this_device(session)
        key = device_signing_key(session, device.device_id)
    answer = enrol_request(
        server,
        code,
        device.device_id,
        name,
        device.prefix,
        device.branch_code,
        client,
        public_key_text(key),
        trust,
    )
    with workspace.db.engine.begin() as connection:
        if device.branch_id != answer.branch["id"]:
            adopt_branch(connection, device.branch_id, answer.branch)
        save_enrolment(connection, server, device.device_id, answer.token, trust)
        _mark_enrolled(connection, device.device_id)
    workspace.db.session_info.pop("this_device", None)
    with workspace.db.session() as session:
        workspace.db.session_info["this_device"] = this_device(session)
    return workspace


def _first_sync(workspace: Workspace, client: httpx.Client | None) -> None:
    """Bring the branch's users at once: the new database is encrypted, and only their
    passwords (sealed in by this sync) or the recovery key will open it again. If this fails,
    the empty database goes: nothing was in it yet, and HQ can give a new code."""
    from sync.client import SyncClient

    sync_client = SyncClient(workspace.db, workspace.attachments_dir, client=client)
    try:
        sync_client.sync()
    except BaseException:
        workspace.close()
        for leftover in workspace.data_dir.glob(paths.DATABASE_FILE + "*"):
            leftover.unlink()
        Keyring.path_in(workspace.data_dir).unlink(missing_ok=True)
        raise
    finally:
        sync_client.close()


def _mark_enrolled(connection: sa.Connection, device_id: str) -> None:
    connection.execute(sa.update(Device).where(Device.id == device_id).values(enrolled_at=utcnow()))


def adopt_branch(connection: sa.Connection, old_id: str, branch: dict[str, Any]) -> None:
    """Point everything at HQ's branch record instead of the one made at `init`."""
    new_id_ = branch["id"]
    values = from_json_values("branch", branch)
    # The two records share the branch code, which is unique: free it first.
    connection.execute(sa.update(Branch).where(Branch.id == old_id).values(code=old_id[-10:]))
    connection.execute(sa.insert(Branch).values(**values, field_versions={}))
    for table in Base.metadata.sorted_tables:
        if "branch_id" in table.c:
            connection.execute(
                sa.update(table).where(table.c.branch_id == old_id).values(branch_id=new_id_)
            )
    connection.execute(
        sa.text(
            "UPDATE outbox SET changes = json_set(changes, '$.branch_id', :new) "
            "WHERE json_extract(changes, '$.branch_id') = :old"
        ),
        {"new": new_id_, "old": old_id},
    )
    connection.execute(
        sa.delete(OutboxEntry).where(
            OutboxEntry.table_name == "branch", OutboxEntry.row_id == old_id
        )
    )
    connection.execute(sa.delete(Branch).where(Branch.id == old_id))
