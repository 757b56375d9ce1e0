"""A list of ids held compactly, for the registry's list of 200,000 people: as Python strings
their ids take about 20 MB (a string object each, and the list's pointers); held here, 3 MB.

Ids as the database writes them (UUIDs: 36 characters of lower-case hex and dashes) are held as
their 16 bytes each; any other ids as one block of text with where each begins (about 8 MB).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any, overload

# A UUID as text: 36 characters, dashes at these places.
_UUID_LENGTH = 36
_DASHES = (8, 13, 18, 23)
_PACKED = 16
# Between two ids in a block of text: never in an id.
_SEPARATOR = "\n"


class Ids(Sequence[str]):
    """An immutable list of ids, so that the list shown and the lists kept can be one."""

    __slots__ = ("_count", "_packed", "_starts", "_text")

    def __init__(self, ids: Iterable[str] = ()) -> None:
        listed = ids if isinstance(ids, list) else list(ids)
        self._count = len(listed)
        self._packed = _pack(listed)
        self._text = ""
        self._starts = array("I")
        if self._packed is None:
            # "\n" before each id and after the last: id i is text[starts[i] : starts[i+1] - 1].
            joined = _SEPARATOR.join(listed)
            self._text = _SEPARATOR + joined + _SEPARATOR if listed else _SEPARATOR
            if self._text.count(_SEPARATOR) != self._count + 1:
                raise ValueError("an id holds a line break")
            lengths = map((1).__add__, map(len, listed))
            kind = "I" if len(self._text) < 2**32 else "Q"
            self._starts = array(kind, accumulate(lengths, initial=1))

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Ids: ...

    def __getitem__(self, index: int | slice) -> str | Ids:
        if isinstance(index, slice):
            return Ids([self.at(i) for i in range(*index.indices(self._count))])
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return self.at(index)

    def at(self, row: int) -> str:
        """The id on `row`, which must be in the list (the quick way, for painting)."""
        if self._packed is not None:
            h = self._packed[row * _PACKED : (row + 1) * _PACKED].hex()
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return self._text[self._starts[row] : self._starts[row + 1] - 1]

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """The row of the id `value` (the first, from `start`); raises ValueError if it is not
        in the list."""
        start = max(0, min(start, self._count))
        row = self._find(value, start) if isinstance(value, str) else -1
        if row < 0 or (stop is not None and row >= stop):
            raise ValueError(f"{value!r} is not in the list")
        return row

    def _find(self, value: str, start: int) -> int:
        if self._packed is not None:
            key = _pack([value])
            if key is None:
                return -1
            found = self._packed.find(key, start * _PACKED)
            # A match across two ids is not one.
            while found >= 0 and found % _PACKED:
                found = self._packed.find(key, found + 1)
            return found // _PACKED if found >= 0 else -1
        if _SEPARATOR in value or not self._count:
            return -1
        begin = self._starts[start] - 1
        found = self._text.find(_SEPARATOR + value + _SEPARATOR, begin)
        return bisect_left(self._starts, found + 1) if found >= 0 else -1

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self._find(value, 0) >= 0

    def __iter__(self) -> Iterator[str]:
        if self._packed is not None:
            return (self.at(row) for row in range(self._count))
        return iter(self._text[1:-1].split(_SEPARATOR) if self._count else ())

    def starts_with(self, other: Ids) -> bool:
        """Whether this list begins with all of `other`, in its order."""
        if len(other) > self._count:
            return False
        if self._packed is not None and other._packed is not None:
            return self._packed.startswith(other._packed)
        if self._packed is None and other._packed is None:
            end = other._starts[-1]
            return self._text[:end] == other._text[:end]
        return all(mine == theirs for mine, theirs in zip(self, other, strict=False))


def as_ids(ids: Sequence[str]) -> Ids:
    return ids if isinstance(ids, Ids) else Ids(ids)


def _pack(listed: list[str]) -> bytes | None:
    """The ids as 16 bytes each if every one is a UUID as the database writes it (so that it
    reads back the same), else None."""
    count = len(listed)
    if not count:
        return None
    joined = "".join(listed)
    if len(joined) != _UUID_LENGTH * count or not joined.isascii() or not joined.islower():
        return None
    dashes = "-" * count
    if any(joined[at::_UUID_LENGTH] != dashes for at in _DASHES):
        return None
    digits = joined.replace("-", "")
    if len(digits) != 2 * _PACKED * count:
        return None
    try:
        packed = bytes.fromhex(digits)
    except ValueError:
        return None
    # fromhex passes over spaces: a short result means some were there.
    return packed if len(packed) == _PACKED * count else None
