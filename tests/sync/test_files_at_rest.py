"""A signature travels between laptops through HQ and is, on each laptop's disk, encrypted with
that laptop's own key; a download cut off mid-way leaves nothing in clear."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable

import pytest

from db.files import attachment_path
from db.keys import FileCipher, WrongKey
from romah_desktop.services.intake.declarations import PNG_MAGIC
from romah_desktop.validation import make_national_id
from sync.downloads import PartialDownload
from tests.sync.conftest import HQ, Laptop

NAME = "هيا فهد الدوسري"
NATIONAL_ID = make_national_id("117531864")
SIGNATURE = PNG_MAGIC + f"signed by {NAME} {NATIONAL_ID}".encode() * 50


def _sign(machine: Laptop) -> str:
    return machine.sign("clerk.ryd", NAME, SIGNATURE, first_name="هيا", family_name="الدوسري")


def _in_clear(machine: Laptop) -> list[str]:
    folder = machine.workspace.attachments_dir
    return [
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file()
        and (NATIONAL_ID.encode() in path.read_bytes() or NAME.encode() in path.read_bytes())
    ]


def test_a_signature_reaches_another_laptop_encrypted_with_its_own_key(
    laptop: Callable[..., Laptop],
) -> None:
    one, two = laptop("one"), laptop("two")
    sha = _sign(one)
    assert sha == hashlib.sha256(SIGNATURE).hexdigest()
    assert one.client.sync().files_sent == 1
    assert two.client.sync().files_received == 1

    stored = attachment_path(two.workspace.attachments_dir, sha)
    assert FileCipher.is_encrypted(stored.read_bytes())
    assert _in_clear(one) == [] and _in_clear(two) == []
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    two_files: FileCipher = two.workspace.files
    one_files: FileCipher = one.workspace.files
    assert two_files.decrypt(stored.read_bytes(), f"attachment {sha}") == SIGNATURE
    # Each laptop has its own key: a file copied from one laptop opens on no other.
    copied = attachment_path(one.workspace.attachments_dir, sha).read_bytes()
    assert one_files.decrypt(copied, f"attachment {sha}") == SIGNATURE
    with pytest.raises(WrongKey):
        two_files.decrypt(copied, f"attachment {sha}")


def test_a_partial_download_left_in_clear_by_the_old_version_is_started_over(
    laptop: Callable[..., Laptop],
) -> None:
    one, two = laptop("one"), laptop("two")
    sha = _sign(one)
    one.sync()
    # The previous version kept what had arrived of a cut-off download in clear.
    stored = attachment_path(two.workspace.attachments_dir, sha)
    stored.parent.mkdir(parents=True)
    partial = stored.with_name(stored.name + ".part")
    partial.write_bytes(SIGNATURE[: len(SIGNATURE) // 2])

    assert two.client.sync().files_received == 1
    assert not partial.exists()
    two_files: FileCipher = two.workspace.files
    assert two_files.decrypt(stored.read_bytes(), f"attachment {sha}") == SIGNATURE
    assert _in_clear(two) == []


def test_a_download_cut_off_mid_way_resumes_from_its_encrypted_part(
    hq: HQ, laptop: Callable[..., Laptop]
) -> None:
    one, two = laptop("one"), laptop("two")
    sha = _sign(one)
    one.sync()
    stored = attachment_path(two.workspace.attachments_dir, sha)
    stored.parent.mkdir(parents=True)
    partial = stored.with_name(stored.name + ".part")
    half = len(SIGNATURE) // 2
    PartialDownload(partial, sha, two.workspace.files).add(SIGNATURE[:half], restart=True)
    assert _in_clear(two) == []

    statuses: list[int] = []
    hq.http.event_hooks["response"].append(
        lambda response: (
            statuses.append(response.status_code)
            if "/v1/blobs/" in response.request.url.path
            else None
        )
    )
    assert two.client.sync().files_received == 1
    assert 206 in statuses  # only the rest was asked for
    assert not partial.exists()
    two_files: FileCipher = two.workspace.files
    assert two_files.decrypt(stored.read_bytes(), f"attachment {sha}") == SIGNATURE
