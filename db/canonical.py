"""Canonical JSON: the one byte form of a value that hashes and signatures are computed over.

Keys sorted, no spaces, Arabic kept as UTF-8. Changing this changes every stored hash (printed
verification codes, declarations, the audit chain), so it is written here once.
"""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    """`value` as canonical JSON bytes. Raises TypeError for a value JSON cannot hold."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )
