"""Where the database, attachments and logs live: the user's data folder unless overridden."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "RomahDesktop"
APP_AUTHOR = "Romah"
DATA_DIR_ENV = "ROMAH_DATA_DIR"
DATABASE_FILE = "romah.db"


def data_dir(override: str | Path | None = None) -> Path:
    """`override`, else $ROMAH_DATA_DIR, else the platform's user data folder."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir(data: Path) -> Path:
    """Logs sit beside the data when the data folder was chosen, else in the user's log folder."""
    if os.environ.get(DATA_DIR_ENV) or data != Path(
        platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)
    ):
        return data / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
