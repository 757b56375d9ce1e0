"""The keys that keep a laptop's data unreadable without a person who may read it.

A laptop's database is encrypted (SQLCipher) with a random 256-bit *database key*. Nobody types
that key; it is kept wrapped in the laptop's key ring (romah_desktop/keyring.py) in two ways:

* **Sealed to each user who may sign in there.** Every user has an X25519 key pair. The
  private key travels with the user's record (`user_account.private_key_box`), encrypted under a
  key derived from their password by argon2id; the public key travels beside it. A laptop seals
  its database key to a user's public key (an ephemeral X25519 exchange, HKDF-SHA256 and
  AES-256-GCM), so a signed-in session can admit a user who arrived by sync without knowing
  their password, and a server that holds every user record holds nothing that opens a laptop:
  opening a seal needs a private key, and the private key needs the password.
* **Under the recovery key**, 160 random bits shown once when the database is created.

Files beside the database (drafts, signatures, scans, backups) are encrypted with a key derived
from the database key (`FileCipher`).

Everything here is pure: bytes and strings in, bytes and strings out; no files, no database.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
_NONCE_BYTES = 12
_SALT_BYTES = 16
_RAW = serialization.Encoding.Raw


class WrongKey(Exception):
    """A password, recovery key or key did not open what it was given (or that was altered)."""


@dataclass(frozen=True)
class KdfParams:
    """argon2id's cost: passes, memory in KiB, lanes."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4


# RFC 9106's second recommended setting (64 MiB); about 0.1 s on a 2-core laptop. The cost is
# stored with each box, so raising it later leaves older boxes readable.
PASSWORD_KDF = KdfParams()
_hasher = PasswordHasher()  # argon2id with the library's recommended parameters


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hkdf(secret: bytes, info: bytes, salt: bytes | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(secret)


def new_key() -> bytes:
    """A random 256-bit key (a database key)."""
    return secrets.token_bytes(KEY_BYTES)


def password_key(password: str, salt: bytes, params: KdfParams) -> bytes:
    """The 256-bit key that argon2id derives from `password` with `salt` and `params`."""
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        params.time_cost,
        params.memory_kib,
        params.parallelism,
        KEY_BYTES,
        Type.ID,
    )


