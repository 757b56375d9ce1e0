"""Files coming down from HQ by content hash: what has arrived of each is kept, encrypted,
so a download cut off mid-way resumes where it stopped (see `SyncClient._download_files`)."""

from __future__ import annotations

import os
from pathlib import Path

from db.keys import FileCipher, WrongKey


class PartialDownload:
    """A download's `.part` file: what has arrived so far, encrypted as it arrives (each
    piece framed by its length and bound to its offset), so nothing of it is on disk in clear.
    A piece that does not open (a write cut off by a kill) makes the download start over."""

    _LENGTH = 4

    def __init__(self, path: Path, sha256: str, cipher: FileCipher) -> None:
        self.path = path
        self.sha256 = sha256
        self.cipher = cipher

    def _context(self, offset: int) -> str:
        return f"partial download {self.sha256} {offset}"

    def received(self) -> bytes:
        """The plaintext received so far; empty (and the file removed) when it does not open."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return b""
        pieces: list[bytes] = []
        size, position = 0, 0
        try:
            while position < len(raw):
                length = int.from_bytes(raw[position : position + self._LENGTH], "big")
                start = position + self._LENGTH
                blob = raw[start : start + length]
                if len(blob) != length:
                    raise WrongKey("cut off")
                pieces.append(self.cipher.decrypt(blob, self._context(size)))
                size += len(pieces[-1])
                position = start + length
        except WrongKey:
            self.path.unlink(missing_ok=True)
            return b""
        return b"".join(pieces)

    def size(self) -> int:
        return len(self.received())

    def add(self, content: bytes, restart: bool) -> bytes:
        """Append `content` (after clearing the file when `restart`); return all received."""
        before = b"" if restart else self.received()
        blob = self.cipher.encrypt(content, self._context(len(before)))
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if restart else os.O_APPEND)
        descriptor = os.open(self.path, flags, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(len(blob).to_bytes(self._LENGTH, "big") + blob)
        return before + content
