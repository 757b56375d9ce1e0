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
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from db.base import utcnow
from db.enums import Role
from db.ids import new_id
from db.keys import Credentials
from db.values import check as check_value
from romah_desktop import settings
from romah_desktop.errors import FormErrors, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.permissions import may_grant
from romah_desktop.services.branch import branch_values
from romah_desktop.services.users import user_credentials, validate_password, validate_username
from romah_desktop.validation import validate_text
from sync.server.schema import hq_branch, hq_device, hq_enrolment, hq_quarantine, hq_row
from sync.server.store import DeviceAuth, Refused, Store

ENROLMENT_VALID_FOR = timedelta(days=7)
# HQ's record of the key a laptop sent when it was enrolled (hq_meta, per device).
SIGNING_KEY_META = "signing_key:{device_id}"


TOKEN_BYTES = 24


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# The one read each request makes of its device: the credential and revocation are checked
# against the database every time (another HQ process may have revoked the laptop a moment
# ago), and a sync notes what the laptop reported from the same row. Built once, not per
# request.
_DEVICE = sa.select(
    hq_device.c.id,
    hq_device.c.branch_id,
    hq_device.c.token_sha256,
    hq_device.c.revoked_at,
    hq_device.c.app_version,
    hq_device.c.waiting,
    hq_device.c.last_seen_at,
)
_DEVICE_ROW = _DEVICE.where(hq_device.c.id == sa.bindparam("device_id"))
_DEVICE_OF_TOKEN = _DEVICE.where(hq_device.c.token_sha256 == sa.bindparam("token_sha256"))
_DeviceRow = sa.Row[Any, Any, Any, Any, Any, Any, Any]


def authenticate(store: Store, header: str | None) -> DeviceAuth:
    """The device behind an `Authorization: Bearer <token>` header, or (as laptops sent it
    before HQ read the short form) `Bearer <device id>.<token>`."""
    with store.engine.connect() as connection:
        row = _device_row(connection, header)
    return DeviceAuth(row.id, row.branch_id)


def authenticate_sync(
    connection: sa.Connection, header: str | None, app_version: str | None, waiting: str | None
) -> DeviceAuth:
    """`authenticate`, then note that the laptop synced now, with what it reported (its app
    version, the changes waiting in its outbox), from the same read of the device's row: on
    `connection`, which the pull goes on to read its page with (committed when it wrote)."""
    row = _device_row(connection, header)
    _note(connection, row, app_version, waiting)
    return DeviceAuth(row.id, row.branch_id)


def _device_row(connection: sa.Connection, header: str | None) -> _DeviceRow:
    """The row of the enrolled, unrevoked device `header` names; raises Refused (401, or 403
    when revoked) otherwise."""
    if not header or not header.startswith("Bearer "):
        raise Refused(401, "This request has no device credential; enrol the laptop first.")
    device_id, dot, token = header.removeprefix("Bearer ").partition(".")
    if dot:
        hashed = _token_hash(token)
        row = connection.execute(_DEVICE_ROW, {"device_id": device_id}).one_or_none()
    else:  # the token alone (no token has a dot: they are URL-safe base64)
        hashed = _token_hash(device_id)
        row = connection.execute(_DEVICE_OF_TOKEN, {"token_sha256": hashed}).one_or_none()
    if row is None or not hmac.compare_digest(row.token_sha256, hashed):
        raise Refused(401, "The device credential is not valid; enrol the laptop again.")
    if row.revoked_at is not None:
        raise Refused(
            403,
            "HQ has revoked this laptop; it can no longer sync. Its data stays on it: "
            "ask HQ to enrol it again.",
            code="revoked",
        )
    return row


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
    return issue_enrolment_code(store, branch_code)[0]


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
    # 192 random bits, beyond any guessing: it goes in every request a laptop sends, where the
    # 256 bits it was before cost 11 bytes more each time.
    token = secrets.token_urlsafe(TOKEN_BYTES)
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


