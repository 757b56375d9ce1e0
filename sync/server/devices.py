"""Who may sync: HQ's branches and their user accounts, one-time enrolment codes, enrolled
laptops and their credentials.

A laptop is enrolled once with a code HQ made for its branch (valid a week, used once) and
then authenticates every request with its device id and token; only the token's hash is
stored. A revoked laptop is refused, and its data stays on it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import UTC, timedelta
from typing import Any

import sqlalchemy as sa

from db.base import utcnow
from db.ids import new_id
from db.keys import Credentials
from sync.server.schema import hq_branch, hq_device, hq_enrolment, hq_row
from sync.server.store import DeviceAuth, Refused, Store

ENROLMENT_VALID_FOR = timedelta(days=7)
# HQ's record of the key a laptop sent when it was enrolled (hq_meta, per device).
SIGNING_KEY_META = "signing_key:{device_id}"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(store: Store, header: str | None) -> DeviceAuth:
    """The device behind an `Authorization: Bearer <device id>.<token>` header."""
    if not header or not header.startswith("Bearer "):
        raise Refused(401, "This request has no device credential; enrol the laptop first.")
    device_id, _, token = header.removeprefix("Bearer ").partition(".")
    with store.engine.connect() as connection:
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


def add_branch(store: Store, code: str, name: str, phone: str | None = None) -> str:
    """Add a branch (its code is 2 to 10 Latin letters or digits); returns its id. Raises
    Refused for a malformed code, a missing name, or a code in use."""
    code = code.strip().upper()
    if not (2 <= len(code) <= 10 and code.isascii() and code.isalnum()):
        raise Refused(400, "The branch code is 2 to 10 Latin letters or digits, e.g. RYD.")
    if not name.strip():
        raise Refused(400, "The branch needs a name.")
    branch_id = new_id()
    with store.writing() as connection:
        exists = connection.execute(
            sa.select(hq_branch.c.id).where(hq_branch.c.code == code)
        ).first()
        if exists:
            raise Refused(409, f"Branch {code} exists already.")
        connection.execute(sa.insert(hq_branch).values(id=branch_id, code=code))
        values = {"code": code, "name": name.strip(), "phone": phone, "address": None}
        store.write_as_hq(connection, "branch", branch_id, values, scope=branch_id)
    return branch_id


def branch_id_of(store: Store, code: str) -> str:
    """The id of the branch with `code`; raises Refused (404) if there is none."""
    with store.engine.connect() as connection:
        branch_id = connection.execute(
            sa.select(hq_branch.c.id).where(hq_branch.c.code == code.strip().upper())
        ).scalar_one_or_none()
    if branch_id is None:
        raise Refused(404, f"There is no branch {code.strip().upper()}.")
    return str(branch_id)


def branch_row(connection: sa.Connection, branch_id: str) -> dict[str, Any]:
    """The branch's record as laptops receive it."""
    data = connection.execute(
        sa.select(hq_row.c.data).where(
            hq_row.c.table_name == "branch", hq_row.c.row_id == branch_id
        )
    ).scalar_one()
    return dict(data)


def add_user(
    store: Store,
    username: str,
    full_name: str,
    role: str,
    branch_code: str,
    credentials: Credentials,
) -> str:
    """Add a user account to a branch; returns its id. Raises Refused for an unknown branch
    or a user name that is taken."""
    branch_id = branch_id_of(store, branch_code)
    user_id = new_id()
    with store.writing() as connection:
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
            **credentials.values(),
            "active": True,
        }
        store.write_as_hq(connection, "user_account", user_id, values, scope=branch_id)
    return user_id


def reset_password(store: Store, username: str, credentials: Credentials) -> str:
    """Give a user a new password (a new key pair): each laptop of theirs seals its database
    key to it at its next signed-in sync. Returns the user's id; raises Refused if unknown."""
    with store.writing() as connection:
        for row_id, data in connection.execute(
            sa.select(hq_row.c.row_id, hq_row.c.data).where(hq_row.c.table_name == "user_account")
        ):
            if data.get("username") == username and data.get("deleted_at") is None:
                store.write_as_hq(
                    connection, "user_account", row_id, credentials.values(), data["branch_id"]
                )
                return str(row_id)
    raise Refused(404, f"There is no user named {username}.")


def new_enrolment_code(store: Store, branch_code: str) -> str:
    """A one-time code (valid a week) that binds one laptop to the branch."""
    branch_id = branch_id_of(store, branch_code)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    now = utcnow()
    with store.engine.begin() as connection:
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
    store: Store,
    code: str,
    device_id: str,
    name: str,
    prefix: str,
    branch_code: str | None,
    signing_key: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """Bind a laptop to the code's branch; returns its credential and the branch row.

    `signing_key`, the public key the laptop signs printed papers with (base64 of the raw 32
    bytes), is registered as HQ's own fact: papers are checked against it, whatever a device
    record later says. Raises Refused for a code that is not valid, used or expired, another
    branch's code, a device id or prefix taken, or a malformed key."""
    if signing_key is not None and not _is_public_key(signing_key):
        raise Refused(400, "The laptop's signing key is not an Ed25519 public key.")
    key = _token_hash(code.strip().upper().replace("-", "").replace(" ", ""))
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with store.writing() as connection:
        row = connection.execute(
            sa.select(hq_enrolment).where(hq_enrolment.c.code_sha256 == key)
        ).one_or_none()
        if row is None:
            raise Refused(403, "This enrolment code is not valid. Check it with HQ.")
        if row.used_at is not None:
            raise Refused(403, "This enrolment code has been used already; ask HQ for a new one.")
        if row.expires_at.replace(tzinfo=row.expires_at.tzinfo or UTC) < now:
            raise Refused(403, "This enrolment code has expired; ask HQ for a new one.")
        branch = branch_row(connection, row.branch_id)
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
        if signing_key is not None:
            store.set_meta(connection, SIGNING_KEY_META.format(device_id=device_id), signing_key)
    branch["id"] = row.branch_id
    return token, branch


def _is_public_key(text: str) -> bool:
    try:
        return len(base64.b64decode(text, validate=True)) == 32
    except (binascii.Error, ValueError):
        return False


def revoke_device(store: Store, device_id: str) -> None:
    """Stop a laptop from syncing, and tell the branch's other laptops (its printed papers
    from now on are not genuine there either); raises Refused (404) if no such unrevoked
    device."""
    now = utcnow()
    with store.writing() as connection:
        updated = connection.execute(
            sa.update(hq_device)
            .where(hq_device.c.id == device_id, hq_device.c.revoked_at.is_(None))
            .values(revoked_at=now)
        ).rowcount
        if not updated:
            raise Refused(404, f"There is no enrolled, unrevoked device {device_id}.")
        record = connection.execute(
            sa.select(hq_row.c.data).where(
                hq_row.c.table_name == "device", hq_row.c.row_id == device_id
            )
        ).scalar()
        if record is not None:
            store.write_as_hq(
                connection,
                "device",
                device_id,
                {"revoked_at": now.isoformat()},
                record.get("branch_id"),
            )
