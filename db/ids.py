"""Primary keys made on the laptop: UUIDv7, time-ordered so B-tree inserts stay local."""

import uuid6


def new_id() -> str:
    """Return a new UUIDv7 as its canonical 36-character string."""
    return str(uuid6.uuid7())