def encrypt(key: bytes, plaintext: bytes, context: bytes) -> bytes:
    """AES-256-GCM: a random nonce, then the ciphertext and its tag; `context` is authenticated."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def decrypt(key: bytes, blob: bytes, context: bytes) -> bytes:
    """The plaintext of `encrypt`; raises WrongKey for another key, context or altered bytes."""
    if len(blob) < _NONCE_BYTES + 16:
        raise WrongKey("too short")
    try:
        return AESGCM(key).decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], context)
    except InvalidTag as exc:
        raise WrongKey("does not open") from exc


# --- a user's key pair -------------------------------------------------------------------------


@dataclass(frozen=True)
class UserKeys:
    """What a user record carries: the public key, and the private key under the password."""

    public_key: str
    private_key_box: str


def _private_box(private_key: X25519PrivateKey, password: str, params: KdfParams) -> str:
    salt = secrets.token_bytes(_SALT_BYTES)
    raw = private_key.private_bytes(
        _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    box = {
        "v": 1,
        "kdf": "argon2id",
        "t": params.time_cost,
        "m": params.memory_kib,
        "p": params.parallelism,
        "salt": _b64(salt),
        "data": _b64(encrypt(password_key(password, salt, params), raw, b"romah user key")),
    }
    return json.dumps(box, separators=(",", ":"), sort_keys=True)


def public_key_of(private_key: X25519PrivateKey) -> str:
    return _b64(private_key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw))


def new_user_keys(password: str, params: KdfParams | None = None) -> UserKeys:
    """A new key pair for a user whose password is `password` (a new user, a reset password)."""
    private_key = X25519PrivateKey.generate()
    return UserKeys(
        public_key_of(private_key), _private_box(private_key, password, params or PASSWORD_KDF)
    )


@dataclass(frozen=True)
class Credentials:
    """All a user record carries of a password: its argon2id hash (for HQ's own sign-in) and
    the user's key pair under it."""

    password_hash: str
    public_key: str
    private_key_box: str

    def values(self) -> dict[str, str]:
        return {
            "password_hash": self.password_hash,
            "public_key": self.public_key,
            "private_key_box": self.private_key_box,
        }


def hash_password(password: str) -> str:
    """The argon2id hash of `password`, salted, in argon2's encoded form."""
    return _hasher.hash(password)


def credentials(password: str) -> Credentials:
    """What a new user, or a reset password, gets from `password` (a new key pair)."""
    made = new_user_keys(password)
    return Credentials(hash_password(password), made.public_key, made.private_key_box)


def open_private_key(private_key_box: str, password: str) -> X25519PrivateKey:
    """The user's private key; raises WrongKey for a wrong password (or a damaged box)."""
    try:
        box = json.loads(private_key_box)
        params = KdfParams(int(box["t"]), int(box["m"]), int(box["p"]))
        salt, data = _unb64(box["salt"]), _unb64(box["data"])
    except (ValueError, KeyError, TypeError) as exc:
        raise WrongKey("not a key box") from exc
    raw = decrypt(password_key(password, salt, params), data, b"romah user key")
    return X25519PrivateKey.from_private_bytes(raw)


def rewrap_private_key(private_key: X25519PrivateKey, new_password: str) -> str:
    """The same private key under a new password (a password change keeps the key pair)."""
    return _private_box(private_key, new_password, PASSWORD_KDF)


# --- sealing a secret to a public key ------------------------------------------------------------


def seal(public_key: str, secret: bytes) -> str:
    """`secret` encrypted so that only the holder of `public_key`'s private key can open it."""
    recipient = X25519PublicKey.from_public_bytes(_unb64(public_key))
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    key = _hkdf(
        ephemeral.exchange(recipient), b"romah seal", salt=ephemeral_public + _unb64(public_key)
    )
    return _b64(ephemeral_public) + "." + _b64(encrypt(key, secret, b"romah sealed key"))


def unseal(private_key: X25519PrivateKey, sealed: str) -> bytes:
    """The secret `seal` sealed to this private key's public key; raises WrongKey otherwise."""
    try:
        head, body = sealed.split(".", 1)
        ephemeral_public = _unb64(head)
        peer = X25519PublicKey.from_public_bytes(ephemeral_public)
        own = private_key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
        key = _hkdf(private_key.exchange(peer), b"romah seal", salt=ephemeral_public + own)
        return decrypt(key, _unb64(body), b"romah sealed key")
    except (ValueError, TypeError) as exc:
        raise WrongKey("not a seal") from exc


# --- the recovery key ---------------------------------------------------------------------

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
_READS_AS = {"O": "0", "I": "1", "L": "1"}
_RECOVERY_CHARACTERS = 32  # 160 bits


def new_recovery_key() -> str:
    """160 random bits as 32 Crockford base32 characters in groups of four."""
    text = "".join(secrets.choice(_ALPHABET) for _ in range(_RECOVERY_CHARACTERS))
    return "-".join(text[i : i + 4] for i in range(0, _RECOVERY_CHARACTERS, 4))


def normalize_recovery_key(text: str) -> str:
    """A recovery key as typed (any case, spaces or dashes, O for 0) in its canonical form;
    raises WrongKey if it cannot be one."""
    cleaned = "".join(_READS_AS.get(ch, ch) for ch in text.upper() if ch not in " -\t\n")
    if len(cleaned) != _RECOVERY_CHARACTERS or any(ch not in _ALPHABET for ch in cleaned):
        raise WrongKey("not a recovery key")
    return "-".join(cleaned[i : i + 4] for i in range(0, _RECOVERY_CHARACTERS, 4))


def recovery_wrap(recovery_key: str, database_key: bytes) -> str:
    key = _hkdf(normalize_recovery_key(recovery_key).encode("ascii"), b"romah recovery")
    return _b64(encrypt(key, database_key, b"romah recovery"))


def recovery_unwrap(recovery_key: str, wrapped: str) -> bytes:
    key = _hkdf(normalize_recovery_key(recovery_key).encode("ascii"), b"romah recovery")
    return decrypt(key, _unb64(wrapped), b"romah recovery")


# --- legacy password hashes (a database made before encryption) ---------------------------------


def legacy_wrap(password_hash: str, database_key: bytes) -> tuple[dict[str, object], str]:
    """Wrap the database key for a user known only by an argon2id hash of their password.

    The hash's output is argon2id(password, salt): it is a key only the password re-creates.
    What is kept is the salt and cost (not the output), so the key ring opens for that password
    and nothing else. Raises WrongKey if the hash is not an argon2id hash.
    """
    try:
        _, variant, _version, costs, salt, output = password_hash.split("$")
        if variant != "argon2id":
            raise ValueError(variant)
        cost = dict(part.split("=") for part in costs.split(","))
        params = {"t": int(cost["t"]), "m": int(cost["m"]), "p": int(cost["p"])}
        raw_salt, raw_output = _unb64(salt), _unb64(output)
    except (ValueError, KeyError) as exc:
        raise WrongKey("not an argon2id hash") from exc
    key = _hkdf(raw_output, b"romah legacy", salt=raw_salt)
    wrapped = _b64(encrypt(key, database_key, b"romah legacy"))
    return {**params, "salt": _b64(raw_salt), "length": len(raw_output)}, wrapped


def legacy_unwrap(params: dict[str, object], wrapped: str, password: str) -> bytes:
    """The database key `legacy_wrap` wrapped, for the right password; raises WrongKey."""
    salt = _unb64(str(params["salt"]))
    output = hash_secret_raw(
        password.encode("utf-8"),
        salt,
        int(str(params["t"])),
        int(str(params["m"])),
        int(str(params["p"])),
        int(str(params["length"])),
        Type.ID,
    )
    return decrypt(_hkdf(output, b"romah legacy", salt=salt), _unb64(wrapped), b"romah legacy")


# --- files beside the database -------------------------------------------------------------

_FILE_MAGIC = b"RMHE1"


class FileCipher:
    """Encrypts the files kept beside a database with a key derived from the database key."""

    def __init__(self, database_key: bytes) -> None:
        self._key = _hkdf(database_key, b"romah files")

    def encrypt(self, data: bytes, context: str = "") -> bytes:
        return _FILE_MAGIC + encrypt(self._key, data, context.encode("utf-8"))

    def decrypt(self, blob: bytes, context: str = "") -> bytes:
        """The bytes `encrypt` was given; raises WrongKey for another key or altered bytes."""
        if not blob.startswith(_FILE_MAGIC):
            raise WrongKey("not an encrypted file")
        return decrypt(self._key, blob[len(_FILE_MAGIC) :], context.encode("utf-8"))

    @staticmethod
    def is_encrypted(blob: bytes) -> bool:
        return blob.startswith(_FILE_MAGIC)


def sqlcipher_key(database_key: bytes) -> str:
    """The key as SQLCipher takes it raw (no key derivation of its own): ``x'<hex>'``."""
    return f"x'{database_key.hex()}'"
