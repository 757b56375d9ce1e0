"""A sync with nothing to do makes few trips to the laptop's database, and still fetches a
file an earlier sync could not get."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from db.files import attachment_path
from romah_desktop.services.intake.declarations import PNG_MAGIC
from tests.sync.conftest import HQ, Laptop
from tests.sync.test_flow import _register

SIGNATURE = PNG_MAGIC + b"signed by the applicant" * 40


def test_a_quiet_sync_takes_two_connections_of_the_laptops_database(
    hq: HQ, laptop: Callable[..., Laptop]
) -> None:
    machine = laptop("one")
    _register(machine, "clerk.ryd")  # HQ then holds changes of this laptop: `own` is set
    machine.sync()
    taken: list[Any] = []
    engine = machine.workspace.db.engine

    def count(*_: Any) -> None:
        taken.append(1)

    sa.event.listen(engine, "checkout", count)
    try:
        report = machine.client.sync()
    finally:
        sa.event.remove(engine, "checkout", count)
    assert report.pushed == report.pulled == 0, report
    # Where the laptop stands (nothing waits to be sent; HQ's history is checked against it,
    # and nothing new is kept), then the sync recorded.
    assert len(taken) == 2, len(taken)


def test_a_file_hq_lacked_at_the_pull_comes_at_a_later_quiet_sync(
    hq: HQ, laptop: Callable[..., Laptop]
) -> None:
    one, two = laptop("one"), laptop("two")
    sha = one.sign("clerk.ryd", "هيا فهد الدوسري", SIGNATURE, first_name="هيا")
    one.sync()
    at_hq = attachment_path(hq.data_dir / "blobs", sha)
    held = at_hq.read_bytes()
    at_hq.unlink()  # as if the laptop that has the file had not sent it yet
    assert two.client.sync().files_received == 0
    stored = attachment_path(two.workspace.attachments_dir, sha)
    assert not stored.exists()
    at_hq.write_bytes(held)
    report = two.client.sync()
    assert report.pulled == 0 and report.files_received == 1, report
    assert stored.exists()
