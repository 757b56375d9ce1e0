"""Files kept beside a database: attachments addressed by their content, and whole-file writes
that a crash or a full disk can never leave half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def attachment_path(root: Path, sha256: str) -> Path:
    """Where an attachment's bytes live under `root`: ``<root>/<first two hex digits>/<sha256>``.
    The laptop's attachments folder and HQ's blob store use the same layout."""
    return root / sha256[:2] / sha256


def write_atomically(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write `data` to `path` whole or not at all.

    The bytes go to a temporary file in the same folder (created with `mode`), are flushed to
    the disk and renamed over `path`, then the folder is synced: a reader finds the old file or
    the new one, never a mix. Raises OSError (PermissionError, FileNotFoundError for a missing
    folder, …); the old file, if any, is then intact and no temporary file is left.
    """
    folder = path.parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(folder)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` reach the disk (POSIX; Windows has no way or need)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) readable by its owner only (0700 on POSIX); an
    existing folder is made private too."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)
