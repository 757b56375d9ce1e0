"""The rotating log file: timestamps, user and device; no passwords or national IDs at INFO."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE = "romah.log"
_FORMAT = "%(asctime)s %(levelname)s [%(device)s %(user)s] %(name)s: %(message)s"


class _Context(logging.Filter):
    device = "-"
    user = "-"

    def filter(self, record: logging.LogRecord) -> bool:
        record.device = self.device
        record.user = self.user
        return True


_context = _Context()


def setup_logging(folder: Path, level: int = logging.INFO) -> Path:
    """Log to a rotating file in `folder` (5 files of 2 MB); return the file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    root = logging.getLogger("romah")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(_context)
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False  # the file has it all; the terminal gets one clear sentence
    return path


def set_log_context(device: str | None = None, user: str | None = None) -> None:
    """Name the device and user in every following log line."""
    if device is not None:
        _context.device = device
    if user is not None:
        _context.user = user


def write_crash_report(folder: Path, error: BaseException) -> Path:
    """Write the error and its traceback to a new dated file in `folder`; return its path."""
    import traceback
    from datetime import datetime

    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"crash-{stamp}.txt"
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    path.write_text(f"device {_context.device} user {_context.user}\n{text}", encoding="utf-8")
    logging.getLogger("romah.crash").error("crash report %s", path, exc_info=error)
    return path
