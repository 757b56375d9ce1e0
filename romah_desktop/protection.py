"""Files kept beside the database that hold personal data: encrypted, and readable by this
user only.

Drafts, signature images and scans are encrypted with the database's file cipher
(`db.keys.FileCipher`, which the workspace puts in every session's ``info["file_cipher"]``);
each file's *context* (what it is and its address) is authenticated with it, so a file moved
to another name does not open. Files are 0600 and folders 0700. A file written before
encryption still reads (it is returned as it is) until `encrypt_existing_files` encrypts it.

Exports a person asks for (reports, a saved PDF) are theirs to share and are not written here.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from db.engine import Database
from db.files import attachment_path, make_private_folder, write_atomically
from db.keys import FileCipher, WrongKey
from romah_desktop import paths
from romah_desktop.logs import CRASH_PREFIX, scrub_crash_report

FOLDER_MODE = 0o700
FILE_MODE = 0o600
CIPHER_KEY = "file_cipher"
ATTACHMENTS_FOLDER = "attachments"
DRAFTS_FOLDER = "drafts"
_PARTIAL_SUFFIX = ".part"
_SHA256_HEX = 64


def file_cipher(session: Session) -> FileCipher:
    """The cipher of the files beside the session's database. Raises RuntimeError when the
    database was opened without one (it was not opened as a workspace)."""
    cipher = session.info.get(CIPHER_KEY)
    if not isinstance(cipher, FileCipher):
        raise RuntimeError(
            "this session has no file cipher: open the database as a workspace, whose files "
            "are encrypted with its key"
        )
    return cipher


def database_cipher(db: Database) -> FileCipher:
    """The cipher every session of `db` carries (see `file_cipher`); raises RuntimeError."""
    cipher = db.session_info.get(CIPHER_KEY)
    if not isinstance(cipher, FileCipher):
        raise RuntimeError(
            "this database has no file cipher: open it as a workspace, whose files are "
            "encrypted with its key"
        )
    return cipher


def protect_folder(folder: Path) -> Path:
    """Make `folder` (and any parent it needs made) readable by this user only (0700); an
    existing folder is made private too. Return it. Raises OSError."""
    missing: list[Path] = []
    current = folder.parent
    while not current.exists():
        missing.append(current)
        current = current.parent
    for parent in reversed(missing):
        make_private_folder(parent)  # mkdir would give parents the umask's mode (0755)
    make_private_folder(folder)
    return folder


def write_protected(path: Path, data: bytes, cipher: FileCipher, context: str) -> None:
    """Encrypt `data` (with `context`) into `path`, whole or not at all, mode 0600, in a folder
    made 0700. Raises OSError; an older file is then intact."""
    protect_folder(path.parent)
    write_atomically(path, cipher.encrypt(data, context), mode=FILE_MODE)


def read_protected(path: Path, cipher: FileCipher, context: str) -> bytes:
    """The plaintext `write_protected` wrote to `path` with `context`; a file written before
    encryption is returned as it is. Raises OSError (FileNotFoundError…), db.keys.WrongKey
    (another key or context, or altered bytes)."""
    raw = path.read_bytes()
    if not FileCipher.is_encrypted(raw):
        return raw
    return cipher.decrypt(raw, context)


# --- attachments -------------------------------------------------------------------------------


def attachment_context(sha256: str) -> str:
    """What an attachment's encryption binds: its address, the SHA-256 of its plaintext."""
    return f"attachment {sha256}"


def intact_attachment(root: Path, sha256: str, cipher: FileCipher) -> bytes | None:
    """The bytes of the attachment `sha256` under `root`, or None when it is not there, does
    not open with this key, or its content does not match its hash."""
    try:
        data = read_protected(attachment_path(root, sha256), cipher, attachment_context(sha256))
    except (OSError, WrongKey):
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def write_attachment(root: Path, data: bytes, cipher: FileCipher) -> str:
    """Store `data` encrypted at its content address under `root` (unless an intact encrypted
    copy is there already); return the address, the SHA-256 of `data`. Raises OSError."""
    sha = hashlib.sha256(data).hexdigest()
    path = attachment_path(root, sha)
    if not (_is_encrypted_file(path) and intact_attachment(root, sha, cipher) is not None):
        write_protected(path, data, cipher, attachment_context(sha))
    return sha


def _is_encrypted_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return FileCipher.is_encrypted(handle.read(16))
    except OSError:
        return False


# --- drafts --------------------------------------------------------------------------------------


def draft_context(draft_id: str) -> str:
    return f"draft {draft_id}"


# --- the upgrade of a workspace made before encryption -------------------------------------------


def _context_for(path: Path, data_dir: Path) -> str | None:
    """The context a plaintext file under the data folder is encrypted with, or None when it is
    not a file of ours that holds personal data."""
    relative = path.relative_to(data_dir).parts
    if len(relative) == 3 and relative[0] == ATTACHMENTS_FOLDER:
        name = path.name
        if len(name) == _SHA256_HEX and all(c in "0123456789abcdef" for c in name):
            return attachment_context(name)
    if len(relative) == 2 and relative[0] == DRAFTS_FOLDER and path.suffix == ".json":
        return draft_context(path.stem)
    return None


def encrypt_existing_files(
    data_dir: Path,
    cipher: FileCipher,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """The one-time upgrade of a data folder written before encryption.

    Encrypts in place every plaintext draft and attachment under `data_dir`; removes the
    partial files (.part) beside them (a cut-off download or write, in clear; made again when
    needed); reduces old crash reports to what a report keeps now (no messages); makes every
    folder under `data_dir` (and the log folder) 0700 and every file 0600. Safe to repeat: an
    encrypted file is left as it is. `progress` is told (done, total) as files are looked at.
    Return the number of files encrypted. Raises OSError."""
    protect_folder(data_dir)
    candidates: list[Path] = []
    for folder_name in (ATTACHMENTS_FOLDER, DRAFTS_FOLDER):
        folder = data_dir / folder_name
        if folder.is_dir():
            candidates.extend(p for p in sorted(folder.rglob("*")) if _is_plain_file(p))
    logs = paths.log_dir(data_dir)
    if logs.is_dir():
        candidates.extend(sorted(logs.glob(f"{CRASH_PREFIX}*")))
    encrypted = 0
    for done, path in enumerate(candidates, 1):
        if path.name.endswith(_PARTIAL_SUFFIX):
            path.unlink(missing_ok=True)
        elif path.parent == logs:
            text = path.read_text(encoding="utf-8", errors="replace")
            write_atomically(path, scrub_crash_report(text).encode("utf-8"), mode=FILE_MODE)
        elif _is_plain_file(path) and not _is_encrypted_file(path):
            context = _context_for(path, data_dir)
            if context is not None:
                write_protected(path, path.read_bytes(), cipher, context)
                encrypted += 1
        if progress is not None:
            progress(done, len(candidates))
    _tighten(data_dir)
    if logs.is_dir() and not logs.is_relative_to(data_dir):
        _tighten(logs)
    return encrypted


def _is_plain_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _tighten(folder: Path) -> None:
    os.chmod(folder, FOLDER_MODE)
    for root, folders, files in os.walk(folder):
        for name in folders:
            if not os.path.islink(os.path.join(root, name)):
                os.chmod(os.path.join(root, name), FOLDER_MODE)
        for name in files:
            if _is_plain_file(Path(root, name)):
                os.chmod(os.path.join(root, name), FILE_MODE)
