"""Drafts of unfinished work (an intake in progress), kept so that closing the window, signing
out or a killed process loses nothing typed.

Each draft is one file, ``<data_dir>/drafts/<draft id>.json``: its JSON encrypted with the
database's file cipher (romah_desktop/protection.py), mode 0600 in a 0700 folder. It is replaced
atomically: the new content goes to a temporary file in the same folder, is flushed to the disk
(fsync) and renamed over the old file (os.replace), then the folder is synced. A reader therefore
finds either the previous complete version or the new one, never a mix, even after a kill -9
mid-write. A draft belongs to the user who started it; each user sees their own. Whose it is
lies inside the encrypted content (the file's name is the draft's random id), so listing a
user's drafts opens each file. A plain JSON draft written before encryption still reads.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db.files import sync_folder
from db.ids import new_id
from db.keys import FileCipher, WrongKey
from romah_desktop.errors import NotFound, RomahError
from romah_desktop.i18n import N_
from romah_desktop.protection import DRAFTS_FOLDER, draft_context, read_protected, write_protected

log = logging.getLogger("romah.drafts")

FORMAT_VERSION = 1
_SUFFIX = ".json"
_PARTIAL_SUFFIX = ".part"
# A partial file this old was left by a writer that died; nobody will finish it.
_STALE_PARTIAL_SECONDS = 3600
_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class DraftNotFound(NotFound):
    """There is no such draft of this user (finished, discarded, or someone else's)."""


class DraftUnreadable(RomahError):
    """The draft's file exists but is not a draft this version of the app can read."""


@dataclass(frozen=True)
class Draft:
    """A user's unfinished piece of work: `data` is whatever the screen needs to restore it."""

    id: str
    username: str
    kind: str
    title: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def new_draft(
    username: str, kind: str, title: str = "", data: dict[str, Any] | None = None
) -> Draft:
    """A draft with a fresh id (not saved yet)."""
    now = datetime.now(UTC)
    return Draft(new_id(), username, kind, title, dict(data or {}), now, now)


def drafts_dir(data_dir: Path) -> Path:
    return data_dir / DRAFTS_FOLDER


def _path(data_dir: Path, draft_id: str) -> Path:
    # The id becomes a file name: only our own UUIDs, never a path.
    if not _ID.match(draft_id):
        raise DraftNotFound(N_("This draft was not found; it may have been finished or discarded."))
    return drafts_dir(data_dir) / f"{draft_id}{_SUFFIX}"


def _encode(draft: Draft) -> bytes:
    payload = {
        "format": FORMAT_VERSION,
        "id": draft.id,
        "username": draft.username,
        "kind": draft.kind,
        "title": draft.title,
        "created_at": draft.created_at.isoformat(),
        "updated_at": draft.updated_at.isoformat(),
        "data": draft.data,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def _decode(raw: bytes, name: str) -> Draft:
    try:
        payload = json.loads(raw.decode("utf-8"))
        if payload["format"] != FORMAT_VERSION or not isinstance(payload["data"], dict):
            raise ValueError("not a draft of this format")
        return Draft(
            id=str(payload["id"]),
            username=str(payload["username"]),
            kind=str(payload["kind"]),
            title=str(payload["title"]),
            data=payload["data"],
            created_at=datetime.fromisoformat(payload["created_at"]),
            updated_at=datetime.fromisoformat(payload["updated_at"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise DraftUnreadable(N_("The draft {name} could not be read."), name=name) from error


def _read(path: Path, cipher: FileCipher) -> Draft:
    """Raises OSError (FileNotFoundError…), DraftUnreadable (another key, altered, not a draft)."""
    try:
        raw = read_protected(path, cipher, draft_context(path.stem))
    except WrongKey as error:
        raise DraftUnreadable(N_("The draft {name} could not be read."), name=path.name) from error
    return _decode(raw, path.name)


def save_draft(data_dir: Path, draft: Draft, *, cipher: FileCipher) -> Draft:
    """Write `draft` (stamped with the current time), encrypted with `cipher`, atomically;
    return what was written.

    Raises TypeError when `draft.data` is not JSON (nothing is written then), OSError when the
    disk refuses (the previous version stays intact).
    """
    stamped = replace(draft, updated_at=datetime.now(UTC))
    content = _encode(stamped)
    target = _path(data_dir, draft.id)
    # The temporary file's name ends in _PARTIAL_SUFFIX, so one left by a killed writer is
    # swept by list_drafts.
    write_protected(target, content, cipher, draft_context(draft.id))
    return stamped


def load_draft(data_dir: Path, draft_id: str, username: str, *, cipher: FileCipher) -> Draft:
    """The draft `draft_id` of `username`. Raises DraftNotFound (none, or another user's),
    DraftUnreadable (not a draft, or not one `cipher` opens)."""
    path = _path(data_dir, draft_id)
    try:
        draft = _read(path, cipher)
    except FileNotFoundError:
        raise DraftNotFound(
            N_("This draft was not found; it may have been finished or discarded.")
        ) from None
    if draft.username != username or draft.id != draft_id:
        raise DraftNotFound(N_("This draft was not found; it may have been finished or discarded."))
    return draft


def _sweep_partials(folder: Path) -> None:
    cutoff = time.time() - _STALE_PARTIAL_SECONDS
    for partial in folder.glob(f".*{_PARTIAL_SUFFIX}"):
        try:
            if partial.stat().st_mtime < cutoff:
                partial.unlink()
        except OSError:
            pass  # another process finished or removed it meanwhile


def list_drafts(
    data_dir: Path, username: str, kind: str | None = None, *, cipher: FileCipher
) -> list[Draft]:
    """The drafts of `username` (of one `kind` if given), most recently saved first.

    A file that cannot be read is left alone and logged, never shown; partial files left by a
    writer that died long ago are removed. Raises OSError when the folder cannot be read.
    """
    folder = drafts_dir(data_dir)
    if not folder.is_dir():
        return []
    _sweep_partials(folder)
    found: list[Draft] = []
    for path in folder.glob(f"*{_SUFFIX}"):
        if path.name.startswith(".") or not _ID.match(path.stem):
            continue
        try:
            draft = _read(path, cipher)
        except FileNotFoundError:
            continue  # discarded while we looked
        except DraftUnreadable:
            log.warning("skipping an unreadable draft file %s", path.name)
            continue
        if draft.username == username and (kind is None or draft.kind == kind):
            found.append(draft)
    found.sort(key=lambda d: (d.updated_at, d.id), reverse=True)
    return found


def discard_draft(data_dir: Path, draft_id: str) -> bool:
    """Delete the draft; False when there was none (already discarded)."""
    path = _path(data_dir, draft_id)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    sync_folder(path.parent)
    return True