def revoke_device(
    store: Store,
    device_id: str,
    reason: str | None = None,
    then: Callable[[sa.Connection], None] | None = None,
) -> None:
    """Stop a laptop from syncing, and tell the branch's other laptops (its printed papers
    from now on are not genuine there either); `reason` (lost, stolen, retired...) is kept
    at HQ, and `then` runs in the same transaction (the console's audit row). Raises Refused
    (404) if no such unrevoked device."""
    now = utcnow()
    reason = (reason or "").strip() or None
    with store.writing() as connection:
        updated = connection.execute(
            sa.update(hq_device)
            .where(hq_device.c.id == device_id, hq_device.c.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
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
        if then is not None:
            then(connection)


def issue_enrolment_code(
    store: Store, branch_code: str, then: Callable[[sa.Connection], None] | None = None
) -> tuple[str, datetime]:
    """A one-time code (valid a week) for a laptop of the branch, and when it expires;
    `then` runs in the same transaction (the console's audit row). Raises Refused (404) for
    an unknown branch."""
    branch_id = branch_id_of(store, branch_code)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    now = utcnow()
    expires = now + ENROLMENT_VALID_FOR
    with store.engine.begin() as connection:
        connection.execute(
            sa.insert(hq_enrolment).values(
                code_sha256=_token_hash(raw),
                branch_id=branch_id,
                created_at=now,
                expires_at=expires,
            )
        )
        if then is not None:
            then(connection)
    return code, expires


# How often a laptop's sync updates its last-seen time at HQ when nothing else it reports
# changed: a quiet laptop syncing every few seconds writes nothing most of the time.
SEEN_EVERY = timedelta(minutes=1)
MAX_APP_VERSION = 40


def _note(
    connection: sa.Connection, row: _DeviceRow, app_version: str | None, waiting: str | None
) -> None:
    """Record that a laptop synced now, with the app version and the number of changes
    waiting in its outbox it reported (as sent in its request headers; a missing or malformed
    value leaves what HQ knows), given its row as read: one UPDATE only when something
    changed or the last-seen time is over a minute old."""
    sent = (app_version or "").strip()[:MAX_APP_VERSION]
    version = sent if sent and sent.isprintable() and sent.isascii() else None
    count = int(waiting) if waiting and waiting.isdigit() and len(waiting) < 10 else None
    now = utcnow()
    values: dict[str, Any] = {}
    if version is not None and version != row.app_version:
        values["app_version"] = version
    if count is not None and count != row.waiting:
        values["waiting"] = count
    seen = row.last_seen_at
    if values or seen is None or seen.replace(tzinfo=seen.tzinfo or UTC) < now - SEEN_EVERY:
        values["last_seen_at"] = now
    if not values:
        return
    connection.execute(sa.update(hq_device).where(hq_device.c.id == row.id).values(values))
    connection.commit()


def laptops(store: Store) -> list[dict[str, Any]]:
    """Every enrolled laptop, newest first, with its branch code, what it last reported
    (last sync, app version, changes waiting), its revocation, and its errors: how many of
    its changes HQ holds in quarantine unsettled, and the latest one's reason."""
    with store.engine.connect() as connection:
        codes = dict(connection.execute(sa.select(hq_branch.c.id, hq_branch.c.code)).all())
        held: dict[str, tuple[int, int]] = {
            row.device_id: (row.held, row.latest)
            for row in connection.execute(
                sa.select(
                    hq_quarantine.c.device_id,
                    sa.func.count().label("held"),
                    sa.func.max(hq_quarantine.c.id).label("latest"),
                )
                .where(hq_quarantine.c.settled.is_(None))
                .group_by(hq_quarantine.c.device_id)
            )
        }
        reasons = dict(
            connection.execute(
                sa.select(hq_quarantine.c.id, hq_quarantine.c.reason).where(
                    hq_quarantine.c.id.in_([latest for _, latest in held.values()])
                )
            ).all()
        )
        found = []
        for row in connection.execute(
            sa.select(hq_device).order_by(hq_device.c.enrolled_at.desc(), hq_device.c.id)
        ).mappings():
            errors, latest = held.get(row["id"], (0, 0))
            found.append(
                {
                    **row,
                    "branch_code": codes.get(row["branch_id"], "?"),
                    "errors": errors,
                    "latest_error": reasons.get(latest),
                }
            )
    return found


# -- the console: branches and users ----------------------------------------------------
#
# The console's administrator edits the same synced records the laptops hold (`branch`,
# `user_account`) as HQ's own changes, so each reaches the branch's laptops at their next sync.
# Each function writes in the caller's transaction (`store.writing()`), beside its audit row,
# and raises ValidationError (a message for the person, with the form field) for bad input.

BRANCH_FIELDS = ("name", "phone", "address")


def validate_branch_code(connection: sa.Connection, code: str) -> str:
    """A new branch's code (upper case); raises ValidationError when malformed or in use."""
    code = code.strip().upper()
    if not (2 <= len(code) <= 10 and code.isascii() and code.isalnum()):
        raise ValidationError(
            "code", N_("The branch code is 2 to 10 Latin letters or digits, e.g. RYD.")
        )
    taken = connection.execute(sa.select(hq_branch.c.id).where(hq_branch.c.code == code)).first()
    if taken:
        raise ValidationError(
            "code", N_("There is already a branch with the code {code}."), code=code
        )
    return code


def _storable(errors: list[ValidationError], table: str, field: str, value: Any) -> None:
    """The synced column's own rule (as the laptops apply it), after the form's."""
    reason = check_value(table, field, value)
    if reason is not None:
        errors.append(
            ValidationError(field, N_("This value cannot be stored: {reason}"), reason=reason)
        )


def create_branch(
    store: Store, connection: sa.Connection, code: str, name: str, phone: str, address: str
) -> tuple[str, str]:
    """Add a branch in `connection`'s transaction; returns its id and code. Raises FormErrors."""
    errors: list[ValidationError] = []
    try:
        code = validate_branch_code(connection, code)
    except ValidationError as exc:
        errors.append(exc)
    try:
        values = branch_values(name, phone, address)
    except FormErrors as exc:
        errors.extend(exc.errors)
    if errors:
        raise FormErrors(errors)
    branch_id = new_id()
    connection.execute(sa.insert(hq_branch).values(id=branch_id, code=code))
    store.write_as_hq(connection, "branch", branch_id, {"code": code, **values}, scope=branch_id)
    return branch_id, code


def update_branch(
    store: Store, connection: sa.Connection, branch_id: str, name: str, phone: str, address: str
) -> dict[str, Any]:
    """Change a branch's name, phone and address (only the fields that differ are written);
    returns the changed fields. Raises FormErrors, or Refused (404) for no such branch."""
    current = _branch(connection, branch_id)
    values = branch_values(name, phone, address)
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    if changed:
        store.write_as_hq(connection, "branch", branch_id, changed, scope=branch_id)
    return changed


def branch_settings(typed: dict[str, str]) -> dict[str, int | str]:
    """The branch settings HQ sets from what was typed (setting key → text; blank leaves the
    setting to the branch), checked against their declarations. Raises FormErrors naming
    every wrong one."""
    errors: list[ValidationError] = []
    chosen: dict[str, int | str] = {}
    for setting in settings.BRANCH_SETTINGS:
        text = typed.get(setting.key, "").strip()
        if not text:
            continue
        try:
            chosen[setting.key] = settings.checked(setting, text)
        except ValidationError as exc:
            errors.append(exc)
    if not errors:
        _storable(errors, "branch", "settings", chosen)
    if errors:
        raise FormErrors(errors)
    return chosen


def update_branch_settings(
    store: Store, connection: sa.Connection, branch_id: str, typed: dict[str, str]
) -> dict[str, int | str] | None:
    """Set the branch settings every laptop of the branch uses (those left blank stay each
    laptop's own); returns the new settings, or None when nothing changed. Raises FormErrors,
    or Refused (404) for no such branch."""
    current = _branch(connection, branch_id).get("settings") or {}
    chosen = branch_settings(typed)
    if chosen == current:
        return None
    store.write_as_hq(
        connection, "branch", branch_id, {"settings": chosen or None}, scope=branch_id
    )
    return chosen


def _branch(connection: sa.Connection, branch_id: str) -> dict[str, Any]:
    data = connection.execute(
        sa.select(hq_row.c.data).where(
            hq_row.c.table_name == "branch", hq_row.c.row_id == branch_id
        )
    ).scalar_one_or_none()
    if data is None:
        raise Refused(404, "There is no such branch.")
    return dict(data)


def branches(store: Store) -> list[dict[str, Any]]:
    """Every branch's record, with how many unrevoked laptops and active users it has, by
    code."""
    with store.engine.connect() as connection:
        laptops: dict[str, int] = dict(
            connection.execute(
                sa.select(hq_device.c.branch_id, sa.func.count())
                .where(hq_device.c.revoked_at.is_(None))
                .group_by(hq_device.c.branch_id)
            ).all()
        )
        users: dict[str, int] = {}
        for scope, data in connection.execute(
            sa.select(hq_row.c.scope, hq_row.c.data).where(hq_row.c.table_name == "user_account")
        ):
            if data.get("active", True) and data.get("deleted_at") is None:
                users[scope] = users.get(scope, 0) + 1
        found = [
            {
                **dict(data),
                "id": row_id,
                "laptops": laptops.get(row_id, 0),
                "users": users.get(row_id, 0),
            }
            for row_id, data in connection.execute(
                sa.select(hq_row.c.row_id, hq_row.c.data).where(hq_row.c.table_name == "branch")
            )
        ]
    return sorted(found, key=lambda b: str(b.get("code")))


def branch(store: Store, branch_id: str) -> dict[str, Any]:
    """One branch's record and its laptops; raises Refused (404) for no such branch."""
    with store.engine.connect() as connection:
        found = {**_branch(connection, branch_id), "id": branch_id}
        found["devices"] = [
            dict(r)
            for r in connection.execute(
                sa.select(hq_device)
                .where(hq_device.c.branch_id == branch_id)
                .order_by(hq_device.c.enrolled_at)
            ).mappings()
        ]
    for device in found["devices"]:
        device.pop("token_sha256", None)
    return found


def branch_users(store: Store, branch_id: str | None = None) -> list[dict[str, Any]]:
    """The user accounts of one branch (or of all), without their password hashes or keys,
    by branch code and user name."""
    codes = dict(_codes(store))
    query = sa.select(hq_row.c.row_id, hq_row.c.data).where(hq_row.c.table_name == "user_account")
    if branch_id is not None:
        query = query.where(hq_row.c.scope == branch_id)
    with store.engine.connect() as connection:
        found = [
            {
                **{k: v for k, v in data.items() if k not in _SECRET_FIELDS},
                "id": row_id,
                "branch_code": codes.get(data.get("branch_id"), "?"),
            }
            for row_id, data in connection.execute(query)
            if data.get("deleted_at") is None
        ]
    return sorted(found, key=lambda u: (u["branch_code"], str(u.get("username"))))


_SECRET_FIELDS = frozenset({"password_hash", "private_key_box", "public_key"})


def _codes(store: Store) -> list[tuple[str, str]]:
    with store.engine.connect() as connection:
        return [(r.id, r.code) for r in connection.execute(sa.select(hq_branch))]


def branch_user(store: Store, user_id: str) -> dict[str, Any]:
    """One branch user (without secrets); raises Refused (404) for no such user."""
    with store.engine.connect() as connection:
        data = branch_user_record(connection, user_id)
    codes = dict(_codes(store))
    return {
        **{k: v for k, v in data.items() if k not in _SECRET_FIELDS},
        "id": user_id,
        "branch_code": codes.get(str(data.get("branch_id")), "?"),
    }


def branch_user_record(connection: sa.Connection, user_id: str) -> dict[str, Any]:
    """A branch user's record as HQ holds it; raises Refused (404) for no such user."""
    data = connection.execute(
        sa.select(hq_row.c.data).where(
            hq_row.c.table_name == "user_account", hq_row.c.row_id == user_id
        )
    ).scalar_one_or_none()
    if data is None or data.get("deleted_at") is not None:
        raise Refused(404, "There is no such user.")
    return dict(data)


def validate_role(value: str, field: str = "role") -> Role:
    """A branch user's role that HQ's administrator may grant (the laptops' rule)."""
    try:
        role = Role(value)
    except ValueError:
        raise ValidationError(field, N_("Please choose one of the options in the list.")) from None
    if not may_grant(Role.HQ_ADMIN, role):
        raise ValidationError(field, N_("HQ may not grant this role."))
    return role


def add_branch_user(
    store: Store,
    connection: sa.Connection,
    branch_id: str,
    username: str,
    full_name: str,
    role: str,
    password: str,
    extra_roles: list[str] | None = None,
) -> tuple[str, str]:
    """Add a user account to a branch in `connection`'s transaction, with the further roles
    `extra_roles` (checked by the caller, who knows who grants them); returns its id and user
    name. Raises FormErrors naming every wrong field (an unknown branch too)."""
    errors: list[ValidationError] = []
    try:
        _branch(connection, branch_id)
    except Refused:
        errors.append(ValidationError("branch", N_("Please choose the user's branch.")))
    values: dict[str, Any] = {"branch_id": branch_id, "active": True}
    checks: tuple[tuple[str, Callable[[], Any]], ...] = (
        ("username", lambda: validate_username(username)),
        ("full_name", lambda: validate_text(full_name, "full_name", max_length=200, required=True)),
        ("role", lambda: validate_role(role).value),
        ("password", lambda: validate_password(password)),
    )
    for field, check in checks:
        try:
            values[field] = check()
        except ValidationError as exc:
            errors.append(exc)
    if "username" in values and _username_taken(connection, values["username"]):
        errors.append(
            ValidationError(
                "username",
                N_("The user name {username} is already taken."),
                username=values["username"],
            )
        )
    for field in ("username", "full_name", "role"):
        if field in values:
            _storable(errors, "user_account", field, values[field])
    if errors:
        raise FormErrors(errors)
    values.update(user_credentials(values.pop("password")).values())
    if extra_roles:
        values["extra_roles"] = extra_roles
    user_id = new_id()
    store.write_as_hq(connection, "user_account", user_id, values, scope=branch_id)
    return user_id, str(values["username"])


def _username_taken(connection: sa.Connection, username: str) -> bool:
    return any(
        data.get("username") == username
        for (data,) in connection.execute(
            sa.select(hq_row.c.data).where(hq_row.c.table_name == "user_account")
        )
    )


def set_user_active(store: Store, connection: sa.Connection, user_id: str, active: bool) -> bool:
    """Enable or disable a branch user (a disabled one cannot sign in on any laptop, and HQ
    refuses their changes); False when it is so already. Raises Refused (404)."""
    current = branch_user_record(connection, user_id)
    if bool(current.get("active", True)) == active:
        return False
    store.write_as_hq(connection, "user_account", user_id, {"active": active}, current["branch_id"])
    return True


def set_user_password(store: Store, connection: sa.Connection, user_id: str, password: str) -> None:
    """Give a branch user a new password (a new key pair): each laptop of theirs seals its
    database key to it at its next signed-in sync. Raises ValidationError or Refused (404)."""
    current = branch_user_record(connection, user_id)
    credentials = user_credentials(password)
    store.write_as_hq(
        connection, "user_account", user_id, credentials.values(), current["branch_id"]
    )
