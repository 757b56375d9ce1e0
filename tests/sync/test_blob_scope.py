"""Attachments are personal data: a laptop downloads a scan only through a record of its branch,
cannot learn which files HQ holds, and cannot fill HQ's disk with uploads that never end."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient

from db.files import attachment_path
from romah_desktop.services.intake.declarations import (
    PNG_MAGIC,
    store_attachment,
)
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.validation import make_national_id
from sync.protocol import OFFSET_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION, TOTAL_HEADER
from sync.server.app import create_app
from sync.server.schema import hq_blob
from tests.helpers.people import person_form
from tests.sync.conftest import HQ, Laptop
from tests.sync.helpers import HQProcess

NAME = "ريم خالد الغامدي"
NATIONAL_ID = make_national_id("118642097")
SCAN = PNG_MAGIC + f"national ID card of {NAME} {NATIONAL_ID}".encode() * 40
DAY = 24 * 3600


def _sign(machine: Laptop, username: str) -> str:
    return machine.sign(username, NAME, SCAN, first_name="ريم", family_name="الغامدي")


def _headers(machine: Laptop) -> dict[str, str]:
    """The credential and protocol headers the laptop sends HQ."""
    return dict(machine.client.transport().headers)


def _enrol(http: httpx.Client | TestClient, code: str, device_id: str) -> dict[str, str]:
    """Enrol a device over HTTP (no database of its own); its request headers."""
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    asked = {"code": code, "device_id": device_id, "name": "laptop", "prefix": device_id[-4:]}
    answer = http.post("/v1/enrol", content=json.dumps(asked).encode(), headers=headers)
    assert answer.status_code == 200, answer.text
    return {**headers, "Authorization": f"Bearer {device_id}.{answer.json()['token']}"}


def _device(hq: HQ, branch: str = "RYD", device_id: str = "01900000-0000-7000-8000-0000000b10b5"):
    return _enrol(hq.http, hq.hub.new_enrolment_code(branch), device_id)


def _put(
    http: httpx.Client | TestClient,
    headers: dict[str, str],
    sha256: str,
    chunk: bytes,
    offset: int,
    total: int,
) -> httpx.Response:
    return http.put(
        f"/v1/blobs/{sha256}",
        content=chunk,
        headers={**headers, OFFSET_HEADER: str(offset), TOTAL_HEADER: str(total)},
    )


def _missing(http: httpx.Client | TestClient, headers: dict[str, str], *hashes: str) -> dict:
    answer = http.post(
        "/v1/blobs/missing", content=json.dumps({"hashes": list(hashes)}), headers=headers
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["missing"])


def _reason(answer: httpx.Response, status: int) -> str:
    assert answer.status_code == status, (answer.status_code, answer.text[:300])
    reason = answer.json()["reason"]
    assert isinstance(reason, str) and reason.strip()
    return reason


def _files(hq: HQ, sha256: str) -> list[Path]:
    return sorted((hq.data_dir / "blobs").rglob(f"{sha256}*"))


def _held(hq: HQ) -> int:
    with hq.hub.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(hq_blob)).scalar())


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_scan_reaches_only_laptops_of_its_branch(hq: HQ, laptop: Callable[..., Laptop]) -> None:
    jeddah, other_jeddah = laptop("jeddah", "JED"), laptop("jeddah-two", "JED")
    riyadh = laptop("riyadh", "RYD")
    sha = _sign(jeddah, "clerk.jed")
    assert jeddah.client.sync().files_sent == 1
    assert other_jeddah.client.sync().files_received == 1
    assert riyadh.client.sync().files_received == 0

    # Riyadh asks for the Jeddah scan directly: the same answer as for a file HQ never had.
    never = hashlib.sha256(b"a file no laptop ever sent").hexdigest()
    ryd = _headers(riyadh)
    refused = _reason(hq.http.get(f"/v1/blobs/{sha}", headers=ryd), 404)
    assert refused == _reason(hq.http.get(f"/v1/blobs/{never}", headers=ryd), 404)
    assert NAME not in refused and sha not in refused
    # Nor does it learn whether HQ holds it.
    assert _missing(hq.http, ryd, sha, never) == {sha: 0, never: 0}
    # A laptop of Jeddah sees the file HQ holds, and may download it.
    jed = _headers(other_jeddah)
    assert _missing(hq.http, jed, sha, never) == {never: 0}
    answer = hq.http.get(f"/v1/blobs/{sha}", headers=jed)
    assert answer.status_code == 200 and answer.content == SCAN

    # Riyadh sending the same bytes is answered as any first upload; HQ keeps one copy and
    # Riyadh still may not download it.
    assert _put(hq.http, ryd, sha, SCAN, 0, len(SCAN)).json() == {"received": len(SCAN)}
    assert _files(hq, sha) == [attachment_path(hq.data_dir / "blobs", sha)]
    assert _held(hq) == 1
    _reason(hq.http.get(f"/v1/blobs/{sha}", headers=ryd), 404)
    assert _missing(hq.http, ryd, sha) == {sha: 0}


def test_a_file_over_the_size_ceiling_is_refused_and_nothing_kept(hq: HQ) -> None:
    device = _device(hq)
    sha = hashlib.sha256(SCAN).hexdigest()
    reason = _reason(_put(hq.http, device, sha, SCAN, 0, 99 * 1024**4), 413)
    assert "50 MB" in reason
    assert _files(hq, sha) == [] and _held(hq) == 0

    # The ceiling is HQ's setting.
    small = create_app(hq.hub, hq.data_dir / "blobs", max_upload_mb=1)
    with TestClient(small, base_url="http://hq.test") as http:
        megabyte = b"\x89" * (1024 * 1024)
        over = megabyte + b"!"
        assert "1 MB" in _reason(
            _put(http, device, hashlib.sha256(over).hexdigest(), over, 0, len(over)), 413
        )
        assert _files(hq, hashlib.sha256(over).hexdigest()) == []
        fits = hashlib.sha256(megabyte).hexdigest()
        assert _put(http, device, fits, megabyte, 0, len(megabyte)).json() == {
            "received": len(megabyte)
        }
        assert _files(hq, fits) == [attachment_path(hq.data_dir / "blobs", fits)]


def test_romah_hq_serve_takes_the_upload_ceiling(tmp_path: Path) -> None:
    class Limited(HQProcess):
        def command(self, *args: str) -> list[str]:
            extra = ("--max-upload-mb", "2") if args[:1] == ("serve",) else ()
            return super().command(*args, *extra)

    server = Limited(tmp_path / "hq", f"sqlite+pysqlite:///{tmp_path / 'hq.sqlite3'}")
    try:
        server.seed()
        server.start()
        with httpx.Client(base_url=server.url, timeout=30) as http:
            device = _enrol(
                http, server.hub.new_enrolment_code("RYD"), "01900000-0000-7000-8000-00000000c0de"
            )
            sha = hashlib.sha256(SCAN).hexdigest()
            assert "2 MB" in _reason(_put(http, device, sha, SCAN, 0, 2 * 1024 * 1024 + 1), 413)
            assert _put(http, device, sha, SCAN, 0, len(SCAN)).json() == {"received": len(SCAN)}
    finally:
        server.close()


def test_an_upload_running_past_its_declared_size_is_refused_and_its_partial_removed(
    hq: HQ,
) -> None:
    device = _device(hq)
    sha = hashlib.sha256(SCAN).hexdigest()
    half = len(SCAN) // 2
    assert _put(hq.http, device, sha, SCAN[:half], 0, len(SCAN)).json() == {"received": half}
    assert _missing(hq.http, device, sha) == {sha: half}
    assert [p.name.endswith(".part") for p in _files(hq, sha)] == [True]

    _reason(_put(hq.http, device, sha, SCAN[half:] + b"and more", half, len(SCAN)), 422)
    assert _files(hq, sha) == []
    assert _missing(hq.http, device, sha) == {sha: 0}
    # Sent again from the start, it arrives.
    assert _put(hq.http, device, sha, SCAN, 0, len(SCAN)).json() == {"received": len(SCAN)}


def test_abandoned_partial_uploads_are_deleted(hq: HQ) -> None:
    device = _device(hq)
    first, second, third = (SCAN + bytes([n]) for n in range(3))
    started = {}
    for content in (first, second):
        sha = hashlib.sha256(content).hexdigest()
        assert _put(hq.http, device, sha, content[:100], 0, len(content)).status_code == 200
        (started[sha],) = _files(hq, sha)
    abandoned, recent = started
    _age(started[abandoned], 2 * DAY)
    _age(started[recent], DAY / 2)

    # Starting another upload clears what was abandoned a day ago, and only that.
    third_sha = hashlib.sha256(third).hexdigest()
    assert _put(hq.http, device, third_sha, third[:100], 0, len(third)).status_code == 200
    assert _files(hq, abandoned) == []
    assert _files(hq, recent) == [started[recent]]
    assert _missing(hq.http, device, abandoned, recent) == {abandoned: 0, recent: 100}

    # So does HQ's start.
    _age(started[recent], 2 * DAY)
    with TestClient(create_app(hq.hub, hq.data_dir / "blobs"), base_url="http://hq.test"):
        assert _files(hq, recent) == []
        assert len(_files(hq, third_sha)) == 1


def test_a_file_hq_will_not_take_waits_in_the_quarantine_and_the_sync_goes_on(
    hq: HQ, laptop: Callable[..., Laptop]
) -> None:
    """One oversized scan must not stop a branch laptop's sync: the records still reach HQ and
    the file waits in the laptop's quarantine with HQ's reason."""
    from db.models import SyncQuarantine

    machine = laptop("jeddah", "JED")
    small = create_app(hq.hub, hq.data_dir / "blobs", max_upload_mb=1)
    with TestClient(small, base_url="http://hq.test") as http:
        machine.client = type(machine.client)(
            machine.workspace.db, machine.workspace.attachments_dir, client=http
        )
        big = PNG_MAGIC + b"\x00" * (2 * 1024 * 1024)  # a scan of two megabytes
        clerk = machine.login("clerk.jed")
        with machine.workspace.transaction() as session:
            register_beneficiary(session, clerk, person_form())
            sha = store_attachment(
                session, big, "image/png", machine.workspace.attachments_dir, "scan.png"
            ).sha256
        report = machine.client.sync()
        assert report.quarantined == 1 and report.files_sent == 0
        assert report.pushed >= 2  # the person and the declaration reached HQ all the same
        with machine.workspace.db.session() as session:
            (held,) = session.scalars(sa.select(SyncQuarantine)).all()
        assert held.change["sha256"] == sha and "1 MB" in held.reason
        machine.client.sync()  # nothing blocks the next sync either
