"""Tests of human-readable numbers: file and request numbers, unique without a network."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa

from db.models import Beneficiary, Device
from romah_desktop.services.context import Actor
from romah_desktop.services.numbers import (
    next_file_number,
    next_request_number,
    reserve_file_numbers,
)
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD
from tests.helpers.people import person_form

SHARED_PASSWORD = "admin-pass-1"
FILE_NUMBER = re.compile(r"RYD-[0-9A-F]{4}-\d{6}")


class Boom(Exception):
    pass


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A workspace for the tests that only look at numbers relative to each other."""
    workspace = Workspace.create(
        tmp_path_factory.mktemp("numbers") / "data", "RYD", "فرع الرياض", "admin", SHARED_PASSWORD
    )
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def shared_admin(shared: Workspace) -> Actor:
    return shared.login("admin", SHARED_PASSWORD)


def device_prefix(ws: Workspace) -> str:
    with ws.db.session() as session:
        device = session.get(Device, ws.device_id())
        assert device is not None
        return device.prefix


def register(ws: Workspace, actor: Actor) -> str:
    with ws.transaction() as session:
        return register_beneficiary(session, actor, person_form()).file_number


def committed_file_numbers(ws: Workspace) -> list[str]:
    with ws.db.session() as session:
        return list(session.scalars(sa.select(Beneficiary.file_number)))


def sequence_of(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


# --- file numbers ---------------------------------------------------------------------------


def test_a_file_number_is_branch_device_prefix_and_six_digits(
    workspace: Workspace, admin: Actor
) -> None:
    prefix = device_prefix(workspace)
    assert re.fullmatch(r"[0-9A-F]{4}", prefix)
    assert prefix == workspace.device_id()[-4:].upper()
    assert register(workspace, admin) == f"RYD-{prefix}-000001"
    assert register(workspace, admin) == f"RYD-{prefix}-000002"


def test_file_numbers_increase_and_never_repeat(shared: Workspace, shared_admin: Actor) -> None:
    numbers = [register(shared, shared_admin) for _ in range(5)]
    with shared.transaction() as session:
        numbers += [next_file_number(session) for _ in range(20)]
    assert len(set(numbers)) == len(numbers)
    first = sequence_of(numbers[0])
    assert [sequence_of(n) for n in numbers] == list(range(first, first + 25))
    assert all(FILE_NUMBER.fullmatch(n) for n in numbers)


def test_a_rolled_back_registration_never_leads_to_a_repeated_number(
    shared: Workspace, shared_admin: Actor
) -> None:
    first = register(shared, shared_admin)
    with pytest.raises(Boom), shared.transaction() as session:
        lost = register_beneficiary(session, shared_admin, person_form()).file_number
        raise Boom
    after = register(shared, shared_admin)
    committed = committed_file_numbers(shared)
    assert {first, after} <= set(committed)
    assert len(set(committed)) == len(committed)
    assert sequence_of(first) < sequence_of(after)
    # The rolled-back number was never stored (the sequence rolled back with it), so if it is
    # handed out again, it is to the next file and still names one file only.
    assert lost not in committed or lost == after


def test_reserved_numbers_are_consecutive_and_not_handed_out_again(shared: Workspace) -> None:
    with shared.transaction() as session:
        single = next_file_number(session)
        block = reserve_file_numbers(session, 3)
        following = next_file_number(session)
    first = sequence_of(single)
    assert [sequence_of(n) for n in [single, *block, following]] == list(range(first, first + 5))


def test_numbers_continue_after_the_workspace_is_reopened(
    workspace: Workspace, admin: Actor
) -> None:
    before = [register(workspace, admin) for _ in range(2)]
    workspace.close()
    reopened, _admin = Workspace.unlock(workspace.data_dir, "admin", ADMIN_PASSWORD)
    try:
        with reopened.transaction() as session:
            later = next_file_number(session)
    finally:
        reopened.close()
    assert sequence_of(later) == sequence_of(before[-1]) + 1
    assert later not in before


# --- request numbers ------------------------------------------------------------------------


def test_a_request_number_includes_the_year(shared: Workspace) -> None:
    prefix = device_prefix(shared)
    with shared.transaction() as session:
        first = next_request_number(session, date(2026, 3, 1))
        second = next_request_number(session, date(2026, 12, 31))
    assert first == f"RYD-{prefix}-2026-00001"
    assert second == f"RYD-{prefix}-2026-00002"


def test_request_numbers_count_per_year_and_never_repeat(shared: Workspace) -> None:
    with shared.transaction() as session:
        numbers = [next_request_number(session, date(2031, 6, 1)) for _ in range(3)]
        numbers += [next_request_number(session, date(2032, 1, 1)) for _ in range(2)]
        numbers.append(next_request_number(session, date(2031, 12, 31)))
    assert [n.split("-", 2)[2] for n in numbers] == [
        "2031-00001",
        "2031-00002",
        "2031-00003",
        "2032-00001",
        "2032-00002",
        "2031-00004",
    ]
    assert len(set(numbers)) == len(numbers)


def test_request_and_file_numbers_do_not_share_a_sequence(shared: Workspace) -> None:
    with shared.transaction() as session:
        file_before = next_file_number(session)
        request = next_request_number(session, date(2033, 5, 5))
        file_after = next_file_number(session)
    assert sequence_of(request) == 1
    assert sequence_of(file_after) == sequence_of(file_before) + 1


def test_request_numbers_from_committed_transactions_never_repeat(shared: Workspace) -> None:
    committed = []
    for attempt in range(4):
        if attempt % 2:
            with pytest.raises(Boom), shared.transaction() as session:
                next_request_number(session, date(2034, 2, 2))
                raise Boom
        else:
            with shared.transaction() as session:
                committed.append(next_request_number(session, date(2034, 2, 2)))
    assert len(set(committed)) == 2
    assert sequence_of(committed[0]) < sequence_of(committed[1])
