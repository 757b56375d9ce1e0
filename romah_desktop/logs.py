"""The rotating log file and crash reports: timestamps, user and device, and where an error
happened, never what it was about.

An exception's message may hold whatever the failing code was given (a national ID, a name,
the parameters of an SQL statement), so neither the log nor a crash report keeps it: an error
is written as its type, a short hash of its message's shape (equal for the same message
template, revealing no letter or digit of it) and its traceback's frames (file, line, function,
the line of code). The app's own errors (RomahError) keep their English template, which holds
no values. Files are 0600 in a 0700 folder.
"""

from __future__ import annotations

import hashlib
import io
import logging
import logging.handlers
import os
import re
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

LOG_FILE = "romah.log"
CRASH_PREFIX = "crash-"
FILE_MODE = 0o600
FOLDER_MODE = 0o700
_FORMAT = "%(asctime)s %(levelname)s [%(device)s %(user)s] %(name)s: %(message)s"
_LETTER = re.compile(r"[^\W\d_]+", re.UNICODE)
_DIGIT = re.compile(r"\d+", re.UNICODE)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class _Context(logging.Filter):
    device = "-"
    user = "-"

    def filter(self, record: logging.LogRecord) -> bool:
        record.device = self.device
        record.user = self.user
        return True


_context = _Context()


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    os.chmod(folder, FOLDER_MODE)


def message_digest(message: str) -> str:
    """A short hash of `message`'s shape (every run of letters made "a", of digits "9"): the same
    for the same template, and no way back to the letters or digits it held."""
    shape = _DIGIT.sub("9", _LETTER.sub("a", message))
    return hashlib.sha256(shape.encode("utf-8")).hexdigest()[:10]


def _summary(error: BaseException) -> str:
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    # Imported here: the log is set up before anything else of the app is imported.
    from romah_desktop.errors import RomahError

    if isinstance(error, RomahError):
        return f"{name}: {error.message!r} (values withheld)"
    return f"{name}: (message withheld, shape {message_digest(str(error))})"


def describe_error(error: BaseException) -> str:
    """`error`, its causes and their tracebacks, as the log and a crash report keep them: the
    type and frames of each, no message and no values."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        block = ["Traceback (most recent call last):\n"] if current.__traceback__ else []
        for frame in traceback.extract_tb(current.__traceback__):
            block.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n')
            if frame.line:
                block.append(f"    {frame.line.strip()}\n")
        block.append(_summary(current) + "\n")
        parts.insert(0, "".join(block) + link)
        if current.__cause__ is not None:
            link = "\nThe above exception was the direct cause of the following exception:\n\n"
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            link = "\nDuring handling of the above exception, another exception occurred:\n\n"
            current = current.__context__
        else:
            current = None
    return "".join(parts)


class _Formatter(logging.Formatter):
    """Log lines as usual; an exception logged with them as `describe_error` gives it."""

    def formatException(self, ei: Any) -> str:
        error = ei[1]
        if not isinstance(error, BaseException):
            return "(no exception)"
        return describe_error(error).rstrip("\n")


class _PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are readable by this user only."""

    def _open(self) -> io.TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        os.chmod(self.baseFilename, FILE_MODE)  # a log made before was 0644
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)


def setup_logging(folder: Path, level: int = logging.INFO) -> Path:
    """Log to a rotating file in `folder` (5 files of 2 MB; 0600, in a folder made 0700);
    return the file's path."""
    _private_folder(folder)
    path = folder / LOG_FILE
    root = logging.getLogger("romah")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    handler = _PrivateFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(_Formatter(_FORMAT))
    handler.addFilter(_context)
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False  # the file has it all; the terminal gets one clear sentence
    for rotated in folder.glob(LOG_FILE + ".*"):
        os.chmod(rotated, FILE_MODE)
    return path


def set_log_context(device: str | None = None, user: str | None = None) -> None:
    """Name the device and user in every following log line."""
    if device is not None:
        _context.device = device
    if user is not None:
        _context.user = user


def write_crash_report(folder: Path, error: BaseException) -> Path:
    """Write the error's type and traceback (`describe_error`: no message, no values) to a new
    dated file in `folder` (0600, the folder 0700); return its path. Raises OSError."""
    _private_folder(folder)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{CRASH_PREFIX}{stamp}.txt"
    text = f"device {_context.device} user {_context.user}\n{describe_error(error)}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with open(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    logging.getLogger("romah.crash").error("crash report %s", path, exc_info=error)
    return path


_FRAME = re.compile(r'^  File ".*", line \d+, in .*$')
_HEADERS = (
    "Traceback (most recent call last):",
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
_TYPE_NAME = re.compile(r"[A-Za-z_][\w.]*")
_WITHHELD = re.compile(r"\(message withheld, shape [0-9a-f]{10}\)|'.*' \(values withheld\)")


def scrub_crash_report(text: str) -> str:
    """A crash report written before reports withheld messages, reduced to what a report
    keeps now: its first line (device and user), its frames and each error's type. The line
    after a traceback's frames names the error: its type is kept, its message and every
    further line until the next traceback are not. A report scrubbed already is unchanged."""
    lines = text.splitlines()
    kept = lines[:1]
    state = "summary"  # what a line that is neither a frame nor a header is: the error's line
    for line in lines[1:]:
        head, _, message = line.partition(":")
        if _FRAME.match(line):
            kept.append(line)
            state = "code"
        elif line in _HEADERS:
            kept.append(line)
            state = "summary"
        elif not line.strip():
            kept.append("")
        elif set(line.strip()) <= set("^~"):
            continue  # the marks under a frame's line of code
        elif state == "code" and line.startswith("    "):
            kept.append(line)  # the frame's line of code
            state = "summary"
        elif state != "done":
            if not _TYPE_NAME.fullmatch(head):
                kept.append("(an error whose description is withheld)")
            elif _WITHHELD.fullmatch(message.strip()):
                kept.append(line)
            else:
                kept.append(f"{head}: (message withheld, shape {message_digest(message.strip())})")
            state = "done"
    return "\n".join(kept) + "\n"
