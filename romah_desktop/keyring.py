"""The laptop's key ring: the one file that can open the encrypted database, for the right people.

`keyring.json` sits beside the database (mode 0600). It never holds the database key in clear:

* one **slot** per user who may sign in on this laptop: their public key, their private key
  under their password (a copy of what their user record carries, so it can be opened before the
  database is), and the database key sealed to their public key (db/keys.py). Signing in opens
  the private key with the typed password and unseals the database key: a wrong password opens
  nothing, which is how a password is checked;
* a **legacy slot** for a user known only by the password hash a database made before
  encryption held; it becomes a sealed slot at that user's first sign-in;
* the database key under the **recovery key**;
* the wrong-password **lockout** (the database cannot record a failure it cannot open), with the
  rule copied from the settings at each sign-in, and the language of the sign-in window.

Losing every password and the recovery key loses the data: nothing else opens it.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import keys
from db.files import write_atomically
from romah_desktop.errors import AuthenticationError, RomahError
from romah_desktop.i18n import N_

if TYPE_CHECKING:
    # Not imported at run time: the sign-in window reads its language here before SQLAlchemy
    # is loaded (ui/app.py).
    from sqlalchemy.orm import Session


def utcnow() -> datetime:
    """Now, in UTC (`db.base.utcnow` without loading SQLAlchemy before the sign-in)."""
    return datetime.now(UTC)


KEYRING_FILE = "keyring.json"
# What the key ring copies from the database, to use before the database is open.
COPIED_SETTINGS = frozenset({"lockout_attempts", "lockout_minutes", "language"})
_STALE = "key_ring_stale"
FORMAT = 1
_DEFAULT_LOCKOUT = {"attempts": 5, "minutes": 15}


@dataclass
class Slot:
    """One user's way in. A sealed slot has `public_key`, `private_key_box` and `sealed_key`; a
    legacy slot has `legacy` (the old hash's salt and cost) and `legacy_key`."""

    user_id: str
    username: str
    public_key: str | None = None
    private_key_box: str | None = None
    sealed_key: str | None = None
    legacy: dict[str, Any] | None = None
    legacy_key: str | None = None

    def open(self, password: str) -> bytes:
        """The database key, for this user's password; raises keys.WrongKey otherwise."""
        if self.legacy is not None and self.legacy_key is not None:
            return keys.legacy_unwrap(self.legacy, self.legacy_key, password)
        if self.private_key_box is None or self.sealed_key is None:
            raise keys.WrongKey("empty slot")
        private_key = keys.open_private_key(self.private_key_box, password)
        return keys.unseal(private_key, self.sealed_key)


@dataclass
class Keyring:
    path: Path
    slots: dict[str, Slot] = field(default_factory=dict)
    recovery: str | None = None
    failures: dict[str, list[str]] = field(default_factory=dict)
    lockout: dict[str, int] = field(default_factory=lambda: dict(_DEFAULT_LOCKOUT))
    language: str | None = None

    # --- the file --------------------------------------------------------------------------------

    @staticmethod
    def path_in(data_dir: Path) -> Path:
        return data_dir / KEYRING_FILE

    @classmethod
    def language_in(cls, data_dir: Path) -> str:
        """The language of the sign-in window: the app's language when it was last open."""
        try:
            return cls.load(data_dir).language or "ar"
        except RomahError:
            return "ar"

    @classmethod
    def load(cls, data_dir: Path) -> Keyring:
        """The key ring of the data folder; raises RomahError if it is missing or unreadable."""
        path = cls.path_in(data_dir)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(data.get("format"))
            return cls(
                path,
                {s["user_id"]: Slot(**s) for s in data.get("slots", [])},
                data.get("recovery"),
                {k: list(v) for k, v in data.get("failures", {}).items()},
                dict(data.get("lockout", _DEFAULT_LOCKOUT)),
                data.get("language"),
            )
        except FileNotFoundError as exc:
            raise RomahError(
                N_("The key file {name} is missing: the database cannot be opened without it."),
                name=str(path),
            ) from exc
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise RomahError(N_("The key file {name} is damaged."), name=str(path)) from exc

    def save(self) -> None:
        data = {
            "format": FORMAT,
            "slots": [
                asdict(slot) for slot in sorted(self.slots.values(), key=lambda s: s.user_id)
            ],
            "recovery": self.recovery,
            "failures": self.failures,
            "lockout": self.lockout,
            "language": self.language,
        }
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
        write_atomically(self.path, text.encode("utf-8"), mode=0o600)

    # --- opening -------------------------------------------------------------------------------

    def slot_named(self, username: str) -> Slot | None:
        name = username.strip().lower()
        return next((s for s in self.slots.values() if s.username == name), None)

    def open_with_password(
        self, username: str, password: str, now: datetime | None = None
    ) -> tuple[bytes, Slot]:
        """The database key and the slot it came from, for a user's password.

        After `attempts` wrong passwords for one name within `minutes`, that name is locked for
        `minutes` from the last of them, even for the right password. Raises
        AuthenticationError (with the same words for an unknown name and a wrong password).
        """
        name = username.strip().lower()
        now = now or utcnow()
        self._check_lockout(name, now)
        slot = self.slot_named(name)
        if slot is not None:
            try:
                key = slot.open(password)
            except keys.WrongKey:
                pass
            else:
                if self.failures.pop(name, None) is not None:
                    self.save()
                return key, slot
        self._record_failure(name, now)
        raise AuthenticationError(N_("Wrong user name or password."))

    def open_with_recovery_key(self, recovery_key: str) -> bytes:
        """The database key for the recovery key; raises AuthenticationError otherwise."""
        try:
            if self.recovery is None:
                raise keys.WrongKey("no recovery slot")
            return keys.recovery_unwrap(recovery_key, self.recovery)
        except keys.WrongKey as exc:
            raise AuthenticationError(N_("That is not this laptop's recovery key.")) from exc

    def _window(self) -> timedelta:
        return timedelta(minutes=int(self.lockout.get("minutes", 15)))

    def locked_until(self, username: str, now: datetime | None = None) -> datetime | None:
        """When the lockout of `username` ends, or None when it may sign in now."""
        name = username.strip().lower()
        now = now or utcnow()
        attempts = int(self.lockout.get("attempts", 5))
        recent = sorted(
            (datetime.fromisoformat(t) for t in self.failures.get(name, [])), reverse=True
        )
        recent = recent[:attempts]
        window = self._window()
        # Failures are not recorded while locked, so the newest one is the one that locked.
        if (
            len(recent) == attempts
            and recent[0] - recent[-1] <= window
            and now < recent[0] + window
        ):
            return recent[0] + window
        return None

    def _check_lockout(self, name: str, now: datetime) -> None:
        until = self.locked_until(name, now)
        if until is not None:
            remaining = until - now
            raise AuthenticationError(
                N_(
                    "This account is locked after too many wrong passwords. "
                    "Try again in {minutes} minutes."
                ),
                minutes=max(1, -(-int(remaining.total_seconds()) // 60)),
            )

    def unlock(self, username: str) -> bool:
        """Forget the wrong passwords typed for `username` (an administrator unlocks it), as the
        file holds them now; True if there were any."""
        name = username.strip().lower()
        try:
            self.failures = Keyring.load(self.path.parent).failures
        except RomahError:
            pass  # a key ring not saved yet: the failures in memory are all there are
        if self.failures.pop(name, None) is None:
            return False
        self.save()
        return True

    def _record_failure(self, name: str, now: datetime) -> None:
        window = self._window()
        attempts = int(self.lockout.get("attempts", 5))
        kept = [t for t in self.failures.get(name, []) if now - datetime.fromisoformat(t) <= window]
        self.failures[name] = (kept + [now.isoformat()])[-attempts:]
        # Names tried long ago are forgotten, so the file does not grow with every typo.
        self.failures = {
            n: times
            for n, times in self.failures.items()
            if times and now - datetime.fromisoformat(times[-1]) <= window
        }
        self.save()

    # --- keeping the slots (with the database key at hand) ----------------------------------------

    def admit(
        self,
        database_key: bytes,
        user_id: str,
        username: str,
        public_key: str,
        private_key_box: str,
    ) -> bool:
        """Make (or bring up to date) a sealed slot; True if anything changed."""
        old = self.slots.get(user_id)
        if (
            old is not None
            and old.public_key == public_key
            and old.private_key_box == private_key_box
            and old.username == username
        ):
            return False
        sealed = (
            old.sealed_key
            if old is not None and old.public_key == public_key and old.sealed_key
            else keys.seal(public_key, database_key)
        )
        self.slots[user_id] = Slot(user_id, username, public_key, private_key_box, sealed)
        return True

    def admit_legacy(
        self, database_key: bytes, user_id: str, username: str, password_hash: str
    ) -> bool:
        """A slot for a user known only by a password hash (made before encryption)."""
        old = self.slots.get(user_id)
        if old is not None and old.username == username:
            return False
        try:
            params, wrapped = keys.legacy_wrap(password_hash, database_key)
        except keys.WrongKey:
            return False
        self.slots[user_id] = Slot(user_id, username, legacy=params, legacy_key=wrapped)
        return True

    def remove(self, user_id: str) -> bool:
        return self.slots.pop(user_id, None) is not None

    def set_recovery_key(self, database_key: bytes, recovery_key: str) -> None:
        self.recovery = keys.recovery_wrap(recovery_key, database_key)


def mark_stale(session: Session) -> None:
    """Note that this session changed what the key ring holds (users, copied settings); the
    open workspace brings the key ring up to date when the session commits."""
    session.info[_STALE] = True


def take_stale(session: Session) -> bool:
    return bool(session.info.pop(_STALE, False))


def same_key(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)
