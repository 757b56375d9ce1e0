"""The registry's list of ids is held compactly: 200,000 ids as Python strings took about
20 MB of the window's memory."""

from __future__ import annotations

import random
import tracemalloc
import uuid

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.test_registry import add_people, show_registry
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages import beneficiaries
from ui.registry import model as registry_model
from ui.registry.ids import Ids


def some_ids(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count)]


UUIDS = some_ids(500)


@pytest.mark.parametrize(
    "ids",
    [
        [],
        ["a"],
        ["a", "bb", "ccc"],
        ["م-1", "x", "م-22"],
        UUIDS,
        UUIDS[:1],
        ["00000000-0000-0000-0000-000000000000"],
        # Not as the database writes them: held as text, and read back as they were.
        [UUIDS[0].upper(), UUIDS[1]],
        [UUIDS[0], UUIDS[1].replace("-", "")],
        [UUIDS[0], UUIDS[1][:8] + " " + UUIDS[1][9:]],
        [UUIDS[0], UUIDS[1][:-1] + "g"],
        [UUIDS[0] + "0", UUIDS[1][:-1]],
    ],
)
def test_ids_read_as_the_list_they_were_made_of(ids: list[str]) -> None:
    held = Ids(ids)
    assert len(held) == len(ids)
    assert list(held) == ids
    assert [held[i] for i in range(len(ids))] == ids
    assert [held.at(i) for i in range(len(ids))] == ids
    if ids:
        assert held[-1] == ids[-1]
        assert list(held[1:3]) == ids[1:3]
    for row, value in enumerate(ids):
        assert held.index(value) == row and value in held
    with pytest.raises(IndexError):
        held[len(ids)]
    elsewhere = some_ids(1, seed=8)[0]
    for missing in ("", "b", "a\nbb", "zz", ids[0][:-1] if ids else "q", elsewhere, 7):
        assert missing not in held
        with pytest.raises(ValueError):
            held.index(missing)
    assert held.starts_with(Ids(ids[: len(ids) // 2]))
    assert held.starts_with(Ids())
    assert not Ids(ids[:-1]).starts_with(held) or not ids


def test_uuids_are_held_as_their_bytes() -> None:
    held = Ids(UUIDS)
    assert held._packed is not None and len(held._packed) == 16 * len(UUIDS)
    assert not held._text and not held._starts
    assert Ids([UUIDS[0].upper()])._packed is None
    # The bytes that end one id and begin the next are not an id of the list.
    spanning = str(uuid.UUID(bytes=held._packed[8:24]))
    assert spanning not in held
    # Lists of the same ids in either form: one begins with the other.
    assert held.starts_with(Ids(UUIDS[:3]))
    assert Ids([*UUIDS[:3], "x"]).starts_with(Ids(UUIDS[:3]))
    assert not held.starts_with(Ids([*UUIDS[:3], "x"]))


def test_ids_that_are_a_prefix_of_another_are_told_apart() -> None:
    held = Ids(["ab", "a", "abc"])
    assert held.index("a") == 1 and held.index("abc") == 2
    assert not Ids(["ab"]).starts_with(Ids(["a"]))
    assert not Ids(["a"]).starts_with(Ids(["ab"]))


def test_an_id_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError):
        Ids(["a", "b\nc"])


def test_the_whole_registry_of_ids_takes_a_sixth_of_a_list() -> None:
    ids = some_ids(200_000)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        as_strings = [i.encode().decode() for i in ids]  # new strings, as a query gives
        listed = tracemalloc.get_traced_memory()[0] - before
        held = Ids(as_strings)
        del as_strings
        compact = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert listed > 18_000_000
    assert compact < 3_300_000
    assert held.at(123_456) == ids[123_456] and held.index(ids[199_999]) == 199_999


def test_the_page_holds_its_lists_as_blocks(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two first rows, then the whole list of three added below them.
    monkeypatch.setattr(registry_model, "PAGE_SIZE", 2)
    monkeypatch.setattr(beneficiaries, "PAGE_SIZE", 2)
    people = add_people(romah_app)
    page = show_registry(qtbot, romah_app, main_window)
    assert page.model.ids() == [people.ahmad, people.abdullah, people.sara]
    kept = list(page._whole_lists.values())
    assert kept and all(isinstance(ids, Ids) for ids in kept)
    assert isinstance(page.model._ids, Ids)
    # The list shown is the one kept, not a copy.
    assert page.model._ids is kept[0]
